// Benchmark: the cost of one continuation point of the reduced model (the
// generic engine's continue_branch on the interior numerator problem, options
// as a diagram in n uses them: DiagramOptions::DefaultContinuation, the Hopf
// test on, stability per row off), at T_r in {0.3, 0.5, 0.7, 1.0, 1.5}. The
// branch is the one through the first interior equilibrium of chart +1 at
// n = 20, continued both ways over n in [1, 80]. Prints microseconds per
// accepted point and points per second; then the same per row of a whole
// diagram in n over [1, 80] (count audit, no fold-curve check: searches,
// every branch, each row's real-flow stability and splitting), i.e. the
// diagram's time divided by its rows. Run on demand:
//   build/bench/bench_continuation_point [min_seconds_per_T=0.2]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "continuation/pseudo_arclength.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_problems.hpp"
#include "reduced_models/fixed_points.hpp"

using namespace waddington::reduced;
namespace cont = waddington::continuation;

int main(int argc, char** argv) {
  const double min_seconds = argc > 1 ? std::atof(argv[1]) : 0.2;
  const double from = 1, to = 80, n0 = 20;
  for (double Tr : {0.3, 0.5, 0.7, 1.0, 1.5}) {
    TwoMemoryParameters p;
    p.T = Tr * p.num_pixels;
    p.n = n0;
    p.chart = +1;
    FixedPointOptions search;
    search.splitting = false;
    const FixedPointSummary found = find_fixed_points(p, search);
    const FixedPoint* seed = nullptr;
    for (const FixedPoint& f : found.fixed_points)
      if (f.kind == FixedPointKind::kInterior) {
        seed = &f;
        break;
      }
    const auto pieces = smooth_pieces(p);
    const SmoothPiece* piece = nullptr;
    for (const SmoothPiece& s : pieces)
      if (seed && s.chart == p.chart && seed->alpha > s.alpha_min && seed->alpha < s.alpha_max) piece = &s;
    if (seed == nullptr || piece == nullptr) {
      fmt::print("T_r={:.1f}: no interior equilibrium at n={:g}\n", Tr, n0);
      continue;
    }
    const detail::InteriorBranchProblem problem(p, BifurcationParameter::kN, *piece, to - from, from);
    cont::ContinuationOptions c = DiagramOptions::DefaultContinuation();
    c.p_min = 0, c.p_max = 1;
    c.locate_tolerance = c.newton_tolerance;
    c.compute_stability = false;
    const Eigen::Vector2d x0(seed->alpha, seed->ell);
    const double p0 = (n0 - from) / (to - from);
    long points = 0;
    int runs = 0;
    const auto start = std::chrono::steady_clock::now();
    double elapsed = 0;
    while (elapsed < min_seconds) {
      for (int direction : {+1, -1}) {
        c.direction = direction;
        points += long(cont::continue_branch(problem, x0, p0, c).rows.size());
      }
      ++runs;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    fmt::print("T_r={:.1f}: {:.2f} us per continuation point, {:.0f} points/s ({} points per branch, alpha0={:.4f}, "
               "ell0={:+.4f})\n",
               Tr, 1e6 * elapsed / points, points / elapsed, points / runs, seed->alpha, seed->ell);
    DiagramOptions o;
    o.from = from, o.to = to;
    o.fold_curve_check = false;
    long rows = 0;
    runs = 0;
    const auto start_diagram = std::chrono::steady_clock::now();
    elapsed = 0;
    while (elapsed < min_seconds) {
      for (const Branch& b : compute_diagram(p, o).branches) rows += long(b.rows.size());
      ++runs;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_diagram).count();
    }
    fmt::print("T_r={:.1f}: {:.2f} us per diagram row (n in [{:g}, {:g}], {} rows, {:.2f} ms per diagram)\n", Tr,
               1e6 * elapsed / rows, from, to, rows / runs, 1e3 * elapsed / runs);
  }
  return 0;
}
