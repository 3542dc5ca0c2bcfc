#pragma once
// Options shared by the reduced-model subcommands (fixed-points, nullclines,
// trajectory, phase-portrait, continue): the data (--AA --AB --BB, or
// --images FILE --pair I,J), the hyper-parameters (--n --m --T | --Tr
// --memories-identical --classes) and the chart. A config struct, a function
// adding the options to a subcommand, and one turning the parsed config into
// validated TwoMemoryParameters (throws InputError).
#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <string>

#include "apps/run_record.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::app {

struct ReducedConfig {
  double AA = 753.2249, AB = 494.0239, BB = 719.7008;
  std::string images;  // .npy / IDX file (rows = samples)
  std::string pair;    // "I,J": rows of A and B in --images
  double n = 20, m = 0, T = 700, Tr = 0;
  double identical_memories = 2;
  int classes = 10;
  int chart = 1;
  bool same_class = false;
  // Filled by add_reduced_options, to know what was given on the command line.
  CLI::Option *m_option = nullptr, *Tr_option = nullptr, *T_option = nullptr, *images_option = nullptr;
};

// The data and parameters of one reduced-model run.
struct ReducedSetup {
  reduced::TwoMemoryParameters parameters;
  Eigen::VectorXd A, B;  // the two samples (empty without --images)
  int row_A = -1, row_B = -1;
  std::string images;
  nlohmann::json ToJson() const;  // for run.json "parameters"
};

// Adds the shared options to `cmd`; `config` must outlive the parse.
void add_reduced_options(CLI::App* cmd, ReducedConfig& config);

// Validates the config, loads --images (recording it in `record` when given)
// and returns the parameters. Throws InputError with a one-line message.
ReducedSetup reduced_setup(const ReducedConfig& config, RunRecord* record = nullptr);

// "table", "csv" or "json"; throws InputError otherwise.
void check_format(const std::string& format);

}  // namespace waddington::app
