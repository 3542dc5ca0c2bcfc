#pragma once
// One training run of the full network (docs/model.md §1.1) as the CLI or a sweep
// runs it: the training set loaded and selected (or synthetic digits), an
// optional held-out test set, the initial state (seeded Gaussian or from
// files), training with the state saved at chosen epochs, and the outputs
// written through lib/formats.hpp. TrainingRunOptions in, TrainingRunSummary
// out; nothing is printed.
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lib/dataset.hpp"
#include "lib/trainer.hpp"

namespace waddington {

struct TrainingRunOptions {
  // Training images (.npy or MNIST IDX, see load_images) and their labels: an
  // IDX/.npy label file or "blocks:K" (consecutive blocks of K per class).
  std::string images, labels;
  // Train on synthetic seven-segment digits (lib/synthetic.hpp, seeded by
  // trainer.seed) instead of `images`; exactly one of the two.
  bool synthetic = false;
  // Held-out images and labels for the test accuracy; empty: no test set.
  std::string test_images, test_labels;
  // Classes to train on, as an integer list ("1,4", "0-9"; parse_int_list);
  // empty keeps all. The test set keeps the same classes.
  std::string digits;
  // Samples per class: 0 keeps all (synthetic digits: 0 generates 20).
  int per_class = 0;
  // false: the first `per_class` of each class; true: a random sample seeded by sample_seed.
  bool random_sample = false;
  std::uint64_t sample_seed = 1;
  // Rescaled temperature T_r = T / N: when set, trainer.temperature becomes
  // T_r N once the number of pixels N is known.
  std::optional<double> rescaled_temperature;
  // Initial memories (K x N) and labels (K x C) as 2-D .npy files instead of the seeded Gaussian.
  std::string init_memories, init_labels;
  // Epochs whose state is saved to out/epoch_E/, as an integer list ("0,1000,3000"); needs `out`.
  std::string save_epochs;
  // More than kMaxSnapshots (1000) saved epochs are refused unless this is set (--no-snapshot-cap).
  bool no_snapshot_cap = false;
  // Directory for memories.npy, labels.npy, metrics.csv and the snapshots;
  // empty writes nothing. Checked to be writable after the inputs are read and before training.
  std::string out;
  // Continue the run in `out` from out/checkpoint.npz instead of starting
  // afresh; the options must be those of that run (TrainingRunOptions::FromJson
  // of its run.json parameters). Not part of ToJson.
  bool resume = false;
  TrainerOptions trainer;

  // Checks everything that can be checked without reading a file.
  bool IsValid(std::string* why) const;
  // Every option under its command-line name (trainer's included; "images" is "synthetic" for synthetic digits).
  nlohmann::json ToJson() const;
  // The options back from ToJson (or from the "parameters" of a train run.json,
  // where T is the temperature as run). Throws InputError for a missing or
  // mistyped key.
  static TrainingRunOptions FromJson(const nlohmann::json& j);
};

// How the caller follows and steers run_training; all optional.
struct TrainingRunHooks {
  // Every measured epoch (e.g. for progress).
  EpochCallback on_epoch;
  // Called with the run's parameters (TrainingRunSummary::parameters) once the
  // inputs are read and checked, before anything is written (e.g. to lock --out
  // and record the run as running, with what a resume needs).
  std::function<void(const nlohmann::json& parameters)> on_ready;
  // Once set, training stops after the current epoch and the outputs are written
  // with termination kInterrupted (and a checkpoint to resume from).
  const std::atomic<bool>* stop = nullptr;
};

// A file a run read, for its record (role: images, labels, test_images, ...).
struct InputFile {
  std::string role;
  std::filesystem::path path;
};

struct TrainingRunSummary {
  // kNotRun until run_training returns; then the trainer's termination.
  TrainerTermination termination = TrainerTermination::kNotRun;
  TrainerSummary training;
  // The final state (memories K x N, labels K x C); also written to `out` when given.
  NetworkState state;
  // The options as run (temperature from T_r) with the data they selected:
  // num_samples, num_pixels, class_counts, selected_rows and Tr = T / N.
  nlohmann::json parameters;
  std::vector<InputFile> inputs;  // in the order they were read
  double load_seconds = 0;        // validation, reading and selecting the inputs

  std::string BriefReport() const { return training.BriefReport(); }
  std::string FullReport() const { return training.FullReport(); }
  // The epochs whose snapshot exists in out/ (this run's and, resumed, the earlier ones).
  std::vector<int> saved_epochs;
  // The checkpoint's epoch when options.resume, else -1.
  int resumed_from_epoch = -1;
  // Every epoch ran with a finite state (a NaN or infinite cost is not a result).
  bool complete() const { return termination == TrainerTermination::kCompleted; }
  // Why the run is incomplete (the trainer's message), empty when complete.
  std::vector<std::string> warnings;
  // The trainer's summary (the per-epoch history is in metrics.csv) and "complete".
  nlohmann::json ToJson() const {
    nlohmann::json j = training.ToJson();
    j["complete"] = complete();
    return j;
  }
};

// The selection of the training set: digits (parsed), per_class,
// random_sample and sample_seed. Throws InputError for an unreadable digit list.
SelectionOptions training_selection(const TrainingRunOptions& options);

// The training set of `options`: images and labels read and selected
// (digits, per_class, random_sample, sample_seed), or the synthetic digits
// (per_class 0: 20 per class, seeded by trainer.seed); the files read are
// appended to `inputs` (images, then labels unless "blocks:K"). Checks only
// what reading needs: call IsValid first. Throws InputError.
Dataset load_training_set(const TrainingRunOptions& options, std::vector<InputFile>* inputs);

// Runs the whole training run; `on_epoch` sees every measured epoch (e.g. for
// progress). Throws InputError for invalid options or unreadable inputs (before
// anything is written) and EnvironmentError when `out` cannot be written.
// With options.resume, training continues from out/checkpoint.npz and ends in
// the state an uninterrupted run reaches. Outputs in `out`: memories.npy,
// labels.npy, metrics.csv, epoch_E/ snapshots, snapshots.npz (stacked) and
// checkpoint.npz (at every saved epoch and at the end).
TrainingRunSummary run_training(const TrainingRunOptions& options, const TrainingRunHooks& hooks);
TrainingRunSummary run_training(const TrainingRunOptions& options, const EpochCallback& on_epoch = {});

// The same on a training set already in memory (rows of `images` = samples,
// `labels` one class in 0..9 per row), selected by the options' digits,
// per_class and sample; options.images, labels and synthetic are not used
// (the record says "array"). For callers holding arrays (the Python module).
TrainingRunSummary run_training(const TrainingRunOptions& options, const Eigen::MatrixXd& images,
                                const std::vector<int>& labels, const EpochCallback& on_epoch = {});

}  // namespace waddington
