#include "reduced_models/fixed_points.hpp"

#include <ceres/jet.h>
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <limits>
#include <unordered_map>

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
// signs and zero sets as numerator_residual; docs/model.md §2 in log space).
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

// Root of F_1(alpha, ell_bound) in [lo, hi] (a sign change): regula falsi with
// the Illinois modification, bisecting when it stalls; converges to a jump of
// F_1 as well (the caller checks the residual).
double boundary_root(const TwoMemoryParameters& p, double lo, double hi, double ell_bound) {
  double flo = boundary_residual(p, lo, ell_bound, p.n, p.T), fhi = boundary_residual(p, hi, ell_bound, p.n, p.T);
  if (flo == 0) return lo;
  if (fhi == 0) return hi;
  int side = 0;
  for (int i = 0; i < 200 && hi - lo > 4e-16 * std::max(1.0, std::abs(lo)); ++i) {
    double x = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(x > lo && x < hi) || i % 8 == 7) x = 0.5 * (lo + hi);
    const double fx = boundary_residual(p, x, ell_bound, p.n, p.T);
    if (fx == 0) return x;
    if ((fx > 0) == (flo > 0)) {
      lo = x, flo = fx;
      if (side == -1) fhi *= 0.5;
      side = -1;
    } else {
      hi = x, fhi = fx;
      if (side == +1) flo *= 0.5;
      side = +1;
    }
  }
  return std::abs(flo) < std::abs(fhi) ? lo : hi;
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
//
// Near ell = 0 the label terms P(tanh(ell x^n)) change on the scale
// 1/(4 m x^n): ~1e-2 at n = 45, T = 635, below 1e-40 at n = 100, T_r = 0.3.
// Beyond that inner layer they are exponentials of ell, and inside it the
// gamma terms of F_1 put the saddle at |ell| ~ w P(tanh x^n), smaller still. A
// seed grid uniform in ell (48 x 32 cells) steps over the layer: at n = 45,
// T = 635 all three equilibria sit within |ell| < 0.016, Newton from the cell
// centres (ell = +-0.031) fails on the saturating F_2 or converges to the
// saddle, and the two stable points are missed. So:
//  * the seed grid is uniform in zeta with, per alpha,
//        ell = sinh(Lambda zeta) / kappa,  kappa = 1 + 4 m (xA^n + xB^n)
//    up to |ell| = 1/4, then linear up to ell = +-1 at zeta = +-1: linear across
//    the inner layer |ell| < 1/kappa, geometric (ratio e^kZetaRatio per cell) beyond it;
//  * the alpha nodes include alpha = 0 and the zeros of the overlaps (corners
//    of the flow) and are refined where log(4 m xA^n), log(4 m xB^n) or
//    log(xB^n / xA^n) change fast;
//  * the grid holds F_1 as d = log(positive terms) - log(negative terms) and
//    F_2 as R2 = log(P(uA) xA^n) - log(Q(uB) xB^n) (same signs, close to linear);
//  * a cell where both change sign is a seed; the nullclines cross in it if
//    one numerator changes sign between the ends of the other's zero set on
//    the cell edges (located by regula falsi, shared between cells): robust
//    where they run nearly parallel, where intersecting interpolated segments
//    is not. Newton starts there (in (alpha, ell kappa(alpha)), on N or d for
//    F_1, whichever is linear in ell there, and R2), confined to the cell
//    grown by one cell each way; if it fails, the cell is split in four and
//    the sub-cells where both still change sign are treated the same way (to
//    kPruneDepth without a detected crossing, kMaxDepth with one);
//  * the alpha steps start small next to a zero of an overlap, where x^n
//    changes by orders of magnitude, and the ell map turns linear beyond
//    |ell| = 1/4 (its cells do not keep growing towards ell = +-1, where
//    nullclines at low n are ordinary curves).
// Roots are de-duplicated before their (eigen-)analysis.

