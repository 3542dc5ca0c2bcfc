#include "reduced_models/equilibrium.hpp"

#include "common/enum_names.hpp"

#include <ceres/jet.h>

#include <Eigen/Dense>
#include <algorithm>
#include <limits>

#include "reduced_models/k_memory.hpp"

namespace waddington::reduced {
namespace {

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
    fp.residual = relative_residual(p, alpha, fp.ell, p.n, p.T);
    fp.speed = flow_velocity(p, alpha, fp.ell, p.n, p.T, false).cwiseAbs().maxCoeff();
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
    fp.eigenvalues << fp.jacobian(0, 0), -std::numeric_limits<double>::infinity();
    fp.eigenvectors = Eigen::Matrix2cd::Identity();
    fp.stability = fp.jacobian(0, 0) < 0 ? Stability::kStable : Stability::kSaddle;
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
