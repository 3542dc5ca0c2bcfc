// Hopf points of the continuation engine (continuation/hopf.hpp and the Hopf
// event of pseudo_arclength.hpp) on systems whose Hopf points and folds are
// known in closed form or by a one-dimensional root of an explicit expression
// (the branch parametrised by a state variable), computed here independently
// of the engine.
#include "continuation/hopf.hpp"
#include "continuation/pseudo_arclength.hpp"
#include "cont_hopf_systems.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <vector>

using namespace waddington::continuation;
using namespace waddington::testing;

namespace {

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

// The bialternate product 2A (.) I built entry by entry (Govaerts, Numerical
// methods for bifurcations of dynamical equilibria, 2000, §4.4).
Eigen::MatrixXd bialternate(const Eigen::MatrixXd& a) {
  const int n = a.rows();
  std::vector<std::pair<int, int>> idx;
  for (int p = 1; p < n; ++p)
    for (int q = 0; q < p; ++q) idx.push_back({p, q});
  Eigen::MatrixXd b = Eigen::MatrixXd::Zero(idx.size(), idx.size());
  for (std::size_t i = 0; i < idx.size(); ++i)
    for (std::size_t k = 0; k < idx.size(); ++k) {
      const auto [p, q] = idx[i];
      const auto [r, s] = idx[k];
      if (r == q) b(i, k) = -a(p, s);
      else if (r != p && s == q) b(i, k) = a(p, r);
      else if (r == p && s == q) b(i, k) = a(p, p) + a(q, q);
      else if (r == p && s != q) b(i, k) = a(q, s);
      else if (s == p) b(i, k) = -a(q, r);
    }
  return b;
}

}  // namespace

TEST_CASE("the test function is the determinant of the bialternate product", "[continuation][short]") {
  std::srand(7);
  for (int n = 2; n <= 5; ++n) {
    const Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n);
    const double expected = bialternate(a).determinant();
    const double got = bialternate_test_function(Eigen::EigenSolver<Eigen::MatrixXd>(a, false).eigenvalues());
    INFO("n = " << n);
    CHECK(got == Approx(expected).epsilon(1e-10));
  }
  CHECK(bialternate_test_function(Eigen::VectorXcd::Constant(1, {-3.0, 0.0})) == 1.0);
  // A pair +-2i with a real eigenvalue -1: the pair's factor is its real part 0.
  Eigen::VectorXcd ev(3);
  ev << std::complex<double>(1e-3, 2), std::complex<double>(1e-3, -2), -1;
  const CrossingPair pair = crossing_pair(ev, 1e-8);
  CHECK(pair.found);
  CHECK(pair.frequency == Approx(2));
  CHECK(pair.real == Approx(1e-3));
  CHECK(unstable_complex_count(ev, 1e-8) == 2);
  ev << 0.5, -0.5, -1;  // a neutral saddle: the nearest factor is a real pair
  CHECK_FALSE(crossing_pair(ev, 1e-8).found);
}

TEST_CASE("Hopf normal form: Hopf at mu = 0 with frequency w, both directions", "[continuation][short]") {
  for (int direction : {+1, -1}) {
    AutoDiffProblem<HopfNormalForm, 2> problem(HopfNormalForm{2.5});
    const double start = direction > 0 ? -1.0 : 1.0;
    const ContinuationResult r = continue_branch(problem, Vector::Zero(2), start, window(-1, 1, direction));
    INFO(r.FullReport());
    REQUIRE(r.termination == Termination::kReachedParameterBound);
    const auto hopf = of_type(r, SpecialPointType::kHopf);
    REQUIRE(hopf.size() == 1);
    CHECK(hopf[0].converged);
    CHECK(std::abs(hopf[0].p) < 1e-10);
    CHECK(hopf[0].frequency == Approx(2.5).epsilon(1e-12));
    CHECK(std::abs(hopf[0].hopf_real_part) < 1e-10);
    CHECK(hopf[0].x.norm() < 1e-12);
    CHECK(std::string(ToString(hopf[0].type)) == "hopf");
    CHECK(r.rows.front().stability == (direction > 0 ? Stability::kStable : Stability::kUnstable));
    CHECK(r.rows.back().stability == (direction > 0 ? Stability::kUnstable : Stability::kStable));
    CHECK(of_type(r, SpecialPointType::kFold).empty());
    CHECK(of_type(r, SpecialPointType::kBranchPoint).empty());
    // Switched off: no Hopf point.
    ContinuationOptions off = window(-1, 1, direction);
    off.detect_hopf = false;
    CHECK(of_type(continue_branch(problem, Vector::Zero(2), start, off), SpecialPointType::kHopf).empty());
  }
}

TEST_CASE("Brusselator: Hopf at b = 1 + a^2 with frequency a", "[continuation][short]") {
  for (double a : {0.5, 1.5, 3.0}) {
    AutoDiffProblem<Brusselator, 2> problem(Brusselator{a});
    Vector x0(2);
    x0 << a, 0.1 / a;
    const ContinuationResult r = continue_branch(problem, x0, 0.1, window(0.1, 2 + 2 * a * a));
    INFO("a = " << a << "\n" << r.FullReport());
    REQUIRE(r.IsComplete());
    const auto hopf = of_type(r, SpecialPointType::kHopf);
    REQUIRE(hopf.size() == 1);
    CHECK(hopf[0].converged);
    CHECK(hopf[0].p == Approx(1 + a * a).epsilon(1e-11));
    CHECK(hopf[0].frequency == Approx(a).epsilon(1e-10));
    CHECK(hopf[0].x(0) == Approx(a).epsilon(1e-12));
    CHECK(hopf[0].x(1) == Approx((1 + a * a) / a).epsilon(1e-11));
  }
}

