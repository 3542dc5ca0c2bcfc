#pragma once
// Options shared by the reduced-model subcommands (fixed-points, nullclines,
// trajectory, phase-portrait, continue): the data (--AA --AB --BB, or
// --images FILE --pair I,J), the hyper-parameters (--n --m --T | --Tr
// --memories-identical --classes) and the chart. A config struct, a function
// adding the options to a subcommand, and one mapping the parsed config onto
// the library's set-up (reduced_models/setup.hpp; throws InputError).
#include <CLI/CLI.hpp>
#include <Eigen/Core>

#include <string>
#include <utility>
#include <vector>

#include "apps/run_record.hpp"
#include "apps/vocabulary.hpp"
#include "reduced_models/setup.hpp"

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
  CLI::Option *n_option = nullptr, *m_option = nullptr, *Tr_option = nullptr, *T_option = nullptr, *images_option = nullptr,
              *identical_option = nullptr;

  // True when --n (resp. --T or --Tr) was given on the command line.
  bool n_given() const { return n_option && n_option->count() > 0; }
  bool identical_given() const { return identical_option && identical_option->count() > 0; }
  bool T_given() const { return (T_option && T_option->count() > 0) || (Tr_option && Tr_option->count() > 0); }
};

// Adds the shared options to `cmd`; `config` must outlive the parse.
void add_reduced_options(CLI::App* cmd, ReducedConfig& config);

// The set-up of the config (reduced::two_memory_setup), with --images recorded
// in `record` when given. Throws InputError with a one-line message.
reduced::TwoMemorySetup reduced_setup(const ReducedConfig& config, RunRecord* record = nullptr);

// The alpha window --alpha-range A:B (docs: apps/vocabulary.hpp): where
// equilibria are searched, curves computed and pictures drawn. --alpha-min and
// --alpha-max are its ends, kept as hidden deprecated spellings.
struct AlphaWindow {
  std::string range = "-1:1";
  double min = 0, max = 0;
  CLI::Option *min_option = nullptr, *max_option = nullptr;
  // The window; throws InputError for a bad or inverted one.
  std::pair<double, double> get() const;
};
void add_alpha_window(CLI::App* cmd, AlphaWindow& window, const std::string& what);

// The parameter columns of every reduced-model CSV (reduced_models/temperature_text.hpp;
// with_parameter_columns adds those a table lacks).
using reduced::parameter_columns;


}  // namespace waddington::app
