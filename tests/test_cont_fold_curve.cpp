// Fold curves in two parameters, against their closed forms.
#include "continuation/fold_curve.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace waddington::continuation;

namespace {

// dx/dt = mu + lambda x - x^3 with p1 = mu, p2 = lambda. Fold curve:
// lambda = 3x^2, mu = -2x^3, i.e. mu^2 = 4 (lambda/3)^3, cusp at (0, 0).
struct Cusp {
  template <class S>
  void operator()(const S* x, const S& mu, const S& lambda, S* f) const {
    f[0] = mu + lambda * x[0] - x[0] * x[0] * x[0];
  }
};

// dx/dt = p + 2x - x^3 - y, dy/dt = q x - y + x^2/10 (p1 = p, p2 = q). On
// y = q x + x^2/10: p = x^3 + x^2/10 - (2 - q) x. Fold curve, parametrised by x:
// q = 2 - 3x^2 - x/5, p = -2x^3 - x^2/10; cusp where also 6x + 1/5 = 0.
struct Coupled {
  template <class S>
  void operator()(const S* z, const S& p, const S& q, S* f) const {
    f[0] = p + 2.0 * z[0] - z[0] * z[0] * z[0] - z[1];
    f[1] = q * z[0] - z[1] + 0.1 * z[0] * z[0];
  }
};

struct Linear {
  template <class S>
  void operator()(const S* x, const S& p1, const S& p2, S* f) const {
    f[0] = x[0] - p1 + p2;
  }
};

std::vector<FoldCurvePoint> of_type(const FoldCurveResult& r, SpecialPointType type) {
  std::vector<FoldCurvePoint> out;
  for (const auto& sp : r.special_points)
    if (sp.type == type) out.push_back(sp);
  return out;
}

FoldCurveOptions windows(double p1_min, double p1_max, double p2_min, double p2_max, int direction) {
  FoldCurveOptions o;
  o.p1_min = p1_min;
  o.p1_max = p1_max;
  o.continuation.p_min = p2_min;
  o.continuation.p_max = p2_max;
  o.continuation.direction = direction;
  return o;
}

}  // namespace

TEST_CASE("cusp normal form: the fold curve mu^2 = 4 (lambda/3)^3 through the cusp at (0, 0)", "[fold_curve][short]") {
  AutoDiffTwoParameterProblem<Cusp, 1> problem;
  const double x0 = std::sqrt(1.0 / 3);
  // Start slightly off the fold: the start is corrected.
  const FoldCurveResult r =
      continue_fold_curve(problem, Vector::Constant(1, x0 + 0.01), -2 * x0 * x0 * x0 + 0.01, 1.0,
                          windows(-3, 3, -1, 2, -1));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  const auto cusps = of_type(r, SpecialPointType::kCusp);
  REQUIRE(cusps.size() == 1);
  CHECK(cusps[0].converged);
  CHECK(std::abs(cusps[0].p1) < 1e-8);
  CHECK(std::abs(cusps[0].p2) < 1e-8);
  CHECK(std::abs(cusps[0].x(0)) < 1e-8);
  for (const FoldCurveRow& row : r.rows) {
    const double x = row.x(0);
    REQUIRE(std::abs(row.p2 - 3 * x * x) < 1e-10);
    REQUIRE(std::abs(row.p1 + 2 * x * x * x) < 1e-10);
    REQUIRE(std::abs(row.p1 * row.p1 - 4 * std::pow(row.p2 / 3, 3)) < 1e-9);
    // a = w F_xx[v, v] = -6x up to the orientation of w.
    CHECK(std::abs(std::abs(row.normal_form) - 6 * std::abs(x)) < 1e-6);
  }
  // From x > 0 through the cusp to x < 0, ending at lambda = 2.
  CHECK(r.rows.front().x(0) > 0);
  CHECK(std::abs(r.rows.back().p2 - 2) < 1e-12);
  CHECK(std::abs(r.rows.back().x(0) + std::sqrt(2.0 / 3)) < 1e-10);
  CHECK(r.rows.front().normal_form * r.rows.back().normal_form < 0);
}

TEST_CASE("the fold curve leaves the p1 window: a boundary located to 1e-10", "[fold_curve][short]") {
  AutoDiffTwoParameterProblem<Cusp, 1> problem;
  const double x0 = std::sqrt(1.0 / 3);
  const FoldCurveResult r =
      continue_fold_curve(problem, Vector::Constant(1, x0), -2 * x0 * x0 * x0, 1.0, windows(-0.5, 3, -1, 5, +1));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kLeftDomain);
  const auto bs = of_type(r, SpecialPointType::kBoundary);
  REQUIRE(bs.size() == 1);
  CHECK(bs[0].boundary == -1);  // p1 < p1_min
  const double xb = std::cbrt(0.25);  // -2 x^3 = -0.5
  CHECK(std::abs(bs[0].p1 + 0.5) < 1e-10);
  CHECK(std::abs(bs[0].x(0) - xb) < 1e-10);
  CHECK(std::abs(bs[0].p2 - 3 * xb * xb) < 1e-9);
  CHECK(of_type(r, SpecialPointType::kCusp).empty());
}

