// Pseudo-arclength continuation (algorithm in pseudo_arclength.hpp). The Tracer
// holds the workspaces of one run so the inner loop does not reallocate them.
#include "continuation/pseudo_arclength.hpp"

#include "continuation/hopf.hpp"
#include "continuation/small_lu.hpp"

#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace waddington::continuation {
namespace {

constexpr double kPi = 3.14159265358979323846;

// An accepted point with everything the event tests need.
struct Point {
  Vector z;          // (x, p)
  Vector t;          // unit tangent
  double det = 0;    // det [J; t^T]
  Vector boundary;   // b_i
  Vector tests;      // tau_i
  Eigen::VectorXcd eigenvalues;  // of the stability linearisation (empty when not needed)
  double hopf = 1;               // bialternate test function (hopf.hpp)
  int unstable_complex = 0;      // complex eigenvalues with a positive real part
  int iterations = 0;
  double step = 0;
};

// What changed sign between two accepted points.
struct Event {
  enum Kind { kParamMin, kParamMax, kBoundaryFunction, kFold, kBranchPoint, kHopf, kTest } kind;
  int which = -1;  // boundary or test function index
  bool terminal() const { return kind == kParamMin || kind == kParamMax || kind == kBoundaryFunction; }
};

// A located event.
struct Located {
  Event event;
  double s = 0;  // arclength along the previous tangent
  Vector z, t;
  bool converged = false;
  int iterations = 0;
};

class Tracer {
 public:
  Tracer(const Problem& problem, const ContinuationOptions& options)
      : pb_(problem),
        o_(options),
        d_(problem.dimension()),
        n_(d_ + 1),
        cos_max_angle_(std::cos(options.max_tangent_angle)),
        lu_(n_) {
    x_.resize(d_);
    f_.resize(d_);
    J_.resize(d_, n_);
    A_.resize(n_, n_);
    r_.resize(n_);
    dz_.resize(n_);
  }

  // Validate the start, the first point, then step by step: collect the events
  // between two accepted points, until a bound, a closed loop or a stop predicate.
  ContinuationResult run(const BranchStart& start);

 private:
  // The steps of run.
  bool validate_start(const BranchStart& start);
  bool first_point(const BranchStart& start, Point* first);
  bool step(const Point& cur, double ds, Point* next);
  std::vector<Located> collect_events(const Point& cur, const Point& next);
  const Located* record_events(const std::vector<Located>& located, const Point& cur, const Point& next, int index);
  void finish_at_bound(Located l, int index, double ds);
  void finish_closed_loop(const Point& last, int index, double travelled);
  void mark_truncated(const Point& last);
  // Stop predicates.
  bool max_steps_reached(const Point& cur);
  bool step_too_small(const Point& cur, double ds);
  void stop(Termination termination, std::string message);

  bool eval(const Vector& z, bool with_jacobian);
  bool correct(Vector& z, const Vector& t, const Vector& anchor, double max_distance, int* iterations);
  bool correct_start(Vector& z, std::string* why);
  void tangent_and_det(const Vector& t_old, Vector* t, double* det);
  bool initial_tangent(const Vector& z, const Vector& given, Vector* t);
  void fill_point(Point* q);
  double event_value(const Event& e, const Vector& z, const Vector& t, double det) const;
  Located locate(const Event& e, const Point& a, const Point& b);
  void add_row(const Vector& z, int iterations, double step, const Eigen::VectorXcd* eigenvalues = nullptr);
  bool wants_eigenvalues() const { return o_.compute_stability || hopf_on(); }
  bool hopf_on() const { return o_.detect_hopf && d_ >= 2; }
  bool add_hopf(const Located& l, int index);
  void add_special(SpecialPointType type, const Located& l, int index, std::string message);
  double fold_normal_form(const Vector& z);
  bool closes_loop(const Point& first, const Point& a, const Point& b, double travelled) const;
  std::string where(const Vector& z) const;

