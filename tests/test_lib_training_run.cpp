// A whole training run as a library call (lib/training_run.hpp): its options,
// its outputs against the trainer called directly, and lib/formats.hpp.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/csv_columns.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/formats.hpp"
#include "lib/npy.hpp"
#include "lib/npz.hpp"
#include "lib/synthetic.hpp"
#include "lib/training_run.hpp"
#include "tests/test_support.hpp"

using namespace waddington;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("training_run", name, /*fresh=*/false); }

using waddington::testing::slurp;

TrainingRunOptions small_synthetic_run() {
  TrainingRunOptions o;
  o.synthetic = true;
  o.per_class = 3;
  o.digits = "1,4,7";
  o.trainer.memories = 5;
  o.trainer.n = 3;
  o.trainer.epochs = 6;
  o.trainer.init_mean = 0;
  o.trainer.init_std = 0.1;
  o.trainer.seed = 4;
  o.rescaled_temperature = 0.5;
  return o;
}

}  // namespace

TEST_CASE("training run options: validation and ToJson", "[short]") {
  TrainingRunOptions o;
  std::string why;
  CHECK_FALSE(o.IsValid(&why));  // neither images nor synthetic
  CHECK_THAT(why, Catch::Contains("--synthetic"));
  o.synthetic = true;
  CHECK(o.IsValid(&why));
  CHECK(TrainerOptions().IsValid(&why));

  auto invalid = [](TrainingRunOptions bad, const std::string& fragment) {
    std::string reason;
    INFO(fragment);
    CHECK_FALSE(bad.IsValid(&reason));
    CHECK_THAT(reason, Catch::Contains(fragment));
  };
  TrainingRunOptions bad = o;
  bad.save_epochs = "0,10";
  invalid(bad, "--save-epochs needs --out");
  bad.trainer.epochs = 5, bad.out = "/tmp/x";
  invalid(bad, "epoch 10 is outside 0..5");
  bad = o, bad.rescaled_temperature = -1;
  invalid(bad, "--Tr -1 must be positive");
  bad = o, bad.digits = "3,3";
  invalid(bad, "digit 3 is listed twice");
  bad = o, bad.images = "x.npy";
  invalid(bad, "exactly one of");
  bad = o, bad.synthetic = false, bad.images = "x.npy";
  invalid(bad, "--labels");
  bad = o, bad.test_images = "t.npy";
  invalid(bad, "--test-labels");
  bad = o, bad.trainer.n = -1;
  invalid(bad, "power n = -1");

  const auto j = small_synthetic_run().ToJson();
  CHECK(j["images"] == "synthetic");
  CHECK(j["digits"] == "1,4,7");
  CHECK(j["m"] == 3.0);  // m follows n
  CHECK(j["Tr"] == 0.5);
  CHECK(j["sample"] == "first");
  CHECK(j["bound"] == "normalize");
  CHECK(TrainerOptions().ToJson()["T"] == 670.0);
  SelectionOptions s;
  s.random_sample = true;
  CHECK(s.ToJson()["sample"] == "random");
}

TEST_CASE("training run: outputs equal the trainer run by hand on the same data", "[short]") {
  const TrainingRunOptions o = [] {
    auto o = small_synthetic_run();
    o.save_epochs = "0,3";
    o.out = scratch("run").string();
    return o;
  }();
  int epochs_seen = 0;
  const TrainingRunSummary summary = run_training(o, [&](const EpochMetrics&, const NetworkState&) { ++epochs_seen; });
  CHECK(summary.termination == TrainerTermination::kCompleted);
  CHECK(epochs_seen == 7);

  // The same run assembled by hand: synthetic digits 1, 4 and 7, T = T_r N, the seeded Gaussian state.
  SyntheticDigitsOptions digits;
  digits.per_class = 3;
  digits.seed = 4;
  const Dataset all = synthetic_digits(digits);
  const Dataset data = select_samples(all.images, all.labels, SelectionOptions{.digits = {1, 4, 7}});
  TrainerOptions t = o.trainer;
  t.temperature = 0.5 * double(data.num_pixels());
  NetworkState state = initial_state(t, data.num_pixels(), data.num_classes);
  const NetworkState initial = state;
  NetworkState at_3;
  const TrainerSummary reference = train(t, data, nullptr, state, [&](const EpochMetrics& m, const NetworkState& s) {
    if (m.epoch == 3) at_3 = s;
  });

  const fs::path out = o.out;
  CHECK(read_npy_matrix(out / "memories.npy") == state.memories);
  CHECK(read_npy_matrix(out / "labels.npy") == state.labels);
  CHECK(read_npy_matrix(out / "epoch_0" / "memories.npy") == initial.memories);
  CHECK(read_npy_matrix(out / "epoch_3" / "labels.npy") == at_3.labels);
  CHECK_FALSE(fs::exists(out / "epoch_6"));
  CHECK(slurp(out / "metrics.csv") ==
        with_parameter_columns(metrics_csv(reference, 10), {{"n", 3.0}, {"T", t.temperature}, {"Tr", 0.5}}));
  CHECK(summary.ToJson()["final_cost"] == reference.ToJson()["final_cost"]);
  CHECK(summary.parameters["T"] == t.temperature);
  CHECK(summary.parameters["num_samples"] == 9);
  CHECK(summary.parameters["class_counts"] == std::vector<int>{0, 3, 0, 0, 3, 0, 0, 3, 0, 0});
  CHECK(summary.inputs.empty());  // synthetic: no file read
  fs::remove_all(out);
}

