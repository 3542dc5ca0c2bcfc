#pragma once
// One vocabulary for what several subcommands share, written once:
//   windows      --n-range A:B, --T-range A:B, --Tr-range A:B, --alpha-range A:B
//                (a closed interval, A < B; parse_window)
//   start points --start ALPHA,ELL (parse_point)
//   ranges       A:B[:S] (ends included, step S) in every integer list
//                (--seeds 1:5, --digits 0:9, --save-epochs 0:3000:100;
//                parse_int_list), as in --grid NAME=A:B:S
//   epochs       --epochs N a count of training epochs; --duration E the
//                (real) length of a reduced-flow trajectory in epochs (time =
//                E x rate); --at-epochs LIST saved epochs to read
//   grids        --cells N cells per axis of a picture's grid; --grid
//                NAME=... a parameter grid of sweep/experiment
//   formats      --format table|csv|json, default table (add_format_option,
//                print_result): table for reading, csv the main table, json
//                the summary
//   temperature  the reduced flow with k identical memories runs at
//                T_eff = T / k^(1/n) (docs/model.md §2); temperature_line says
//                so above every table, and kEffectiveTemperatureHelp in --help
// The names of the options are listed in README.md ("The command line").
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "lib/errors.hpp"
#include "lib/option_text.hpp"
#include "reduced_models/temperature_text.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::app {

// Windows and points (lib/option_text.hpp), shared with the Python module.
using waddington::parse_point;
using waddington::parse_window;

// Adds `old_name` to `cmd` as a hidden spelling of `renamed` (an option renamed for the
// one vocabulary), writing the same variable: still accepted on the command line,
// absent from --help and from config files; giving both is an error.
template <class T>
CLI::Option* add_old_spelling(CLI::App* cmd, CLI::Option* renamed, const std::string& old_name, T& variable) {
  CLI::Option* old = cmd->add_option(old_name, variable, "Deprecated: " + renamed->get_name())->group("")->configurable(false);
  // Not CLI11's excludes(), whose note in --help would show the hidden name.
  // The value is also noted as given to the renamed option, so that a --config file
  // does not override it and --write-config saves it under the new name.
  return old->each([renamed, old_name](const std::string& value) {
    if (renamed->count() > 0)
      throw InputError(old_name + " is the old spelling of " + renamed->get_name() + ": give one of them");
    renamed->add_result(value);
  });
}

// Adds --format (table|csv|json, default table) to `cmd`; `what_csv` names the CSV printed.
CLI::Option* add_format_option(CLI::App* cmd, std::string& format, const std::string& what_csv);

// Prints `table`, `csv` or `json` (dumped with indent 2) on stdout as --format says.
void print_result(const std::string& format, const std::string& table, const std::string& csv,
                  const nlohmann::json& json);

// The text of DIR/FILE (an output just written), for --format csv; "" when it cannot be read.
std::string read_output(const std::string& dir, const std::string& file);

// The effective-temperature part of --help of --memories-identical.
inline constexpr const char* kEffectiveTemperatureHelp =
    "k identical memories (the symmetric state of the paper's Figure 5 has k = 2): they act as one memory at the "
    "effective temperature T_eff = T / k^(1/n), i.e. T_eff^n = T^n / k; the T and T_r columns stay T, and the line "
    "above every table gives T_eff. "
    "1: a single memory at T";

// One line for above a table: "T = 700 (T_r = 0.8929), n = 20, k = 2 identical
// memories: the flow runs at T_eff = T / 2^(1/n) = 675.8 (T_eff/N = 0.8620)".
// `varying` names the parameter a diagram moves ("n", "T" or "n,T"); then the
// line gives the rule instead of one value.
// (reduced_models/temperature_text.hpp, shared with the Python module)
using reduced::temperature_json;
using reduced::temperature_line;

// A summary with "temperature" added to its JSON, for Command::close(parameters, summary, incomplete).
template <class Summary>
struct WithTemperature {
  const Summary& summary;
  nlohmann::json temperature;
  const std::vector<std::string>& warnings = summary.warnings;
  bool complete() const { return summary.complete(); }
  nlohmann::json ToJson() const {
    nlohmann::json j = summary.ToJson();
    j["temperature"] = temperature;
    return j;
  }
};

}  // namespace waddington::app
