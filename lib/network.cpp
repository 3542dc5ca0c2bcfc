#include "lib/network.hpp"

#include <cfloat>
#include <cmath>

namespace waddington {

Eigen::MatrixXd target_matrix(const std::vector<int>& labels, int num_classes) {
  Eigen::MatrixXd targets = Eigen::MatrixXd::Constant(num_classes, Eigen::Index(labels.size()), -1.0);
  for (std::size_t s = 0; s < labels.size(); ++s) targets(labels[s], Eigen::Index(s)) = 1.0;
  return targets;
}

Eigen::ArrayXXd odd_power(const Eigen::ArrayXXd& x, double p) {
  // |x|^p as exp(p log|x|); the floor DBL_MIN keeps log finite, sign(0) = 0 kills it.
  return x.sign() * (p * x.abs().max(DBL_MIN).log()).exp();
}

std::vector<int> memories_per_class(const Eigen::MatrixXd& labels) {
  std::vector<int> counts(std::size_t(labels.cols()), 0);
  for (Eigen::Index mu = 0; mu < labels.rows(); ++mu) {
    Eigen::Index best = 0;
    labels.row(mu).maxCoeff(&best);
    ++counts[std::size_t(best)];
  }
  return counts;
}

double NetworkEvaluator::evaluate(const NetworkState& state, const Eigen::Ref<const Eigen::MatrixXd>& samples,
                                  const Eigen::Ref<const Eigen::MatrixXd>& targets) {
  const double inv_t = 1.0 / p_.temperature;
  overlap_.noalias() = (inv_t * state.memories) * samples.transpose();
  // F'(x) = max(x,0)^(n-1), F(x) = F'(x) x, via exp((n-1) log x): (x/T)^n, never x^n/T^n (MODEL.md 1).
  derivative_.resize(overlap_.rows(), overlap_.cols());
  activation_.resize(overlap_.rows(), overlap_.cols());
  derivative_.array() = ((p_.n - 1.0) * overlap_.array().max(DBL_MIN).log()).exp() * (overlap_.array() > 0.0).cast<double>();
  activation_.array() = derivative_.array() * overlap_.array().max(0.0);
  scores_.noalias() = state.labels.transpose() * activation_;
  scores_.array() = scores_.array().tanh();
  // e = (c - t)^(2m-1) (1 - c^2) with the odd power; cost = sum |c - t|^(2m) (MODEL.md 1).
  error_.resize(scores_.rows(), scores_.cols());
  error_.array() = scores_.array() - targets.array();
  power_.resize(error_.rows(), error_.cols());
  power_.array() = ((2.0 * p_.m - 1.0) * error_.array().abs().max(DBL_MIN).log()).exp();
  const double cost = (power_.array() * error_.array().abs()).sum();
  error_.array() = error_.array().sign() * power_.array() * (1.0 - scores_.array().square());
  return cost;
}

void NetworkEvaluator::gradients(const NetworkState& state, const Eigen::Ref<const Eigen::MatrixXd>& samples,
                                 Eigen::MatrixXd& grad_memories, Eigen::MatrixXd& grad_labels) {
  const double two_m = 2.0 * p_.m;
  // dCost/dl = 2m h e^T; dCost/dM = 2m (n/T) [(l e) .* F'] sigma (MODEL.md 1).
  grad_labels.noalias() = (two_m * activation_) * error_.transpose();
  backprop_.noalias() = state.labels * error_;
  backprop_.array() *= derivative_.array();
  grad_memories.noalias() = (two_m * p_.n / p_.temperature * backprop_) * samples;
}

void NetworkEvaluator::count_correct(const std::vector<int>& labels, std::size_t offset,
                                     std::vector<int>& correct) const {
  for (Eigen::Index s = 0; s < scores_.cols(); ++s) {
    Eigen::Index best = 0;
    scores_.col(s).maxCoeff(&best);
    const int label = labels[offset + std::size_t(s)];
    if (best == label) ++correct[std::size_t(label)];
  }
}

}  // namespace waddington
