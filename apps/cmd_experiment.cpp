// `waddington experiment NAME --out DIR`: one of the paper's figures as a named
// configuration on the sweep engine (experiments/). Thin: options -> plan ->
// run_sweep (threads, or MPI under mpirun) into DIR/sweep -> the experiment's
// tables, plot and figures -> run.json, through Command like every other
// command (DIR locked, run.json "running" until complete/interrupted). A rerun
// with the same options resumes.
#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "apps/command.hpp"
#include "apps/registry.hpp"
#include "apps/sweep_progress.hpp"
#include "apps/sweep_scheduler.hpp"
#include "apps/vocabulary.hpp"
#include "experiments/experiment.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "sweep/interrupt.hpp"
#include "sweep/store.hpp"

namespace waddington::app {
namespace {

struct ExperimentConfig {
  std::string name, out, seeds, images, labels, scheduler = "auto", format = "table";
  std::vector<std::string> grid;
  int epochs = 0, threads = 0;
  double flush_seconds = 1;
};

void run(const ExperimentConfig& c) {
  // --out locked against a second run, run.json "running" then complete, incomplete
  // or interrupted (apps/command.hpp), as for every other command.
  Command command("experiment", c.out);
  experiments::ExperimentOptions options;
  options.images = c.images;
  options.labels = c.labels;
  options.epochs = c.epochs;
  options.grid = c.grid;
  if (!c.seeds.empty()) options.seeds = parse_int_list(c.seeds, "--seeds");
  const experiments::ExperimentPlan plan = experiments::plan_experiment(c.name, options);
  sweep::check_grid(plan.grid, plan.task);  // bad axes are reported before anything starts
  Eigen::setNbThreads(1);  // every cell single-threaded; the scheduler gives the parallelism
  const auto scheduler = make_sweep_scheduler(c.scheduler, c.threads);
  const std::filesystem::path out = c.out;
  if (scheduler->coordinator()) {  // under MPI only rank 0 owns --out (lock, run.json, tables)
    // Another experiment's cells in --out: refused before anything is written.
    const sweep::ResultStore existing(out / "sweep", plan.grid, plan.task, /*write_spec=*/false);
    command.start();
    command.writing();
    std::fprintf(stderr, "experiment %s: %zu cells (%s) on %d worker(s)\n", c.name.c_str(), plan.grid.size(),
                 plan.grid.Describe().c_str(), scheduler->workers());
  }
  const auto summary = run_sweep_with_progress(c.name, plan.grid, plan.task, *scheduler, (out / "sweep").string(),
                                               flush_seconds_for(*scheduler, c.flush_seconds));
  if (!scheduler->coordinator()) return;  // an MPI rank that only computed
  const nlohmann::json parameters = {{"experiment", c.name}, {"settings", plan.settings}, {"scheduler", scheduler->name()},
                                     {"workers", scheduler->workers()}, {"out", c.out}};
  command.time("sweep_seconds", summary.seconds);
  command.add_output("sweep/sweep.json");
  command.add_output("sweep/sweep.csv");
  if (summary.termination == sweep::SweepTermination::kInterrupted) {
    command.close(parameters, {{"sweep", summary.ToJson()}, {"termination", "interrupted"}, {"complete", false}});
    throw Interrupted(fmt::format("{} cells pending; rerun the same command to resume", summary.pending),
                      sweep::last_interrupt_signal());
  }
  const experiments::ExperimentResult result = plan.finish(summary, out);
  for (const auto& file : result.files) command.add_output(file);
  Command::warn(result.warnings);
  const nlohmann::json summary_json = {{"sweep", summary.ToJson()},
                                       {"termination", ToString(summary.termination)},
                                       {"complete", summary.failed == 0},
                                       {"figures", result.figures},
                                       {"files", result.files},
                                       {"warnings", result.warnings}};
  std::string table, csv;  // --format: the report, the experiment's first table, or the summary
  for (const auto& line : result.report) table += line + "\n";
  table += summary.BriefReport();
  const auto first_csv = std::find_if(result.files.begin(), result.files.end(),
                                      [](const std::string& f) { return f.size() > 4 && f.ends_with(".csv"); });
  if (c.format == "csv" && first_csv != result.files.end()) csv = read_output(c.out, *first_csv);
  print_result(c.format, table, csv, summary_json);
  command.close(parameters, summary_json);
  if (summary.failed > 0)
    throw IncompleteResult(fmt::format("{} of {} cells failed (status 'failed' in {}/sweep/sweep.csv); a rerun retries them",
                                       summary.failed, summary.cells, c.out));
}

const Registrar registrar(55, [](CLI::App& app) {
  auto config = std::make_shared<ExperimentConfig>();
  ExperimentConfig& c = *config;
  std::string names;
  for (const auto& e : experiments::experiment_list()) names += "\n  " + e.name + ": " + e.description;
  auto* cmd = app.add_subcommand("experiment", "Run one of the paper's experiments on the sweep engine (resumable):" + names);
  cmd->add_option("name", c.name, "prototype-metrics, learning-order, near-digit or populations")->required();
  cmd->add_option("--out", c.out, "Directory: the experiment's tables (.csv), plot (.png), run.json, and sweep/ (the cells)")
      ->required();
  cmd->add_option("--seeds", c.seeds, "Seeds of the initial state, e.g. 1:5 or 1,4 (default: the experiment's)");
  cmd->add_option("--epochs", c.epochs, "Epochs of every training run (default: the experiment's, 3000)");
  cmd->add_option("--grid", c.grid,
                  "NAME=LIST or NAME=A:B:STEP replacing the experiment's axis of that name (e.g. n=10:60:10), repeatable");
  cmd->add_option("--images", c.images, "Training images instead of $WADDINGTON_DATA/paper200/paper200_images.npy");
  cmd->add_option("--labels", c.labels, "Labels of --images: a file or blocks:K (default blocks:20)");
  cmd->add_option("--threads", c.threads, "Cells run at once on this machine (0: all cores)")->capture_default_str();
  cmd->add_option("--scheduler", c.scheduler, "auto (MPI under mpirun/srun when built with MPI), threads or mpi")
      ->capture_default_str();
  cmd->add_option("--flush-seconds", c.flush_seconds, "Rewrite sweep/sweep.csv at most this often")->capture_default_str();
  add_format_option(cmd, c.format, "the experiment's first table");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
