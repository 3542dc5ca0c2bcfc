// Fold curves: the minimally augmented system as a one-parameter Problem in
// y = (x, p1) with parameter p2, continued by continue_branch (fold_curve.hpp).
#include "continuation/fold_curve.hpp"

#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace waddington::continuation {
namespace {

class AugmentedFold : public Problem {
 public:
  AugmentedFold(const TwoParameterProblem& problem, const FoldCurveOptions& options)
      : pb_(problem),
        d_(problem.dimension()),
        p1_min_(options.p1_min),
        p1_max_(options.p1_max),
        tolerance_(options.continuation.newton_tolerance) {}

  // Borders from the singular vectors of F_x at the start (its null vectors at a fold).
  bool init_borders(const Vector& x, double p1, double p2) {
    Vector f;
    Matrix j;
    if (!pb_.evaluate(x, p1, p2, &f, &j)) return false;
    Eigen::JacobiSVD<Matrix> svd(j.leftCols(d_), Eigen::ComputeFullU | Eigen::ComputeFullV);
    c_ = svd.matrixV().col(d_ - 1);
    b_ = svd.matrixU().col(d_ - 1);
    cached_y_.resize(0);
    last_y_.resize(0);
    return true;
  }

  int dimension() const override { return d_ + 1; }

  bool evaluate(const Vector& y, double p2, Vector* f, Matrix* jacobian) const override {
    Null nv;
    if (!null_vectors(y, p2, &nv)) return false;
    f->resize(d_ + 1);
    f->head(d_) = nv.f;
    (*f)(d_) = nv.g;
    if (jacobian == nullptr) return std::isfinite(nv.g);
    Matrix dj;
    if (!jacobian_along(y, p2, nv.v, &dj)) return false;
    // g_z = -w^T (d/dz F_x) v, from differentiating [F_x b; c^T 0][v; g] = e.
    jacobian->resize(d_ + 1, d_ + 2);
    jacobian->topRows(d_) = nv.j;
    jacobian->row(d_) = -nv.w.transpose() * dj;
    // The corrector's last evaluation is at the accepted point: its null
    // vectors and dj serve the normal form and accept_point there.
    last_y_ = y;
    last_p2_ = p2;
    last_null_ = nv;
    last_dj_ = dj;
    return jacobian->allFinite();
  }

  // Boundaries: the p1 window, then the problem's own.
  int boundary_count() const override { return 2 + pb_.boundary_count(); }
  double boundary_function(int i, const Vector& y, double p2) const override {
    if (i == 0) return y(d_) - p1_min_;
    if (i == 1) return p1_max_ - y(d_);
    return pb_.boundary_function(i - 2, y.head(d_), y(d_), p2);
  }
  std::string boundary_name(int i) const override {
    if (i == 0) return "p1 - p1_min";
    if (i == 1) return "p1_max - p1";
    return pb_.boundary_name(i - 2);
  }

  int test_function_count() const override { return 1; }
  double test_function(int i, const Vector& y, double p2) const override { return cached_normal_form(y, p2); }
  std::string test_function_name(int i) const override {
    return "cusp (the normal-form coefficient w.F_xx[v, v] changes sign)";
  }
  SpecialPointType test_function_type(int i) const override { return SpecialPointType::kCusp; }

  // Records a at the accepted point, then aligns the borders with its null vectors.
  void accept_point(const Vector& y, double p2) const override {
    Null nv;
    if (at_last(y, p2)) {
      nv = last_null_;
    } else if (!null_vectors(y, p2, &nv)) {
      return;
    }
    normal_forms_.push_back(cached_normal_form(y, p2));
    c_ = nv.v.normalized();
    b_ = nv.w.normalized();
    cached_y_.resize(0);  // the borders changed
    last_y_.resize(0);
  }

  // normal_form, the last value kept: the engine asks for it at an accepted
  // point (its test function) and then again in accept_point, with the same
  // borders (three evaluations of F saved per point).
  double cached_normal_form(const Vector& y, double p2) const {
    if (!(cached_y_.size() == y.size() && cached_p2_ == p2 && cached_y_ == y)) {
      cached_value_ = normal_form(y, p2);
      cached_y_ = y;
      cached_p2_ = p2;
    }
    return cached_value_;
  }

