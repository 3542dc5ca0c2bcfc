#pragma once
// What the experiments share (not part of the public interface): the training
// data and base trainer options, the grid with the user's overrides, a
// training task that measures each trained cell, the finished cells read back,
// and CSV writing.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compare/training_cell.hpp"
#include "experiments/experiment.hpp"

namespace waddington::experiments::detail {

// The training set and base options of an experiment: the paper200 images (or
// options.images) restricted to `digits` ("" = all) and `per_class` samples
// each (0 = all), the base trainer options with options.epochs applied.
std::shared_ptr<compare::TrainingSetup> training_setup(const ExperimentOptions& options, const std::string& digits,
                                                       int per_class, TrainerOptions trainer);

// The default axes ("NAME=SPEC") with options.grid replacing or adding axes
// and options.seeds, when given, as the axis `seed`.
sweep::Grid experiment_grid(const std::vector<std::string>& defaults, const ExperimentOptions& options);

// The settings run.json records: trainer options before grid values, data
// identity, grid, and `extra`.
nlohmann::json plan_settings(const compare::TrainingSetup& setup, const sweep::Grid& grid, nlohmann::json extra);

// Measures one trained cell: result name -> value.
using Measure = std::function<std::map<std::string, double>(const compare::TrainedCell&, const TrainerOptions&)>;

// A sweep task training each cell (compare::train_cell, no files kept) and
// reporting `measure`'s values under `results`. A cell whose training did not
// complete is failed.
sweep::Task measuring_task(const std::string& name, std::shared_ptr<const compare::TrainingSetup> setup,
                           std::vector<std::string> results, nlohmann::json config, Measure measure);

// One finished (ok) cell: its parameters and results by name.
struct CellRow {
  std::size_t id = 0;
  std::map<std::string, double> parameters, values;
  double parameter(const std::string& name) const;
  double value(const std::string& name) const;
};
// The ok cells of a finished sweep; failed and pending ones are counted in `warnings`.
std::vector<CellRow> finished_cells(const sweep::Grid& grid, const sweep::Task& task, const sweep::SweepSummary& summary,
                                    std::vector<std::string>* warnings);

// Writes a CSV (header + rows, already formatted) atomically into out/name; returns name.
std::string write_csv(const std::filesystem::path& out, const std::string& name, const std::string& header,
                      const std::vector<std::string>& rows);

// A number as a CSV field: shortest round-trip form, empty for NaN.
std::string field(double value);

// Memories per digit: a memory belongs to the digit of its largest label when
// that label is positive; entry C (the last) counts the memories with no
// positive label (all labels at -1 at a saddle would otherwise all go to digit 0).
std::vector<int> memories_by_label(const Eigen::MatrixXd& labels);

// Distinct values of a parameter among the rows, ascending.
std::vector<double> distinct(const std::vector<CellRow>& rows, const std::string& parameter);

}  // namespace waddington::experiments::detail