namespace {

// Resolution of the seed grid.
constexpr double kZetaRatio = 1.0;    // Lambda dzeta: log of the geometric ell ratio per zeta cell
constexpr double kAlphaDelta = 1.5;   // change of log(4 m xA^n), log(4 m xB^n) per alpha cell, over 1 + |value|/2
constexpr double kAlphaDeltaV = 0.5;  // the same for log(xB^n / xA^n)
constexpr int kMaxDepth = 40;         // cell splits below a seed cell
constexpr int kPruneDepth = 6;        // splits without a detected crossing, below a cell with one
constexpr int kSplitBudget = 256;     // splits below one seed cell at most
constexpr double kEllLinear = 0.25;   // the ell map is linear beyond this |ell|

// Everything of one alpha that does not depend on ell (templated for Jets).
template <class S>
struct ColumnLogs {
  bool a_on = false, b_on = false;
  S lxA{0}, lxB{0}, xAn{0}, xBn{0}, lpgA{0}, lpgB{0}, one_minus_abs{0}, s_alpha{0};
};

template <class S>
ColumnLogs<S> column_logs(const TwoMemoryParameters& p, const S& alpha, double m, double log_t_eff) {
  using detail::abs;
  ColumnLogs<S> c;
  const S alpha_B = chart_alpha_B(p.chart, alpha);
  const auto a = detail::overlap(S(alpha * p.AA + alpha_B * p.AB), S(log_t_eff), S(p.n));
  const auto b = detail::overlap(S(alpha * p.AB + alpha_B * p.BB), S(log_t_eff), S(p.n));
  c.a_on = a.positive, c.b_on = b.positive;
  c.lxA = a.log_x, c.lxB = b.log_x, c.xAn = a.x_pow_n, c.xBn = b.x_pow_n;
  if (c.a_on) c.lpgA = detail::log_p(c.xAn, S(m));
  if (c.b_on) c.lpgB = detail::log_p(c.xBn, S(m));
  c.one_minus_abs = S(1.0) - abs(alpha);
  c.s_alpha = S(double(p.chart)) * alpha;
  return c;
}

// The numerators at (column, ell) in the forms the solver uses (same zero sets
// as numerator_residual, docs/model.md §2 in log space):
//  F1 = D_A (1-|alpha|) - s alpha D_B is a sum of four terms
//  (ell P(uA), w P(gA), ell Q(uB), w P(gB), times positive factors);
//  N = F1 / (largest term without its ell factor), as numerator_residual: linear
//      in ell across the inner layer (where the ell terms balance the gamma terms);
//  d = log(positive terms) - log(negative terms): linear in ell where an ell
//      term beyond the inner layer (an exponential of ell) is among the largest;
//  R2 = log(P(uA) xA^n) - log(Q(uB) xB^n): F_2 as a log-ratio, close to linear in ell.
template <class S>
struct Numerators {
  S N{0}, d{0}, R2{0};
  bool has_pos = false, has_neg = false;
  // Newton should use d rather than N: the largest positive or negative term
  // carries ell and is beyond the inner layer (|ell dL/dell| > 1: an
  // exponential of ell, linear in d). Otherwise every large term is linear in
  // ell or constant, and so is N.
  bool log_form = false;
};

template <class S>
Numerators<S> numerators(const TwoMemoryParameters& p, const ColumnLogs<S>& c, const S& ell, double m, double log_w) {
  using detail::abs;
  using detail::exp;
  using detail::log;
  Numerators<S> r;
  const bool has_w = std::isfinite(log_w);
  const double sign_b = p.same_class ? 1.0 : -1.0;
  const S nm1(p.n - 1.0);
  S lpuA(0), lpuB(0);
  if (c.a_on) lpuA = detail::log_p(S(ell * c.xAn), S(m));
  if (c.b_on) lpuB = p.same_class ? detail::log_p(S(ell * c.xBn), S(m)) : detail::log_q(S(ell * c.xBn), S(m));
  // log of each term without its coefficient; the coefficients carry ell, (1-|alpha|), s alpha.
  const S L[4] = {lpuA + nm1 * c.lxA, S(log_w) + c.lpgA + nm1 * c.lxA, lpuB + nm1 * c.lxB,
                  S(log_w) + c.lpgB + nm1 * c.lxB};
  const S coef[4] = {ell * c.one_minus_abs, c.one_minus_abs, S(-sign_b) * c.s_alpha * ell, -c.s_alpha};
  const bool on[4] = {c.a_on, c.a_on && has_w, c.b_on, c.b_on && has_w};
  int top = -1;
  for (int k = 0; k < 4; ++k)
    if (on[k] && (top < 0 || scalar_value(L[k]) > scalar_value(L[top]))) top = k;
  S lpos(0), lneg(0);
  int kpos = -1, kneg = -1;
  double bpos = -kInf, bneg = -kInf;
  for (int k = 0; k < 4; ++k) {
    if (!on[k]) continue;
    r.N += coef[k] * exp(L[k] - L[top]);
    const double cv = scalar_value(coef[k]);
    if (cv == 0) continue;
    const S lt = L[k] + log(abs(coef[k]));
    const double lv = scalar_value(lt);
    S& acc = cv > 0 ? lpos : lneg;
    bool& has = cv > 0 ? r.has_pos : r.has_neg;
    int& kbest = cv > 0 ? kpos : kneg;
    double& best = cv > 0 ? bpos : bneg;
    if (!has) {
      acc = lt;
    } else if (lv > scalar_value(acc)) {
      acc = lt + log(S(1.0) + exp(acc - lt));
    } else {
      acc = acc + log(S(1.0) + exp(lt - acc));
    }
    has = true;
    if (lv > best) best = lv, kbest = k;
  }
  if (r.has_pos && r.has_neg) {
    r.d = lpos - lneg;
    // Terms 0 and 2 carry ell; d/dell of their L is x^n log_p'(+-ell x^n), log_p'(z) = -(2m-1) - (2m+1) tanh z.
    auto outer = [&](int k) {
      const double l = scalar_value(ell), xn = scalar_value(k == 0 ? c.xAn : c.xBn);
      const double z = (k == 0 || p.same_class ? l : -l) * xn;
      return std::abs(l * xn * (2 * m - 1 + (2 * m + 1) * std::tanh(z))) > 1;
    };
    const bool ell_pos = kpos % 2 == 0, ell_neg = kneg % 2 == 0;
    r.log_form = (ell_pos && outer(kpos)) || (ell_neg && outer(kneg));
  }
  if (c.a_on && c.b_on && !p.same_class) {
    r.R2 = lpuA + S(p.n) * c.lxA - lpuB - S(p.n) * c.lxB;
  } else {
    r.R2 = S(c.a_on ? 1.0 : sign_b);  // no sign change: no interior equilibrium
  }
  return r;
}

// The residual Newton works on: (d or N, R2), see Numerators::log_form.
template <class S>
Eigen::Matrix<S, 2, 1> solver_residual(const TwoMemoryParameters& p, const S& alpha, const S& ell, double m,
                                       double log_t_eff, double log_w) {
  const Numerators<S> r = numerators(p, column_logs(p, alpha, m, log_t_eff), ell, m, log_w);
  Eigen::Matrix<S, 2, 1> F;
  F(1) = r.R2;
  F(0) = r.has_pos && r.has_neg && r.log_form ? r.d : r.N;
  return F;
}

struct Root {
  double alpha = 0, ell = 0;
  int iterations = 0;
};

// Per-alpha data of the mapped seed grid.
struct Column {
  ColumnLogs<double> c;
  bool dead = true;
  // ell(zeta) = sinh(lambda |zeta|) / kappa up to |ell| = kEllLinear (at
  // |zeta| = zeta_c), then linear with slope `slope` up to |ell| = 1 at |zeta| = 1.
  double log_kappa = 0, lambda = 0, zeta_c = 0, slope = 0;
  // Logs of the ell-free parts of the four F_1 terms (log|coefficient| + L
  // without P(u)), -inf where absent, and the sign of their coefficients.
  double base[4] = {-kInf, -kInf, -kInf, -kInf};
  double sign[4] = {0, 0, 0, 0};
};

// log(exp(x) + exp(y)).
inline double log_add(double x, double y) {
  if (x < y) std::swap(x, y);
  if (!(y > -kInf)) return x;
  const double d = y - x;
  return d < -40 ? x : x + std::log1p(std::exp(d));
}

// log P(tanh z) (detail::log_p) with the log1p skipped where it is below rounding.
inline double fast_log_p(double z, double m) {
  const double a = std::abs(z);
  const double log_cosh = a > 20 ? a - M_LN2 : a + std::log1p(std::exp(-2 * a)) - M_LN2;
  return -(2 * m - 1) * z - (2 * m + 1) * log_cosh;
}

struct Box {
  double alpha_lo, alpha_hi, ell_lo, ell_hi;
  bool contains(double alpha, double ell) const {
    return alpha >= alpha_lo && alpha <= alpha_hi && ell >= ell_lo && ell <= ell_hi;
  }
};

// log kappa(alpha) with kappa = 1 + 4 m (xA^n + xB^n) (overlaps that are on),
// and its derivative in alpha: 1/kappa is the width of the inner layer in ell.
double log_kappa(const TwoMemoryParameters& p, double alpha, double m, double log_t_eff, double* derivative) {
  const double s = p.chart, side = alpha < 0 ? -1.0 : 1.0, alpha_B = s * (1 - std::abs(alpha));
  const double dotA = alpha * p.AA + alpha_B * p.AB, dotB = alpha * p.AB + alpha_B * p.BB;
  double uA = -kInf, uB = -kInf, duA = 0, duB = 0;  // log xA^n and its derivative
  if (dotA > 0) uA = p.n * (std::log(dotA) - log_t_eff), duA = p.n * (p.AA - s * side * p.AB) / dotA;
  if (dotB > 0) uB = p.n * (std::log(dotB) - log_t_eff), duB = p.n * (p.AB - s * side * p.BB) / dotB;
  const double top = std::max(uA, uB);
  if (!std::isfinite(top)) {
    if (derivative) *derivative = 0;
    return 0;
  }
  const double eA = std::exp(uA - top), eB = std::exp(uB - top);
  const double t = std::log(4 * m) + top + std::log(eA + eB);  // log(kappa - 1)
  const double lk = t > 40 ? t : std::log1p(std::exp(t));
  if (derivative) *derivative = std::exp(t - lk) * (eA * duA + eB * duB) / (eA + eB);
  return lk;
}

// Newton on solver_residual from (alpha, ell); fails as soon as an iterate
// leaves `box` (the linearisation is not trusted beyond it: the cell is split
// instead). Converged when the numerator residual (FixedPoint::residual) is at
// most `accept` after reaching `tolerance` or rounding-level steps.
NewtonResult box_newton(const TwoMemoryParameters& p, double alpha, double ell, const Box& box,
                        const FixedPointOptions& o, double m, double log_t_eff, double log_w) {
  using J = ceres::Jet<double, 2>;
  NewtonResult r;
  double previous = kInf;
  for (int it = 0;; ++it) {
    r.iterations = it;
    r.residual = numerator_norm(p, alpha, ell);
    if (r.residual <= o.tolerance || it == o.max_iterations) break;
    // Acceptable and no longer decreasing: converged to rounding level.
    if (r.residual <= o.accept_residual && r.residual > 0.5 * previous) break;
    previous = r.residual;
    const auto F = solver_residual(p, J(alpha, 0), J(ell, 1), m, log_t_eff, log_w);
    // Newton in (alpha, y = ell kappa(alpha)): the nullclines beyond the inner
    // layer follow ell ~ 1/kappa(alpha), straight lines in y (steps in ell units).
    double dlk = 0;
    const double lk = log_kappa(p, alpha, m, log_t_eff, &dlk);
    Eigen::Matrix2d jac;
    jac << F(0).v(0) - ell * dlk * F(0).v(1), F(0).v(1), F(1).v(0) - ell * dlk * F(1).v(1), F(1).v(1);
    const double det = jac.determinant();
    if (!std::isfinite(det) || det == 0) return r;
    const Eigen::Vector2d step = -jac.inverse() * Eigen::Vector2d(F(0).a, F(1).a);
    if (!step.allFinite()) return r;
    const double next_alpha = alpha + step(0);
    // A step that cancels ell to rounding level: the root is far closer to
    // ell = 0 than the iterate (the gamma layer, |ell| ~ w P(tanh x^n), can be
    // 1e-200 or underflow); continue from ell = 0, where F_1 is linear in ell.
    const double shifted = std::abs(ell + step(1)) < 1e-8 * std::abs(ell) ? 0.0 : ell + step(1);
    const double next_ell = shifted * std::exp(lk - log_kappa(p, next_alpha, m, log_t_eff, nullptr));
    if (!box.contains(next_alpha, next_ell) || !(std::abs(next_ell) < 1.0)) return r;
    const bool stagnant = std::abs(step(0)) <= 4e-16 * (1 + std::abs(alpha)) &&
                          std::abs(step(1)) <= 4e-16 * std::abs(ell) + 1e-300;
    alpha = next_alpha, ell = next_ell;
    if (stagnant) {
      r.residual = numerator_norm(p, alpha, ell);
      break;
    }
  }
  r.alpha = alpha, r.ell = ell;
  r.converged = r.residual <= o.accept_residual && std::abs(ell) < 1.0 && !in_dead_region(p, alpha);
  return r;
}

class Solver {
 public:
  Solver(const TwoMemoryParameters& p, const FixedPointOptions& o) : p_(p), o_(o) {
    m_ = p.cost_power();
    log_t_eff_ = std::log(p.effective_temperature());
    const double w = gamma_weight(p);
    log_w_ = w > 0 ? std::log(w) : -kInf;
    log_4m_ = std::log(4 * m_);
  }

