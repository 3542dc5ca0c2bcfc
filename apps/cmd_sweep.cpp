// `waddington sweep`: the full trainer on every cell of a parameter grid, on
// the sweep engine (sweep/): sweep.json, sweep.csv, cells/<id>/ and run.json
// in --out; a rerun with the same --out resumes. Thin: options -> grid +
// training task (compare/training_cell) -> run_sweep -> report.
#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "apps/command.hpp"
#include "apps/registry.hpp"
#include "apps/sweep_progress.hpp"
#include "apps/sweep_scheduler.hpp"
#include "apps/vocabulary.hpp"
#include "compare/training_cell.hpp"
#include "lib/errors.hpp"
#include "lib/training_run.hpp"
#include "sweep/interrupt.hpp"
#include "sweep/store.hpp"
#include "sweep/sweep.hpp"

namespace waddington::app {
namespace {

struct SweepConfig {
  std::vector<std::string> grid, train_args;
  int threads = 0;
  double flush_seconds = 1;
  std::string out, scheduler = "auto", format = "table";
};

// Parses the training options after `--` (a subset of `waddington train`'s);
// `given` gets the flags that were present.
TrainingRunOptions parse_train_args(const std::vector<std::string>& args, std::vector<std::string>* given) {
  TrainingRunOptions r;
  TrainerOptions& o = r.trainer;
  std::string sample = "first", bound = "normalize";
  double Tr = 0, m = 0;
  CLI::App p{"training options of a sweep"};
  p.set_help_flag();
  p.add_option("--images", r.images);
  p.add_option("--labels", r.labels);
  p.add_option("--digits", r.digits);
  p.add_option("--per-class", r.per_class);
  p.add_option("--sample", sample);
  p.add_option("--sample-seed", r.sample_seed);
  p.add_flag("--synthetic", r.synthetic);
  p.add_option("--memories", o.memories);
  p.add_option("--n", o.n);
  p.add_option("--m", m);
  p.add_option("--T", o.temperature);
  p.add_option("--Tr", Tr);
  p.add_option("--rate", o.rate);
  p.add_option("--momentum", o.momentum);
  p.add_option("--epochs", o.epochs);
  p.add_option("--minibatch", o.minibatch);
  p.add_option("--init-mean", o.init_mean);
  p.add_option("--init-std", o.init_std);
  p.add_option("--seed", o.seed);
  p.add_option("--bound", bound);
  p.add_option("--noise", o.noise_std);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  p.parse(reversed);
  for (const auto* option : p.get_options())
    if (option->count() > 0) given->push_back(option->get_name());
  const auto has = [&](const char* flag) { return std::count(given->begin(), given->end(), flag) > 0; };
  if (has("--m")) o.m = m;
  if (has("--Tr")) r.rescaled_temperature = Tr;
  if (!FromString(bound, &o.bound)) throw InputError(fmt::format("--bound '{}': expected normalize or clip", bound));
  if (sample != "first" && sample != "random") throw InputError(fmt::format("--sample '{}': expected first or random", sample));
  r.random_sample = sample == "random";
  if (has("--Tr") && has("--T")) throw InputError("give --T or --Tr, not both");
  return r;
}

void run(const SweepConfig& c) {
  Command command("sweep", c.out);
  std::vector<std::string> given;
  const TrainingRunOptions args = parse_train_args(c.train_args, &given);
  const sweep::Grid grid = sweep::Grid::Parse(c.grid);
  compare::check_grid_not_given(grid, given);
  Eigen::setNbThreads(1);  // every cell single-threaded; the pool gives the parallelism
  const auto scheduler = make_sweep_scheduler(c.scheduler, c.threads);
  std::vector<InputFile> inputs;
  const auto setup = compare::sweep_training_setup(args, &inputs);
  for (const auto& input : inputs) command.record().add_input_file(input.role, input.path);
  const sweep::Task task = compare::training_task(setup);
  if (scheduler->coordinator()) {  // under MPI only rank 0 owns --out (lock, run.json, sweep.csv)
    const sweep::ResultStore existing(c.out, grid, task, /*write_spec=*/false);  // a different sweep in --out: refused before anything is written
    command.start();
    command.writing();
  }
  const auto summary =
      run_sweep_with_progress("sweep", grid, task, *scheduler, c.out, flush_seconds_for(*scheduler, c.flush_seconds));
  if (!scheduler->coordinator()) return;  // an MPI rank that only computed: rank 0 reports and writes

  print_result(c.format, summary.BriefReport(), c.format == "csv" ? read_output(c.out, "sweep.csv") : "", summary.ToJson());
  for (const auto& f : summary.failures) std::fprintf(stderr, "waddington: warning: %s\n", f.c_str());
  command.add_output("sweep.json");
  command.add_output("sweep.csv");
  command.time("sweep_seconds", summary.seconds);
  nlohmann::json result = summary.ToJson();
  result["complete"] = summary.termination == sweep::SweepTermination::kCompleted && summary.failed == 0;
  command.close({{"grid", grid.ToJson()}, {"task", task.config}, {"scheduler", scheduler->name()}, {"threads", scheduler->workers()},
                 {"num_samples", setup->training.num_samples()}, {"out", c.out}},
                result);
  if (summary.termination == sweep::SweepTermination::kInterrupted)
    throw Interrupted(fmt::format("{} cells pending; '{}' holds a consistent sweep.csv, rerun the same command to resume",
                                  summary.pending, c.out),
                      sweep::last_interrupt_signal());
  if (summary.failed > 0)
    throw IncompleteResult(fmt::format("{} of {} cells failed (status 'failed' in sweep.csv); a rerun retries them",
                                       summary.failed, summary.cells));
}

const Registrar registrar(50, [](CLI::App& app) {
  auto config = std::make_shared<SweepConfig>();
  SweepConfig& c = *config;
  auto* cmd = app.add_subcommand(
      "sweep", "Train the full network on every cell of a parameter grid (resumable): waddington sweep --grid "
               "n=1:60:1 --grid Tr=0.5:1.5:0.05 --out DIR -- --images FILE --labels blocks:20 ...");
  cmd->add_option("--grid", c.grid,
                  "NAME=LIST or NAME=A:B:STEP (inclusive), repeatable; names: n m T Tr rate momentum epochs memories "
                  "seed init_mean init_std noise minibatch. Cells are the Cartesian product, the first --grid slowest")
      ->required();
  cmd->add_option("--threads", c.threads, "Cells run at once, each single-threaded (0: all cores)")->capture_default_str();
  cmd->add_option("--out", c.out,
                  "Directory: sweep.json (spec), sweep.csv (one row per cell), cells/<id>/ (memories.npy, labels.npy, "
                  "alpha.npy), run.json. Rerunning into it resumes; a different spec is refused")
      ->required();
  cmd->add_option("--scheduler", c.scheduler,
                  "auto (MPI when started by mpirun/srun and built with MPI, else threads), threads, or mpi: "
                  "`mpirun -np P waddington sweep ...` runs one cell at a time on each of the P ranks, rank 0 "
                  "writes sweep.csv (after every cell); --out must be on a file system every rank sees")
      ->capture_default_str();
  add_format_option(cmd, c.format, "sweep.csv");
  cmd->add_option("--flush-seconds", c.flush_seconds, "Rewrite sweep.csv at most this often (and at the end)")
      ->capture_default_str();
  cmd->add_option("train_options", c.train_args,
                  "After --: training options as for `waddington train` (--images --labels --digits --per-class "
                  "--sample --sample-seed --synthetic --memories --n --m --T|--Tr --rate --momentum --epochs "
                  "--minibatch --init-mean --init-std --seed --bound --noise); a --grid parameter may not repeat here");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
