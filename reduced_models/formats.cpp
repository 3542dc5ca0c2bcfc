#include "reduced_models/formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <utility>

namespace waddington::reduced {

std::string nullclines_csv(const Nullclines& n) {
  std::ostringstream csv;
  csv << "curve,nullcline,on_bound,point,alpha,ell\n";
  int curve = 0;
  for (auto [name, lines] : {std::pair{"memory", &n.memory}, std::pair{"label", &n.label}})
    for (const auto& line : *lines) {
      for (std::size_t i = 0; i < line.points.size(); ++i)
        csv << fmt::format("{},{},{},{},{:.10g},{:.10g}\n", curve, name, int(line.on_bound), i, line.points[i](0),
                           line.points[i](1));
      ++curve;
    }
  return csv.str();
}

nlohmann::json nullclines_json(const Nullclines& n) {
  nlohmann::json j;
  for (auto [name, lines] : {std::pair{"memory", &n.memory}, std::pair{"label", &n.label}}) {
    auto& arr = j[name] = nlohmann::json::array();
    for (const auto& line : *lines) {
      nlohmann::json pts = nlohmann::json::array();
      for (const auto& p : line.points) pts.push_back({p(0), p(1)});
      arr.push_back({{"on_bound", line.on_bound}, {"points", pts}});
    }
  }
  auto& dead = j["dead_regions"] = nlohmann::json::array();
  for (const auto& d : n.dead_regions) dead.push_back({d.alpha_min, d.alpha_max});
  return j;
}

std::string nullclines_brief(const Nullclines& n) {
  const auto on_bound = std::count_if(n.label.begin(), n.label.end(), [](const auto& l) { return l.on_bound; });
  return fmt::format("{} memory curve(s), {} label curve(s) ({} on the bounds), {} dead region(s)", n.memory.size(),
                     n.label.size(), on_bound, n.dead_regions.size());
}

nlohmann::json nullclines_summary_json(const Nullclines& n) {
  return {{"memory_curves", n.memory.size()}, {"label_curves", n.label.size()}};
}

std::string trajectory_csv(const TrajectoryResult& r, double rate) {
  std::ostringstream csv;
  const Eigen::Index K = r.states.empty() ? 1 : r.states[0].size() / 2;
  csv << "t,epoch";
  for (Eigen::Index mu = 0; mu < K; ++mu) csv << (K == 1 ? ",alpha,ell" : fmt::format(",alpha_{0},ell_{0}", mu + 1));
  csv << "\n";
  for (std::size_t i = 0; i < r.times.size(); ++i) {
    csv << fmt::format("{:.10g},{:.10g}", r.times[i], r.times[i] / rate);
    for (Eigen::Index k = 0; k < r.states[i].size(); ++k) csv << fmt::format(",{:.12g}", r.states[i](k));
    csv << "\n";
  }
  return csv.str();
}

}  // namespace waddington::reduced
