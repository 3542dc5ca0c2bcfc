// Shared parts of the bifurcation diagrams: enums, smooth pieces, options,
// reports and CSV tables. The continuation and grid methods live in
// bifurcation_continuation.cpp and bifurcation_grid.cpp.
#include "reduced_models/bifurcation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "common/enum_names.hpp"
#include "lib/errors.hpp"

namespace waddington::reduced {

namespace {
constexpr EnumName<BifurcationParameter> kParameterNames[] = {{BifurcationParameter::kN, "n"},
                                                              {BifurcationParameter::kT, "T"}};
constexpr EnumName<DiagramMethod> kMethodNames[] = {{DiagramMethod::kContinuation, "continuation"},
                                                    {DiagramMethod::kGrid, "grid"}};
}  // namespace

const char* ToString(BifurcationParameter p) { return enum_to_string(kParameterNames, p); }
bool FromString(const std::string& text, BifurcationParameter* p) { return enum_from_string(kParameterNames, text, p); }
const char* ToString(DiagramMethod m) { return enum_to_string(kMethodNames, m); }
bool FromString(const std::string& text, DiagramMethod* m) { return enum_from_string(kMethodNames, text, m); }

TwoMemoryParameters at_parameter(TwoMemoryParameters p, BifurcationParameter which, double value) {
  (which == BifurcationParameter::kN ? p.n : p.T) = value;
  return p;
}

namespace {

// Overlap <M, sample> on the chart, linear in alpha on each side of 0 (docs/model.md §2).
double overlap_dot(const TwoMemoryParameters& p, int chart, double alpha, bool sample_A) {
  const double alpha_B = chart * (1 - std::abs(alpha));
  return sample_A ? alpha * p.AA + alpha_B * p.AB : alpha * p.AB + alpha_B * p.BB;
}

// Where the overlap with one sample crosses 0 inside (lo, hi), if it does (linear there).
void add_overlap_zero(const TwoMemoryParameters& p, int chart, double lo, double hi, bool sample_A,
                      std::vector<std::pair<double, std::string>>& cuts) {
  const double f0 = overlap_dot(p, chart, lo, sample_A), f1 = overlap_dot(p, chart, hi, sample_A);
  if ((f0 > 0) == (f1 > 0) || f0 == f1) return;
  const double alpha = lo + (hi - lo) * f0 / (f0 - f1);
  if (alpha > lo && alpha < hi) cuts.push_back({alpha, sample_A ? "xA=0" : "xB=0"});
}

}  // namespace

std::vector<SmoothPiece> smooth_pieces(const TwoMemoryParameters& p, double alpha_min, double alpha_max) {
  std::vector<SmoothPiece> pieces;
  for (int chart : {+1, -1}) {
    std::vector<std::pair<double, std::string>> cuts = {{-1.0, "alpha_B=0"}, {0.0, "alpha_A=0"}, {1.0, "alpha_B=0"}};
    for (bool sample_A : {true, false}) {
      add_overlap_zero(p, chart, -1, 0, sample_A, cuts);
      add_overlap_zero(p, chart, 0, 1, sample_A, cuts);
    }
    std::sort(cuts.begin(), cuts.end());
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      const double lo = std::max(cuts[i].first, alpha_min), hi = std::min(cuts[i + 1].first, alpha_max);
      if (!(hi > lo)) continue;
      const double mid = 0.5 * (lo + hi);
      if (overlap_dot(p, chart, mid, true) <= 0 && overlap_dot(p, chart, mid, false) <= 0) continue;  // dead
      pieces.push_back({chart, lo, hi, lo == cuts[i].first ? cuts[i].second : "window",
                        hi == cuts[i + 1].first ? cuts[i + 1].second : "window"});
    }
  }
  return pieces;
}

