// Branch switching at a simple branch point (algorithm in branch_switch.hpp).
#include "continuation/branch_switch.hpp"

#include <Eigen/SVD>

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace waddington::continuation {

BranchStart branch_switch(const Problem& problem, const SpecialPoint& bp, const ContinuationOptions& options) {
  BranchStart out;
  const int d = problem.dimension(), n = d + 1;
  out.x = bp.x;
  out.p = bp.p;
  std::string why;
  if (!options.IsValid(&why)) {
    out.message = "invalid options: " + why;
    return out;
  }
  if (bp.type != SpecialPointType::kBranchPoint || bp.x.size() != d || bp.tangent.size() != n) {
    out.message = "branch_switch needs a branch_point special point of this problem (with its tangent)";
    return out;
  }
  Vector f, z(n);
  Matrix j;
  z << bp.x, bp.p;
  if (!problem.evaluate(bp.x, bp.p, &f, &j)) {
    out.message = "F is undefined at the branch point";
    return out;
  }
  // Q: orthonormal basis of the (numerically) 2-D kernel of [F_x | F_p]; the
  // new direction is the kernel vector orthogonal to the incoming tangent.
  Eigen::JacobiSVD<Matrix> svd(j, Eigen::ComputeFullV);
  const Matrix q = svd.matrixV().rightCols(2);
  const Eigen::Vector2d c = q.transpose() * bp.tangent;
  const Vector t2 = (q * Eigen::Vector2d(-c(1), c(0))).normalized();
  // Newton on [F(z); t2.(z - z_pred)] = 0 from z_pred = z_bp + ds t2: that
  // hyperplane contains the old tangent, so it meets the new branch only.
  const Vector pred = z + options.ds * t2;
  Vector y = pred, x(d);
  Matrix a(n, n);
  Vector r(n);
  bool converged = false;
  double last = std::numeric_limits<double>::infinity();
  for (int it = 0; it <= 2 * options.max_newton_iterations; ++it) {
    x = y.head(d);
    if (!problem.evaluate(x, y(d), &f, &j)) break;
    if (f.lpNorm<Eigen::Infinity>() <= options.newton_tolerance && last <= options.newton_tolerance) {
      converged = true;
      break;
    }
    a.topRows(d) = j;
    a.row(d) = t2.transpose();
    r.head(d) = -f;
    r(d) = -t2.dot(y - pred);
    const Vector dy = a.partialPivLu().solve(r);
    if (!dy.allFinite()) break;
    y += dy;
    last = dy.lpNorm<Eigen::Infinity>();
  }
  if (!converged || (y - pred).norm() > options.ds) {
    out.message = fmt::format("no second branch found at distance ds = {:g} from the branch point p = {:.10g}: "
                              "try a smaller or larger ds",
                              options.ds, bp.p);
    return out;
  }
  // Tangent at the new point: the kernel of J oriented along t2.
  Eigen::JacobiSVD<Matrix> svd_new(j, Eigen::ComputeFullV);
  Vector t = svd_new.matrixV().col(d);
  if (t.dot(t2) < 0) t = -t;
  if (std::abs(t.dot(bp.tangent)) > 1 - 1e-6) {
    out.message = "the corrected point lies on the incoming branch: no second branch found";
    return out;
  }
  out.x = y.head(d);
  out.p = y(d);
  out.tangent = t;
  out.converged = true;
  out.message = fmt::format("second branch through the branch point p = {:.10g}", bp.p);
  return out;
}

}  // namespace waddington::continuation
