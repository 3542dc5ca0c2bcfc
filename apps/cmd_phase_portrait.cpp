// `waddington phase-portrait`: the paper's Figure 5B-D for one (n, T):
// nullclines, flow lines, fixed points by stability, optional trajectories
// and (with --images) the memory picture of each fixed point.
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"

namespace waddington::app {
namespace {

struct PhasePortraitConfig {
  ReducedConfig reduced;
  std::string plot, out, starts;
  reduced::PortraitOptions options;
  double t_max = 50;
};

void run(const PhasePortraitConfig& c) {
  Command command("phase-portrait", c.out, {c.plot});
  const auto setup = reduced_setup(c.reduced, &command.record());
  command.validate(c.options);
  const auto starts = parse_starts(c.starts);
  command.start();
  reduced::FixedPointOptions fo;
  fo.alpha_min = c.options.alpha_min, fo.alpha_max = c.options.alpha_max;
  const auto fixed = reduced::find_fixed_points(setup.parameters, fo);
  reduced::TrajectoryOptions to;
  to.t_max = c.t_max;
  std::vector<reduced::TrajectoryResult> trajectories;
  for (auto [a, l] : starts) trajectories.push_back(reduced::integrate_two_memory(setup.parameters, a, l, to));
  command.timed("plot_seconds", [&] { plot_phase_portrait(c.plot, setup, fixed.fixed_points, trajectories, c.options); });
  fmt::print("{}\n", fixed.BriefReport());
  for (const auto& t : trajectories) fmt::print("{}\n", t.BriefReport());
  fmt::print("wrote {}\n", c.plot);
  nlohmann::json parameters = setup.ToJson();
  parameters["plot"] = c.plot, parameters["trajectories"] = c.starts;
  command.close(parameters, fixed.ToJson());
}

const Registrar registrar(33, [](CLI::App& app) {
  auto config = std::make_shared<PhasePortraitConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("phase-portrait", "Phase portrait of the reduced two-memory flow (Figure 5B-D)");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--plot", c.plot, "Output picture (.png/.svg/.pdf)")->required();
  cmd->add_option("--out", c.out, "Directory for run.json");
  cmd->add_option("--trajectories", c.starts, "Trajectories to overlay from alpha,ell;alpha,ell;...");
  cmd->add_option("--t-max", c.t_max, "Time limit of the trajectories (epochs x rate)")->capture_default_str();
  cmd->add_option("--alpha-min", c.options.alpha_min, "Smallest alpha shown")->capture_default_str();
  cmd->add_option("--alpha-max", c.options.alpha_max, "Largest alpha shown")->capture_default_str();
  cmd->add_option("--grid", c.options.nullcline_cells, "Nullcline grid cells per axis")->capture_default_str()->check(CLI::Range(4, 4000));
  cmd->add_option("--flow-lines", c.options.flow_starts, "Flow lines per axis (0: none)")->capture_default_str()->check(CLI::Range(0, 100));
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
