// Trajectories of the reduced flows (odeint, dense output) against an
// independent fixed-step integrator, and the K-memory flow against the
// (alpha, ell) flow it collapses to.
#include <catch2/catch.hpp>

#include "reduced_models/trajectory.hpp"

using namespace waddington::reduced;

TEST_CASE("odeint trajectory agrees with an independent fixed-step RK4", "[short]") {
  TwoMemoryParameters p;
  p.n = 30;
  TrajectoryOptions o;
  o.t_max = 2, o.output_interval = 0.5, o.stop_speed = 0;
  const auto r = integrate_two_memory(p, 0.2, 0.3, o);
  Eigen::Vector2d x(0.2, 0.3);
  const double h = 1e-4;
  auto f = [&](const Eigen::Vector2d& y) { return flow_velocity(p, y(0), y(1), p.n, p.T); };
  for (int i = 0; i < 20000; ++i) {
    const Eigen::Vector2d k1 = f(x), k2 = f(x + 0.5 * h * k1), k3 = f(x + 0.5 * h * k2), k4 = f(x + h * k3);
    x += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  REQUIRE(r.times.back() == Approx(2.0));
  CHECK((r.states.back() - x).norm() < 1e-6);
}

TEST_CASE("two identical memories follow the (alpha, ell) trajectory at T_eff = T / 2^(1/n)", "[short]") {
  TwoMemoryParameters p;
  p.n = 30;
  p.identical_memories = 2;
  TrajectoryOptions o;
  o.t_max = 2, o.output_interval = 0.5, o.stop_speed = 0;
  const auto pair = integrate_two_memory(p, 0.2, 0.3, o);
  Eigen::VectorXd x0(4);
  x0 << 0.2, 0.3, 0.2, 0.3;
  const auto k = integrate_k_memory(p, x0, o);
  REQUIRE(k.times.back() == Approx(2.0));
  REQUIRE(pair.times.back() == Approx(2.0));
  const Eigen::VectorXd& end = k.states.back();
  CHECK(end(0) == end(2));  // the memories stay identical
  CHECK(end(1) == end(3));
  CHECK((end.head(2) - pair.states.back()).norm() < 1e-7);
}
