#include "compare/diagram_validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>

#include "common/enum_names.hpp"
#include "compare/full_pair.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::compare {

namespace {
constexpr EnumName<ValidationTermination> kTerminationNames[] = {
    {ValidationTermination::kNotRun, "not_run"},
    {ValidationTermination::kConverged, "converged"},
    {ValidationTermination::kNotConverged, "not_converged"},
    {ValidationTermination::kNoStableBranch, "no_stable_branch"},
};
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

const char* ToString(ValidationTermination t) { return enum_to_string(kTerminationNames, t); }
bool FromString(const std::string& text, ValidationTermination* t) { return enum_from_string(kTerminationNames, text, t); }

bool DiagramValidationOptions::IsValid(std::string* why) const {
  auto bad = [why](std::string s) { if (why) *why = std::move(s); return false; };
  for (double v : values)
    if (!std::isfinite(v)) return bad(fmt::format("--validate-at: value {} is not a number", v));
  if (values.empty() && count < 1) return bad(fmt::format("--validate-count {}: need at least one value", count));
  if (!(std::isfinite(rate) && rate > 0)) return bad(fmt::format("--rate {} must be positive", rate));
  if (max_epochs < 1) return bad(fmt::format("--validate-epochs {} must be at least 1", max_epochs));
  if (!(std::isfinite(stop_speed) && stop_speed > 0)) return bad(fmt::format("stop_speed {} must be positive", stop_speed));
  if (!(std::isfinite(perturbation) && perturbation >= 0 && perturbation < 0.5))
    return bad(fmt::format("perturbation {} must be in [0, 0.5)", perturbation));
  if (!(std::isfinite(split) && split >= 0 && split < 0.1)) return bad(fmt::format("split {} must be in [0, 0.1)", split));
  if (!(std::isfinite(apart_threshold) && apart_threshold > split))
    return bad(fmt::format("apart_threshold {} must be larger than split {}", apart_threshold, split));
  if (grid_alpha < 0 || grid_ell < 0 || (grid_alpha > 0) != (grid_ell > 0))
    return bad(fmt::format("basin grid {} x {}: both sizes positive, or both 0 (no basin starts)", grid_alpha, grid_ell));
  if (!(basin_tolerance > 0)) return bad(fmt::format("basin_tolerance {} must be positive", basin_tolerance));
  return true;
}

nlohmann::json DiagramValidationOptions::ToJson() const {
  return {{"values", values},
          {"count", count},
          {"rate", rate},
          {"max_epochs", max_epochs},
          {"stop_speed", stop_speed},
          {"perturbation", perturbation},
          {"split", split},
          {"symmetric_runs", symmetric_runs},
          {"apart_threshold", apart_threshold},
          {"grid_alpha", grid_alpha},
          {"grid_ell", grid_ell},
          {"basin_tolerance", basin_tolerance},
          {"distance", "max-norm in (alpha, alpha_B, ell) to the nearest stable equilibrium (on one chart: the max-norm in (alpha, ell))"},
          {"convergence", "max |change of alpha, alpha_B, ell| per epoch / rate < stop_speed, both memories"},
          {"starts", "per stable equilibrium: it moved by perturbation towards the interior ('equilibrium'); the "
                     "grid start farthest from it that the reduced flow carries to it ('basin'); memory 0 at "
                     "alpha + split/2, memory 1 at alpha - split/2"}};
}

std::vector<StableEquilibrium> stable_equilibria_at(const reduced::DiagramSummary& diagram, double value) {
  const bool by_n = diagram.options.parameter == reduced::BifurcationParameter::kN;
  std::vector<StableEquilibrium> out;
  for (const auto& branch : diagram.branches) {
    const auto& rows = branch.rows;
    auto stable = [](const auto& r) { return r.stability == reduced::Stability::kStable; };
    auto param = [by_n](const auto& r) { return by_n ? r.n : r.T; };
    auto add = [&](int chart, double alpha, double alpha_B, double ell) {
      for (const auto& e : out)  // the same point reached from two segments (a row exactly at value)
        if (e.branch == branch.id && e.chart == chart && std::abs(e.alpha - alpha) < 1e-9 && std::abs(e.ell - ell) < 1e-9)
          return;
      out.push_back({branch.id, chart, alpha, alpha_B, ell});
    };
    if (rows.size() == 1 && stable(rows[0]) && param(rows[0]) == value) add(rows[0].chart, rows[0].alpha, rows[0].alpha_B, rows[0].ell);
    for (std::size_t i = 0; i + 1 < rows.size(); ++i) {
      const auto &a = rows[i], &b = rows[i + 1];
      if (!stable(a) && !stable(b)) continue;
      if (a.chart != b.chart) continue;
      const double pa = param(a), pb = param(b);
      if (value < std::min(pa, pb) || value > std::max(pa, pb)) continue;
      const double w = pb != pa ? (value - pa) / (pb - pa) : 0.0;
      add(a.chart, (1 - w) * a.alpha + w * b.alpha, (1 - w) * a.alpha_B + w * b.alpha_B, (1 - w) * a.ell + w * b.ell);
    }
  }
  return out;
}

double distance_to_stable(const std::vector<StableEquilibrium>& points, double alpha, double alpha_B, double ell,
                          int* index) {
  double best = kInf;
  int at = -1;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double d = std::max({std::abs(points[i].alpha - alpha), std::abs(points[i].alpha_B - alpha_B),
                               std::abs(points[i].ell - ell)});
    if (d < best) best = d, at = int(i);
  }
  if (index) *index = at;
  return best;
}