TEST_CASE("training run: bad input throws before anything is written", "[short]") {
  auto o = small_synthetic_run();
  o.synthetic = false;
  o.images = scratch("absent.npy").string();
  o.labels = "blocks:3";
  o.out = scratch("never").string();
  CHECK_THROWS_AS(run_training(o), InputError);
  CHECK_FALSE(fs::exists(o.out));
}

TEST_CASE("metrics.csv: header, one row per epoch, empty test accuracy where not measured", "[short]") {
  TrainerSummary s;
  EpochMetrics row;
  row.epoch = 0, row.cost = 0.5, row.accuracy = 0.25;
  row.correct_per_class = {1, 2}, row.memories_per_class = {3, 0}, row.predicted_per_class = {1, 3};
  s.history.push_back(row);
  row.epoch = 1, row.test_accuracy = 0.75;
  s.history.push_back(row);
  CHECK(metrics_csv(s, 2) ==
        "epoch,cost,accuracy,test_accuracy,correct_0,correct_1,memories_0,memories_1,predicted_0,predicted_1\n"
        "0,0.5,0.25,,1,2,3,0,1,3\n"
        "1,0.5,0.25,0.75,1,2,3,0,1,3\n");
}

TEST_CASE("checkpoint.npz: the history keeps the predicted counts, an older layout without them is refused", "[resume][short]") {
  TrainerCheckpoint c;
  c.epoch = 1;
  c.state.memories = Eigen::MatrixXd::Constant(2, 3, 0.5);
  c.state.labels = Eigen::MatrixXd::Constant(2, 2, -0.25);
  c.velocity_memories = Eigen::MatrixXd::Zero(2, 3);
  c.velocity_labels = Eigen::MatrixXd::Zero(2, 2);
  c.noise_generator = "1 2 3";
  EpochMetrics row;
  row.cost = 1.5, row.accuracy = 0.5;
  row.correct_per_class = {1, 0}, row.memories_per_class = {2, 0}, row.predicted_per_class = {2, 0};
  c.history.push_back(row);
  row.epoch = 1, row.correct_per_class = {1, 1}, row.predicted_per_class = {1, 1};
  c.history.push_back(row);
  const fs::path dir = scratch("checkpoint_layout");
  fs::create_directories(dir);
  write_checkpoint(dir, c);
  const TrainerCheckpoint back = read_checkpoint(dir);
  CHECK(read_npz(dir / "checkpoint.npz").at("history").shape == std::vector<std::size_t>{2, 4 + 3 * 2});
  REQUIRE(back.history.size() == 2);
  CHECK(back.history[0].predicted_per_class == std::vector<int>{2, 0});
  CHECK(back.history[1].predicted_per_class == std::vector<int>{1, 1});
  CHECK(back.history[1].correct_per_class == std::vector<int>{1, 1});
  CHECK(back.history[0].memories_per_class == std::vector<int>{2, 0});

  // The layout before predicted counts were recorded: 4 + 2C columns.
  const std::vector<double> old_history = {0, 1.5, 0.5, 0, 1, 0, 2, 0};
  const std::int64_t epoch = 0;
  write_npz(dir / "checkpoint.npz",
            {{"memories", npy_bytes(c.state.memories)}, {"labels", npy_bytes(c.state.labels)},
             {"velocity_memories", npy_bytes(c.velocity_memories)}, {"velocity_labels", npy_bytes(c.velocity_labels)},
             {"epoch", npy_bytes("<i8", {1}, &epoch, 8)}, {"noise_generator", npy_bytes("|u1", {5}, c.noise_generator.data(), 1)},
             {"history", npy_bytes("<f8", {1, 8}, old_history.data(), 8)}});
  CHECK_THROWS_WITH(read_checkpoint(dir), Catch::Contains("no predicted_0..1 columns"));
}

