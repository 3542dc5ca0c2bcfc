#include "lib/trainer.hpp"

#include <Eigen/Core>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "common/enum_names.hpp"
#include "lib/errors.hpp"

namespace waddington {

namespace {
constexpr EnumName<MemoryBound> kMemoryBoundNames[] = {{MemoryBound::kNormalize, "normalize"}, {MemoryBound::kClip, "clip"}};
constexpr EnumName<TrainerTermination> kTerminationNames[] = {{TrainerTermination::kNotRun, "not_run"},
                                                              {TrainerTermination::kCompleted, "completed"},
                                                              {TrainerTermination::kNonFinite, "non_finite"},
                                                              {TrainerTermination::kInterrupted, "interrupted"}};
}  // namespace

std::string ToString(MemoryBound bound) { return enum_to_string(kMemoryBoundNames, bound); }
bool FromString(const std::string& text, MemoryBound* bound) { return enum_from_string(kMemoryBoundNames, text, bound); }
std::string ToString(TrainerTermination termination) { return enum_to_string(kTerminationNames, termination); }
bool FromString(const std::string& text, TrainerTermination* termination) {
  return enum_from_string(kTerminationNames, text, termination);
}

bool TrainerOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) { if (why) *why = std::move(message); return false; };
  auto finite = [](double x) { return std::isfinite(x); };
  if (memories < 1 || memories > 1000000) return bad(fmt::format("number of memories {} must be in 1..1000000", memories));
  if (!finite(n) || n <= 0 || n > 1000) return bad(fmt::format("power n = {} must be in (0, 1000]", n));
  if (!finite(cost_power()) || cost_power() < 0.5 || cost_power() > 1000)
    return bad(fmt::format("cost power m = {} must be in [0.5, 1000]", cost_power()));
  if (!finite(temperature) || temperature <= 0) return bad(fmt::format("temperature T = {} must be positive", temperature));
  if (!finite(rate) || rate <= 0) return bad(fmt::format("learning rate {} must be positive", rate));
  if (!finite(momentum) || momentum < 0 || momentum >= 1) return bad(fmt::format("momentum {} must be in [0, 1)", momentum));
  if (epochs < 0) return bad(fmt::format("number of epochs {} is negative", epochs));
  if (minibatch < 0) return bad(fmt::format("minibatch size {} is negative", minibatch));
  if (!finite(init_mean)) return bad("initial mean must be finite");
  if (!finite(init_std) || init_std < 0) return bad(fmt::format("initial standard deviation {} must be >= 0", init_std));
  if (!finite(noise_std) || noise_std < 0) return bad(fmt::format("noise standard deviation {} must be >= 0", noise_std));
  if (test_every < 0) return bad(fmt::format("--test-every {} is negative", test_every));
  return true;
}

nlohmann::json TrainerOptions::ToJson() const {
  return {{"memories", memories}, {"n", n}, {"m", cost_power()}, {"T", temperature}, {"rate", rate},
          {"momentum", momentum}, {"epochs", epochs}, {"minibatch", minibatch}, {"init_mean", init_mean},
          {"init_std", init_std}, {"seed", seed}, {"bound", ToString(bound)}, {"noise", noise_std},
          {"test_every", test_every}};
}

namespace {

// Divides each row by its largest |entry|; a zero row stays zero (docs/model.md §1.1 steps 1, 3).
void normalize_rows_by_max_abs(Eigen::MatrixXd& g) {
  const Eigen::ArrayXd row_max = g.cwiseAbs().rowwise().maxCoeff().array();
  g.array().colwise() /= (row_max > 0.0).select(row_max, 1.0);
}

// x += rate * v / rowmax|v| (zero-safe), docs/model.md §1.1 steps 5, 6.
void add_normalized_velocity(Eigen::MatrixXd& x, const Eigen::MatrixXd& v, double rate) {
  const Eigen::ArrayXd row_max = v.cwiseAbs().rowwise().maxCoeff().array();
  const Eigen::ArrayXd scale = rate / (row_max > 0.0).select(row_max, 1.0);
  x.array() += v.array().colwise() * scale;
}

void add_noise(Eigen::MatrixXd& x, double sd, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, sd);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] += normal(rng);
}

}  // namespace

