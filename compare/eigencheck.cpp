#include "compare/eigencheck.hpp"

#include <ceres/ceres.h>
#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <chrono>
#include <cmath>

#include "compare/full_pair.hpp"
#include "lib/errors.hpp"
#include "reduced_models/k_memory.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::compare {

bool EigencheckOptions::IsValid(std::string* why) const {
  auto bad = [why](std::string s) { if (why) *why = std::move(s); return false; };
  if (!(distance > 0 && distance < 0.1)) return bad(fmt::format("--distance {} must be in (0, 0.1)", distance));
  if (!(full_distance > 0 && full_distance < 0.1))
    return bad(fmt::format("--full-distance {} must be in (0, 0.1)", full_distance));
  if (!(window_decades > 0 && window_decades <= 20)) return bad(fmt::format("--window {} must be in (0, 20]", window_decades));
  if (fit_samples < 5) return bad(fmt::format("--fit-samples {} must be at least 5", fit_samples));
  if (!(rate > 0 && std::isfinite(rate))) return bad(fmt::format("--rate {} must be positive", rate));
  if (max_full_epochs < 1) return bad(fmt::format("--max-full-epochs {} must be at least 1", max_full_epochs));
  if (!(absolute_tolerance > 0 && relative_tolerance > 0)) return bad("integration tolerances must be positive");
  return true;
}

nlohmann::json EigencheckOptions::ToJson() const {
  return {{"distance", distance}, {"full_distance", full_distance}, {"window", window_decades},
          {"window_rule", "0 <= t <= window / |lambda|"}, {"fit_samples", fit_samples}, {"splitting", splitting},
          {"full", full}, {"rate", rate}, {"max_full_epochs", max_full_epochs},
          {"absolute_tolerance", absolute_tolerance}, {"relative_tolerance", relative_tolerance}};
}

namespace {

struct LogLinearResidual {
  double t, y;
  template <class S>
  bool operator()(const S* p, S* r) const {
    r[0] = S(y) - (p[0] + p[1] * S(t));
    return true;
  }
};

}  // namespace

double fit_exponential_rate(const std::vector<double>& t, const std::vector<double>& d) {
  double p[2] = {0, 0};
  bool first = true;
  ceres::Problem problem;
  int used = 0;
  for (std::size_t i = 0; i < t.size() && i < d.size(); ++i) {
    if (!(d[i] > 0) || !std::isfinite(d[i])) continue;
    if (first) p[0] = std::log(d[i]), first = false;
    problem.AddResidualBlock(new ceres::AutoDiffCostFunction<LogLinearResidual, 1, 2>(new LogLinearResidual{t[i], std::log(d[i])}),
                             nullptr, p);
    ++used;
  }
  if (used < 2) return std::numeric_limits<double>::quiet_NaN();
  ceres::Solver::Options options;
  options.linear_solver_type = ceres::DENSE_QR;
  options.logging_type = ceres::SILENT;
  options.function_tolerance = 1e-14, options.parameter_tolerance = 1e-14, options.gradient_tolerance = 1e-16;
  ceres::Solver::Summary summary;
  ceres::Solve(options, &problem, &summary);
  return p[1];
}

namespace {

// One direction to check: a start offset for memory 1 (symmetric: both
// memories; split: memory 2 gets the opposite offset).
struct Direction {
  std::string name;
  std::complex<double> eigenvalue;
  Eigen::Vector2d v;  // unit, (alpha, ell)
  bool split = false;
  bool along_bound = false;
};

std::vector<Direction> directions(const reduced::TwoMemoryParameters& p, const reduced::FixedPoint& fp, bool splitting) {
  std::vector<Direction> out;
  auto unit = [](Eigen::Vector2d v) { return v.norm() > 0 ? Eigen::Vector2d(v / v.norm()) : v; };
  if (fp.kind == reduced::FixedPointKind::kBoundary) {
    out.push_back({"v0", fp.eigenvalues(0), Eigen::Vector2d(1, 0), false, true});
    return out;
  }
  for (int i = 0; i < 2; ++i)
    out.push_back({fmt::format("v{}", i), fp.eigenvalues(i), unit(fp.eigenvectors.col(i).real()), false, false});
  if (splitting && fp.has_antisymmetric) {
    Eigen::EigenSolver<Eigen::Matrix2d> es(reduced::antisymmetric_jacobian(p, fp.alpha, fp.ell));
    for (int i = 0; i < 2; ++i)
      out.push_back({fmt::format("split{}", i), es.eigenvalues()(i), unit(es.eigenvectors().col(i).real()), true, false});
  }
  return out;
}

// Keeps at most `count` evenly spread samples.
void thin(std::vector<double>& t, std::vector<double>& d, int count) {
  if (int(t.size()) <= count) return;
  std::vector<double> t2, d2;
  const double step = double(t.size() - 1) / double(count - 1);
  for (int i = 0; i < count; ++i) {
    const std::size_t k = std::size_t(std::lround(i * step));
    t2.push_back(t[k]), d2.push_back(d[k]);
  }
  t.swap(t2), d.swap(d2);
}

}  // namespace

