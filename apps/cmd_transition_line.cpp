// `waddington transition-line`: the feature-to-prototype line T_r*(n) of
// docs/model.md §3 and, with --verify, the paper's Figure 6 experiment on the sweep
// engine (compare/transition_verify.hpp has the experiment and the switch
// criterion). Thin: options -> load_transition_experiment + transition_grid ->
// analytic_transition (--verify: run_sweep -> measure_transition) -> tables,
// run.json, plot.
#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "apps/command.hpp"
#include "apps/registry.hpp"
#include "apps/sweep_progress.hpp"
#include "apps/transition_plot.hpp"
#include "apps/vocabulary.hpp"
#include "compare/formats.hpp"
#include "compare/transition_samples.hpp"
#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "plots/gnuplot.hpp"
#include "sweep/interrupt.hpp"
#include "sweep/store.hpp"
#include "sweep/sweep.hpp"

namespace waddington::app {
namespace {
namespace fs = std::filesystem;
using reduced::TransitionKind;

struct TransitionConfig {
  std::string images, labels, pair, class_means, kind = "intra", n_list, n_range = "2:40", Tr_range = "0.5:1.5";
  std::string format = "table";
  double Tr_step = 0.02, n_step = 1, m = 0, flush_seconds = 1;
  bool verify = false;
  int threads = 0;
  std::string out, plot, crossing = "last";
  compare::TransitionOptions options;
};

void run(TransitionConfig c, const CLI::App& cmd) {
  Command command("transition-line", c.out, {c.plot});
  TransitionKind kind;
  if (!FromString(c.kind, &kind)) throw InputError(fmt::format("--kind '{}': expected intra or inter", c.kind));
  if (cmd.count("--m") > 0) c.options.m = c.m;
  if (!FromString(c.crossing, &c.options.crossing))
    throw InputError(fmt::format("--crossing '{}': expected last or first", c.crossing));
  command.validate(c.options);
  if (c.verify && c.out.empty()) throw InputError("--verify needs --out DIR (the sweep's cells are kept there)");
  if (!c.plot.empty() && !c.verify) throw InputError("--plot needs --verify (the heat map is of trained cells)");
  if (!c.plot.empty()) plots::terminal_for(c.plot);
  // --n-range A:B with --n-step S (an older A:B:S is still read); the windows are checked as everywhere.
  std::string n_spec = c.n_range;
  if (std::count(n_spec.begin(), n_spec.end(), ':') == 2) {
    if (cmd.count("--n-step") > 0) throw InputError("give the step of n once: --n-range A:B --n-step S");
  } else {
    parse_window(n_spec, "--n-range");
    if (!(c.n_step > 0 && std::isfinite(c.n_step))) throw InputError(fmt::format("--n-step {} must be positive", c.n_step));
    n_spec += ":" + sweep::format_value(c.n_step);
  }
  parse_window(c.Tr_range, "--Tr-range");
  const sweep::Grid grid = compare::transition_grid(c.n_list, n_spec, c.Tr_range, c.Tr_step);
  Eigen::setNbThreads(1);  // every cell single-threaded; the pool gives the parallelism
  const auto scheduler = sweep::make_scheduler({.threads = c.threads});
  std::vector<InputFile> inputs;
  const auto e = std::make_shared<const compare::TransitionExperiment>(
      compare::load_transition_experiment(kind, c.images, c.labels, c.pair, c.class_means, &inputs));
  for (const auto& input : inputs) command.record().add_input_file(input.role, input.path);
  std::optional<sweep::Task> task;
  if (c.verify) {
    task = compare::transition_task(e, c.options);
    const sweep::ResultStore existing(c.out, grid, *task, /*write_spec=*/false);  // another sweep in --out: refused now
  }
  command.start();

  auto summary = compare::analytic_transition(*e, grid.axes()[0].values, c.options);
  nlohmann::json parameters = compare::transition_parameters(*e, grid, c.options);
  parameters["verify"] = c.verify;
  if (c.verify) {
    parameters["task"] = task->config;
    parameters["threads"] = scheduler->workers();
    command.writing();
    const auto swept = run_sweep_with_progress("transition-line", grid, *task, *scheduler, c.out, c.flush_seconds);
    command.record().json()["sweep"] = swept.ToJson();
    command.time("sweep_seconds", swept.seconds);
    command.add_output("sweep.json");
    command.add_output("sweep.csv");
    for (const auto& f : swept.failures) std::fprintf(stderr, "waddington: warning: %s\n", f.c_str());
    if (swept.termination == sweep::SweepTermination::kInterrupted) {
      command.close(parameters, {{"complete", false}, {"termination", "interrupted"}});
      throw Interrupted(fmt::format("{} cells pending; rerun the same command to resume from '{}'", swept.pending, c.out),
                        sweep::last_interrupt_signal());
    }
    summary = compare::measure_transition(*e, summary.rows, grid, *task, swept.records, c.options.threshold,
                                          c.options.crossing);
    command.write("cells.csv", compare::cells_csv(grid, *task, swept.records));
    std::fprintf(stderr, "waddington: %s\n", swept.BriefReport().c_str());
    if (!c.plot.empty())
      command.timed("plot_seconds", [&] {
        plots::plot_transition_map(c.plot, transition_plot_data(*e, summary, grid, *task, swept.records, c.options.m));
      });
  }
  print_result(c.format, summary.BriefReport() + "\n" + compare::transition_table(summary), compare::transition_csv(summary),
               summary.ToJson());
  command.write("transition.csv", compare::transition_csv(summary));
  command.close(parameters, summary.ToJson());
}

const Registrar registrar(45, [](CLI::App& app) {
  auto config = std::make_shared<TransitionConfig>();
  TransitionConfig& c = *config;
  compare::TransitionOptions& o = c.options;
  auto* cmd = app.add_subcommand("transition-line",
                                 "Feature-to-prototype line T_r*(n) (docs/model.md §3); --verify trains the paper's Figure 6 "
                                 "grid and measures where the memory switches");
  cmd->add_option("--images", c.images, "Images (.npy or IDX) holding the two samples")->required();
  cmd->add_option("--labels", c.labels, "Labels (file or blocks:K); needed by --class-means, checks the classes of --pair");
  cmd->add_option("--pair", c.pair, "Rows I,J of --images: two samples of one class (intra) or of two classes (inter)");
  cmd->add_option("--class-means", c.class_means, "Inter-digit on the means of classes a,b (as the paper's Figure 6)");
  cmd->add_option("--kind", c.kind, "intra: one memory, one class; inter: two memories, two classes")->capture_default_str();
  cmd->add_option("--n-list", c.n_list, "Values of n, e.g. 2,5,10,20 (instead of --n-range)");
  cmd->add_option("--n-range", c.n_range, "Window A:B of n (values A, A+S, ... up to B, S = --n-step)")->capture_default_str();
  cmd->add_option("--n-step", c.n_step, "Step S of the n values in --n-range")->capture_default_str();
  cmd->add_option("--Tr-range", c.Tr_range, "Window A:B of T_r = T/N (verify grid)")->capture_default_str();
  cmd->add_option("--Tr-step", c.Tr_step, "Step of the T_r values in --Tr-range")->capture_default_str();
  add_format_option(cmd, c.format, "transition.csv");
  cmd->add_option("--m", c.m, "Cost power m (default: m = n, for the line and the trainer)");
  cmd->add_flag("--verify", c.verify, "Train every (n, T_r) cell with the full trainer (sweep engine, resumable in --out)");
  cmd->add_option("--epochs", o.epochs, "Epochs per cell")->capture_default_str();
  cmd->add_option("--rate", o.rate, "Learning rate (the published Figure 6 code uses 0.001)")->capture_default_str();
  cmd->add_option("--momentum", o.momentum, "Momentum")->capture_default_str();
  cmd->add_option("--init-mean", o.init_mean, "Mean of the Gaussian start (intra)")->capture_default_str();
  cmd->add_option("--init-std", o.init_std, "Standard deviation of the Gaussian start (intra)")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of the Gaussian start (intra)")->capture_default_str();
  cmd->add_option("--threshold", o.threshold,
                  "Switch criterion: at each n the switch T_r is where the dominant alpha (a memory's larger "
                  "coefficient in alpha = M X^+) crosses this value going up in T_r, linearly interpolated between "
                  "the two grid cells around the crossing; deviation = Tr_switch - Tr*")
      ->capture_default_str();
  cmd->add_option("--crossing", c.crossing,
                  "Which crossing: last = the lowest T_r from which the memory stays a prototype up to the top of the "
                  "window (no switch if the top cell is below the threshold); first = the lowest T_r where the "
                  "threshold is reached (no switch if already reached at the lowest T_r). They differ where a scan "
                  "crosses twice (low T_r, large n: training freezes in a lopsided mixture when the cost underflows)")
      ->capture_default_str();
  cmd->add_option("--threads", c.threads, "Cells trained at once, each single-threaded (0: all cores)")->capture_default_str();
  cmd->add_option("--flush-seconds", c.flush_seconds, "Rewrite sweep.csv at most this often")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory: transition.csv, cells.csv, sweep.json/sweep.csv, cells/<id>/, run.json");
  cmd->add_option("--plot", c.plot, "Heat map of the dominant alpha over (n, T_r) with the analytic line (.png/.svg/.pdf)");
  cmd->callback([config, cmd] { run(*config, *cmd); });
});

}  // namespace
}  // namespace waddington::app
