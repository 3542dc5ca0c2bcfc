#include "reduced_models/formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
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

// ---- fixed points

namespace {

std::string number(double x) { return std::isfinite(x) ? fmt::format("{:.10g}", x) : (x > 0 ? "inf" : x < 0 ? "-inf" : "nan"); }

}  // namespace

// eig1, eig2: the real parts as doubles (+-inf beyond the double range, 0
// only for a zero eigenvalue); eig1_log10, eig2_log10: log10 |Re lambda|, finite
// at any magnitude (empty for a zero one). On a label bound eig2 is not a flow
// eigenvalue: eig2 and eig2_log10 are empty and held is 1 (README, fixed-points).
std::string fixed_points_csv(const FixedPointSummary& s) {
  std::ostringstream csv;
  csv << "alpha,alpha_B,ell,stability,eig1,eig2,chart,kind,residual,speed,eig1_im,eig2_im,anti_eig1,anti_eig2,"
         "eig1_log10,eig2_log10,held\n";
  auto log10_field = [](const continuation::WideReal& w) { return w.sign == 0 ? std::string() : fmt::format("{:.10g}", w.log10_abs); };
  for (const auto& f : s.fixed_points) {
    const std::string eig2 = f.held ? std::string() : number(f.eigenvalues(1).real());
    const std::string eig2_im = f.held ? std::string() : number(f.eigenvalues(1).imag());
    csv << fmt::format("{},{},{},{},{},{},{},{},{:.3e},{:.3e},{},{},", number(f.alpha), number(f.alpha_B), number(f.ell),
                       ToString(f.stability), number(f.eigenvalues(0).real()), eig2, f.chart, ToString(f.kind),
                       f.residual, f.speed, number(f.eigenvalues(0).imag()), eig2_im);
    if (f.has_antisymmetric)
      csv << number(f.antisymmetric_eigenvalues(0).real()) << ',' << number(f.antisymmetric_eigenvalues(1).real());
    else
      csv << ',';
    csv << ',' << log10_field(f.spectrum.real[0]) << ',' << (f.held ? std::string() : log10_field(f.spectrum.real[1]))
        << ',' << (f.held ? 1 : 0);
    csv << '\n';
  }
  return csv.str();
}

std::string fixed_points_table(const FixedPointSummary& s) {
  std::string t;
  t += fmt::format("{:>10} {:>10} {:>10}  {:<8} {:<8} {:>11} {:>11} {:>11} {:>11} {:>9}\n", "alpha", "alpha_B", "ell",
                   "kind", "stability", "eig1", "eig2", "anti_eig1", "anti_eig2", "residual");
  for (const auto& f : s.fixed_points) {
    // Beyond the double range the real part is written as sign, mantissa and exponent.
    auto eig = [](std::complex<double> z, const continuation::WideReal& w) {
      if (!std::isfinite(z.real())) return w.sign != 0 ? w.ToString(4) : number(z.real());
      return z.imag() == 0 ? fmt::format("{:.6g}", z.real()) : fmt::format("{:.4g}{:+.2g}i", z.real(), z.imag());
    };
    t += fmt::format("{:>10.6f} {:>10.6f} {:>10.6f}  {:<8} {:<8} {:>11} {:>11} {:>11} {:>11} {:>9.1e}\n", f.alpha,
                     f.alpha_B, f.ell, ToString(f.kind), ToString(f.stability), eig(f.eigenvalues(0), f.spectrum.real[0]),
                     f.held ? std::string("held") : eig(f.eigenvalues(1), f.spectrum.real[1]),
                     f.has_antisymmetric ? eig(f.antisymmetric_eigenvalues(0), f.antisymmetric_spectrum.real[0]) : "-",
                     f.has_antisymmetric ? eig(f.antisymmetric_eigenvalues(1), f.antisymmetric_spectrum.real[1]) : "-",
                     f.residual);
  }
  return t;
}

// ---- diagrams

// eig2 is empty on a label bound (kind boundary: the label is held).
// splitting_eig1, splitting_eig2, unstable_count_k2: the K = 2 splitting
// (DiagramRow::split1, split2, unstable_count_k2), empty unless
// identical_memories == 2; on a label bound splitting_eig2 is empty (held).
std::string branches_csv(const DiagramSummary& s) {
  std::ostringstream csv;
  csv << "branch,n,T,alpha,alpha_B,ell,stability,Tr,chart,kind,eig1,eig2,newton_iterations,step,"
         "splitting_eig1,splitting_eig2,unstable_count_k2\n";
  const auto or_empty = [](double x) { return std::isnan(x) ? std::string() : fmt::format("{:.8g}", x); };
  for (const auto& b : s.branches)
    for (const auto& r : b.rows) {
      csv << fmt::format("{},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{},{:.12g},{},{},{:.8g},{},{},{:.6g},",
                         r.branch, r.n, r.T, r.alpha, r.alpha_B + 0.0, r.ell, ToString(r.stability),
                         r.T / s.parameters.num_pixels, r.chart, ToString(r.kind), r.eig1, or_empty(r.eig2),
                         r.newton_iterations, r.step);
      if (r.has_splitting) csv << fmt::format("{},{},{}", or_empty(r.split1), or_empty(r.split2), r.unstable_count_k2);
      else csv << ",,";
      csv << '\n';
    }
  return csv.str();
}

