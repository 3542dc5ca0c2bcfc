// Fixed-size LU for small bordered systems (small_lu.hpp).
#include "continuation/small_lu.hpp"

namespace waddington::continuation {

SmallLu::SmallLu(int n) {
  switch (n) {
    case 2: lu_.emplace<Fixed<2>>(); break;
    case 3: lu_.emplace<Fixed<3>>(); break;
    case 4: lu_.emplace<Fixed<4>>(); break;
    case 5: lu_.emplace<Fixed<5>>(); break;
    default: lu_.emplace<Eigen::PartialPivLU<Eigen::MatrixXd>>(n); break;
  }
}

void SmallLu::compute(const Eigen::MatrixXd& a) {
  std::visit(
      [&](auto& lu) {
        using Lu = std::decay_t<decltype(lu)>;
        lu.compute(typename Lu::MatrixType(a));
      },
      lu_);
}

void SmallLu::solve(const Eigen::VectorXd& b, Eigen::VectorXd* x) const {
  std::visit(
      [&](const auto& lu) {
        using Lu = std::decay_t<decltype(lu)>;
        using Column = Eigen::Matrix<double, Lu::MatrixType::RowsAtCompileTime, 1>;
        *x = lu.solve(Column(b));
      },
      lu_);
}

double SmallLu::determinant() const {
  return std::visit([](const auto& lu) { return lu.determinant(); }, lu_);
}

}  // namespace waddington::continuation