reduced::TwoMemorySetup with_validation_samples(const reduced::TwoMemorySetup& setup, const std::string& dir) {
  if (setup.A.size() > 0 && setup.B.size() > 0) return setup;
  const reduced::TwoMemoryParameters figure5;
  const auto& p = setup.parameters;
  if (p.AA != figure5.AA || p.AB != figure5.AB || p.BB != figure5.BB)
    throw InputError(fmt::format("--validate needs the two samples behind --AA {} --AB {} --BB {}: give --images FILE --pair I,J",
                                 p.AA, p.AB, p.BB));
  const auto file = std::filesystem::path(dir) / "paper200" / "paper200_images.npy";
  if (!std::filesystem::exists(file))
    throw InputError(fmt::format("--validate needs the samples of the Figure 5 pair: {} not found (set WADDINGTON_DATA "
                                 "or give --images FILE --pair 21,81)", file.string()));
  reduced::TwoMemorySetup out = setup;
  const Eigen::MatrixXd images = load_images(file);
  if (images.rows() <= 81) throw InputError(fmt::format("'{}' has {} rows, the Figure 5 pair needs rows 21 and 81", file.string(), images.rows()));
  out.A = images.row(21).transpose(), out.B = images.row(81).transpose();
  out.row_A = 21, out.row_B = 81;
  out.images = file.string();
  const double AA = out.A.dot(out.A), AB = out.A.dot(out.B), BB = out.B.dot(out.B);
  if (std::abs(AA - p.AA) > 5e-4 || std::abs(AB - p.AB) > 5e-4 || std::abs(BB - p.BB) > 5e-4)
    throw InputError(fmt::format("rows 21, 81 of '{}' have AA={:.4f} AB={:.4f} BB={:.4f}, not the Figure 5 pair's {} {} {}",
                                 file.string(), AA, AB, BB, p.AA, p.AB, p.BB));
  if (out.A.size() != p.num_pixels)
    throw InputError(fmt::format("'{}' has {} pixels per image, the setup N = {}", file.string(), out.A.size(), p.num_pixels));
  return out;
}

