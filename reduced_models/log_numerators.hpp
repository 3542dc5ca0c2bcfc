#pragma once
// The numerators of the reduced flow (docs/model.md §2),
//   F_1 = D_A (1-|alpha|) - s alpha D_B,   F_2 = D_ell,
// in log space, in the forms the equilibrium searches need (docs/numerics.md §2):
//  - scaled:    F_1 divided by the largest of its terms taken without their
//               coefficients (ell, 1-|alpha|, s alpha), so that it stays
//               linear in ell across the inner layer; F_2 divided by its
//               larger term;
//  - log-ratio: d = log(positive terms of F_1) - log(negative terms) and
//               R2 = log(P(uA) xA^n) - log(Q(uB) xB^n), the signs of F_1 and
//               F_2, close to linear in ell beyond the inner layer.
// One templated implementation: double for the numerator grid
// (numerator_grid.hpp), ceres::Jet for the solver's Newton (exact Jacobian).
// A column holds everything of one alpha that does not depend on ell, so a
// grid computes it once per alpha. Part of the model: depends on
// two_memory.hpp only.
#include <Eigen/Core>

#include <cmath>
#include <limits>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// Everything of one alpha that does not depend on ell.
template <class S>
struct NumeratorColumn {
  bool a_on = false, b_on = false;  // xA > 0, xB > 0
  S lxA{0}, lxB{0}, xAn{0}, xBn{0};  // log x and x^n
  S lpgA{0}, lpgB{0};                // log P(gA), log P(gB)
  S one_minus_abs{0}, s_alpha{0};    // 1 - |alpha|, s alpha
};

