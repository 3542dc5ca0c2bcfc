#pragma once
// Continuation problems: F(x, p) = 0 with x in R^d and one parameter p (Problem),
// or two parameters (TwoParameterProblem, for fold curves). A problem supplies
// F and its Jacobian; the AutoDiff adapters build both from a functor templated
// on the scalar, through ceres::Jet, so the Jacobian is exact.
//
// The engine knows nothing about where a problem comes from. Domains are
// described by boundary functions b_i(x, p): the branch is inside while every
// b_i >= 0, and leaves the domain where one changes sign from > 0 to < 0.
#include "continuation/types.hpp"

#include <ceres/jet.h>

#include <Eigen/Dense>

#include <string>
#include <type_traits>
#include <utility>

namespace waddington::continuation {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

class Problem {
 public:
  virtual ~Problem() = default;

  // Number of state variables d.
  virtual int dimension() const = 0;

  // Writes F(x, p) (size d) into *f and, when jacobian != nullptr, the d x (d+1)
  // matrix [F_x | F_p] into *jacobian (both are resized by the callee if needed).
  // Returns false where F is undefined or not finite: the engine treats that as
  // a failed Newton step (and shortens the step), never as an error.
  virtual bool evaluate(const Vector& x, double p, Vector* f, Matrix* jacobian) const = 0;

  // Eigenvalues that decide stability: the flow is stable where all have a
  // negative real part. Default: the eigenvalues of F_x. A problem whose real
  // flow is F times a positive factor, or a different linearisation, overrides it.
  virtual Eigen::VectorXcd stability_eigenvalues(const Vector& x, double p) const;

  // Second directional derivative F_xx[v, v] (size d), used for the normal-form
  // coefficient of folds. Default: central difference of the exact F_x along v.
  virtual Vector second_derivative(const Vector& x, double p, const Vector& v) const;

  // Boundary functions b_i, i < boundary_count(): inside while b_i >= 0.
  virtual int boundary_count() const { return 0; }
  virtual double boundary_function(int i, const Vector& x, double p) const { return 1.0; }
  virtual std::string boundary_name(int i) const { return "boundary " + std::to_string(i); }

  // Test functions tau_i, i < test_function_count(): non-terminal events. A sign
  // change of tau_i between two accepted points is located on the branch and
  // reported as a special point of type test_function_type(i) (e.g. kCusp on a
  // fold curve), with test_function_name(i) in its message.
  virtual int test_function_count() const { return 0; }
  virtual double test_function(int i, const Vector& x, double p) const { return 1.0; }
  virtual std::string test_function_name(int i) const { return "test function " + std::to_string(i); }
  virtual SpecialPointType test_function_type(int i) const { return SpecialPointType::kCusp; }

  // Called by the engine after every accepted point of a branch. Problems with
  // internal adaptive state (the borders of the minimally augmented fold system)
  // update it here; the set of solutions of F = 0 must not change.
  virtual void accept_point(const Vector& x, double p) const {}

  // Convenience wrappers around evaluate() (they allocate; not for inner loops).
  // A point where F is undefined gives a vector of NaN here.
  Vector residual(const Vector& x, double p) const;
  Matrix jacobian(const Vector& x, double p) const;
};

// A problem from a functor with a templated call operator
//   template <class S> bool operator()(const S* x, const S& p, S* f) const;
// (return false where F is undefined) or the same returning void. The dimension
// is fixed at compile time (kDimension = d), so the Jets live on the stack.
// Derive from it to add boundary functions or a different stability rule.
template <class Functor, int kDimension>
class AutoDiffProblem : public Problem {
 public:
  static_assert(kDimension > 0, "the state dimension must be positive");
  explicit AutoDiffProblem(Functor functor = Functor()) : functor_(std::move(functor)) {}

  const Functor& functor() const { return functor_; }
  Functor& functor() { return functor_; }

  int dimension() const override { return kDimension; }

  bool evaluate(const Vector& x, double p, Vector* f, Matrix* jacobian) const override {
    f->resize(kDimension);
    if (jacobian == nullptr) {
      double y[kDimension], out[kDimension];
      for (int i = 0; i < kDimension; ++i) y[i] = x(i);
      if (!call(functor_, y, p, out)) return false;
      for (int i = 0; i < kDimension; ++i) (*f)(i) = out[i];
      return f->allFinite();
    }
    using Jet = ceres::Jet<double, kDimension + 1>;
    Jet y[kDimension], out[kDimension];
    for (int i = 0; i < kDimension; ++i) y[i] = Jet(x(i), i);
    const Jet q(p, kDimension);
    if (!call(functor_, y, q, out)) return false;
    jacobian->resize(kDimension, kDimension + 1);
    for (int r = 0; r < kDimension; ++r) {
      (*f)(r) = out[r].a;
      jacobian->row(r) = out[r].v.transpose();
    }
    return f->allFinite() && jacobian->allFinite();
  }

