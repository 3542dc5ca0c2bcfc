#pragma once
// Saddle-node (fold) curves of the reduced two-memory flow in the (n, T)
// plane: folds found by one-parameter continuation in n at a few T values,
// each continued in (n, T) by the generic engine's continue_fold_curve (the
// minimally augmented system {F = 0, g = 0}, g the bordered test function of
// the numerator Jacobian, which vanishes where det dF/d(alpha, ell) does;
// docs/model.md §2: the numerators' det has the real flow's sign). Cusps are where
// the fold's normal-form coefficient changes sign; the ends (window, ell =
// +-1, piece edges) are reported. The plane is labelled by the number of stable equilibria.
#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "reduced_models/bifurcation.hpp"

namespace waddington::reduced {

struct FoldCurveOptions {
  // The window in n and T (n_min < n_max, T_min < T_max).
  double n_min = 2, n_max = 80, T_min = 627.2, T_max = 901.6;
  // T values (equally spaced, ends included) where the diagram in n gives seeds.
  int seed_T_values = 5;
  // Options of those one-parameter diagrams (window and parameter overwritten).
  DiagramOptions diagram;
  // Steps of the fold-curve continuation in the scaled space (alpha, ell, n/range, T/range).
  double ds = 0.002, ds_min = 1e-8, ds_max = 0.01;
  int max_steps = 20000;
  // The count of stable equilibria on a coarse (n, T) grid labels the regions.
  bool region_map = true;
  int map_n_cells = 156, map_T_cells = 70;
  // Brute-force map (`--method grid`): (alpha, ell) cell size of the grid finder.
  double grid_resolution = 1.0 / 256;
  std::function<void(int, int)> on_progress;

  bool IsValid(std::string* why) const;
};

struct FoldCurvePoint {
  int curve = 0;
  double n = 0, T = 0, alpha = 0, alpha_B = 0, ell = 0;
  int chart = +1;
};

struct FoldCurve {
  int id = 0;
  int chart = +1;
  std::string found_from;
  std::array<std::string, 2> ends;
  std::vector<FoldCurvePoint> points;
};

// One node of the map: the number of stable (and all) equilibria at (n, T).
struct RegionCell {
  double n = 0, T = 0;
  int stable = 0, total = 0;
};

// A connected region of equal stable count, labelled at a representative node.
struct RegionLabel {
  double n = 0, T = 0;
  int stable = 0, cells = 0;
};

struct FoldCurveSummary {
  bool run = false;
  DiagramMethod method = DiagramMethod::kContinuation;
  TwoMemoryParameters parameters;
  FoldCurveOptions options;
  std::vector<FoldCurve> curves;
  std::vector<SpecialPoint> special_points;  // cusps, and the curves' ends (type boundary)
  std::vector<RegionCell> map;               // (map_n_cells+1) x (map_T_cells+1), n-major
  std::vector<RegionLabel> regions;
  int folds_found = 0, folds_on_known_curve = 0;
  std::vector<std::string> warnings;
  double seconds = 0, map_seconds = 0;

  bool complete() const { return run && warnings.empty(); }
  std::string BriefReport() const;
  nlohmann::json ToJson() const;
};

// Fold curves by continuation, and the region map (validates; throws InputError).
FoldCurveSummary compute_fold_curves(const TwoMemoryParameters& p, const FoldCurveOptions& options);

// Brute force: the map only, counted with the grid finder (no curves).
FoldCurveSummary grid_fold_map(const TwoMemoryParameters& p, const FoldCurveOptions& options);

// Where the fold curves cross T = T0, each located exactly (Newton on F = 0,
// det = 0, T = T0 from the interpolated crossing).
std::vector<SpecialPoint> fold_crossings_at_T(const FoldCurveSummary& summary, double T0);

// The stable and total count of equilibria of a complete diagram in n at one
// n (branches crossing n; stability of the nearer row).
RegionCell count_on_diagram(const DiagramSummary& diagram, double n);

std::string fold_curves_csv(const FoldCurveSummary& summary);           // curve,n,T,Tr,alpha,ell,alpha_B,chart
std::string fold_special_points_csv(const FoldCurveSummary& summary);   // as special_points.csv
std::string region_map_csv(const FoldCurveSummary& summary);            // n,T,Tr,stable,total

}  // namespace waddington::reduced
