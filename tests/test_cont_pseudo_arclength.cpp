// The continuation engine on problems whose branches, folds and branch points
// are known in closed form.
#include "continuation/pseudo_arclength.hpp"
#include "continuation/branch_switch.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

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

// Pitchfork dx/dt = mu x - x^3.
struct Pitchfork {
  template <class S>
  void operator()(const S* x, const S& mu, S* f) const {
    f[0] = mu * x[0] - x[0] * x[0] * x[0];
  }
};

// 2-D pitchfork with a stable transverse direction and a coupling:
// dx/dt = mu x - x^3 - x y, dy/dt = -y + x^2. Branches: x = y = 0, and
// x = +-sqrt(mu/2), y = mu/2.
struct Pitchfork2D {
  template <class S>
  void operator()(const S* z, const S& mu, S* f) const {
    f[0] = mu * z[0] - z[0] * z[0] * z[0] - z[0] * z[1];
    f[1] = -z[1] + z[0] * z[0];
  }
};

// Transcritical dx/dt = mu x - x^2.
struct Transcritical {
  template <class S>
  void operator()(const S* x, const S& mu, S* f) const {
    f[0] = mu * x[0] - x[0] * x[0];
  }
};

// A 2-D system with a non-symmetric Jacobian: dx/dt = p + 2x - x^3 - y,
// dy/dt = x/2 - y + x^2/10. On y = x/2 + x^2/10, p = x^3 + x^2/10 - 3x/2, with
// folds where 3x^2 + x/5 - 3/2 = 0.
struct Coupled {
  template <class S>
  void operator()(const S* z, const S& p, S* f) const {
    f[0] = p + 2.0 * z[0] - z[0] * z[0] * z[0] - z[1];
    f[1] = 0.5 * z[0] - z[1] + 0.1 * z[0] * z[0];
  }
};
double coupled_p(double x) { return x * x * x + 0.1 * x * x - 1.5 * x; }

// The circle x^2 + p^2 = 1: an isola with folds at p = -+1.
struct Circle {
  template <class S>
  void operator()(const S* x, const S& p, S* f) const {
    f[0] = x[0] * x[0] + p * p - 1.0;
  }
};

// Cusp with the domain x <= 1.2.
class BoundedCusp : public AutoDiffProblem<Cusp, 1> {
 public:
  using AutoDiffProblem::AutoDiffProblem;
  int boundary_count() const override { return 1; }
  double boundary_function(int, const Vector& x, double) const override { return 1.2 - x(0); }
  std::string boundary_name(int) const override { return "1.2 - x"; }
};

// No equilibrium anywhere: dx/dt = 1 + x^2.
struct NoRoot {
  template <class S>
  void operator()(const S* x, const S& p, S* f) const {
    f[0] = 1.0 + x[0] * x[0] + 0.0 * p;
  }
};

// dx/dt = x - p, undefined for p > 0.5 (and no boundary function says so).
struct Undefined {
  template <class S>
  bool operator()(const S* x, const S& p, S* f) const {
    f[0] = x[0] - p;
    return p < 0.5;
  }
};

std::vector<SpecialPoint> of_type(const ContinuationResult& r, SpecialPointType type) {
  std::vector<SpecialPoint> out;
  for (const auto& sp : r.special_points)
    if (sp.type == type) out.push_back(sp);
  return out;
}

ContinuationOptions window(double lo, double hi, int direction = +1) {
  ContinuationOptions o;
  o.p_min = lo;
  o.p_max = hi;
  o.direction = direction;
  return o;
}

}  // namespace

TEST_CASE("default options are valid and enums round-trip", "[continuation][short]") {
  std::string why;
  CHECK(ContinuationOptions().IsValid(&why));
  for (auto t : {Termination::kNotRun, Termination::kReachedParameterBound, Termination::kLeftDomain,
                 Termination::kClosedLoop, Termination::kMaxSteps, Termination::kStepTooSmall,
                 Termination::kStartFailed, Termination::kInvalidOptions}) {
    Termination back = Termination::kNotRun;
    REQUIRE(FromString(ToString(t), &back));
    CHECK(back == t);
  }
  for (auto t : {SpecialPointType::kFold, SpecialPointType::kBranchPoint, SpecialPointType::kBoundary,
                 SpecialPointType::kEndpoint, SpecialPointType::kCusp, SpecialPointType::kHopf}) {
    SpecialPointType back = SpecialPointType::kEndpoint;
    REQUIRE(FromString(ToString(t), &back));
    CHECK(back == t);
  }
  for (auto s : {Stability::kStable, Stability::kUnstable, Stability::kSaddle, Stability::kUnknown}) {
    Stability back = Stability::kUnknown;
    REQUIRE(FromString(ToString(s), &back));
    CHECK(back == s);
  }
  Stability s = Stability::kStable;
  CHECK_FALSE(FromString("wobbly", &s));
  CHECK(s == Stability::kStable);
}