  // a = w.F_xx[v, v], v and w unit, oriented along the borders.
  double normal_form(const Vector& y, double p2) const {
    if (at_last(y, p2)) {  // dj along v is |v| times dj along v / |v| (the same difference points)
      const double norm = last_null_.v.norm();
      const Vector v = last_null_.v / norm;
      return last_null_.w.normalized().dot((last_dj_.leftCols(d_) / norm) * v);
    }
    Null nv;
    Matrix dj;
    if (!null_vectors(y, p2, &nv)) return 0;
    const Vector v = nv.v.normalized();
    if (!jacobian_along(y, p2, v, &dj)) return 0;
    return nv.w.normalized().dot(dj.leftCols(d_) * v);
  }

  const std::vector<double>& normal_forms() const { return normal_forms_; }

 private:
  struct Null {
    Vector f, v, w;
    Matrix j;
    double g = 0;
  };

  // [F_x b; c^T 0][v; g] = e and [F_x b; c^T 0]^T [w; h] = e.
  bool null_vectors(const Vector& y, double p2, Null* out) const {
    const Vector x = y.head(d_);
    if (!pb_.evaluate(x, y(d_), p2, &out->f, &out->j)) return false;
    Matrix m = Matrix::Zero(d_ + 1, d_ + 1);
    m.topLeftCorner(d_, d_) = out->j.leftCols(d_);
    m.topRightCorner(d_, 1) = b_;
    m.bottomLeftCorner(1, d_) = c_.transpose();
    const Eigen::PartialPivLU<Matrix> lu(m);
    const Vector e = Vector::Unit(d_ + 1, d_);
    const Vector vg = lu.solve(e), wh = lu.transpose().solve(e);
    out->v = vg.head(d_);
    out->g = vg(d_);
    out->w = wh.head(d_);
    return vg.allFinite() && wh.allFinite();
  }

  // d/de [F_x | F_p1 | F_p2](x + e u) at e = 0, by a central difference of the exact Jacobian.
  bool jacobian_along(const Vector& y, double p2, const Vector& u, Matrix* out) const {
    const Vector x = y.head(d_);
    const double norm = u.norm();
    const double h = 1e-5 * std::max(1.0, x.lpNorm<Eigen::Infinity>()) / std::max(norm, 1e-300);
    Vector f;
    Matrix jp, jm;
    if (!pb_.evaluate(x + h * u, y(d_), p2, &f, &jp) || !pb_.evaluate(x - h * u, y(d_), p2, &f, &jm)) return false;
    *out = (jp - jm) / (2 * h);
    return out->allFinite();
  }

  // The point of the last evaluate() with a Jacobian, with the current borders,
  // to the corrector's last step (which the engine takes without evaluating
  // again once it is within newton_tolerance: the null vectors and dj there
  // agree with those at y to that order).
  bool at_last(const Vector& y, double p2) const {
    if (last_y_.size() != y.size()) return false;
    const double slack = tolerance_ * std::max(1.0, y.lpNorm<Eigen::Infinity>());
    return std::abs(last_p2_ - p2) <= tolerance_ * std::max(1.0, std::abs(p2)) &&
           (last_y_ - y).lpNorm<Eigen::Infinity>() <= slack;
  }

  const TwoParameterProblem& pb_;
  const int d_;
  const double p1_min_, p1_max_;
  const double tolerance_;  // the corrector's newton_tolerance
  mutable Vector b_, c_;
  mutable std::vector<double> normal_forms_;
  mutable Vector cached_y_;  // empty: nothing cached
  mutable double cached_p2_ = 0, cached_value_ = 0;
  mutable Vector last_y_;  // empty: none (or the borders changed since)
  mutable double last_p2_ = 0;
  mutable Null last_null_;
  mutable Matrix last_dj_;
};

}  // namespace