  const Problem& pb_;
  const ContinuationOptions& o_;
  const int d_, n_;
  const double cos_max_angle_;
  Vector x_, f_, r_, dz_;
  Matrix J_, A_;
  SmallLu lu_;  // of the bordered system A_ (fixed-size for n_ <= 5)
  ContinuationResult result_;
};

bool Tracer::eval(const Vector& z, bool with_jacobian) {
  x_ = z.head(d_);
  ++result_.residual_evaluations;
  return pb_.evaluate(x_, z(d_), &f_, with_jacobian ? &J_ : nullptr) && f_.allFinite();
}

// Newton on [F(z); t.(z - anchor)] = 0. Converged when the residual is within
// the tolerance and so is the step to z; a step within it from a point whose
// residual already is ends the iteration without evaluating F again (the same
// z as one more iteration would accept). On success J_ holds the Jacobian at
// z, or at z less that last step (at most newton_tolerance away).
bool Tracer::correct(Vector& z, const Vector& t, const Vector& anchor, double max_distance, int* iterations) {
  double last_step = std::numeric_limits<double>::infinity();
  for (int it = 0; it <= o_.max_newton_iterations; ++it) {
    if (!eval(z, true)) return false;
    const double residual = f_.lpNorm<Eigen::Infinity>();
    if (residual <= o_.newton_tolerance && last_step <= o_.newton_tolerance) {
      *iterations = it;
      return true;
    }
    if (it == o_.max_newton_iterations) break;
    A_.topRows(d_) = J_;
    A_.row(d_) = t.transpose();
    r_.head(d_) = -f_;
    r_(d_) = -t.dot(z - anchor);
    lu_.compute(A_);
    lu_.solve(r_, &dz_);
    if (!dz_.allFinite()) return false;
    z += dz_;
    last_step = dz_.lpNorm<Eigen::Infinity>();
    if ((z - anchor).norm() > max_distance) return false;
    if (residual <= o_.newton_tolerance && last_step <= o_.newton_tolerance) {
      *iterations = it + 1;
      return true;
    }
  }
  return false;
}

// Newton at fixed p (F_x regular), else minimum-norm Newton in (x, p).
bool Tracer::correct_start(Vector& z, std::string* why) {
  const Vector z0 = z;
  const int max_it = 2 * o_.max_newton_iterations + 10;
  for (int mode = 0; mode < 2; ++mode) {
    z = z0;
    double last_step = std::numeric_limits<double>::infinity();
    for (int it = 0; it <= max_it; ++it) {
      if (!eval(z, true)) {
        *why = fmt::format("F is undefined at {}", where(z));
        break;
      }
      const double residual = f_.lpNorm<Eigen::Infinity>();
      if (residual <= o_.newton_tolerance && last_step <= o_.newton_tolerance) return true;
      Vector dz = Vector::Zero(n_);
      if (mode == 0) {
        dz.head(d_) = J_.leftCols(d_).partialPivLu().solve(-f_);
      } else {
        dz = J_.completeOrthogonalDecomposition().solve(-f_);
      }
      if (!dz.allFinite()) {
        *why = fmt::format("singular Jacobian at {}", where(z));
        break;
      }
      z += dz;
      last_step = dz.lpNorm<Eigen::Infinity>();
      *why = fmt::format("Newton did not converge in {} iterations (|F| = {:.3g} at {})", max_it, residual, where(z));
    }
  }
  return false;
}

// Tangent from [J; t_old^T] u = e_n: t = u/|u|, and det [J; t^T] = det [J; t_old^T] |u|
// (matrix determinant lemma, since t_old.u = 1).
void Tracer::tangent_and_det(const Vector& t_old, Vector* t, double* det) {
  A_.topRows(d_) = J_;
  A_.row(d_) = t_old.transpose();
  lu_.compute(A_);
  r_.setZero();
  r_(d_) = 1;
  Vector u;
  lu_.solve(r_, &u);
  const double norm = u.norm();
  *t = u / norm;
  *det = lu_.determinant() * norm;
}

// Kernel of J at z (J_ current), oriented along `given` or by direction in p.
bool Tracer::initial_tangent(const Vector& z, const Vector& given, Vector* t) {
  Eigen::JacobiSVD<Matrix> svd(J_, Eigen::ComputeFullV);
  *t = svd.matrixV().col(d_);
  if (given.size() == n_) {
    if (t->dot(given) * o_.direction < 0) *t = -*t;
    return true;
  }
  if (std::abs((*t)(d_)) < 1e-12) return false;  // kernel along x only: direction in p undefined
  if ((*t)(d_) * o_.direction < 0) *t = -*t;
  return true;
}

void Tracer::fill_point(Point* q) {
  const double p = q->z(d_);
  x_ = q->z.head(d_);
  q->boundary.resize(pb_.boundary_count());
  for (int i = 0; i < pb_.boundary_count(); ++i) q->boundary(i) = pb_.boundary_function(i, x_, p);
  q->tests.resize(pb_.test_function_count());
  for (int i = 0; i < pb_.test_function_count(); ++i) q->tests(i) = pb_.test_function(i, x_, p);
  if (wants_eigenvalues()) {
    q->eigenvalues = pb_.stability_eigenvalues(x_, p);
    if (hopf_on()) {
      q->hopf = bialternate_test_function(q->eigenvalues);
      q->unstable_complex = unstable_complex_count(q->eigenvalues, o_.hopf_imag_tolerance);
    }
  }
}

double Tracer::event_value(const Event& e, const Vector& z, const Vector& t, double det) const {
  const Vector x = z.head(d_);
  switch (e.kind) {
    case Event::kParamMin: return z(d_) - o_.p_min;
    case Event::kParamMax: return o_.p_max - z(d_);
    case Event::kBoundaryFunction: return pb_.boundary_function(e.which, x, z(d_));
    case Event::kFold: return t(d_);
    case Event::kBranchPoint: return det;
    case Event::kHopf: return bialternate_test_function(pb_.stability_eigenvalues(x, z(d_)));
    case Event::kTest: return pb_.test_function(e.which, x, z(d_));
  }
  return 0;
}

// Illinois (safeguarded secant) in s, z(s) corrected onto the branch with
// t_a.(z - z_a) = s, from s = 0 (point a) to s = t_a.(z_b - z_a) (point b).
Located Tracer::locate(const Event& e, const Point& a, const Point& b) {
  Located out{e, 0, a.z, a.t, false, 0};
  const double span = a.t.dot(b.z - a.z);
  double lo = 0, hi = span;
  double f_lo = event_value(e, a.z, a.t, a.det), f_hi = event_value(e, b.z, b.t, b.det);
  out.s = hi;
  out.z = b.z;
  out.t = b.t;
  int side = 0;
  for (int it = 0; it < o_.max_locate_iterations; ++it) {
    out.iterations = it;
    if (hi - lo <= o_.locate_tolerance) {
      out.converged = true;
      break;
    }
    double s = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
    if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);
    Vector z = a.z + s * a.t;
    int its = 0;
    if (!correct(z, a.t, a.z + s * a.t, span, &its)) {
      s = 0.5 * (lo + hi);  // a failed secant trial: bisect instead
      z = a.z + s * a.t;
      if (!correct(z, a.t, a.z + s * a.t, span, &its)) break;
    }
    Vector t;
    double det = 0;
    tangent_and_det(a.t, &t, &det);
    const double f = event_value(e, z, t, det);
    // The latest trial lies in the final bracket: it is the estimate.
    out.s = s;
    out.z = z;
    out.t = t;
    if (f == 0) {
      out.converged = true;
      break;
    }
    if ((f > 0) == (f_hi > 0)) {
      hi = s;
      f_hi = f;
      if (side == -1) f_lo /= 2;
      side = -1;
    } else {
      lo = s;
      f_lo = f;
      if (side == +1) f_hi /= 2;
      side = +1;
    }
  }
  return out;
}


