#include "continuation/problem.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <limits>

namespace waddington::continuation {

Eigen::VectorXcd Problem::stability_eigenvalues(const Vector& x, double p) const {
  const int d = dimension();
  Vector f;
  Matrix j;
  if (!evaluate(x, p, &f, &j)) {
    return Eigen::VectorXcd::Constant(d, std::numeric_limits<double>::quiet_NaN());
  }
  return Eigen::EigenSolver<Matrix>(j.leftCols(d), false).eigenvalues();
}

Vector Problem::second_derivative(const Vector& x, double p, const Vector& v) const {
  const int d = dimension();
  // Central difference of the exact F_x along v: (F_x(x+hv) - F_x(x-hv)) v / 2h,
  // h balancing O(h^2) truncation against O(eps/h) rounding.
  const double h = 1e-5 * std::max(1.0, x.lpNorm<Eigen::Infinity>()) / std::max(v.norm(), 1e-300);
  Vector f;
  Matrix jp, jm;
  if (!evaluate(x + h * v, p, &f, &jp) || !evaluate(x - h * v, p, &f, &jm)) {
    return Vector::Constant(d, std::numeric_limits<double>::quiet_NaN());
  }
  return (jp.leftCols(d) - jm.leftCols(d)) * v / (2 * h);
}

Vector Problem::residual(const Vector& x, double p) const {
  Vector f;
  if (!evaluate(x, p, &f, nullptr)) return Vector::Constant(dimension(), std::numeric_limits<double>::quiet_NaN());
  return f;
}

Matrix Problem::jacobian(const Vector& x, double p) const {
  Vector f;
  Matrix j;
  if (!evaluate(x, p, &f, &j)) {
    return Matrix::Constant(dimension(), dimension() + 1, std::numeric_limits<double>::quiet_NaN());
  }
  return j;
}

bool FixedSecondParameter::evaluate(const Vector& x, double p, Vector* f, Matrix* jacobian) const {
  if (jacobian == nullptr) return problem_.evaluate(x, p, p2_, f, nullptr);
  const int d = problem_.dimension();
  Matrix full;
  if (!problem_.evaluate(x, p, p2_, f, &full)) return false;
  *jacobian = full.leftCols(d + 1);
  return true;
}

}  // namespace waddington::continuation
