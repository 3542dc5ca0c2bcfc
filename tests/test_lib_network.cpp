// The network of docs/model.md §1: both analytic gradients against Richardson-
// extrapolated central finite differences of the cost, and finite values at
// the edges of the parameter range.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "lib/network.hpp"
#include "lib/synthetic.hpp"

using namespace waddington;

namespace {

struct Problem {
  NetworkParameters parameters;
  NetworkState state;
  Eigen::MatrixXd samples, targets;
};

// A small problem whose activations are neither all zero nor saturated:
// T is set so that the largest overlap <M, sigma>/T is 1.1 (so x^n <= 1.1^n),
// and the labels are scaled so that the largest |l^T h| is 1.2 (tanh is
// steep there). Overlaps closer than 0.05 to the kink at 0 are avoided.
Problem make_problem(double n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const int k = 3, pixels = 12, samples = 8, classes = 4;
  Problem p;
  p.samples = Eigen::MatrixXd::NullaryExpr(samples, pixels, [&] { return uniform(rng) > 0 ? 1.0 : -1.0; });
  p.state.memories = Eigen::MatrixXd::NullaryExpr(k, pixels, [&] { return uniform(rng); });
  // Make each memory close to one sample so that some overlaps are large and positive.
  for (int mu = 0; mu < k; ++mu) p.state.memories.row(mu) += 0.8 * p.samples.row(mu);
  const Eigen::MatrixXd overlaps = p.state.memories * p.samples.transpose();
  p.parameters = {n, n, overlaps.maxCoeff() / 1.1};
  p.state.labels = Eigen::MatrixXd::NullaryExpr(k, classes, [&] { return uniform(rng); });
  const Eigen::ArrayXXd h = (overlaps.array() / p.parameters.temperature).max(0.0).pow(n);
  p.state.labels *= 1.2 / (p.state.labels.transpose() * h.matrix()).cwiseAbs().maxCoeff();
  std::vector<int> classes_of(samples);
  for (int s = 0; s < samples; ++s) classes_of[std::size_t(s)] = s % classes;
  p.targets = target_matrix(classes_of, classes);
  return p;
}

double cost(const Problem& p, const NetworkState& state) {
  NetworkEvaluator evaluator(p.parameters);
  return evaluator.evaluate(state, p.samples, p.targets);
}

// Fourth-order (Richardson) central difference of the cost along one entry.
double finite_difference(const Problem& p, Eigen::MatrixXd NetworkState::*field, Eigen::Index i, double step) {
  auto at = [&](double delta) {
    NetworkState shifted = p.state;
    (shifted.*field)(i) += delta;
    return cost(p, shifted);
  };
  const double d1 = (at(step) - at(-step)) / (2 * step);
  const double d2 = (at(step / 2) - at(-step / 2)) / step;
  return (4 * d2 - d1) / 3;
}

double relative_error(const Eigen::MatrixXd& analytic, const Eigen::MatrixXd& numeric) {
  return (analytic - numeric).norm() / numeric.norm();
}

}  // namespace

