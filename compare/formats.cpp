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

std::string compare_csv(const CompareResult& result) {
  std::string out = "epoch,alpha_full,ell_full,alpha_reduced,ell_reduced,split,alpha_1,ell_1,alpha_2,ell_2,off_model\n";
  for (const auto& r : result.rows)
    out += fmt::format("{},{:.10g},{:.10g},{:.10g},{:.10g},{:.6g},{:.10g},{:.10g},{:.10g},{:.10g},{:.3g}\n", r.epoch,
                       r.alpha_full, r.ell_full, r.alpha_reduced, r.ell_reduced, r.split, r.alpha_1, r.ell_1, r.alpha_2,
                       r.ell_2, r.off_model);
  return out;
}

}  // namespace waddington::compare