void apply_training_step(const TrainerOptions& options, Eigen::MatrixXd& grad_memories, Eigen::MatrixXd& grad_labels,
                         NetworkState& state, Eigen::MatrixXd& velocity_memories, Eigen::MatrixXd& velocity_labels,
                         std::mt19937_64* noise) {
  normalize_rows_by_max_abs(grad_memories);
  velocity_memories = options.momentum * velocity_memories - grad_memories;
  normalize_rows_by_max_abs(grad_labels);
  velocity_labels = options.momentum * velocity_labels - grad_labels;
  add_normalized_velocity(state.labels, velocity_labels, options.rate);
  state.labels = state.labels.cwiseMax(-1.0).cwiseMin(1.0);
  add_normalized_velocity(state.memories, velocity_memories, options.rate);
  if (options.bound == MemoryBound::kClip) {
    state.memories = state.memories.cwiseMax(-1.0).cwiseMin(1.0);
  } else {
    const Eigen::ArrayXd row_max = state.memories.cwiseAbs().rowwise().maxCoeff().array();
    state.memories.array().colwise() /= row_max.max(1.0);
  }
  if (options.noise_std > 0 && noise) {
    add_noise(state.memories, options.noise_std, *noise);
    add_noise(state.labels, options.noise_std, *noise);
  }
}

NetworkState initial_state(const TrainerOptions& options, Eigen::Index num_pixels, int num_classes) {
  std::mt19937_64 rng(options.seed);
  std::normal_distribution<double> normal(options.init_mean, options.init_std);
  NetworkState state;
  state.memories.resize(options.memories, num_pixels);
  state.labels.resize(options.memories, num_classes);
  for (Eigen::Index i = 0; i < state.memories.size(); ++i) state.memories.data()[i] = normal(rng);
  for (Eigen::Index i = 0; i < state.labels.size(); ++i) state.labels.data()[i] = normal(rng);
  return state;
}

namespace {

void check_shapes(const TrainerOptions& options, const Dataset& training, const Dataset* test, const NetworkState& state) {
  if (training.num_samples() == 0) throw InputError("the training set is empty");
  if (Eigen::Index(training.labels.size()) != training.num_samples())
    throw InputError(fmt::format("{} labels for {} training images", training.labels.size(), training.num_samples()));
  if (state.memories.rows() != options.memories || state.memories.cols() != training.num_pixels())
    throw InputError(fmt::format("initial memories are {} x {}, expected {} x {} (memories x pixels)",
                                 state.memories.rows(), state.memories.cols(), options.memories, training.num_pixels()));
  if (state.labels.rows() != options.memories || state.labels.cols() != training.num_classes)
    throw InputError(fmt::format("initial labels are {} x {}, expected {} x {} (memories x classes)",
                                 state.labels.rows(), state.labels.cols(), options.memories, training.num_classes));
  if (!state.memories.allFinite() || !state.labels.allFinite())
    throw InputError("initial memories or labels contain NaN or infinite values");
  if (test && (test->num_pixels() != training.num_pixels() || test->num_classes != training.num_classes))
    throw InputError(fmt::format("test images have {} pixels, training images {}", test->num_pixels(),
                                 training.num_pixels()));
}

// The measurements of one epoch, from a forward pass over the whole training set.
class EpochRecorder {
 public:
  EpochRecorder(const TrainerOptions& options, const Dataset* test)
      : options_(options), test_(test), test_evaluator_(options.network_parameters()) {
    if (test_) test_targets_ = target_matrix(test_->labels, test_->num_classes);
  }

