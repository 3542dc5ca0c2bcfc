#include "compare/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "compare/full_pair.hpp"
#include "lib/errors.hpp"

namespace waddington::compare {

bool CompareOptions::IsValid(std::string* why) const {
  auto bad = [why](std::string s) { if (why) *why = std::move(s); return false; };
  if (!(std::isfinite(alpha) && std::abs(alpha) <= 1)) return bad(fmt::format("--start alpha {} must be in [-1, 1]", alpha));
  if (!(std::isfinite(ell) && std::abs(ell) <= 1)) return bad(fmt::format("--start ell {} must be in [-1, 1]", ell));
  if (!(std::isfinite(split) && split >= 0)) return bad(fmt::format("--split {} must be >= 0", split));
  if (std::abs(alpha) + split / 2 > 1)
    return bad(fmt::format("--start alpha {} +- split/2 ({}) leaves [-1, 1]", alpha, split / 2));
  if (epochs < 1) return bad(fmt::format("--epochs {} must be at least 1", epochs));
  if (!(std::isfinite(rate) && rate > 0)) return bad(fmt::format("--rate {} must be positive", rate));
  if (!(std::isfinite(split_threshold) && split_threshold > split))
    return bad(fmt::format("--split-threshold {} must be larger than --split {}", split_threshold, split));
  if (!(absolute_tolerance > 0 && relative_tolerance > 0)) return bad("integration tolerances must be positive");
  return true;
}

nlohmann::json CompareOptions::ToJson() const {
  return {{"start", {alpha, ell}}, {"split", split}, {"epochs", epochs}, {"rate", rate},
          {"split_threshold", split_threshold}, {"absolute_tolerance", absolute_tolerance},
          {"relative_tolerance", relative_tolerance},
          {"perturbation", "memory 1 at alpha + split/2, memory 2 at alpha - split/2, same ell"}};
}

nlohmann::json NearestFixedPoint::ToJson() const {
  if (!found) return nullptr;
  return {{"index", index}, {"alpha", alpha}, {"ell", ell}, {"distance", distance},
          {"stability", reduced::ToString(stability)}};
}

NearestFixedPoint nearest_fixed_point(const std::vector<reduced::FixedPoint>& points, double alpha, double ell) {
  NearestFixedPoint best;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double d = std::max(std::abs(points[i].alpha - alpha), std::abs(points[i].ell - ell));
    if (!best.found || d < best.distance) {
      best.found = true, best.index = int(i), best.distance = d;
      best.alpha = points[i].alpha, best.ell = points[i].ell, best.stability = points[i].stability;
    }
  }
  return best;
}

namespace {

// The reduced state at time t, linearly interpolated between samples; held
// at the last sample after the integration stopped (fixed point, chart edge).
Eigen::Vector2d state_at(const reduced::TrajectoryResult& r, double t, std::size_t& cursor) {
  if (t >= r.times.back()) return r.states.back().head<2>();
  while (cursor + 1 < r.times.size() && r.times[cursor + 1] < t) ++cursor;
  const double t0 = r.times[cursor], t1 = r.times[cursor + 1];
  const double w = t1 > t0 ? (t - t0) / (t1 - t0) : 0.0;
  return ((1 - w) * r.states[cursor] + w * r.states[cursor + 1]).head<2>();
}

}  // namespace

CompareResult compare_reduced_full(const reduced::TwoMemorySetup& setup_in, const CompareOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  reduced::TwoMemorySetup setup = setup_in;
  setup.parameters.identical_memories = 2;
  setup.parameters.Validate();
  CompareResult result;
  result.options = options;

  // The reduced flow, sampled every epoch (time = epochs x rate).
  reduced::TrajectoryOptions t;
  t.t_max = options.epochs * options.rate;
  t.output_interval = options.rate;
  t.absolute_tolerance = options.absolute_tolerance, t.relative_tolerance = options.relative_tolerance;
  result.reduced_trajectory = reduced::integrate_two_memory(setup.parameters, options.alpha, options.ell, t);
  result.reduced_seconds = result.reduced_trajectory.seconds;

  // The full network, two memories.
  const auto begin = std::chrono::steady_clock::now();
  FullPair full(setup, options.rate);
  full.set_memory(0, options.alpha + options.split / 2, options.ell);
  full.set_memory(1, options.alpha - options.split / 2, options.ell);
  const int s = setup.parameters.chart;
  std::size_t cursor = 0;
  result.rows.reserve(std::size_t(options.epochs) + 1);
  for (int epoch = 0; epoch <= options.epochs; ++epoch) {
    if (epoch > 0) full.step();
    const ProjectedMemory m1 = full.project(0), m2 = full.project(1);
    CompareRow row;
    row.epoch = epoch;
    row.alpha_1 = m1.alpha, row.ell_1 = m1.ell, row.alpha_2 = m2.alpha, row.ell_2 = m2.ell;
    row.alpha_full = (m1.alpha + m2.alpha) / 2, row.ell_full = (m1.ell + m2.ell) / 2;
    row.split = std::abs(m1.alpha - m2.alpha);
    for (const auto& m : {m1, m2})
      row.off_model = std::max({row.off_model, std::abs(m.label_asymmetry), m.gamma_offset, std::abs(m.norm_offset),
                                std::abs(m.alpha_B - s * (1 - std::abs(m.alpha)))});
    const Eigen::Vector2d r = state_at(result.reduced_trajectory, epoch * options.rate, cursor);
    row.alpha_reduced = r(0), row.ell_reduced = r(1);
    result.max_split = std::max(result.max_split, row.split);
    if (result.split_epoch < 0 && row.split >= options.split_threshold) result.split_epoch = epoch;
    if (result.split_epoch < 0) {
      const double da = std::abs(row.alpha_full - row.alpha_reduced), dl = std::abs(row.ell_full - row.ell_reduced);
      if (da > result.max_deviation_alpha) result.max_deviation_alpha = da, result.max_deviation_alpha_epoch = epoch;
      if (dl > result.max_deviation_ell) result.max_deviation_ell = dl, result.max_deviation_ell_epoch = epoch;
      result.max_off_model = std::max(result.max_off_model, row.off_model);
    }
    result.rows.push_back(row);
  }
  result.full_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

  result.fixed_points = reduced::find_fixed_points(setup.parameters);
  const auto& points = result.fixed_points.fixed_points;
  const CompareRow& last = result.rows.back();
  result.full_end = nearest_fixed_point(points, last.alpha_full, last.ell_full);
  result.full_end_1 = nearest_fixed_point(points, last.alpha_1, last.ell_1);
  result.full_end_2 = nearest_fixed_point(points, last.alpha_2, last.ell_2);
  result.reduced_end = nearest_fixed_point(points, last.alpha_reduced, last.ell_reduced);
  return result;
}

