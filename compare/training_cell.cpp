#include "compare/training_cell.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "lib/npy.hpp"

namespace waddington::compare {
namespace {

// An integer-valued grid parameter in [lo, hi].
long whole(const std::string& name, double value, double lo, double hi) {
  if (!(value == std::floor(value) && value >= lo && value <= hi))
    throw InputError(fmt::format("--grid {}: {} is not an integer in [{}, {}]", name, value, lo, hi));
  return long(value);
}

}  // namespace

const std::vector<std::string>& trainer_grid_parameters() {
  static const std::vector<std::string> names = {"n",      "m",         "T",        "Tr",       "rate",  "momentum",
                                                 "epochs", "memories",  "seed",     "init_mean", "init_std", "noise",
                                                 "minibatch"};
  return names;
}

TrainerOptions cell_trainer_options(const TrainerOptions& base, const std::map<std::string, double>& p,
                                    Eigen::Index num_pixels) {
  TrainerOptions o = base;
  if (p.count("T") && p.count("Tr")) throw InputError("--grid: give T or Tr, not both");
  for (const auto& [name, value] : p) {
    if (name == "n") o.n = value;
    else if (name == "m") o.m = value;
    else if (name == "T") o.temperature = value;
    else if (name == "Tr") o.temperature = value * double(num_pixels);
    else if (name == "rate") o.rate = value;
    else if (name == "momentum") o.momentum = value;
    else if (name == "epochs") o.epochs = int(whole(name, value, 0, 1e9));
    else if (name == "memories") o.memories = int(whole(name, value, 1, 1e6));
    else if (name == "seed") o.seed = std::uint64_t(whole(name, value, 0, 9.0e15));
    else if (name == "init_mean") o.init_mean = value;
    else if (name == "init_std") o.init_std = value;
    else if (name == "noise") o.noise_std = value;
    else if (name == "minibatch") o.minibatch = int(whole(name, value, 0, 1e9));
    else throw InputError(fmt::format("--grid: the trainer has no parameter '{}'", name));
  }
  if (std::string why; !o.IsValid(&why)) throw InputError(fmt::format("--grid: {}", why));
  return o;
}

TrainedCell train_cell(const TrainingSetup& setup, const TrainerOptions& options, const sweep::CellContext& cell) {
  // The trainer touches no process-wide state; the command that runs the pool
  // sets Eigen's threads to 1 once, so that cells do not each start a team.
  TrainedCell out;
  out.state = setup.start ? *setup.start
                          : initial_state(options, setup.training.num_pixels(), setup.training.num_classes);
  // The trainer has no cancel; a callback that throws ends it between epochs.
  const auto on_epoch = [&](const EpochMetrics&, const NetworkState&) {
    if (cell.stop_requested()) throw sweep::Abandoned();
  };
  out.summary = train(options, setup.training, nullptr, out.state, on_epoch);
  out.analysis = analyze_memories(out.state.memories, setup.training);
  return out;
}

void keep_cell_files(const TrainedCell& trained, const sweep::CellContext& cell) {
  if (cell.directory.empty()) return;
  ensure_writable_directory(cell.directory);
  write_npy(cell.directory / "memories.npy", trained.state.memories);
  write_npy(cell.directory / "labels.npy", trained.state.labels);
  write_npy(cell.directory / "alpha.npy", trained.analysis.alpha);
}

void add_model_parameter_columns(sweep::Task& task, std::shared_ptr<const TrainingSetup> setup) {
  const Eigen::Index pixels = setup->training.num_pixels();
  task.parameter_columns = {"n", "T", "Tr"};
  task.parameter_values = [setup, pixels](const std::map<std::string, double>& p) {
    const TrainerOptions o = cell_trainer_options(setup->options, p, pixels);
    return std::map<std::string, double>{{"n", o.n}, {"T", o.temperature}, {"Tr", o.temperature / double(pixels)}};
  };
}

sweep::Task training_task(std::shared_ptr<const TrainingSetup> setup) {
  sweep::Task task;
  task.name = "train";
  task.config = {{"trainer", trainer_options_json(setup->options)},
                 {"data", setup->data_identity},
                 {"fixed_start", setup->start.has_value()}};
  task.parameters = trainer_grid_parameters();
  task.results = {"final_cost",     "final_accuracy", "epochs_completed", "mean_max_alpha",
                  "mean_samples_to_reconstruct", "reconstructible_memories", "max_span_residual"};
  const Eigen::Index pixels = setup->training.num_pixels();
  add_model_parameter_columns(task, setup);
  task.check = [setup, pixels](const std::map<std::string, double>& p) {
    const TrainerOptions o = cell_trainer_options(setup->options, p, pixels);
    if (setup->start && setup->start->memories.rows() != o.memories)
      throw InputError("--grid memories: the fixed initial state has a fixed number of memories");
  };
  task.run = [setup, pixels](const sweep::CellContext& cell) {
    const TrainerOptions options = cell_trainer_options(setup->options, cell.parameters, pixels);
    const TrainedCell trained = train_cell(*setup, options, cell);
    if (setup->keep_files) keep_cell_files(trained, cell);
    sweep::CellResult result;
    const EpochMetrics* last = trained.summary.final_metrics();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    result.values = {{"final_cost", last ? last->cost : nan},
                     {"final_accuracy", last ? last->accuracy : nan},
                     {"epochs_completed", double(trained.summary.epochs_completed)},
                     {"mean_max_alpha", trained.analysis.mean_max_alpha},
                     {"mean_samples_to_reconstruct", trained.analysis.mean_samples_to_reconstruct},
                     {"reconstructible_memories", double(trained.analysis.reconstructible)},
                     {"max_span_residual", trained.analysis.span_residual.maxCoeff()}};
    if (trained.summary.termination != TrainerTermination::kCompleted) {
      result.status = sweep::CellStatus::kFailed;
      result.message = trained.summary.message;
    }
    return result;
  };
  return task;
}

std::shared_ptr<TrainingSetup> sweep_training_setup(const TrainingRunOptions& options, std::vector<InputFile>* inputs) {
  if (options.synthetic == !options.images.empty())
    throw InputError("after --, give exactly one of --images FILE or --synthetic");
  if (std::string why; !training_selection(options).IsValid(&why)) throw InputError(why);
  if (!options.synthetic && options.labels.empty()) throw InputError("--labels FILE|blocks:K is required with --images");
  auto setup = std::make_shared<TrainingSetup>();
  setup->training = load_training_set(options, inputs);
  setup->options = options.trainer;
  // T_r N as given (an invalid T_r fails as the temperature it gives, in the trainer's words).
  if (options.rescaled_temperature)
    setup->options.temperature = *options.rescaled_temperature * double(setup->training.num_pixels());
  if (std::string why; !setup->options.IsValid(&why)) throw InputError(why);
  setup->data_identity = {{"images", options.synthetic ? "synthetic" : options.images},
                          {"checksum", matrix_checksum(setup->training.images)},
                          {"labels", setup->training.labels}};
  return setup;
}

void check_grid_not_given(const sweep::Grid& grid, const std::vector<std::string>& given) {
  for (const auto& axis : grid.axes()) {
    std::string flag = "--" + axis.name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    if (axis.name == "noise") flag = "--noise";
    const bool temperature = axis.name == "T" || axis.name == "Tr";
    for (const auto& g : given)
      if (g == flag || (temperature && (g == "--T" || g == "--Tr")))
        throw InputError(fmt::format("--grid {}: {} is also given after --; give it in one place", axis.name, g));
  }
}

std::string matrix_checksum(const Eigen::MatrixXd& matrix) {
  std::uint64_t hash = 1469598103934665603ull;
  const auto* bytes = reinterpret_cast<const unsigned char*>(matrix.data());
  for (std::size_t i = 0; i < std::size_t(matrix.size()) * sizeof(double); ++i) {
    hash ^= bytes[i];
    hash *= 1099511628211ull;
  }
  return fmt::format("{}x{}:{:016x}", matrix.rows(), matrix.cols(), hash);
}

nlohmann::json trainer_options_json(const TrainerOptions& o) {
  return {{"memories", o.memories}, {"n", o.n},          {"m", o.m ? nlohmann::json(*o.m) : nlohmann::json("n")},
          {"T", o.temperature},     {"rate", o.rate},    {"momentum", o.momentum},
          {"epochs", o.epochs},     {"minibatch", o.minibatch}, {"init_mean", o.init_mean},
          {"init_std", o.init_std}, {"seed", o.seed},    {"bound", ToString(o.bound)},
          {"noise", o.noise_std}};
}

}  // namespace waddington::compare
