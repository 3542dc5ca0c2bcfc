#pragma once
// Named experiments: the paper's figures as documented configurations on the
// sweep engine. An experiment is planned (its grid, its sweep task and the
// exact trainer settings) from a few overrides, run by the caller on any
// scheduler (threads or MPI) into OUT/sweep/, then finished: its table(s) and
// plot written to OUT and its figures returned as data.
//
//   ExperimentPlan plan = plan_experiment("learning-order", {.seeds = {1, 2}});
//   SweepSummary s = run_sweep(plan.grid, plan.task, pool, {.out = out / "sweep"});
//   ExperimentResult r = plan.finish(s, out);
//
// The experiments (experiments/<name>.cpp, each documented there and in the README):
//   prototype-metrics  Figure 2A: mean max alpha and samples needed against n at T_r 0.6, 0.9, 1.2
//   learning-order     the order digits are learnt at n = 30 (T = 670) and n = 3 over seeds; Kendall's tau
//   near-digit         Figure 7: memories started near a 1, 7 or 9; saddle and final proportions against n
//   populations        Figure 8: final memories per digit against T_r at n = 25; where each digit disappears
// Knows nothing of the command line; never prints.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sweep/grid.hpp"
#include "sweep/sweep.hpp"
#include "sweep/task.hpp"

namespace waddington::experiments {

struct ExperimentOptions {
  // Training images (.npy/IDX); empty: $WADDINGTON_DATA/paper200/paper200_images.npy
  // (labels then "blocks:20"). `labels` as for `waddington train` (empty: blocks:20).
  std::string images, labels;
  // Seeds of the trainer's initial state (the grid axis `seed`); empty: the experiment's default.
  std::vector<int> seeds;
  // Epochs of every training run; 0: the experiment's default.
  int epochs = 0;
  // NAME=SPEC axes (sweep/grid.hpp) replacing the default axis of that name
  // (or added, when the task knows the parameter), e.g. "n=10:60:10" for a cheap run.
  std::vector<std::string> grid;
  bool IsValid(std::string* why) const;
};

// What an experiment reports: its figures (also run.json's summary) and a
// few lines for a terminal.
struct ExperimentResult {
  nlohmann::json figures = nlohmann::json::object();
  std::vector<std::string> report;     // lines
  std::vector<std::string> files;      // written into OUT (names)
  std::vector<std::string> warnings;   // e.g. cells that failed
};

struct ExperimentPlan {
  std::string name;
  sweep::Grid grid;
  sweep::Task task;
  // The exact settings: trainer options (before grid values), data, grid and
  // the experiment's own constants. Goes to run.json.
  nlohmann::json settings;
  // Writes the experiment's tables and plot into `out` from the finished sweep
  // (pending or failed cells are left out and named in warnings).
  std::function<ExperimentResult(const sweep::SweepSummary&, const std::filesystem::path& out)> finish;
};

struct ExperimentInfo {
  std::string name, description;
};
// The experiments by name, in a fixed order.
const std::vector<ExperimentInfo>& experiment_list();

// Throws InputError for an unknown name or bad options (unknown grid axis,
// no data, a non-positive epoch count).
ExperimentPlan plan_experiment(const std::string& name, const ExperimentOptions& options);

}  // namespace waddington::experiments
