#pragma once
// Pseudo-arclength continuation of one branch of F(x, p) = 0: options in,
// result out (continue_branch). Branch switching is in branch_switch.hpp.
//
// Algorithm (z = (x, p) in R^{d+1}, Euclidean arclength s):
//  - start: Newton on F(x, p0) = 0 at fixed p0 (minimum-norm Newton in (x, p)
//    if F_x is singular there); the unit tangent t spans the kernel of
//    J = [F_x | F_p], oriented so that direction * t_p > 0 (or along a given
//    tangent);
//  - predictor z + ds t; corrector: Newton on [F(z); t.(z - z_pred)] = 0 with the
//    bordered (d+1)x(d+1) Jacobian [J; t^T], converged when |F|_inf and the
//    last Newton step |dz|_inf are both <= newton_tolerance;
//  - new tangent: [J; t_old^T] t = [0; 1], normalised, so <t, t_old> > 0 and the
//    direction is kept through folds;
//  - step rule: a step is rejected (ds := ds / 2) when Newton fails or the angle
//    between successive tangents exceeds max_tangent_angle; after an accepted
//    step that converged in <= fast_newton_iterations, ds := min(step_growth ds,
//    ds_max). The branch stops (step_too_small) when ds < ds_min.
//  - events between two accepted points, each located on the branch by a
//    safeguarded secant (Illinois) in the arclength along the previous tangent,
//    every trial point corrected onto the branch, to |ds| <= locate_tolerance:
//      fold:         sign change of the tangent's p-component t_p;
//      branch point: sign change of det [J; t^T] (it keeps its sign at folds);
//      Hopf:         sign change of the bialternate test function
//                    prod_{i<j} (lambda_i + lambda_j) of the problem's stability
//                    eigenvalues, with the count of unstable complex eigenvalues
//                    changing by two; kept only if the located zero is a complex
//                    pair +-i omega (not a neutral saddle), see hopf.hpp;
//      boundary:     a boundary function going from >= 0 to < 0, or p leaving
//                    [p_min, p_max]; the located point ends the branch.
//  - closed loop: the branch ends when it comes back to its first point.
#include "continuation/problem.hpp"

#include <string>
#include <vector>

namespace waddington::continuation {

struct ContinuationOptions {
  // Window of the parameter; the branch ends where it leaves it (an endpoint
  // located exactly on p_min or p_max). p_min < p_max; infinite bounds allowed.
  double p_min = -1e300;
  double p_max = 1e300;

  // +1: start towards increasing p; -1: decreasing. With a given start tangent
  // (continue_branch from a BranchStart): +1 along it, -1 against it.
  int direction = +1;

  // Arclength step in (x, p): initial, smallest allowed, largest allowed.
  double ds = 0.01;
  double ds_min = 1e-9;
  double ds_max = 0.1;
  // Accepted points before the branch stops with max_steps.
  int max_steps = 10000;

  // Newton corrector: converged when |F|_inf <= newton_tolerance and the last
  // step |dz|_inf <= newton_tolerance; at most max_newton_iterations iterations.
  double newton_tolerance = 1e-10;
  int max_newton_iterations = 10;

  // Adaptive step (see the header comment): grow by step_growth after a step that
  // converged in <= fast_newton_iterations; reject and halve when Newton fails
  // or successive tangents differ by more than max_tangent_angle (radians).
  int fast_newton_iterations = 3;
  double step_growth = 1.5;
  double max_tangent_angle = 0.3;

  // Event detection and localisation (arclength tolerance, iteration cap).
  bool detect_folds = true;
  bool detect_branch_points = true;
  // Hopf points (d >= 2): costs one eigen-decomposition of the stability
  // linearisation per accepted point and per localisation trial. An eigenvalue
  // counts as complex when |imag| > hopf_imag_tolerance * max(1, spectral radius).
  bool detect_hopf = true;
  double hopf_imag_tolerance = 1e-8;
  double locate_tolerance = 1e-10;
  int max_locate_iterations = 80;

  // Stability of every row from Problem::stability_eigenvalues: an eigenvalue
  // counts as unstable when its real part exceeds stability_tolerance.
  bool compute_stability = true;
  double stability_tolerance = 1e-10;

  // End the branch when it returns to its first point (an isola).
  bool detect_closed_loops = true;

  // True when the options are usable; otherwise *why (if given) says which field is wrong.
  bool IsValid(std::string* why) const;
};

// One accepted point of a branch.
struct BranchRow {
  double p = 0;
  Vector x;                   // state (size d)
  int unstable_count = 0;     // eigenvalues with real part > stability_tolerance
  Stability stability = Stability::kUnknown;
  int newton_iterations = 0;  // corrector iterations for this point
  double step = 0;            // arclength step that reached it (0 for the start)
};

struct SpecialPoint {
  SpecialPointType type = SpecialPointType::kEndpoint;
  double p = 0;
  Vector x;
  // Unit tangent (dx, dp) of the branch at the point (size d+1).
  Vector tangent;
  // Row at which it was detected: the point lies between rows index-1 and index.
  // A boundary or endpoint is itself the last row, index.
  int index = 0;
  // Localisation converged to locate_tolerance (false: the best estimate).
  bool converged = false;
  // kBoundary: index of the boundary function that crossed zero; -1 otherwise
  // (reaching p_min or p_max gives a kEndpoint).
  int boundary = -1;
  // kFold only: the normal-form coefficient c = w.F_xx[v, v] / w.F_p (v, w the
  // right/left null vectors of F_x, v unit): near the fold the branch is
  // p = p_fold - c xi^2 / 2 + O(xi^3) along x = x_fold + xi v, so it lies on the
  // side p > p_fold when c < 0. 0 when not computed.
  double normal_form = 0;
  // kHopf only: the frequency omega > 0 (imaginary part of the crossing pair
  // +-i omega) and the real part of that pair at the located point (zero to the
  // localisation's accuracy). 0 otherwise.
  double frequency = 0;
  double hopf_real_part = 0;
  std::string message;  // what it is, or why localisation failed
};

struct ContinuationResult {
  std::vector<BranchRow> rows;
  std::vector<SpecialPoint> special_points;
  Termination termination = Termination::kNotRun;
  std::string message = "continuation not run";
  // Totals for the report.
  int rejected_steps = 0;
  int residual_evaluations = 0;  // calls of Problem::evaluate (with or without Jacobian)

  // True for the complete terminations (parameter bound, left domain, closed loop).
  bool IsComplete() const;
  // One line: termination, rows, special points.
  std::string BriefReport() const;
  // Several lines: the brief report, every special point, the step statistics.
  std::string FullReport() const;
};

// The start of a branch: a point (x, p) and optionally a unit tangent (dx, dp)
// (size d+1; empty: computed from the kernel of [F_x | F_p] and oriented by
// ContinuationOptions::direction in p).
struct BranchStart {
  Vector x;
  double p = 0;
  Vector tangent;
  bool converged = false;  // for branch_switch (branch_switch.hpp): a point on the new branch was found
  std::string message;
};

// Continues the branch through (x0, p0) in the direction options.direction.
// Reentrant (one call per thread is safe) when the problem's methods are.
// Never throws: invalid options or a start without a solution are reported in
// the result (kInvalidOptions, kStartFailed) with a message.
ContinuationResult continue_branch(const Problem& problem, const Vector& x0, double p0,
                                   const ContinuationOptions& options);
ContinuationResult continue_branch(const Problem& problem, const BranchStart& start,
                                   const ContinuationOptions& options);

}  // namespace waddington::continuation