  void run(FixedPointSummary& s) {
    build_grid();
    interior(s);
    if (o_.boundary) boundary(s);
    for (const Root& r : roots_) {
      FixedPoint fp = analyse_fixed_point(p_, r.alpha, r.ell, FixedPointKind::kInterior, o_.splitting);
      fp.newton_iterations = r.iterations;
      s.fixed_points.push_back(std::move(fp));
    }
  }

 private:
  struct Cell {
    double alpha0, alpha1, zeta0, zeta1;
    const Column *k0, *k1;
    double F1[4], F2[4];  // corners (alpha0,zeta0), (alpha1,zeta0), (alpha1,zeta1), (alpha0,zeta1)
    int i = -1, j = -1;   // seed-grid cell (-1 below it)
  };
  // Where numerator f vanishes on a cell edge (as a fraction of the edge from
  // its lower-left end), and the other numerator there.
  struct EdgeRoot {
    double position = 0, other = 0;
  };

  Column column(double alpha) const {
    Column k;
    k.c = column_logs(p_, alpha, m_, log_t_eff_);
    k.dead = !k.c.a_on && !k.c.b_on;
    k.log_kappa = log_kappa(p_, alpha, m_, log_t_eff_, nullptr);
    // F_1 = ell (1-|alpha|) [P(uA) xA^(n-1)] + (1-|alpha|) w [P(gA) xA^(n-1)]
    //       - s alpha sign_b ell [Q(uB) xB^(n-1)] - s alpha w [P(gB) xB^(n-1)]
    const double nm1 = p_.n - 1, sign_b = p_.same_class ? 1.0 : -1.0;
    const double l1 = std::log(k.c.one_minus_abs), la = std::log(std::abs(alpha));
    const double sa = k.c.s_alpha > 0 ? 1.0 : k.c.s_alpha < 0 ? -1.0 : 0.0;
    if (k.c.a_on && k.c.one_minus_abs > 0) {
      k.base[0] = nm1 * k.c.lxA + l1, k.sign[0] = 1;
      if (std::isfinite(log_w_)) k.base[1] = log_w_ + k.c.lpgA + nm1 * k.c.lxA + l1, k.sign[1] = 1;
    }
    if (k.c.b_on && sa != 0) {
      k.base[2] = nm1 * k.c.lxB + la, k.sign[2] = -sign_b * sa;
      if (std::isfinite(log_w_)) k.base[3] = log_w_ + k.c.lpgB + nm1 * k.c.lxB + la, k.sign[3] = -sa;
    }
    // asinh(kappa l) and sqrt(1/kappa^2 + l^2) for l = kEllLinear, without overflow.
    const double lc = kEllLinear, kl = k.log_kappa + std::log(lc);
    const double asinh_kl = kl > 20 ? kl + M_LN2 : std::asinh(std::exp(kl));
    const double root = std::sqrt(std::exp(-2 * k.log_kappa) + lc * lc);  // d ell / d(lambda zeta) at ell = lc
    k.lambda = asinh_kl + (1 - lc) / root;  // so that the linear part reaches ell = 1 at zeta = 1
    k.zeta_c = asinh_kl / k.lambda;
    k.slope = (1 - lc) / (1 - k.zeta_c);
    return k;
  }
  static double ell_at(const Column& k, double zeta) {
    if (zeta >= 1) return 1.0;
    if (zeta <= -1) return -1.0;
    const double a = std::abs(zeta);
    double e;
    if (a <= k.zeta_c) {
      const double z = a * k.lambda;
      e = 0.5 * (std::exp(z - k.log_kappa) - std::exp(-z - k.log_kappa));
    } else {
      e = kEllLinear + k.slope * (a - k.zeta_c);
    }
    return zeta < 0 ? -e : e;
  }
  // Grid values: F_1 as the log-ratio d (+-kBig where its terms have one sign),
  // F_2 as R2. Signs are those of the numerators; the values interpolate well.
  void values(const Column& k, double zeta, double* F1, double* F2) const {
    constexpr double kBig = 1e3;
    if (k.dead) {
      *F1 = *F2 = 0;
      return;
    }
    const double ell = ell_at(k, zeta);
    const auto& c = k.c;
    const double lpuA = c.a_on ? fast_log_p(ell * c.xAn, m_) : 0.0;
    const double lpuB = c.b_on ? fast_log_p(p_.same_class ? ell * c.xBn : -ell * c.xBn, m_) : 0.0;
    const double log_ell = std::log(std::abs(ell)), sign_ell = ell > 0 ? 1.0 : ell < 0 ? -1.0 : 0.0;
    const double lt[4] = {k.base[0] + lpuA + log_ell, k.base[1], k.base[2] + lpuB + log_ell, k.base[3]};
    const double sg[4] = {k.sign[0] * sign_ell, k.sign[1], k.sign[2] * sign_ell, k.sign[3]};
    double lpos = -kInf, lneg = -kInf;
    for (int t = 0; t < 4; ++t) {
      if (sg[t] > 0) lpos = log_add(lpos, lt[t]);
      else if (sg[t] < 0) lneg = log_add(lneg, lt[t]);
    }
    const bool pos = lpos > -kInf, neg = lneg > -kInf;
    *F1 = pos && neg ? std::clamp(lpos - lneg, -kBig, kBig) : pos ? kBig : neg ? -kBig : 0.0;
    if (c.a_on && c.b_on && !p_.same_class) *F2 = lpuA + p_.n * c.lxA - lpuB - p_.n * c.lxB;
    else *F2 = c.a_on ? 1.0 : (p_.same_class ? 1.0 : -1.0);
  }