EigencheckResult eigencheck(const reduced::TwoMemorySetup& setup_in, const EigencheckOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  const auto begin = std::chrono::steady_clock::now();
  reduced::TwoMemorySetup setup = setup_in;
  setup.parameters.identical_memories = 2;
  setup.parameters.Validate();
  const auto& p = setup.parameters;
  EigencheckResult result;
  result.options = options;
  result.fixed_points = reduced::find_fixed_points(p);
  std::optional<FullPair> full;
  if (options.full) full.emplace(setup, options.rate);

  const auto& points = result.fixed_points.fixed_points;
  for (std::size_t index = 0; index < points.size(); ++index) {
    const reduced::FixedPoint& fp = points[index];
    const Eigen::Vector2d x_star(fp.alpha, fp.ell);
    for (const Direction& dir : directions(p, fp, options.splitting)) {
      const double lambda = dir.eigenvalue.real();
      if (!std::isfinite(lambda) || lambda == 0) continue;
      // A faster-growing mode of the same system (excited at rounding level
      // or at second order in the distance) must not take over the window.
      double fastest_growth = 0;
      for (int i = 0; i < 2; ++i) {
        fastest_growth = std::max(fastest_growth, fp.eigenvalues(i).real());
        if (dir.split && fp.has_antisymmetric)
          fastest_growth = std::max(fastest_growth, fp.antisymmetric_eigenvalues(i).real());
      }
      if (dir.along_bound) fastest_growth = 0;
      const double window = options.window_decades / std::max(std::abs(lambda), fastest_growth);
      for (int sign : {+1, -1}) {
        EigencheckRow row;
        row.point = int(index), row.alpha = fp.alpha, row.ell = fp.ell, row.stability = fp.stability;
        row.direction = dir.name + (sign > 0 ? "+" : "-");
        row.eigenvalue = lambda;
        row.window = window;
        if (dir.eigenvalue.imag() != 0) row.note = "complex eigenvalue: real part";
        // The reduced flow.
        {
          reduced::TrajectoryOptions t;
          t.t_max = window;
          t.output_interval = window / options.fit_samples;
          t.stop_speed = 0;
          t.initial_step = std::min(1e-4, window / 1000);
          t.absolute_tolerance = options.absolute_tolerance, t.relative_tolerance = options.relative_tolerance;
          const Eigen::Vector2d offset = sign * options.distance * dir.v;
          reduced::TrajectoryResult r;
          if (dir.split) {
            Eigen::VectorXd x0(4);
            x0(0) = x_star(0) + offset(0), x0(1) = x_star(1) + offset(1);
            x0(2) = x_star(0) - offset(0), x0(3) = x_star(1) - offset(1);
            r = reduced::integrate_k_memory(p, x0, t);
          } else {
            const Eigen::Vector2d x0 = x_star + offset;
            r = reduced::integrate_two_memory(p, x0(0), x0(1), t);
          }
          std::vector<double> ts, ds;
          for (std::size_t k = 0; k < r.times.size(); ++k) {
            if (!ts.empty() && r.times[k] <= ts.back()) continue;
            const Eigen::VectorXd& x = r.states[k];
            ts.push_back(r.times[k]);
            ds.push_back(dir.split ? 0.5 * (x.segment<2>(0) - x.segment<2>(2)).norm() : (x.head<2>() - x_star).norm());
          }
          EigencheckRow reduced_row = row;
          reduced_row.source = "reduced";
          reduced_row.samples = int(ts.size());
          reduced_row.fitted_rate = fit_exponential_rate(ts, ds);
          reduced_row.rel_error = std::abs(reduced_row.fitted_rate - lambda) / std::abs(lambda);
          if (r.termination == reduced::TrajectoryTermination::kLeftChart || r.termination == reduced::TrajectoryTermination::kStepLimit)
            reduced_row.note += std::string(reduced_row.note.empty() ? "" : "; ") + reduced::ToString(r.termination);
          if (std::isfinite(reduced_row.rel_error))
            result.max_rel_error_reduced = std::max(result.max_rel_error_reduced, reduced_row.rel_error);
          result.rows.push_back(reduced_row);
        }
        // The full network, two memories, projected every epoch.
        if (full) {
          const int epochs = int(std::min<double>(options.max_full_epochs, std::ceil(window / options.rate)));
          const Eigen::Vector2d offset = sign * options.full_distance * dir.v;
          const Eigen::Vector2d x1 = x_star + offset, x2 = dir.split ? Eigen::Vector2d(x_star - offset) : x1;
          full->set_memory(0, x1(0), x1(1));
          full->set_memory(1, x2(0), x2(1));
          std::vector<double> ts, ds;
          for (int epoch = 0; epoch <= epochs; ++epoch) {
            if (epoch > 0) full->step();
            const ProjectedMemory m1 = full->project(0), m2 = full->project(1);
            const Eigen::Vector2d y1(m1.alpha, m1.ell), y2(m2.alpha, m2.ell);
            ts.push_back(epoch * options.rate);
            ds.push_back(dir.split ? 0.5 * (y1 - y2).norm() : (0.5 * (y1 + y2) - x_star).norm());
          }
          thin(ts, ds, std::max(options.fit_samples, 200));
          EigencheckRow full_row = row;
          full_row.source = "full";
          full_row.window = epochs * options.rate;
          full_row.samples = int(ts.size());
          full_row.fitted_rate = fit_exponential_rate(ts, ds);
          full_row.rel_error = std::abs(full_row.fitted_rate - lambda) / std::abs(lambda);
          if (epochs < 5) full_row.note += std::string(full_row.note.empty() ? "" : "; ") + fmt::format("window {} epochs", epochs);
          if (epochs == options.max_full_epochs) full_row.note += std::string(full_row.note.empty() ? "" : "; ") + "window capped";
          if (std::isfinite(full_row.rel_error))
            result.max_rel_error_full = std::max(result.max_rel_error_full, full_row.rel_error);
          result.rows.push_back(full_row);
        }
      }
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return result;
}

std::string EigencheckResult::csv() const {
  std::string out = "point,alpha,ell,stability,direction,eigenvalue,fitted_rate,rel_error,source,window,samples,note\n";
  for (const auto& r : rows)
    out += fmt::format("{},{:.10g},{:.10g},{},{},{:.10g},{:.10g},{:.4g},{},{:.6g},{},\"{}\"\n", r.point, r.alpha, r.ell,
                       reduced::ToString(r.stability), r.direction, r.eigenvalue, r.fitted_rate, r.rel_error, r.source,
                       r.window, r.samples, r.note);
  return out;
}

std::string EigencheckResult::table() const {
  std::string out = fixed_points.BriefReport() + "\n";
  out += fmt::format("{:>5} {:>9} {:>9} {:>8} {:>9} {:>13} {:>13} {:>10} {:>8}  {}\n", "point", "alpha", "ell",
                     "stab", "dir", "eigenvalue", "fitted", "rel_err", "source", "note");
  for (const auto& r : rows)
    out += fmt::format("{:>5} {:>9.5f} {:>9.5f} {:>8} {:>9} {:>13.6g} {:>13.6g} {:>10.3g} {:>8}  {}\n", r.point, r.alpha,
                       r.ell, reduced::ToString(r.stability), r.direction, r.eigenvalue, r.fitted_rate, r.rel_error,
                       r.source, r.note);
  out += fmt::format("max rel error: reduced {:.3g}", max_rel_error_reduced);
  if (options.full) out += fmt::format(", full {:.3g}", max_rel_error_full);
  return out;
}

nlohmann::json EigencheckResult::ToJson() const {
  return {{"max_rel_error_reduced", max_rel_error_reduced},
          {"max_rel_error_full", options.full ? nlohmann::json(max_rel_error_full) : nlohmann::json(nullptr)},
          {"rows", rows.size()},
          {"fixed_points", fixed_points.ToJson()},
          {"seconds", seconds}};
}

}  // namespace waddington::compare
