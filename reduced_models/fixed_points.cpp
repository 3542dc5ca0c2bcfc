#include "reduced_models/fixed_points.hpp"

#include <ceres/jet.h>
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <limits>

#include "lib/errors.hpp"
#include "reduced_models/k_memory.hpp"
#include "reduced_models/marching_squares.hpp"

namespace waddington::reduced {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

template <class E>
bool from_string(const std::string& text, E* out, std::initializer_list<E> values) {
  for (E v : values)
    if (text == ToString(v)) return *out = v, true;
  return false;
}

// Per-alpha quantities of the numerator grid (everything that does not depend on ell).
struct AlphaColumn {
  double alpha = 0, one_minus_abs = 0;
  bool a_on = false, b_on = false;
  double lxA = 0, lxB = 0, xAn = 0, xBn = 0, lpgA = 0, lpgB = 0;
};

AlphaColumn alpha_column(const TwoMemoryParameters& p, double alpha, double log_t_eff, double m) {
  AlphaColumn c;
  c.alpha = alpha;
  c.one_minus_abs = 1.0 - std::abs(alpha);
  const double alpha_B = p.chart * c.one_minus_abs;
  const auto a = detail::overlap(alpha * p.AA + alpha_B * p.AB, log_t_eff, p.n);
  const auto b = detail::overlap(alpha * p.AB + alpha_B * p.BB, log_t_eff, p.n);
  c.a_on = a.positive, c.b_on = b.positive;
  c.lxA = a.log_x, c.lxB = b.log_x, c.xAn = a.x_pow_n, c.xBn = b.x_pow_n;
  if (c.a_on) c.lpgA = detail::log_p(c.xAn, m);
  if (c.b_on) c.lpgB = detail::log_p(c.xBn, m);
  return c;
}

// F_1, F_2 at (column, ell), each divided by the largest of its terms (same
// signs and zero sets as numerator_residual; MODEL.md 2 in log space).
void numerator_at(const TwoMemoryParameters& p, const AlphaColumn& c, double ell, double m, double log_w,
                  double* F1, double* F2) {
  const double nm1 = p.n - 1.0;
  const double lpuA = c.a_on ? detail::log_p(ell * c.xAn, m) : 0.0;
  const double lpuB = c.b_on ? (p.same_class ? detail::log_p(ell * c.xBn, m) : detail::log_q(ell * c.xBn, m)) : 0.0;
  const bool has_w = std::isfinite(log_w);
  const double L[4] = {lpuA + nm1 * c.lxA, log_w + c.lpgA + nm1 * c.lxA, lpuB + nm1 * c.lxB, log_w + c.lpgB + nm1 * c.lxB};
  const bool on[4] = {c.a_on, c.a_on && has_w, c.b_on, c.b_on && has_w};
  double top = -kInf;
  for (int i = 0; i < 4; ++i)
    if (on[i]) top = std::max(top, L[i]);
  const double sign_b = p.same_class ? 1.0 : -1.0;
  const double DA = c.a_on ? ell * std::exp(L[0] - top) + (has_w ? std::exp(L[1] - top) : 0.0) : 0.0;
  const double DB = c.b_on ? sign_b * ell * std::exp(L[2] - top) + (has_w ? std::exp(L[3] - top) : 0.0) : 0.0;
  *F1 = DA * c.one_minus_abs - p.chart * c.alpha * DB;
  const double la = lpuA + p.n * c.lxA, lb = lpuB + p.n * c.lxB;
  if (c.a_on && c.b_on) {
    const double t = std::max(la, lb);
    *F2 = std::exp(la - t) + sign_b * std::exp(lb - t);
  } else {
    *F2 = c.a_on ? 1.0 : sign_b;
  }
}

struct NewtonResult {
  bool converged = false;
  double alpha = 0, ell = 0, residual = kInf;
  int iterations = 0;
};

double velocity_residual(const TwoMemoryParameters& p, double alpha, double ell) {
  return flow_velocity(p, alpha, ell, p.n, p.T, false).cwiseAbs().maxCoeff();
}

// The numerator residual relative to the size of its terms (two_memory.hpp).
double numerator_norm(const TwoMemoryParameters& p, double alpha, double ell) {
  return relative_residual(p, alpha, ell, p.n, p.T);
}

// Newton on the numerator residual (exact Jacobian via Jets), steps limited to
// `max_step`, iterates kept inside the domain. Stops when the numerator
// residual is below `tolerance` or the step stagnates at rounding level;
// accepted when the residual is at most `accept`.
NewtonResult newton(const TwoMemoryParameters& p, double alpha, double ell, double alpha_min, double alpha_max,
                    double max_step, double tolerance, int max_iterations, double accept) {
  using J = ceres::Jet<double, 2>;
  NewtonResult r;
  for (int it = 0;; ++it) {
    r.iterations = it;
    r.residual = numerator_norm(p, alpha, ell);
    if (r.residual <= tolerance || it == max_iterations) break;
    const auto F = numerator_residual(p, J(alpha, 0), J(ell, 1), J(p.n), J(p.T));
    Eigen::Matrix2d jac;
    jac << F(0).v(0), F(0).v(1), F(1).v(0), F(1).v(1);
    const double det = jac.determinant();
    if (!std::isfinite(det) || det == 0) return r;
    Eigen::Vector2d step = -jac.inverse() * Eigen::Vector2d(F(0).a, F(1).a);
    const double size = step.cwiseAbs().maxCoeff();
    if (!std::isfinite(size)) return r;
    if (size > max_step) step *= max_step / size;
    alpha = std::clamp(alpha + step(0), alpha_min, alpha_max);
    ell = std::clamp(ell + step(1), -1.0, 1.0);
    if (size < 1e-14) {  // stagnation: the residual is at rounding level
      r.residual = numerator_norm(p, alpha, ell);
      break;
    }
  }
  r.alpha = alpha, r.ell = ell;
  r.converged = r.residual <= accept && std::abs(ell) < 1.0 && !in_dead_region(p, alpha);
  return r;
}

// Root of F_1(alpha, ell_bound) in [lo, hi] (a sign change), by bisection.
double boundary_root(const TwoMemoryParameters& p, double lo, double hi, double ell_bound) {
  double flo = boundary_residual(p, lo, ell_bound, p.n, p.T);
  for (int i = 0; i < 200 && hi - lo > 4e-16 * std::max(1.0, std::abs(lo)); ++i) {
    const double mid = 0.5 * (lo + hi);
    const double fmid = boundary_residual(p, mid, ell_bound, p.n, p.T);
    if (fmid == 0) return mid;
    if ((fmid > 0) == (flo > 0)) lo = mid, flo = fmid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

void add_unique(std::vector<FixedPoint>& points, FixedPoint point, double distance) {
  for (const auto& q : points)
    if (q.kind == point.kind && std::abs(q.alpha - point.alpha) <= distance && std::abs(q.ell - point.ell) <= distance)
      return;
  points.push_back(std::move(point));
}

Stability classify(const Eigen::Vector2cd& eigenvalues) {
  const bool neg0 = eigenvalues(0).real() < 0, neg1 = eigenvalues(1).real() < 0;
  const bool pos0 = eigenvalues(0).real() > 0, pos1 = eigenvalues(1).real() > 0;
  if (neg0 && neg1) return Stability::kStable;
  if (pos0 && pos1) return Stability::kUnstable;
  return Stability::kSaddle;
}

// Eigenvalues (and vectors) sorted by decreasing real part.
void sorted_eigen(const Eigen::Matrix2d& m, Eigen::Vector2cd* values, Eigen::Matrix2cd* vectors) {
  Eigen::EigenSolver<Eigen::Matrix2d> solver(m, vectors != nullptr);
  *values = solver.eigenvalues();
  if (vectors) *vectors = solver.eigenvectors();
  if ((*values)(1).real() > (*values)(0).real()) {
    std::swap((*values)(0), (*values)(1));
    if (vectors) vectors->col(0).swap(vectors->col(1));
  }
}

nlohmann::json complex_json(const std::complex<double>& z) {
  auto number = [](double x) -> nlohmann::json {
    if (std::isfinite(x)) return x;
    return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  };
  return z.imag() == 0 ? number(z.real()) : nlohmann::json{{"re", number(z.real())}, {"im", number(z.imag())}};
}

}  // namespace

const char* ToString(Stability s) {
  switch (s) {
    case Stability::kStable: return "stable";
    case Stability::kUnstable: return "unstable";
    case Stability::kSaddle: return "saddle";
  }
  return "?";
}
bool FromString(const std::string& text, Stability* s) {
  return from_string(text, s, {Stability::kStable, Stability::kUnstable, Stability::kSaddle});
}
const char* ToString(FixedPointKind k) { return k == FixedPointKind::kInterior ? "interior" : "boundary"; }
bool FromString(const std::string& text, FixedPointKind* k) {
  return from_string(text, k, {FixedPointKind::kInterior, FixedPointKind::kBoundary});
}

double FixedPoint::leading_eigenvalue() const { return eigenvalues(0).real(); }

nlohmann::json FixedPoint::ToJson() const {
  nlohmann::json j = {{"alpha", alpha}, {"alpha_B", alpha_B}, {"ell", ell}, {"chart", chart},
                      {"kind", ToString(kind)}, {"stability", ToString(stability)}, {"residual", residual}, {"speed", speed},
                      {"newton_iterations", newton_iterations},
                      {"jacobian", {{jacobian(0, 0), jacobian(0, 1)}, {jacobian(1, 0), jacobian(1, 1)}}},
                      {"eigenvalues", {complex_json(eigenvalues(0)), complex_json(eigenvalues(1))}}};
  if (kind == FixedPointKind::kInterior) {
    auto& vectors = j["eigenvectors"] = nlohmann::json::array();
    for (int c = 0; c < 2; ++c)
      vectors.push_back({complex_json(eigenvectors(0, c)), complex_json(eigenvectors(1, c))});
  }
  if (has_antisymmetric)
    j["antisymmetric_eigenvalues"] = {complex_json(antisymmetric_eigenvalues(0)),
                                      complex_json(antisymmetric_eigenvalues(1))};
  return j;
}

// ---------------------------------------------------------------------------
// Dead region

namespace {
// The t in [0,1] where c0 + c1 t <= 0, as [lo, hi] (empty if lo > hi).
std::pair<double, double> nonpositive_interval(double c0, double c1) {
  if (c1 == 0) return c0 <= 0 ? std::pair{0.0, 1.0} : std::pair{1.0, 0.0};
  const double root = -c0 / c1;
  return c1 > 0 ? std::pair{0.0, std::min(1.0, root)} : std::pair{std::max(0.0, root), 1.0};
}
}  // namespace

std::vector<DeadRegion> dead_regions(const TwoMemoryParameters& p, double alpha_min, double alpha_max) {
  std::vector<DeadRegion> out;
  const double s = p.chart;
  for (double sigma : {-1.0, 1.0}) {
    // alpha = sigma t: dotA = s AB + t (sigma AA - s AB), dotB = s BB + t (sigma AB - s BB).
    const auto [a_lo, a_hi] = nonpositive_interval(s * p.AB, sigma * p.AA - s * p.AB);
    const auto [b_lo, b_hi] = nonpositive_interval(s * p.BB, sigma * p.AB - s * p.BB);
    const double lo = std::max(a_lo, b_lo), hi = std::min(a_hi, b_hi);
    if (lo > hi) continue;
    double x0 = sigma * lo, x1 = sigma * hi;
    if (x0 > x1) std::swap(x0, x1);
    x0 = std::max(x0, alpha_min), x1 = std::min(x1, alpha_max);
    if (x0 > x1) continue;
    if (!out.empty() && std::abs(out.back().alpha_max - x0) < 1e-15) out.back().alpha_max = x1;
    else out.push_back({x0, x1, p.chart});
  }
  return out;
}

bool in_dead_region(const TwoMemoryParameters& p, double alpha) {
  const double alpha_B = chart_alpha_B(p.chart, alpha);
  return !(alpha * p.AA + alpha_B * p.AB > 0) && !(alpha * p.AB + alpha_B * p.BB > 0);
}

// ---------------------------------------------------------------------------
// Analysis of one equilibrium

Eigen::Matrix2d flow_jacobian(const TwoMemoryParameters& p, double alpha, double ell) {
  using J = ceres::Jet<double, 2>;
  const auto v = flow_velocity(p, J(alpha, 0), J(ell, 1), J(p.n), J(p.T), false);
  Eigen::Matrix2d jac;
  jac << v(0).v(0), v(0).v(1), v(1).v(0), v(1).v(1);
  return jac;
}

FixedPoint analyse_fixed_point(const TwoMemoryParameters& p, double alpha, double ell, FixedPointKind kind,
                               bool splitting) {
  FixedPoint fp;
  fp.kind = kind;
  fp.chart = p.chart;
  fp.alpha = alpha;
  fp.alpha_B = chart_alpha_B(p.chart, alpha);
  fp.ell = kind == FixedPointKind::kBoundary ? (ell > 0 ? 1.0 : -1.0) : ell;
  fp.jacobian = flow_jacobian(p, alpha, fp.ell);
  if (kind == FixedPointKind::kInterior) {
    fp.residual = numerator_norm(p, alpha, fp.ell);
    fp.speed = velocity_residual(p, alpha, fp.ell);
    sorted_eigen(fp.jacobian, &fp.eigenvalues, &fp.eigenvectors);
    fp.stability = classify(fp.eigenvalues);
    if (splitting && p.identical_memories == 2) {
      fp.has_antisymmetric = true;
      sorted_eigen(antisymmetric_jacobian(p, alpha, fp.ell), &fp.antisymmetric_eigenvalues, nullptr);
    }
  } else {
    // Along the bound only alpha moves; the clipped label is held in finite time.
    const Drives<double> d = two_memory_drives(p, alpha, fp.alpha_B, fp.ell, p.n, p.T);
    const double size = d.A_terms * (1 - std::abs(alpha)) + std::abs(alpha) * d.B_terms;
    fp.residual = size > 0 ? std::abs(boundary_residual(p, alpha, fp.ell, p.n, p.T)) / size : 0.0;
    fp.speed = std::abs(flow_velocity(p, alpha, fp.ell, p.n, p.T, false)(0));
    fp.jacobian.row(1).setZero();
    fp.eigenvalues << fp.jacobian(0, 0), -kInf;
    fp.eigenvectors = Eigen::Matrix2cd::Identity();
    fp.stability = fp.jacobian(0, 0) < 0 ? Stability::kStable : Stability::kSaddle;
  }
  return fp;
}

// ---------------------------------------------------------------------------
// The numerator grid (fast path)

NumeratorGrid evaluate_numerator_grid(const TwoMemoryParameters& p, double alpha_min, double alpha_max,
                                      int alpha_cells, int ell_cells) {
  NumeratorGrid g;
  g.alpha = Eigen::VectorXd::LinSpaced(alpha_cells + 1, alpha_min, alpha_max);
  g.ell = Eigen::VectorXd::LinSpaced(ell_cells + 1, -1.0, 1.0);
  g.F1.resize(alpha_cells + 1, ell_cells + 1);
  g.F2.resize(alpha_cells + 1, ell_cells + 1);
  g.dead.resize(alpha_cells + 1, ell_cells + 1);
  const double m = p.cost_power();
  const double log_t_eff = std::log(p.effective_temperature());
  const double w = gamma_weight(p);
  const double log_w = w > 0 ? std::log(w) : -kInf;
  for (int i = 0; i <= alpha_cells; ++i) {
    const AlphaColumn c = alpha_column(p, g.alpha(i), log_t_eff, m);
    const bool dead = !c.a_on && !c.b_on;
    for (int j = 0; j <= ell_cells; ++j) {
      g.dead(i, j) = dead;
      if (dead) g.F1(i, j) = g.F2(i, j) = 0;
      else numerator_at(p, c, g.ell(j), m, log_w, &g.F1(i, j), &g.F2(i, j));
    }
  }
  return g;
}

// ---------------------------------------------------------------------------
// Options

bool FixedPointOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max))
    return fail(fmt::format("alpha range [{}, {}] must be an interval inside [-1, 1]", alpha_min, alpha_max));
  if (seed_alpha_cells < 2 || seed_ell_cells < 2 || seed_alpha_cells > 100000 || seed_ell_cells > 100000)
    return fail(fmt::format("seed grid {}x{} must have 2..100000 cells per axis", seed_alpha_cells, seed_ell_cells));
  if (!(tolerance > 0 && tolerance < 1e-6)) return fail(fmt::format("tolerance {} must be in (0, 1e-6)", tolerance));
  if (!(accept_residual >= tolerance && accept_residual < 1e-3))
    return fail(fmt::format("accept_residual {} must be in [tolerance, 1e-3)", accept_residual));
  if (max_iterations < 1) return fail("max_iterations must be >= 1");
  if (!(duplicate_distance > 0)) return fail("duplicate_distance must be positive");
  return true;
}