bool DiagramOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string message) {
    if (why) *why = std::move(message);
    return false;
  };
  const char* name = ToString(parameter);
  if (!std::isfinite(from) || !std::isfinite(to)) return fail(fmt::format("the {} window [{}, {}] is not finite", name, from, to));
  if (!(from < to))
    return fail(fmt::format("empty or inverted {} window [{}, {}] (need A < B in the A:B window)", name, from, to));
  if (!(from > 0)) return fail(fmt::format("the {} window starts at {}: {} must be positive", name, from, name));
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max))
    return fail(fmt::format("alpha domain [{}, {}] must be a non-empty part of [-1, 1]", alpha_min, alpha_max));
  if (seed_values < 2 || seed_values > 10000) return fail(fmt::format("search values = {} must be in 2..10000", seed_values));
  if (std::string inner; !continuation_options_valid(continuation, &inner)) return fail(inner);
  if (!(fold_check_band > 0 && fold_check_band < 0.5))
    return fail(fmt::format("fold-check band = {} must be in (0, 0.5)", fold_check_band));
  if (fold_check_T_values < 3 || fold_check_T_values > 101 || fold_check_T_values % 2 == 0)
    return fail(fmt::format("fold-check temperatures = {} must be odd and in 3..101", fold_check_T_values));
  for (double v : extra_seed_values)
    if (!std::isfinite(v)) return fail(fmt::format("extra seed value {} is not finite", v));
  if (!(duplicate_distance > 0)) return fail(fmt::format("duplicate distance = {} must be positive", duplicate_distance));
  if (param_steps < 1 || param_steps > 100000)
    return fail(fmt::format("--param-steps {} must be in 1..100000", param_steps));
  if (!(grid_resolution >= 1e-5 && grid_resolution <= 0.5))
    return fail(fmt::format("--grid-resolution {} must be in [1e-5, 0.5]", grid_resolution));
  if (std::string inner; !seed_search.IsValid(&inner)) return fail("equilibrium search: " + inner);
  return true;
}

continuation::ContinuationOptions DiagramOptions::DefaultContinuation() {
  continuation::ContinuationOptions c;
  c.ds = 0.002, c.ds_min = 1e-7, c.ds_max = 0.01;
  c.max_steps = 20000;
  c.newton_tolerance = 1e-12;
  c.max_newton_iterations = 12;
  return c;
}

bool continuation_options_valid(const continuation::ContinuationOptions& c, std::string* why) {
  auto fail = [why](std::string message) {
    if (why) *why = std::move(message);
    return false;
  };
  if (!(c.ds_min > 0 && c.ds_min <= c.ds && c.ds <= c.ds_max && c.ds_max <= 0.5))
    return fail(fmt::format("steps must satisfy 0 < ds_min ({}) <= ds ({}) <= ds_max ({}) <= 0.5", c.ds_min, c.ds, c.ds_max));
  if (c.max_steps < 1) return fail(fmt::format("max steps = {} must be positive", c.max_steps));
  if (!(c.newton_tolerance > 0 && c.newton_tolerance < 1e-3))
    return fail(fmt::format("tolerance = {} must be in (0, 1e-3)", c.newton_tolerance));
  if (c.max_newton_iterations < 1)
    return fail(fmt::format("max Newton iterations = {} must be positive", c.max_newton_iterations));
  return true;
}

nlohmann::json continuation_json(const continuation::ContinuationOptions& c) {
  return {{"ds", c.ds},
          {"ds_min", c.ds_min},
          {"ds_max", c.ds_max},
          {"max_steps", c.max_steps},
          {"newton_tolerance", c.newton_tolerance},
          {"max_newton_iterations", c.max_newton_iterations},
          {"fast_newton_iterations", c.fast_newton_iterations},
          {"step_growth", c.step_growth},
          {"max_tangent_angle", c.max_tangent_angle}};
}

nlohmann::json DiagramOptions::ToJson() const {
  nlohmann::json j = {{"param", ToString(parameter)},
                      {"from", from},
                      {"to", to},
                      {"alpha_range", {alpha_min, alpha_max}},
                      {"search_values", seed_values},
                      {"extra_search_values", extra_seed_values},
                      {"count_audit", count_audit},
                      {"fold_curve_check", fold_curve_check},
                      {"fold_check_band", fold_check_band},
                      {"fold_check_T_values", fold_check_T_values},
                      {"row_stability", row_stability},
                      {"search", seed_search.ToJson()},
                      {"continuation", continuation_json(continuation)},
                      {"duplicate_distance", duplicate_distance},
                      {"boundary", boundary},
                      {"param_steps", param_steps},
                      {"grid_resolution", grid_resolution}};
  j["start"] = start ? nlohmann::json{(*start)[0], (*start)[1]} : nlohmann::json(nullptr);
  return j;
}

std::vector<DiagramPoint> DiagramSummary::folds() const {
  std::vector<DiagramPoint> out;
  for (const auto& s : special_points)
    if (s.type == SpecialPointType::kFold) out.push_back(s);
  return out;
}

