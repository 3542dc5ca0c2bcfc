#pragma once
// A finished `train` run read back from its folder: run.json (the options it
// ran with and the data they selected), the snapshots epoch_E/ and the final
// state. Used by `analyze` and `memories`; nothing is printed.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "lib/dataset.hpp"
#include "lib/network.hpp"
#include "lib/training_run.hpp"

namespace waddington {

struct SavedRun {
  std::filesystem::path dir;
  nlohmann::json record;            // run.json as written by the run
  TrainingRunOptions options;       // the training options recorded in run.json
  std::vector<int> class_counts;    // training samples per class (parameters.class_counts)
  int final_epoch = 0;              // summary.epochs_completed: the epoch of DIR/memories.npy
  std::vector<int> snapshot_epochs; // the E of every DIR/epoch_E/ holding memories.npy and labels.npy, increasing
  // Snapshot epochs plus the final epoch when it has no snapshot: every state on disk, increasing.
  std::vector<int> state_epochs() const;
};

// Reads DIR/run.json and lists the snapshots. Throws InputError when DIR or
// run.json is missing or unreadable, or run.json lacks the parameters of a
// training run (images, labels, class_counts, ...).
SavedRun open_saved_run(const std::filesystem::path& dir);

// The state after `epoch` epochs: DIR/epoch_E/ or, for the final epoch, DIR.
// Throws InputError when that state is not on disk (the message lists the
// epochs that are) or its files disagree in shape.
NetworkState load_saved_state(const SavedRun& run, int epoch);

// The run's training set, read and selected as the run did (load_training_set),
// and checked against run.json (samples, pixels, selected rows). `images`, when
// not empty, replaces the recorded images path (data moved). The files read are
// appended to `inputs`. Throws InputError.
Dataset load_saved_training_set(const SavedRun& run, const std::string& images, std::vector<InputFile>* inputs);

}  // namespace waddington
