// The reduced two-memory flow (docs/model.md §2, §2.2): log-space evaluation against
// the naive formulas, exact Jacobians against finite differences, the
// K-memory flow against the (alpha, ell) flow with T_eff, validation.
#include <catch2/catch.hpp>

#include <array>
#include <random>

#include "lib/errors.hpp"
#include "reduced_models/k_memory.hpp"
#include "reduced_models/two_memory.hpp"

using namespace waddington;
using namespace waddington::reduced;

namespace {

// docs/model.md §2 written out naively (std::pow, std::tanh): fine for moderate n.
// `conditioned` is false where a sum cancels (or |D_ell| ~ |D_gam|), where
// any two correct evaluations may differ by more than rounding.
Eigen::Vector2d naive_velocity(const TwoMemoryParameters& p, double alpha, double ell, bool* conditioned) {
  const double n = p.n, m = p.cost_power(), t_eff = p.effective_temperature();
  const double aA = alpha, aB = p.chart * (1 - std::abs(alpha));
  const double xA = std::max(aA * p.AA + aB * p.AB, 0.0) / t_eff, xB = std::max(aA * p.AB + aB * p.BB, 0.0) / t_eff;
  const double uA = std::tanh(ell * std::pow(xA, n)), uB = std::tanh(ell * std::pow(xB, n));
  const double gA = std::tanh(std::pow(xA, n)), gB = std::tanh(std::pow(xB, n));
  auto P = [m](double u) { return std::pow(1 - u, 2 * m - 1) * (1 - u * u); };
  auto Q = [m](double u) { return std::pow(1 + u, 2 * m - 1) * (1 - u * u); };
  const double w = (p.classes - 2) / 2.0;
  const double DA = ell * P(uA) * std::pow(xA, n - 1) + w * P(gA) * std::pow(xA, n - 1);
  const double DB = -ell * Q(uB) * std::pow(xB, n - 1) + w * P(gB) * std::pow(xB, n - 1);
  const double Dl = P(uA) * std::pow(xA, n) - Q(uB) * std::pow(xB, n);
  const double Dg = -P(gA) * std::pow(xA, n) - P(gB) * std::pow(xB, n);
  const double q = (aA > 0 ? 1 : -1) * DA + (aB > 0 ? 1 : -1) * DB;
  const double lab_terms = P(uA) * std::pow(xA, n) + Q(uB) * std::pow(xB, n);
  const double mem_terms = (std::abs(ell) * P(uA) + w * P(gA)) * std::pow(xA, n - 1) +
                           (std::abs(ell) * Q(uB) + w * P(gB)) * std::pow(xB, n - 1);
  // 1 - |tanh| loses digits as tanh saturates, and (1-u)^(2m-1) amplifies the loss.
  const bool unsaturated = std::max({std::abs(uA), std::abs(uB), gA, gB}) < 1 - 1e-4;
  *conditioned = unsaturated && std::abs(Dl) > 1e-6 * lab_terms && std::abs(std::abs(Dl) - std::abs(Dg)) > 1e-6 * lab_terms &&
                 std::abs(DA - aA * q) > 1e-6 * mem_terms;
  return {(DA - aA * q) / (std::abs(DA) + std::abs(DB)), Dl / std::max(std::abs(Dl), std::abs(Dg))};
}

TwoMemoryParameters params(double n, double T, int chart = 1) {
  TwoMemoryParameters p;
  p.n = n, p.T = T, p.chart = chart;
  return p;
}

}  // namespace

TEST_CASE("log-space velocity equals the naive formulas of docs/model.md §2 at moderate n", "[short]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> a(0.02, 0.98), l(-0.99, 0.99);
  int checked = 0;
  for (double n : {1.0, 2.5, 5.0, 10.0, 20.0, 30.0})
    for (double T : {500.0, 700.0, 900.0})
      for (int k = 0; k < 20; ++k) {
        const auto p = params(n, T);
        const double alpha = a(rng), ell = l(rng);
        bool conditioned = false;
        const Eigen::Vector2d naive = naive_velocity(p, alpha, ell, &conditioned);
        // Skip where the naive form under/overflows (that is the point of log space) or cancels.
        if (!naive.allFinite() || !conditioned) continue;
        const Eigen::Vector2d v = flow_velocity(p, alpha, ell, p.n, p.T, false);
        INFO("n=" << n << " T=" << T << " alpha=" << alpha << " ell=" << ell << " v=" << v.transpose()
                  << " naive=" << naive.transpose());
        CHECK((v - naive).cwiseAbs().maxCoeff() < 1e-9);
        ++checked;
      }
  CHECK(checked > 200);
}

