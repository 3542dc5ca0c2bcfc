// `waddington train`: trains the full network (docs/model.md §1) on images from a
// file (or synthetic digits) and writes the memories, labels, per-epoch
// metrics and run.json. A thin layer: config -> TrainerOptions -> train().
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "apps/progress.hpp"
#include "apps/registry.hpp"
#include "apps/run_record.hpp"
#include "lib/atomic_file.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/npy.hpp"
#include "lib/synthetic.hpp"
#include "lib/trainer.hpp"

namespace waddington::app {
namespace {
namespace fs = std::filesystem;

struct TrainConfig {
  std::string images, labels, test_images, test_labels, digits, sample = "first";
  bool synthetic = false;
  int per_class = 0;
  double temperature = 670, rescaled_temperature = 0, m = 30;
  std::string init_memories, init_labels, bound = "normalize", save_epochs, out;
  std::uint64_t sample_seed = 1;
  int threads = 1;  // Eigen's threads for the matrix products, set once for the process
  TrainerOptions options;
};

Dataset load_dataset(const std::string& images, const std::string& labels, const SelectionOptions& selection,
                     RunRecord& record, const std::string& role) {
  if (labels.empty()) throw InputError(fmt::format("--{}labels FILE|blocks:K is required with --{}images", role, role));
  const Eigen::MatrixXd pixels = load_images(images);
  const std::vector<int> classes = load_labels(labels, pixels.rows());
  record.add_input_file(role + "images", images);
  if (labels.rfind("blocks:", 0) != 0) record.add_input_file(role + "labels", labels);
  return select_samples(pixels, classes, selection);
}

Dataset training_set(const TrainConfig& c, const SelectionOptions& selection, RunRecord& record) {
  if (c.synthetic == !c.images.empty()) throw InputError("give exactly one of --images FILE or --synthetic");
  if (!c.images.empty()) return load_dataset(c.images, c.labels, selection, record, "");
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = c.per_class > 0 ? c.per_class : 20;
  synthetic.seed = c.options.seed;
  const Dataset all = synthetic_digits(synthetic);
  SelectionOptions keep = selection;
  keep.per_class = 0;
  return select_samples(all.images, all.labels, keep);
}

Eigen::MatrixXd load_matrix(const std::string& file) {
  const NpyArray array = read_npy(file);
  if (array.shape.size() != 2) throw InputError(fmt::format("'{}': expected a 2-D array", file));
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return Eigen::Map<const RowMajor>(array.values.data(), Eigen::Index(array.shape[0]), Eigen::Index(array.shape[1]));
}

NetworkState starting_state(const TrainConfig& c, const Dataset& data, RunRecord& record) {
  NetworkState state = initial_state(c.options, data.num_pixels(), data.num_classes);
  if (!c.init_memories.empty()) {
    state.memories = load_matrix(c.init_memories);
    record.add_input_file("init_memories", c.init_memories);
  }
  if (!c.init_labels.empty()) {
    state.labels = load_matrix(c.init_labels);
    record.add_input_file("init_labels", c.init_labels);
  }
  return state;
}

std::set<int> saved_epochs(const TrainConfig& c) {
  std::set<int> epochs;
  if (c.save_epochs.empty()) return epochs;
  for (int e : parse_int_list(c.save_epochs, "--save-epochs")) {
    if (e < 0 || e > c.options.epochs)
      throw InputError(fmt::format("--save-epochs: epoch {} is outside 0..{}", e, c.options.epochs));
    epochs.insert(e);
  }
  if (!epochs.empty() && c.out.empty()) throw InputError("--save-epochs needs --out DIR");
  return epochs;
}

std::string metrics_csv(const TrainerSummary& summary, int num_classes) {
  std::ostringstream csv;
  csv << "epoch,cost,accuracy,test_accuracy";
  for (int d = 0; d < num_classes; ++d) csv << ",correct_" << d;
  for (int d = 0; d < num_classes; ++d) csv << ",memories_" << d;
  csv << "\n";
  for (const EpochMetrics& row : summary.history) {
    csv << fmt::format("{},{:.17g},{:.17g},", row.epoch, row.cost, row.accuracy);
    if (!std::isnan(row.test_accuracy)) csv << fmt::format("{:.17g}", row.test_accuracy);
    for (int v : row.correct_per_class) csv << "," << v;
    for (int v : row.memories_per_class) csv << "," << v;
    csv << "\n";
  }
  return csv.str();
}

void record_parameters(const TrainConfig& c, const Dataset& data, RunRecord& record) {
  const TrainerOptions& o = c.options;
  record.parameters() = {{"images", c.synthetic ? "synthetic" : c.images}, {"labels", c.labels},
                         {"test_images", c.test_images}, {"test_labels", c.test_labels}, {"digits", c.digits},
                         {"per_class", c.per_class}, {"sample", c.sample}, {"sample_seed", c.sample_seed},
                         {"memories", o.memories}, {"n", o.n}, {"m", o.cost_power()}, {"T", o.temperature},
                         {"Tr", o.temperature / double(data.num_pixels())}, {"rate", o.rate},
                         {"momentum", o.momentum}, {"epochs", o.epochs}, {"minibatch", o.minibatch},
                         {"init_mean", o.init_mean}, {"init_std", o.init_std}, {"seed", o.seed},
                         {"init_memories", c.init_memories}, {"init_labels", c.init_labels},
                         {"bound", ToString(o.bound)}, {"noise", o.noise_std}, {"test_every", o.test_every},
                         {"threads", c.threads}, {"save_epochs", c.save_epochs},
                         {"num_samples", data.num_samples()}, {"num_pixels", data.num_pixels()},
                         {"class_counts", data.class_counts()}, {"selected_rows", data.source_rows}};
}

void run(TrainConfig c, const CLI::App& cmd) {
  RunRecord record("train", CommandLine::argc(), CommandLine::argv());
  const auto start = std::chrono::steady_clock::now();
  // Validate everything before anything is written.
  if (cmd.count("--m") == 0) c.options.m.reset(); else c.options.m = c.m;
  if (!FromString(c.bound, &c.options.bound)) throw InputError(fmt::format("--bound '{}': expected normalize or clip", c.bound));
  if (c.sample != "first" && c.sample != "random") throw InputError(fmt::format("--sample '{}': expected first or random", c.sample));
  SelectionOptions selection;
  if (!c.digits.empty()) selection.digits = parse_int_list(c.digits, "--digits");
  selection.per_class = c.per_class;
  selection.random_sample = c.sample == "random";
  selection.seed = c.sample_seed;
  if (std::string why; !selection.IsValid(&why)) throw InputError(why);
  if (cmd.count("--Tr") > 0 && !(c.rescaled_temperature > 0)) throw InputError(fmt::format("--Tr {} must be positive", c.rescaled_temperature));
  if (std::string why; !c.options.IsValid(&why)) throw InputError(why);
  if (c.threads < 1 || c.threads > 1024) throw InputError(fmt::format("thread count {} must be in 1..1024", c.threads));
  const std::set<int> save = saved_epochs(c);
  const Dataset data = training_set(c, selection, record);
  if (cmd.count("--Tr") > 0) c.options.temperature = c.rescaled_temperature * double(data.num_pixels());
  std::optional<Dataset> test;
  if (!c.test_images.empty() || !c.test_labels.empty())
    test = load_dataset(c.test_images, c.test_labels, SelectionOptions{.digits = selection.digits}, record, "test_");
  NetworkState state = starting_state(c, data, record);
  record_parameters(c, data, record);
  record.time("load_seconds", seconds_since(start));
  if (!c.out.empty()) ensure_writable_directory(c.out);

  Eigen::setNbThreads(c.threads);
  ProgressBar progress("train", c.options.epochs);
  const auto on_epoch = [&](const EpochMetrics& m, const NetworkState& s) {
    progress.update(m.epoch, fmt::format("cost {:.4g} acc {:.3f}", m.cost, m.accuracy));
    if (!save.count(m.epoch)) return;
    const fs::path dir = fs::path(c.out) / fmt::format("epoch_{}", m.epoch);
    ensure_writable_directory(dir);
    write_npy(dir / "memories.npy", s.memories);
    write_npy(dir / "labels.npy", s.labels);
  };
  const TrainerSummary summary = train(c.options, data, test ? &*test : nullptr, state, on_epoch);
  progress.finish();
  record.time("train_seconds", summary.training_seconds);
  fmt::print("{}\n", summary.BriefReport());
  if (c.out.empty()) return;
  write_npy(fs::path(c.out) / "memories.npy", state.memories);
  write_npy(fs::path(c.out) / "labels.npy", state.labels);
  write_file_atomic(fs::path(c.out) / "metrics.csv", metrics_csv(summary, data.num_classes));
  record.summary() = summary.ToJson();
  record.write(c.out);
}

const Registrar registrar(10, [](CLI::App& app) {
  auto config = std::make_shared<TrainConfig>();
  TrainConfig& c = *config;
  TrainerOptions& o = c.options;
  auto* cmd = app.add_subcommand("train", "Train the full network (docs/model.md §1) on images or synthetic digits");
  cmd->add_option("--images", c.images, "Training images: .npy (S,N)/(1,S,N) or MNIST IDX (gzip or raw)");
  cmd->add_flag("--synthetic", c.synthetic, "Train on synthetic +-1 seven-segment digits instead of --images");
  cmd->add_option("--labels", c.labels, "Labels: IDX/.npy file, or blocks:K (consecutive blocks of K per class)");
  cmd->add_option("--test-images", c.test_images, "Held-out images for the test accuracy");
  cmd->add_option("--test-labels", c.test_labels, "Labels of --test-images (file or blocks:K)");
  cmd->add_option("--test-every", o.test_every, "Measure the test accuracy every E epochs (0: at the end only)")->capture_default_str();
  cmd->add_option("--digits", c.digits, "Classes to train on, e.g. 1,4 or 0-9 (default: all)");
  cmd->add_option("--per-class", c.per_class, "Samples per class (0: all; synthetic default 20)")->capture_default_str();
  cmd->add_option("--sample", c.sample, "Which samples per class: first or random")->capture_default_str();
  cmd->add_option("--sample-seed", c.sample_seed, "Seed of --sample random")->capture_default_str();
  cmd->add_option("--memories", o.memories, "Number of memories K")->capture_default_str();
  cmd->add_option("--n", o.n, "Power n of F(x) = max(x,0)^n (real)")->capture_default_str();
  cmd->add_option("--m", c.m, "Cost power m (default: m = n)");
  auto* t = cmd->add_option("--T", c.temperature, "Temperature T")->capture_default_str();
  cmd->add_option("--Tr", c.rescaled_temperature, "Rescaled temperature T_r = T/N (instead of --T)")->excludes(t);
  cmd->add_option("--rate", o.rate, "Learning rate")->capture_default_str();
  cmd->add_option("--momentum", o.momentum, "Momentum in [0,1)")->capture_default_str();
  cmd->add_option("--epochs", o.epochs, "Number of epochs")->capture_default_str();
  cmd->add_option("--minibatch", o.minibatch, "Samples per minibatch (0: the whole training set)")->capture_default_str();
  cmd->add_option("--init-mean", o.init_mean, "Mean of the Gaussian initial memories and labels")->capture_default_str();
  cmd->add_option("--init-std", o.init_std, "Standard deviation of the initial memories and labels")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of the initial state (and of the synthetic digits and noise)")->capture_default_str();
  cmd->add_option("--init-memories", c.init_memories, "Initial memories (K x N .npy) instead of Gaussian");
  cmd->add_option("--init-labels", c.init_labels, "Initial labels (K x C .npy) instead of Gaussian");
  cmd->add_option("--bound", c.bound, "Memory bound: normalize or clip")->capture_default_str();
  cmd->add_option("--noise", o.noise_std, "Std of Gaussian noise added to M and l after each step")->capture_default_str();
  cmd->add_option("--save-epochs", c.save_epochs, "Epochs whose state is saved to DIR/epoch_E/, e.g. 0,1000,3000");
  cmd->add_option("--threads", c.threads, "Threads for the matrix products")->capture_default_str();
  cmd->add_option("--out", c.out, "Output directory (memories.npy, labels.npy, metrics.csv, run.json)");
  o.temperature = c.temperature;
  cmd->callback([config, cmd] {
    TrainConfig copy = *config;
    copy.options.temperature = copy.temperature;
    run(std::move(copy), *cmd);
  });
});

}  // namespace
}  // namespace waddington::app