namespace {

struct Start {
  std::string kind;
  int equilibrium = 0;
  double alpha = 0, ell = 0;
};

// The values to validate at: the options' own, or `count` spaced over the window.
std::vector<double> validation_values(const reduced::DiagramSummary& diagram, const DiagramValidationOptions& o) {
  if (!o.values.empty()) return o.values;
  const double from = diagram.options.from, to = diagram.options.to;
  std::vector<double> v;
  for (int i = 0; i < o.count; ++i) v.push_back(o.count == 1 ? (from + to) / 2 : from + (to - from) * i / (o.count - 1));
  return v;
}

// The starts at one value (see the header): one "equilibrium" and at most one "basin" start per equilibrium.
std::vector<Start> starts_at(const reduced::TwoMemoryParameters& p, const std::vector<StableEquilibrium>& points,
                             const DiagramValidationOptions& o) {
  std::vector<Start> starts;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& e = points[i];
    const double alpha = e.alpha + (e.alpha < 0.5 ? o.perturbation : -o.perturbation);
    const double ell = e.ell + (e.ell < 0 ? o.perturbation : -o.perturbation);
    starts.push_back({"equilibrium", int(i), alpha, ell});
  }
  if (o.grid_alpha == 0) return starts;
  std::vector<Start> farthest(points.size());
  std::vector<double> far_distance(points.size(), -1);
  reduced::TrajectoryOptions t;
  t.t_max = o.max_epochs * o.rate;
  t.output_interval = t.t_max;  // only the end matters
  for (int i = 0; i < o.grid_alpha; ++i)
    for (int j = 0; j < o.grid_ell; ++j) {
      const double alpha = o.grid_alpha == 1 ? 0.5 : 0.1 + 0.8 * i / (o.grid_alpha - 1);
      const double ell = o.grid_ell == 1 ? 0.0 : -0.6 + 1.2 * j / (o.grid_ell - 1);
      const auto r = reduced::integrate_two_memory(p, alpha, ell, t);
      if (r.termination == reduced::TrajectoryTermination::kLeftChart) continue;
      const auto& end = r.states.back();
      int k = -1;
      if (distance_to_stable(points, end(0), reduced::chart_alpha_B(p.chart, end(0)), end(1), &k) > o.basin_tolerance) continue;
      const double d = std::max(std::abs(alpha - points[k].alpha), std::abs(ell - points[k].ell));
      if (d > far_distance[k]) far_distance[k] = d, farthest[k] = {"basin", k, alpha, ell};
    }
  for (std::size_t k = 0; k < points.size(); ++k)
    if (far_distance[k] >= 0) starts.push_back(farthest[k]);
  return starts;
}

// One run of the full trainer from `start`: two rows (memory 0 and 1).
std::array<ValidationRow, 2> train_from(const reduced::TwoMemorySetup& setup, int chart, const Start& start,
                                        double split, const DiagramValidationOptions& o) {
  reduced::TwoMemorySetup s = setup;
  s.parameters.chart = chart;
  FullPair full(s, o.rate);
  const double a0 = std::clamp(start.alpha + split / 2, -1.0, 1.0), a1 = std::clamp(start.alpha - split / 2, -1.0, 1.0);
  const double ell = std::clamp(start.ell, -1.0, 1.0);
  full.set_memory(0, a0, ell);
  full.set_memory(1, a1, ell);
  std::array<ProjectedMemory, 2> m = {full.project(0), full.project(1)}, previous = m, before_previous = m;
  int epoch = 0;
  double speed = 0;
  bool converged = false;
  // Where the label direction is stiffer than the step resolves (rate |lambda| > 2)
  // the explicit step settles on a period-2 cycle around the equilibrium: the
  // mean of two epochs is then the state and its change the speed.
  constexpr double kMaxCycleSwing = 1e-2;  // largest one-epoch change of a settled period-2 cycle
  const auto change = [](const ProjectedMemory& a, const ProjectedMemory& b) {
    return std::max({std::abs(a.alpha - b.alpha), std::abs(a.alpha_B - b.alpha_B), std::abs(a.ell - b.ell)});
  };
  while (epoch < o.max_epochs && !converged) {
    full.step();
    ++epoch;
    speed = 0;
    double two_epoch_speed = 0;
    before_previous = previous;
    previous = m;
    for (int mu = 0; mu < 2; ++mu) {
      const ProjectedMemory next = full.project(mu);
      speed = std::max(speed, change(next, m[mu]));
      two_epoch_speed = std::max(two_epoch_speed, change(next, before_previous[mu]) / 2);
      m[mu] = next;
    }
    // A settled cycle is small: a swing of the whole label range between the
    // clip values is not an equilibrium (its mean would be ell ~ 0).
    const bool settled_cycle = two_epoch_speed / o.rate < o.stop_speed && speed < kMaxCycleSwing;
    converged = epoch >= 2 && (speed / o.rate < o.stop_speed || settled_cycle);
  }
  const bool apart = std::max(std::abs(m[0].alpha - m[1].alpha), std::abs(m[0].ell - m[1].ell)) > o.apart_threshold;
  // speed is the last epoch's change (per epoch) of both memories.
  std::array<ValidationRow, 2> rows;
  for (int mu = 0; mu < 2; ++mu) {
    auto& r = rows[mu];
    r.memory = mu;
    r.start_kind = start.kind;
    r.split = split;
    r.start_alpha = start.alpha, r.start_ell = start.ell, r.start_equilibrium = start.equilibrium;
    r.alpha_final = (m[mu].alpha + previous[mu].alpha) / 2, r.alpha_B_final = (m[mu].alpha_B + previous[mu].alpha_B) / 2;
    r.ell_final = (m[mu].ell + previous[mu].ell) / 2;
    r.oscillation = speed;
    r.epochs = epoch, r.converged = converged, r.apart = apart;
    r.label_asymmetry = m[mu].label_asymmetry, r.gamma_offset = m[mu].gamma_offset, r.norm_offset = m[mu].norm_offset;
  }
  return rows;
}

}  // namespace