TEST_CASE("Jet Jacobians match central finite differences at random interior points", "[short]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> a(0.05, 0.95), l(-0.95, 0.95);
  using J = ceres::Jet<double, 4>;
  constexpr double kFloor = 1e-3;
  int checked_F = 0, checked_v = 0;
  for (double n : {2.0, 5.0, 15.0, 30.0, 50.0, 100.0})
    for (double Tr : {0.3, 0.89, 1.5})
      for (int k = 0; k < 15; ++k) {
        const auto p = params(n, Tr * 784);
        const double x[4] = {a(rng), l(rng), n, p.T};
        const auto F = numerator_residual(p, J(x[0], 0), J(x[1], 1), J(x[2], 2), J(x[3], 3));
        const auto V = flow_velocity(p, J(x[0], 0), J(x[1], 1), J(x[2], 2), J(x[3], 3), false);
        for (int var = 0; var < 4; ++var) {
          // Fourth-order central differences in long double (rounding ~1e-19,
          // truncation ~h^4: both far below the 1e-6 tolerance).
          using LD = long double;
          const LD h = 1e-5L * std::max(1.0, std::abs(x[var]));
          auto shifted = [&](LD k) {
            std::array<LD, 4> y = {x[0], x[1], x[2], x[3]};
            y[var] += k * h;
            return y;
          };
          auto fd4 = [&](auto f) {
            auto at = [&](LD k) { const auto y = shifted(k); return f(y.data()); };
            return ((LD(8) * (at(1) - at(-1)) - (at(2) - at(-2))) / (LD(12) * h)).template cast<double>().eval();
          };
          const auto xp = shifted(1), xm = shifted(-1);
          const auto fd_F = fd4([&](const LD* y) { return numerator_residual<LD>(p, y[0], y[1], y[2], y[3]); });
          const Eigen::Vector2d jet_F(F(0).v(var), F(1).v(var));
          // Relative to the size of the whole Jacobian row (columns can be ~0),
          // floored at kFloor: F and v are O(1) (drive terms scaled to <= 1).
          for (int row = 0; row < 2; ++row) {
            INFO("n=" << n << " Tr=" << Tr << " alpha=" << x[0] << " ell=" << x[1] << " var=" << var << " row=" << row
                      << " jet=" << jet_F(row) << " fd=" << fd_F(row) << " F=" << F(row).a);
            const double scale = std::max({std::abs(F(row).v(0)), std::abs(F(row).v(1)), std::abs(F(row).v(2)) * std::max(1.0, n),
                                           std::abs(F(row).v(3)) * p.T, kFloor});
            CHECK(std::abs(jet_F(row) - fd_F(row)) / scale < 1e-6);
          }
          ++checked_F;
          // The real velocity has corners where |D_ell| = |D_gam| or D_A, D_B change
          // sign: compare only where the stencil does not cross one.
          auto branch = [&](const LD* y) {
            const auto d = two_memory_drives<LD>(p, y[0], chart_alpha_B<LD>(p.chart, y[0]), y[1], y[2], y[3]);
            return std::tuple(d.A > 0, d.B > 0, std::abs(d.ell) > std::abs(d.gam));
          };
          const LD x0[4] = {x[0], x[1], x[2], x[3]};
          const auto xp2 = shifted(2), xm2 = shifted(-2);
          if (branch(xp.data()) != branch(x0) || branch(xm.data()) != branch(x0) || branch(xp2.data()) != branch(x0) ||
              branch(xm2.data()) != branch(x0))
            continue;
          const auto fd_v = fd4([&](const LD* y) { return flow_velocity<LD>(p, y[0], y[1], y[2], y[3], false); });
          for (int row = 0; row < 2; ++row) {
            const double scale = std::max({std::abs(V(row).v(0)), std::abs(V(row).v(1)), std::abs(V(row).v(2)) * std::max(1.0, n),
                                           std::abs(V(row).v(3)) * p.T, kFloor});
            CHECK(std::abs(V(row).v(var) - fd_v(row)) / scale < 1e-6);
            ++checked_v;
          }
        }
      }
  CHECK(checked_F == 6 * 3 * 15 * 4);
  CHECK(checked_v > 400);
}

TEST_CASE("n from 1 to 100 and T_r from 0.3 to 1.5: finite everywhere, corners included", "[short]") {
  for (double n : {1.0, 3.0, 30.0, 60.0, 100.0})
    for (double Tr : {0.3, 0.89, 1.5})
      for (int chart : {1, -1}) {
        const auto p = params(n, Tr * 784, chart);
        for (double alpha : {-1.0, -0.7, -0.5, -0.2, 0.0, 1e-12, 0.3, 0.5, 0.9, 1.0})
          for (double ell : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
            INFO("n=" << n << " Tr=" << Tr << " chart=" << chart << " alpha=" << alpha << " ell=" << ell);
            const auto v = flow_velocity(p, alpha, ell, p.n, p.T);
            const auto F = numerator_residual(p, alpha, ell, p.n, p.T);
            CHECK(v.allFinite());
            CHECK(F.allFinite());
            CHECK(v.cwiseAbs().maxCoeff() <= 1.0 + 1e-12);  // normalised updates (docs/model.md §2)
          }
      }
}

