// `waddington transition-line`: the feature-to-prototype line T_r*(n) of
// MODEL.md 3 and, with --verify, the paper's Figure 6 experiment on the sweep
// engine (compare/transition_verify.hpp has the experiment and the switch
// criterion). Thin: options -> TransitionExperiment + grid -> run_sweep ->
// measure_transition -> tables, run.json, plot.
#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "apps/registry.hpp"
#include "apps/run_record.hpp"
#include "apps/sweep_progress.hpp"
#include "compare/transition_samples.hpp"
#include "compare/transition_verify.hpp"
#include "lib/atomic_file.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "plots/gnuplot.hpp"
#include "plots/transition_map.hpp"
#include "sweep/interrupt.hpp"
#include "sweep/sweep.hpp"

namespace waddington::app {
namespace {
namespace fs = std::filesystem;
using reduced::TransitionKind;

struct TransitionConfig {
  std::string images, labels, pair, class_means, kind = "intra", n_list, n_range = "2:40:1", Tr_range = "0.5:1.5";
  double Tr_step = 0.02, m = 0, flush_seconds = 1;
  bool verify = false;
  int threads = 0;
  std::string out, plot, crossing = "last";
  compare::TransitionOptions options;
};

compare::TransitionExperiment experiment(const TransitionConfig& c, TransitionKind kind, RunRecord& record) {
  const Eigen::MatrixXd images = load_images(c.images);
  record.add_input_file("images", c.images);
  std::vector<int> labels;
  if (!c.labels.empty()) labels = load_labels(c.labels, images.rows());
  if (!c.labels.empty() && c.labels.rfind("blocks:", 0) != 0) record.add_input_file("labels", c.labels);
  const auto list = [](const std::string& text, const char* option) {
    return text.empty() ? std::vector<int>{} : parse_int_list(text, option);
  };
  return compare::select_transition_samples(kind, images, labels, list(c.pair, "--pair"),
                                            list(c.class_means, "--class-means"), c.images);
}

sweep::Grid transition_grid(const TransitionConfig& c) {
  if (!c.n_list.empty() && c.n_list.find(':') != std::string::npos)
    throw InputError("--n-list takes a list a,b,c; use --n-range A:B:S");
  return compare::transition_grid(c.n_list.empty() ? c.n_range : c.n_list, c.Tr_range, c.Tr_step);
}

plots::TransitionPlotData plot_data(const compare::TransitionExperiment& e, const compare::TransitionSummary& s,
                                    const sweep::Grid& grid, const sweep::Task& task,
                                    const std::vector<sweep::CellRecord>& records, std::optional<double> m) {
  const auto& n_values = grid.axes()[0].values;
  const double n_lo = *std::min_element(n_values.begin(), n_values.end());
  const double n_hi = *std::max_element(n_values.begin(), n_values.end());
  std::vector<double> fine;
  for (int k = 0; k <= 400; ++k) fine.push_back(n_lo + (n_hi - n_lo) * k / 400.0);
  const auto line = reduced::transition_line(e.kind, e.AA(), e.AB(), e.BB(), fine, int(e.samples.cols()), m);
  plots::TransitionPlotData d;
  d.title = fmt::format("feature-to-prototype transition ({}-digit), {}", reduced::ToString(e.kind), e.description);
  d.threshold = s.threshold;
  for (int mu = 1; mu <= e.num_memories(); ++mu) {
    plots::TransitionPanel panel;
    panel.title = e.kind == TransitionKind::kInter ? fmt::format("memory {} (class {})", mu, e.classes[mu - 1])
                                                   : fmt::format("one memory (class {})", e.classes[0]);
    const std::string column = compare::dominant_column(e.kind, mu);
    const auto at = std::size_t(std::find(task.results.begin(), task.results.end(), column) - task.results.begin());
    for (std::size_t id = 0; id < grid.size(); ++id) {
      const auto cell = grid.cell(id);
      const bool ok = records[id].status == sweep::CellStatus::kOk;
      panel.cells.push_back({cell.values[0], cell.values[1], ok ? records[id].values[at] : std::nan("")});
    }
    for (const auto& p : line)
      if (p.memory == mu) panel.line.emplace_back(p.n, p.Tr_star);
    for (const auto& r : s.rows) {
      if (r.memory != mu) continue;
      if (r.Tr_switch) panel.switches.emplace_back(r.n, *r.Tr_switch);
      if (r.Tr_minor_zero) panel.zeros.emplace_back(r.n, *r.Tr_minor_zero);
    }
    panel.zeros_title = fmt::format("minor alpha = 0 ({})", compare::minor_column(mu));
    d.panels.push_back(std::move(panel));
  }
  return d;
}

std::string table(const compare::TransitionSummary& s) {
  const bool inter = s.kind == TransitionKind::kInter;
  auto value = [](const std::optional<double>& x, const char* format) {
    return x ? fmt::format(fmt::runtime(format), *x) : std::string("-");
  };
  std::string t = fmt::format("{:>8} {:>6} {:>10} {:>10} {:>10} {:>10}", "n", "memory", "T_star", "Tr_star", "Tr_switch",
                              "deviation");
  t += inter ? fmt::format(" {:>13} {:>15}", "Tr_minor_zero", "minor_deviation") : "";
  t += "  note\n";
  for (const auto& r : s.rows) {
    t += fmt::format("{:>8} {:>6} {:>10.3f} {:>10.5f} {:>10} {:>10}", sweep::format_value(r.n), r.memory, r.T_star,
                     r.Tr_star, value(r.Tr_switch, "{:.5f}"), value(r.deviation, "{:+.5f}"));
    if (inter) t += fmt::format(" {:>13} {:>15}", value(r.Tr_minor_zero, "{:.5f}"), value(r.minor_deviation, "{:+.5f}"));
    t += "  " + r.note + "\n";
  }
  return t;
}

void run(TransitionConfig c, const CLI::App& cmd) {
  RunRecord record("transition-line", CommandLine::argc(), CommandLine::argv());
  TransitionKind kind;
  if (!FromString(c.kind, &kind)) throw InputError(fmt::format("--kind '{}': expected intra or inter", c.kind));
  if (cmd.count("--m") > 0) c.options.m = c.m;
  if (!FromString(c.crossing, &c.options.crossing))
    throw InputError(fmt::format("--crossing '{}': expected last or first", c.crossing));
  if (std::string why; !c.options.IsValid(&why)) throw InputError(why);
  if (c.verify && c.out.empty()) throw InputError("--verify needs --out DIR (the sweep's cells are kept there)");
  if (!c.plot.empty() && !c.verify) throw InputError("--plot needs --verify (the heat map is of trained cells)");
  if (!c.plot.empty()) plots::terminal_for(c.plot);
  const sweep::Grid grid = transition_grid(c);
  Eigen::setNbThreads(1);  // every cell single-threaded; the pool gives the parallelism
  const auto scheduler = sweep::make_scheduler({.threads = c.threads});
  const auto e = std::make_shared<const compare::TransitionExperiment>(experiment(c, kind, record));
  if (!c.out.empty()) ensure_writable_directory(c.out);

  auto rows = compare::analytic_rows(*e, grid.axes()[0].values, c.options.m);
  compare::TransitionSummary summary;
  summary.kind = kind, summary.threshold = c.options.threshold, summary.crossing = c.options.crossing;
  summary.rows = rows;
  record.parameters() = {{"kind", c.kind}, {"samples", e->description}, {"classes", e->classes}, {"AA", e->AA()},
                         {"AB", e->AB()}, {"BB", e->BB()}, {"N", e->samples.cols()}, {"grid", grid.ToJson()},
                         {"verify", c.verify}, {"threshold", c.options.threshold}, {"crossing", c.crossing},
                         {"m", c.options.m ? nlohmann::json(*c.options.m) : nlohmann::json("n")}};
  if (c.verify) {
    const sweep::Task task = compare::transition_task(e, c.options);
    record.parameters()["task"] = task.config;
    record.parameters()["threads"] = scheduler->workers();
    sweep::InterruptGuard interrupt;
    SweepProgress progress("transition-line");
    sweep::SweepOptions options;
    options.out = c.out;
    options.flush_seconds = c.flush_seconds;
    options.stop = &interrupt.flag();
    options.on_progress = [&](const sweep::Progress& p) { progress.update(p); };
    const auto swept = sweep::run_sweep(grid, task, *scheduler, options);
    progress.finish();
    record.json()["sweep"] = swept.ToJson();
    record.time("sweep_seconds", swept.seconds);
    for (const auto& f : swept.failures) std::fprintf(stderr, "waddington: warning: %s\n", f.c_str());
    if (swept.termination == sweep::SweepTermination::kInterrupted) {
      record.write(c.out);
      throw Interrupted(fmt::format("{} cells pending; rerun the same command to resume from '{}'", swept.pending, c.out));
    }
    summary = compare::measure_transition(*e, rows, grid, task, swept.records, c.options.threshold,
                                          c.options.crossing);
    write_file_atomic(fs::path(c.out) / "cells.csv", compare::cells_csv(grid, task, swept.records));
    fmt::print("{}\n", swept.BriefReport());
    if (!c.plot.empty()) plots::plot_transition_map(c.plot, plot_data(*e, summary, grid, task, swept.records, c.options.m));
  }
  fmt::print("{}\n{}", summary.BriefReport(), table(summary));
  if (!c.out.empty()) {
    write_file_atomic(fs::path(c.out) / "transition.csv", compare::transition_csv(summary));
    record.summary() = summary.ToJson();
    record.write(c.out);
  }
}

const Registrar registrar(45, [](CLI::App& app) {
  auto config = std::make_shared<TransitionConfig>();
  TransitionConfig& c = *config;
  compare::TransitionOptions& o = c.options;
  auto* cmd = app.add_subcommand("transition-line",
                                 "Feature-to-prototype line T_r*(n) (MODEL.md 3); --verify trains the paper's Figure 6 "
                                 "grid and measures where the memory switches");
  cmd->add_option("--images", c.images, "Images (.npy or IDX) holding the two samples")->required();
  cmd->add_option("--labels", c.labels, "Labels (file or blocks:K); needed by --class-means, checks the classes of --pair");
  cmd->add_option("--pair", c.pair, "Rows I,J of --images: two samples of one class (intra) or of two classes (inter)");
  cmd->add_option("--class-means", c.class_means, "Inter-digit on the means of classes a,b (as the paper's Figure 6)");
  cmd->add_option("--kind", c.kind, "intra: one memory, one class; inter: two memories, two classes")->capture_default_str();
  cmd->add_option("--n-list", c.n_list, "Values of n, e.g. 2,5,10,20 (instead of --n-range)");
  cmd->add_option("--n-range", c.n_range, "Values of n as A:B:STEP (inclusive)")->capture_default_str();
  cmd->add_option("--Tr-range", c.Tr_range, "Window of T_r = T/N as A:B (verify grid)")->capture_default_str();
  cmd->add_option("--Tr-step", c.Tr_step, "Step of the T_r grid")->capture_default_str();
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
