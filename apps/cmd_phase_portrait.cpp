// `waddington phase-portrait`: the paper's Figure 5B-D for one (n, T):
// nullclines, flow lines, fixed points by stability, optional trajectories
// and (with --images) the memory picture of each fixed point.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "lib/csv_columns.hpp"
#include "reduced_models/formats.hpp"

namespace waddington::app {
namespace {

struct PhasePortraitConfig {
  ReducedConfig reduced;
  std::string plot, out, format = "table", old_trajectories;
  std::vector<std::string> starts;
  reduced::PortraitOptions options;
  AlphaWindow alpha{.range = "0:1"};
  double duration = 10000, rate = 0.005, t_max = 0;
  CLI::Option* t_max_option = nullptr;
};

void run(PhasePortraitConfig c) {
  Command command("phase-portrait", c.out, {c.plot});
  const auto setup = reduced_setup(c.reduced, &command.record());
  std::tie(c.options.alpha_min, c.options.alpha_max) = c.alpha.get();
  command.validate(c.options);
  std::vector<std::pair<double, double>> starts;
  for (const auto& s : c.starts) starts.push_back(parse_point(s, "--start"));
  if (!c.old_trajectories.empty()) {  // deprecated --trajectories "a,l;a,l"
    std::size_t from = 0;
    for (std::size_t at = 0; at != std::string::npos; from = at + 1) {
      at = c.old_trajectories.find(';', from);
      starts.push_back(parse_point(c.old_trajectories.substr(from, at == std::string::npos ? at : at - from), "--trajectories"));
    }
  }
  if (!(c.rate > 0 && std::isfinite(c.rate))) throw InputError(fmt::format("--rate {} must be positive", c.rate));
  if (!(c.duration > 0 && std::isfinite(c.duration)))
    throw InputError(fmt::format("--duration {} must be positive", c.duration));
  const double t_max = c.t_max_option->count() > 0 ? c.t_max : c.duration * c.rate;  // time = duration (epochs) x rate
  if (!(t_max > 0 && std::isfinite(t_max))) throw InputError(fmt::format("--t-max {} must be positive", c.t_max));
  command.start();
  reduced::FixedPointOptions fo;
  fo.alpha_min = c.options.alpha_min, fo.alpha_max = c.options.alpha_max;
  const auto fixed = reduced::find_fixed_points(setup.parameters, fo);
  reduced::TrajectoryOptions to;
  to.t_max = t_max;
  std::vector<reduced::TrajectoryResult> trajectories;
  for (auto [a, l] : starts) trajectories.push_back(reduced::integrate_two_memory(setup.parameters, a, l, to));
  command.timed("plot_seconds", [&] { plot_phase_portrait(c.plot, setup, fixed.fixed_points, trajectories, c.options); });
  std::string table = temperature_line(setup.parameters) + "\n" + fixed.FullReport();
  for (const auto& t : trajectories) table += t.BriefReport() + "\n";
  nlohmann::json json = fixed.ToJson();
  json["temperature"] = temperature_json(setup.parameters);
  print_result(c.format, table, with_parameter_columns(reduced::fixed_points_csv(fixed), parameter_columns(setup.parameters)), json);
  std::fprintf(stderr, "waddington: wrote %s\n", c.plot.c_str());
  nlohmann::json parameters = setup.ToJson();
  parameters["plot"] = c.plot, parameters["starts"] = starts, parameters["t_max"] = t_max;
  command.close(parameters, json);
}

const Registrar registrar(33, [](CLI::App& app) {
  auto config = std::make_shared<PhasePortraitConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("phase-portrait", "Phase portrait of the reduced two-memory flow (Figure 5B-D)");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--plot", c.plot, "Output picture (.png/.svg/.pdf)")->required();
  cmd->add_option("--out", c.out, "Directory for run.json");
  cmd->add_option("--start", c.starts, "Start point ALPHA,ELL of a trajectory drawn over the portrait; repeat for several");
  cmd->add_option("--trajectories", c.old_trajectories, "Deprecated: start points ALPHA,ELL;ALPHA,ELL")
      ->group("")->configurable(false);
  auto* duration = cmd->add_option("--duration", c.duration, "Length of each trajectory in epochs (real; time = duration x rate)")
      ->capture_default_str();
  add_old_spelling(cmd, duration, "--epochs", c.duration);
  cmd->add_option("--rate", c.rate, "Learning rate (time = duration x rate)")->capture_default_str();
  c.t_max_option = cmd->add_option("--t-max", c.t_max, "Deprecated: time limit (duration x rate)")->group("")->configurable(false);
  add_format_option(cmd, c.format, "fixed_points.csv");
  add_alpha_window(cmd, c.alpha, "equilibria are searched and the portrait drawn in A <= alpha <= B");
  auto* cells = cmd->add_option("--cells", c.options.nullcline_cells, "Nullcline grid cells per axis")
      ->capture_default_str()->check(CLI::Range(4, 4000));
  add_old_spelling(cmd, cells, "--grid", c.options.nullcline_cells)->check(CLI::Range(4, 4000));
  cmd->add_option("--flow-lines", c.options.flow_starts, "Flow lines per axis (0: none)")->capture_default_str()->check(CLI::Range(0, 100));
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
