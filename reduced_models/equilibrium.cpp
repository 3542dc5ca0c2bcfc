#include "reduced_models/equilibrium.hpp"

#include "common/enum_names.hpp"

#include <ceres/jet.h>

#include <Eigen/Dense>
#include <algorithm>
#include <limits>

#include "reduced_models/k_memory.hpp"

#include <cmath>

namespace waddington::reduced {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kLn10 = 2.302585092994045684;

// A signed number sign * exp(log) (sign 0: zero), for sums beyond the double range.
struct SignedLog {
  int sign = 0;
  double log = kNegInf;
};
SignedLog signed_log(double coef, double log) {
  if (coef == 0 || !(log > kNegInf)) return {};
  return {coef > 0 ? 1 : -1, log + std::log(std::abs(coef))};
}
SignedLog operator+(SignedLog a, SignedLog b) {
  if (a.sign == 0) return b;
  if (b.sign == 0) return a;
  if (a.log < b.log) std::swap(a, b);
  const double r = std::exp(b.log - a.log);  // <= 1
  if (a.sign == b.sign) return {a.sign, a.log + std::log1p(r)};
  if (r >= 1) return {};
  return {a.sign, a.log + std::log1p(-r)};
}
SignedLog operator*(SignedLog a, SignedLog b) {
  if (a.sign == 0 || b.sign == 0) return {};
  return {a.sign * b.sign, a.log + b.log};
}
SignedLog magnitude(SignedLog a) { return a.sign == 0 ? a : SignedLog{1, a.log}; }

// log of the row factors at an equilibrium (see ScaledJacobian), from the
// drives' term logs. The memory denominator |D_A| + |D_B| depends on ell;
// where the label that balances F_1 is below the resolution of a double
// (x_A = x_B at low T_r: F_1's label terms exceed its others by e^(10^18), so
// the balancing ell is ~exp(-10^18) and a double ell of 1e-35 leaves F_1
// unbalanced), F_1 = 0 is solved for ell in log space (F_1 is linear in ell
// there, ell x^n ~ 0) and `unresolved` is set: the numerators are then
// differentiated at ell = 0, which differs from the true ell by nothing a
// double can hold.
struct RowLogs {
  double L0 = 0, L1 = 0;
  bool valid = false, unresolved = false;
};
RowLogs row_logs(const TwoMemoryParameters& p, const Drives<double>& d, double alpha, double ell) {
  RowLogs r;
  if (d.dead) return r;
  const double sign_b = p.same_class ? 1.0 : -1.0, s = p.chart, one_minus = 1 - std::abs(alpha);
  auto term = [](double log) { return signed_log(1.0, log); };
  SignedLog label = signed_log(ell, 0.0);
  const double F1 = d.A * one_minus - s * alpha * d.B;
  const double size1 = d.A_terms * one_minus + std::abs(alpha) * d.B_terms;
  if (size1 > 0 && std::abs(F1) > 1e-6 * size1 && std::abs(ell) < 1e-10) {
    // F_1 = ell * den + rest (unscaled), so the balancing label is -rest / den.
    const SignedLog den = signed_log(one_minus, d.log_mem[0]) + signed_log(-s * alpha * sign_b, d.log_mem[2]);
    const SignedLog rest = signed_log(one_minus, d.log_mem[1]) + signed_log(-s * alpha, d.log_mem[3]);
    if (den.sign != 0 && rest.sign != 0) {
      const SignedLog balancing{-rest.sign * den.sign, rest.log - den.log};
      if (ell == 0 || balancing.log < std::log(std::abs(ell))) label = balancing, r.unresolved = true;
    }
  }
  const SignedLog DA = label * term(d.log_mem[0]) + term(d.log_mem[1]);
  const SignedLog DB = signed_log(sign_b, 0.0) * label * term(d.log_mem[2]) + term(d.log_mem[3]);
  const SignedLog mem = magnitude(DA) + magnitude(DB);
  const SignedLog gam = term(d.log_gam[0]) + term(d.log_gam[1]);
  if (mem.sign == 0 || gam.sign == 0) return r;
  r.L0 = d.log_c_mem - mem.log;
  r.L1 = d.log_c_lab - gam.log;
  r.valid = std::isfinite(r.L0) && std::isfinite(r.L1);
  return r;
}

std::complex<double> as_complex(const continuation::ScaledSpectrum& s, int i) {
  return {s.real[i].value(), s.imag[i]};
}

// The spectrum of a Jacobian already representable in doubles (fallback).
continuation::ScaledSpectrum plain_spectrum(const Eigen::Matrix2d& J) {
  return J.allFinite() ? continuation::scaled_spectrum(J, 0, 0) : continuation::ScaledSpectrum{};
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

// The t in [0,1] where c0 + c1 t <= 0, as [lo, hi] (empty if lo > hi).
std::pair<double, double> nonpositive_interval(double c0, double c1) {
  if (c1 == 0) return c0 <= 0 ? std::pair{0.0, 1.0} : std::pair{1.0, 0.0};
  const double root = -c0 / c1;
  return c1 > 0 ? std::pair{0.0, std::min(1.0, root)} : std::pair{std::max(0.0, root), 1.0};
}

constexpr EnumName<FixedPointKind> kFixedPointKindNames[] = {{FixedPointKind::kInterior, "interior"},
                                                             {FixedPointKind::kBoundary, "boundary"}};

}  // namespace

const char* ToString(FixedPointKind k) { return enum_to_string(kFixedPointKindNames, k); }
bool FromString(const std::string& text, FixedPointKind* k) { return enum_from_string(kFixedPointKindNames, text, k); }

double FixedPoint::leading_eigenvalue() const { return eigenvalues(0).real(); }

nlohmann::json FixedPoint::ToJson() const {
  nlohmann::json j = {{"alpha", alpha}, {"alpha_B", alpha_B}, {"ell", ell}, {"chart", chart},
                      {"kind", ToString(kind)}, {"stability", ToString(stability)}, {"residual", residual}, {"speed", speed},
                      {"newton_iterations", newton_iterations},
                      {"jacobian", {{jacobian(0, 0), jacobian(0, 1)}, {jacobian(1, 0), jacobian(1, 1)}}},
                      {"eigenvalues", {complex_json(eigenvalues(0)), complex_json(eigenvalues(1))}}};
  // log10 |Re| of each eigenvalue (finite at any scale; null where it is 0 or,
  // on a bound, for the held label).
  auto log10_json = [](const continuation::WideReal& w) -> nlohmann::json {
    return w.sign == 0 ? nlohmann::json() : nlohmann::json(w.log10_abs);
  };
  j["eigenvalues_log10"] = {log10_json(spectrum.real[0]), log10_json(spectrum.real[1])};
  j["held"] = held;
  if (held) j["eigenvalues"][1] = nullptr;
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

Eigen::Matrix2d flow_jacobian(const TwoMemoryParameters& p, double alpha, double ell) {
  using J = ceres::Jet<double, 2>;
  const auto v = flow_velocity(p, J(alpha, 0), J(ell, 1), J(p.n), J(p.T), false);
  Eigen::Matrix2d jac;
  jac << v(0).v(0), v(0).v(1), v(1).v(0), v(1).v(1);
  return jac;
}

ScaledJacobian equilibrium_scaled_jacobian(const TwoMemoryParameters& p, double alpha, double ell) {
  ScaledJacobian out;
  const double alpha_B = chart_alpha_B(p.chart, alpha);
  RowLogs r = row_logs(p, two_memory_drives(p, alpha, alpha_B, ell, p.n, p.T), alpha, ell);
  if (!r.valid) return out;
  const double ell_eval = r.unresolved ? 0.0 : ell;
  if (r.unresolved) {  // the factors at the point the numerators are differentiated at
    const RowLogs r0 = row_logs(p, two_memory_drives(p, alpha, alpha_B, ell_eval, p.n, p.T), alpha, ell_eval);
    if (r0.valid) r.L1 = r0.L1;
  }
  using J = ceres::Jet<double, 2>;
  const auto F = numerator_residual(p, J(alpha, 0), J(ell_eval, 1), J(p.n), J(p.T));
  out.A << F(0).v(0), F(0).v(1), F(1).v(0), F(1).v(1);
  out.log_scale0 = r.L0;
  out.log_scale1 = r.L1;
  out.valid = out.A.allFinite();
  return out;
}

// On a label bound only alpha moves: the one eigenvalue exp(log_scale) * a
// (real[1] is empty: the label is held). Stable when it is negative, a
// saddle when positive (the held label counts as the stable direction).
continuation::ScaledSpectrum bound_spectrum(double a, double log_scale) {
  continuation::ScaledSpectrum s;
  if (std::isfinite(a) && a != 0) {
    s.real[0].sign = a > 0 ? 1 : -1;
    s.real[0].log10_abs = (log_scale + std::log(std::abs(a))) / kLn10;
  }
  s.real[1] = continuation::WideReal{};
  s.det_sign = s.trace_sign = s.real[0].sign;
  s.unstable_count = s.real[0].sign > 0;
  s.stability = s.real[0].sign < 0 ? Stability::kStable : s.real[0].sign > 0 ? Stability::kSaddle : Stability::kUnknown;
  s.certain = s.stability != Stability::kUnknown;
  return s;
}

continuation::ScaledSpectrum equilibrium_spectrum(const TwoMemoryParameters& p, double alpha, double ell,
                                                  FixedPointKind kind) {
  const ScaledJacobian sj = equilibrium_scaled_jacobian(p, alpha, ell);
  if (kind == FixedPointKind::kInterior)
    return sj.valid ? continuation::scaled_spectrum(sj.A, sj.log_scale0, sj.log_scale1)
                    : plain_spectrum(flow_jacobian(p, alpha, ell));
  // On a bound only alpha moves: one eigenvalue, d(dalpha/dt)/dalpha.
  const double a00 = sj.valid ? sj.A(0, 0) : flow_jacobian(p, alpha, ell)(0, 0);
  return bound_spectrum(a00, sj.valid ? sj.log_scale0 : 0.0);
}

continuation::ScaledSpectrum antisymmetric_spectrum(const TwoMemoryParameters& p, double alpha, double ell) {
  // The K = 2 system at the symmetric state: memory 1's rows, J_11 - J_12.
  double state[4] = {alpha, ell, alpha, ell};
  const std::vector<Drives<double>> drives = k_memory_drives(p, 2, state, p.n, p.T);
  RowLogs r = row_logs(p, drives[0], alpha, ell);
  if (!r.valid) return plain_spectrum(antisymmetric_jacobian(p, alpha, ell));
  const double ell_eval = r.unresolved ? 0.0 : ell;
  if (r.unresolved) {
    double state0[4] = {alpha, ell_eval, alpha, ell_eval};
    const RowLogs r0 = row_logs(p, k_memory_drives(p, 2, state0, p.n, p.T)[0], alpha, ell_eval);
    if (r0.valid) r.L1 = r0.L1;
  }
  // Along the antisymmetric directions (d, -d): dF_1/d(d) = J_11 - J_12 directly.
  using J = ceres::Jet<double, 2>;
  J x[4] = {J(alpha, 0), J(ell_eval, 1), J(alpha, 0), J(ell_eval, 1)}, F[4];
  x[2].v = -x[2].v;
  x[3].v = -x[3].v;
  k_memory_numerators(p, 2, x, F, J(p.n), J(p.T));
  Eigen::Matrix2d A;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) A(i, j) = F[i].v(j);
  if (!A.allFinite()) return plain_spectrum(antisymmetric_jacobian(p, alpha, ell));
  return continuation::scaled_spectrum(A, r.L0, r.L1);
}

continuation::ScaledSpectrum splitting_spectrum(const TwoMemoryParameters& p, double alpha, double ell,
                                                FixedPointKind kind) {
  if (kind == FixedPointKind::kInterior) return antisymmetric_spectrum(p, alpha, ell);
  double state[4] = {alpha, ell, alpha, ell};
  const std::vector<Drives<double>> drives = k_memory_drives(p, 2, state, p.n, p.T);
  const RowLogs r = row_logs(p, drives[0], alpha, ell);
  using J = ceres::Jet<double, 1>;  // along (d, 0, -d, 0): dF_1/d(d) = (J_11 - J_12)_00
  J x[4] = {J(alpha, 0), J(ell), J(alpha, 0), J(ell)}, F[4];
  x[2].v = -x[2].v;
  k_memory_numerators(p, 2, x, F, J(p.n), J(p.T));
  double a = F[0].v(0), log_scale = r.L0;
  if (!r.valid || !std::isfinite(a)) a = antisymmetric_jacobian(p, alpha, ell)(0, 0), log_scale = 0;
  return bound_spectrum(a, log_scale);
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
  fp.spectrum = equilibrium_spectrum(p, alpha, fp.ell, kind);
  fp.stability = fp.spectrum.stability;
  if (kind == FixedPointKind::kInterior) {
    fp.residual = relative_residual(p, alpha, fp.ell, p.n, p.T);
    fp.speed = flow_velocity(p, alpha, fp.ell, p.n, p.T, false).cwiseAbs().maxCoeff();
    Eigen::Vector2cd unused;
    if (fp.jacobian.allFinite()) sorted_eigen(fp.jacobian, &unused, &fp.eigenvectors);
    fp.eigenvalues << as_complex(fp.spectrum, 0), as_complex(fp.spectrum, 1);
    if (splitting && p.identical_memories == 2) {
      fp.has_antisymmetric = true;
      fp.antisymmetric_spectrum = antisymmetric_spectrum(p, alpha, fp.ell);
      fp.antisymmetric_eigenvalues << as_complex(fp.antisymmetric_spectrum, 0),
          as_complex(fp.antisymmetric_spectrum, 1);
    }
  } else {
    // Along the bound only alpha moves; the clipped label is held in finite time.
    const Drives<double> d = two_memory_drives(p, alpha, fp.alpha_B, fp.ell, p.n, p.T);
    const double size = d.A_terms * (1 - std::abs(alpha)) + std::abs(alpha) * d.B_terms;
    fp.residual = size > 0 ? std::abs(boundary_residual(p, alpha, fp.ell, p.n, p.T)) / size : 0.0;
    fp.speed = std::abs(flow_velocity(p, alpha, fp.ell, p.n, p.T, false)(0));
    fp.jacobian.row(1).setZero();
    fp.held = true;
    fp.eigenvalues << fp.spectrum.real[0].value(), -std::numeric_limits<double>::infinity();
    fp.eigenvectors = Eigen::Matrix2cd::Identity();
  }
  return fp;
}

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

}  // namespace waddington::reduced
