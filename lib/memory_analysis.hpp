#pragma once
// Memories in the sample basis (docs/model.md §1.2): alpha = M X^+, the per-class
// sums alphabar, and the paper's prototype metrics.
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <limits>
#include <vector>

#include "lib/dataset.hpp"

namespace waddington {

struct MemoryAnalysisOptions {
  // A memory is "reconstructed" by its k largest-|alpha| samples when
  // ||M_mu - sum_{i in top k} alpha_{mu,i} sigma_i||_2 <= tolerance * ||M_mu||_2
  // (coefficients as computed, not refitted). 0.05 = 5% relative error.
  double tolerance = 0.05;
  nlohmann::json ToJson() const { return {{"tolerance", tolerance}}; }
};

struct MemoryAnalysis {
  Eigen::MatrixXd alpha;           // K x S: alpha = M X^+ (minimum-norm least squares)
  Eigen::MatrixXd alpha_by_class;  // K x C: alphabar_{mu,d} = sum of alpha_{mu,i} over samples i of class d
  Eigen::VectorXd max_alpha;       // K: max_i alpha_{mu,i}
  Eigen::VectorXd span_residual;   // K: ||M_mu - alpha_mu X|| / ||M_mu|| (0 when M_mu lies in the span of the samples)
  // K: smallest number of samples reconstructing each memory within the tolerance;
  // -1 when even all S samples do not (span_residual > tolerance).
  std::vector<int> samples_to_reconstruct;
  double mean_max_alpha = 0;
  // The memories reconstructible within the tolerance (samples_to_reconstruct >= 0)
  // and the mean of samples_to_reconstruct over them: NaN when there are none
  // (never 0, which would read as memories that are single samples).
  int reconstructible = 0;
  double mean_samples_to_reconstruct = 0;
};

// The training samples with X^T decomposed once (a complete orthogonal
// decomposition), so that the memories of many epochs share one pseudo-inverse.
class SampleBasis {
 public:
  explicit SampleBasis(const Dataset& training);
  const Dataset& training() const { return training_; }
  // alpha = M X^+ (K x S) for memories M (K x N). Throws InputError when N differs.
  Eigen::MatrixXd coefficients(const Eigen::MatrixXd& memories) const;

 private:
  Dataset training_;
  Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> decomposition_;
};

// Throws InputError when the shapes disagree or the tolerance is not in (0, 1).
MemoryAnalysis analyze_memories(const Eigen::MatrixXd& memories, const SampleBasis& basis,
                                const MemoryAnalysisOptions& options = {});
// The same with the basis decomposed for this call only.
MemoryAnalysis analyze_memories(const Eigen::MatrixXd& memories, const Dataset& training,
                                const MemoryAnalysisOptions& options = {});

}  // namespace waddington