TEST_CASE("both gradients match finite differences of the cost at n = 3, 30 and 7.5", "[network][gradient][short]") {
  for (double n : {3.0, 30.0, 7.5}) {  // 7.5: the non-integer power path
    for (std::uint64_t seed : {1u, 2u}) {
      const Problem p = make_problem(n, seed);
      const Eigen::ArrayXXd x = (p.state.memories * p.samples.transpose()).array() / p.parameters.temperature;
      INFO("n = " << n << ", seed " << seed);
      // The state is neither dead nor saturated, and away from the kink at x = 0.
      REQUIRE((x > 0.05).count() >= x.size() / 4);
      REQUIRE(x.abs().minCoeff() > 0.01);
      NetworkEvaluator evaluator(p.parameters);
      evaluator.evaluate(p.state, p.samples, p.targets);
      REQUIRE(evaluator.activations().maxCoeff() > 0.5);
      REQUIRE(evaluator.scores().cwiseAbs().maxCoeff() < 0.9);
      Eigen::MatrixXd grad_memories, grad_labels;
      evaluator.gradients(p.state, p.samples, grad_memories, grad_labels);

      Eigen::MatrixXd fd_memories(grad_memories.rows(), grad_memories.cols());
      for (Eigen::Index i = 0; i < fd_memories.size(); ++i)
        fd_memories(i) = finite_difference(p, &NetworkState::memories, i, 1e-4);
      Eigen::MatrixXd fd_labels(grad_labels.rows(), grad_labels.cols());
      for (Eigen::Index i = 0; i < fd_labels.size(); ++i)
        fd_labels(i) = finite_difference(p, &NetworkState::labels, i, 1e-4);
      const double error_memories = relative_error(grad_memories, fd_memories);
      const double error_labels = relative_error(grad_labels, fd_labels);
      INFO("relative error dCost/dM " << error_memories << ", dCost/dl " << error_labels);
      CHECK(fd_memories.norm() > 1e-3);
      CHECK(fd_labels.norm() > 1e-3);
      CHECK(error_memories < 1e-6);
      CHECK(error_labels < 1e-6);
    }
  }
}

TEST_CASE("cost at a known state: all scores zero gives (0 - t)^(2m) = 1 per entry", "[network][short]") {
  NetworkState state;
  state.memories = Eigen::MatrixXd::Constant(2, 5, -1.0);  // overlaps with +1 samples are negative: h = 0
  state.labels = Eigen::MatrixXd::Constant(2, 10, 0.3);
  const Eigen::MatrixXd samples = Eigen::MatrixXd::Ones(3, 5);
  NetworkEvaluator evaluator({30, 30, 2.0});
  CHECK(evaluator.evaluate(state, samples, target_matrix({0, 4, 9}, 10)) == 30.0);
  CHECK(evaluator.activations().isZero());
  Eigen::MatrixXd gm, gl;
  evaluator.gradients(state, samples, gm, gl);
  CHECK(gm.isZero());  // dead memories feel no force
  CHECK(gl.isZero());
}

TEST_CASE("odd power is sign(x)|x|^p for real p", "[network][short]") {
  Eigen::ArrayXXd x(1, 4);
  x << -2.0, -0.5, 0.0, 1.5;
  const Eigen::ArrayXXd y = odd_power(x, 2.5);
  CHECK(y(0) == Approx(-std::pow(2.0, 2.5)));
  CHECK(y(1) == Approx(-std::pow(0.5, 2.5)));
  CHECK(y(2) == 0.0);
  CHECK(y(3) == Approx(std::pow(1.5, 2.5)));
}

TEST_CASE("finite cost and gradients for n in 1..100 and T_r in 0.3..1.5", "[network][edges][short]") {
  const Dataset data = synthetic_digits(SyntheticDigitsOptions{.per_class = 3});
  const double pixels = double(data.num_pixels());
  NetworkState state;
  state.memories = data.images.topRows(10);  // memories equal to samples: the largest overlaps possible, N/T = 1/T_r
  state.labels = Eigen::MatrixXd::Constant(10, 10, -0.5);
  state.labels.diagonal().setConstant(1.0);
  const Eigen::MatrixXd targets = target_matrix(data.labels, 10);
  for (double n : {1.0, 2.0, 7.5, 30.0, 60.0, 100.0}) {
    for (double tr : {0.3, 0.89, 1.5}) {
      NetworkEvaluator evaluator({n, n, tr * pixels});
      const double cost = evaluator.evaluate(state, data.images, targets);
      Eigen::MatrixXd gm, gl;
      evaluator.gradients(state, data.images, gm, gl);
      INFO("n = " << n << ", T_r = " << tr);
      CHECK(std::isfinite(cost));
      CHECK(gm.allFinite());
      CHECK(gl.allFinite());
      // (x/T)^n computed as a ratio first: at T_r = 0.3 and n = 100, x^n alone would overflow.
      CHECK(evaluator.activations().maxCoeff() == Approx(std::pow(1.0 / tr, n)).epsilon(1e-9));
    }
  }
}
