// Time to find all fixed points of the reduced two-memory flow at one (n, T)
// (goal < 1 ms), against the brute-force grid it is checked with.
#include <fmt/format.h>

#include <chrono>

#include "reduced_models/fixed_points.hpp"
#include "reduced_models/grid_fixed_points.hpp"

using namespace waddington::reduced;

template <class F>
double best_of(int repeats, F&& f) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

int main() {
  fmt::print("{:>5} {:>7} {:>6} {:>6} {:>8} {:>14} {:>18} {:>8}\n", "n", "T", "points", "seeds", "failures",
             "solver (ms)", "grid 800^2 (ms)", "ratio");
  for (double n : {5.0, 20.0, 30.0, 39.0, 40.0, 45.0, 50.0, 100.0})
    for (double T : {635.0, 700.0}) {
      TwoMemoryParameters p;
      p.n = n, p.T = T;
      FixedPointSummary s;
      const double solver = best_of(50, [&] { s = find_fixed_points(p); });
      GridFinderOptions g;
      g.alpha_cells = g.ell_cells = 800;
      const double grid = best_of(3, [&] { (void)grid_fixed_points(p, g); });
      fmt::print("{:>5g} {:>7g} {:>6} {:>6} {:>8} {:>14.3f} {:>18.1f} {:>8.0f}\n", n, T, s.fixed_points.size(), s.seeds,
                 s.newton_failures, solver * 1e3, grid * 1e3, grid / solver);
    }
  return 0;
}
