#include "lib/training_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <algorithm>
#include <set>

#include "lib/atomic_file.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/formats.hpp"
#include "lib/npy.hpp"
#include "lib/synthetic.hpp"

namespace waddington {

SelectionOptions training_selection(const TrainingRunOptions& o) {
  SelectionOptions selection;
  if (!o.digits.empty()) selection.digits = parse_int_list(o.digits, "--digits");
  selection.per_class = o.per_class;
  selection.random_sample = o.random_sample;
  selection.seed = o.sample_seed;
  return selection;
}

namespace {

// At most this many saved epochs (snapshots) per run unless --no-snapshot-cap:
// each holds all K x N memories, so 0-3000 at K = 100 would write about 3.8 GB.
constexpr int kMaxSnapshots = 1000;

[[noreturn]] void too_many_snapshots(const std::string& what, long long count) {
  throw InputError(fmt::format("--save-epochs{}: {} snapshots, more than the cap of {} (each holds all memories); "
                               "--no-snapshot-cap allows more",
                               what, count, kMaxSnapshots));
}

// The epochs to save, each in 0..epochs. Throws InputError.
std::set<int> saved_epochs(const TrainingRunOptions& o) {
  std::set<int> epochs;
  if (o.save_epochs.empty()) return epochs;
  std::vector<int> listed;
  if (std::count(o.save_epochs.begin(), o.save_epochs.end(), ':') == 2 &&
      o.save_epochs.find(',') == std::string::npos) {  // A:B:S alone, every S-th epoch from A to B
    std::string commas = o.save_epochs;
    std::replace(commas.begin(), commas.end(), ':', ',');
    const auto parts = parse_int_list(commas, "--save-epochs");
    if (parts.size() != 3 || parts[2] <= 0 || parts[1] < parts[0])
      throw InputError(fmt::format("--save-epochs '{}': expected A:B:S with A <= B and a positive step S", o.save_epochs));
    // Checked before the list is made: a huge range must not be materialised.
    if (parts[0] < 0 || parts[1] > o.trainer.epochs)
      throw InputError(fmt::format("--save-epochs '{}': the range is outside 0..{}", o.save_epochs, o.trainer.epochs));
    if (const long long count = ((long long)parts[1] - parts[0]) / parts[2] + 1; count > kMaxSnapshots && !o.no_snapshot_cap)
      too_many_snapshots(fmt::format(" '{}'", o.save_epochs), count);
    for (int e = parts[0]; e <= parts[1]; e += parts[2]) listed.push_back(e);
  } else {
    listed = parse_int_list(o.save_epochs, "--save-epochs");
  }
  for (int e : listed) {
    if (e < 0 || e > o.trainer.epochs)
      throw InputError(fmt::format("--save-epochs: epoch {} is outside 0..{}", e, o.trainer.epochs));
    epochs.insert(e);
  }
  if (int(epochs.size()) > kMaxSnapshots && !o.no_snapshot_cap) too_many_snapshots("", (long long)epochs.size());
  if (!epochs.empty() && o.out.empty()) throw InputError("--save-epochs needs --out DIR");
  return epochs;
}

Dataset load_dataset(const std::string& images, const std::string& labels, const SelectionOptions& selection,
                     const std::string& role, std::vector<InputFile>& inputs) {
  const Eigen::MatrixXd pixels = load_images(images);
  const std::vector<int> classes = load_labels(labels, pixels.rows());
  inputs.push_back({role + "images", images});
  if (labels.rfind("blocks:", 0) != 0) inputs.push_back({role + "labels", labels});
  return select_samples(pixels, classes, selection);
}

Dataset training_set(const TrainingRunOptions& o, const SelectionOptions& selection, std::vector<InputFile>& inputs) {
  if (!o.synthetic) return load_dataset(o.images, o.labels, selection, "", inputs);
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = o.per_class > 0 ? o.per_class : 20;
  synthetic.seed = o.trainer.seed;
  const Dataset all = synthetic_digits(synthetic);
  SelectionOptions keep = selection;
  keep.per_class = 0;
  return select_samples(all.images, all.labels, keep);
}

NetworkState starting_state(const TrainingRunOptions& o, const Dataset& data, std::vector<InputFile>& inputs) {
  NetworkState state = initial_state(o.trainer, data.num_pixels(), data.num_classes);
  if (!o.init_memories.empty()) {
    state.memories = read_npy_matrix(o.init_memories);
    inputs.push_back({"init_memories", o.init_memories});
  }
  if (!o.init_labels.empty()) {
    state.labels = read_npy_matrix(o.init_labels);
    inputs.push_back({"init_labels", o.init_labels});
  }
  return state;
}

nlohmann::json run_parameters(const TrainingRunOptions& o, const Dataset& data) {
  nlohmann::json j = o.ToJson();
  j["Tr"] = o.trainer.temperature / double(data.num_pixels());
  j["num_samples"] = data.num_samples();
  j["num_pixels"] = data.num_pixels();
  j["class_counts"] = data.class_counts();
  j["selected_rows"] = data.source_rows;
  return j;
}

}  // namespace

bool TrainingRunOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) { if (why) *why = std::move(message); return false; };
  try {
    if (std::string reason; !training_selection(*this).IsValid(&reason)) return bad(reason);
    if (rescaled_temperature) temperature_from_rescaled(*rescaled_temperature, 1);
    if (std::string reason; !trainer.IsValid(&reason)) return bad(reason);
    saved_epochs(*this);
  } catch (const InputError& e) {
    return bad(e.what());
  }
  if (synthetic == !images.empty()) return bad("give exactly one of --images FILE or --synthetic");
  if (!images.empty() && labels.empty()) return bad("--labels FILE|blocks:K is required with --images");
  if ((!test_images.empty() || !test_labels.empty()) && test_labels.empty())
    return bad("--test-labels FILE|blocks:K is required with --test-images");
  return true;
}

