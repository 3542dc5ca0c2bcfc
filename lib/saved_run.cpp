#include "lib/saved_run.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <fstream>

#include "lib/errors.hpp"
#include "lib/escape.hpp"
#include "lib/npy.hpp"

namespace waddington {
namespace fs = std::filesystem;

namespace {

std::string shown(const fs::path& path) { return escape_for_message(path.string(), 200); }

template <class T>
T field(const nlohmann::json& parameters, const char* key, const fs::path& file) {
  if (!parameters.contains(key))
    throw InputError(fmt::format("{}: parameters.{} is missing: not the record of a training run", shown(file), key));
  try {
    return parameters.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(fmt::format("{}: parameters.{} has the wrong type", shown(file), key));
  }
}

}  // namespace

std::vector<int> SavedRun::state_epochs() const {
  std::vector<int> epochs = snapshot_epochs;
  if (!std::binary_search(epochs.begin(), epochs.end(), final_epoch)) epochs.push_back(final_epoch);
  std::sort(epochs.begin(), epochs.end());
  return epochs;
}

SavedRun open_saved_run(const fs::path& dir) {
  SavedRun run;
  run.dir = dir;
  if (!fs::is_directory(dir)) throw InputError(fmt::format("run folder {} does not exist", shown(dir)));
  const fs::path file = dir / "run.json";
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("{} cannot be read: not a finished run folder", shown(file)));
  try {
    run.record = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("{} is not valid JSON ({})", shown(file), escape_for_message(e.what(), 120)));
  }
  if (!run.record.is_object() || !run.record.contains("parameters") || !run.record["parameters"].is_object())
    throw InputError(fmt::format("{} has no parameters object", shown(file)));
  const nlohmann::json& p = run.record["parameters"];
  TrainingRunOptions& o = run.options;
  const std::string images = field<std::string>(p, "images", file);
  o.synthetic = images == "synthetic";
  if (!o.synthetic) o.images = images;
  o.labels = field<std::string>(p, "labels", file);
  o.digits = field<std::string>(p, "digits", file);
  o.per_class = field<int>(p, "per_class", file);
  o.random_sample = field<std::string>(p, "sample", file) == "random";
  o.sample_seed = field<std::uint64_t>(p, "sample_seed", file);
  o.trainer.seed = field<std::uint64_t>(p, "seed", file);
  o.trainer.memories = field<int>(p, "memories", file);
  o.trainer.n = field<double>(p, "n", file);
  o.trainer.temperature = field<double>(p, "T", file);
  o.trainer.epochs = field<int>(p, "epochs", file);
  run.class_counts = field<std::vector<int>>(p, "class_counts", file);
  run.final_epoch = o.trainer.epochs;
  if (run.record.contains("summary") && run.record["summary"].contains("epochs_completed") &&
      run.record["summary"]["epochs_completed"].is_number_integer())
    run.final_epoch = run.record["summary"]["epochs_completed"].get<int>();

  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.rfind("epoch_", 0) != 0) continue;
    int epoch = -1;
    const char* begin = name.data() + 6;
    const char* end = name.data() + name.size();
    const auto [ptr, ec] = std::from_chars(begin, end, epoch);
    if (ec != std::errc() || ptr != end || epoch < 0) continue;
    if (fs::exists(entry.path() / "memories.npy") && fs::exists(entry.path() / "labels.npy")) run.snapshot_epochs.push_back(epoch);
  }
  std::sort(run.snapshot_epochs.begin(), run.snapshot_epochs.end());
  return run;
}

NetworkState load_saved_state(const SavedRun& run, int epoch) {
  fs::path dir;
  if (std::binary_search(run.snapshot_epochs.begin(), run.snapshot_epochs.end(), epoch))
    dir = run.dir / fmt::format("epoch_{}", epoch);
  else if (epoch == run.final_epoch && fs::exists(run.dir / "memories.npy"))
    dir = run.dir;
  else
    throw InputError(fmt::format("epoch {} is not saved in {} (saved: {})", epoch, shown(run.dir),
                                 fmt::join(run.state_epochs(), ", ")));
  NetworkState state{read_npy_matrix(dir / "memories.npy"), read_npy_matrix(dir / "labels.npy")};
  if (state.memories.rows() != state.labels.rows() || state.memories.rows() == 0)
    throw InputError(fmt::format("{}: {} memories but {} label rows", shown(dir), state.memories.rows(), state.labels.rows()));
  if (state.labels.cols() != Eigen::Index(run.class_counts.size()))
    throw InputError(fmt::format("{}: labels have {} classes, run.json {}", shown(dir), state.labels.cols(),
                                 run.class_counts.size()));
  return state;
}

Dataset load_saved_training_set(const SavedRun& run, const std::string& images, std::vector<InputFile>* inputs) {
  TrainingRunOptions o = run.options;
  if (!images.empty()) o.images = images, o.synthetic = false;
  if (!o.synthetic && !fs::exists(o.images))
    throw InputError(fmt::format("training images {} recorded in {} do not exist (give --images FILE)", shown(o.images),
                                 shown(run.dir / "run.json")));
  Dataset data = load_training_set(o, inputs);
  const nlohmann::json& p = run.record["parameters"];
  const auto mismatch = [&](const std::string& what) {
    return InputError(fmt::format("the training set read now differs from the run's ({}): not the images it trained on",
                                  what));
  };
  if (data.class_counts() != run.class_counts) throw mismatch("samples per class");
  if (p.contains("num_pixels") && p["num_pixels"].is_number_integer() && p["num_pixels"].get<Eigen::Index>() != data.num_pixels())
    throw mismatch("pixels");
  if (p.contains("selected_rows") && p["selected_rows"].is_array()) {
    std::vector<Eigen::Index> rows;
    try {
      rows = p["selected_rows"].get<std::vector<Eigen::Index>>();
    } catch (const nlohmann::json::exception&) {
      throw InputError(fmt::format("{}: parameters.selected_rows has the wrong type", shown(run.dir / "run.json")));
    }
    if (!o.synthetic && rows != data.source_rows) throw mismatch("selected rows");
  }
  return data;
}

}  // namespace waddington