ComparePortrait compare_portrait(const reduced::TwoMemorySetup& setup, const CompareResult& result) {
  ComparePortrait p{setup, {}, {}};
  p.setup.parameters.identical_memories = 2;
  double lo = 0, hi = 1;
  for (const auto& r : result.rows) {
    p.full.times.push_back(r.epoch * result.options.rate);
    p.full.states.push_back((Eigen::VectorXd(4) << r.alpha_1, r.ell_1, r.alpha_2, r.ell_2).finished());
    lo = std::min({lo, r.alpha_1, r.alpha_2, r.alpha_reduced});
    hi = std::max({hi, r.alpha_1, r.alpha_2, r.alpha_reduced});
  }
  p.options.alpha_min = std::max(-1.0, lo - 0.05), p.options.alpha_max = std::min(1.0, hi + 0.05);
  p.options.flow_starts = 0;
  return p;
}

namespace {
std::string describe(const NearestFixedPoint& f) {
  if (!f.found) return "no fixed point";
  return fmt::format("{} point #{} ({:.4f}, {:.4f}) at distance {:.2g}", reduced::ToString(f.stability), f.index,
                     f.alpha, f.ell, f.distance);
}
}  // namespace

std::string CompareResult::BriefReport() const {
  const CompareRow& last = rows.back();
  std::string s = fmt::format(
      "compare: {} epochs, rate {}; before the split max |d alpha| = {:.3g} (epoch {}), max |d ell| = {:.3g} (epoch {})\n",
      options.epochs, options.rate, max_deviation_alpha, max_deviation_alpha_epoch, max_deviation_ell,
      max_deviation_ell_epoch);
  s += split_epoch >= 0 ? fmt::format("  split (|alpha_1 - alpha_2| >= {}) at epoch {}; max split {:.3g}\n",
                                      options.split_threshold, split_epoch, max_split)
                        : fmt::format("  no split (|alpha_1 - alpha_2| < {} throughout; max {:.3g})\n",
                                      options.split_threshold, max_split);
  s += fmt::format("  full ends at ({:.4f}, {:.4f}) [memories ({:.4f}, {:.4f}) and ({:.4f}, {:.4f})]: nearest {}\n",
                   last.alpha_full, last.ell_full, last.alpha_1, last.ell_1, last.alpha_2, last.ell_2,
                   describe(full_end));
  s += fmt::format("  reduced ends at ({:.4f}, {:.4f}) ({}): nearest {}\n", last.alpha_reduced, last.ell_reduced,
                   reduced::ToString(reduced_trajectory.termination), describe(reduced_end));
  s += fmt::format("  full network off the reduced model (before the split): {:.2g}; {:.2f} s full, {:.2f} s reduced",
                   max_off_model, full_seconds, reduced_seconds);
  return s;
}

nlohmann::json CompareResult::ToJson() const {
  const CompareRow& last = rows.back();
  nlohmann::json j = {{"max_deviation_alpha", max_deviation_alpha},
                      {"max_deviation_alpha_epoch", max_deviation_alpha_epoch},
                      {"max_deviation_ell", max_deviation_ell},
                      {"max_deviation_ell_epoch", max_deviation_ell_epoch},
                      {"split_epoch", split_epoch >= 0 ? nlohmann::json(split_epoch) : nlohmann::json(nullptr)},
                      {"split_criterion", fmt::format("|alpha_1 - alpha_2| >= {}", options.split_threshold)},
                      {"max_split", max_split},
                      {"max_off_model", max_off_model},
                      {"full_final", {{"alpha", last.alpha_full}, {"ell", last.ell_full},
                                      {"memory_1", {last.alpha_1, last.ell_1}}, {"memory_2", {last.alpha_2, last.ell_2}}}},
                      {"reduced_final", {{"alpha", last.alpha_reduced}, {"ell", last.ell_reduced},
                                         {"termination", reduced::ToString(reduced_trajectory.termination)}}},
                      {"full_nearest_fixed_point", full_end.ToJson()},
                      {"memory_1_nearest_fixed_point", full_end_1.ToJson()},
                      {"memory_2_nearest_fixed_point", full_end_2.ToJson()},
                      {"reduced_nearest_fixed_point", reduced_end.ToJson()},
                      {"fixed_points", fixed_points.ToJson()},
                      {"full_seconds", full_seconds},
                      {"reduced_seconds", reduced_seconds}};
  return j;
}

}  // namespace waddington::compare
