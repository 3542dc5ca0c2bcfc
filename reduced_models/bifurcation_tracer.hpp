#pragma once
// A small pseudo-arclength tracer for the reduced model's smooth pieces: m
// equations in m+1 unknowns y (the state and the parameter(s)), exact
// Jacobians through ceres::Jet. It is the thin adapter between the diagram
// assembly and a continuation engine: a branch (2 equations in alpha, ell, p),
// a boundary branch (1 equation in alpha, p) and a fold curve (3 equations in
// alpha, ell, n, T) are all traced by `trace`.
//
// Algorithm (documented rules):
//  - scaled unknowns z = y / scale; tangent t solves [J; t_prev^T] t = [0; 1]
//    (so the direction is kept through folds), normalised;
//  - predictor z + ds t; corrector: Newton on [F(z); t.(z - z_pred)] = 0,
//    converged when |F|_inf <= tolerance and |dz|_inf <= 1e-10;
//  - step rule: after <= 3 Newton iterations ds := min(1.5 ds, ds_max); after
//    >= 6, ds := 0.6 ds; on failure ds := ds / 2, and the trace stops with a
//    failure when ds < ds_min;
//  - events between two accepted points: a domain test g_i >= 0 turning
//    negative ends the trace at the located crossing ([F; g_i] = 0 by Newton);
//    a sign change of the tangent's `fold_coordinate` component is a fold,
//    located on [F; det(J without that column)] = 0; a sign change of the
//    bordered determinant without a fold is a branch point.
#include <ceres/jet.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace waddington::reduced::detail {

struct TraceOptions {
  double ds = 0.002, ds_min = 1e-7, ds_max = 0.01;
  int max_steps = 20000;
  double tolerance = 1e-12;
  int max_newton = 12;
  Eigen::VectorXd scale;  // size m+1; the unknowns are traced as y / scale
  int fold_coordinate = -1;  // index of y whose tangent component marks folds (-1: none)
  bool detect_branch_points = true;
};

struct TracePoint {
  Eigen::VectorXd y, tangent;  // unknowns and unit tangent (in scaled space)
  int newton_iterations = 0;
  double step = 0;
};

struct TraceEvent {
  enum Kind { kFold, kBranchPoint, kTest, kClosedLoop, kFailure, kMaxSteps } kind = kFailure;
  int test = -1;        // index of the domain test for kTest
  int after = 0;        // index of the accepted point it follows
  Eigen::VectorXd y;    // located point
  bool converged = false;
  double residual = 0;    // max-norm of the defining system at y
  double test_value = 0;  // det (fold), bordered det (branch point) or g_i
  std::string message;
};

struct Trace {
  std::vector<TracePoint> points;
  std::vector<TraceEvent> events;  // the last one says why it stopped
};

// Problem concept:
//   static constexpr int kEquations;  // m (unknowns m+1)
//   static constexpr int kTests;      // domain tests g_i(y) >= 0 inside
//   template <class S> bool residual(const S* y, S* F) const;  // false: undefined here
//   template <class S> void tests(const S* y, S* g) const;
template <class Problem>
class Tracer {
 public:
  static constexpr int M = Problem::kEquations, U = M + 1, G = Problem::kTests;
  using Vec = Eigen::Matrix<double, U, 1>;
  using Jac = Eigen::Matrix<double, M, U>;

  Tracer(const Problem& problem, const TraceOptions& options) : problem_(problem), o_(options) {
    scale_ = o_.scale.size() == U ? Vec(o_.scale) : Vec::Ones();
  }

  // F and dF/dz at scaled z; false where the problem is undefined or not finite.
  bool evaluate(const Vec& z, Eigen::Matrix<double, M, 1>& F, Jac& J) const {
    using Jet = ceres::Jet<double, U>;
    Jet y[U], f[M];
    for (int i = 0; i < U; ++i) y[i] = Jet(z(i) * scale_(i), i);
    if (!problem_.residual(y, f)) return false;
    for (int r = 0; r < M; ++r) {
      F(r) = f[r].a;
      for (int c = 0; c < U; ++c) J(r, c) = f[r].v(c) * scale_(c);
    }
    return F.allFinite() && J.allFinite();
  }

  bool test_values(const Vec& z, Eigen::Matrix<double, G, 1>& g) const {
    double y[U], out[G];
    for (int i = 0; i < U; ++i) y[i] = z(i) * scale_(i);
    problem_.tests(y, out);
    for (int i = 0; i < G; ++i) g(i) = out[i];
    return g.allFinite();
  }

  Vec unscale(const Vec& z) const { return z.cwiseProduct(scale_); }

