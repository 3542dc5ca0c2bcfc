#include "reduced_models/temperature_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace waddington::reduced {

std::string temperature_line(const TwoMemoryParameters& p, const std::string& varying) {
  const double k = p.identical_memories;
  const bool fixed_n = varying.find('n') == std::string::npos, fixed_T = varying.find('T') == std::string::npos;
  std::string given;
  if (fixed_T) given += fmt::format("T = {:.6g} (T_r = {:.4f}), ", p.T, p.rescaled_temperature());
  if (fixed_n) given += fmt::format("n = {:.6g}, ", p.n);
  if (k == 1) return fmt::format("# {}one memory: the flow runs at T_eff = T", given);
  std::string line = fmt::format("# {}k = {:g} identical memories (--memories-identical): the flow runs at T_eff = T / {:g}^(1/n)",
                                 given, k, k);
  if (fixed_n && fixed_T)
    line += fmt::format(" = {:.6g} (T_eff/N = {:.4f})", p.effective_temperature(), p.effective_temperature() / p.num_pixels);
  else if (fixed_n)
    line += fmt::format(" = {:.6g} T", 1 / std::pow(k, 1 / p.n));
  return line + "; the T and T_r columns are T";
}

nlohmann::json temperature_json(const TwoMemoryParameters& p, const std::string& varying) {
  nlohmann::json j = {{"memories_identical", p.identical_memories},
                      {"T_eff_rule", fmt::format("T_eff = T / {:g}^(1/n)", p.identical_memories)}};
  j["T_eff"] = varying.empty() ? nlohmann::json(p.effective_temperature()) : nlohmann::json(nullptr);
  return j;
}

std::string k_memory_temperature_line(const TwoMemoryParameters& p, int memories) {
  return fmt::format("# T = {:.6g} (T_r = {:.4f}), n = {:.6g}, K = {} memories (one --start each), each at T: T_eff = T "
                     "per memory (docs/model.md §2.2; --memories-identical does not apply); while the {} are equal they "
                     "act as k = {} identical memories at T / {}^(1/n) = {:.6g}; the T and T_r columns are T",
                     p.T, p.rescaled_temperature(), p.n, memories, memories, memories, memories,
                     p.T / std::pow(double(memories), 1 / p.n));
}

nlohmann::json k_memory_temperature_json(const TwoMemoryParameters& p, int memories) {
  return {{"memories", memories},
          {"memories_identical", nullptr},
          {"T_eff_rule", fmt::format("each of the K = {} memories at T", memories)},
          {"T_eff", p.T}};
}

}  // namespace waddington::reduced