TEST_CASE("label clipping: no motion through ell = +-1", "[short]") {
  const auto p = params(100, 0.89 * 784);
  for (double alpha = 0.05; alpha < 1; alpha += 0.05) {
    const double Dl_top = numerator_residual(p, alpha, 1.0, p.n, p.T)(1);
    const double Dl_bottom = numerator_residual(p, alpha, -1.0, p.n, p.T)(1);
    if (Dl_top > 0) CHECK(flow_velocity(p, alpha, 1.0, p.n, p.T)(1) == 0.0);
    if (Dl_bottom < 0) CHECK(flow_velocity(p, alpha, -1.0, p.n, p.T)(1) == 0.0);
  }
}

TEST_CASE("K identical memories equal the (alpha, ell) flow at T_eff = T / K^(1/n)", "[short]") {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> a(-0.9, 0.95), l(-1.0, 1.0);
  for (int K : {1, 2, 3, 5})
    for (double n : {3.0, 20.0, 45.0})
      for (int chart : {1, -1})
        for (int k = 0; k < 10; ++k) {
          auto p = params(n, 700, chart);
          const double alpha = a(rng), ell = l(rng);
          std::vector<double> state, velocity(2 * K);
          for (int mu = 0; mu < K; ++mu) state.insert(state.end(), {alpha, ell});
          k_memory_velocity(p, K, state.data(), velocity.data(), p.n, p.T);
          p.identical_memories = K;
          const auto v = flow_velocity(p, alpha, ell, p.n, p.T);
          for (int mu = 0; mu < K; ++mu) {
            CHECK(velocity[2 * mu] == Approx(v(0)).margin(1e-12));
            CHECK(velocity[2 * mu + 1] == Approx(v(1)).margin(1e-12));
          }
        }
}

TEST_CASE("K = 2 at a symmetric point: symmetric and antisymmetric blocks", "[short]") {
  auto p = params(20, 700);
  Eigen::VectorXd state(4);
  state << 0.45, 0.1, 0.45, 0.1;
  const Eigen::MatrixXd jac = k_memory_jacobian(p, 2, state);
  // Exchange symmetry: J_11 = J_22, J_12 = J_21.
  CHECK((jac.topLeftCorner<2, 2>() - jac.bottomRightCorner<2, 2>()).norm() < 1e-9 * jac.norm());
  CHECK((jac.topRightCorner<2, 2>() - jac.bottomLeftCorner<2, 2>()).norm() < 1e-9 * jac.norm());
  // The symmetric block J_11 + J_12 is the Jacobian of the reduced flow (k = 2).
  using J2 = ceres::Jet<double, 2>;
  const auto v = flow_velocity(p, J2(0.45, 0), J2(0.1, 1), J2(p.n), J2(p.T), false);
  Eigen::Matrix2d reduced;
  reduced << v(0).v(0), v(0).v(1), v(1).v(0), v(1).v(1);
  CHECK(((jac.topLeftCorner<2, 2>() + jac.topRightCorner<2, 2>()) - reduced).norm() < 1e-8 * reduced.norm());
  // The antisymmetric block against finite differences of the 4-variable flow.
  const double h = 1e-6;
  Eigen::Matrix2d fd;
  for (int c = 0; c < 2; ++c) {
    Eigen::VectorXd plus = state, minus = state;
    plus(c) += h, plus(2 + c) -= h, minus(c) -= h, minus(2 + c) += h;
    std::vector<double> vp(4), vm(4);
    k_memory_velocity(p, 2, plus.data(), vp.data(), p.n, p.T, false);
    k_memory_velocity(p, 2, minus.data(), vm.data(), p.n, p.T, false);
    fd(0, c) = (vp[0] - vm[0]) / (2 * h), fd(1, c) = (vp[1] - vm[1]) / (2 * h);
  }
  CHECK((antisymmetric_jacobian(p, 0.45, 0.1) - fd).norm() < 1e-6 * fd.norm());
}

TEST_CASE("bad parameters are rejected with a one-line message", "[short]") {
  auto expect = [](TwoMemoryParameters p, const std::string& fragment) {
    std::string why;
    CHECK_FALSE(p.IsValid(&why));
    CHECK(why.find(fragment) != std::string::npos);
    CHECK(why.find('\n') == std::string::npos);
    CHECK_THROWS_AS(p.Validate(), InputError);
  };
  TwoMemoryParameters p;
  CHECK(p.IsValid(nullptr));
  auto q = p; q.AA = 0; expect(q, "AA");
  q = p; q.AA = -3; expect(q, "AA");
  q = p; q.BB = std::nan(""); expect(q, "BB");
  q = p; q.AB = 1e9; expect(q, "AB^2");
  q = p; q.n = 0; expect(q, "n");
  q = p; q.n = -2; expect(q, "n");
  q = p; q.T = 0; expect(q, "T");
  q = p; q.T = INFINITY; expect(q, "T");
  q = p; q.chart = 0; expect(q, "chart");
  q = p; q.m = 0.1; expect(q, "m");
  q = p; q.classes = 1; expect(q, "classes");
  q = p; q.T = 1; q.n = 200; expect(q, "overflows");
}
