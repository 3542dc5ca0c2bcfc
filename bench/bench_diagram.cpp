// Benchmark: the whole Figure 5 diagram (all branches and special points) by
// continuation, the fold curves in (n, T), and the brute-force grid diagram at
// a resolution of 1/1024 in alpha and ell, timed in the same run; prints the
// ratio and how precisely each locates the folds. Run on demand:
//   build/bench/bench_diagram [param_steps=59] [grid_resolution=1/1024]
// (grid_resolution 0: no grid diagram, for quick timings of the rest).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_folds.hpp"

using namespace waddington::reduced;

namespace {

template <class F>
double best_of(int repeats, F&& f) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int param_steps = argc > 1 ? std::atoi(argv[1]) : 59;
  const double resolution = argc > 2 ? std::atof(argv[2]) : 1.0 / 1024;
  TwoMemoryParameters p;
  p.T = 700;
  DiagramOptions o;
  o.from = 1;
  o.to = 60;
  o.param_steps = param_steps;
  if (resolution > 0) o.grid_resolution = resolution;

  DiagramSummary diagram;
  double t_audit = 0;
  const double t_diagram = best_of(10, [&] { diagram = compute_diagram(p, o); });
  fmt::print("diagram (continuation): {:.2f} ms  [{}]\n", 1e3 * t_diagram, diagram.BriefReport());
  {  // the parts of the completeness argument (docs/numerics.md §9)
    DiagramOptions counts = o;
    counts.fold_curve_check = false;
    const double t_counts = best_of(10, [&] { compute_diagram(p, counts); });
    DiagramOptions fixed = counts;
    fixed.count_audit = false;
    fixed.seed_values = 13;
    const double t_fixed = best_of(10, [&] { compute_diagram(p, fixed); });
    fmt::print("diagram, count audit only (no fold-curve check): {:.2f} ms; 13 fixed seed values, no audit: {:.2f} ms\n",
               1e3 * t_counts, 1e3 * t_fixed);
    t_audit = t_counts;
  }

  FoldPlaneOptions f;
  f.n_min = 2, f.n_max = 80, f.T_min = 0.8 * 784, f.T_max = 1.15 * 784;
  f.region_map = false;
  FoldCurveSummary curves;
  const double t_curves = best_of(5, [&] { curves = compute_fold_curves(p, f); });
  fmt::print("fold curves (n 2:80, Tr 0.8:1.15, no region map): {:.2f} ms  [{}]\n", 1e3 * t_curves, curves.BriefReport());
  f.region_map = true;
  const double t_map = best_of(3, [&] { curves = compute_fold_curves(p, f); });
  fmt::print("fold curves + region map ({}x{} nodes): {:.2f} ms = {:.1f}x the diagram, {:.1f}x the count-audit diagram\n",
             f.map_n_cells + 1, f.map_T_cells + 1, 1e3 * t_map, t_map / t_diagram, t_map / t_audit);
  if (!(resolution > 0)) return 0;

  DiagramSummary grid;
  const double t_grid = best_of(1, [&] { grid = grid_diagram(p, o); });
  fmt::print("diagram (grid, {} n values, cell {:.6g}): {:.1f} ms  [{}]\n", param_steps + 1, resolution, 1e3 * t_grid,
             grid.BriefReport());
  fmt::print("ratio grid / continuation: {:.0f}x\n", t_grid / t_diagram);

  const auto folds = diagram.folds(), grid_folds = grid.folds();
  for (std::size_t i = 0; i < folds.size(); ++i) {
    fmt::print("fold {}: continuation n={:.10f} alpha={:.10f} ell={:+.10f} residual {:.1e}", i, folds[i].n,
               folds[i].alpha, folds[i].ell, folds[i].residual);
    if (i < grid_folds.size())
      fmt::print(" | grid n={:.3f} ({}) alpha={:.4f} ell={:+.4f}: |dn|={:.2g} |dalpha|={:.2g} |dell|={:.2g}", grid_folds[i].n,
                 grid_folds[i].where, grid_folds[i].alpha, grid_folds[i].ell, std::abs(grid_folds[i].n - folds[i].n),
                 std::abs(grid_folds[i].alpha - folds[i].alpha), std::abs(grid_folds[i].ell - folds[i].ell));
    fmt::print("\n");
  }
  return 0;
}
