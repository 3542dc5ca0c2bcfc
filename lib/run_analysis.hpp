#pragma once
// The analysis of a finished training run (docs/model.md §1.2, §1.3): for
// every saved epoch, the memories in the sample basis (alpha = M X^+, one
// pseudo-inverse for the whole run), alphabar, max alpha, samples needed and
// the dominant labels; from metrics.csv the learning order; from the alphabar
// trajectories the split events. RunAnalysisOptions in, RunAnalysisSummary
// out; write_run_analysis writes the files. Nothing is printed.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "lib/learning_dynamics.hpp"
#include "lib/memory_analysis.hpp"
#include "lib/metrics_table.hpp"
#include "lib/saved_run.hpp"
#include "lib/split_events.hpp"

namespace waddington {

struct RunAnalysisOptions {
  std::string run_dir;  // the folder of a `train` run with --out (run.json, metrics.csv, epoch_E/)
  std::string images;   // replaces the training images path recorded in run.json (empty: as recorded)
  std::string epochs;   // integer list of epochs to analyse; empty: every state on disk (snapshots and the final one)
  MemoryAnalysisOptions memory;
  LearningOrderOptions order;
  SplitOptions splits;
  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const;
};

enum class RunAnalysisTermination {
  kNotRun,
  kCompleted,      // every requested epoch analysed, the run itself complete
  kRunIncomplete,  // the training run did not complete (its record says so); what is saved was analysed
  kNonFinite,      // a saved state holds NaN or infinite entries: its rows are not meaningful
};
std::string ToString(RunAnalysisTermination termination);
bool FromString(const std::string& text, RunAnalysisTermination* termination);

struct EpochAnalysis {
  int epoch = 0;
  MemoryAnalysis memories;            // alpha, alphabar, max alpha, samples needed
  std::vector<int> dominant_label;    // K: argmax_d of each memory's label vector l_mu
  std::vector<int> memories_per_label;  // C: memories whose dominant label is each class
};

struct RunAnalysisSummary {
  RunAnalysisTermination termination = RunAnalysisTermination::kNotRun;
  std::vector<std::string> warnings;
  std::vector<InputFile> inputs;        // the training images (and label file) read again
  nlohmann::json run_parameters;        // the analysed run's run.json parameters
  std::vector<int> class_counts;        // training samples per class
  int num_samples = 0, num_memories = 0;
  std::vector<EpochAnalysis> epochs;    // increasing epoch
  MetricsTable metrics;                 // the run's metrics.csv
  LearningOrder order;
  std::vector<SplitEvent> splits;
  std::vector<int> final_digits;        // dominant label of each memory at the last analysed epoch
  double load_seconds = 0, analysis_seconds = 0;

  bool complete() const { return termination == RunAnalysisTermination::kCompleted; }
  std::vector<int> trained_digits() const;  // classes with training samples
  // Several lines for a terminal: per epoch mean max alpha and samples needed, the order, the splits.
  std::string FullReport() const;
  // Termination, epochs, order, per-epoch aggregates, splits (not the per-memory arrays).
  nlohmann::json ToJson() const;
};

// Called after each analysed epoch with (epochs done, epochs in total).
using AnalysisProgress = std::function<void(int done, int total)>;

// Throws InputError for invalid options, a folder that is not a finished
// training run, an epoch that is not saved, or training images that differ
// from the run's.
RunAnalysisSummary analyze_run(const RunAnalysisOptions& options, const AnalysisProgress& progress = {});

// Writes into OUT (created): alpha.npy (E x K x S), alphabar.npy (E x K x C),
// memories.csv, order.csv and splits.csv (documented in the README,
// "Analysing a run"). Throws EnvironmentError when OUT cannot be written.
void write_run_analysis(const std::filesystem::path& out, const RunAnalysisSummary& summary);

// memories.csv: "epoch,memory,dominant_label,max_alpha,samples_needed,
// dominant_alphabar,span_residual", one row per epoch and memory.
std::string memories_csv(const RunAnalysisSummary& summary);

}  // namespace waddington