DiagramValidationSummary validate_diagram(const reduced::TwoMemorySetup& setup, const reduced::DiagramSummary& diagram,
                                          const DiagramValidationOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  if (diagram.termination == reduced::AnalysisTermination::kNotRun) throw InputError("diagram validation needs a computed diagram");
  const auto begin = std::chrono::steady_clock::now();
  DiagramValidationSummary s;
  s.options = options;
  s.options.on_progress = nullptr;
  const auto which = diagram.options.parameter;
  s.parameter = reduced::ToString(which);
  s.values = validation_values(diagram, options);
  for (double v : s.values)
    if (v < diagram.options.from || v > diagram.options.to)
      throw InputError(fmt::format("--validate-n: {} = {} is outside the window [{}, {}]", s.parameter, v,
                                   diagram.options.from, diagram.options.to));

  // The starts first (cheap: reduced trajectories), so that progress counts runs.
  std::vector<std::vector<Start>> starts;
  int total = 0;
  for (double v : s.values) {
    s.equilibria.push_back(stable_equilibria_at(diagram, v));
    if (s.equilibria.back().empty()) s.warnings.push_back(fmt::format("no stable equilibrium on the diagram at {} = {}", s.parameter, v));
    starts.push_back(starts_at(reduced::at_parameter(setup.parameters, which, v), s.equilibria.back(), options));
    total += int(starts.back().size()) * (options.symmetric_runs ? 2 : 1);
  }
  if (options.on_progress) options.on_progress(0, total);
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    reduced::TwoMemorySetup at = setup;
    at.parameters = reduced::at_parameter(setup.parameters, which, s.values[i]);
    const auto& points = s.equilibria[i];
    std::vector<std::pair<const Start*, double>> runs;  // (start, split)
    for (const Start& start : starts[i]) {
      if (options.symmetric_runs) runs.emplace_back(&start, 0.0);
      runs.emplace_back(&start, options.split);
    }
    for (const auto& [start_ptr, split] : runs) {
      const Start& start = *start_ptr;
      for (ValidationRow r : train_from(at, points[start.equilibrium].chart, start, split, options)) {
        r.value = s.values[i];
        r.run = s.runs;
        r.distance = distance_to_stable(points, r.alpha_final, r.alpha_B_final, r.ell_final, &r.nearest);
        if (r.nearest >= 0) r.nearest_branch = points[r.nearest].branch;
        r.same_basin = r.nearest == r.start_equilibrium;
        s.rows.push_back(r);
      }
      const ValidationRow& last = s.rows.back();
      ++s.runs;
      s.runs_converged += last.converged;
      s.runs_apart += last.apart;
      s.runs_symmetric += last.split == 0;
      if (options.on_progress) options.on_progress(s.runs, total);
    }
  }
  for (std::size_t k = 0; k < s.rows.size(); ++k) {
    const auto& r = s.rows[k];
    if (s.max_distance_row < 0 || r.distance > s.max_distance) s.max_distance = r.distance, s.max_distance_row = int(k);
    if (r.converged && !r.apart) s.max_distance_together = std::max(s.max_distance_together, r.distance);
    if (r.split == 0 && (s.max_distance_symmetric_row < 0 || r.distance > s.max_distance_symmetric))
      s.max_distance_symmetric = r.distance, s.max_distance_symmetric_row = int(k);
    if (r.split != 0) s.max_distance_split = std::max(s.max_distance_split, r.distance);
  }
  if (s.runs_converged < s.runs)
    s.warnings.push_back(fmt::format("{} of {} runs still moving after {} epochs (raise --validate-epochs)",
                                     s.runs - s.runs_converged, s.runs, options.max_epochs));
  s.termination = s.runs_converged < s.runs ? ValidationTermination::kNotConverged
                  : s.warnings.empty()     ? ValidationTermination::kConverged
                                           : ValidationTermination::kNoStableBranch;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return s;
}