  // Alpha nodes: breakpoints (range ends, alpha = 0, zeros of the overlaps),
  // then steps bounding the change of uA = log(4 m xA^n), uB (kAlphaDelta) and
  // uB - uA (kAlphaDeltaV) per cell, relative to 1 + |u|/2, the cell to the
  // coarse seed width, and its growth to a factor 2 per cell. Next to a zero of
  // an overlap the steps start at h_min and grow geometrically (its x^n
  // changes by orders of magnitude there: the nullclines can bend sharply).
  std::vector<double> alpha_nodes() const {
    const double lo = o_.alpha_min, hi = o_.alpha_max, s = p_.chart;
    std::vector<std::pair<double, bool>> cuts = {{lo, false}, {hi, false}};  // (alpha, an overlap vanishes)
    auto cut = [&](double a, bool zero) {
      if (a > lo && a < hi) cuts.push_back({a, zero});
    };
    cut(0.0, false);
    for (double sigma : {-1.0, 1.0})  // alpha = sigma t: dot = c0 + c1 t on that side
      for (auto [c0, c1] :
           {std::pair{s * p_.AB, sigma * p_.AA - s * p_.AB}, std::pair{s * p_.BB, sigma * p_.AB - s * p_.BB}})
        if (c1 != 0 && -c0 / c1 > 0 && -c0 / c1 < 1) cut(sigma * (-c0 / c1), true);
    std::sort(cuts.begin(), cuts.end());
    const double h_max = (hi - lo) / o_.seed_alpha_cells, h_min = h_max / 512;
    std::vector<double> nodes;
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      const double a0 = cuts[c].first, a1 = cuts[c + 1].first, side = 0.5 * (a0 + a1) < 0 ? -1.0 : 1.0;
      if (!(a1 > a0)) continue;
      const double dA = p_.AA - s * side * p_.AB, dB = p_.AB - s * side * p_.BB;  // d(dot)/d(alpha) on this side
      auto step = [&](double a) {
        const double aB = s * (1 - std::abs(a));
        const double dotA = a * p_.AA + aB * p_.AB, dotB = a * p_.AB + aB * p_.BB;
        double h = h_max;
        auto limit = [&](double q, double dq, double delta) {
          if (dq != 0) h = std::min(h, delta * (1 + 0.5 * std::abs(q)) / std::abs(dq));
        };
        double uA = 0, uB = 0, duA = 0, duB = 0;
        if (dotA > 0) {
          uA = log_4m_ + p_.n * (std::log(dotA) - log_t_eff_), duA = p_.n * dA / dotA;
          limit(uA, duA, kAlphaDelta);
        }
        if (dotB > 0) {
          uB = log_4m_ + p_.n * (std::log(dotB) - log_t_eff_), duB = p_.n * dB / dotB;
          limit(uB, duB, kAlphaDelta);
        }
        if (dotA > 0 && dotB > 0) limit(uB - uA, duB - duA, kAlphaDeltaV);
        return std::max(h, h_min);
      };
      double a = a0, h_prev = cuts[c].second ? 0.5 * h_min : h_max;
      nodes.push_back(a0);
      while (true) {
        double h = std::min(step(a), 2 * h_prev);
        if (a + h < a1) h = std::min(h, step(a + h));  // the scales shrink towards a vanishing overlap
        if (a + 1.5 * h >= a1) {
          if (a1 - a > h) nodes.push_back(0.5 * (a + a1));
          break;
        }
        a += h, h_prev = h;
        nodes.push_back(a);
      }
    }
    nodes.push_back(hi);
    return nodes;
  }

