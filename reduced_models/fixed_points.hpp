#pragma once
// All equilibria of the reduced two-memory flow (docs/model.md §2) at one (n, T),
// robustly: interior ones (zeros of the numerators, found by Newton from the
// cells of a seed grid where both numerators change sign; the grid resolves
// the inner layer |ell| ~ 1/kappa around ell = 0, and cells where Newton
// fails are split) and boundary ones on ell = +-1 (zeros of the
// alpha-equation where the clipped label drive points outward). Each is
// analysed by analyse_fixed_point (equilibrium.hpp). The method, step by
// step: docs/numerics.md; its units: reduced_models/detail/fixed_point_solver.hpp.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reduced_models/equilibrium.hpp"
#include "reduced_models/termination.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

struct FixedPointOptions {
  // Search domain in alpha (the chart covers [-1, 1]); ell is always [-1, 1].
  double alpha_min = -1, alpha_max = 1;
  // Seed grid (cells), at least: alpha cells are refined where x^n changes
  // fast (large n), and the ell axis is stretched per alpha (docs/numerics.md §4),
  // with more cells when the inner layer is thin (low T).
  // Raise it if two equilibria may sit closer than a cell (right at a saddle-node).
  int seed_alpha_cells = 48, seed_ell_cells = 32;
  // Newton stops when the numerator residual (FixedPoint::residual) is below
  // `tolerance` or its step stagnates at rounding level, and keeps the point
  // when the residual is at most `accept_residual`.
  double tolerance = 1e-13;
  double accept_residual = 1e-10;
  int max_iterations = 40;
  // Two solutions closer than this (max-norm in (alpha, ell)) are one.
  double duplicate_distance = 1e-7;
  // Also look for boundary equilibria on ell = +-1.
  bool boundary = true;
  // Also compute the K = 2 splitting eigenvalues when identical_memories == 2.
  bool splitting = true;

  bool IsValid(std::string* why) const;
  // Every field by name.
  nlohmann::json ToJson() const;
};

struct FixedPointSummary {
  AnalysisTermination termination = AnalysisTermination::kNotRun;  // kComplete once run
  TwoMemoryParameters parameters;
  std::vector<FixedPoint> fixed_points;  // sorted by kind, alpha
  std::vector<DeadRegion> dead_regions;
  int seeds = 0;             // seed cells (interior) + bracketed roots (boundary)
  int newton_failures = 0;   // Newton runs that left their cell (which is then split) + brackets that were jumps
  double seconds = 0;

  int count(Stability s) const;
  // e.g. "n=20 T=700 (T_eff=674.0, T_r=0.893): 3 fixed points (2 stable, 1 saddle)"
  std::string BriefReport() const;
  // The brief report and a table: one line per fixed point with its eigenvalues.
  std::string FullReport() const;
  nlohmann::json ToJson() const;
};

// All equilibria of the chart p.chart (validates p and options; throws InputError).
FixedPointSummary find_fixed_points(const TwoMemoryParameters& p, const FixedPointOptions& options = {});

}  // namespace waddington::reduced