TEST_CASE("AUTO demo ab: two folds, one Hopf point, a neutral saddle not reported", "[continuation][short]") {
  const ABBranch ref;
  const double u2_max = ref.ab.B / (1 + ref.ab.beta) - 1e-9;
  const auto det = [&](double u2) { return ref.J(u2).determinant(); };
  const auto trace = [&](double u2) { return ref.J(u2).trace(); };
  const std::vector<double> fold_u2 = roots(det, 1e-6, u2_max);
  const std::vector<double> zero_trace = roots(trace, 1e-6, u2_max);
  REQUIRE(fold_u2.size() == 2);
  REQUIRE(zero_trace.size() == 2);  // a neutral saddle (det < 0) and a Hopf point (det > 0)
  REQUIRE(det(zero_trace[0]) < 0);
  REQUIRE(det(zero_trace[1]) > 0);
  const double hopf_u2 = zero_trace[1], omega = std::sqrt(det(hopf_u2));

  AutoDiffProblem<AB, 2> problem;
  ContinuationOptions o = window(0, 0.2);
  o.ds_max = 0.05;
  const ContinuationResult r = continue_branch(problem, Vector::Zero(2), 0.0, o);
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  const auto folds = of_type(r, SpecialPointType::kFold);
  const auto hopf = of_type(r, SpecialPointType::kHopf);
  REQUIRE(folds.size() == 2);
  REQUIRE(hopf.size() == 1);
  for (int i = 0; i < 2; ++i) {
    CHECK(folds[i].p == Approx(ref.D(fold_u2[i])).epsilon(1e-10));
    CHECK(folds[i].x(1) == Approx(fold_u2[i]).epsilon(1e-6));
  }
  CHECK(hopf[0].converged);
  CHECK(hopf[0].p == Approx(ref.D(hopf_u2)).epsilon(1e-10));
  CHECK(hopf[0].x(1) == Approx(hopf_u2).epsilon(1e-9));
  CHECK(hopf[0].frequency == Approx(omega).epsilon(1e-9));
}

TEST_CASE("AUTO demo abc (3-D, B = 10): two folds, one Hopf point, three neutral saddles", "[continuation][short]") {
  const ABCBranch ref;
  const double x3_max = ref.x3_max() * (1 - 1e-6);
  const auto det = [&](double x3) { return ref.J(x3).determinant(); };
  const auto psi = [&](double x3) { return psi3(ref.J(x3)); };
  const std::vector<double> fold_x3 = roots(det, 1e-4, x3_max);
  const std::vector<double> psi_zero = roots(psi, 1e-4, x3_max);
  REQUIRE(fold_x3.size() == 2);
  REQUIRE(psi_zero.size() == 4);
  std::vector<double> hopf_x3;
  for (double x3 : psi_zero) {
    const Eigen::VectorXcd ev = Eigen::EigenSolver<Eigen::Matrix3d>(ref.J(x3), false).eigenvalues();
    bool complex = false;
    for (int i = 0; i < 3; ++i) complex = complex || std::abs(ev(i).imag()) > 1e-6;
    if (complex) hopf_x3.push_back(x3);
  }
  REQUIRE(hopf_x3.size() == 1);

  AutoDiffProblem<ABC, 3> problem;
  ContinuationOptions o = window(0, 0.2);
  o.ds_max = 0.05;
  o.max_steps = 20000;
  const ContinuationResult r = continue_branch(problem, Vector::Zero(3), 0.0, o);
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  const auto folds = of_type(r, SpecialPointType::kFold);
  const auto hopf = of_type(r, SpecialPointType::kHopf);
  REQUIRE(folds.size() == 2);
  REQUIRE(hopf.size() == 1);
  for (int i = 0; i < 2; ++i) {
    CHECK(folds[i].p == Approx(ref.D(fold_x3[i])).epsilon(1e-10));
    CHECK(folds[i].x(2) == Approx(fold_x3[i]).epsilon(1e-6));
  }
  const Eigen::VectorXcd ev = Eigen::EigenSolver<Eigen::Matrix3d>(ref.J(hopf_x3[0]), false).eigenvalues();
  double omega = 0;
  for (int i = 0; i < 3; ++i) omega = std::max(omega, ev(i).imag());
  CHECK(hopf[0].converged);
  CHECK(hopf[0].p == Approx(ref.D(hopf_x3[0])).epsilon(1e-10));
  CHECK(hopf[0].x(2) == Approx(hopf_x3[0]).epsilon(1e-9));
  CHECK(hopf[0].frequency == Approx(omega).epsilon(1e-9));
}

TEST_CASE("a neutral saddle (real eigenvalues +-r) is no Hopf point", "[continuation][short]") {
  AutoDiffProblem<NeutralSaddle, 2> problem;
  const ContinuationResult r = continue_branch(problem, Vector::Zero(2), -1.0, window(-1, 1));
  INFO(r.FullReport());
  REQUIRE(r.termination == Termination::kReachedParameterBound);
  CHECK(of_type(r, SpecialPointType::kHopf).empty());
  for (const BranchRow& row : r.rows) CHECK(row.stability == Stability::kSaddle);
}

TEST_CASE("Hopf options are validated", "[continuation][short]") {
  ContinuationOptions o;
  o.hopf_imag_tolerance = 0;
  std::string why;
  CHECK_FALSE(o.IsValid(&why));
  CHECK(why.find("hopf_imag_tolerance") != std::string::npos);
}