  // Unit tangent at z: kernel of J, oriented along `previous`.
  static Vec tangent(const Jac& J, const Vec& previous) {
    Eigen::Matrix<double, U, U> A;
    A.template topRows<M>() = J;
    A.row(M) = previous.transpose();
    Eigen::Matrix<double, U, 1> rhs = Eigen::Matrix<double, U, 1>::Zero();
    rhs(M) = 1;
    Vec t = A.fullPivLu().solve(rhs);
    if (!t.allFinite() || t.norm() == 0) {
      Eigen::FullPivLU<Eigen::MatrixXd> lu{Eigen::MatrixXd(J)};
      const Eigen::MatrixXd kernel = lu.kernel();
      t = kernel.col(0);
      if (t.dot(previous) < 0) t = -t;
    }
    return t.normalized();
  }

  // Newton on [F(z); t.(z - anchor)] = 0 from z; converged when the step is
  // below 1e-11 (scaled) with |F|_inf <= max(tolerance, 1e-10).
  bool correct(Vec& z, const Vec& t, const Vec& anchor, int* iterations, Jac* J_out) const {
    Eigen::Matrix<double, M, 1> F;
    Jac J;
    for (int it = 0; it < o_.max_newton; ++it) {
      if (!evaluate(z, F, J)) return false;
      Eigen::Matrix<double, U, U> A;
      A.template topRows<M>() = J;
      A.row(M) = t.transpose();
      Eigen::Matrix<double, U, 1> r;
      r.template head<M>() = F;
      r(M) = t.dot(z - anchor);
      const Vec dz = A.partialPivLu().solve(-r);
      if (!dz.allFinite()) return false;
      z += dz;
      if (dz.template lpNorm<Eigen::Infinity>() <= 1e-11) {
        if (!evaluate(z, F, J)) return false;
        *iterations = it + 1;
        *J_out = J;
        return F.template lpNorm<Eigen::Infinity>() <= std::max(o_.tolerance, 1e-10);
      }
    }
    return false;
  }

  // Newton on a square system [F; extra(z)] = 0 with a finite-difference
  // Jacobian of `extra` (exact rows for F); used to locate events.
  bool locate(Vec& z, const std::function<double(const Vec&)>& extra, double* residual) const {
    Eigen::Matrix<double, M, 1> F;
    Jac J;
    for (int it = 0; it < 30; ++it) {
      if (!evaluate(z, F, J)) return false;
      Eigen::Matrix<double, U, U> A;
      A.template topRows<M>() = J;
      const double e0 = extra(z);
      for (int c = 0; c < U; ++c) {
        const double h = 1e-6 * std::max(1.0, std::abs(z(c)));
        Vec zp = z, zm = z;
        zp(c) += h;
        zm(c) -= h;
        A(M, c) = (extra(zp) - extra(zm)) / (2 * h);
      }
      Eigen::Matrix<double, U, 1> r;
      r.template head<M>() = F;
      r(M) = e0;
      *residual = r.template lpNorm<Eigen::Infinity>();
      const Vec dz = A.fullPivLu().solve(-r);
      if (!dz.allFinite()) return false;
      z += dz;
      if (dz.template lpNorm<Eigen::Infinity>() <= 1e-13) break;
    }
    if (!evaluate(z, F, J)) return false;
    *residual = std::max(F.template lpNorm<Eigen::Infinity>(), std::abs(extra(z)));
    return *residual <= 1e-10;
  }

  // det of J without column `skip` (zero at a fold of the coordinate `skip`).
  double reduced_det(const Vec& z, int skip) const {
    Eigen::Matrix<double, M, 1> F;
    Jac J;
    if (!evaluate(z, F, J)) return NAN;
    Eigen::Matrix<double, M, M> Jx;
    for (int c = 0, k = 0; c < U; ++c)
      if (c != skip) Jx.col(k++) = J.col(c);
    return Jx.determinant();
  }

  double bordered_det(const Jac& J, const Vec& t) const {
    Eigen::Matrix<double, U, U> A;
    A.template topRows<M>() = J;
    A.row(M) = t.transpose();
    return A.determinant();
  }

  Trace run(const Eigen::VectorXd& y0, const Eigen::VectorXd& direction_hint) const;

 private:
  const Problem& problem_;
  TraceOptions o_;
  Vec scale_;
};