nlohmann::json TrainingRunOptions::ToJson() const {
  nlohmann::json j = trainer.ToJson();
  j.update({{"images", synthetic ? "synthetic" : images}, {"labels", labels}, {"test_images", test_images},
            {"test_labels", test_labels}, {"digits", digits}, {"per_class", per_class},
            {"sample", random_sample ? "random" : "first"}, {"sample_seed", sample_seed},
            {"init_memories", init_memories}, {"init_labels", init_labels}, {"save_epochs", save_epochs},
            {"no_snapshot_cap", no_snapshot_cap}});
  if (rescaled_temperature) j["Tr"] = *rescaled_temperature;
  return j;
}

TrainingRunOptions TrainingRunOptions::FromJson(const nlohmann::json& j) {
  TrainingRunOptions o;
  const auto get = [&](const char* key, auto& value) {
    if (!j.contains(key)) throw InputError(fmt::format("training parameters: '{}' is missing", key));
    try {
      j.at(key).get_to(value);
    } catch (const nlohmann::json::exception&) {
      throw InputError(fmt::format("training parameters: '{}' has the wrong type", key));
    }
  };
  TrainerOptions& t = o.trainer;
  double m = 0;
  std::string bound, sample, images;
  get("memories", t.memories), get("n", t.n), get("m", m), get("T", t.temperature), get("rate", t.rate);
  get("momentum", t.momentum), get("epochs", t.epochs), get("minibatch", t.minibatch), get("init_mean", t.init_mean);
  get("init_std", t.init_std), get("seed", t.seed), get("bound", bound), get("noise", t.noise_std);
  get("test_every", t.test_every), get("images", images), get("labels", o.labels), get("test_images", o.test_images);
  get("test_labels", o.test_labels), get("digits", o.digits), get("per_class", o.per_class), get("sample", sample);
  get("sample_seed", o.sample_seed), get("init_memories", o.init_memories), get("init_labels", o.init_labels);
  get("save_epochs", o.save_epochs);
  if (j.contains("no_snapshot_cap")) get("no_snapshot_cap", o.no_snapshot_cap);  // absent in older run.json files
  t.m = m;
  if (!FromString(bound, &t.bound)) throw InputError(fmt::format("training parameters: unknown bound '{}'", bound));
  if (sample != "first" && sample != "random") throw InputError(fmt::format("training parameters: unknown sample '{}'", sample));
  o.random_sample = sample == "random";
  o.synthetic = images == "synthetic";
  if (!o.synthetic) o.images = images;
  return o;
}

Dataset load_training_set(const TrainingRunOptions& options, std::vector<InputFile>* inputs) {
  return training_set(options, training_selection(options), *inputs);
}

