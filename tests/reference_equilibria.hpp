#pragma once
// An independent reference for the equilibria of the reduced two-memory flow
// and their stability, written for the tests only (docs/model.md §2, read afresh):
// every drive is a signed number carried as (sign, log) in long double, so
// nothing under- or overflows at any (n, T_r) of the documented range; the
// equilibria are found by brute force (roots of D_ell in ell on a signed
// log|ell| grid at every alpha of a fine grid, then sign changes of the memory
// numerator along each label-nullcline curve, refined by bisection); the
// stability comes from the slow/fast decomposition when the label direction is
// much faster than the memory direction (fast: d(dell/dt)/dell by a finite
// difference; slow: the derivative of dalpha/dt along the label nullcline by
// a finite difference), and from the 2x2 Jacobian of the real flow by finite
// differences otherwise. It shares nothing with the library's solver but the
// parameter struct.
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <vector>

namespace waddington::testing::reference {

using Real = long double;

// A real number sign * exp(log); sign 0 is zero.
struct LogNum {
  int sign = 0;
  Real log = -std::numeric_limits<Real>::infinity();
};
inline LogNum make(int sign, Real log) { return sign == 0 ? LogNum{} : LogNum{sign, log}; }
inline LogNum from_real(Real v) { return v == 0 ? LogNum{} : LogNum{v > 0 ? 1 : -1, std::log(std::fabs(v))}; }
inline LogNum neg(LogNum a) { return {-a.sign, a.log}; }
inline LogNum mul(LogNum a, LogNum b) { return (a.sign == 0 || b.sign == 0) ? LogNum{} : LogNum{a.sign * b.sign, a.log + b.log}; }
inline LogNum add(LogNum a, LogNum b) {
  if (a.sign == 0) return b;
  if (b.sign == 0) return a;
  if (a.log < b.log) std::swap(a, b);
  const Real r = std::exp(b.log - a.log);  // <= 1
  if (a.sign == b.sign) return {a.sign, a.log + std::log1p(r)};
  if (r == 1) return {};
  return {a.sign, a.log + std::log1p(-r)};
}
inline LogNum sub(LogNum a, LogNum b) { return add(a, neg(b)); }
inline Real to_real(LogNum a) { return a.sign == 0 ? 0 : a.sign * std::exp(a.log); }

struct Model {
  Real AA, AB, BB, n, m, log_t_eff, w;
  int chart = 1;
  bool gamma = true;
};

// log cosh z for any z.
inline Real log_cosh(Real z) {
  const Real a = std::fabs(z);
  return a + std::log1p(std::exp(-2 * a)) - std::log(Real(2));
}
// P(tanh z) = (1 - tanh z)^(2m) (1 + tanh z) = exp(-2mz) exp(z) / cosh(z)^(2m+1).
inline Real log_P(Real z, Real m) { return -2 * m * z + z - (2 * m + 1) * log_cosh(z); }
inline Real log_Q(Real z, Real m) { return log_P(-z, m); }

struct Drives {
  bool dead = false;
  LogNum DA, DB, Dell, Dgam;
};

inline Drives drives(const Model& M, Real alpha, Real ell) {
  const Real alpha_B = M.chart * (1 - std::fabs(alpha));
  const Real dotA = alpha * M.AA + alpha_B * M.AB, dotB = alpha * M.AB + alpha_B * M.BB;
  Drives d;
  const bool a = dotA > 0, b = dotB > 0;
  if (!a && !b) {
    d.dead = true;
    return d;
  }
  const LogNum ellN = from_real(ell);
  if (a) {
    const Real lx = std::log(dotA) - M.log_t_eff, xn = std::exp(M.n * lx);
    const Real lPu = log_P(ell * xn, M.m), lPg = log_P(xn, M.m);
    d.DA = add(mul(ellN, make(1, lPu + (M.n - 1) * lx)), M.w > 0 ? make(1, std::log(M.w) + lPg + (M.n - 1) * lx) : LogNum{});
    d.Dell = make(1, lPu + M.n * lx);
    if (M.gamma) d.Dgam = make(-1, lPg + M.n * lx);
  }
  if (b) {
    const Real lx = std::log(dotB) - M.log_t_eff, xn = std::exp(M.n * lx);
    const Real lQu = log_Q(ell * xn, M.m), lPg = log_P(xn, M.m);
    d.DB = add(neg(mul(ellN, make(1, lQu + (M.n - 1) * lx))), M.w > 0 ? make(1, std::log(M.w) + lPg + (M.n - 1) * lx) : LogNum{});
    d.Dell = sub(d.Dell, make(1, lQu + M.n * lx));
    if (M.gamma) d.Dgam = add(d.Dgam, make(-1, lPg + M.n * lx));
  }
  return d;
}

// F1 = D_A (1 - |alpha|) - s alpha D_B (the numerator of dalpha/dt), F2 = D_ell.
inline LogNum F1(const Model& M, const Drives& d, Real alpha) {
  return sub(mul(d.DA, from_real(1 - std::fabs(alpha))), mul(from_real(M.chart * alpha), d.DB));
}
// log of the denominators: |D_A| + |D_B| and max(|D_ell|, |D_gam|).
inline Real log_mem_scale(const Drives& d) { return add(make(d.DA.sign != 0, d.DA.log), make(d.DB.sign != 0, d.DB.log)).log; }
inline Real log_lab_scale(const Drives& d) { return std::max(d.Dell.log, d.Dgam.log); }

// Signed log10 of a real value: sign * (log10|v|); reported with its sign separately.
struct Eigen2 {
  // Real parts of the two eigenvalues as (sign, log10 |Re|), fast/leading order as found.
  int sign[2] = {0, 0};
  Real log10_abs[2] = {0, 0};
  bool complex = false;
};

enum class Label { kStable, kSaddle, kUnstable, kUncertain };

struct Equilibrium {
  Real alpha = 0, ell = 0;
  bool boundary = false;
  Label label = Label::kUncertain;
  Eigen2 eig;
  bool slow_fast = false;  // classified by the slow/fast decomposition
};

// Everything that makes one case.
struct Case {
  Model M;
  // Corners of the flow in alpha within [-1, 1] on this chart (alpha = 0, xA = 0, xB = 0).
  std::vector<Real> corners;
};

inline Case make_case(double AA, double AB, double BB, double n, double T, int chart, double k = 2, int classes = 10) {
  Case c;
  c.M.AA = AA, c.M.AB = AB, c.M.BB = BB, c.M.n = n, c.M.m = n;
  c.M.log_t_eff = std::log(Real(T)) - std::log(Real(k)) / Real(n);
  c.M.w = Real(classes - 2) / 2;
  c.M.gamma = classes > 2;
  c.M.chart = chart;
  c.corners = {-1, 0, 1};
  // dot(alpha) = alpha*X + s(1-|alpha|)*Y is linear on each side of 0: its zeros.
  for (auto [X, Y] : {std::pair<Real, Real>{AA, AB}, {AB, BB}}) {
    for (int side : {-1, 1}) {
      // side*|alpha|*X... alpha = side*t, t in (0,1): side*t*X + s(1-t)Y = 0 -> t = sY/(sY - side X)
      const Real den = chart * Y - side * X;
      if (den == 0) continue;
      const Real t = chart * Y / den;
      if (t > 0 && t < 1) c.corners.push_back(side * t);
    }
  }
  std::sort(c.corners.begin(), c.corners.end());
  return c;
}

// Roots of D_ell(alpha, .) in (-1, 1), each located by bisection (in log10|ell|
// on one side of 0, in ell across 0).
inline std::vector<Real> label_roots(const Model& M, Real alpha) {
  const Drives d1 = drives(M, alpha, 1);
  if (d1.dead) return {};
  // The inner layer |ell| ~ 1/(4 m x^n): the log grid reaches 20 decades below it.
  const Real dotA = alpha * M.AA + M.chart * (1 - std::fabs(alpha)) * M.AB;
  const Real dotB = alpha * M.AB + M.chart * (1 - std::fabs(alpha)) * M.BB;
  Real lxn = -1e30L;
  if (dotA > 0) lxn = std::max(lxn, M.n * (std::log(dotA) - M.log_t_eff));
  if (dotB > 0) lxn = std::max(lxn, M.n * (std::log(dotB) - M.log_t_eff));
  const Real t_low = -std::max<Real>(20, (std::log(4 * M.m) + lxn) / std::log(Real(10)) + 20);
  std::vector<Real> ells;
  for (Real t = t_low; t < 0; t += 0.25L) ells.push_back(std::pow(Real(10), t)), ells.push_back(-std::pow(Real(10), t));
  for (int i = -128; i <= 128; ++i) ells.push_back(Real(i) / 128);
  std::sort(ells.begin(), ells.end());
  ells.erase(std::unique(ells.begin(), ells.end()), ells.end());
  auto f = [&](Real ell) { return drives(M, alpha, ell).Dell.sign; };
  std::vector<Real> roots;
  int prev = f(ells[0]);
  for (std::size_t i = 1; i < ells.size(); ++i) {
    const int cur = f(ells[i]);
    if (cur == 0) {
      roots.push_back(ells[i]);
    } else if (prev != 0 && cur != prev) {
      Real lo = ells[i - 1], hi = ells[i];
      const bool log_side = (lo > 0 && hi > 0) || (lo < 0 && hi < 0);
      const Real side = lo > 0 ? 1 : -1;
      Real a = log_side ? std::log(std::fabs(lo)) : lo, b = log_side ? std::log(std::fabs(hi)) : hi;
      auto val = [&](Real u) { return log_side ? side * std::exp(u) : u; };
      const int slo = prev;
      for (int it = 0; it < 90; ++it) {
        const Real mid = (a + b) / 2;
        if (f(val(mid)) == slo) a = mid;
        else b = mid;
      }
      roots.push_back(val((a + b) / 2));
    }
    prev = cur;
  }
  return roots;
}

// The label root nearest to `guess` at alpha (empty when there is none).
inline bool nearest_root(const Model& M, Real alpha, Real guess, Real* ell) {
  const auto r = label_roots(M, alpha);
  if (r.empty()) return false;
  auto dist = [&](Real e) {  // in the signed-log metric where |ell| is tiny
    auto g = [](Real v) { return v == 0 ? Real(0) : (v > 0 ? 1 : -1) * (400 + std::log10(std::fabs(v))); };
    return std::fabs(g(e) - g(guess));
  };
  *ell = *std::min_element(r.begin(), r.end(), [&](Real a, Real b) { return dist(a) < dist(b); });
  return true;
}

inline Real fd_step_ell(const Model& M, Real alpha, Real ell) {
  const Real dotA = alpha * M.AA + M.chart * (1 - std::fabs(alpha)) * M.AB;
  const Real dotB = alpha * M.AB + M.chart * (1 - std::fabs(alpha)) * M.BB;
  Real lxn = -1e30L;
  if (dotA > 0) lxn = std::max(lxn, M.n * (std::log(dotA) - M.log_t_eff));
  if (dotB > 0) lxn = std::max(lxn, M.n * (std::log(dotB) - M.log_t_eff));
  const Real layer = std::exp(-(std::log(4 * M.m) + std::max<Real>(lxn, 0)));
  return 1e-6L * std::max(std::fabs(ell), std::min<Real>(layer, 1));
}

// Stability of an interior equilibrium.
inline void classify_interior(const Model& M, Equilibrium* e) {
  const Real a = e->alpha, l = e->ell;
  const Drives d = drives(M, a, l);
  // At an interior equilibrium D_ell = 0, so the label row's denominator
  // max(|D_ell|, |D_gam|) is |D_gam| (docs/model.md, "Equilibria"). The root
  // found here is approximate: its leftover D_ell can exceed a tiny |D_gam|
  // (low n, low T_r) and must not enter the denominator.
  const Real L1 = -log_mem_scale(d), L2 = d.Dgam.sign != 0 ? -d.Dgam.log : -log_lab_scale(d);
  // Fast: d(dell/dt)/dell = exp(L2) dD_ell/dell (D_ell = 0 here).
  const Real hl = fd_step_ell(M, a, l);
  const LogNum dF2 = sub(drives(M, a, l + hl).Dell, drives(M, a, l - hl).Dell);
  const LogNum fast = mul(dF2, make(1, L2 - std::log(2 * hl)));
  // Slow: derivative of dalpha/dt along the label nullcline.
  const Real ha = 1e-6L;
  Real lp, lm;
  LogNum slow{};
  bool have_slow = nearest_root(M, a + ha, l, &lp) && nearest_root(M, a - ha, l, &lm);
  if (have_slow) {
    const LogNum dF1 = sub(F1(M, drives(M, a + ha, lp), a + ha), F1(M, drives(M, a - ha, lm), a - ha));
    slow = mul(dF1, make(1, L1 - std::log(2 * ha)));
  }
  const bool separated = have_slow && fast.sign != 0 && (fast.log - slow.log) > std::log(Real(1e6));
  if (separated) {
    e->slow_fast = true;
    e->eig.sign[0] = slow.sign, e->eig.log10_abs[0] = slow.log / std::log(Real(10));
    e->eig.sign[1] = fast.sign, e->eig.log10_abs[1] = fast.log / std::log(Real(10));
  } else {
    // Full 2x2: J = diag(e^L1, e^L2) dF, entries as LogNum, scaled by the largest.
    const LogNum j11 = mul(sub(F1(M, drives(M, a + ha, l), a + ha), F1(M, drives(M, a - ha, l), a - ha)), make(1, L1 - std::log(2 * ha)));
    const LogNum j12 = mul(sub(F1(M, drives(M, a, l + hl), a), F1(M, drives(M, a, l - hl), a)), make(1, L1 - std::log(2 * hl)));
    const LogNum j21 = mul(sub(drives(M, a + ha, l).Dell, drives(M, a - ha, l).Dell), make(1, L2 - std::log(2 * ha)));
    const LogNum j22 = fast;
    Real G = -1e30L;
    for (const LogNum& x : {j11, j12, j21, j22})
      if (x.sign != 0) G = std::max(G, x.log);
    auto sc = [&](LogNum x) { return x.sign == 0 ? Real(0) : x.sign * std::exp(x.log - G); };
    const Real A = sc(j11), B = sc(j12), C = sc(j21), D = sc(j22);
    const Real tr = A + D, det = A * D - B * C, disc = tr * tr - 4 * det;
    Real re[2];
    if (disc >= 0) {
      const Real q = -(tr + (tr >= 0 ? 1 : -1) * std::sqrt(disc)) / 2;
      re[0] = -q, re[1] = q != 0 ? -det / q : 0;  // roots -q... of mu^2 - tr mu + det
      // mu1 = tr/2 + sign(tr) sqrt(disc)/2 = -q; mu2 = det / mu1.
      re[1] = re[0] != 0 ? det / re[0] : 0;
    } else {
      e->eig.complex = true;
      re[0] = re[1] = tr / 2;
    }
    for (int i = 0; i < 2; ++i) {
      e->eig.sign[i] = re[i] > 0 ? 1 : (re[i] < 0 ? -1 : 0);
      e->eig.log10_abs[i] = re[i] == 0 ? -1e30L : (G + std::log(std::fabs(re[i]))) / std::log(Real(10));
    }
  }
  const int s0 = e->eig.sign[0], s1 = e->eig.sign[1];
  if (s0 == 0 || s1 == 0) e->label = Label::kUncertain;
  else if (s0 < 0 && s1 < 0) e->label = Label::kStable;
  else if (s0 > 0 && s1 > 0) e->label = Label::kUnstable;
  else e->label = Label::kSaddle;
}

// All equilibria of the case: interior (alpha_cells per unit of alpha) and on ell = +-1.
inline std::vector<Equilibrium> equilibria(const Case& c, int alpha_cells_per_unit = 1500) {
  const Model& M = c.M;
  std::vector<Equilibrium> out;
  for (std::size_t piece = 0; piece + 1 < c.corners.size(); ++piece) {
    const Real lo = c.corners[piece], hi = c.corners[piece + 1];
    const Real margin = 1e-9L * (hi - lo);
    const int cells = std::max(8, int(alpha_cells_per_unit * (hi - lo)));
    std::vector<Real> al(cells + 1);
    for (int i = 0; i <= cells; ++i) al[i] = lo + margin + (hi - lo - 2 * margin) * i / cells;
    if (drives(M, (lo + hi) / 2, 0).dead) continue;
    // Interior: follow each label-root curve between consecutive alphas with the same root count.
    std::vector<std::vector<Real>> roots(al.size());
    for (std::size_t i = 0; i < al.size(); ++i) roots[i] = label_roots(M, al[i]);
    for (std::size_t i = 0; i + 1 < al.size(); ++i) {
      if (roots[i].size() != roots[i + 1].size()) continue;  // a fold of the label nullcline
      for (std::size_t k = 0; k < roots[i].size(); ++k) {
        const int s0 = F1(M, drives(M, al[i], roots[i][k]), al[i]).sign;
        const int s1 = F1(M, drives(M, al[i + 1], roots[i + 1][k]), al[i + 1]).sign;
        if (s0 == 0 || s1 == 0 || s0 == s1) continue;
        Real a = al[i], b = al[i + 1], ell = roots[i][k];
        for (int it = 0; it < 70; ++it) {
          const Real mid = (a + b) / 2;
          Real em;
          if (!nearest_root(M, mid, ell, &em)) break;
          if (F1(M, drives(M, mid, em), mid).sign == s0) a = mid;
          else b = mid;
          ell = em;
        }
        Equilibrium e;
        e.alpha = (a + b) / 2;
        if (!nearest_root(M, e.alpha, ell, &e.ell)) continue;
        classify_interior(M, &e);
        out.push_back(e);
      }
    }
    // Boundary: ell = +-1, F1 changes sign and the label drive points outward.
    for (int bound : {-1, 1}) {
      int prev = F1(M, drives(M, al[0], bound), al[0]).sign;
      for (std::size_t i = 1; i < al.size(); ++i) {
        const int cur = F1(M, drives(M, al[i], bound), al[i]).sign;
        if (prev != 0 && cur != 0 && cur != prev) {
          Real a = al[i - 1], b = al[i];
          for (int it = 0; it < 70; ++it) {
            const Real mid = (a + b) / 2;
            if (F1(M, drives(M, mid, bound), mid).sign == prev) a = mid;
            else b = mid;
          }
          const Real x = (a + b) / 2;
          const Drives d = drives(M, x, bound);
          if (d.Dell.sign == bound) {
            Equilibrium e;
            e.alpha = x, e.ell = bound, e.boundary = true;
            const Real ha = 1e-7L;
            const LogNum dF1 = sub(F1(M, drives(M, x + ha, bound), x + ha), F1(M, drives(M, x - ha, bound), x - ha));
            const LogNum along = mul(dF1, make(1, -log_mem_scale(d) - std::log(2 * ha)));
            e.eig.sign[0] = along.sign, e.eig.log10_abs[0] = along.log / std::log(Real(10));
            e.label = along.sign < 0 ? Label::kStable : (along.sign > 0 ? Label::kSaddle : Label::kUncertain);
            out.push_back(e);
          }
        }
        prev = cur;
      }
    }
  }
  return out;
}

}  // namespace waddington::testing::reference
