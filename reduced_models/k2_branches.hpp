#pragma once
// The asymmetric branches of the K = 2 system (docs/model.md §2.2) from the
// symmetry-breaking points of a diagram (`continue --system k2`).
//
// Along the symmetric branches of a diagram with two identical memories, a
// `branch_point` with where = "splitting" marks where the antisymmetric
// eigenvalue crosses 0: there the explicit two-memory system (alpha_1, ell_1,
// alpha_2, ell_2), every memory at temperature T with shared scores
// (k_memory.hpp), has a pitchfork, and a branch with alpha_1 != alpha_2 leaves
// it. It is found by the engine's branch switching (continuation/branch_switch.hpp)
// at the branch point, with the symmetric branch's tangent as the incoming one,
// and continued both ways. On a label bound (the branch point of a `boundary`
// branch, ell = +-1) both labels stay held and the problem is (alpha_1, alpha_2);
// it ends where a label is released (its drive turns inward), where an alpha
// leaves the smooth piece, or at the window.
#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reduced_models/bifurcation.hpp"

namespace waddington::reduced {

struct K2Row {
  int branch = 0;
  double n = 0, T = 0;
  double alpha1 = 0, ell1 = 0, alpha2 = 0, ell2 = 0;
  Stability stability = Stability::kUnknown;
  double eig1 = 0, eig2 = 0;  // real parts of the leading two eigenvalues of the real K = 2 flow (held labels excluded)
  int unstable_count = 0;     // eigenvalues with positive real part
};

struct K2Branch {
  int id = 0;
  int chart = +1;
  bool labels_held = false;  // on a label bound: only the alphas move
  double ell_bound = 0;
  std::string found_from;    // the symmetry-breaking point it leaves
  std::array<std::string, 2> ends;
  std::vector<K2Row> rows;
  // Folds (turning points in the parameter) located on the branch, as rows
  // (stability kUnknown: one eigenvalue is 0 there); a stable split state
  // meets a saddle one at each.
  std::vector<K2Row> folds;
};

struct K2Summary {
  AnalysisTermination termination = AnalysisTermination::kNotRun;
  std::vector<K2Branch> branches;
  int branch_points = 0;  // symmetry-breaking points of the diagram tried
  std::vector<std::string> warnings;
  double seconds = 0;
  bool complete() const { return termination == AnalysisTermination::kComplete; }
  std::string BriefReport() const;
  nlohmann::json ToJson() const;
};

// The asymmetric branches from every splitting branch point of `diagram`
// (continuation, p.identical_memories == 2; otherwise an empty, complete summary).
K2Summary continue_split_branches(const TwoMemoryParameters& p, const DiagramSummary& diagram);

}  // namespace waddington::reduced
