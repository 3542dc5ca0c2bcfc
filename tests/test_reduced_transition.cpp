// The feature-to-prototype line of docs/model.md §3 (reduced_models/transition.hpp)
// against hand computations and against its defining property.
#include <catch2/catch.hpp>

#include <cmath>

#include "lib/errors.hpp"
#include "reduced_models/transition.hpp"

using namespace waddington::reduced;

TEST_CASE("transition line: hand-computed cases", "[short]") {
  // n = 1, m = 1/2, A.A = 3, A.B = 1: 2^(-1/(2m)) = 1/2, artanh(1/2) = ln(3)/2,
  // so T* = (3 + 1) / (2 * ln(3)/2) = 4 / ln 3 = 3.6409569...
  CHECK(prototype_transition_temperature(3, 1, 1, 0.5) == Approx(4 / std::log(3.0)).epsilon(1e-14));
  CHECK(transition_activation(0.5) == Approx(std::log(3.0) / 2).epsilon(1e-14));
  // n = 2, m = 1: y = 1 - 1/sqrt(2), (1+y)/(1-y) = 2 sqrt(2) - 1, artanh(y) =
  // ln(2 sqrt(2) - 1)/2 = 0.30172805; its square root 0.54929778; with the
  // Figure 5 pair A.A + A.B = 753.2249 + 494.0239 = 1247.2488:
  // T* = 1247.2488 / (2 * 0.54929778) = 1135.31207, T_r* = 1.448102.
  const double T = prototype_transition_temperature(753.2249, 494.0239, 2, 1.0);
  CHECK(T == Approx(1247.2488 / std::sqrt(2 * std::log(2 * std::sqrt(2.0) - 1))).epsilon(1e-13));
  CHECK(T == Approx(1135.31207).epsilon(1e-8));
  // m defaults to n.
  CHECK(prototype_transition_temperature(753.2249, 494.0239, 2) == prototype_transition_temperature(753.2249, 494.0239, 2, 2.0));
}

TEST_CASE("transition line: a perfect mixture costs what a prototype costs on the line", "[short]") {
  // The defining property: at T = T*, x = (A.A + A.B) / (2 T*) gives
  // (1 - tanh(x^n))^(2m) = 1/2 (a prototype's average cost).
  for (double n : {1.5, 2.0, 7.0, 20.0, 40.0, 60.0, 100.0})
    for (double m : {0.5, 1.0, n}) {
      const double self = 760, cross = 610;
      const double T = prototype_transition_temperature(self, cross, n, m);
      const double x = (self + cross) / (2 * T);
      INFO("n = " << n << ", m = " << m);
      CHECK(std::pow(1 - std::tanh(std::pow(x, n)), 2 * m) == Approx(0.5).epsilon(1e-9));
    }
}

TEST_CASE("transition line: decreasing in n, inter uses each memory's own class", "[short]") {
  const std::vector<double> n = {2, 5, 10, 20, 40};
  const auto intra = transition_line(TransitionKind::kIntra, 750, 600, 700, n, 784);
  REQUIRE(intra.size() == n.size());
  for (std::size_t k = 1; k < intra.size(); ++k) CHECK(intra[k].Tr_star < intra[k - 1].Tr_star);
  CHECK(intra[0].Tr_star == Approx(intra[0].T_star / 784));
  const auto inter = transition_line(TransitionKind::kInter, 750, 400, 700, n, 784);
  REQUIRE(inter.size() == 2 * n.size());
  CHECK(inter[0].memory == 1);
  CHECK(inter[1].memory == 2);
  CHECK(inter[0].T_star == Approx(prototype_transition_temperature(750, 400, 2)));
  CHECK(inter[1].T_star == Approx(prototype_transition_temperature(700, 400, 2)));
}

TEST_CASE("transition line: bad input is an InputError", "[short]") {
  CHECK_THROWS_AS(prototype_transition_temperature(1, 1, 0), waddington::InputError);
  CHECK_THROWS_AS(prototype_transition_temperature(1, 1, -2), waddington::InputError);
  CHECK_THROWS_AS(prototype_transition_temperature(1, 1, 2, 0.0), waddington::InputError);
  CHECK_THROWS_AS(prototype_transition_temperature(1, 1, std::nan("")), waddington::InputError);
  CHECK_THROWS_AS(transition_line(TransitionKind::kIntra, 1, 1, 1, {2}, 0), waddington::InputError);
}
