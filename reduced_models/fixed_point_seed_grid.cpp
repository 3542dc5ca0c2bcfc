// The seed grid of the equilibrium search (docs/numerics.md §4) and the
// inner-layer width kappa (§1).
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "reduced_models/detail/fixed_point_solver.hpp"

namespace waddington::reduced::detail {
namespace {

// Resolution of the seed grid.
constexpr double kZetaRatio = 1.0;    // Lambda dzeta: log of the geometric ell ratio per zeta cell
constexpr double kAlphaDelta = 1.5;   // change of log(4 m xA^n), log(4 m xB^n) per alpha cell, over 1 + |value|/2
constexpr double kAlphaDeltaV = 0.5;  // the same for log(xB^n / xA^n)
constexpr double kEllLinear = 0.25;   // the ell map is linear beyond this |ell|

// log(exp(x) + exp(y)).
inline double log_add(double x, double y) {
  if (x < y) std::swap(x, y);
  if (!(y > -kInf)) return x;
  const double d = y - x;
  return d < -40 ? x : x + std::log1p(std::exp(d));
}

}  // namespace

SolverConstants::SolverConstants(const TwoMemoryParameters& p) {
  m = p.cost_power();
  log_t_eff = std::log(p.effective_temperature());
  const double w = gamma_weight(p);
  log_w = w > 0 ? std::log(w) : -kInf;
  log_4m = std::log(4 * m);
}

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

SeedGrid::SeedGrid(const TwoMemoryParameters& p, const FixedPointOptions& o) : p_(p), o_(o), k_(p) {
  alpha_ = alpha_nodes();
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
  const Eigen::Index rows = Eigen::Index(alpha_.size());
  F1_.setConstant(rows, cells + 1, std::numeric_limits<double>::quiet_NaN());
  F2_.setConstant(rows, cells + 1, std::numeric_limits<double>::quiet_NaN());
  // With one overlap (or the same class) F_2 has one sign: only the bounds
  // are needed there (for boundary equilibria). Elsewhere F_2 first: F_1 (its
  // four-term log-ratio, half the cost of a node) is needed only at the
  // corners of cells where F_2 changes sign (the cell refinement looks at no
  // other cell) and on the bound rows (the boundary search).
  std::vector<NodeParts> parts(std::size_t(rows) * std::size_t(cells + 1));
  auto at = [&](Eigen::Index i, int j) -> NodeParts& { return parts[std::size_t(i) * std::size_t(cells + 1) + j]; };
  for (Eigen::Index i = 0; i < rows; ++i) {
    if (two_sided(i) && !columns_[i].dead) two_sided_nodes(columns_[i], &at(i, 0), i);
    for (int j : {0, cells}) {
      if (!two_sided(i) || columns_[i].dead) {
        at(i, j) = node_parts(columns_[i], zeta_(j));
        F2_(i, j) = f2_value(columns_[i], at(i, j));
      }
      F1_(i, j) = f1_value(columns_[i], at(i, j));
    }
  }
  for (Eigen::Index i = 0; i + 1 < rows; ++i) {
    if (!two_sided(i) || !two_sided(i + 1)) continue;
    for (int j = 0; j < cells; ++j) {
      const double f[4] = {F2_(i, j), F2_(i + 1, j), F2_(i + 1, j + 1), F2_(i, j + 1)};
      const auto [lo, hi] = std::minmax({f[0], f[1], f[2], f[3]});
      if (!(lo <= 0 && hi >= 0)) continue;
      f2_cells_.push_back({int(i), j});
      for (const auto& [di, dj] : {std::pair{0, 0}, {1, 0}, {1, 1}, {0, 1}})
        if (std::isnan(F1_(i + di, j + dj))) F1_(i + di, j + dj) = f1_value(columns_[i + di], at(i + di, j + dj));
    }
  }
}

SeedColumn SeedGrid::column(double alpha) const {
  SeedColumn k;
  k.c = numerator_column(p_, alpha, k_.m, k_.log_t_eff);
  k.dead = !k.c.a_on && !k.c.b_on;
  k.log_kappa = log_kappa(p_, alpha, k_.m, k_.log_t_eff, nullptr);
  // F_1 = ell (1-|alpha|) [P(uA) xA^(n-1)] + (1-|alpha|) w [P(gA) xA^(n-1)]
  //       - s alpha sign_b ell [Q(uB) xB^(n-1)] - s alpha w [P(gB) xB^(n-1)]
  const double nm1 = p_.n - 1, sign_b = p_.same_class ? 1.0 : -1.0;
  const double l1 = std::log(k.c.one_minus_abs), la = std::log(std::abs(alpha));
  const double sa = k.c.s_alpha > 0 ? 1.0 : k.c.s_alpha < 0 ? -1.0 : 0.0;
  if (k.c.a_on && k.c.one_minus_abs > 0) {
    k.base[0] = nm1 * k.c.lxA + l1, k.sign[0] = 1;
    if (std::isfinite(k_.log_w)) k.base[1] = k_.log_w + k.c.lpgA + nm1 * k.c.lxA + l1, k.sign[1] = 1;
  }
  if (k.c.b_on && sa != 0) {
    k.base[2] = nm1 * k.c.lxB + la, k.sign[2] = -sign_b * sa;
    if (std::isfinite(k_.log_w)) k.base[3] = k_.log_w + k.c.lpgB + nm1 * k.c.lxB + la, k.sign[3] = -sa;
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

double SeedGrid::ell_at(const SeedColumn& k, double zeta) {
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

SeedGrid::NodeParts SeedGrid::node_parts(const SeedColumn& k, double zeta) const {
  NodeParts q;
  if (k.dead) return q;
  q.ell = ell_at(k, zeta);
  const auto& c = k.c;
  q.lpuA = c.a_on ? log_p(q.ell * c.xAn, k_.m) : 0.0;
  q.lpuB = c.b_on ? (p_.same_class ? log_p(q.ell * c.xBn, k_.m) : log_q(q.ell * c.xBn, k_.m)) : 0.0;
  return q;
}

void SeedGrid::two_sided_nodes(const SeedColumn& k, NodeParts* parts, Eigen::Index row) {
  // Eight nodes at a time, in fixed-size arrays (one AVX-512 register; no allocation).
  using Block = Eigen::Array<double, 8, 1>;
  const double m = k_.m;
  // log_p (two_memory.hpp): -(2m-1) z - (2m+1) log cosh z, log cosh z = |z| +
  // log1p(exp(-2|z|)) - log 2, log1p(t) = log(1+t) t / ((1+t) - 1) (exact to
  // a few ulps; t where 1 + t rounds to 1).
  // Beyond |z| = 20 the log1p term is below half an ulp of |z| and is skipped,
  // as log_cosh does (a block beyond it costs no transcendental).
  const auto log_p = [m](const Block& z) -> Block {
    const Block az = z.abs();
    Block log1p_t = Block::Zero();
    if ((az <= 20.0).any()) {
      // (Eigen 3.4 evaluates a select's operands coefficient by coefficient:
      // the transcendentals are evaluated into blocks first.)
      const Block t = (-2.0 * az).exp(), u = 1.0 + t, log_u = u.log();
      const Block ratio = log_u * t / (u - 1.0);
      log1p_t = (az > 20.0).select(Block::Zero(), (u == 1.0).select(t, ratio));
    }
    return -(2 * m - 1) * z - (2 * m + 1) * (az + log1p_t - M_LN2);
  };
  const Eigen::Index nodes = zeta_.size();
  for (Eigen::Index j0 = 0; j0 < nodes; j0 += 8) {
    const Eigen::Index count = std::min<Eigen::Index>(8, nodes - j0);
    Block zeta = Block::Constant(zeta_(nodes - 1));
    zeta.head(count) = zeta_.segment(j0, count).array();
    const Block a = zeta.abs();
    // ell_at: sinh(lambda |zeta|) / kappa inside zeta_c, linear beyond, +-1 from |zeta| = 1.
    const Block grow = (a * k.lambda - k.log_kappa).exp(), decay = (-a * k.lambda - k.log_kappa).exp();
    const Block inner = 0.5 * (grow - decay);
    const Block outer = kEllLinear + k.slope * (a - k.zeta_c);
    const Block e = (a >= 1.0).select(Block::Constant(1.0), (a <= k.zeta_c).select(inner, outer));
    const Block ell = (zeta < 0).select(-e, e);
    // Two-sided: both overlaps on, samples of different classes (log Q(uB) = log P(-uB)).
    const Block lpuA = log_p(ell * k.c.xAn), lpuB = log_p(-ell * k.c.xBn);
    const Block F2 = (lpuA + p_.n * k.c.lxA) - lpuB - p_.n * k.c.lxB;
    for (Eigen::Index j = 0; j < count; ++j) {
      parts[j0 + j] = {ell(j), lpuA(j), lpuB(j)};
      F2_(row, j0 + j) = F2(j);
    }
  }
}

double SeedGrid::f1_value(const SeedColumn& k, const NodeParts& q) const {
  constexpr double kBig = 1e3;
  if (k.dead) return 0;
  const double log_ell = std::log(std::abs(q.ell)), sign_ell = q.ell > 0 ? 1.0 : q.ell < 0 ? -1.0 : 0.0;
  const double lt[4] = {k.base[0] + q.lpuA + log_ell, k.base[1], k.base[2] + q.lpuB + log_ell, k.base[3]};
  const double sg[4] = {k.sign[0] * sign_ell, k.sign[1], k.sign[2] * sign_ell, k.sign[3]};
  double lpos = -kInf, lneg = -kInf;
  for (int t = 0; t < 4; ++t) {
    if (sg[t] > 0) lpos = log_add(lpos, lt[t]);
    else if (sg[t] < 0) lneg = log_add(lneg, lt[t]);
  }
  const bool pos = lpos > -kInf, neg = lneg > -kInf;
  return pos && neg ? std::clamp(lpos - lneg, -kBig, kBig) : pos ? kBig : neg ? -kBig : 0.0;
}

double SeedGrid::f2_value(const SeedColumn& k, const NodeParts& q) const {
  if (k.dead) return 0;
  const auto& c = k.c;
  if (c.a_on && c.b_on && !p_.same_class) return q.lpuA + p_.n * c.lxA - q.lpuB - p_.n * c.lxB;
  return c.a_on ? 1.0 : (p_.same_class ? 1.0 : -1.0);
}

void SeedGrid::values(const SeedColumn& k, double zeta, double* F1, double* F2) const {
  if (k.dead) {
    *F1 = *F2 = 0;
    return;
  }
  const NodeParts q = node_parts(k, zeta);
  *F1 = f1_value(k, q);
  *F2 = f2_value(k, q);
}

// Alpha nodes: breakpoints (range ends, alpha = 0, zeros of the overlaps),
// then steps bounding the change of uA = log(4 m xA^n), uB (kAlphaDelta) and
// uB - uA (kAlphaDeltaV) per cell, relative to 1 + |u|/2, the cell to the
// coarse seed width, and its growth to a factor 2 per cell. Next to a zero of
// an overlap the steps start at h_min and grow geometrically (its x^n
// changes by orders of magnitude there: the nullclines can bend sharply).
std::vector<double> SeedGrid::alpha_nodes() const {
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
        uA = k_.log_4m + p_.n * (std::log(dotA) - k_.log_t_eff), duA = p_.n * dA / dotA;
        limit(uA, duA, kAlphaDelta);
      }
      if (dotB > 0) {
        uB = k_.log_4m + p_.n * (std::log(dotB) - k_.log_t_eff), duB = p_.n * dB / dotB;
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

}  // namespace waddington::reduced::detail