std::string DiagramValidationSummary::BriefReport() const {
  auto where = [&](int k) {
    if (k < 0) return std::string();
    const auto& r = rows[std::size_t(k)];
    return fmt::format(" at {} = {:g} (run {} memory {}, {} start)", parameter, r.value, r.run, r.memory, r.start_kind);
  };
  std::string t = fmt::format("validation: {} {} values, {} runs of the full trainer ({} converged, {} with the memories apart) [{:.1f} s]\n",
                              values.size(), parameter, runs, runs_converged, runs_apart, seconds);
  if (runs_symmetric > 0)
    t += fmt::format("  symmetric runs (split 0, the k = 2 system of the diagram): max distance from the stable branches {:.3g}{}\n",
                     max_distance_symmetric, where(max_distance_symmetric_row));
  const int split_runs = runs - runs_symmetric;
  if (split_runs > 0) {
    int apart = 0;
    for (std::size_t k = 0; k < rows.size(); k += 2) apart += rows[k].split != 0 && rows[k].apart;
    t += fmt::format("  split runs (split {:g}): {} of {} ended with the memories apart; max distance {:.3g}\n", options.split,
                     apart, split_runs, max_distance_split);
  }
  t += fmt::format("  max distance over all runs {:.3g}{}; over converged runs with the memories together {:.3g}; {}",
                   max_distance, where(max_distance_row), max_distance_together, ToString(termination));
  return t;
}

std::string DiagramValidationSummary::FullReport() const {
  std::string t = BriefReport() + "\n";
  t += fmt::format("{:>9} {:>4} {:>3} {:<11} {:>7} {:>8} {:>8} {:>10} {:>10} {:>9} {:>6} {:>6} {:>5}\n", parameter, "run", "mem",
                   "start", "split", "alpha0", "ell0", "alpha", "ell", "distance", "epochs", "conv", "apart");
  for (const auto& r : rows)
    t += fmt::format("{:>9.4g} {:>4} {:>3} {:<11} {:>7.1e} {:>8.4f} {:>8.4f} {:>10.6f} {:>10.6f} {:>9.2e} {:>6} {:>6} {:>5}\n", r.value,
                     r.run, r.memory, r.start_kind, r.split, r.start_alpha, r.start_ell, r.alpha_final, r.ell_final, r.distance,
                     r.epochs, r.converged ? "yes" : "no", r.apart ? "yes" : "no");
  return t;
}

nlohmann::json DiagramValidationSummary::ToJson() const {
  auto finite = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"termination", ToString(termination)},
                      {"parameter", parameter},
                      {"values", values},
                      {"runs", runs},
                      {"runs_converged", runs_converged},
                      {"runs_apart", runs_apart},
                      {"max_distance", finite(max_distance)},
                      {"max_distance_together", finite(max_distance_together)},
                      {"max_distance_symmetric", finite(max_distance_symmetric)},
                      {"max_distance_split", finite(max_distance_split)},
                      {"runs_symmetric", runs_symmetric},
                      {"warnings", warnings},
                      {"seconds", seconds}};
  nlohmann::json eq = nlohmann::json::array();
  for (std::size_t i = 0; i < values.size(); ++i) {
    nlohmann::json at = nlohmann::json::array();
    for (const auto& e : equilibria[i]) at.push_back({{"branch", e.branch}, {"chart", e.chart}, {"alpha", e.alpha}, {"ell", e.ell}});
    eq.push_back({{"value", values[i]}, {"stable", at}});
  }
  j["stable_equilibria"] = eq;
  if (max_distance_row >= 0) {
    const auto& r = rows[std::size_t(max_distance_row)];
    j["max_distance_at"] = {{"value", r.value}, {"run", r.run}, {"memory", r.memory}, {"start", r.start_kind},
                            {"alpha_final", r.alpha_final}, {"ell_final", r.ell_final}, {"apart", r.apart},
                            {"converged", r.converged}};
  }
  return j;
}

ValidatedDiagramSummary::ValidatedDiagramSummary(const reduced::DiagramSummary& diagram,
                                                 const DiagramValidationSummary& validation)
    : diagram(diagram), validation(validation), warnings(diagram.warnings) {
  warnings.insert(warnings.end(), validation.warnings.begin(), validation.warnings.end());
}

bool ValidatedDiagramSummary::complete() const {
  return diagram.complete() && (validation.termination == ValidationTermination::kNotRun || validation.complete());
}

nlohmann::json ValidatedDiagramSummary::ToJson() const {
  auto j = diagram.ToJson();
  if (validation.termination != ValidationTermination::kNotRun) j["validation"] = validation.ToJson();
  j["complete"] = complete();
  return j;
}

}  // namespace waddington::compare
