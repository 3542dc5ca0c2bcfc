// The engine's small-system LU (continuation/small_lu.hpp): fixed-size for
// n <= 5, dynamic beyond, the same solutions and determinants as Eigen's
// dynamic partial-pivot LU at every size.
#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <random>

#include "continuation/small_lu.hpp"

using namespace waddington::continuation;

TEST_CASE("small LU: solutions and determinants equal the dynamic LU's for n = 1..7", "[short]") {
  std::mt19937 rng(7);
  std::normal_distribution<double> g;
  for (int n = 1; n <= 7; ++n)
    for (int trial = 0; trial < 20; ++trial) {
      Eigen::MatrixXd a(n, n);
      Eigen::VectorXd b(n);
      for (int i = 0; i < n; ++i) {
        b(i) = g(rng);
        for (int j = 0; j < n; ++j) a(i, j) = g(rng) * (trial % 3 == 0 ? 1e8 : 1.0);  // also badly scaled rows
      }
      const Eigen::PartialPivLU<Eigen::MatrixXd> reference(a);
      SmallLu lu(n);
      lu.compute(a);
      Eigen::VectorXd x;
      lu.solve(b, &x);
      INFO("n=" << n << " trial=" << trial);
      REQUIRE(x.size() == n);
      const Eigen::VectorXd expected = reference.solve(b);
      CHECK((x - expected).norm() <= 1e-10 * (1 + expected.norm()));
      CHECK((a * x - b).norm() <= 1e-8 * (a.norm() * x.norm() + b.norm()));
      CHECK(lu.determinant() == Approx(reference.determinant()).epsilon(1e-10));
    }
}

TEST_CASE("small LU: a singular system gives non-finite values, as the engine's Newton expects", "[short]") {
  Eigen::Matrix3d a;
  a << 1, 2, 3, 2, 4, 6, 0, 1, 1;
  SmallLu lu(3);
  lu.compute(a);
  Eigen::VectorXd x;
  lu.solve(Eigen::Vector3d(1, 1, 1), &x);
  CHECK(lu.determinant() == 0.0);
  CHECK_FALSE(x.allFinite());
}
