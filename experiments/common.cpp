#include "experiments/common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "lib/atomic_file.hpp"
#include "lib/data_dir.hpp"
#include "lib/errors.hpp"

namespace waddington::experiments::detail {
namespace fs = std::filesystem;

std::shared_ptr<compare::TrainingSetup> training_setup(const ExperimentOptions& options, const std::string& digits,
                                                       int per_class, TrainerOptions trainer) {
  TrainingRunOptions run;
  run.images = options.images.empty() ? (fs::path(data_dir()) / "paper200" / "paper200_images.npy").string()
                                      : options.images;
  run.labels = options.labels.empty() ? "blocks:20" : options.labels;
  if (options.images.empty() && !fs::exists(run.images))
    throw EnvironmentError(fmt::format("the paper200 images are not at '{}' (set WADDINGTON_DATA or give --images)",
                                       run.images));
  run.digits = digits;
  run.per_class = per_class;
  if (options.epochs > 0) trainer.epochs = options.epochs;
  run.trainer = trainer;
  std::vector<InputFile> inputs;
  return compare::sweep_training_setup(run, &inputs);
}

sweep::Grid experiment_grid(const std::vector<std::string>& defaults, const ExperimentOptions& options) {
  std::vector<sweep::Axis> axes;
  for (const auto& text : defaults) axes.push_back(sweep::parse_axis(text));
  auto put = [&](sweep::Axis axis) {
    for (auto& a : axes)
      if (a.name == axis.name || ((a.name == "T" || a.name == "Tr") && (axis.name == "T" || axis.name == "Tr"))) {
        a = std::move(axis);
        return;
      }
    axes.push_back(std::move(axis));
  };
  for (const auto& text : options.grid) put(sweep::parse_axis(text));
  if (!options.seeds.empty()) {
    std::string list;
    for (int s : options.seeds) list += (list.empty() ? "" : ",") + std::to_string(s);
    put(sweep::parse_axis("seed=" + list));
  }
  return sweep::Grid(std::move(axes));
}

nlohmann::json plan_settings(const compare::TrainingSetup& setup, const sweep::Grid& grid, nlohmann::json extra) {
  nlohmann::json data = setup.data_identity;
  data.erase("labels");
  data["samples"] = setup.training.num_samples();
  data["class_counts"] = setup.training.class_counts();
  data["source_rows"] = setup.training.source_rows;
  return {{"trainer", compare::trainer_options_json(setup.options)},
          {"data", data},
          {"grid", grid.ToJson()},
          {"grid_description", grid.Describe()},
          {"experiment", std::move(extra)}};
}

sweep::Task measuring_task(const std::string& name, std::shared_ptr<const compare::TrainingSetup> setup,
                           std::vector<std::string> results, nlohmann::json config, Measure measure) {
  sweep::Task task;
  task.name = name;
  task.config = {{"trainer", compare::trainer_options_json(setup->options)},
                 {"data", setup->data_identity},
                 {"experiment", std::move(config)}};
  task.parameters = compare::trainer_grid_parameters();
  task.results = std::move(results);
  compare::add_model_parameter_columns(task, setup);
  const Eigen::Index pixels = setup->training.num_pixels();
  task.check = [setup, pixels](const std::map<std::string, double>& p) {
    (void)compare::cell_trainer_options(setup->options, p, pixels);
  };
  task.run = [setup, pixels, measure](const sweep::CellContext& cell) {
    const TrainerOptions options = compare::cell_trainer_options(setup->options, cell.parameters, pixels);
    const compare::TrainedCell trained = compare::train_cell(*setup, options, cell);
    sweep::CellResult result;
    if (trained.summary.termination != TrainerTermination::kCompleted) {
      result.status = sweep::CellStatus::kFailed;
      result.message = trained.summary.message;
      return result;
    }
    for (auto& [key, value] : measure(trained, options)) result.values[key] = value;
    return result;
  };
  return task;
}

double CellRow::parameter(const std::string& name) const {
  const auto it = parameters.find(name);
  return it == parameters.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

double CellRow::value(const std::string& name) const {
  const auto it = values.find(name);
  return it == values.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

std::vector<CellRow> finished_cells(const sweep::Grid& grid, const sweep::Task& task, const sweep::SweepSummary& summary,
                                    std::vector<std::string>* warnings) {
  std::vector<CellRow> rows;
  std::size_t failed = 0, pending = 0;
  for (std::size_t id = 0; id < summary.records.size(); ++id) {
    const auto& record = summary.records[id];
    if (record.status != sweep::CellStatus::kOk) {
      (record.status == sweep::CellStatus::kFailed ? failed : pending)++;
      continue;
    }
    CellRow row;
    row.id = id;
    row.parameters = grid.parameters(id);
    for (std::size_t k = 0; k < task.results.size() && k < record.values.size(); ++k)
      row.values[task.results[k]] = record.values[k];
    rows.push_back(std::move(row));
  }
  if (warnings && (failed || pending))
    warnings->push_back(fmt::format("{} failed and {} pending cells are left out of the tables (see sweep/sweep.csv)",
                                    failed, pending));
  return rows;
}

std::string write_csv(const fs::path& out, const std::string& name, const std::string& header,
                      const std::vector<std::string>& rows) {
  std::string text = header + "\n";
  for (const auto& row : rows) text += row + "\n";
  write_file_atomic(out / name, text);
  return name;
}

std::string field(double value) { return std::isnan(value) ? std::string() : sweep::format_value(value); }

std::vector<int> memories_by_label(const Eigen::MatrixXd& labels) {
  std::vector<int> counts(std::size_t(labels.cols()) + 1, 0);
  for (Eigen::Index mu = 0; mu < labels.rows(); ++mu) {
    Eigen::Index best = 0;
    const double top = labels.row(mu).maxCoeff(&best);
    ++counts[top > 0 ? std::size_t(best) : std::size_t(labels.cols())];
  }
  return counts;
}

std::vector<double> distinct(const std::vector<CellRow>& rows, const std::string& parameter) {
  std::set<double> values;
  for (const auto& row : rows) values.insert(row.parameter(parameter));
  return {values.begin(), values.end()};
}

}  // namespace waddington::experiments::detail
