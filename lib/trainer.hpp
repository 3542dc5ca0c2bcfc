#pragma once
// Training the full network (docs/model.md §1.1): TrainerOptions in, TrainerSummary out.
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "lib/dataset.hpp"
#include "lib/network.hpp"

namespace waddington {

// Step 7 of docs/model.md §1.1.
enum class MemoryBound {
  kNormalize,  // divide each memory by max(1, its largest |entry|) (the paper's default)
  kClip,       // clip every entry of M to [-1, 1]
};
std::string ToString(MemoryBound bound);
bool FromString(const std::string& text, MemoryBound* bound);

struct TrainerOptions {
  // Number of memories K.
  int memories = 100;
  // Power n of F(x) = max(x,0)^n; real, > 0. The paper scans 2..60.
  double n = 30;
  // Cost power m (>= 0.5); unset means m = n.
  std::optional<double> m;
  // Temperature T > 0 (T_r = T / N is the rescaled one).
  double temperature = 670;
  // Learning rate: the largest change of any memory entry or label per step.
  double rate = 0.005;
  // Momentum in [0, 1); the paper uses 0, Krotov-Hopfield 0.6.
  double momentum = 0;
  // Number of epochs (passes over the training set).
  int epochs = 3000;
  // Samples per minibatch; 0 = the whole training set (one step per epoch).
  int minibatch = 0;
  // Initial memories and labels ~ Normal(init_mean, init_std), from `seed`.
  double init_mean = -0.003;
  double init_std = 1e-5;
  std::uint64_t seed = 1;
  MemoryBound bound = MemoryBound::kNormalize;
  // Standard deviation of the Gaussian noise added to M and l after each step (step 8); 0 = off.
  double noise_std = 0;
  // Test accuracy is measured every `test_every` epochs (and at the end) when a test set is given; 0 = only at the end.
  int test_every = 0;

  double cost_power() const { return m.value_or(n); }
  NetworkParameters network_parameters() const { return {n, cost_power(), temperature}; }
  // Checks every field; on failure writes a one-line reason to *why.
  bool IsValid(std::string* why) const;
  // Every field under its command-line name (T, noise, m = the cost power).
  nlohmann::json ToJson() const;
};

// The state of the network after `epoch` epochs (epoch 0 = initial state).
struct EpochMetrics {
  int epoch = 0;
  double cost = 0;                     // on the whole training set
  double accuracy = 0;                 // fraction of training samples classified correctly
  std::vector<int> correct_per_class;  // correctly classified training samples of each class
  std::vector<int> memories_per_class; // memories whose largest label is each class
  // Training samples classified as each class (whatever their true class): with
  // correct_per_class, the per-class precision correct_d / predicted_d.
  std::vector<int> predicted_per_class;
  double test_accuracy = std::numeric_limits<double>::quiet_NaN();  // NaN when not measured
};

enum class TrainerTermination {
  kNotRun,     // train() has not run
  kCompleted,  // all epochs ran
  kNonFinite,  // the cost became NaN or infinite: the state is not meaningful
  kInterrupted,  // TrainerControl::stop was set: the state is the one after the last finished epoch
};
std::string ToString(TrainerTermination termination);
bool FromString(const std::string& text, TrainerTermination* termination);

struct TrainerSummary {
  TrainerTermination termination = TrainerTermination::kNotRun;
  std::string message = "not run";
  int epochs_completed = 0;
  std::vector<EpochMetrics> history;  // one row per epoch 0..epochs_completed
  std::vector<int> training_class_counts;
  double training_seconds = 0;

  const EpochMetrics* final_metrics() const { return history.empty() ? nullptr : &history.back(); }
  // One line: termination, epochs, cost, accuracy, memories per class.
  std::string BriefReport() const;
  // Several lines, for a terminal.
  std::string FullReport() const;
  // Everything except the per-epoch history (which goes to metrics.csv).
  nlohmann::json ToJson() const;
};

// Called after each measured epoch with its metrics and the state after that epoch.
using EpochCallback = std::function<void(const EpochMetrics&, const NetworkState&)>;

// Everything train() needs to continue a run exactly where it stopped: the
// state after `epoch` epochs, the momentum velocities, the noise generator and
// the metrics of epochs 0..epoch. Continuing from it gives bit for bit the
// state an uninterrupted run reaches (same options, same data, same threads).
struct TrainerCheckpoint {
  int epoch = 0;
  NetworkState state;
  Eigen::MatrixXd velocity_memories, velocity_labels;
  std::string noise_generator;  // std::mt19937_64 written with operator<< (decimal words)
  std::vector<EpochMetrics> history;
};

// How a caller steers a running train(): all optional.
struct TrainerControl {
  // Checked after each epoch is measured: once set, train() stops there with kInterrupted.
  const std::atomic<bool>* stop = nullptr;
  // Continue from this checkpoint instead of starting at epoch 0 (`state` is
  // replaced by the checkpoint's).
  const TrainerCheckpoint* resume = nullptr;
  // Called with a checkpoint after every epoch for which wants_checkpoint(epoch)
  // is true, and always when train() is interrupted or ends.
  std::function<bool(int epoch)> wants_checkpoint;
  std::function<void(const TrainerCheckpoint&)> on_checkpoint;
};

// Gaussian initial memories (K x N) and labels (K x C) as in TrainerOptions.
NetworkState initial_state(const TrainerOptions& options, Eigen::Index num_pixels, int num_classes);

// Trains `state` in place (docs/model.md §1.1) on `training`; `test` may be null.
// Throws InputError when the options are invalid or shapes disagree.
// Touches no process-wide state: the matrix products run on Eigen::nbThreads()
// threads, which is the caller's to set (Eigen::setNbThreads, once, before
// training). Several trainers may run at once on separate states, e.g. one per
// thread of a pool, with Eigen::setNbThreads(1) so that they do not each start
// a team of threads.
TrainerSummary train(const TrainerOptions& options, const Dataset& training, const Dataset* test, NetworkState& state,
                     const EpochCallback& on_epoch = {}, const TrainerControl& control = {});

// One training step (docs/model.md §1.1, steps 1-8) from gradients taken at the
// pre-update state. The gradients are normalised in place (steps 1, 3) and
// the velocities updated in place; `noise` is used only when noise_std > 0.
void apply_training_step(const TrainerOptions& options, Eigen::MatrixXd& grad_memories,
                         Eigen::MatrixXd& grad_labels, NetworkState& state, Eigen::MatrixXd& velocity_memories,
                         Eigen::MatrixXd& velocity_labels, std::mt19937_64* noise);

}  // namespace waddington