std::string Tracer::where(const Vector& z) const {
  std::string x;
  for (int i = 0; i < d_; ++i) x += fmt::format("{}{:.6g}", i ? ", " : "", z(i));
  return fmt::format("p = {:.10g}, x = ({})", z(d_), x);
}

void Tracer::add_row(const Vector& z, int iterations, double step, const Eigen::VectorXcd* eigenvalues) {
  BranchRow row;
  row.p = z(d_);
  row.x = z.head(d_);
  row.newton_iterations = iterations;
  row.step = step;
  if (o_.compute_stability) {
    const Eigen::VectorXcd ev =
        eigenvalues != nullptr && eigenvalues->size() == d_ ? *eigenvalues : pb_.stability_eigenvalues(row.x, row.p);
    if (ev.allFinite()) {
      int stable = 0;
      for (int i = 0; i < ev.size(); ++i) {
        if (ev(i).real() > o_.stability_tolerance) ++row.unstable_count;
        if (ev(i).real() < -o_.stability_tolerance) ++stable;
      }
      row.stability = row.unstable_count == 0 ? Stability::kStable
                      : stable == 0 && row.unstable_count == ev.size() ? Stability::kUnstable
                                                                      : Stability::kSaddle;
    }
  }
  result_.rows.push_back(std::move(row));
}