TEST_CASE("cusp normal form: folds at mu = -+2 (lambda/3)^(3/2), stable outer branches", "[continuation][short]") {
  const double lambda = 1.3;
  AutoDiffProblem<Cusp, 1> problem(Cusp{lambda});
  const ContinuationResult r = continue_branch(problem, Vector::Constant(1, -2.0), -2.0, window(-2, 2));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  REQUIRE(r.IsComplete());
  const auto folds = of_type(r, SpecialPointType::kFold);
  REQUIRE(folds.size() == 2);
  const double xf = std::sqrt(lambda / 3), muf = 2 * std::pow(lambda / 3, 1.5);
  CHECK(std::abs(folds[0].p - muf) < 1e-10);
  CHECK(std::abs(folds[0].x(0) + xf) < 1e-8);
  CHECK(std::abs(folds[1].p + muf) < 1e-10);
  CHECK(std::abs(folds[1].x(0) - xf) < 1e-8);
  CHECK(folds[0].converged);
  CHECK(folds[1].converged);
  // Normal form c = w F_xx[v,v] / w F_mu = -6 x_fold.
  CHECK(folds[0].normal_form == Approx(6 * xf).epsilon(1e-6));
  CHECK(folds[1].normal_form == Approx(-6 * xf).epsilon(1e-6));
  CHECK(of_type(r, SpecialPointType::kBranchPoint).empty());
  // The whole S: every row on mu = x^3 - lambda x, from mu = -2 to exactly mu = 2.
  CHECK(r.rows.front().p == -2.0);
  CHECK(std::abs(r.rows.back().p - 2.0) < 1e-12);
  int stable = 0, unstable = 0;
  for (const BranchRow& row : r.rows) {
    const double x = row.x(0);
    REQUIRE(std::abs(row.p - (x * x * x - lambda * x)) < 1e-10);
    const double fx = lambda - 3 * x * x;  // the 1x1 Jacobian, independently
    if (std::abs(fx) < 1e-8) continue;
    CHECK(row.stability == (fx < 0 ? Stability::kStable : Stability::kUnstable));
    CHECK(row.unstable_count == (fx < 0 ? 0 : 1));
    (fx < 0 ? stable : unstable)++;
  }
  CHECK(stable > 10);
  CHECK(unstable > 10);
}

TEST_CASE("a fold found while continuing in the decreasing direction", "[continuation][short]") {
  const double lambda = 1.0;
  AutoDiffProblem<Cusp, 1> problem(Cusp{lambda});
  const ContinuationResult r = continue_branch(problem, Vector::Constant(1, 1.5), 2.0, window(-2, 2, -1));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  CHECK(r.rows[1].p < r.rows[0].p);
  const auto folds = of_type(r, SpecialPointType::kFold);
  REQUIRE(folds.size() == 2);
  const double xf = std::sqrt(lambda / 3), muf = 2 * std::pow(lambda / 3, 1.5);
  CHECK(std::abs(folds[0].p + muf) < 1e-10);
  CHECK(std::abs(folds[0].x(0) - xf) < 1e-8);
  CHECK(std::abs(folds[1].p - muf) < 1e-10);
  CHECK(std::abs(folds[1].x(0) + xf) < 1e-8);
  CHECK(std::abs(r.rows.back().p + 2.0) < 1e-12);
  CHECK(r.rows.back().x(0) < -1);
}