  void build_grid() {
    alpha_ = alpha_nodes();
    columns_.clear();
    columns_.reserve(alpha_.size());
    double lambda_max = 0;
    for (double a : alpha_) {
      columns_.push_back(column(a));
      if (!columns_.back().dead) lambda_max = std::max(lambda_max, columns_.back().lambda);
    }
    int cells = std::max(o_.seed_ell_cells, int(std::ceil(2 * lambda_max / kZetaRatio)));
    cells += cells % 2;  // zeta = 0 (ell = 0) is a node
    zeta_ = Eigen::VectorXd::LinSpaced(cells + 1, -1.0, 1.0);
    zeta_(cells / 2) = 0.0;
    F1_.resize(alpha_.size(), cells + 1);
    F2_.resize(alpha_.size(), cells + 1);
    // With one overlap (or the same class) F_2 has one sign: only the bounds
    // are needed there (for boundary equilibria).
    for (std::size_t i = 0; i < alpha_.size(); ++i)
      for (int j = 0; j <= cells; ++j)
        if (two_sided(i) || j == 0 || j == cells) values(columns_[i], zeta_(j), &F1_(i, j), &F2_(i, j));
  }

  // Both overlaps positive and the samples of different classes: F_2 can vanish.
  bool two_sided(std::size_t i) const { return columns_[i].c.a_on && columns_[i].c.b_on && !p_.same_class; }

