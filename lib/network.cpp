#include "lib/network.hpp"

#include <fmt/format.h>

#include <cfloat>
#include <cmath>

#include "lib/errors.hpp"

namespace waddington {

double temperature_from_rescaled(double rescaled_temperature, Eigen::Index num_pixels) {
  if (!(std::isfinite(rescaled_temperature) && rescaled_temperature > 0))
    throw InputError(fmt::format("--Tr {} must be positive", rescaled_temperature));
  return rescaled_temperature * double(num_pixels);
}

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

namespace {

// out = x^p for x >= 0 elementwise, with 0^p = 0 (the rectified power; p >= 0).
// Small integer p: repeated squaring, vectorised, no intermediate overflows
// before the result does; otherwise exp(p log x). `base` is scratch space.
void power_of_nonnegative(const Eigen::MatrixXd& x, double p, Eigen::MatrixXd& out, Eigen::MatrixXd& base) {
  out.resize(x.rows(), x.cols());
  if (p == std::floor(p) && p >= 0 && p <= 4096) {
    out.array() = (x.array() > 0.0).cast<double>();
    base = x;
    for (auto e = static_cast<unsigned>(p); e != 0; e >>= 1) {
      if (e & 1u) out.array() *= base.array();
      if (e > 1) base.array() = base.array().square();
    }
  } else {
    out.array() = (p * x.array().max(DBL_MIN).log()).exp() * (x.array() > 0.0).cast<double>();
  }
}

}  // namespace

double NetworkEvaluator::evaluate(const NetworkState& state, const Eigen::Ref<const Eigen::MatrixXd>& samples,
                                  const Eigen::Ref<const Eigen::MatrixXd>& targets) {
  const double inv_t = 1.0 / p_.temperature;
  overlap_.noalias() = (inv_t * state.memories) * samples.transpose();
  // F'(x) = max(x,0)^(n-1) and F(x) = F'(x) x of x = overlap/T: (x/T)^n, never x^n/T^n (docs/model.md §1).
  activation_ = overlap_.cwiseMax(0.0);
  power_of_nonnegative(activation_, p_.n - 1.0, derivative_, scratch_);
  activation_.array() *= derivative_.array();
  scores_.noalias() = state.labels.transpose() * activation_;
  scores_.array() = scores_.array().tanh();
  // e = (c - t)^(2m-1) (1 - c^2) with the odd power; cost = sum |c - t|^(2m) (docs/model.md §1).
  error_ = scores_ - targets;
  abs_error_ = error_.cwiseAbs();
  power_of_nonnegative(abs_error_, 2.0 * p_.m - 1.0, power_, scratch_);
  const double cost = (power_.array() * abs_error_.array()).sum();
  error_.array() = error_.array().sign() * power_.array() * (1.0 - scores_.array().square());
  return cost;
}

void NetworkEvaluator::gradients(const NetworkState& state, const Eigen::Ref<const Eigen::MatrixXd>& samples,
                                 Eigen::MatrixXd& grad_memories, Eigen::MatrixXd& grad_labels) {
  const double two_m = 2.0 * p_.m;
  // dCost/dl = 2m h e^T; dCost/dM = 2m (n/T) [(l e) .* F'] sigma (docs/model.md §1).
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

void NetworkEvaluator::count_predicted(std::vector<int>& predicted) const {
  for (Eigen::Index s = 0; s < scores_.cols(); ++s) {
    Eigen::Index best = 0;
    scores_.col(s).maxCoeff(&best);
    ++predicted[std::size_t(best)];
  }
}

}  // namespace waddington