TEST_CASE("pitchfork: branch point at mu = 0 and branch switching onto x = +-sqrt(mu)", "[continuation][short]") {
  AutoDiffProblem<Pitchfork, 1> problem;
  const ContinuationOptions options = window(-1, 1);
  const ContinuationResult r = continue_branch(problem, Vector::Constant(1, 0.0), -1.0, options);
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  const auto bps = of_type(r, SpecialPointType::kBranchPoint);
  REQUIRE(bps.size() == 1);
  CHECK(std::abs(bps[0].p) < 1e-10);
  CHECK(bps[0].converged);
  CHECK(of_type(r, SpecialPointType::kFold).empty());
  for (const BranchRow& row : r.rows) {
    if (std::abs(row.p) < 1e-8) continue;
    CHECK(row.stability == (row.p < 0 ? Stability::kStable : Stability::kUnstable));
  }
  const BranchStart start = branch_switch(problem, bps[0], options);
  INFO(start.message);
  REQUIRE(start.converged);
  CHECK(std::abs(start.x(0)) > 0.001);
  std::vector<double> ends;
  for (int direction : {+1, -1}) {
    ContinuationOptions o = options;
    o.direction = direction;
    const ContinuationResult b = continue_branch(problem, start, o);
    INFO(b.FullReport());
    REQUIRE(b.termination == Termination::kReachedParameterBound);
    for (const BranchRow& row : b.rows) {
      REQUIRE(std::abs(row.x(0) * row.x(0) - row.p) < 1e-10);
      if (row.p > 1e-6) CHECK(row.stability == Stability::kStable);
    }
    CHECK(std::abs(b.rows.back().p - 1) < 1e-12);
    ends.push_back(b.rows.back().x(0));
  }
  // One half ends at x = +1, the other (through the branch point) at x = -1.
  CHECK(std::abs(ends[0] * ends[1] + 1) < 1e-10);
}

TEST_CASE("2-D pitchfork with a transverse direction: x = +-sqrt(mu/2), y = mu/2", "[continuation][short]") {
  AutoDiffProblem<Pitchfork2D, 2> problem;
  const ContinuationOptions options = window(-1, 1);
  const ContinuationResult r = continue_branch(problem, Vector::Zero(2), -1.0, options);
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  const auto bps = of_type(r, SpecialPointType::kBranchPoint);
  REQUIRE(bps.size() == 1);
  CHECK(std::abs(bps[0].p) < 1e-10);
  CHECK(bps[0].x.norm() < 1e-10);
  for (const BranchRow& row : r.rows) {
    if (std::abs(row.p) < 1e-8) continue;
    // Eigenvalues mu and -1: stable, then a saddle.
    CHECK(row.stability == (row.p < 0 ? Stability::kStable : Stability::kSaddle));
  }
  const BranchStart start = branch_switch(problem, bps[0], options);
  REQUIRE(start.converged);
  for (int direction : {+1, -1}) {
    ContinuationOptions o = options;
    o.direction = direction;
    const ContinuationResult b = continue_branch(problem, start, o);
    INFO(b.FullReport());
    REQUIRE(b.termination == Termination::kReachedParameterBound);
    for (const BranchRow& row : b.rows) {
      REQUIRE(std::abs(row.x(1) - row.p / 2) < 1e-10);
      REQUIRE(std::abs(row.x(0) * row.x(0) - row.p / 2) < 1e-10);
      if (row.p > 1e-6) CHECK(row.stability == Stability::kStable);
    }
    CHECK(std::abs(std::abs(b.rows.back().x(0)) - std::sqrt(0.5)) < 1e-10);
  }
}

TEST_CASE("transcritical: exchange of stability at mu = 0, switching onto x = mu", "[continuation][short]") {
  AutoDiffProblem<Transcritical, 1> problem;
  const ContinuationOptions options = window(-1, 1);
  const ContinuationResult r = continue_branch(problem, Vector::Constant(1, 0.0), -1.0, options);
  INFO(r.FullReport());
  const auto bps = of_type(r, SpecialPointType::kBranchPoint);
  REQUIRE(bps.size() == 1);
  CHECK(std::abs(bps[0].p) < 1e-10);
  const BranchStart start = branch_switch(problem, bps[0], options);
  REQUIRE(start.converged);
  for (int direction : {+1, -1}) {
    ContinuationOptions o = options;
    o.direction = direction;
    const ContinuationResult b = continue_branch(problem, start, o);
    INFO(b.FullReport());
    REQUIRE(b.termination == Termination::kReachedParameterBound);
    for (const BranchRow& row : b.rows) {
      REQUIRE(std::abs(row.x(0) - row.p) < 1e-10);
      if (std::abs(row.p) > 1e-6) CHECK(row.stability == (row.p > 0 ? Stability::kStable : Stability::kUnstable));
    }
    CHECK(std::abs(std::abs(b.rows.back().p) - 1) < 1e-12);
  }
}

