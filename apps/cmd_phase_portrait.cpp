// `waddington phase-portrait`: the paper's Figure 5B-D for one (n, T):
// nullclines, flow lines, fixed points by stability, optional trajectories
// and (with --images) the memory picture of each fixed point.
#include <fmt/format.h>

#include "apps/reduced_options.hpp"
#include "apps/reduced_portrait.hpp"
#include "apps/registry.hpp"
#include "apps/run_record.hpp"
#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::app {
namespace {

struct PhasePortraitConfig {
  ReducedConfig reduced;
  std::string plot, out, starts;
  PortraitInputs inputs;
  double t_max = 50;
};

// "a,l;a,l;..." -> starting points.
std::vector<std::pair<double, double>> parse_starts(const std::string& text) {
  std::vector<std::pair<double, double>> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ';')) {
    double a, l;
    char comma;
    std::stringstream one(item);
    if (!(one >> a >> comma >> l) || comma != ',' || !(one >> std::ws).eof())
      throw InputError(fmt::format("--trajectories '{}': expected alpha,ell;alpha,ell;...", text));
    out.emplace_back(a, l);
  }
  return out;
}

void run(PhasePortraitConfig c) {
  RunRecord record("phase-portrait", CommandLine::argc(), CommandLine::argv());
  const ReducedSetup setup = reduced_setup(c.reduced, &record);
  plots::terminal_for(c.plot);
  if (!(c.inputs.alpha_min >= -1 && c.inputs.alpha_max <= 1 && c.inputs.alpha_min < c.inputs.alpha_max))
    throw InputError("--alpha-min/--alpha-max must be an interval inside [-1, 1]");
  const auto starts = parse_starts(c.starts);
  if (!c.out.empty()) ensure_writable_directory(c.out);
  reduced::FixedPointOptions fo;
  fo.alpha_min = c.inputs.alpha_min, fo.alpha_max = c.inputs.alpha_max;
  const auto fixed = reduced::find_fixed_points(setup.parameters, fo);
  reduced::TrajectoryOptions to;
  to.t_max = c.t_max;
  for (auto [a, l] : starts) c.inputs.trajectories.push_back(reduced::integrate_two_memory(setup.parameters, a, l, to));
  const auto start = std::chrono::steady_clock::now();
  plots::render_phase_portrait(c.plot, portrait_data(setup, fixed, c.inputs));
  record.time("plot_seconds", seconds_since(start));
  fmt::print("{}\n", fixed.BriefReport());
  for (const auto& t : c.inputs.trajectories) fmt::print("{}\n", t.BriefReport());
  fmt::print("wrote {}\n", c.plot);
  if (c.out.empty()) return;
  record.parameters() = setup.ToJson();
  record.parameters()["plot"] = c.plot;
  record.parameters()["trajectories"] = c.starts;
  record.summary() = fixed.ToJson();
  record.write(c.out);
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
  cmd->add_option("--alpha-min", c.inputs.alpha_min, "Smallest alpha shown")->capture_default_str();
  cmd->add_option("--alpha-max", c.inputs.alpha_max, "Largest alpha shown")->capture_default_str();
  cmd->add_option("--grid", c.inputs.nullcline_cells, "Nullcline grid cells per axis")->capture_default_str()->check(CLI::Range(4, 4000));
  cmd->add_option("--flow-lines", c.inputs.flow_starts, "Flow lines per axis (0: none)")->capture_default_str()->check(CLI::Range(0, 100));
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
