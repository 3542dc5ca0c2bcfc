#pragma once
// The reduced two-memory flow in (alpha, ell) of docs/model.md §2.
//
// Everything here is templated on the scalar type S (double or ceres::Jet) and
// takes the state (alpha, ell) AND the continuation parameters n and T as
// scalars, so that ceres::Jet gives exact derivatives with respect to alpha,
// ell, n and T. The remaining parameters (dot products, k, C, chart, m) live
// in TwoMemoryParameters.
//
// Numerics: every power and every P(u) = (1-u)^(2m-1)(1-u^2) is evaluated in
// log space, and the memory drives (D_A, D_B) and the label drives
// (D_ell, D_gam) are each divided by a common positive factor (a log-sum-exp
// of their terms). The flow is homogeneous of degree 0 in each pair, so the
// velocity is unchanged, and zeros, folds and det-signs of the numerators are
// those of the unscaled drives of docs/model.md §2. Nothing overflows for n up to several
// hundred; nothing is 0/0 except in the dead region (where the velocity is 0).
#include <ceres/jet.h>

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <optional>
#include <string>

namespace waddington::reduced {

// The data and hyper-parameters of the reduced model (docs/model.md §2).
struct TwoMemoryParameters {
  // Dot products of the two samples: AA = <A,A>, AB = <A,B>, BB = <B,B>.
  // Default: the paper's Figure 5 pair (rows 21 and 81 of paper200).
  double AA = 753.2249, AB = 494.0239, BB = 719.7008;
  // Power n of F(x) = max(x,0)^n (real, > 0).
  double n = 20;
  // Cost power m; unset means m = n (and then m follows n under continuation).
  std::optional<double> m;
  // Temperature T (> 0). T_r = T / num_pixels.
  double T = 700;
  // k identical memories act as one at T_eff = T / k^(1/n).
  double identical_memories = 2;
  // Number of output classes C (>= 2); w = (C-2)/2 in docs/model.md §2.
  int classes = 10;
  // Chart s: alpha_B = s (1 - |alpha|), s = +1 or -1.
  int chart = +1;
  // false: A and B of different classes (docs/model.md §2). true: the one-memory
  // intra-digit case (A and B of the same class, one label ell for that class).
  bool same_class = false;
  // N, only used to report T_r = T / N.
  int num_pixels = 784;