bool FoldCurveOptions::IsValid(std::string* why) const {
  if (!continuation.IsValid(why)) return false;
  if (std::isnan(p1_min) || std::isnan(p1_max) || !(p1_min < p1_max)) {
    if (why != nullptr)
      *why = fmt::format("empty or inverted p1 window: p1_min = {:g} must be < p1_max = {:g}", p1_min, p1_max);
    return false;
  }
  return true;
}

bool FoldCurveResult::IsComplete() const {
  return termination == Termination::kReachedParameterBound || termination == Termination::kLeftDomain ||
         termination == Termination::kClosedLoop;
}

std::string FoldCurveResult::BriefReport() const {
  int cusps = 0;
  for (const auto& sp : special_points) cusps += sp.type == SpecialPointType::kCusp;
  return fmt::format("fold curve: {} ({} points, {} cusps): {}", ToString(termination), rows.size(), cusps, message);
}

std::string FoldCurveResult::FullReport() const {
  std::string out = BriefReport() + "\n";
  for (const auto& sp : special_points) {
    std::string x;
    for (int i = 0; i < sp.x.size(); ++i) x += fmt::format("{}{:.12g}", i ? ", " : "", sp.x(i));
    out += fmt::format("  {:<12} p1 = {:.12g}  p2 = {:.12g}  x = ({})  row {}  {}  {}\n", ToString(sp.type), sp.p1,
                       sp.p2, x, sp.index, sp.converged ? "located" : "NOT located", sp.message);
  }
  return out;
}

FoldCurveResult continue_fold_curve(const TwoParameterProblem& problem, const Vector& x, double p1, double p2,
                                    const FoldCurveOptions& options) {
  FoldCurveResult result;
  std::string why;
  if (!options.IsValid(&why)) {
    result.termination = Termination::kInvalidOptions;
    result.message = "invalid options: " + why;
    return result;
  }
  const int d = problem.dimension();
  if (x.size() != d || !x.allFinite() || !std::isfinite(p1) || !std::isfinite(p2)) {
    result.termination = Termination::kInvalidOptions;
    result.message = fmt::format("invalid start: x needs {} finite values (got {}), p1 and p2 finite", d, x.size());
    return result;
  }
  AugmentedFold augmented(problem, options);
  if (!augmented.init_borders(x, p1, p2)) {
    result.termination = Termination::kStartFailed;
    result.message = "F is undefined at the start of the fold curve";
    return result;
  }
  ContinuationOptions o = options.continuation;
  o.compute_stability = false;
  o.detect_hopf = false;  // the augmented system's spectrum says nothing about Hopf points of F
  Vector y(d + 1);
  y << x, p1;
  const ContinuationResult branch = continue_branch(augmented, y, p2, o);
  result.termination = branch.termination;
  result.message = branch.message;
  if (branch.termination == Termination::kStartFailed) {
    result.message = "the start is no fold (F = 0 and F_x singular have no solution nearby): " + branch.message;
  }
  const std::vector<double>& a = augmented.normal_forms();
  for (std::size_t i = 0; i < branch.rows.size(); ++i) {
    const BranchRow& r = branch.rows[i];
    FoldCurveRow row;
    row.p1 = r.x(d);
    row.p2 = r.p;
    row.x = r.x.head(d);
    row.normal_form = i < a.size() ? a[i] : augmented.normal_form(r.x, r.p);
    row.newton_iterations = r.newton_iterations;
    row.step = r.step;
    result.rows.push_back(std::move(row));
  }
  for (const SpecialPoint& sp : branch.special_points) {
    FoldCurvePoint q;
    q.type = sp.type;
    q.p1 = sp.x(d);
    q.p2 = sp.p;
    q.x = sp.x.head(d);
    q.index = sp.index;
    q.converged = sp.converged;
    q.message = sp.message;
    if (sp.type == SpecialPointType::kBoundary) q.boundary = sp.boundary >= 2 ? sp.boundary - 2 : -1 - sp.boundary;
    if (sp.type == SpecialPointType::kFold) q.message = "turning point of the fold curve in p2";
    result.special_points.push_back(std::move(q));
  }
  return result;
}

}  // namespace waddington::continuation
