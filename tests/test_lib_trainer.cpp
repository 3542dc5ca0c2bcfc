// The trainer (docs/model.md §1.1) against an independent, straightforward
// per-sample implementation of the same update written here with plain loops
// and std::pow; options validation; a short real-data run on paper200.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <optional>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/learning_dynamics.hpp"
#include "lib/synthetic.hpp"
#include "lib/trainer.hpp"
#include "test_support.hpp"

using namespace waddington;
using Eigen::MatrixXd;

namespace {

struct Reference {
  MatrixXd memories, labels, velocity_memories, velocity_labels;
};

// dCost/dM and dCost/dl summed sample by sample (docs/model.md §1, literally).
void reference_gradients(const TrainerOptions& o, const Dataset& data, long first, long size, const Reference& r,
                         MatrixXd& gm, MatrixXd& gl) {
  const long k = r.memories.rows(), pixels = r.memories.cols(), classes = r.labels.cols();
  const double n = o.n, m = o.cost_power(), t = o.temperature;
  gm = MatrixXd::Zero(k, pixels);
  gl = MatrixXd::Zero(k, classes);
  for (long s = first; s < first + size; ++s) {
    std::vector<double> h(static_cast<std::size_t>(k)), fp(h), e(static_cast<std::size_t>(classes));
    for (long mu = 0; mu < k; ++mu) {
      double dot = 0;
      for (long i = 0; i < pixels; ++i) dot += r.memories(mu, i) * data.images(s, i);
      const double x = dot / t;
      h[std::size_t(mu)] = x > 0 ? std::pow(x, n) : 0.0;
      fp[std::size_t(mu)] = x > 0 ? std::pow(x, n - 1) : 0.0;
    }
    for (long d = 0; d < classes; ++d) {
      double z = 0;
      for (long mu = 0; mu < k; ++mu) z += r.labels(mu, d) * h[std::size_t(mu)];
      const double c = std::tanh(z), target = d == data.labels[std::size_t(s)] ? 1.0 : -1.0, diff = c - target;
      const double sign = diff > 0 ? 1.0 : (diff < 0 ? -1.0 : 0.0);
      e[std::size_t(d)] = sign * std::pow(std::abs(diff), 2 * m - 1) * (1 - c * c);
    }
    for (long mu = 0; mu < k; ++mu) {
      double back = 0;
      for (long d = 0; d < classes; ++d) {
        gl(mu, d) += 2 * m * e[std::size_t(d)] * h[std::size_t(mu)];
        back += e[std::size_t(d)] * r.labels(mu, d);
      }
      for (long i = 0; i < pixels; ++i) gm(mu, i) += 2 * m * (n / t) * back * fp[std::size_t(mu)] * data.images(s, i);
    }
  }
}

double row_max_abs(const MatrixXd& a, long row) {
  double best = 0;
  for (long j = 0; j < a.cols(); ++j) best = std::max(best, std::abs(a(row, j)));
  return best;
}

// Steps 1-7 of docs/model.md §1.1, one entry at a time.
void reference_step(const TrainerOptions& o, const Dataset& data, long first, long size, Reference& r) {
  MatrixXd gm, gl;
  reference_gradients(o, data, first, size, r, gm, gl);
  for (long mu = 0; mu < r.memories.rows(); ++mu) {
    const double gm_max = row_max_abs(gm, mu), gl_max = row_max_abs(gl, mu);
    for (long i = 0; i < gm.cols(); ++i) {
      const double g = gm_max > 0 ? gm(mu, i) / gm_max : 0.0;
      r.velocity_memories(mu, i) = o.momentum * r.velocity_memories(mu, i) - g;
    }
    for (long d = 0; d < gl.cols(); ++d) {
      const double g = gl_max > 0 ? gl(mu, d) / gl_max : 0.0;
      r.velocity_labels(mu, d) = o.momentum * r.velocity_labels(mu, d) - g;
    }
    const double vl_max = row_max_abs(r.velocity_labels, mu), vm_max = row_max_abs(r.velocity_memories, mu);
    for (long d = 0; d < gl.cols(); ++d) {
      const double v = vl_max > 0 ? r.velocity_labels(mu, d) / vl_max : 0.0;
      r.labels(mu, d) = std::clamp(r.labels(mu, d) + o.rate * v, -1.0, 1.0);
    }
    for (long i = 0; i < gm.cols(); ++i)
      r.memories(mu, i) += o.rate * (vm_max > 0 ? r.velocity_memories(mu, i) / vm_max : 0.0);
    const double m_max = row_max_abs(r.memories, mu);
    for (long i = 0; i < gm.cols(); ++i) {
      if (o.bound == MemoryBound::kClip) r.memories(mu, i) = std::clamp(r.memories(mu, i), -1.0, 1.0);
      else if (m_max > 1) r.memories(mu, i) /= m_max;
    }
  }
}

double relative_difference(const MatrixXd& a, const MatrixXd& b) { return (a - b).norm() / b.norm(); }

}  // namespace