TEST_CASE("a boundary function stops the branch where x = 1.2, located to 1e-10", "[continuation][short]") {
  const double lambda = 1.0;
  BoundedCusp problem(Cusp{lambda});
  const ContinuationResult r = continue_branch(problem, Vector::Constant(1, -1.5), -2.0, window(-5, 5));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kLeftDomain);
  const auto bs = of_type(r, SpecialPointType::kBoundary);
  REQUIRE(bs.size() == 1);
  CHECK(bs[0].boundary == 0);
  CHECK(bs[0].index == static_cast<int>(r.rows.size()) - 1);
  CHECK(std::abs(bs[0].x(0) - 1.2) < 1e-10);
  CHECK(std::abs(bs[0].p - (1.2 * 1.2 * 1.2 - lambda * 1.2)) < 1e-10);
  CHECK(std::abs(r.rows.back().x(0) - 1.2) < 1e-10);
  CHECK(of_type(r, SpecialPointType::kFold).size() == 2);
  for (const BranchRow& row : r.rows) CHECK(row.x(0) <= 1.2 + 1e-10);
}

// Cusp with the domain x <= edge (a start placed on the edge).
class EdgeCusp : public AutoDiffProblem<Cusp, 1> {
 public:
  EdgeCusp(double edge) : AutoDiffProblem(Cusp{1.0}), edge_(edge) {}
  int boundary_count() const override { return 1; }
  double boundary_function(int, const Vector& x, double) const override { return edge_ - x(0); }
  std::string boundary_name(int) const override { return "edge - x"; }

 private:
  double edge_;
};

TEST_CASE("a start on the domain's edge to within the Newton tolerance is accepted, one beyond it refused",
          "[continuation][short]") {
  // The equilibrium at mu = 1.2^3 - 1.2 is x = 1.2; the edge sits 1e-12 inside it,
  // as a branch continued across a piece edge lands on it only to rounding.
  const double mu = 1.2 * 1.2 * 1.2 - 1.2;
  EdgeCusp on_edge(1.2 - 1e-12);
  const ContinuationResult r = continue_branch(on_edge, Vector::Constant(1, 1.2), mu, window(-5, 5));
  INFO(r.FullReport());
  CHECK(r.termination != Termination::kStartFailed);
  REQUIRE_FALSE(r.rows.empty());
  for (const BranchRow& row : r.rows) CHECK(row.x(0) <= 1.2 + 1e-10);
  EdgeCusp outside(1.2 - 1e-6);
  const ContinuationResult bad = continue_branch(outside, Vector::Constant(1, 1.2), mu, window(-5, 5));
  CHECK(bad.termination == Termination::kStartFailed);
  CHECK(bad.message.find("outside the domain") != std::string::npos);
}

TEST_CASE("a 2-D non-symmetric system: folds in closed form, branch vs brute-force root count", "[continuation][short]") {
  AutoDiffProblem<Coupled, 2> problem;
  const ContinuationResult r = continue_branch(problem, Vector::Constant(2, -3.0), -3.0, window(-3, 3));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  const auto folds = of_type(r, SpecialPointType::kFold);
  REQUIRE(folds.size() == 2);
  const double disc = std::sqrt(0.04 + 18.0);
  const double x_hi = (-0.2 + disc) / 6, x_lo = (-0.2 - disc) / 6;  // roots of 3x^2 + x/5 - 3/2
  CHECK(std::abs(folds[0].x(0) - x_lo) < 1e-8);
  CHECK(std::abs(folds[0].p - coupled_p(x_lo)) < 1e-10);
  CHECK(std::abs(folds[1].x(0) - x_hi) < 1e-8);
  CHECK(std::abs(folds[1].p - coupled_p(x_hi)) < 1e-10);
  CHECK(std::abs(folds[0].x(1) - (0.5 * x_lo + 0.1 * x_lo * x_lo)) < 1e-8);
  // Stability from the 2x2 trace and determinant, independently of the engine.
  for (const BranchRow& row : r.rows) {
    const double x = row.x(0);
    const double a = 2 - 3 * x * x, b = -1, c = 0.5 + 0.2 * x, d = -1;
    const double tr = a + d, det = a * d - b * c;
    if (std::abs(det) < 1e-8 || std::abs(tr) < 1e-8) continue;
    const Stability expected = det < 0 ? Stability::kSaddle : (tr < 0 ? Stability::kStable : Stability::kUnstable);
    CHECK(row.stability == expected);
  }
  // Brute force: at each p, the number of roots of p = p(x) on a fine x grid
  // equals the number of times the continued branch crosses that p.
  for (double p = -2.95; p < 3; p += 0.1) {
    int grid = 0;
    const double h = 1e-4;
    for (double x = -4; x < 4; x += h) grid += (coupled_p(x) - p) * (coupled_p(x + h) - p) < 0;
    int crossings = 0;
    for (std::size_t i = 1; i < r.rows.size(); ++i) crossings += (r.rows[i - 1].p - p) * (r.rows[i].p - p) < 0;
    INFO("p = " << p);
    CHECK(grid == crossings);
  }
}