// c = w.F_xx[v, v] / w.F_p with v, w the right/left singular vectors of F_x
// for its smallest singular value (the null vectors at a fold).
double Tracer::fold_normal_form(const Vector& z) {
  if (!eval(z, true)) return 0;
  Eigen::JacobiSVD<Matrix> svd(J_.leftCols(d_), Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Vector v = svd.matrixV().col(d_ - 1), w = svd.matrixU().col(d_ - 1);
  const double wp = w.dot(J_.col(d_));
  const Vector fxx = pb_.second_derivative(z.head(d_), z(d_), v);
  if (std::abs(wp) < 1e-14 || !fxx.allFinite()) return 0;
  return w.dot(fxx) / wp;
}

void Tracer::add_special(SpecialPointType type, const Located& l, int index, std::string message) {
  SpecialPoint sp;
  sp.type = type;
  sp.p = l.z(d_);
  sp.x = l.z.head(d_);
  sp.tangent = l.t;
  sp.index = index;
  sp.converged = l.converged;
  if (type == SpecialPointType::kBoundary) sp.boundary = l.event.which;
  if (type == SpecialPointType::kFold) sp.normal_form = fold_normal_form(l.z);
  if (!l.converged) message += fmt::format(" (not localised to {:g} in {} iterations)", o_.locate_tolerance, l.iterations);
  sp.message = std::move(message);
  result_.special_points.push_back(std::move(sp));
}

// A located zero of the Hopf test function is a Hopf point when the factor
// nearest zero there is a complex pair (hopf.hpp); its frequency is recorded.
bool Tracer::add_hopf(const Located& l, int index) {
  const Eigen::VectorXcd ev = pb_.stability_eigenvalues(l.z.head(d_), l.z(d_));
  const CrossingPair pair = crossing_pair(ev, o_.hopf_imag_tolerance);
  if (!pair.found) return false;
  add_special(SpecialPointType::kHopf, l, index,
              fmt::format("Hopf point: the pair +-i {:.12g} crosses the imaginary axis", pair.frequency));
  result_.special_points.back().frequency = pair.frequency;
  result_.special_points.back().hopf_real_part = pair.real;
  return true;
}

// The step a -> b passes within a quarter step of the first point, in the same direction.
bool Tracer::closes_loop(const Point& first, const Point& a, const Point& b, double travelled) const {
  const Vector seg = b.z - a.z;
  const double len2 = seg.squaredNorm();
  if (travelled < 4 * std::sqrt(len2) || first.t.dot(b.t) <= 0) return false;
  const double lambda = std::clamp((first.z - a.z).dot(seg) / len2, 0.0, 1.0);
  return (first.z - a.z - lambda * seg).norm() < 0.25 * std::sqrt(len2);
}

void Tracer::stop(Termination termination, std::string message) {
  result_.termination = termination;
  result_.message = std::move(message);
}

// Validate the start: options, the shape of the start, the start inside the window.
bool Tracer::validate_start(const BranchStart& start) {
  std::string why;
  if (!o_.IsValid(&why)) {
    stop(Termination::kInvalidOptions, "invalid options: " + why);
    return false;
  }
  if (start.x.size() != d_ || !start.x.allFinite() || !std::isfinite(start.p) ||
      (start.tangent.size() != 0 && (start.tangent.size() != n_ || !(start.tangent.norm() > 0)))) {
    stop(Termination::kInvalidOptions,
         fmt::format("invalid start: x needs {} finite values and the tangent 0 or {} (got {} and {})", d_, n_,
                     start.x.size(), start.tangent.size()));
    return false;
  }
  if (start.p < o_.p_min || start.p > o_.p_max) {
    stop(Termination::kInvalidOptions,
         fmt::format("the start p = {:g} is outside the window [{:g}, {:g}]", start.p, o_.p_min, o_.p_max));
    return false;
  }
  return true;
}

// The first point: the start corrected onto the branch, its tangent, inside the
// domain and the window; it becomes row 0.
// How far outside a boundary function a corrected start may be and still count as
// on the edge: rounding only (a fixed absolute slack, not the user's Newton tolerance,
// since boundary functions have units of their own).
constexpr double kStartEdgeSlack = 1e-11;

bool Tracer::first_point(const BranchStart& start, Point* first) {
  first->z.resize(n_);
  first->z << start.x, start.p;
  if (std::string why; !correct_start(first->z, &why)) {
    stop(Termination::kStartFailed, "no solution near the start: " + why + "; give a starting point closer to a solution");
    return false;
  }
  if (!initial_tangent(first->z, start.tangent, &first->t)) {
    stop(Termination::kStartFailed,
         fmt::format("the start {} is a turning point or branch point (the tangent has no p component): "
                     "start beside it or give a tangent",
                     where(first->z)));
    return false;
  }
  tangent_and_det(first->t, &first->t, &first->det);
  fill_point(first);
  for (int i = 0; i < first->boundary.size(); ++i) {
    // A start on the domain's edge (a branch continued across it) is there only to
    // rounding: within kStartEdgeSlack it counts as on the edge, so that a first
    // step out of the domain is a boundary event at the start.
    if (first->boundary(i) < 0 && first->boundary(i) >= -kStartEdgeSlack) first->boundary(i) = 0;
    if (first->boundary(i) < 0) {
      stop(Termination::kStartFailed, fmt::format("the start {} is outside the domain: {} = {:.3g} < 0",
                                                  where(first->z), pb_.boundary_name(i), first->boundary(i)));
      return false;
    }
  }
  if (first->z(d_) < o_.p_min || first->z(d_) > o_.p_max) {
    stop(Termination::kStartFailed, fmt::format("the corrected start {} is outside the window [{:g}, {:g}]",
                                                where(first->z), o_.p_min, o_.p_max));
    return false;
  }
  add_row(first->z, 0, 0, &first->eigenvalues);
  pb_.accept_point(first->z.head(d_), first->z(d_));
  return true;
}

// Predictor cur + ds t, corrector, new tangent: false when Newton fails or the
// tangent turns by more than max_tangent_angle.
bool Tracer::step(const Point& cur, double ds, Point* next) {
  const Vector pred = cur.z + ds * cur.t;
  next->z = pred;
  if (!correct(next->z, cur.t, pred, ds, &next->iterations)) return false;
  tangent_and_det(cur.t, &next->t, &next->det);
  return next->t.allFinite() && next->t.dot(cur.t) >= cos_max_angle_;
}

// Every sign change between two accepted points, located and sorted by arclength.
std::vector<Located> Tracer::collect_events(const Point& cur, const Point& next) {
  std::vector<Event> events;
  if (next.z(d_) < o_.p_min) events.push_back({Event::kParamMin});
  if (next.z(d_) > o_.p_max) events.push_back({Event::kParamMax});
  for (int i = 0; i < next.boundary.size(); ++i)
    if (cur.boundary(i) >= 0 && next.boundary(i) < 0) events.push_back({Event::kBoundaryFunction, i});
  if (o_.detect_folds && cur.t(d_) * next.t(d_) < 0) events.push_back({Event::kFold});
  if (o_.detect_branch_points && cur.det * next.det < 0) events.push_back({Event::kBranchPoint});
  // A complex pair's real part changed sign: the test function changes sign
  // and the count of unstable complex eigenvalues by two (a neutral saddle
  // changes only the former; see hopf.hpp).
  if (hopf_on() && cur.hopf * next.hopf < 0 && std::abs(cur.unstable_complex - next.unstable_complex) == 2)
    events.push_back({Event::kHopf});
  for (int i = 0; i < next.tests.size(); ++i)
    if (cur.tests(i) * next.tests(i) < 0) events.push_back({Event::kTest, i});

  std::vector<Located> located;
  for (const Event& e : events) located.push_back(locate(e, cur, next));
  std::sort(located.begin(), located.end(), [](const Located& a, const Located& b) { return a.s < b.s; });
  return located;
}

// Records the special points that lie before the first terminal event (the
// branch ends there); returns that event, or null when the branch goes on.
const Located* Tracer::record_events(const std::vector<Located>& located, const Point& cur, const Point& next,
                                     int index) {
  for (const Located& l : located) {
    if (l.event.terminal()) return &l;
    switch (l.event.kind) {
      case Event::kFold: add_special(SpecialPointType::kFold, l, index, "fold (turning point in p)"); break;
      case Event::kBranchPoint:
        add_special(SpecialPointType::kBranchPoint, l, index, "branch point (det [J; t] changes sign)");
        result_.special_points.back().tangent = (cur.t + next.t).normalized();
        break;
      case Event::kHopf: add_hopf(l, index); break;
      default: add_special(pb_.test_function_type(l.event.which), l, index, pb_.test_function_name(l.event.which));
    }
  }
  return nullptr;
}

// Finish at a bound: the last row is the located crossing of a boundary
// function, or the point put exactly on p_min or p_max.
void Tracer::finish_at_bound(Located l, int index, double ds) {
  if (l.event.kind != Event::kBoundaryFunction) {
    Vector ep = Vector::Zero(n_);
    ep(d_) = 1;
    Vector anchor = l.z;
    anchor(d_) = l.event.kind == Event::kParamMin ? o_.p_min : o_.p_max;
    Vector z = anchor;
    int its = 0;
    if (correct(z, ep, anchor, ds, &its)) l.z = z;
    l.converged = l.converged || std::abs(l.z(d_) - anchor(d_)) <= o_.locate_tolerance;
  }
  add_row(l.z, l.iterations, l.s);
  if (l.event.kind == Event::kBoundaryFunction) {
    add_special(SpecialPointType::kBoundary, l, index,
                fmt::format("left the domain: {} = 0", pb_.boundary_name(l.event.which)));
    stop(Termination::kLeftDomain,
         fmt::format("left the domain at {} ({} crosses 0)", where(l.z), pb_.boundary_name(l.event.which)));
  } else {
    const bool at_min = l.event.kind == Event::kParamMin;
    add_special(SpecialPointType::kEndpoint, l, index, at_min ? "reached p_min" : "reached p_max");
    stop(Termination::kReachedParameterBound, fmt::format("reached {} at {}", at_min ? "p_min" : "p_max", where(l.z)));
  }
}

// The branch is back at its first point: `last`, the last row, is that point.
void Tracer::finish_closed_loop(const Point& last, int index, double travelled) {
  const Located l{Event{Event::kParamMin}, 0, last.z, last.t, true, 0};
  add_special(SpecialPointType::kEndpoint, l, index, "closed loop: back at the first point");
  stop(Termination::kClosedLoop,
       fmt::format("closed loop: back at the first point {} after arclength {:.6g}", where(last.z), travelled));
}

// Stop predicates: true when the branch must stop, with its termination and message written.
bool Tracer::max_steps_reached(const Point& cur) {
  if (static_cast<int>(result_.rows.size()) <= o_.max_steps) return false;
  stop(Termination::kMaxSteps, fmt::format("stopped after max_steps = {} points at {}: increase max_steps or ds_max",
                                           o_.max_steps, where(cur.z)));
  return true;
}

bool Tracer::step_too_small(const Point& cur, double ds) {
  if (ds >= o_.ds_min) return false;
  stop(Termination::kStepTooSmall, fmt::format("Newton failed with ds < ds_min = {:g} after {}: decrease ds_min, or "
                                               "raise max_newton_iterations; F may be singular or undefined here",
                                               o_.ds_min, where(cur.z)));
  return true;
}

// A truncated branch (max_steps, step too small) ends in an endpoint that is not located.
void Tracer::mark_truncated(const Point& last) {
  const Located l{Event{Event::kParamMin}, 0, last.z, last.t, false, 0};
  add_special(SpecialPointType::kEndpoint, l, static_cast<int>(result_.rows.size()) - 1,
              std::string("branch truncated: ") + ToString(result_.termination));
  result_.special_points.back().converged = false;
  result_.special_points.back().message = std::string("branch truncated: ") + ToString(result_.termination);
}

ContinuationResult Tracer::run(const BranchStart& start) {
  Point cur;
  if (!validate_start(start) || !first_point(start, &cur)) return result_;
  const Point first = cur;
  double ds = o_.ds, travelled = 0;
  while (!max_steps_reached(cur)) {
    Point next;
    if (!step(cur, ds, &next)) {
      ++result_.rejected_steps;
      ds /= 2;
      if (step_too_small(cur, ds)) break;
      continue;
    }
    next.step = ds;
    fill_point(&next);
    const bool loop = o_.detect_closed_loops && closes_loop(first, cur, next, travelled + ds);
    if (loop) {
      next = first;
      next.step = (first.z - cur.z).norm();
    }
    const int index = static_cast<int>(result_.rows.size());
    const std::vector<Located> located = collect_events(cur, next);
    if (const Located* end = record_events(located, cur, next, index)) {
      finish_at_bound(*end, index, ds);
      break;
    }
    add_row(next.z, next.iterations, next.step, &next.eigenvalues);
    travelled += next.step;
    if (loop) {
      finish_closed_loop(next, index, travelled);
      break;
    }
    pb_.accept_point(next.z.head(d_), next.z(d_));
    if (next.iterations <= o_.fast_newton_iterations) ds = std::min(ds * o_.step_growth, o_.ds_max);
    cur = std::move(next);
  }
  if (result_.termination == Termination::kMaxSteps || result_.termination == Termination::kStepTooSmall)
    mark_truncated(cur);
  return result_;
}

}  // namespace