namespace {

using LoadTrainingSet = std::function<Dataset(const TrainingRunOptions&, const SelectionOptions&, std::vector<InputFile>&)>;

TrainingRunSummary run(const TrainingRunOptions& options, const LoadTrainingSet& load, const TrainingRunHooks& hooks) {
  const auto start = std::chrono::steady_clock::now();
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  if (options.resume && options.out.empty()) throw InputError("resuming a training run needs its output directory");
  TrainingRunSummary summary;
  TrainingRunOptions o = options;
  const SelectionOptions selection = training_selection(o);
  const std::set<int> save = saved_epochs(o);
  const Dataset data = load(o, selection, summary.inputs);
  if (o.rescaled_temperature) o.trainer.temperature = temperature_from_rescaled(*o.rescaled_temperature, data.num_pixels());
  std::optional<Dataset> test;
  if (!o.test_images.empty() || !o.test_labels.empty())
    test = load_dataset(o.test_images, o.test_labels, SelectionOptions{.digits = selection.digits}, "test_", summary.inputs);
  NetworkState& state = summary.state = starting_state(o, data, summary.inputs);
  const std::filesystem::path out = o.out;
  std::optional<TrainerCheckpoint> resume;
  if (o.resume) {
    resume = read_checkpoint(out);
    summary.resumed_from_epoch = resume->epoch;
    if (resume->state.memories.rows() != state.memories.rows() || resume->state.memories.cols() != state.memories.cols() ||
        resume->state.labels.rows() != state.labels.rows() || resume->state.labels.cols() != state.labels.cols())
      throw InputError(fmt::format("'{}': the checkpoint's shapes do not match the run's options and data",
                                   (out / "checkpoint.npz").string()));
    if (resume->epoch >= o.trainer.epochs)
      throw InputError(fmt::format("the run in '{}' already reached its last epoch {}: nothing to resume", o.out, resume->epoch));
  }
  summary.parameters = run_parameters(o, data);
  summary.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.out.empty()) ensure_writable_directory(out);
  if (hooks.on_ready) hooks.on_ready(summary.parameters);

  const auto record_epoch = [&](const EpochMetrics& metrics, const NetworkState& s) {
    if (hooks.on_epoch) hooks.on_epoch(metrics, s);
    if (save.count(metrics.epoch)) write_snapshot(out, metrics.epoch, s);
  };
  TrainerControl control;
  control.stop = hooks.stop;
  control.resume = resume ? &*resume : nullptr;
  if (!o.out.empty()) {
    control.wants_checkpoint = [&](int epoch) { return save.count(epoch) > 0; };
    control.on_checkpoint = [&](const TrainerCheckpoint& checkpoint) { write_checkpoint(out, checkpoint); };
  }
  summary.training = train(o.trainer, data, test ? &*test : nullptr, state, record_epoch, control);
  summary.termination = summary.training.termination;
  if (!summary.complete()) summary.warnings.push_back(summary.training.message);
  for (int e : save)
    if (e <= summary.training.epochs_completed) summary.saved_epochs.push_back(e);
  if (!o.out.empty()) {
    write_training_outputs(out, state, summary.training, data.num_classes,
                           {{"n", o.trainer.n}, {"T", o.trainer.temperature},
                            {"Tr", o.trainer.temperature / double(data.num_pixels())}});
    if (!save.empty()) write_stacked_snapshots(out, summary.saved_epochs);
  }
  return summary;
}

}  // namespace

TrainingRunSummary run_training(const TrainingRunOptions& options, const EpochCallback& on_epoch) {
  return run_training(options, TrainingRunHooks{.on_epoch = on_epoch});
}

TrainingRunSummary run_training(const TrainingRunOptions& options, const TrainingRunHooks& hooks) {
  return run(options, training_set, hooks);
}

TrainingRunSummary run_training(const TrainingRunOptions& options, const Eigen::MatrixXd& images,
                                const std::vector<int>& labels, const EpochCallback& on_epoch) {
  TrainingRunOptions o = options;
  o.images = o.labels = "array";  // recorded as such; nothing is read
  o.synthetic = false;
  if (Eigen::Index(labels.size()) != images.rows())
    throw InputError(fmt::format("labels: {} labels for {} image rows", labels.size(), images.rows()));
  for (int label : labels)
    if (label < 0 || label >= 10) throw InputError(fmt::format("labels: class {} is outside 0..9", label));
  const auto select = [&](const TrainingRunOptions&, const SelectionOptions& selection, std::vector<InputFile>&) {
    return select_samples(images, labels, selection);
  };
  return run(o, select, TrainingRunHooks{.on_epoch = on_epoch});
}

}  // namespace waddington