TEST_CASE("a 2-D non-symmetric fold curve with its cusp in closed form", "[fold_curve][short]") {
  AutoDiffTwoParameterProblem<Coupled, 2> problem;
  // The fold of the q = 1 slice at x = (-0.2 + sqrt(0.04 + 12)) / 6.
  const double xs = (-0.2 + std::sqrt(0.04 + 12.0)) / 6;
  Vector z(2);
  z << xs, xs + 0.1 * xs * xs;
  const double p = -2 * xs * xs * xs - 0.1 * xs * xs;
  for (int direction : {+1, -1}) {
    const FoldCurveResult r = continue_fold_curve(problem, z, p, 1.0, windows(-10, 10, -1, 3, direction));
    INFO(r.FullReport());
    REQUIRE(r.IsComplete());
    for (const FoldCurveRow& row : r.rows) {
      const double x = row.x(0);
      REQUIRE(std::abs(row.p2 - (2 - 3 * x * x - 0.2 * x)) < 1e-10);
      REQUIRE(std::abs(row.p1 - (-2 * x * x * x - 0.1 * x * x)) < 1e-10);
      REQUIRE(std::abs(row.x(1) - (row.p2 * x + 0.1 * x * x)) < 1e-10);
    }
    const auto cusps = of_type(r, SpecialPointType::kCusp);
    if (direction == -1) {
      CHECK(cusps.empty());  // q decreasing from 1 moves away from the cusp at q > 2
      continue;
    }
    REQUIRE(cusps.size() == 1);
    const double xc = -1.0 / 30;
    CHECK(std::abs(cusps[0].x(0) - xc) < 1e-8);
    CHECK(std::abs(cusps[0].p2 - (2 - 3 * xc * xc - 0.2 * xc)) < 1e-10);
    CHECK(std::abs(cusps[0].p1 - (-1.0 / 27000)) < 1e-10);
    // The cusp is also the turning point of the curve in q.
    const auto turns = of_type(r, SpecialPointType::kFold);
    REQUIRE(turns.size() == 1);
    CHECK(std::abs(turns[0].p2 - cusps[0].p2) < 1e-12);
  }
}

TEST_CASE("fold curve bad input: no fold at the start, inverted p1 window", "[fold_curve][short]") {
  AutoDiffTwoParameterProblem<Cusp, 1> problem;
  // dx/dt = x - p1 + p2 has F_x = 1 everywhere: no fold to start from.
  AutoDiffTwoParameterProblem<Linear, 1> linear;
  const FoldCurveResult none = continue_fold_curve(linear, Vector::Constant(1, 0.5), 0.5, 0.0,
                                                   windows(-3, 3, -1, 2, +1));
  INFO(none.FullReport());
  CHECK(none.termination == Termination::kStartFailed);
  CHECK(none.message.find("no fold") != std::string::npos);
  CHECK(none.rows.empty());
  const FoldCurveResult inverted = continue_fold_curve(problem, Vector::Constant(1, 0.5), 0.0, 1.0,
                                                       windows(1, -1, -1, 2, +1));
  CHECK(inverted.termination == Termination::kInvalidOptions);
  CHECK(inverted.message.find("p1 window") != std::string::npos);
}

TEST_CASE("the q = 1 slice continued in p has its folds where the fold curve crosses q = 1", "[fold_curve][short]") {
  AutoDiffTwoParameterProblem<Coupled, 2> problem;
  const FixedSecondParameter slice(problem, 1.0);
  ContinuationOptions o;
  o.p_min = -3;
  o.p_max = 3;
  const ContinuationResult r = continue_branch(slice, Vector::Constant(2, -2.0), -3.0, o);
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  std::vector<double> xs;
  for (const auto& sp : r.special_points)
    if (sp.type == SpecialPointType::kFold) xs.push_back(sp.x(0));
  REQUIRE(xs.size() == 2);
  // 2 - 3x^2 - x/5 = 1.
  const double disc = std::sqrt(0.04 + 12.0);
  CHECK(std::abs(xs[0] - (-0.2 - disc) / 6) < 1e-8);
  CHECK(std::abs(xs[1] - (-0.2 + disc) / 6) < 1e-8);
}
