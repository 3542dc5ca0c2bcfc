// Hopf points of the continuation engine (continuation/hopf.hpp and the Hopf
// event of pseudo_arclength.hpp) on systems whose Hopf points and folds are
// known in closed form or by a one-dimensional root of an explicit expression
// (the branch parametrised by a state variable), computed here independently
// of the engine.
#include "continuation/hopf.hpp"
#include "continuation/pseudo_arclength.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <functional>
#include <vector>

using namespace waddington::continuation;

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

// Bisection to the last bit of a sign change of f in [a, b].
double root(const std::function<double(double)>& f, double a, double b) {
  double fa = f(a);
  REQUIRE(fa * f(b) < 0);
  for (int i = 0; i < 200 && b - a > 0; ++i) {
    const double m = 0.5 * (a + b);
    if (m <= a || m >= b) break;
    const double fm = f(m);
    if ((fm < 0) == (fa < 0)) a = m, fa = fm;
    else b = m;
  }
  return 0.5 * (a + b);
}

// Every sign change of f on a fine grid of [a, b], refined by bisection.
std::vector<double> roots(const std::function<double(double)>& f, double a, double b, int grid = 4000) {
  std::vector<double> out;
  double x0 = a, f0 = f(a);
  for (int i = 1; i <= grid; ++i) {
    const double x1 = a + (b - a) * i / grid, f1 = f(x1);
    if (f0 * f1 < 0) out.push_back(root(f, x0, x1));
    x0 = x1, f0 = f1;
  }
  return out;
}

// Hopf normal form: x' = mu x - w y - x r^2, y' = w x + mu y - y r^2. The
// origin is an equilibrium for every mu, with eigenvalues mu +- i w.
struct HopfNormalForm {
  double w = 2;
  template <class S>
  void operator()(const S* z, const S& mu, S* f) const {
    const S r2 = z[0] * z[0] + z[1] * z[1];
    f[0] = mu * z[0] - w * z[1] - z[0] * r2;
    f[1] = w * z[0] + mu * z[1] - z[1] * r2;
  }
};

// Brusselator x' = a - (b + 1) x + x^2 y, y' = b x - x^2 y, continued in b.
// Equilibrium (a, b / a), trace b - 1 - a^2, det a^2: Hopf at b = 1 + a^2, omega = a.
struct Brusselator {
  double a = 1.5;
  template <class S>
  void operator()(const S* z, const S& b, S* f) const {
    f[0] = a - (b + 1.0) * z[0] + z[0] * z[0] * z[1];
    f[1] = b * z[0] - z[0] * z[0] * z[1];
  }
};

// AUTO-07p's demo `ab` (the A -> B reaction), continued in D = PAR(1):
// u1' = -u1 + D (1 - u1) e^u2, u2' = -u2 + D B (1 - u1) e^u2 - beta u2.
struct AB {
  double B = 14, beta = 2;
  template <class S>
  void operator()(const S* u, const S& D, S* f) const {
    const S e = exp(u[1]);
    f[0] = -u[0] + D * (1.0 - u[0]) * e;
    f[1] = -u[1] + D * B * (1.0 - u[0]) * e - beta * u[1];
  }
};

// AUTO-07p's demo `abc` (the A -> B -> C reaction), continued in D = PAR(1),
// with alpha = 1, beta = 1.55, B = 10, s = 0.04 (the demo has B = 8, without folds).
struct ABC {
  double alpha = 1, beta = 1.55, B = 10, s = 0.04;
  template <class S>
  void operator()(const S* x, const S& D, S* f) const {
    const S e = exp(x[2]), x1c = 1.0 - x[0];
    f[0] = -x[0] + D * x1c * e;
    f[1] = -x[1] + D * e * (x1c - s * x[1]);
    f[2] = -x[2] - beta * x[2] + D * B * e * (x1c + alpha * s * x[1]);
  }
};

// A neutral saddle and no Hopf point: x' = mu x + y, y' = x - y^3. The origin
// has the eigenvalues (mu +- sqrt(mu^2 + 4)) / 2: real, summing to mu.
struct NeutralSaddle {
  template <class S>
  void operator()(const S* z, const S& mu, S* f) const {
    f[0] = mu * z[0] + z[1];
    f[1] = z[0] - z[1] * z[1] * z[1];
  }
};

// The ab branch parametrised by u2: u1 = (1 + beta) u2 / B, D = u1 / ((1 - u1) e^u2),
// with the Jacobian in closed form.
struct ABBranch {
  AB ab;
  double D(double u2) const {
    const double u1 = (1 + ab.beta) * u2 / ab.B;
    return u1 / ((1 - u1) * std::exp(u2));
  }
  Eigen::Matrix2d J(double u2) const {
    const double u1 = (1 + ab.beta) * u2 / ab.B;
    Eigen::Matrix2d j;
    j << -1 / (1 - u1), u1, -ab.B * u1 / (1 - u1), -1 + ab.B * u1 - ab.beta;
    return j;
  }
};

// The abc branch parametrised by x3: with u = D e^x3, x1 = u / (1 + u),
// x2 = u / ((1 + u)(1 + s u)) and (1 + beta) x3 = B (x1 + alpha s u x2), a
// monotone equation for u.
struct ABCBranch {
  ABC abc;
  double u_of(double x3) const {
    const auto g = [&](double u) {
      return abc.B * (u / (1 + u) + abc.alpha * abc.s * u * u / ((1 + u) * (1 + abc.s * u))) - (1 + abc.beta) * x3;
    };
    return root(g, 0, 1e15);
  }
  double D(double x3) const { return u_of(x3) / std::exp(x3); }
  Eigen::Matrix3d J(double x3) const {
    const double u = u_of(x3), x1 = u / (1 + u), x2 = u / ((1 + u) * (1 + abc.s * u)), x1c = 1 - x1;
    const double B = abc.B, s = abc.s, al = abc.alpha;
    Eigen::Matrix3d j;
    j << -1 - u, 0, u * x1c, -u, -1 - u * s, u * (x1c - s * x2), -u * B, u * B * al * s,
        -1 - abc.beta + u * B * (x1c + al * s * x2);
    return j;
  }
  double x3_max() const { return abc.B * (1 + abc.alpha) / (1 + abc.beta); }
};

// prod_{i<j} (lambda_i + lambda_j) of a 3x3 matrix from its coefficients:
// trace * (sum of principal 2x2 minors) - det (Routh-Hurwitz).
double psi3(const Eigen::Matrix3d& j) {
  double minors = 0;
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b) minors += j(a, a) * j(b, b) - j(a, b) * j(b, a);
  return j.trace() * minors - j.determinant();
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