  static bool both_change_sign(const double* F1, const double* F2) {
    const auto [lo1, hi1] = std::minmax({F1[0], F1[1], F1[2], F1[3]});
    const auto [lo2, hi2] = std::minmax({F2[0], F2[1], F2[2], F2[3]});
    return lo1 <= 0 && hi1 >= 0 && lo2 <= 0 && hi2 >= 0;
  }

  void interior(FixedPointSummary& s) {
    for (std::size_t i = 0; i + 1 < alpha_.size(); ++i) {
      // Both ends with two overlaps: a root next to a zero of an overlap would
      // sit within the first (h_min / 2) alpha step (and F_2 jumps there).
      if (!two_sided(i) || !two_sided(i + 1)) continue;
      for (int j = 0; j + 1 < zeta_.size(); ++j) {
        Cell c{alpha_[i], alpha_[i + 1], zeta_(j), zeta_(j + 1), &columns_[i], &columns_[i + 1],
               {F1_(i, j), F1_(i + 1, j), F1_(i + 1, j + 1), F1_(i, j + 1)},
               {F2_(i, j), F2_(i + 1, j), F2_(i + 1, j + 1), F2_(i, j + 1)}, int(i), j};
        if (!both_change_sign(c.F1, c.F2)) continue;
        ++s.seeds;
        budget_ = kSplitBudget;
        refine(c, 0, false, s);
      }
    }
  }

  // Both numerators at local (u, v) of cell c.
  void values_in(const Cell& c, double u, double v, double* F1, double* F2) const {
    const double zeta = c.zeta0 + v * (c.zeta1 - c.zeta0);
    if (u == 0) return values(*c.k0, zeta, F1, F2);
    if (u == 1) return values(*c.k1, zeta, F1, F2);
    values(column(c.alpha0 + u * (c.alpha1 - c.alpha0)), zeta, F1, F2);
  }

  // Local (u, v) of the point at `position` on edge e.
  static void edge_point(int e, double position, double* u, double* v) {
    *u = e == 0 || e == 2 ? position : (e == 1 ? 1.0 : 0.0);
    *v = e == 1 || e == 3 ? position : (e == 2 ? 1.0 : 0.0);
  }