bool GridFinderOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max))
    return fail(fmt::format("alpha range [{}, {}] must be an interval inside [-1, 1]", alpha_min, alpha_max));
  if (alpha_cells < 2 || ell_cells < 2 || double(alpha_cells) * ell_cells > 1e8)
    return fail(fmt::format("grid {}x{} must have >= 2 cells per axis and at most 1e8 cells", alpha_cells, ell_cells));
  return true;
}

// ---------------------------------------------------------------------------
// The solver

namespace {

void interior_points(const TwoMemoryParameters& p, const FixedPointOptions& o, const NumeratorGrid& g,
                     FixedPointSummary& s) {
  const double da = (o.alpha_max - o.alpha_min) / o.seed_alpha_cells, dl = 2.0 / o.seed_ell_cells;
  for (int i = 0; i < o.seed_alpha_cells; ++i)
    for (int j = 0; j < o.seed_ell_cells; ++j) {
      if (g.dead(i, j) || g.dead(i + 1, j) || g.dead(i, j + 1) || g.dead(i + 1, j + 1)) continue;
      const auto F1 = g.F1.block<2, 2>(i, j), F2 = g.F2.block<2, 2>(i, j);
      if (!(F1.minCoeff() <= 0 && F1.maxCoeff() >= 0 && F2.minCoeff() <= 0 && F2.maxCoeff() >= 0)) continue;
      ++s.seeds;
      const NewtonResult r = newton(p, g.alpha(i) + 0.5 * da, g.ell(j) + 0.5 * dl, o.alpha_min, o.alpha_max,
                                    2 * std::max(da, dl), o.tolerance, o.max_iterations, o.accept_residual);
      if (!r.converged) {
        ++s.newton_failures;
        continue;
      }
      FixedPoint fp = analyse_fixed_point(p, r.alpha, r.ell, FixedPointKind::kInterior, o.splitting);
      fp.newton_iterations = r.iterations;
      add_unique(s.fixed_points, std::move(fp), o.duplicate_distance);
    }
}

void boundary_points(const TwoMemoryParameters& p, const FixedPointOptions& o, const NumeratorGrid& g,
                     FixedPointSummary& s) {
  for (int j : {0, int(g.ell.size()) - 1}) {
    const double bound = g.ell(j);
    for (int i = 0; i < o.seed_alpha_cells; ++i) {
      if (g.dead(i, j) || g.dead(i + 1, j)) continue;
      const double f0 = g.F1(i, j), f1 = g.F1(i + 1, j);
      if ((f0 > 0) == (f1 > 0) && f0 != 0) continue;
      ++s.seeds;
      const double alpha = f0 == 0 ? g.alpha(i) : boundary_root(p, g.alpha(i), g.alpha(i + 1), bound);
      if (!(boundary_outward_drive(p, alpha, bound, p.n, p.T) > 0)) continue;
      FixedPoint fp = analyse_fixed_point(p, alpha, bound, FixedPointKind::kBoundary, false);
      if (!(fp.residual <= o.accept_residual)) {  // a jump of F_1, not a root
        ++s.newton_failures;
        continue;
      }
      add_unique(s.fixed_points, std::move(fp), o.duplicate_distance);
    }
  }
}

}  // namespace