TEST_CASE("training steps match a straightforward per-sample implementation", "[trainer][reference][short]") {
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = 1;
  synthetic.side = 12;
  synthetic.flip_probability = 0.1;
  const Dataset data = synthetic_digits(synthetic);  // 10 samples of 144 pixels
  for (MemoryBound bound : {MemoryBound::kNormalize, MemoryBound::kClip}) {
    TrainerOptions o;
    o.memories = 4;
    o.n = 3.5;   // real n
    o.m = 2.25;  // real m, different from n
    o.temperature = 5;
    o.rate = 0.05;
    o.momentum = 0.5;
    o.epochs = 3;
    o.minibatch = 4;  // batches of 4, 4 and 2: three steps per epoch
    o.init_mean = 0;
    o.init_std = 0.7;  // some memory entries and labels start beyond +-1: bounds and clipping act
    o.bound = bound;
    NetworkState state = initial_state(o, data.num_pixels(), 10);
    REQUIRE(state.memories.cwiseAbs().maxCoeff() > 1);
    REQUIRE(state.labels.cwiseAbs().maxCoeff() > 1);
    Reference r{state.memories, state.labels, MatrixXd::Zero(4, 144), MatrixXd::Zero(4, 10)};
    int checked = 0;
    const TrainerSummary summary = train(o, data, nullptr, state, [&](const EpochMetrics& metrics, const NetworkState& s) {
      if (metrics.epoch > 0)
        for (long first = 0; first < 10; first += 4) reference_step(o, data, first, std::min(4L, 10 - first), r);
      INFO("bound " << ToString(bound) << ", after epoch " << metrics.epoch);
      CHECK(relative_difference(s.memories, r.memories) < 1e-12);
      CHECK(relative_difference(s.labels, r.labels) < 1e-12);
      ++checked;
    });
    CHECK(checked == 4);
    CHECK(summary.termination == TrainerTermination::kCompleted);
    CHECK(relative_difference(state.memories, MatrixXd(initial_state(o, 144, 10).memories)) > 1e-3);  // it moved
    if (bound == MemoryBound::kClip) CHECK(state.memories.cwiseAbs().maxCoeff() <= 1.0);
    else CHECK(state.memories.cwiseAbs().rowwise().maxCoeff().maxCoeff() == Approx(1.0));
    CHECK(state.labels.cwiseAbs().maxCoeff() <= 1.0);
  }
}

TEST_CASE("trainer options validate themselves", "[trainer][options][short]") {
  std::string why;
  CHECK(TrainerOptions{}.IsValid(&why));
  auto rejects = [](auto change, const std::string& fragment) {
    TrainerOptions o;
    change(o);
    std::string reason;
    CHECK_FALSE(o.IsValid(&reason));
    CHECK_THAT(reason, Catch::Contains(fragment));
  };
  rejects([](TrainerOptions& o) { o.n = -1; }, "power n = -1");
  rejects([](TrainerOptions& o) { o.temperature = 0; }, "temperature T = 0");
  rejects([](TrainerOptions& o) { o.temperature = std::nan(""); }, "temperature");
  rejects([](TrainerOptions& o) { o.m = 0.2; }, "cost power m");
  rejects([](TrainerOptions& o) { o.momentum = 1; }, "momentum");
  rejects([](TrainerOptions& o) { o.memories = 0; }, "memories");
  rejects([](TrainerOptions& o) { o.epochs = -3; }, "epochs");
  rejects([](TrainerOptions& o) { o.rate = 0; }, "learning rate");
  MemoryBound bound;
  CHECK(FromString("clip", &bound));
  CHECK(bound == MemoryBound::kClip);
  CHECK_FALSE(FromString("squash", &bound));
  CHECK(ToString(TrainerTermination::kNotRun) == "not_run");
  CHECK(TrainerSummary{}.BriefReport() == "training not_run: not run");
}

TEST_CASE("shape mismatches are input errors, and metrics have one row per epoch", "[trainer][short]") {
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = 2;
  synthetic.side = 12;
  const Dataset data = synthetic_digits(synthetic);
  TrainerOptions o;
  o.memories = 5;
  o.n = 3;
  o.temperature = 0.5 * 144;
  o.epochs = 40;
  o.init_mean = 0;
  o.init_std = 0.1;
  NetworkState wrong = initial_state(o, 100, 10);
  CHECK_THROWS_AS(train(o, data, nullptr, wrong), InputError);
  NetworkState state = initial_state(o, 144, 10);
  const TrainerSummary summary = train(o, data, &data, state);
  REQUIRE(summary.history.size() == 41);
  CHECK(summary.history.back().epoch == 40);
  CHECK(summary.history.back().cost < summary.history.front().cost);
  CHECK(summary.history.back().test_accuracy == summary.history.back().accuracy);  // same set
  CHECK(std::isnan(summary.history[3].test_accuracy));
  int memories = 0;
  for (int c : summary.history.back().memories_per_class) memories += c;
  CHECK(memories == 5);
  for (const EpochMetrics& m : summary.history) {  // every sample is predicted as exactly one class
    int predicted = 0;
    REQUIRE(m.predicted_per_class.size() == 10);
    for (std::size_t d = 0; d < 10; ++d) {
      predicted += m.predicted_per_class[d];
      CHECK(m.predicted_per_class[d] >= m.correct_per_class[d]);
    }
    CHECK(predicted == data.num_samples());
  }
  CHECK(summary.ToJson()["epochs_completed"] == 40);
}

