#pragma once
// Systems with Hopf points and folds known in closed form, or by a
// one-dimensional root of an explicit expression (the branch parametrised by
// a state variable, the Jacobian written out by hand), shared by
// test_cont_hopf.cpp and test_cont_auto_compare.cpp. The references are
// computed independently of the continuation engine.
#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>

#include <cmath>
#include <functional>
#include <vector>

namespace waddington::testing {

// Bisection to the last bit of a sign change of f in [a, b].
inline double root(const std::function<double(double)>& f, double a, double b) {
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
inline std::vector<double> roots(const std::function<double(double)>& f, double a, double b, int grid = 4000) {
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
inline double psi3(const Eigen::Matrix3d& j) {
  double minors = 0;
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b) minors += j(a, a) * j(b, b) - j(a, b) * j(b, a);
  return j.trace() * minors - j.determinant();
}


// The reference folds and Hopf points of a problem in its parameter p.
struct ReferencePoints {
  std::vector<double> fold_p, hopf_p, hopf_omega;
};

inline ReferencePoints ab_reference() {
  const ABBranch ref;
  const double u2_max = ref.ab.B / (1 + ref.ab.beta) - 1e-9;
  ReferencePoints out;
  for (double u2 : roots([&](double u) { return ref.J(u).determinant(); }, 1e-6, u2_max)) out.fold_p.push_back(ref.D(u2));
  for (double u2 : roots([&](double u) { return ref.J(u).trace(); }, 1e-6, u2_max))
    if (const double det = ref.J(u2).determinant(); det > 0) {  // else a neutral saddle
      out.hopf_p.push_back(ref.D(u2));
      out.hopf_omega.push_back(std::sqrt(det));
    }
  return out;
}

inline ReferencePoints abc_reference() {
  const ABCBranch ref;
  const double x3_max = ref.x3_max() * (1 - 1e-6);
  ReferencePoints out;
  for (double x3 : roots([&](double x) { return ref.J(x).determinant(); }, 1e-4, x3_max)) out.fold_p.push_back(ref.D(x3));
  for (double x3 : roots([&](double x) { return psi3(ref.J(x)); }, 1e-4, x3_max)) {
    const Eigen::VectorXcd ev = Eigen::EigenSolver<Eigen::Matrix3d>(ref.J(x3), false).eigenvalues();
    double omega = 0;
    for (int i = 0; i < 3; ++i) omega = std::max(omega, ev(i).imag());
    if (omega > 1e-6) {  // else a neutral saddle
      out.hopf_p.push_back(ref.D(x3));
      out.hopf_omega.push_back(omega);
    }
  }
  return out;
}

}  // namespace waddington::testing
