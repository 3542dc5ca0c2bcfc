#pragma once
// The files of the model layer, written one way whoever writes them (the CLI,
// a sweep, an experiment): per-epoch metrics, the network state, snapshots.
// Tables are returned as text; files are written atomically (lib/atomic_file.hpp).
#include <filesystem>
#include <string>

#include "lib/network.hpp"
#include "lib/trainer.hpp"

namespace waddington {

// metrics.csv: "epoch,cost,accuracy,test_accuracy,correct_0..,memories_0.." with
// one row per measured epoch; test_accuracy is empty where it was not measured.
// Reals are printed with 17 significant digits (they read back exactly).
std::string metrics_csv(const TrainerSummary& summary, int num_classes);

// DIR/memories.npy (K x N) and DIR/labels.npy (K x C), float64.
void write_network_state(const std::filesystem::path& dir, const NetworkState& state);

// The state after `epoch` epochs in OUT/epoch_<epoch>/ (created), as write_network_state.
void write_snapshot(const std::filesystem::path& out, int epoch, const NetworkState& state);

// A training run's outputs in OUT: the final state and metrics.csv.
void write_training_outputs(const std::filesystem::path& out, const NetworkState& state, const TrainerSummary& summary,
                            int num_classes);

}  // namespace waddington
