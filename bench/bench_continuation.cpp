// Timing of the generic continuation engine on a 2-D system with a
// non-symmetric Jacobian (the shape of the reduced model's diagrams): the S-shaped
// branch with two folds, the 2-D pitchfork with branch switching (three
// branches), and a fold curve with its cusp. Prints the time per diagram and
// the fold/cusp errors against their closed forms.
#include "continuation/branch_switch.hpp"
#include "continuation/fold_curve.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

using namespace waddington::continuation;

namespace {

struct Coupled {
  template <class S>
  void operator()(const S* z, const S& p, const S& q, S* f) const {
    f[0] = p + 2.0 * z[0] - z[0] * z[0] * z[0] - z[1];
    f[1] = q * z[0] - z[1] + 0.1 * z[0] * z[0];
  }
};

struct Pitchfork2D {
  template <class S>
  void operator()(const S* z, const S& mu, S* f) const {
    f[0] = mu * z[0] - z[0] * z[0] * z[0] - z[0] * z[1];
    f[1] = -z[1] + z[0] * z[0];
  }
};

template <class F>
double milliseconds(F&& f, int repeats) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / repeats;
}

}  // namespace

int main() {
  AutoDiffTwoParameterProblem<Coupled, 2> coupled;
  const FixedSecondParameter slice(coupled, 0.5);
  AutoDiffProblem<Pitchfork2D, 2> pitchfork;
  ContinuationOptions o;
  o.p_min = -3;
  o.p_max = 3;
  o.ds_max = 0.05;

  ContinuationResult s_branch;
  const double t_s = milliseconds([&] { s_branch = continue_branch(slice, Vector::Constant(2, -3.0), -3.0, o); }, 200);
  double fold_error = 0;
  for (const auto& sp : s_branch.special_points) {
    if (sp.type != SpecialPointType::kFold) continue;
    const double x = sp.x(0);  // p = x^3 + x^2/10 - 1.5 x on y = x/2 + x^2/10; fold where p'(x) = 0
    fold_error = std::max(fold_error, std::abs(3 * x * x + 0.2 * x - 1.5));
  }
  fmt::print("S-branch (2 folds): {:.3f} ms, {}\n  |p'(x_fold)| <= {:.2e}\n", t_s, s_branch.BriefReport(),
             fold_error);

  ContinuationOptions op = o;
  op.p_min = -1;
  op.p_max = 1;
  int rows = 0;
  const double t_p = milliseconds(
      [&] {
        const ContinuationResult trivial = continue_branch(pitchfork, Vector::Zero(2), -1.0, op);
        rows = static_cast<int>(trivial.rows.size());
        for (const auto& sp : trivial.special_points) {
          if (sp.type != SpecialPointType::kBranchPoint) continue;
          const BranchStart start = branch_switch(pitchfork, sp, op);
          for (int direction : {+1, -1}) {
            ContinuationOptions od = op;
            od.direction = direction;
            rows += static_cast<int>(continue_branch(pitchfork, start, od).rows.size());
          }
        }
      },
      200);
  fmt::print("pitchfork diagram (3 branches, {} rows): {:.3f} ms\n", rows, t_p);

  FoldCurveOptions fo;
  fo.p1_min = -10;
  fo.p1_max = 10;
  fo.continuation.p_min = -1;
  fo.continuation.p_max = 3;
  fo.continuation.ds_max = 0.05;
  const double xs = (-0.2 + std::sqrt(0.04 + 12.0)) / 6;
  Vector z(2);
  z << xs, xs + 0.1 * xs * xs;
  FoldCurveResult curve;
  const double t_f = milliseconds(
      [&] { curve = continue_fold_curve(coupled, z, -2 * xs * xs * xs - 0.1 * xs * xs, 1.0, fo); }, 50);
  double cusp_error = -1;
  for (const auto& sp : curve.special_points)
    if (sp.type == SpecialPointType::kCusp) cusp_error = std::abs(sp.x(0) + 1.0 / 30);
  fmt::print("fold curve ({} rows): {:.3f} ms, {}\n  |x_cusp + 1/30| = {:.2e}\n", curve.rows.size(), t_f,
             curve.BriefReport(), cusp_error);
  return 0;
}
