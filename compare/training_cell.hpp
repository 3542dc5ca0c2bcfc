#pragma once
// The full trainer (docs/model.md §1.1) as a sweep task: each cell of a grid over
// trainer hyper-parameters (n, T or Tr, rate, ...) trains the network from the
// same data, single-threaded, and reports its cost, accuracy and alpha summary
// (alpha = M X^+ on the training samples, docs/model.md §1.2). The final memories,
// labels and alpha are kept in the cell's directory.
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/dataset.hpp"
#include "lib/memory_analysis.hpp"
#include "lib/network.hpp"
#include "lib/trainer.hpp"
#include "lib/training_run.hpp"
#include "sweep/grid.hpp"
#include "sweep/task.hpp"

namespace waddington::compare {

// The part of a training sweep that every cell shares.
struct TrainingSetup {
  Dataset training;
  // Base options; a grid parameter overrides the option of the same name.
  // Cells train single-threaded: the caller sets Eigen::setNbThreads(1) once (a pool runs many at once).
  TrainerOptions options;
  // A fixed initial state for every cell; without one each cell draws the
  // Gaussian start of its own (seeded) options.
  std::optional<NetworkState> start;
  // Keep memories.npy, labels.npy and alpha.npy in each cell's directory.
  bool keep_files = true;
  // What identifies the data in sweep.json (path, checksum, selection...).
  nlohmann::json data_identity = nlohmann::json::object();
};

// Grid parameter names the trainer understands: n, m, T, Tr (T = Tr * N),
// rate, momentum, epochs, memories, seed, init_mean, init_std, noise, minibatch.
const std::vector<std::string>& trainer_grid_parameters();

// The options of one cell: `base` with the grid parameters applied and
// threads = 1. Throws InputError when a value does not fit its option
// (epochs = 1.5, both T and Tr, or options.IsValid fails).
TrainerOptions cell_trainer_options(const TrainerOptions& base, const std::map<std::string, double>& parameters,
                                    Eigen::Index num_pixels);

struct TrainedCell {
  NetworkState state;
  TrainerSummary summary;
  MemoryAnalysis analysis;  // of the final memories on the training samples
};

// Trains one cell; throws sweep::Abandoned when the sweep is asked to stop.
TrainedCell train_cell(const TrainingSetup& setup, const TrainerOptions& options, const sweep::CellContext& cell);

// Writes memories.npy, labels.npy and alpha.npy (K x S) into `cell.directory`.
void keep_cell_files(const TrainedCell& trained, const sweep::CellContext& cell);

// The sweep task "train": results final_cost, final_accuracy, epochs_completed,
// mean_max_alpha, mean_samples_to_reconstruct (NaN, written `nan`, when no
// memory is reconstructible), reconstructible_memories, max_span_residual. A
// cell whose cost became non-finite is "failed".
sweep::Task training_task(std::shared_ptr<const TrainingSetup> setup);

// Sets the task's sweep.csv parameter columns n, T, Tr: the values each cell
// trains at (swept, derived from a swept T or Tr, or fixed), docs/outputs.md.
void add_model_parameter_columns(sweep::Task& task, std::shared_ptr<const TrainingSetup> setup);

// The shared part of a training sweep from the options of one training run
// (lib/training_run.hpp; trainer options as given, before any grid value):
// the training set read through load_training_set (the files read appended to
// `inputs`), the trainer's temperature T_r N when rescaled_temperature is set,
// the trainer options validated, and the data's identity for sweep.json
// (images path or "synthetic", checksum, labels). Throws InputError (no or two
// data sources, a bad selection, missing labels, unreadable inputs, invalid
// trainer options), in that order.
std::shared_ptr<TrainingSetup> sweep_training_setup(const TrainingRunOptions& options, std::vector<InputFile>* inputs);

// A grid parameter may not also be fixed in the training options: throws
// InputError when `given` (the flags given, e.g. "--n", "--init-mean") holds
// the flag of an axis of `grid` (T and Tr count as one).
void check_grid_not_given(const sweep::Grid& grid, const std::vector<std::string>& given);

// FNV-1a 64-bit of a matrix's values: identifies data in a sweep spec.
std::string matrix_checksum(const Eigen::MatrixXd& matrix);

// The options a run.json/sweep.json records (everything that changes results).
nlohmann::json trainer_options_json(const TrainerOptions& options);

}  // namespace waddington::compare
