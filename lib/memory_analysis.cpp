#include "lib/memory_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "lib/errors.hpp"

namespace waddington {

namespace {

// Smallest k whose top-k (by |alpha|) partial sum reconstructs `memory` within `tolerance`, or -1.
int samples_needed(const Eigen::VectorXd& memory, const Eigen::RowVectorXd& alpha, const Eigen::MatrixXd& samples,
                   double tolerance) {
  std::vector<Eigen::Index> order(std::size_t(alpha.size()));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return std::abs(alpha(a)) > std::abs(alpha(b)); });
  const double target = tolerance * memory.norm();
  Eigen::VectorXd remainder = memory;
  if (remainder.norm() <= target) return 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    remainder -= alpha(order[k]) * samples.row(order[k]).transpose();
    if (remainder.norm() <= target) return int(k + 1);
  }
  return -1;
}

}  // namespace

SampleBasis::SampleBasis(const Dataset& training) : training_(training), decomposition_(training.images.transpose()) {}

Eigen::MatrixXd SampleBasis::coefficients(const Eigen::MatrixXd& memories) const {
  if (memories.cols() != training_.num_pixels())
    throw InputError(fmt::format("memories have {} pixels, samples {}", memories.cols(), training_.num_pixels()));
  // alpha = M X^+: the minimum-norm least-squares solution of X^T alpha_mu^T = M_mu^T (docs/model.md §1.2).
  return decomposition_.solve(memories.transpose()).transpose();
}

MemoryAnalysis analyze_memories(const Eigen::MatrixXd& memories, const Dataset& training,
                                const MemoryAnalysisOptions& options) {
  if (!(options.tolerance > 0 && options.tolerance < 1))
    throw InputError(fmt::format("reconstruction tolerance {} must be in (0, 1)", options.tolerance));
  if (memories.cols() != training.num_pixels())
    throw InputError(fmt::format("memories have {} pixels, samples {}", memories.cols(), training.num_pixels()));
  return analyze_memories(memories, SampleBasis(training), options);
}

MemoryAnalysis analyze_memories(const Eigen::MatrixXd& memories, const SampleBasis& basis,
                                const MemoryAnalysisOptions& options) {
  if (!(options.tolerance > 0 && options.tolerance < 1))
    throw InputError(fmt::format("reconstruction tolerance {} must be in (0, 1)", options.tolerance));
  const Dataset& training = basis.training();
  const Eigen::MatrixXd& x = training.images;
  MemoryAnalysis out;
  out.alpha = basis.coefficients(memories);
  out.alpha_by_class = Eigen::MatrixXd::Zero(memories.rows(), training.num_classes);
  for (Eigen::Index i = 0; i < x.rows(); ++i) out.alpha_by_class.col(training.labels[std::size_t(i)]) += out.alpha.col(i);
  out.max_alpha = out.alpha.rowwise().maxCoeff();
  out.mean_max_alpha = out.max_alpha.mean();
  out.span_residual.resize(memories.rows());
  double total = 0;
  int reconstructible = 0;
  for (Eigen::Index mu = 0; mu < memories.rows(); ++mu) {
    const double norm = memories.row(mu).norm();
    out.span_residual(mu) = norm > 0 ? (memories.row(mu) - out.alpha.row(mu) * x).norm() / norm : 0.0;
    const int k = samples_needed(memories.row(mu).transpose(), out.alpha.row(mu), x, options.tolerance);
    out.samples_to_reconstruct.push_back(k);
    if (k >= 0) total += k, ++reconstructible;
  }
  out.reconstructible = reconstructible;
  out.mean_samples_to_reconstruct = reconstructible > 0 ? total / reconstructible : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace waddington
