// `waddington sweep`: the full trainer on every cell of a parameter grid, on
// the sweep engine (sweep/): sweep.json, sweep.csv, cells/<id>/ and run.json
// in --out; a rerun with the same --out resumes. Thin: options -> grid +
// training task (compare/training_cell) -> run_sweep -> report.
#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "apps/registry.hpp"
#include "apps/run_record.hpp"
#include "apps/sweep_progress.hpp"
#include "compare/training_cell.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/synthetic.hpp"
#include "sweep/interrupt.hpp"
#include "sweep/sweep.hpp"

namespace waddington::app {
namespace {

struct SweepConfig {
  std::vector<std::string> grid, train_args;
  int threads = 0;
  double flush_seconds = 1;
  std::string out;
};

// The training options after `--` (a subset of `waddington train`'s).
struct TrainArgs {
  std::string images, labels, digits, sample = "first", bound = "normalize";
  bool synthetic = false;
  int per_class = 0;
  std::uint64_t sample_seed = 1;
  double T = 670, Tr = 0, m = 0;
  TrainerOptions options;
};

// Parses the arguments after `--`; `given` gets the flags that were present.
TrainArgs parse_train_args(const std::vector<std::string>& args, std::vector<std::string>* given) {
  TrainArgs a;
  TrainerOptions& o = a.options;
  CLI::App p{"training options of a sweep"};
  p.set_help_flag();
  p.add_option("--images", a.images);
  p.add_option("--labels", a.labels);
  p.add_option("--digits", a.digits);
  p.add_option("--per-class", a.per_class);
  p.add_option("--sample", a.sample);
  p.add_option("--sample-seed", a.sample_seed);
  p.add_flag("--synthetic", a.synthetic);
  p.add_option("--memories", o.memories);
  p.add_option("--n", o.n);
  p.add_option("--m", a.m);
  p.add_option("--T", a.T);
  p.add_option("--Tr", a.Tr);
  p.add_option("--rate", o.rate);
  p.add_option("--momentum", o.momentum);
  p.add_option("--epochs", o.epochs);
  p.add_option("--minibatch", o.minibatch);
  p.add_option("--init-mean", o.init_mean);
  p.add_option("--init-std", o.init_std);
  p.add_option("--seed", o.seed);
  p.add_option("--bound", a.bound);
  p.add_option("--noise", o.noise_std);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  p.parse(reversed);
  for (const auto* option : p.get_options())
    if (option->count() > 0) given->push_back(option->get_name());
  if (std::count(given->begin(), given->end(), "--m")) o.m = a.m;
  if (!FromString(a.bound, &o.bound)) throw InputError(fmt::format("--bound '{}': expected normalize or clip", a.bound));
  return a;
}

Dataset training_data(const TrainArgs& a, RunRecord& record) {
  if (a.synthetic == !a.images.empty()) throw InputError("after --, give exactly one of --images FILE or --synthetic");
  SelectionOptions selection;
  if (!a.digits.empty()) selection.digits = parse_int_list(a.digits, "--digits");
  selection.per_class = a.per_class;
  if (a.sample != "first" && a.sample != "random") throw InputError(fmt::format("--sample '{}': expected first or random", a.sample));
  selection.random_sample = a.sample == "random";
  selection.seed = a.sample_seed;
  if (std::string why; !selection.IsValid(&why)) throw InputError(why);
  if (a.synthetic) {
    SyntheticDigitsOptions synthetic;
    synthetic.per_class = a.per_class > 0 ? a.per_class : 20;
    synthetic.seed = a.options.seed;
    const Dataset all = synthetic_digits(synthetic);
    selection.per_class = 0;
    return select_samples(all.images, all.labels, selection);
  }
  if (a.labels.empty()) throw InputError("--labels FILE|blocks:K is required with --images");
  const Eigen::MatrixXd pixels = load_images(a.images);
  const std::vector<int> classes = load_labels(a.labels, pixels.rows());
  record.add_input_file("images", a.images);
  if (a.labels.rfind("blocks:", 0) != 0) record.add_input_file("labels", a.labels);
  return select_samples(pixels, classes, selection);
}

// A grid parameter may not also be fixed after `--`.
void check_no_overlap(const sweep::Grid& grid, const std::vector<std::string>& given) {
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

void run(const SweepConfig& c) {
  RunRecord record("sweep", CommandLine::argc(), CommandLine::argv());
  std::vector<std::string> given;
  TrainArgs args = parse_train_args(c.train_args, &given);
  const sweep::Grid grid = sweep::Grid::Parse(c.grid);
  check_no_overlap(grid, given);
  Eigen::setNbThreads(1);  // every cell single-threaded; the pool gives the parallelism
  const auto scheduler = sweep::make_scheduler({.threads = c.threads});

  auto setup = std::make_shared<compare::TrainingSetup>();
  setup->training = training_data(args, record);
  const bool use_Tr = std::count(given.begin(), given.end(), "--Tr") > 0;
  if (use_Tr && std::count(given.begin(), given.end(), "--T")) throw InputError("give --T or --Tr, not both");
  args.options.temperature = use_Tr ? args.Tr * double(setup->training.num_pixels()) : args.T;
  if (std::string why; !args.options.IsValid(&why)) throw InputError(why);
  setup->options = args.options;
  setup->data_identity = {{"images", args.synthetic ? "synthetic" : args.images},
                          {"checksum", compare::matrix_checksum(setup->training.images)},
                          {"labels", setup->training.labels}};
  const sweep::Task task = compare::training_task(setup);

  sweep::InterruptGuard interrupt;
  SweepProgress progress("sweep");
  sweep::SweepOptions options;
  options.out = c.out;
  options.flush_seconds = c.flush_seconds;
  options.stop = &interrupt.flag();
  options.on_progress = [&](const sweep::Progress& p) { progress.update(p); };
  const sweep::SweepSummary summary = sweep::run_sweep(grid, task, *scheduler, options);
  progress.finish();

  fmt::print("{}\n", summary.BriefReport());
  for (const auto& f : summary.failures) std::fprintf(stderr, "waddington: warning: %s\n", f.c_str());
  record.parameters() = {{"grid", grid.ToJson()}, {"task", task.config}, {"threads", scheduler->workers()},
                         {"num_samples", setup->training.num_samples()}, {"out", c.out}};
  record.summary() = summary.ToJson();
  record.time("sweep_seconds", summary.seconds);
  record.write(c.out);
  if (summary.termination == sweep::SweepTermination::kInterrupted)
    throw Interrupted(fmt::format("{} cells pending; '{}' holds a consistent sweep.csv, rerun the same command to resume",
                                  summary.pending, c.out));
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