bool ContinuationOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string text) {
    if (why != nullptr) *why = std::move(text);
    return false;
  };
  if (std::isnan(p_min) || std::isnan(p_max)) return fail("p_min and p_max must be numbers");
  if (!(p_min < p_max))
    return fail(fmt::format("empty or inverted parameter window: p_min = {:g} must be < p_max = {:g}", p_min, p_max));
  if (direction != 1 && direction != -1) return fail(fmt::format("direction must be +1 or -1, not {}", direction));
  if (!(ds_min > 0) || !(ds_min <= ds) || !(ds <= ds_max) || !std::isfinite(ds_max))
    return fail(fmt::format("steps must satisfy 0 < ds_min <= ds <= ds_max < inf (got {:g}, {:g}, {:g})", ds_min, ds,
                            ds_max));
  if (max_steps < 1) return fail("max_steps must be >= 1");
  if (!(newton_tolerance > 0)) return fail("newton_tolerance must be > 0");
  if (max_newton_iterations < 1) return fail("max_newton_iterations must be >= 1");
  if (fast_newton_iterations < 0) return fail("fast_newton_iterations must be >= 0");
  if (!(step_growth >= 1) || !std::isfinite(step_growth)) return fail("step_growth must be >= 1");
  if (!(max_tangent_angle > 0 && max_tangent_angle < kPi / 2))
    return fail("max_tangent_angle must be in (0, pi/2) radians");
  if (!(locate_tolerance > 0)) return fail("locate_tolerance must be > 0");
  if (max_locate_iterations < 1) return fail("max_locate_iterations must be >= 1");
  if (!(stability_tolerance >= 0)) return fail("stability_tolerance must be >= 0");
  if (!(hopf_imag_tolerance > 0 && hopf_imag_tolerance < 1)) return fail("hopf_imag_tolerance must be in (0, 1)");
  return true;
}

