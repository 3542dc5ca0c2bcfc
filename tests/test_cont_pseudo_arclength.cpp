// The continuation engine on problems whose branches, folds and branch points
// are known in closed form.
#include "continuation/pseudo_arclength.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace waddington::continuation;

namespace {

// Cusp normal form dx/dt = mu + lambda x - x^3, continued in mu.
struct Cusp {
  double lambda = 1;
  template <class S>
  void operator()(const S* x, const S& mu, S* f) const {
    f[0] = mu + lambda * x[0] - x[0] * x[0] * x[0];
  }
};

}  // namespace

TEST_CASE("cusp normal form: folds at mu = -+2 (lambda/3)^(3/2)", "[continuation]") {
  const double lambda = 1.3;
  AutoDiffProblem<Cusp, 1> problem(Cusp{lambda});
  ContinuationOptions options;
  options.p_min = -2;
  options.p_max = 2;
  const ContinuationResult r = continue_branch(problem, Vector::Constant(1, -2.0), -2.0, options);
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  std::vector<SpecialPoint> folds;
  for (const auto& sp : r.special_points)
    if (sp.type == SpecialPointType::kFold) folds.push_back(sp);
  REQUIRE(folds.size() == 2);
  const double xf = std::sqrt(lambda / 3), muf = 2 * std::pow(lambda / 3, 1.5);
  CHECK(folds[0].p == Approx(muf).margin(1e-10));
  CHECK(folds[0].x(0) == Approx(-xf).margin(1e-8));
  CHECK(folds[1].p == Approx(-muf).margin(1e-10));
  CHECK(folds[1].x(0) == Approx(xf).margin(1e-8));
}