FixedPointSummary find_fixed_points(const TwoMemoryParameters& p, const FixedPointOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const auto start = std::chrono::steady_clock::now();
  FixedPointSummary s;
  s.run = true;
  s.parameters = p;
  s.dead_regions = dead_regions(p, o.alpha_min, o.alpha_max);
  const NumeratorGrid g = evaluate_numerator_grid(p, o.alpha_min, o.alpha_max, o.seed_alpha_cells, o.seed_ell_cells);
  interior_points(p, o, g, s);
  if (o.boundary) boundary_points(p, o, g, s);
  std::sort(s.fixed_points.begin(), s.fixed_points.end(), [](const FixedPoint& a, const FixedPoint& b) {
    return std::tie(a.kind, a.alpha, a.ell) < std::tie(b.kind, b.alpha, b.ell);
  });
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

int FixedPointSummary::count(Stability st) const {
  return int(std::count_if(fixed_points.begin(), fixed_points.end(), [st](const auto& f) { return f.stability == st; }));
}

std::string FixedPointSummary::BriefReport() const {
  if (!run) return "fixed points: not run";
  const auto& p = parameters;
  std::string text = fmt::format("n={:g} T={:g} (T_eff={:.4g}, T_r={:.4g}) chart {:+d}: {} fixed point{} ({} stable, {} "
                                 "unstable, {} saddle)",
                                 p.n, p.T, p.effective_temperature(), p.rescaled_temperature(), p.chart,
                                 fixed_points.size(), fixed_points.size() == 1 ? "" : "s", count(Stability::kStable),
                                 count(Stability::kUnstable), count(Stability::kSaddle));
  for (const auto& d : dead_regions) text += fmt::format("; dead region alpha in [{:.4g}, {:.4g}]", d.alpha_min, d.alpha_max);
  return text;
}

nlohmann::json FixedPointSummary::ToJson() const {
  const auto& p = parameters;
  nlohmann::json j = {{"brief", BriefReport()}, {"seeds", seeds}, {"newton_failures", newton_failures},
                      {"seconds", seconds}, {"T_eff", p.effective_temperature()}, {"T_r", p.rescaled_temperature()},
                      {"stable", count(Stability::kStable)}, {"unstable", count(Stability::kUnstable)},
                      {"saddle", count(Stability::kSaddle)}};
  auto& points = j["fixed_points"] = nlohmann::json::array();
  for (const auto& f : fixed_points) points.push_back(f.ToJson());
  auto& dead = j["dead_regions"] = nlohmann::json::array();
  for (const auto& d : dead_regions) dead.push_back({{"alpha_min", d.alpha_min}, {"alpha_max", d.alpha_max}, {"chart", d.chart}});
  return j;
}

// ---------------------------------------------------------------------------
// Brute force

std::vector<GridCandidate> grid_fixed_points(const TwoMemoryParameters& p, const GridFinderOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const NumeratorGrid g = evaluate_numerator_grid(p, o.alpha_min, o.alpha_max, o.alpha_cells, o.ell_cells);
  const double da = (o.alpha_max - o.alpha_min) / o.alpha_cells, dl = 2.0 / o.ell_cells;
  std::vector<GridCandidate> out;
  std::array<detail::CellSegment, 2> s1, s2;
  for (int i = 0; i < o.alpha_cells; ++i)
    for (int j = 0; j < o.ell_cells; ++j) {
      if (g.dead(i, j) || g.dead(i + 1, j) || g.dead(i, j + 1) || g.dead(i + 1, j + 1)) continue;
      const int n1 = detail::cell_segments(g.F1(i, j), g.F1(i + 1, j), g.F1(i + 1, j + 1), g.F1(i, j + 1), s1);
      if (n1 == 0) continue;
      const int n2 = detail::cell_segments(g.F2(i, j), g.F2(i + 1, j), g.F2(i + 1, j + 1), g.F2(i, j + 1), s2);
      bool crossing = false;
      for (int a = 0; a < n1 && !crossing; ++a)
        for (int b = 0; b < n2 && !crossing; ++b)
          crossing = detail::segments_intersect(s1[a].a, s1[a].b, s2[b].a, s2[b].b);
      if (!crossing) continue;
      GridCandidate c;
      c.cell_alpha = c.alpha = g.alpha(i) + 0.5 * da;
      c.cell_ell = c.ell = g.ell(j) + 0.5 * dl;
      if (o.refine) {
        const NewtonResult r = newton(p, c.alpha, c.ell, o.alpha_min, o.alpha_max, std::max(da, dl), 1e-13, 40, 1e-10);
        if (r.converged && std::abs(r.alpha - c.alpha) <= 2 * da && std::abs(r.ell - c.ell) <= 2 * dl) {
          c.alpha = r.alpha, c.ell = r.ell, c.refined = true;
          const bool duplicate = std::any_of(out.begin(), out.end(), [&](const GridCandidate& q) {
            return q.refined && std::abs(q.alpha - c.alpha) < 1e-8 && std::abs(q.ell - c.ell) < 1e-8;
          });
          if (duplicate) continue;
        }
      }
      c.residual = numerator_norm(p, c.alpha, c.ell);
      out.push_back(c);
    }
  return out;
}

}  // namespace waddington::reduced
