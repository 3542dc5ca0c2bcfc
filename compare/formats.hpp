#pragma once
// The files of the compare layer, written one way whoever writes them. Each
// function returns the text; writing it is the caller's (lib/atomic_file.hpp).
#include <string>

#include "compare/compare.hpp"
#include "compare/diagram_validation.hpp"
#include "compare/transition_verify.hpp"

namespace waddington::compare {

// validation.csv, one row per memory per run:
//   n,alpha_final,alpha_B_final,ell_final,distance_to_stable_branch,   (the parameter's name first: n or T)
//   memory,run,split,start,start_alpha,start_ell,start_basin,nearest_stable,nearest_branch,same_basin,
//   epochs,converged,memories_apart,label_asymmetry,gamma_offset,norm_offset,oscillation
// start_basin / nearest_stable index the stable equilibria at that value (run.json
// "stable_equilibria"); an empty distance means no stable equilibrium on the memory's chart.
std::string validation_csv(const DiagramValidationSummary& summary);

// compare.csv, one row per epoch:
//   epoch,alpha_full,ell_full,alpha_reduced,ell_reduced,split,alpha_1,ell_1,alpha_2,ell_2,off_model
std::string compare_csv(const CompareResult& result);

// transition.csv: kind,n,memory,T_star,Tr_star,Tr_switch,deviation,note,
// Tr_minor_zero,minor_deviation (the last two empty for intra).
std::string transition_csv(const TransitionSummary& summary);
// cells.csv: n,Tr,<the task's alpha columns>,status; one row per cell.
std::string cells_csv(const sweep::Grid& grid, const sweep::Task& task, const std::vector<sweep::CellRecord>& records);
// The table `transition-line` prints: n, memory, T_star, Tr_star, Tr_switch,
// deviation (inter also Tr_minor_zero, minor_deviation) and the note; "-" where
// there is no value.
std::string transition_table(const TransitionSummary& summary);

}  // namespace waddington::compare
