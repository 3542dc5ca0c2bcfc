#include "reduced_models/k_memory.hpp"

#include <ceres/jet.h>

#include "lib/errors.hpp"

namespace waddington::reduced {

Eigen::MatrixXd k_memory_jacobian(const TwoMemoryParameters& p, int K, const Eigen::VectorXd& state) {
  if (state.size() != 2 * K) throw InputError("k_memory_jacobian: state must hold 2K values");
  using J1 = ceres::Jet<double, 1>;
  Eigen::MatrixXd jac(2 * K, 2 * K);
  std::vector<J1> x(2 * K), v(2 * K);
  for (int col = 0; col < 2 * K; ++col) {
    for (int i = 0; i < 2 * K; ++i) x[i] = J1(state(i));
    x[col].v(0) = 1.0;
    k_memory_velocity(p, K, x.data(), v.data(), J1(p.n), J1(p.T), false);
    for (int i = 0; i < 2 * K; ++i) jac(i, col) = v[i].v(0);
  }
  return jac;
}

Eigen::Matrix2d antisymmetric_jacobian(const TwoMemoryParameters& p, double alpha, double ell) {
  Eigen::VectorXd state(4);
  state << alpha, ell, alpha, ell;
  const Eigen::MatrixXd jac = k_memory_jacobian(p, 2, state);
  // Antisymmetric mode (da, dl, -da, -dl): block J_11 - J_12 (docs/model.md §2.2).
  return jac.topLeftCorner<2, 2>() - jac.topRightCorner<2, 2>();
}

}  // namespace waddington::reduced
