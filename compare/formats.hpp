#pragma once
// The files of the compare layer, written one way whoever writes them. Each
// function returns the text; writing it is the caller's (lib/atomic_file.hpp).
#include <string>

#include "compare/compare.hpp"
#include "compare/diagram_validation.hpp"

namespace waddington::compare {

// validation.csv, one row per memory per run:
//   n,alpha_final,ell_final,distance_to_stable_branch,   (the parameter's name first: n or T)
//   memory,run,split,start,start_alpha,start_ell,start_basin,nearest_stable,nearest_branch,same_basin,
//   epochs,converged,memories_apart,alpha_B_final,label_asymmetry,gamma_offset,norm_offset,oscillation
// start_basin / nearest_stable index the stable equilibria at that value (run.json
// "stable_equilibria"); an empty distance means no stable equilibrium on the memory's chart.
std::string validation_csv(const DiagramValidationSummary& summary);

// compare.csv, one row per epoch:
//   epoch,alpha_full,ell_full,alpha_reduced,ell_reduced,split,alpha_1,ell_1,alpha_2,ell_2,off_model
std::string compare_csv(const CompareResult& result);

}  // namespace waddington::compare
