// `waddington fixed-points`: all equilibria of the reduced two-memory flow
// (docs/model.md §2) with their eigenvalues and stability. Thin: config ->
// TwoMemoryParameters + FixedPointOptions -> find_fixed_points -> print/write.
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "lib/csv_columns.hpp"
#include "reduced_models/formats.hpp"

namespace waddington::app {
namespace {

struct FixedPointsConfig {
  ReducedConfig reduced;
  reduced::FixedPointOptions options;
  std::string format = "table", out, plot;
  double plot_alpha_min = 0, plot_alpha_max = 1;
};

void run(const FixedPointsConfig& c) {
  Command command("fixed-points", c.out, {c.plot});
  check_format(c.format);
  const auto setup = reduced_setup(c.reduced, &command.record());
  command.validate(c.options);
  const reduced::PortraitOptions plot{.alpha_min = c.plot_alpha_min, .alpha_max = c.plot_alpha_max};
  if (!c.plot.empty()) command.validate(plot);
  command.start();
  const auto summary = reduced::find_fixed_points(setup.parameters, c.options);
  command.time("fixed_points_seconds", summary.seconds);
  if (c.format == "csv") fmt::print("{}", reduced::fixed_points_csv(summary));
  else if (c.format == "json") fmt::print("{}\n", summary.ToJson().dump(2));
  else fmt::print("{}", summary.FullReport());
  if (!c.plot.empty()) plot_phase_portrait(c.plot, setup, summary.fixed_points, {}, plot);
  command.write("fixed_points.csv", with_parameter_columns(reduced::fixed_points_csv(summary), parameter_columns(setup.parameters)));
  nlohmann::json parameters = setup.ToJson();
  parameters["fixed_points"] = c.options.ToJson();
  command.close(parameters, summary.ToJson());
}

const Registrar registrar(30, [](CLI::App& app) {
  auto config = std::make_shared<FixedPointsConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("fixed-points", "Equilibria of the reduced two-memory flow, with stability (docs/model.md §2)");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--format", c.format, "Output on stdout: table, csv or json")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for fixed_points.csv and run.json");
  cmd->add_option("--plot", c.plot, "Phase portrait with the fixed points (.png/.svg/.pdf)");
  cmd->add_option("--alpha-min", c.options.alpha_min, "Search domain: smallest alpha")->capture_default_str();
  cmd->add_option("--alpha-max", c.options.alpha_max, "Search domain: largest alpha")->capture_default_str();
  cmd->add_option("--seed-alpha", c.options.seed_alpha_cells, "Seed grid cells along alpha")->capture_default_str();
  cmd->add_option("--seed-ell", c.options.seed_ell_cells, "Seed grid cells along ell")->capture_default_str();
  cmd->add_option("--plot-alpha-min", c.plot_alpha_min, "Plot range: smallest alpha")->capture_default_str();
  cmd->add_option("--plot-alpha-max", c.plot_alpha_max, "Plot range: largest alpha")->capture_default_str();
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
