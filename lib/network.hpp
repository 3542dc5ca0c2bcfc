#pragma once
// The full network of docs/model.md §1: K memories M (K x N) and labels
// l (K x C); activations h = F(M sigma / T) with F(x) = max(x,0)^n, scores
// c = tanh(l^T h), cost sum (c - t)^(2m), and both exact gradients, all as
// dense matrix products over a batch of samples.
#include <Eigen/Dense>

#include <vector>

namespace waddington {

struct NetworkParameters {
  double n = 30;             // power of the rectified polynomial F (real, > 0)
  double m = 30;             // cost power (real, >= 0.5)
  double temperature = 670;  // T > 0; T_r = T / N
};

// T = T_r N from the rescaled temperature T_r = T / N (docs/model.md §1), for the
// model and the reduced models alike. Throws InputError unless T_r is finite and positive.
double temperature_from_rescaled(double rescaled_temperature, Eigen::Index num_pixels);

// The trained quantities: memories (K x N) and labels (K x C, in [-1, 1]).
struct NetworkState {
  Eigen::MatrixXd memories;
  Eigen::MatrixXd labels;
  Eigen::Index num_memories() const { return memories.rows(); }
  int num_classes() const { return int(labels.cols()); }
};

// Targets t_d(s) (C x S): +1 if d is the class of sample s, else -1.
Eigen::MatrixXd target_matrix(const std::vector<int>& labels, int num_classes);

// The odd power sign(x)|x|^p for real p >= 0 (docs/model.md §1), elementwise.
Eigen::ArrayXXd odd_power(const Eigen::ArrayXXd& x, double p);

// For each class, the number of memories whose largest label is that class.
std::vector<int> memories_per_class(const Eigen::MatrixXd& labels);

// Evaluates the network on a batch of samples (rows of an S x N matrix) and
// keeps the intermediate products, so that gradients() reuses them. Buffers
// are reused between calls of the same batch size: no allocation per step.
class NetworkEvaluator {
 public:
  explicit NetworkEvaluator(const NetworkParameters& parameters) : p_(parameters) {}

  // Forward pass at `state` on `samples` (S x N) with `targets` (C x S).
  // Returns the cost sum_s sum_d (c_d(s) - t_d(s))^(2m).
  double evaluate(const NetworkState& state, const Eigen::Ref<const Eigen::MatrixXd>& samples,
                  const Eigen::Ref<const Eigen::MatrixXd>& targets);

  // Exact gradients dCost/dM (K x N) and dCost/dl (K x C) at the state and
  // samples of the last evaluate() call.
  void gradients(const NetworkState& state, const Eigen::Ref<const Eigen::MatrixXd>& samples,
                 Eigen::MatrixXd& grad_memories, Eigen::MatrixXd& grad_labels);

  // Scores c (C x S) and activations h (K x S) of the last evaluate() call.
  const Eigen::MatrixXd& scores() const { return scores_; }
  const Eigen::MatrixXd& activations() const { return activation_; }

  // Adds to `correct[d]` the number of samples of class d (labels[offset + s])
  // whose largest score is d, for the last evaluate() call.
  void count_correct(const std::vector<int>& labels, std::size_t offset, std::vector<int>& correct) const;
  // Adds to `predicted[d]` the number of samples whose largest score is d (whatever
  // their class), for the last evaluate() call: the denominators of per-class precision.
  void count_predicted(std::vector<int>& predicted) const;

  const NetworkParameters& parameters() const { return p_; }

 private:
  NetworkParameters p_;
  Eigen::MatrixXd overlap_;     // K x S: <M_mu, sigma_s> / T
  Eigen::MatrixXd derivative_;  // K x S: max(overlap, 0)^(n-1)
  Eigen::MatrixXd activation_;  // K x S: max(overlap, 0)^n
  Eigen::MatrixXd scores_;      // C x S: tanh(l^T h)
  Eigen::MatrixXd error_;       // C x S: e_d(s) of docs/model.md §1
  Eigen::MatrixXd abs_error_;   // C x S: |c - t|
  Eigen::MatrixXd power_;       // C x S: |c - t|^(2m-1)
  Eigen::MatrixXd scratch_;     // for power_of_nonnegative
  Eigen::MatrixXd backprop_;    // K x S: (l e) * F'
};

}  // namespace waddington