TEST_CASE("an isola: the circle closes into a loop with two folds", "[continuation][short]") {
  AutoDiffProblem<Circle, 1> problem;
  const ContinuationResult r = continue_branch(problem, Vector::Constant(1, 0.9), 0.0, window(-2, 2));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kClosedLoop);
  const auto folds = of_type(r, SpecialPointType::kFold);
  REQUIRE(folds.size() == 2);
  CHECK(std::abs(std::abs(folds[0].p) - 1) < 1e-10);
  CHECK(std::abs(folds[0].x(0)) < 1e-8);
  CHECK(std::abs(folds[0].p + folds[1].p) < 1e-10);
  CHECK((r.rows.back().x - r.rows.front().x).norm() < 1e-12);
}

TEST_CASE("bad input is reported in the result with a message", "[continuation][short]") {
  AutoDiffProblem<Cusp, 1> cusp;
  SECTION("inverted window") {
    const ContinuationResult r = continue_branch(cusp, Vector::Zero(1), 0.0, window(1, -1));
    CHECK(r.termination == Termination::kInvalidOptions);
    CHECK(r.message.find("inverted") != std::string::npos);
    CHECK(r.rows.empty());
  }
  SECTION("empty window") {
    const ContinuationResult r = continue_branch(cusp, Vector::Zero(1), 0.0, window(0, 0));
    CHECK(r.termination == Termination::kInvalidOptions);
    CHECK(r.message.find("empty") != std::string::npos);
  }
  SECTION("start outside the window") {
    const ContinuationResult r = continue_branch(cusp, Vector::Zero(1), 3.0, window(-1, 1));
    CHECK(r.termination == Termination::kInvalidOptions);
    CHECK(r.message.find("outside the window") != std::string::npos);
  }
  SECTION("wrong state size") {
    const ContinuationResult r = continue_branch(cusp, Vector::Zero(2), 0.0, window(-1, 1));
    CHECK(r.termination == Termination::kInvalidOptions);
  }
  SECTION("no equilibrium near the start") {
    AutoDiffProblem<NoRoot, 1> problem;
    const ContinuationResult r = continue_branch(problem, Vector::Zero(1), 0.0, window(-1, 1));
    CHECK(r.termination == Termination::kStartFailed);
    CHECK(r.message.find("no solution near the start") != std::string::npos);
    CHECK_FALSE(r.IsComplete());
    CHECK(r.rows.empty());
  }
  SECTION("F undefined ahead: Newton fails, the branch is reported truncated") {
    AutoDiffProblem<Undefined, 1> problem;
    const ContinuationResult r = continue_branch(problem, Vector::Zero(1), 0.0, window(-1, 1));
    INFO(r.FullReport());
    CHECK(r.termination == Termination::kStepTooSmall);
    CHECK_FALSE(r.IsComplete());
    CHECK(r.message.find("ds_min") != std::string::npos);
    REQUIRE_FALSE(r.rows.empty());
    CHECK(r.rows.back().p < 0.5);
    CHECK(r.rows.back().p > 0.49);
    CHECK(r.special_points.back().type == SpecialPointType::kEndpoint);
  }
  SECTION("max_steps") {
    ContinuationOptions o = window(-2, 2);
    o.max_steps = 5;
    const ContinuationResult r = continue_branch(cusp, Vector::Constant(1, -1.5), -2.0, o);
    CHECK(r.termination == Termination::kMaxSteps);
    CHECK(r.rows.size() == 6);
    CHECK(r.message.find("max_steps") != std::string::npos);
  }
  SECTION("invalid step options") {
    ContinuationOptions o = window(-2, 2);
    o.ds_max = 1e-3;
    std::string why;
    CHECK_FALSE(o.IsValid(&why));
    const ContinuationResult r = continue_branch(cusp, Vector::Constant(1, -1.5), -2.0, o);
    CHECK(r.termination == Termination::kInvalidOptions);
    CHECK(r.message.find(why) != std::string::npos);
  }
}