template <class S>
NumeratorColumn<S> numerator_column(const TwoMemoryParameters& p, const S& alpha, double m, double log_t_eff) {
  using detail::abs;
  NumeratorColumn<S> c;
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

// The terms of F_1 at (column, ell): t_k = coef_k exp(L_k) with
//   t_0 = ell (1-|alpha|) P(uA) xA^(n-1),     t_1 = (1-|alpha|) w P(gA) xA^(n-1),
//   t_2 = -+ell s alpha Q(uB) xB^(n-1),       t_3 = -s alpha w P(gB) xB^(n-1)
// (-+: - for samples of different classes), present where `on`; and the two
// ell-dependent logs log P(uA), log Q(uB) (log P(uB) for the same class).
template <class S>
struct NumeratorTerms {
  S lpuA{0}, lpuB{0};
  S L[4], coef[4];
  bool on[4] = {false, false, false, false};
  int top = -1;  // the largest L_k present
};

template <class S>
NumeratorTerms<S> numerator_terms(const TwoMemoryParameters& p, const NumeratorColumn<S>& c, const S& ell, double m,
                                  double log_w) {
  NumeratorTerms<S> t;
  const bool has_w = std::isfinite(log_w);
  const double sign_b = p.same_class ? 1.0 : -1.0;
  const S nm1(p.n - 1.0);
  if (c.a_on) t.lpuA = detail::log_p(S(ell * c.xAn), S(m));
  if (c.b_on) t.lpuB = p.same_class ? detail::log_p(S(ell * c.xBn), S(m)) : detail::log_q(S(ell * c.xBn), S(m));
  t.L[0] = t.lpuA + nm1 * c.lxA, t.L[1] = S(log_w) + c.lpgA + nm1 * c.lxA;
  t.L[2] = t.lpuB + nm1 * c.lxB, t.L[3] = S(log_w) + c.lpgB + nm1 * c.lxB;
  t.coef[0] = ell * c.one_minus_abs, t.coef[1] = c.one_minus_abs;
  t.coef[2] = S(-sign_b) * c.s_alpha * ell, t.coef[3] = -c.s_alpha;
  t.on[0] = c.a_on, t.on[1] = c.a_on && has_w, t.on[2] = c.b_on, t.on[3] = c.b_on && has_w;
  for (int k = 0; k < 4; ++k)
    if (t.on[k] && (t.top < 0 || scalar_value(t.L[k]) > scalar_value(t.L[t.top]))) t.top = k;
  return t;
}

// Scaled F_1: sum of the t_k over the largest exp(L_k) (0 without terms).
template <class S>
S scaled_F1(const NumeratorTerms<S>& t) {
  using detail::exp;
  S N(0);
  for (int k = 0; k < 4; ++k)
    if (t.on[k]) N += t.coef[k] * exp(t.L[k] - t.L[t.top]);
  return N;
}

// Scaled F_2: P(uA) xA^n -+ Q(uB) xB^n over its larger term; +-1 with one overlap.
template <class S>
S scaled_F2(const TwoMemoryParameters& p, const NumeratorColumn<S>& c, const NumeratorTerms<S>& t) {
  using detail::exp;
  const double sign_b = p.same_class ? 1.0 : -1.0;
  if (!(c.a_on && c.b_on)) return S(c.a_on ? 1.0 : sign_b);
  const S la = t.lpuA + S(p.n) * c.lxA, lb = t.lpuB + S(p.n) * c.lxB;
  const S top = scalar_value(la) < scalar_value(lb) ? lb : la;
  return exp(la - top) + S(sign_b) * exp(lb - top);
}

// The log-ratio forms, and which form of F_1 Newton should use.
template <class S>
struct LogRatio {
  S d{0};   // log(sum of the positive t_k) - log(sum of the negative t_k)
  S R2{0};  // log(P(uA) xA^n) - log(Q(uB) xB^n); +-1 where F_2 has one sign
  bool has_pos = false, has_neg = false;
  // Newton should use d rather than scaled F_1 (docs/numerics.md §3): the
  // largest positive or negative term carries ell and lies beyond the inner
  // layer (|ell dL/dell| > 1: an exponential of ell, linear in d). Otherwise
  // every large term is linear in ell or constant, and so is scaled F_1.
  bool log_form = false;
};

template <class S>
LogRatio<S> log_ratio(const TwoMemoryParameters& p, const NumeratorColumn<S>& c, const NumeratorTerms<S>& t,
                      const S& ell, double m) {
  using detail::abs;
  using detail::exp;
  using detail::log;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  LogRatio<S> r;
  S lpos(0), lneg(0);
  int kpos = -1, kneg = -1;
  double bpos = -kInf, bneg = -kInf;
  for (int k = 0; k < 4; ++k) {
    if (!t.on[k]) continue;
    const double cv = scalar_value(t.coef[k]);
    if (cv == 0) continue;
    const S lt = t.L[k] + log(abs(t.coef[k]));
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
    // t_0 and t_2 carry ell; d/dell of their L is x^n log_p'(+-ell x^n), log_p'(z) = -(2m-1) - (2m+1) tanh z.
    auto outer = [&](int k) {
      const double l = scalar_value(ell), xn = scalar_value(k == 0 ? c.xAn : c.xBn);
      const double z = (k == 0 || p.same_class ? l : -l) * xn;
      return std::abs(l * xn * (2 * m - 1 + (2 * m + 1) * std::tanh(z))) > 1;
    };
    const bool ell_pos = kpos % 2 == 0, ell_neg = kneg % 2 == 0;
    r.log_form = (ell_pos && outer(kpos)) || (ell_neg && outer(kneg));
  }
  if (c.a_on && c.b_on && !p.same_class) {
    r.R2 = t.lpuA + S(p.n) * c.lxA - t.lpuB - S(p.n) * c.lxB;
  } else {
    r.R2 = S(c.a_on ? 1.0 : (p.same_class ? 1.0 : -1.0));  // no sign change: no interior equilibrium
  }
  return r;
}

// The residual the solver's Newton works on: (d or scaled F_1, R2), with the
// zero set of numerator_residual (two_memory.hpp).
template <class S>
Eigen::Matrix<S, 2, 1> solver_residual(const TwoMemoryParameters& p, const S& alpha, const S& ell, double m,
                                       double log_t_eff, double log_w) {
  const NumeratorColumn<S> c = numerator_column(p, alpha, m, log_t_eff);
  const NumeratorTerms<S> t = numerator_terms(p, c, ell, m, log_w);
  const S N = scaled_F1(t);
  const LogRatio<S> r = log_ratio(p, c, t, ell, m);
  Eigen::Matrix<S, 2, 1> F;
  F(1) = r.R2;
  F(0) = r.has_pos && r.has_neg && r.log_form ? r.d : N;
  return F;
}

}  // namespace waddington::reduced