TEST_CASE("training set: the one run_training trains on, with the files it read", "[short]") {
  // Synthetic: no files; digits 1,4,7 at 3 per class.
  auto o = small_synthetic_run();
  std::vector<InputFile> inputs;
  const Dataset synthetic = load_training_set(o, &inputs);
  CHECK(synthetic.num_samples() == 9);
  CHECK(inputs.empty());
  CHECK(training_selection(o).digits == std::vector<int>{1, 4, 7});

  // The same images from a file with block labels: the same selection, the images recorded, "blocks:K" not.
  const fs::path images = scratch("synthetic_all.npy");
  SyntheticDigitsOptions all;
  all.per_class = 3;
  all.seed = o.trainer.seed;
  write_npy(images, synthetic_digits(all).images);
  o.synthetic = false;
  o.images = images.string();
  o.labels = "blocks:3";
  const Dataset read = load_training_set(o, &inputs);
  CHECK(read.images == synthetic.images);
  CHECK(read.labels == synthetic.labels);
  REQUIRE(inputs.size() == 1);
  CHECK(inputs[0].role == "images");
  o.digits = "1,x";
  CHECK_THROWS_AS(training_selection(o), InputError);
}

TEST_CASE("training run: stopped, checkpointed, resumed from disk, equal to an uninterrupted run, snapshots.npz stacks them",
          "[resume][short]") {
  auto o = small_synthetic_run();
  o.trainer.epochs = 10;
  o.trainer.momentum = 0.5;
  o.trainer.noise_std = 1e-3;
  o.save_epochs = "0,4,10";
  o.out = scratch("whole").string();
  const TrainingRunSummary whole = run_training(o);
  REQUIRE(whole.complete());

  auto p = o;
  p.out = scratch("stopped").string();
  std::atomic<bool> stop{false};
  TrainingRunHooks hooks;
  hooks.stop = &stop;
  hooks.on_epoch = [&](const EpochMetrics& m, const NetworkState&) { if (m.epoch == 6) stop = true; };
  const TrainingRunSummary first = run_training(p, hooks);
  CHECK(first.termination == TrainerTermination::kInterrupted);
  CHECK_FALSE(first.complete());
  CHECK(first.saved_epochs == std::vector<int>{0, 4});
  CHECK(read_checkpoint(p.out).epoch == 6);

  // Resumed with the options as run.json records them (FromJson of the parameters).
  TrainingRunOptions q = TrainingRunOptions::FromJson(first.parameters);
  q.out = p.out;
  q.resume = true;
  const TrainingRunSummary second = run_training(q);
  CHECK(second.complete());
  CHECK(second.resumed_from_epoch == 6);
  const fs::path a = o.out, b = p.out;
  CHECK(read_npy_matrix(a / "memories.npy") == read_npy_matrix(b / "memories.npy"));
  CHECK(read_npy_matrix(a / "labels.npy") == read_npy_matrix(b / "labels.npy"));
  CHECK(slurp(a / "metrics.csv") == slurp(b / "metrics.csv"));
  CHECK(slurp(a / "snapshots.npz") == slurp(b / "snapshots.npz"));
  const auto stacked = read_npz(b / "snapshots.npz");
  CHECK(stacked.at("epochs").values == std::vector<double>{0, 4, 10});
  CHECK(stacked.at("memories").shape == std::vector<std::size_t>{3, 5, 784});

  // Nothing left to resume once complete; no checkpoint: a clear error.
  CHECK_THROWS_AS(run_training(q), InputError);
  auto r = q;
  r.out = scratch("never_ran").string();
  CHECK_THROWS_WITH(run_training(r), Catch::Contains("nothing to resume"));
}

TEST_CASE("training run on arrays: the same run as from the data it selects, the final state in the summary", "[short]") {
  const TrainingRunOptions o = small_synthetic_run();
  const TrainingRunSummary from_options = run_training(o);
  // The synthetic digits run_training generates, given as arrays instead (all rows; the options select).
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = o.per_class;
  synthetic.seed = o.trainer.seed;
  const Dataset all = synthetic_digits(synthetic);
  TrainingRunOptions arrays = o;
  arrays.synthetic = false;
  const TrainingRunSummary from_arrays = run_training(arrays, all.images, all.labels);
  REQUIRE(from_arrays.complete());
  CHECK(from_arrays.state.memories == from_options.state.memories);
  CHECK(from_arrays.state.labels == from_options.state.labels);
  CHECK(metrics_csv(from_arrays.training, 10) == metrics_csv(from_options.training, 10));
  CHECK(from_arrays.parameters["images"] == "array");
  CHECK(from_options.state.memories.rows() == o.trainer.memories);
  std::vector<int> short_labels(all.labels.begin(), all.labels.end() - 1);
  CHECK_THROWS_WITH(run_training(arrays, all.images, short_labels), Catch::Contains("labels for"));
}