std::string k2_branches_csv(const TwoMemoryParameters& p, const K2Summary& s) {
  std::ostringstream csv;
  csv << "branch,n,T,Tr,chart,alpha1,alpha_B1,ell1,alpha2,alpha_B2,ell2,stability,eig1,eig2,unstable_count,labels_held\n";
  for (const auto& b : s.branches)
    for (const auto& r : b.rows)
      csv << fmt::format("{},{:.12g},{:.12g},{:.12g},{},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{},{:.8g},{:.8g},{},{}\n",
                         r.branch, r.n, r.T, r.T / p.num_pixels, b.chart, r.alpha1, chart_alpha_B(b.chart, r.alpha1) + 0.0,
                         r.ell1, r.alpha2, chart_alpha_B(b.chart, r.alpha2) + 0.0, r.ell2, ToString(r.stability), r.eig1,
                         r.eig2, r.unstable_count, b.labels_held ? "true" : "false");
  return csv.str();
}

std::string special_points_csv(const DiagramSummary& s) {
  std::ostringstream csv;
  csv << "type,n,T,alpha,alpha_B,ell,Tr,chart,branch,where,converged,residual,test_value\n";
  for (const auto& p : s.special_points)
    csv << fmt::format("{},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{},{},{},{},{:.3g},{:.6g}\n",
                       ToString(p.type), p.n, p.T, p.alpha + 0.0, p.alpha_B + 0.0, p.ell, p.T / s.parameters.num_pixels,
                       p.chart, p.branch, p.where, p.converged ? "true" : "false", p.residual, p.test_value);
  return csv.str();
}

std::string diagram_points_table(const DiagramSummary& s) {
  std::string t = fmt::format("{:<12} {:>12} {:>9} {:>7} {:>10} {:>10} {:>10} {:>6}  {:<24} {:>9}\n", "type", "n", "T",
                              "Tr", "alpha", "alpha_B", "ell", "branch", "where", "residual");
  for (const auto& p : s.special_points)
    t += fmt::format("{:<12} {:>12.8f} {:>9.4f} {:>7.4f} {:>10.6f} {:>10.6f} {:>10.6f} {:>6}  {:<24} {:>9.1e}\n",
                     ToString(p.type), p.n, p.T, p.T / s.parameters.num_pixels, p.alpha + 0.0, p.alpha_B + 0.0,
                     p.ell + 0.0, p.branch, p.where, p.residual);
  return t;
}

// ---- fold curves

std::string fold_curves_csv(const FoldCurveSummary& s) {
  std::ostringstream csv;
  csv << "curve,n,T,Tr,alpha,alpha_B,ell,chart\n";
  for (const auto& c : s.curves)
    for (const auto& p : c.points)
      csv << fmt::format("{},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{}\n", p.curve, p.n, p.T,
                         p.T / s.parameters.num_pixels, p.alpha, p.alpha_B + 0.0, p.ell, p.chart);
  return csv.str();
}

std::string fold_special_points_csv(const FoldCurveSummary& s) {
  DiagramSummary d;
  d.parameters = s.parameters;
  d.special_points = s.special_points;
  return special_points_csv(d);
}

std::string region_map_csv(const FoldCurveSummary& s) {
  std::ostringstream csv;
  csv << "n,T,Tr,stable,total\n";
  for (const auto& c : s.map)
    csv << fmt::format("{:.10g},{:.10g},{:.10g},{},{}\n", c.n, c.T, c.T / s.parameters.num_pixels, c.stable, c.total);
  return csv.str();
}

std::string fold_crossings_table(const FoldCurveSummary& s, const std::vector<double>& report_Tr) {
  std::string t;
  for (double tr : report_Tr) {
    const auto crossings = fold_crossings_at_T(s, tr * s.parameters.num_pixels);
    t += fmt::format("fold curves at Tr = {:g} (T = {:g}): {} crossing(s)\n", tr, tr * s.parameters.num_pixels, crossings.size());
    for (const auto& c : crossings)
      t += fmt::format("  curve {:>2}  n = {:>12.8f}  alpha = {:.6f}  ell = {:+.6f}  residual {:.1e}{}\n", c.branch, c.n,
                       c.alpha, c.ell, c.residual, c.converged ? "" : "  (NOT converged)");
  }
  return t;
}

// ---- the summaries' full reports (stdout of the commands)

std::string FixedPointSummary::FullReport() const { return BriefReport() + "\n" + fixed_points_table(*this); }
std::string DiagramSummary::FullReport() const { return BriefReport() + "\n" + diagram_points_table(*this); }
std::string FoldCurveSummary::FullReport() const { return BriefReport() + "\n" + fold_special_points_csv(*this); }

}  // namespace waddington::reduced
