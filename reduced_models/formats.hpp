#pragma once
// The files and tables of the reduced-model layer, written one way whoever
// writes them (the CLI, experiments, a future Python module). Each function
// returns the text; writing it is the caller's (lib/atomic_file.hpp).
#include <nlohmann/json.hpp>

#include <string>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/k2_branches.hpp"
#include "reduced_models/bifurcation_folds.hpp"
#include "reduced_models/fixed_points.hpp"
#include "reduced_models/nullclines.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::reduced {

// nullclines.csv: "curve,nullcline,on_bound,point,alpha,ell", one row per point;
// curves numbered memory first, then label.
std::string nullclines_csv(const Nullclines& nullclines);
// {"memory": [{on_bound, points: [[alpha, ell], ...]}, ...], "label": [...], "dead_regions": [[min, max], ...]}.
nlohmann::json nullclines_json(const Nullclines& nullclines);
// One line: the number of memory and label curves (label ones on the bounds) and of dead regions.
std::string nullclines_brief(const Nullclines& nullclines);
// The counts for a run record: memory_curves, label_curves.
nlohmann::json nullclines_summary_json(const Nullclines& nullclines);

// trajectory.csv: "t,epoch,alpha,ell" (or alpha_1,ell_1,... for K memories),
// one row per sample; epoch = t / rate.
std::string trajectory_csv(const TrajectoryResult& trajectory, double rate);

// fixed_points.csv: "alpha,alpha_B,ell,stability,eig1,eig2,chart,kind,residual,
// speed,eig1_im,eig2_im,anti_eig1,anti_eig2,eig1_log10,eig2_log10,held", one
// row per equilibrium: eigenvalues as real and imaginary parts (the real part
// +-inf beyond the double range, 0 only for a zero eigenvalue), anti_* the
// K = 2 splitting ones (empty when not computed), eig*_log10 = log10 |Re
// lambda| at any magnitude; on a label bound (held = 1) eig2 is not a flow
// eigenvalue and its fields are empty.
std::string fixed_points_csv(const FixedPointSummary& summary);
// The same as an aligned table (header line + one line per equilibrium).
std::string fixed_points_table(const FixedPointSummary& summary);

// branches.csv: "branch,n,T,alpha,alpha_B,ell,stability,Tr,chart,kind,eig1,
// eig2,newton_iterations,step", one row per point of every branch.
std::string branches_csv(const DiagramSummary& summary);
// The asymmetric K = 2 branches (continue --system k2): one row per point,
// `branch,n,T,Tr,chart,alpha1,alpha_B1,ell1,alpha2,alpha_B2,ell2,stability,eig1,eig2,unstable_count,labels_held`.
std::string k2_branches_csv(const TwoMemoryParameters& p, const K2Summary& summary);
// special_points.csv: "type,n,T,alpha,alpha_B,ell,Tr,chart,branch,where,
// converged,residual,test_value", one row per special point.
std::string special_points_csv(const DiagramSummary& summary);
// The special points as an aligned table (type, n, T, Tr, alpha, alpha_B, ell, branch, where, residual).
std::string diagram_points_table(const DiagramSummary& summary);

// fold_curves.csv: "curve,n,T,Tr,alpha,alpha_B,ell,chart", one row per point of every curve.
std::string fold_curves_csv(const FoldCurveSummary& summary);
// special_points.csv of the fold curves (cusps and curve ends), as special_points_csv.
std::string fold_special_points_csv(const FoldCurveSummary& summary);
// region_map.csv: "n,T,Tr,stable,total", one row per node of the map (n-major).
std::string region_map_csv(const FoldCurveSummary& summary);
// Where the fold curves cross each T_r of `report_Tr` (located exactly), a few lines per T_r.
std::string fold_crossings_table(const FoldCurveSummary& summary, const std::vector<double>& report_Tr);

}  // namespace waddington::reduced
