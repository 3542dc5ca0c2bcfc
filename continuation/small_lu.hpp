#pragma once
// Partial-pivot LU of the engine's bordered systems [J; t^T] ((d+1) x (d+1)),
// with the size fixed at compile time for d + 1 <= 5 (the reduced models have
// d = 1..4): Eigen's fixed-size LU is unrolled and allocates nothing, where the
// dynamic one pays for its generality on every Newton step (docs/numerics.md
// §11). Larger systems use the dynamic LU. Same algorithm (partial pivoting)
// at every size, so the solutions agree to rounding.
#include <Eigen/Dense>

#include <variant>

namespace waddington::continuation {

class SmallLu {
 public:
  explicit SmallLu(int n);

  // Factorises the n x n matrix a.
  void compute(const Eigen::MatrixXd& a);
  // x = a^-1 b for the last factorised a (x is resized to n).
  void solve(const Eigen::VectorXd& b, Eigen::VectorXd* x) const;
  double determinant() const;

 private:
  template <int N>
  using Fixed = Eigen::PartialPivLU<Eigen::Matrix<double, N, N>>;
  std::variant<Fixed<2>, Fixed<3>, Fixed<4>, Fixed<5>, Eigen::PartialPivLU<Eigen::MatrixXd>> lu_;
};

}  // namespace waddington::continuation
