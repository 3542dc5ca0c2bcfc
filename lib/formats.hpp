#pragma once
// The files of the model layer, written one way whoever writes them (the CLI,
// a sweep, an experiment): per-epoch metrics, the network state, snapshots.
// Tables are returned as text; files are written atomically (lib/atomic_file.hpp).
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "lib/network.hpp"
#include "lib/trainer.hpp"

namespace waddington {

// metrics.csv: "epoch,cost,accuracy,test_accuracy,correct_0..,memories_0..,predicted_0.." with
// one row per measured epoch; test_accuracy is empty where it was not measured.
// Reals are printed with 17 significant digits (they read back exactly).
std::string metrics_csv(const TrainerSummary& summary, int num_classes);

// DIR/memories.npy (K x N) and DIR/labels.npy (K x C), float64.
void write_network_state(const std::filesystem::path& dir, const NetworkState& state);

// The state after `epoch` epochs in OUT/epoch_<epoch>/ (created), as write_network_state.
void write_snapshot(const std::filesystem::path& out, int epoch, const NetworkState& state);

// OUT/checkpoint.npz: everything `train --resume` needs (a TrainerCheckpoint)
// as one .npz: memories (K,N), labels (K,C), velocity_memories, velocity_labels,
// epoch (1,) int64, noise_generator (uint8, the generator's decimal words) and
// history (epochs+1, 4+3C) float64 with the columns of metrics.csv (NaN for an
// unmeasured test accuracy). Written atomically. A checkpoint of the older
// 4+2C layout (no predicted counts) is refused with a one-line reason.
void write_checkpoint(const std::filesystem::path& out, const TrainerCheckpoint& checkpoint);
// Reads OUT/checkpoint.npz. Throws InputError naming the file when it is missing or malformed.
TrainerCheckpoint read_checkpoint(const std::filesystem::path& out);

// OUT/snapshots.npz: the snapshots OUT/epoch_E/ of `epochs` (those present)
// stacked: epochs (S,) int64, memories (S,K,N), labels (S,K,C) float64.
void write_stacked_snapshots(const std::filesystem::path& out, const std::vector<int>& epochs);

// A training run's outputs in OUT: the final state and metrics.csv, with the
// run's constant `parameters` (n, T, Tr) as columns after those of metrics_csv.
void write_training_outputs(const std::filesystem::path& out, const NetworkState& state, const TrainerSummary& summary,
                            int num_classes, const std::vector<std::pair<std::string, double>>& parameters = {});

}  // namespace waddington