std::string DiagramSummary::BriefReport() const {
  if (termination == AnalysisTermination::kNotRun) return "diagram not run";
  const auto count = [&](SpecialPointType t) {
    return std::count_if(special_points.begin(), special_points.end(), [t](const auto& s) { return s.type == t; });
  };
  const std::string fixed = options.parameter == BifurcationParameter::kN
                                ? fmt::format("T={:g} (Tr={:.4g})", parameters.T, parameters.rescaled_temperature())
                                : fmt::format("n={:g}", parameters.n);
  std::string how = method == DiagramMethod::kContinuation
                        ? fmt::format("{} searches ({} search values{}, {} count checks), {} equilibria found: {} "
                                      "continued, {} on known branches",
                                      completeness.searched.size(), options.seed_values,
                                      seed_values > options.seed_values
                                          ? fmt::format(" + {} beside fold-curve crossings", seed_values - options.seed_values)
                                          : "",
                                      completeness.checks.size(), seeds_found, seeds_continued, seeds_on_known_branch)
                        : fmt::format("grid: {} parameter values, cell {:.3g}", seed_values, options.grid_resolution);
  std::string text =
      fmt::format("{} in [{:g}, {:g}] at {}: {} branches ({}), {} folds, {} boundary points, {} branch points{}{}",
                  ToString(options.parameter), options.from, options.to, fixed, branches.size(), how,
                  count(SpecialPointType::kFold), count(SpecialPointType::kBoundary),
                  count(SpecialPointType::kBranchPoint),
                  count(SpecialPointType::kHopf) == 0 ? std::string()
                                                      : fmt::format(", {} Hopf points", count(SpecialPointType::kHopf)),
                  warnings.empty() ? "" : fmt::format("; INCOMPLETE: {} warnings", warnings.size()));
  if (method == DiagramMethod::kContinuation) text += "\ncompleteness: " + completeness.Report();
  return text;
}

std::string Completeness::Report() const {
  if (!audited) return "not established (no count audit: a start point was given or the audit is off)";
  std::string text = fmt::format("count audit at {} values ({} seeded a branch)", checks.size(),
                                 std::count_if(checks.begin(), checks.end(), [](const auto& c) { return c.unaccounted > 0; }));
  if (fold_crossings >= 0)
    text += fmt::format("; {}/{} fold-curve crossings are folds of the diagram{}", fold_crossings_matched,
                        fold_crossings,
                        fold_seed_values.empty() ? "" : fmt::format(" ({} seeded)", fold_seed_values.size()));
  else
    text += "; fold curves not checked";
  if (established()) return "established: " + text;
  std::string why;
  for (const auto& d : doubts) why += "; " + d;
  return "UNCERTAIN: " + text + why;
}

nlohmann::json Completeness::ToJson() const {
  nlohmann::json j = {{"established", established()}, {"audited", audited}, {"report", Report()},
                      {"searched", searched}, {"fold_crossings", fold_crossings},
                      {"fold_crossings_matched", fold_crossings_matched}, {"fold_search_values", fold_seed_values},
                      {"doubts", doubts}};
  j["checks"] = nlohmann::json::array();
  for (const auto& c : checks)
    j["checks"].push_back({{"value", c.value}, {"found", c.found}, {"traced", c.traced}, {"unaccounted", c.unaccounted}});
  return j;
}

nlohmann::json DiagramSummary::ToJson() const {
  nlohmann::json j;
  j["method"] = ToString(method);
  j["parameter"] = ToString(options.parameter);
  j["window"] = {options.from, options.to};
  j["brief"] = BriefReport();
  j["complete"] = complete();
  j["termination"] = ToString(termination);
  j["search_values"] = seed_values;
  j["search_found"] = seeds_found;
  j["search_on_known_branch"] = seeds_on_known_branch;
  j["search_continued"] = seeds_continued;
  if (method == DiagramMethod::kContinuation) j["completeness"] = completeness.ToJson();
  j["warnings"] = warnings;
  j["seconds"] = seconds;
  for (const auto& piece : pieces)
    j["smooth_pieces"].push_back({{"chart", piece.chart}, {"alpha", {piece.alpha_min, piece.alpha_max}},
                                  {"edges", {piece.lower_edge, piece.upper_edge}}});
  for (const auto& dead : dead_regions)
    j["dead_regions"].push_back({{"chart", dead.chart}, {"alpha", {dead.alpha_min, dead.alpha_max}}});
  for (const auto& b : branches)
    j["branches"].push_back({{"id", b.id}, {"chart", b.chart}, {"kind", ToString(b.kind)}, {"rows", b.rows.size()},
                             {"found_from", b.found_from}, {"ends", {b.ends[0], b.ends[1]}}});
  return j;
}

DiagramSummary bifurcation_diagram(const TwoMemoryParameters& p, const DiagramOptions& options, DiagramMethod method) {
  return method == DiagramMethod::kGrid ? grid_diagram(p, options) : compute_diagram(p, options);
}

}  // namespace waddington::reduced