  EpochMetrics measure(int epoch, double cost, const NetworkEvaluator& evaluator, const Dataset& training,
                       const NetworkState& state) {
    EpochMetrics metrics;
    metrics.epoch = epoch;
    metrics.cost = cost;
    metrics.correct_per_class.assign(std::size_t(training.num_classes), 0);
    evaluator.count_correct(training.labels, 0, metrics.correct_per_class);
    long correct = 0;
    for (int c : metrics.correct_per_class) correct += c;
    metrics.accuracy = double(correct) / double(training.num_samples());
    metrics.memories_per_class = memories_per_class(state.labels);
    metrics.predicted_per_class.assign(std::size_t(training.num_classes), 0);
    evaluator.count_predicted(metrics.predicted_per_class);
    const bool due = options_.test_every > 0 ? epoch % options_.test_every == 0 : false;
    if (test_ && (due || epoch == options_.epochs)) metrics.test_accuracy = test_accuracy(state);
    return metrics;
  }

 private:
  double test_accuracy(const NetworkState& state) {
    test_evaluator_.evaluate(state, test_->images, test_targets_);
    std::vector<int> correct(std::size_t(test_->num_classes), 0);
    test_evaluator_.count_correct(test_->labels, 0, correct);
    long total = 0;
    for (int c : correct) total += c;
    return double(total) / double(test_->num_samples());
  }

  const TrainerOptions& options_;
  const Dataset* test_;
  NetworkEvaluator test_evaluator_;
  Eigen::MatrixXd test_targets_;
};

}  // namespace

TrainerSummary train(const TrainerOptions& options, const Dataset& training, const Dataset* test, NetworkState& state,
                     const EpochCallback& on_epoch, const TrainerControl& control) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  const TrainerCheckpoint* resume = control.resume;
  if (resume) {
    if (resume->epoch < 0 || resume->epoch > options.epochs || resume->history.size() != std::size_t(resume->epoch) + 1)
      throw InputError(fmt::format("checkpoint at epoch {} does not fit a run of {} epochs", resume->epoch, options.epochs));
    state = resume->state;
  }
  check_shapes(options, training, test, state);
  const auto start = std::chrono::steady_clock::now();

  TrainerSummary summary;
  summary.training_class_counts = training.class_counts();
  const Eigen::MatrixXd targets = target_matrix(training.labels, training.num_classes);
  const Eigen::Index num_samples = training.num_samples();
  const Eigen::Index batch = options.minibatch == 0 ? num_samples : std::min<Eigen::Index>(options.minibatch, num_samples);
  const bool full_batch = batch == num_samples;
  NetworkEvaluator evaluator(options.network_parameters());
  EpochRecorder recorder(options, test);
  Eigen::MatrixXd grad_memories, grad_labels;
  Eigen::MatrixXd velocity_memories = Eigen::MatrixXd::Zero(state.memories.rows(), state.memories.cols());
  Eigen::MatrixXd velocity_labels = Eigen::MatrixXd::Zero(state.labels.rows(), state.labels.cols());
  std::mt19937_64 noise(options.seed ^ 0x9e3779b97f4a7c15ull);
  int first_epoch = 0;
  if (resume) {
    if (resume->velocity_memories.rows() != state.memories.rows() || resume->velocity_memories.cols() != state.memories.cols() ||
        resume->velocity_labels.rows() != state.labels.rows() || resume->velocity_labels.cols() != state.labels.cols())
      throw InputError("checkpoint velocities do not match the shape of its memories and labels");
    velocity_memories = resume->velocity_memories;
    velocity_labels = resume->velocity_labels;
    std::istringstream words(resume->noise_generator);
    words >> noise;
    if (!words) throw InputError("checkpoint: unreadable noise generator state");
    summary.history = resume->history;
    first_epoch = resume->epoch;
  }
  const auto checkpoint = [&](int epoch) {
    if (!control.on_checkpoint) return;
    std::ostringstream words;
    words << noise;
    control.on_checkpoint(TrainerCheckpoint{epoch, state, velocity_memories, velocity_labels, words.str(), summary.history});
  };

  summary.termination = TrainerTermination::kCompleted;
  for (int epoch = first_epoch;; ++epoch) {
    // The forward pass at the state after `epoch` epochs measures it; with one
    // minibatch holding the whole set it is also the first half of the next step.
    const double cost = evaluator.evaluate(state, training.images, targets);
    const bool resumed_here = resume && epoch == first_epoch;  // measured before the checkpoint was taken
    if (!resumed_here) {
      summary.history.push_back(recorder.measure(epoch, cost, evaluator, training, state));
      if (on_epoch) on_epoch(summary.history.back(), state);
    }
    summary.epochs_completed = epoch;
    if (!std::isfinite(cost)) {
      summary.termination = TrainerTermination::kNonFinite;
      break;
    }
    if (epoch == options.epochs) break;
    if (control.stop && control.stop->load()) {
      summary.termination = TrainerTermination::kInterrupted;
      break;
    }
    if (!resumed_here && control.wants_checkpoint && control.wants_checkpoint(epoch)) checkpoint(epoch);
    for (Eigen::Index first = 0; first < num_samples; first += batch) {
      const Eigen::Index size = std::min(batch, num_samples - first);
      const auto samples = training.images.middleRows(first, size);
      if (!full_batch) evaluator.evaluate(state, samples, targets.middleCols(first, size));
      evaluator.gradients(state, samples, grad_memories, grad_labels);
      apply_training_step(options, grad_memories, grad_labels, state, velocity_memories, velocity_labels, &noise);
    }
  }
  checkpoint(summary.epochs_completed);
  summary.training_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  switch (summary.termination) {
    case TrainerTermination::kCompleted: summary.message = fmt::format("{} epochs completed", summary.epochs_completed); break;
    case TrainerTermination::kInterrupted:
      summary.message = fmt::format("interrupted after epoch {} of {}", summary.epochs_completed, options.epochs);
      break;
    default: summary.message = fmt::format("cost became non-finite at epoch {}", summary.epochs_completed);
  }
  return summary;
}