  double cost_power() const { return m ? *m : n; }
  double effective_temperature() const { return T / std::pow(identical_memories, 1.0 / n); }
  double rescaled_temperature() const { return T / num_pixels; }
  // Checks every field; `why` gets a one-line message naming the problem.
  bool IsValid(std::string* why) const;
  // Throws InputError with the IsValid message.
  void Validate() const;
  // Largest overlap x = <M,A>/T_eff reachable on the manifold |alpha_A|+|alpha_B| = 1.
  double max_overlap() const;
};

// Scalar part of a double or a (nested) ceres::Jet, for branching only.
inline double scalar_value(double x) { return x; }
template <class T, int N>
double scalar_value(const ceres::Jet<T, N>& x) {
  return scalar_value(x.a);
}

// Drives of docs/model.md §2, each pair divided by its own positive factor:
// (A, B) = (D_A, D_B) / c_mem and (ell, gam) = (D_ell, D_gam) / c_lab.
template <class S>
struct Drives {
  S A{0}, B{0}, ell{0}, gam{0};
  // Sums of the absolute values of the terms of D_A, D_B and D_ell (same
  // scaling): the size a drive would have without cancellation.
  S A_terms{0}, B_terms{0}, ell_terms{0};
  bool dead = false;  // xA = xB = 0: every drive vanishes (the dead region)
  // Scalar values of the logs, for sizes beyond the double range (the
  // stability at an equilibrium, equilibrium.cpp): the pair factors
  // (A = D_A / exp(log_c_mem), ell = D_ell / exp(log_c_lab)) and the logs of
  // the unscaled terms, -inf where absent: mem = {P(uA), w P(gA), Q/P(uB),
  // w P(gB)} x^(n-1) (D_A = ell e^mem0 + e^mem1, D_B = -+ell e^mem2 + e^mem3),
  // gam = {P(gA) xA^n, P(gB) xB^n} (|D_gam| = e^gam0 + e^gam1). Copies only.
  double log_c_mem = 0, log_c_lab = 0;
  std::array<double, 4> log_mem{-HUGE_VAL, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
  std::array<double, 2> log_gam{-HUGE_VAL, -HUGE_VAL};
};

namespace detail {

using std::abs;
using std::exp;
using std::log;
using std::log1p;
using ceres::abs;
using ceres::exp;
using ceres::log;
using ceres::log1p;

// log cosh z = |z| + log1p(exp(-2|z|)) - log 2, without overflow. Beyond
// |z| = 20 the log1p term (< 5e-18) is below half an ulp of |z| and of its
// derivative: skipping it gives the same bits, faster.
template <class S>
S log_cosh(const S& z) {
  const S a = scalar_value(z) < 0 ? S(-z) : z;
  if (scalar_value(a) > 20) return a - S(M_LN2);
  return a + log1p(exp(S(-2.0) * a)) - S(M_LN2);
}

// log P(tanh z) with P(u) = (1-u)^(2m-1)(1-u^2) = (1-u)^(2m)(1+u):
// log P = -(2m-1) z - (2m+1) log cosh z (docs/model.md §2, evaluated in log space).
template <class S>
S log_p(const S& z, const S& m) {
  return -(S(2.0) * m - S(1.0)) * z - (S(2.0) * m + S(1.0)) * log_cosh(z);
}

// log Q(tanh z) with Q(u) = (1+u)^(2m-1)(1-u^2) = P(-u).
template <class S>
S log_q(const S& z, const S& m) {
  return log_p(S(-z), m);
}

// One sample's overlap x = max(<M,sample>, 0) / T_eff, kept as log x.
template <class S>
struct Overlap {
  bool positive = false;
  S log_x{0};
  S x_pow_n{0};  // x^n
};

template <class S>
Overlap<S> overlap(const S& dot, const S& log_t_eff, const S& n) {
  Overlap<S> o;
  if (!(scalar_value(dot) > 0)) return o;
  o.positive = true;
  o.log_x = log(dot) - log_t_eff;
  o.x_pow_n = exp(n * o.log_x);
  return o;
}

// The present terms divided by their sum, exp(logs[i]) / sum_j exp(logs[j])
// (0 where absent), and the log of that sum in *log_sum: log_sum_exp and the
// normalised terms from one exp per term (the shifted exponentials are shared
// instead of taking exp(logs[i] - log_sum) again).
template <class S, std::size_t K>
std::array<S, K> normalised_exp(const std::array<S, K>& logs, const std::array<bool, K>& present, S* log_sum) {
  std::array<S, K> out;
  out.fill(S(0));
  int best = -1;
  for (std::size_t i = 0; i < K; ++i)
    if (present[i] && (best < 0 || scalar_value(logs[i]) > scalar_value(logs[best]))) best = int(i);
  if (best < 0) {
    *log_sum = S(0);
    return out;
  }
  S sum(0);
  for (std::size_t i = 0; i < K; ++i)
    if (present[i]) out[i] = i == std::size_t(best) ? S(1.0) : exp(logs[i] - logs[best]), sum += out[i];
  *log_sum = logs[best] + log(sum);
  const S inverse = S(1.0) / sum;
  for (std::size_t i = 0; i < K; ++i)
    if (present[i]) out[i] *= inverse;
  return out;
}

// The drives of one memory seeing samples A and B (docs/model.md §2 and §2.2):
// `a`, `b` are this memory's overlaps; z_uA, z_gA, z_uB, z_gB the arguments
// of the scores uA = tanh(z_uA), gA = tanh(z_gA), ... (shared by all memories
// in the K-memory model); w the weight of the gamma classes.
template <class S>
Drives<S> sample_drives(const Overlap<S>& a, const Overlap<S>& b, const S& ell, const S& z_uA, const S& z_gA,
                        const S& z_uB, const S& z_gB, const S& n, const S& m, double w, bool same_class,
                        bool has_gamma) {
  Drives<S> d;
  if (!a.positive && !b.positive) {
    d.dead = true;
    return d;
  }
  const S log_w = w > 0 ? S(std::log(w)) : S(0);
  const S lpuA = a.positive ? log_p(z_uA, m) : S(0);
  const S lpgA = a.positive ? log_p(z_gA, m) : S(0);
  // Intra-digit: B shares A's class, so its score term is P(uB) like A's.
  const S lpuB = b.positive ? (same_class ? log_p(z_uB, m) : log_q(z_uB, m)) : S(0);
  const S lpgB = b.positive ? log_p(z_gB, m) : S(0);
  const S nm1 = n - S(1.0);
  // Memory drives: D_A = [ell P(uA) + w P(gA)] xA^(n-1), D_B = [-+ell Q/P(uB) + w P(gB)] xB^(n-1).
  const std::array<S, 4> mem = {lpuA + nm1 * a.log_x, log_w + lpgA + nm1 * a.log_x, lpuB + nm1 * b.log_x,
                                log_w + lpgB + nm1 * b.log_x};
  const std::array<bool, 4> mem_on = {a.positive, a.positive && w > 0, b.positive, b.positive && w > 0};
  S c_mem;
  const std::array<S, 4> mem_terms = normalised_exp(mem, mem_on, &c_mem);  // exp(mem[k] - c_mem)
  d.log_c_mem = scalar_value(c_mem);
  for (int k = 0; k < 4; ++k)
    if (mem_on[k]) d.log_mem[k] = scalar_value(mem[k]);
  const S sign_b = same_class ? S(1.0) : S(-1.0);
  if (a.positive) {
    const S &u = mem_terms[0], &g = mem_terms[1];
    d.A = ell * u + g;
    d.A_terms = abs(ell) * u + g;
  }
  if (b.positive) {
    const S &u = mem_terms[2], &g = mem_terms[3];
    d.B = sign_b * ell * u + g;
    d.B_terms = abs(ell) * u + g;
  }
  // Label drives: D_ell = P(uA) xA^n -+ Q/P(uB) xB^n, D_gam = -P(gA) xA^n - P(gB) xB^n.
  const std::array<S, 4> lab = {lpuA + n * a.log_x, lpuB + n * b.log_x, lpgA + n * a.log_x, lpgB + n * b.log_x};
  const std::array<bool, 4> lab_on = {a.positive, b.positive, a.positive, b.positive};
  S c_lab;
  const std::array<S, 4> lab_terms = normalised_exp(lab, lab_on, &c_lab);  // exp(lab[k] - c_lab)
  d.log_c_lab = scalar_value(c_lab);
  if (a.positive) d.ell += lab_terms[0], d.ell_terms += lab_terms[0];
  if (b.positive) d.ell += sign_b * lab_terms[1], d.ell_terms += lab_terms[1];
  if (has_gamma) {
    if (a.positive) d.gam -= lab_terms[2], d.log_gam[0] = scalar_value(lab[2]);
    if (b.positive) d.gam -= lab_terms[3], d.log_gam[1] = scalar_value(lab[3]);
  }
  return d;
}

}  // namespace detail

// Cost power as a scalar: m if set, otherwise n itself (so it follows n).
template <class S>
S cost_power(const TwoMemoryParameters& p, const S& n) {
  return p.m ? S(*p.m) : n;
}

// Weight of the gamma classes in the memory drives: w = (C-2)/2 (docs/model.md §2),
// or C-1 in the intra-digit case (both samples share the single label).
inline double gamma_weight(const TwoMemoryParameters& p) {
  return p.same_class ? double(p.classes - 1) : double(p.classes - 2) / 2.0;
}

// The drives at a memory M = alpha_A A + alpha_B B with label ell (docs/model.md §2),
// scaled as explained at the top of this file.
template <class S>
Drives<S> two_memory_drives(const TwoMemoryParameters& p, const S& alpha_A, const S& alpha_B, const S& ell,
                            const S& n, const S& T) {
  using detail::log;
  const S log_t_eff = log(T) - S(std::log(p.identical_memories)) / n;  // T_eff = T / k^(1/n)
  const S dotA = alpha_A * p.AA + alpha_B * p.AB;
  const S dotB = alpha_A * p.AB + alpha_B * p.BB;
  const auto a = detail::overlap(dotA, log_t_eff, n);
  const auto b = detail::overlap(dotB, log_t_eff, n);
  const S m = cost_power(p, n);
  return detail::sample_drives(a, b, ell, S(ell * a.x_pow_n), a.x_pow_n, S(ell * b.x_pow_n), b.x_pow_n, n, m,
                               gamma_weight(p), p.same_class, p.classes > (p.same_class ? 1 : 2));
}

// alpha_B on the chart: s (1 - |alpha|).
template <class S>
S chart_alpha_B(int chart, const S& alpha) {
  using detail::abs;
  return S(double(chart)) * (S(1.0) - abs(alpha));
}

// Whether alpha lies in the dead region of the chart (xA = xB = 0: every
// drive vanishes, docs/model.md §2).
bool in_dead_region(const TwoMemoryParameters& p, double alpha);

// The "numerator" residual F(alpha, ell; n, T) on the chart:
//   F_1 = s (D_A alpha_B - D_B alpha_A) = D_A (1-|alpha|) - s alpha D_B,
//   F_2 = D_ell,
// (drives scaled by positive factors). Its zeros are the interior equilibria,
// and its folds and det-sign are the real flow's (the denominators are positive).
template <class S>
Eigen::Matrix<S, 2, 1> numerator_residual(const TwoMemoryParameters& p, const S& alpha, const S& ell, const S& n,
                                          const S& T) {
  using detail::abs;
  const Drives<S> d = two_memory_drives(p, alpha, chart_alpha_B(p.chart, alpha), ell, n, T);
  Eigen::Matrix<S, 2, 1> F;
  F(0) = d.A * (S(1.0) - abs(alpha)) - S(double(p.chart)) * alpha * d.B;
  F(1) = d.ell;
  return F;
}

// The real flow velocity (dalpha/dt, dell/dt) on the chart, time = epochs x rate
// (docs/model.md §2): dalpha/dt = (D_A - alpha q)/(|D_A|+|D_B|), dell/dt =
// D_ell/max(|D_ell|,|D_gam|), with the label clipping at ell = +-1 when
// `clip_labels`. Zero in the dead region.
template <class S>
Eigen::Matrix<S, 2, 1> flow_velocity(const TwoMemoryParameters& p, const S& alpha, const S& ell, const S& n,
                                     const S& T, bool clip_labels = true) {
  using detail::abs;
  const Drives<S> d = two_memory_drives(p, alpha, chart_alpha_B(p.chart, alpha), ell, n, T);
  Eigen::Matrix<S, 2, 1> v(S(0), S(0));
  if (d.dead) return v;
  // D_A - alpha_A q = s (D_A alpha_B - D_B alpha_A) on the manifold.
  const S numerator = d.A * (S(1.0) - abs(alpha)) - S(double(p.chart)) * alpha * d.B;
  const S mem_scale = abs(d.A) + abs(d.B);
  if (scalar_value(mem_scale) > 0) v(0) = numerator / mem_scale;
  const S lab_scale = scalar_value(abs(d.ell)) > scalar_value(abs(d.gam)) ? abs(d.ell) : abs(d.gam);
  if (scalar_value(lab_scale) > 0) v(1) = d.ell / lab_scale;
  if (clip_labels) {
    const double l = scalar_value(ell), dl = scalar_value(d.ell);
    if ((l >= 1.0 && dl > 0) || (l <= -1.0 && dl < 0)) v(1) = S(0);
  }
  return v;
}

// The numerator residual relative to the size of its terms (a backward
// error): |F_1| / [(1-|alpha|) |D_A terms| + |alpha| |D_B terms|] and
// |F_2| / |D_ell terms|, max-norm. ~1e-16 at a computed equilibrium; O(1)
// where the drives are small without cancelling (e.g. ell ~ 0 at large x^n).
template <class S>
S relative_residual(const TwoMemoryParameters& p, const S& alpha, const S& ell, const S& n, const S& T) {
  using detail::abs;
  const Drives<S> d = two_memory_drives(p, alpha, chart_alpha_B(p.chart, alpha), ell, n, T);
  if (d.dead) return S(0);
  const S F1 = d.A * (S(1.0) - abs(alpha)) - S(double(p.chart)) * alpha * d.B;
  const S size1 = d.A_terms * (S(1.0) - abs(alpha)) + abs(alpha) * d.B_terms;
  const S r1 = scalar_value(size1) > 0 ? S(abs(F1) / size1) : S(0);
  const S r2 = scalar_value(d.ell_terms) > 0 ? S(abs(d.ell) / d.ell_terms) : S(0);
  return scalar_value(r1) > scalar_value(r2) ? r1 : r2;
}

// On a label bound ell = ell_bound (+1 or -1) only the alpha-equation is left:
// this is F_1 there. Boundary equilibria are its zeros where the label drive
// points outward (boundary_outward_drive > 0).
template <class S>
S boundary_residual(const TwoMemoryParameters& p, const S& alpha, double ell_bound, const S& n, const S& T) {
  return numerator_residual(p, alpha, S(ell_bound), n, T)(0);
}

// ell_bound * D_ell (scaled): positive where the clipped label is held on the bound.
template <class S>
S boundary_outward_drive(const TwoMemoryParameters& p, const S& alpha, double ell_bound, const S& n, const S& T) {
  return S(ell_bound) * numerator_residual(p, alpha, S(ell_bound), n, T)(1);
}

// The flow as an odeint system (state = {alpha, ell}) and a Ceres-style
// residual functor; parameters are members.
struct TwoMemoryFlow {
  TwoMemoryParameters parameters;
  bool clip_labels = true;