  // The zero of numerator f on edge e of cell c (e runs from corner e to corner
  // e + 1, counter-clockwise from (0,0)), by regula falsi (Illinois), and the
  // sign of the other numerator there. Seed-grid edges are cached (shared by two cells).
  EdgeRoot edge_root(const Cell& c, int e, int f) {
    long key = -1;
    if (c.i >= 0) {  // edge key: (corner index along the grid, orientation, function)
      static constexpr int di[4] = {0, 1, 0, 0}, dj[4] = {0, 0, 1, 0};
      const long rows = zeta_.size();
      key = ((long(c.i + di[e]) * rows + (c.j + dj[e])) * 2 + (e % 2)) * 2 + f;
      if (const auto it = edge_roots_.find(key); it != edge_roots_.end()) return it->second;
    }
    static constexpr double cu[4] = {0, 1, 1, 0}, cv[4] = {0, 0, 1, 1};
    const double* F = f == 0 ? c.F1 : c.F2;
    const double* G = f == 0 ? c.F2 : c.F1;
    const int e1 = (e + 1) % 4;
    // Bracket [t0, t1] of the zero of f, with the other numerator g at its ends.
    // Only the sign of g at the zero matters: stop as soon as g has one sign on
    // the bracket (the other nullcline does not pass between its ends).
    double t0 = 0, t1 = 1, f0 = F[e], f1 = F[e1], g0 = G[e], g1 = G[e1], t = 0.5;
    int side = 0;
    for (int it = 0; it < 60 && (g0 > 0) != (g1 > 0) && t1 - t0 > 1e-13; ++it) {
      t = (t0 * f1 - t1 * f0) / (f1 - f0);
      if (!(t > t0 && t < t1) || it % 6 == 5) t = 0.5 * (t0 + t1);
      double V[2];
      values_in(c, cu[e] + t * (cu[e1] - cu[e]), cv[e] + t * (cv[e1] - cv[e]), &V[0], &V[1]);
      const double ft = V[f], gt = V[1 - f];
      if (ft == 0) {
        t0 = t1 = t, g0 = g1 = gt;
        break;
      }
      if ((ft >= 0) == (f0 >= 0)) {
        t0 = t, f0 = ft, g0 = gt;
        if (side == -1) f1 *= 0.5;
        side = -1;
      } else {
        t1 = t, f1 = ft, g1 = gt;
        if (side == +1) f0 *= 0.5;
        side = +1;
      }
    }
    t = f0 == f1 ? 0.5 * (t0 + t1) : std::clamp((t0 * f1 - t1 * f0) / (f1 - f0), t0, t1);
    const double other = std::abs(t - t0) < std::abs(t1 - t) ? g0 : g1;
    const EdgeRoot r{e < 2 ? t : 1 - t, other};  // edges 2 and 3 run towards the lower-left end
    if (key >= 0) edge_roots_.emplace(key, r);
    return r;
  }

  // Whether the nullclines cross in cell c: the other numerator changes sign
  // between the two ends (edge_root) of a marching-squares segment of one
  // numerator. This holds even where they are nearly parallel, where the
  // intersection of the two interpolated segments is unreliable. (u, v): the
  // interpolated zero along that segment.
  bool edge_crossing(const Cell& c, double* u, double* v) {
    for (int f = 0; f < 2; ++f) {
      const double* F = f == 0 ? c.F1 : c.F2;
      std::array<detail::CellSegment, 2> seg;
      const int count = detail::cell_segments(F[0], F[1], F[2], F[3], seg);
      for (int k = 0; k < count; ++k) {
        double g[2], pu[2], pv[2];
        for (int e = 0; e < 2; ++e) {
          const detail::CellPoint& q = e == 0 ? seg[k].a : seg[k].b;
          const EdgeRoot r = edge_root(c, q.edge, f);
          edge_point(q.edge, r.position, &pu[e], &pv[e]);
          g[e] = r.other;
        }
        if ((g[0] > 0) == (g[1] > 0)) continue;
        const double t = g[0] / (g[0] - g[1]);
        *u = pu[0] + t * (pu[1] - pu[0]), *v = pv[0] + t * (pv[1] - pv[0]);
        return true;
      }
    }
    return false;
  }

  void add_root(const NewtonResult& r) {
    const double d = o_.duplicate_distance;
    for (const Root& q : roots_)
      if (std::abs(q.alpha - r.alpha) <= d && std::abs(q.ell - r.ell) <= d) return;
    roots_.push_back({r.alpha, r.ell, r.iterations});
  }

