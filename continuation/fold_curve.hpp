#pragma once
// Two-parameter continuation of folds: the curve of saddle-nodes of
// F(x, p1, p2) = 0 in (p1, p2), with cusps (where two folds meet).
//
// Method: the minimally augmented system G(x, p1; p2) = (F(x, p1, p2), g) = 0,
// g the bordered test function ([F_x b; c^T 0] [v; g] = [0; 1], which vanishes
// exactly where F_x is singular), is an ordinary one-parameter Problem in the
// state y = (x, p1) and the parameter p2; it is continued by continue_branch,
// so turning points of the fold curve in p2 are passed (and reported as kFold),
// the window in p1 and the problem's boundary functions are boundary functions,
// and the borders b, c are refreshed to the null vectors at every accepted point.
// Cusps: sign changes of the normal-form coefficient a = w.F_xx[v, v] along the
// curve (v, w unit right/left null vectors of F_x, oriented continuously),
// located like every event to locate_tolerance.
#include "continuation/pseudo_arclength.hpp"

#include <string>
#include <vector>

namespace waddington::continuation {

struct FoldCurveOptions {
  // Continuation in p2 (the window p_min..p_max is the p2 window; direction is
  // in p2 at the start). detect_folds reports turning points of the curve in p2.
  ContinuationOptions continuation;
  // Window in p1: the curve ends (kBoundary) where p1 leaves it.
  double p1_min = -1e300;
  double p1_max = 1e300;
  bool detect_cusps = true;

  bool IsValid(std::string* why) const;
};

struct FoldCurveRow {
  double p1 = 0, p2 = 0;
  Vector x;
  // a = w.F_xx[v, v] with the orientation kept along the curve (its sign change is a cusp).
  double normal_form = 0;
  int newton_iterations = 0;
  double step = 0;
};

struct FoldCurvePoint {
  // kCusp, kBoundary (p1 window or a problem boundary), kEndpoint (p2 bound,
  // closed loop, last point), kFold (a turning point of the curve in p2), kBranchPoint.
  SpecialPointType type = SpecialPointType::kEndpoint;
  double p1 = 0, p2 = 0;
  Vector x;
  int index = 0;           // row index, as in SpecialPoint
  bool converged = false;  // localised to locate_tolerance
  // kBoundary: index of the problem's boundary function, or -1 for p1 < p1_min,
  // -2 for p1 > p1_max; otherwise -1.
  int boundary = -1;
  std::string message;
};

struct FoldCurveResult {
  std::vector<FoldCurveRow> rows;
  std::vector<FoldCurvePoint> special_points;
  Termination termination = Termination::kNotRun;
  std::string message = "fold-curve continuation not run";

  bool IsComplete() const;
  std::string BriefReport() const;
  std::string FullReport() const;
};

// Continues the fold curve through the fold (x, p1) at p2 (e.g. a kFold special
// point of continue_branch on FixedSecondParameter(problem, p2)). The start is
// corrected at fixed p2 first; a start that is no fold is kStartFailed.
// Never throws.
FoldCurveResult continue_fold_curve(const TwoParameterProblem& problem, const Vector& x, double p1,
                                    double p2, const FoldCurveOptions& options);

}  // namespace waddington::continuation