std::string TrainerSummary::BriefReport() const {
  const EpochMetrics* last = final_metrics();
  if (!last) return fmt::format("training {}: {}", ToString(termination), message);
  std::string test_part = std::isnan(last->test_accuracy) ? "" : fmt::format(", test accuracy {:.4f}", last->test_accuracy);
  return fmt::format("training {}: epoch {}, cost {:.6g}, accuracy {:.4f}{}, memories per digit [{}]",
                     ToString(termination), last->epoch, last->cost, last->accuracy, test_part,
                     fmt::join(last->memories_per_class, " "));
}

std::string TrainerSummary::FullReport() const {
  std::string out = BriefReport() + "\n";
  out += fmt::format("  {}; {:.3f} s ({:.3f} ms/epoch)\n", message, training_seconds,
                     epochs_completed > 0 ? 1e3 * training_seconds / epochs_completed : 0.0);
  out += fmt::format("  training samples per class [{}]\n", fmt::join(training_class_counts, " "));
  if (const EpochMetrics* last = final_metrics()) {
    out += fmt::format("  correct per class          [{}]\n", fmt::join(last->correct_per_class, " "));
    out += fmt::format("  predicted per class        [{}]\n", fmt::join(last->predicted_per_class, " "));
  }
  return out;
}

nlohmann::json TrainerSummary::ToJson() const {
  nlohmann::json j;
  j["termination"] = ToString(termination);
  j["message"] = message;
  j["epochs_completed"] = epochs_completed;
  j["training_seconds"] = training_seconds;
  j["training_class_counts"] = training_class_counts;
  if (!history.empty()) {
    j["initial_cost"] = history.front().cost;
    j["initial_accuracy"] = history.front().accuracy;
  }
  if (const EpochMetrics* last = final_metrics()) {
    j["final_cost"] = std::isfinite(last->cost) ? nlohmann::json(last->cost) : nlohmann::json(nullptr);
    j["final_accuracy"] = last->accuracy;
    j["correct_per_class"] = last->correct_per_class;
    j["memories_per_class"] = last->memories_per_class;
    j["predicted_per_class"] = last->predicted_per_class;
    if (!std::isnan(last->test_accuracy)) j["final_test_accuracy"] = last->test_accuracy;
  }
  j["brief_report"] = BriefReport();
  return j;
}

}  // namespace waddington
