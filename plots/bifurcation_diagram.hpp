#pragma once
// The bifurcation diagram of the paper's Figure 5A from plain data: branches of
// equilibria against one parameter (n or T), drawn in two panels (parameter vs
// alpha, parameter vs ell), in three styles by the kind of each point (fully
// stable: solid blue; stable in the plotted system but unstable to a
// perturbation it does not show, e.g. splitting: solid orange; saddle or
// unstable: dashed red), special points marked; and a 3-D view (parameter,
// alpha, ell). Knows nothing of the model.
#include <filesystem>
#include <string>
#include <vector>

#include "plots/gnuplot.hpp"

namespace waddington::plots {

// How a point of a branch is drawn.
enum class DiagramPointKind {
  kStable,            // stable, also to splitting: solid blue, "stable"
  kStableOnManifold,  // stable on the plotted (symmetric) manifold, unstable off it: solid orange
  kUnstable,          // saddle or unstable on the manifold: dashed red
};

struct DiagramPoint {
  double parameter = 0, alpha = 0, ell = 0;
  DiagramPointKind kind = DiagramPointKind::kUnstable;
};

// One continued branch, its points in continuation order.
struct DiagramBranch {
  std::vector<DiagramPoint> points;
};

// A special point; `type` is fold, branch_point, boundary, cusp or hopf.
struct DiagramMarker {
  std::string type;
  double parameter = 0, alpha = 0, ell = 0;
};

// A state reached by simulation (the full trainer's final memory), drawn over
// the branches; `apart`: one of two memories that ended apart (drawn differently).
struct DiagramOverlayPoint {
  double parameter = 0, alpha = 0, ell = 0;
  bool apart = false;
};

struct BifurcationDiagramData {
  std::string parameter_name = "n";  // axis label of the continuation parameter
  std::string title;                  // e.g. "AA=753.2 AB=494.0 BB=719.7, T=700 (Tr=0.893)"
  double parameter_min = 0, parameter_max = 1;
  std::vector<DiagramBranch> branches;
  std::vector<DiagramMarker> special_points;
  // Drawn as crosses in both panels (empty: nothing).
  std::vector<DiagramOverlayPoint> overlay;
  // Asymmetric branches of the K = 2 system (continue --system k2): one
  // polyline per memory per branch, points (parameter, alpha, ell); drawn in
  // purple over the symmetric branches: solid where the K = 2 system is stable
  // there (split_stable, per point; missing: not stable), thin and dotted elsewhere.
  std::vector<std::vector<DiagramPoint>> split_memories;
  std::vector<std::vector<bool>> split_stable;
  // Draw points instead of lines (brute-force diagrams: one "branch" per parameter value).
  bool scatter = false;
  // Legend titles of the three kinds (the defaults fit the K = 2 splitting).
  std::string stable_title = "stable (also to splitting)";
  std::string stable_on_manifold_title = "stable on the manifold, unstable to splitting";
  std::string unstable_title = "saddle / unstable";
};

// The scripts behind the two pictures (data blocks "stable", "stable_on_manifold",
// "unstable": "parameter alpha ell" per point, blank lines between runs;
// "sp_<type>" for the markers).
PlotScript bifurcation_diagram_script(const BifurcationDiagramData& data);
PlotScript bifurcation_diagram_3d_script(const BifurcationDiagramData& data);

// Figure 5A: two panels, parameter against alpha and against ell.
// Throws InputError for an unsupported extension, EnvironmentError if gnuplot fails.
void plot_bifurcation_diagram(const std::filesystem::path& output, const BifurcationDiagramData& data);

// The same branches in a 3-D view (parameter, alpha, ell).
void plot_bifurcation_diagram_3d(const std::filesystem::path& output, const BifurcationDiagramData& data);

}  // namespace waddington::plots