  template <class State>
  void operator()(const State& x, State& dxdt, double /*t*/) const {
    const auto v = flow_velocity(parameters, double(x[0]), double(x[1]), parameters.n, parameters.T, clip_labels);
    dxdt[0] = v(0);
    dxdt[1] = v(1);
  }
  // Ceres-style: residual = unclipped velocity at x = {alpha, ell}.
  template <class S>
  bool operator()(const S* x, S* residual) const {
    const auto v = flow_velocity(parameters, x[0], x[1], S(parameters.n), S(parameters.T), false);
    residual[0] = v(0);
    residual[1] = v(1);
    return true;
  }
};

// The memory moving freely below the manifold (docs/model.md §2): state
// {alpha_A, alpha_B, ell}. Inside (|alpha_A|+|alpha_B| < 1) dalpha_X/dt =
// D_X/(|D_A|+|D_B|); on or beyond the manifold with q > 0 the velocity is
// projected to stay on it (D_X - alpha_X q)/(|D_A|+|D_B|). Labels as above.
struct FreeMemoryFlow {
  TwoMemoryParameters parameters;

  template <class State>
  void operator()(const State& x, State& dxdt, double /*t*/) const;
};

// Dot products from two samples (vectors of the same length).
TwoMemoryParameters with_samples(TwoMemoryParameters p, const Eigen::VectorXd& A, const Eigen::VectorXd& B);

template <class State>
void FreeMemoryFlow::operator()(const State& x, State& dxdt, double) const {
  const TwoMemoryParameters& p = parameters;
  const Drives<double> d = two_memory_drives(p, double(x[0]), double(x[1]), double(x[2]), p.n, p.T);
  dxdt[0] = dxdt[1] = dxdt[2] = 0;
  if (d.dead) return;
  const double mem_scale = std::abs(d.A) + std::abs(d.B);
  if (mem_scale > 0) {
    const double q = (x[0] > 0 ? 1.0 : x[0] < 0 ? -1.0 : 0.0) * d.A + (x[1] > 0 ? 1.0 : x[1] < 0 ? -1.0 : 0.0) * d.B;
    const bool on_manifold = std::abs(x[0]) + std::abs(x[1]) >= 1.0;
    const double pull = (on_manifold && q > 0) ? q : 0.0;  // normalisation holds it on the manifold
    dxdt[0] = (d.A - x[0] * pull) / mem_scale;
    dxdt[1] = (d.B - x[1] * pull) / mem_scale;
  }
  const double lab_scale = std::max(std::abs(d.ell), std::abs(d.gam));
  if (lab_scale > 0) dxdt[2] = d.ell / lab_scale;
  if ((x[2] >= 1.0 && d.ell > 0) || (x[2] <= -1.0 && d.ell < 0)) dxdt[2] = 0;
}

}  // namespace waddington::reduced
