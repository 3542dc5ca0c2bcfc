#pragma once
// The full network (docs/model.md §1.1) reduced to the setting of the reduced
// models (docs/model.md §2, §2.2): two memories trained on the two samples A and B
// only, read back in the reduced coordinates by the pseudo-inverse (1.2).
//
// The training set is {A, B} with classes a = 0 and b = 1 (a = b = 0 when
// the setup is intra-digit, same_class), C = setup.parameters.classes output
// classes. A memory at reduced state (alpha, ell) on chart s is
//   M = alpha A + s (1 - |alpha|) B,   l_a = ell, l_b = -ell (intra: l_a = ell only),
//   every other label -1,
// and a step is the trainer's own step (lib/trainer.hpp: apply_training_step,
// whole set as one minibatch, momentum 0, bound = normalisation), so one
// epoch is one step and the reduced time is epochs x rate.
// Projection: (alpha_A, alpha_B) = M X^+ with X = [A; B] (X^+ computed once),
// alpha = alpha_A, ell = l_a.
#include <Eigen/Dense>

#include <array>

#include "lib/dataset.hpp"
#include "lib/network.hpp"
#include "lib/trainer.hpp"
#include "reduced_models/setup.hpp"

namespace waddington::compare {

// One memory in reduced coordinates.
struct ProjectedMemory {
  double alpha = 0, alpha_B = 0, ell = 0;
  // l_b + ell (0 on the reduced manifold; intra-digit: 0), max |l_gamma + 1|
  // over the other classes, and rowmax|M| - 1: how far the full state is
  // from the reduced model's assumptions.
  double label_asymmetry = 0, gamma_offset = 0, norm_offset = 0;
};

class FullPair {
 public:
  // Needs the samples (setup.A, setup.B: --images and --pair). Throws InputError.
  FullPair(const reduced::TwoMemorySetup& setup, double rate);

  // Places memory mu (0 or 1) at (alpha, ell) of the setup's chart.
  void set_memory(int mu, double alpha, double ell);
  // One epoch (= one training step on the two samples).
  void step();
  ProjectedMemory project(int mu) const;

  const NetworkState& state() const { return state_; }
  double rate() const { return options_.rate; }

 private:
  reduced::TwoMemorySetup setup_;
  TrainerOptions options_;
  Dataset training_;
  Eigen::MatrixXd targets_, pinv_;  // pinv_: N x 2
  NetworkState state_;
  NetworkEvaluator evaluator_;
  Eigen::MatrixXd grad_memories_, grad_labels_, velocity_memories_, velocity_labels_;
  int class_a_ = 0, class_b_ = 1;
};

}  // namespace waddington::compare
