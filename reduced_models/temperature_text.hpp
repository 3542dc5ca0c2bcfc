#pragma once
// How every front end (the CLI and the Python module) states the temperature a
// reduced-model result ran at: k identical memories act as one memory at
// T_eff = T / k^(1/n) (docs/model.md §2), and every table carries its
// parameters as columns (docs/outputs.md).
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// One line for above a table: "# T = 700 (T_r = 0.8929), n = 20, k = 2 identical
// memories (--memories-identical): the flow runs at T_eff = T / 2^(1/n) = 675.8 (T_eff/N = 0.8620); ...".
// `varying` names the parameter a diagram moves ("n", "T" or "n,T"); then the
// line gives the rule instead of one value.
std::string temperature_line(const TwoMemoryParameters& p, const std::string& varying = "");

// The same for a summary: {"memories_identical", "T_eff_rule", "T_eff" (null when varying)}.
nlohmann::json temperature_json(const TwoMemoryParameters& p, const std::string& varying = "");

// The line and summary for K explicit memories (the K-memory flow, docs/model.md
// §2.2, e.g. `trajectory --start A1,L1 --start A2,L2`): each memory runs at T
// itself, --memories-identical does not apply; equal memories act as k = K
// identical ones at T / K^(1/n). "# T = 700 (T_r = 0.8929), n = 20, K = 2
// memories (one --start each), each at T: T_eff = T per memory; ...".
// JSON: {"memories", "memories_identical": null, "T_eff_rule", "T_eff" = T}.
std::string k_memory_temperature_line(const TwoMemoryParameters& p, int memories);
nlohmann::json k_memory_temperature_json(const TwoMemoryParameters& p, int memories);

// The parameters every reduced-model CSV carries as columns: n, T and Tr = T / N.
inline std::vector<std::pair<std::string, double>> parameter_columns(const TwoMemoryParameters& p) {
  return {{"n", p.n}, {"T", p.T}, {"Tr", p.rescaled_temperature()}};
}

}  // namespace waddington::reduced