TEST_CASE("paper200: the cost decreases, and after 300 epochs the network answers 1 for every sample, which recognises no digit",
          "[trainer][data][short]") {
  const auto file = waddington::testing::require_data("paper200/paper200_images.npy");
  const Eigen::MatrixXd images = load_images(file);
  const Dataset data = select_samples(images, load_labels("blocks:20", images.rows()), SelectionOptions{});
  TrainerOptions o;  // the paper's configuration
  o.epochs = 300;
  NetworkState state = initial_state(o, data.num_pixels(), 10);
  const TrainerSummary summary = train(o, data, nullptr, state);
  const EpochMetrics& last = summary.history.back();
  CHECK(summary.history.front().cost == Approx(2000).epsilon(1e-6));  // all scores ~0: (0 - t)^60 = 1 for 2000 entries
  CHECK(last.cost < 0.8 * summary.history.front().cost);
  CHECK(last.memories_per_class[1] == 100);
  CHECK(last.correct_per_class[1] == 20);     // all the 1s "right" ...
  CHECK(last.predicted_per_class[1] == 200);  // ... because every sample is answered "1"
  // Recall alone would call 1 learnt; with precision (20 of 200 answers right) no digit is.
  const LearningOrder order = learning_order(recognition_history(summary.history, summary.training_class_counts));
  CHECK(order.ToString() == "never: 0 1 2 3 4 5 6 7 8 9");
}

TEST_CASE("the trainer leaves Eigen's thread count to its caller", "[trainer][short]") {
  const int caller = Eigen::nbThreads();
  Eigen::setNbThreads(3);
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = 1;
  synthetic.side = 12;
  const Dataset data = synthetic_digits(synthetic);
  TrainerOptions o;
  o.memories = 4;
  o.n = 3;
  o.temperature = 0.5 * 144;
  o.epochs = 2;
  NetworkState state = initial_state(o, 144, 10);
  train(o, data, nullptr, state);
  CHECK(Eigen::nbThreads() == 3);
  Eigen::setNbThreads(caller);
}

TEST_CASE("an interrupted run continued from its checkpoint ends bit for bit where an uninterrupted one does",
          "[trainer][resume][short]") {
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = 2;
  synthetic.seed = 3;
  const Dataset data = synthetic_digits(synthetic);
  for (int minibatch : {0, 6}) {  // full batch (the forward pass is shared with the measure) and minibatches
    TrainerOptions o;
    o.memories = 5;
    o.n = 3;
    o.temperature = 60;
    o.rate = 0.02;
    o.momentum = 0.6;   // velocities must be carried over
    o.noise_std = 1e-3; // and the noise generator
    o.epochs = 12;
    o.minibatch = minibatch;
    o.init_mean = 0;
    o.init_std = 0.1;
    NetworkState reference = initial_state(o, data.num_pixels(), 10);
    const TrainerSummary whole = train(o, data, nullptr, reference);

    // The same run stopped after epoch 5 (as SIGTERM would), then continued from the checkpoint.
    std::atomic<bool> stop{false};
    std::optional<TrainerCheckpoint> saved;
    TrainerControl control;
    control.stop = &stop;
    control.on_checkpoint = [&](const TrainerCheckpoint& c) { saved = c; };
    NetworkState state = initial_state(o, data.num_pixels(), 10);
    const TrainerSummary first = train(o, data, nullptr, state,
                                       [&](const EpochMetrics& m, const NetworkState&) { if (m.epoch == 5) stop = true; },
                                       control);
    INFO("minibatch " << minibatch);
    CHECK(first.termination == TrainerTermination::kInterrupted);
    CHECK(first.epochs_completed == 5);
    REQUIRE(saved);
    CHECK(saved->epoch == 5);
    CHECK(saved->history.size() == 6);
    CHECK(saved->state.memories == state.memories);

    NetworkState resumed;
    TrainerControl again;
    again.resume = &*saved;
    std::vector<int> epochs_seen;
    const TrainerSummary second = train(o, data, nullptr, resumed,
                                        [&](const EpochMetrics& m, const NetworkState&) { epochs_seen.push_back(m.epoch); }, again);
    CHECK(second.termination == TrainerTermination::kCompleted);
    CHECK(epochs_seen.front() == 6);  // epoch 5 was measured before the stop
    CHECK(second.history.size() == whole.history.size());
    CHECK((resumed.memories - reference.memories).cwiseAbs().maxCoeff() == 0.0);
    CHECK((resumed.labels - reference.labels).cwiseAbs().maxCoeff() == 0.0);
    CHECK(second.history.back().cost == whole.history.back().cost);
  }
}