template <class Problem>
Trace Tracer<Problem>::run(const Eigen::VectorXd& y0, const Eigen::VectorXd& direction_hint) const {
  Trace trace;
  Vec z = Vec(y0).cwiseQuotient(scale_), hint = Vec(direction_hint).cwiseQuotient(scale_);
  Eigen::Matrix<double, M, 1> F;
  Jac J;
  // Ends the trace: unscales the points, records why.
  const auto finish = [&](TraceEvent e) {
    e.after = int(trace.points.size()) - 1;
    if (e.y.size() == 0) e.y = trace.points.empty() ? Vec(y0) : unscale(trace.points.back().y);
    trace.events.push_back(std::move(e));
    for (auto& p : trace.points) p.y = unscale(p.y);
    return trace;
  };
  const auto stop = [&](TraceEvent::Kind kind, std::string message) {
    TraceEvent e;
    e.kind = kind;
    e.message = std::move(message);
    return finish(std::move(e));
  };
  if (!evaluate(z, F, J) || F.template lpNorm<Eigen::Infinity>() > 1e-8)
    return stop(TraceEvent::kFailure, "the start point is not a solution");
  Vec t = tangent(J, hint.normalized());
  trace.points.push_back({z, t, 0, 0});
  Eigen::Matrix<double, G, 1> g_prev, g;
  test_values(z, g_prev);
  double bdet_prev = bordered_det(J, t), ds = o_.ds;
  for (int step = 0; step < o_.max_steps;) {
    const TracePoint last = trace.points.back();
    Vec z_new = last.y + ds * last.tangent;
    const Vec predicted = z_new;
    int iterations = 0;
    Jac J_new;
    bool ok = correct(z_new, last.tangent, predicted, &iterations, &J_new);
    const Vec t_new = ok ? tangent(J_new, Vec(last.tangent)) : Vec(last.tangent);
    if (!ok || (t_new.dot(last.tangent) < 0.8 && ds > 4 * o_.ds_min)) {  // failed, or too sharp a turn
      ds *= 0.5;
      if (ds < o_.ds_min)
        return stop(TraceEvent::kFailure, "the corrector did not converge with a step above ds_min; lower ds_max");
      continue;
    }
    ++step;
    const int k = int(trace.points.size()) - 1;
    // Domain tests: the first g_i to cross zero ends the trace at the crossing.
    test_values(z_new, g);
    for (int i = 0; i < G; ++i) {
      if (!(g_prev(i) >= -1e-12 && g(i) < 0 && g(i) < g_prev(i))) continue;
      const double s = std::clamp(g_prev(i) / (g_prev(i) - g(i)), 0.0, 1.0);
      Vec zc = last.y + s * (z_new - last.y);
      TraceEvent e;
      e.kind = TraceEvent::kTest;
      e.test = i;
      e.message = "left the domain";
      const auto gi = [&, i](const Vec& w) {
        Eigen::Matrix<double, G, 1> gw;
        test_values(w, gw);
        return gw(i);
      };
      e.converged = locate(zc, gi, &e.residual);
      e.y = unscale(zc);
      if (e.converged) {
        Jac Jc;
        evaluate(zc, F, Jc);
        trace.points.push_back({zc, tangent(Jc, last.tangent), iterations, ds * s});
      }
      return finish(std::move(e));
    }
    // Folds: the tangent's fold coordinate changes sign.
    const int fc = o_.fold_coordinate;
    const bool fold = fc >= 0 && (last.tangent(fc) > 0) != (t_new(fc) > 0);
    if (fold) {
      TraceEvent e;
      e.kind = TraceEvent::kFold;
      e.after = k;
      const double s = last.tangent(fc) / (last.tangent(fc) - t_new(fc));
      Vec zf = last.y + s * (z_new - last.y);
      e.converged = locate(zf, [&](const Vec& w) { return reduced_det(w, fc); }, &e.residual);
      e.y = unscale(zf);
      e.test_value = reduced_det(zf, fc);
      trace.events.push_back(e);
    }
    const double bdet = bordered_det(J_new, t_new);
    if (o_.detect_branch_points && !fold && (bdet > 0) != (bdet_prev > 0)) {
      TraceEvent e;
      e.kind = TraceEvent::kBranchPoint;
      e.after = k;
      const double s = bdet_prev / (bdet_prev - bdet);
      e.y = unscale(last.y + s * (z_new - last.y));
      e.test_value = bdet;
      e.message = "bordered determinant changes sign without a fold (located by interpolation)";
      trace.events.push_back(e);
    }
    bdet_prev = bdet;
    g_prev = g;
    trace.points.push_back({z_new, t_new, iterations, ds});
    // A closed branch (isola) returns to its start.
    if (trace.points.size() > 20 && (z_new - trace.points.front().y).norm() < 0.75 * ds &&
        t_new.dot(trace.points.front().tangent) > 0)
      return stop(TraceEvent::kClosedLoop, "closed loop");
    if (iterations <= 3) ds = std::min(1.5 * ds, o_.ds_max);
    else if (iterations >= 6) ds *= 0.6;
  }
  return stop(TraceEvent::kMaxSteps, "stopped after max_steps steps; raise max_steps or ds_max");
}

template <class Problem>
Trace trace(const Problem& problem, const Eigen::VectorXd& y0, const Eigen::VectorXd& direction_hint,
            const TraceOptions& options) {
  return Tracer<Problem>(problem, options).run(y0, direction_hint);
}

}  // namespace waddington::reduced::detail
