#include "compare/full_pair.hpp"

#include <fmt/format.h>

#include <cmath>

#include "lib/errors.hpp"

namespace waddington::compare {

FullPair::FullPair(const reduced::TwoMemorySetup& setup, double rate)
    : setup_(setup), evaluator_(NetworkParameters{}) {
  const auto& p = setup.parameters;
  if (setup.A.size() == 0 || setup.B.size() == 0)
    throw InputError("the full network needs the two samples: give --images FILE --pair I,J");
  if (!(rate > 0 && std::isfinite(rate))) throw InputError(fmt::format("--rate {} must be positive", rate));
  if (p.classes < 2) throw InputError(fmt::format("--classes {} must be at least 2", p.classes));
  class_a_ = 0;
  class_b_ = p.same_class ? 0 : 1;
  options_.memories = 2;
  options_.n = p.n;
  options_.m = p.m;
  options_.temperature = p.T;
  options_.rate = rate;
  options_.momentum = 0;
  options_.minibatch = 0;
  options_.bound = MemoryBound::kNormalize;
  options_.noise_std = 0;
  if (std::string why; !options_.IsValid(&why)) throw InputError(why);
  evaluator_ = NetworkEvaluator(options_.network_parameters());

  const Eigen::Index N = setup.A.size();
  training_.images.resize(2, N);
  training_.images.row(0) = setup.A.transpose();
  training_.images.row(1) = setup.B.transpose();
  training_.labels = {class_a_, class_b_};
  training_.source_rows = {setup.row_A, setup.row_B};
  training_.num_classes = p.classes;
  targets_ = target_matrix(training_.labels, training_.num_classes);
  pinv_ = training_.images.completeOrthogonalDecomposition().pseudoInverse();  // N x 2
  state_.memories = Eigen::MatrixXd::Zero(2, N);
  state_.labels = Eigen::MatrixXd::Constant(2, p.classes, -1.0);
  velocity_memories_ = Eigen::MatrixXd::Zero(2, N);
  velocity_labels_ = Eigen::MatrixXd::Zero(2, p.classes);
}

void FullPair::set_memory(int mu, double alpha, double ell) {
  const double alpha_B = reduced::chart_alpha_B(setup_.parameters.chart, alpha);
  state_.memories.row(mu) = (alpha * setup_.A + alpha_B * setup_.B).transpose();
  state_.labels.row(mu).setConstant(-1.0);
  state_.labels(mu, class_a_) = ell;
  if (class_b_ != class_a_) state_.labels(mu, class_b_) = -ell;
}

void FullPair::step() {
  evaluator_.evaluate(state_, training_.images, targets_);
  evaluator_.gradients(state_, training_.images, grad_memories_, grad_labels_);
  apply_training_step(options_, grad_memories_, grad_labels_, state_, velocity_memories_, velocity_labels_, nullptr);
}

ProjectedMemory FullPair::project(int mu) const {
  const Eigen::RowVector2d a = state_.memories.row(mu) * pinv_;
  ProjectedMemory m;
  m.alpha = a(0), m.alpha_B = a(1);
  m.ell = state_.labels(mu, class_a_);
  if (class_b_ != class_a_) m.label_asymmetry = state_.labels(mu, class_b_) + m.ell;
  for (int d = 0; d < state_.num_classes(); ++d)
    if (d != class_a_ && d != class_b_) m.gamma_offset = std::max(m.gamma_offset, std::abs(state_.labels(mu, d) + 1));
  m.norm_offset = state_.memories.row(mu).cwiseAbs().maxCoeff() - 1;
  return m;
}

}  // namespace waddington::compare
