#include "compare/formats.hpp"

#include <fmt/format.h>

#include <cmath>

namespace waddington::compare {

std::string validation_csv(const DiagramValidationSummary& s) {
  std::string t = s.parameter +
                  ",alpha_final,ell_final,distance_to_stable_branch,memory,run,split,start,start_alpha,start_ell,start_basin,"
                  "nearest_stable,nearest_branch,same_basin,epochs,converged,memories_apart,alpha_B_final,"
                  "label_asymmetry,gamma_offset,norm_offset,oscillation\n";
  for (const auto& r : s.rows)
    t += fmt::format("{:.10g},{:.12g},{:.12g},{},{},{},{:g},{},{:.10g},{:.10g},{},{},{},{:d},{},{:d},{:d},{:.12g},{:.3g},{:.3g},{:.3g},{:.3g}\n",
                     r.value, r.alpha_final, r.ell_final, std::isfinite(r.distance) ? fmt::format("{:.6g}", r.distance) : "",
                     r.memory, r.run, r.split, r.start_kind, r.start_alpha, r.start_ell, r.start_equilibrium, r.nearest,
                     r.nearest_branch, r.same_basin, r.epochs, r.converged, r.apart, r.alpha_B_final, r.label_asymmetry,
                     r.gamma_offset, r.norm_offset, r.oscillation);
  return t;
}

}  // namespace waddington::compare
