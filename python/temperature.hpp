#pragma once
// The effective temperature the CLI states above every reduced-model table and
// in its summaries (apps/vocabulary.cpp temperature_line / temperature_json;
// the module does not link apps/, so this is the same text made here; the
// tests hold it against the CLI's stdout). k identical memories run at
// T_eff = T / k^(1/n) (docs/model.md §2). `varying` names the parameter a
// diagram moves ("n", "T" or "n,T"); then the line gives the rule instead of
// one value.
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "reduced_models/two_memory.hpp"

namespace waddington::python {

std::string temperature_line(const reduced::TwoMemoryParameters& p, const std::string& varying = "");
nlohmann::json temperature_json(const reduced::TwoMemoryParameters& p, const std::string& varying = "");

// The parameter columns every reduced-model CSV of the CLI carries (n, T, Tr = T / N; docs/outputs.md).
inline std::vector<std::pair<std::string, double>> parameter_columns(const reduced::TwoMemoryParameters& p) {
  return {{"n", p.n}, {"T", p.T}, {"Tr", p.rescaled_temperature()}};
}

}  // namespace waddington::python