 private:
  template <class S>
  static bool call(const Functor& functor, const S* x, const S& p, S* f) {
    if constexpr (std::is_same_v<decltype(functor(x, p, f)), bool>) {
      return functor(x, p, f);
    } else {
      functor(x, p, f);
      return true;
    }
  }

  Functor functor_;
};

// F(x, p1, p2) = 0: the problem of a fold curve in (p1, p2).
class TwoParameterProblem {
 public:
  virtual ~TwoParameterProblem() = default;

  virtual int dimension() const = 0;

  // F into *f and, when jacobian != nullptr, the d x (d+2) matrix
  // [F_x | F_p1 | F_p2]. False where F is undefined (see Problem::evaluate).
  virtual bool evaluate(const Vector& x, double p1, double p2, Vector* f, Matrix* jacobian) const = 0;

  // Boundary functions b_i(x, p1, p2): inside while b_i >= 0 (see Problem).
  virtual int boundary_count() const { return 0; }
  virtual double boundary_function(int i, const Vector& x, double p1, double p2) const { return 1.0; }
  virtual std::string boundary_name(int i) const { return "boundary " + std::to_string(i); }
};

// A two-parameter problem from a functor
//   template <class S> bool operator()(const S* x, const S& p1, const S& p2, S* f) const;
// (or returning void), with exact Jacobians through ceres::Jet.
template <class Functor, int kDimension>
class AutoDiffTwoParameterProblem : public TwoParameterProblem {
 public:
  static_assert(kDimension > 0, "the state dimension must be positive");
  explicit AutoDiffTwoParameterProblem(Functor functor = Functor()) : functor_(std::move(functor)) {}

  const Functor& functor() const { return functor_; }
  Functor& functor() { return functor_; }

  int dimension() const override { return kDimension; }

  bool evaluate(const Vector& x, double p1, double p2, Vector* f, Matrix* jacobian) const override {
    f->resize(kDimension);
    if (jacobian == nullptr) {
      double y[kDimension], out[kDimension];
      for (int i = 0; i < kDimension; ++i) y[i] = x(i);
      if (!call(functor_, y, p1, p2, out)) return false;
      for (int i = 0; i < kDimension; ++i) (*f)(i) = out[i];
      return f->allFinite();
    }
    using Jet = ceres::Jet<double, kDimension + 2>;
    Jet y[kDimension], out[kDimension];
    for (int i = 0; i < kDimension; ++i) y[i] = Jet(x(i), i);
    const Jet q1(p1, kDimension), q2(p2, kDimension + 1);
    if (!call(functor_, y, q1, q2, out)) return false;
    jacobian->resize(kDimension, kDimension + 2);
    for (int r = 0; r < kDimension; ++r) {
      (*f)(r) = out[r].a;
      jacobian->row(r) = out[r].v.transpose();
    }
    return f->allFinite() && jacobian->allFinite();
  }

 private:
  template <class S>
  static bool call(const Functor& functor, const S* x, const S& p1, const S& p2, S* f) {
    if constexpr (std::is_same_v<decltype(functor(x, p1, p2, f)), bool>) {
      return functor(x, p1, p2, f);
    } else {
      functor(x, p1, p2, f);
      return true;
    }
  }

  Functor functor_;
};

// The one-parameter slice p2 = const of a two-parameter problem, continued in
// p1 (so one functor serves both continue_branch and continue_fold_curve).
// Boundary functions are the two-parameter ones at that p2. Keeps a reference:
// `problem` must outlive the slice.
class FixedSecondParameter : public Problem {
 public:
  FixedSecondParameter(const TwoParameterProblem& problem, double p2) : problem_(problem), p2_(p2) {}

  double p2() const { return p2_; }
  int dimension() const override { return problem_.dimension(); }
  bool evaluate(const Vector& x, double p, Vector* f, Matrix* jacobian) const override;
  int boundary_count() const override { return problem_.boundary_count(); }
  double boundary_function(int i, const Vector& x, double p) const override {
    return problem_.boundary_function(i, x, p, p2_);
  }
  std::string boundary_name(int i) const override { return problem_.boundary_name(i); }

 private:
  const TwoParameterProblem& problem_;
  double p2_;
};

}  // namespace waddington::continuation