bool ContinuationResult::IsComplete() const {
  return termination == Termination::kReachedParameterBound || termination == Termination::kLeftDomain ||
         termination == Termination::kClosedLoop;
}

std::string ContinuationResult::BriefReport() const {
  int folds = 0, branch_points = 0, hopf = 0;
  for (const SpecialPoint& sp : special_points) {
    folds += sp.type == SpecialPointType::kFold;
    branch_points += sp.type == SpecialPointType::kBranchPoint;
    hopf += sp.type == SpecialPointType::kHopf;
  }
  return fmt::format("continuation: {} ({} points, {} folds, {} branch points, {} Hopf points): {}",
                     ToString(termination), rows.size(), folds, branch_points, hopf, message);
}

std::string ContinuationResult::FullReport() const {
  std::string out = BriefReport() + "\n";
  for (const SpecialPoint& sp : special_points) {
    std::string x;
    for (int i = 0; i < sp.x.size(); ++i) x += fmt::format("{}{:.12g}", i ? ", " : "", sp.x(i));
    const std::string normal_form =
        sp.type == SpecialPointType::kFold   ? fmt::format("  normal form c = {:.6g}", sp.normal_form)
        : sp.type == SpecialPointType::kHopf ? fmt::format("  frequency omega = {:.12g}", sp.frequency)
                                             : "";
    out += fmt::format("  {:<12} p = {:.12g}  x = ({})  row {}  {}  {}{}\n", ToString(sp.type), sp.p, x, sp.index,
                       sp.converged ? "located" : "NOT located", sp.message, normal_form);
  }
  int iterations = 0;
  double smallest = std::numeric_limits<double>::infinity(), largest = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    iterations += rows[i].newton_iterations;
    smallest = std::min(smallest, rows[i].step);
    largest = std::max(largest, rows[i].step);
  }
  if (rows.size() > 1) {
    out += fmt::format("  steps: {} accepted, {} rejected, ds in [{:.3g}, {:.3g}], {:.2f} Newton iterations per step, "
                       "{} evaluations of F\n",
                       rows.size() - 1, rejected_steps, smallest, largest, double(iterations) / (rows.size() - 1),
                       residual_evaluations);
  }
  return out;
}

ContinuationResult continue_branch(const Problem& problem, const BranchStart& start,
                                   const ContinuationOptions& options) {
  return Tracer(problem, options).run(start);
}

ContinuationResult continue_branch(const Problem& problem, const Vector& x0, double p0,
                                   const ContinuationOptions& options) {
  BranchStart start;
  start.x = x0;
  start.p = p0;
  return continue_branch(problem, start, options);
}

}  // namespace waddington::continuation