  // Newton from the crossing in cell c (kept inside the cell grown by one
  // cell width each way); if it fails, split c and recurse.
  void refine(const Cell& c, int depth, bool inherited, FixedPointSummary& s) {
    double u = 0.5, v = 0.5;
    const bool crossing = edge_crossing(c, &u, &v);
    // A seed cell without a crossing is dropped (two crossings in one cell, as
    // right at a saddle-node, show as none: raise the seed grid to separate
    // them); below a cell with one where Newton failed (`inherited`), the
    // sub-cells are split to kPruneDepth even without a detected crossing.
    if (!crossing && (!inherited || depth >= kPruneDepth)) return;
    const bool try_newton = crossing && (depth < 4 || depth % 3 == 0 || depth == kMaxDepth);
    if (try_newton) {
      const double da = c.alpha1 - c.alpha0, dz = c.zeta1 - c.zeta0;
      const double alpha = c.alpha0 + u * da, zeta = c.zeta0 + v * dz;
      const Column k = column(alpha);
      const double zlo = std::max(-1.0, c.zeta0 - dz), zhi = std::min(1.0, c.zeta1 + dz);
      const Box box{std::max(o_.alpha_min, c.alpha0 - da), std::min(o_.alpha_max, c.alpha1 + da),
                    std::min({ell_at(*c.k0, zlo), ell_at(*c.k1, zlo), ell_at(k, zlo)}),
                    std::max({ell_at(*c.k0, zhi), ell_at(*c.k1, zhi), ell_at(k, zhi)})};
      const NewtonResult r = box_newton(p_, alpha, ell_at(k, zeta), box, o_, m_, log_t_eff_, log_w_);
      if (r.converged) {
        add_root(r);
        // Inside the cell proper (up to a quarter cell): this cell's crossing is found.
        const double olo = std::max(-1.0, c.zeta0 - 0.25 * dz), ohi = std::min(1.0, c.zeta1 + 0.25 * dz);
        const Box own{c.alpha0 - 0.25 * da, c.alpha1 + 0.25 * da,
                      std::min({ell_at(*c.k0, olo), ell_at(*c.k1, olo), ell_at(k, olo)}),
                      std::max({ell_at(*c.k0, ohi), ell_at(*c.k1, ohi), ell_at(k, ohi)})};
        if (own.contains(r.alpha, r.ell)) return;
      } else {
        ++s.newton_failures;
      }
    }
    if (depth >= kMaxDepth || budget_ <= 0) return;
    --budget_;
    // Split in four: three new columns' worth of values (5 new nodes).
    const double am = 0.5 * (c.alpha0 + c.alpha1), zm = 0.5 * (c.zeta0 + c.zeta1);
    const Column km = column(am);
    if (km.dead) return;
    double f1[9], f2[9];  // 3x3 nodes, index 3 * ia + iz
    const Column* ks[3] = {c.k0, &km, c.k1};
    const double zs[3] = {c.zeta0, zm, c.zeta1};
    f1[0] = c.F1[0], f2[0] = c.F2[0];
    f1[6] = c.F1[1], f2[6] = c.F2[1];
    f1[8] = c.F1[2], f2[8] = c.F2[2];
    f1[2] = c.F1[3], f2[2] = c.F2[3];
    for (int n : {1, 3, 4, 5, 7}) values(*ks[n / 3], zs[n % 3], &f1[n], &f2[n]);
    const double as[3] = {c.alpha0, am, c.alpha1};
    for (int ia = 0; ia < 2; ++ia)
      for (int iz = 0; iz < 2; ++iz) {
        const int n00 = 3 * ia + iz, n10 = n00 + 3, n11 = n00 + 4, n01 = n00 + 1;
        Cell sub{as[ia], as[ia + 1], zs[iz], zs[iz + 1], ks[ia], ks[ia + 1],
                 {f1[n00], f1[n10], f1[n11], f1[n01]}, {f2[n00], f2[n10], f2[n11], f2[n01]}};
        if (both_change_sign(sub.F1, sub.F2)) refine(sub, depth + 1, inherited || crossing, s);
      }
  }

  void boundary(FixedPointSummary& s) {
    const int last = int(zeta_.size()) - 1;
    for (int j : {0, last}) {
      const double bound = j == 0 ? -1.0 : 1.0;
      for (std::size_t i = 0; i + 1 < alpha_.size(); ++i) {
        if (columns_[i].dead || columns_[i + 1].dead) continue;
        const double f0 = F1_(i, j), f1 = F1_(i + 1, j);
        if ((f0 > 0) == (f1 > 0) && f0 != 0) continue;
        ++s.seeds;
        const double alpha = f0 == 0 ? alpha_[i] : boundary_root(p_, alpha_[i], alpha_[i + 1], bound);
        if (!(boundary_outward_drive(p_, alpha, bound, p_.n, p_.T) > 0)) continue;
        const bool duplicate = std::any_of(s.fixed_points.begin(), s.fixed_points.end(), [&](const FixedPoint& f) {
          return f.kind == FixedPointKind::kBoundary && f.ell == bound &&
                 std::abs(f.alpha - alpha) <= o_.duplicate_distance;
        });
        if (duplicate) continue;
        FixedPoint fp = analyse_fixed_point(p_, alpha, bound, FixedPointKind::kBoundary, false);
        if (!(fp.residual <= o_.accept_residual)) {  // a jump of F_1, not a root
          ++s.newton_failures;
          continue;
        }
        s.fixed_points.push_back(std::move(fp));
      }
    }
  }

  const TwoMemoryParameters& p_;
  const FixedPointOptions& o_;
  double m_ = 0, log_t_eff_ = 0, log_w_ = 0, log_4m_ = 0;
  std::vector<double> alpha_;
  std::vector<Column> columns_;
  Eigen::VectorXd zeta_;
  Eigen::MatrixXd F1_, F2_;
  std::vector<Root> roots_;
  std::unordered_map<long, EdgeRoot> edge_roots_;
  int budget_ = 0;  // splits left below the current seed cell
};

}  // namespace

FixedPointSummary find_fixed_points(const TwoMemoryParameters& p, const FixedPointOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const auto start = std::chrono::steady_clock::now();
  FixedPointSummary s;
  s.run = true;
  s.parameters = p;
  s.dead_regions = dead_regions(p, o.alpha_min, o.alpha_max);
  Solver(p, o).run(s);
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
