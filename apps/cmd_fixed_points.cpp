// `waddington fixed-points`: all equilibria of the reduced two-memory flow
// (docs/model.md §2) with their eigenvalues and stability. Thin: config ->
// TwoMemoryParameters + FixedPointOptions -> find_fixed_points -> print/write.
#include <fmt/format.h>

#include <cstdio>

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
  AlphaWindow alpha;
};

void run(FixedPointsConfig c) {
  Command command("fixed-points", c.out, {c.plot});
  const auto setup = reduced_setup(c.reduced, &command.record());
  std::tie(c.options.alpha_min, c.options.alpha_max) = c.alpha.get();
  command.validate(c.options);
  const reduced::PortraitOptions plot{.alpha_min = c.options.alpha_min, .alpha_max = c.options.alpha_max};
  if (!c.plot.empty()) command.validate(plot);
  command.start();
  const auto summary = reduced::find_fixed_points(setup.parameters, c.options);
  command.time("fixed_points_seconds", summary.seconds);
  nlohmann::json json = summary.ToJson();
  json["temperature"] = temperature_json(setup.parameters);
  // stdout's CSV is the file's, with its parameter columns
  const std::string csv = with_parameter_columns(reduced::fixed_points_csv(summary), parameter_columns(setup.parameters));
  print_result(c.format, temperature_line(setup.parameters) + "\n" + summary.FullReport(), csv, json);
  // The other chart holds equilibria too (alpha_B of the other sign), which the
  // fold-curve regions count: say so (on stderr: stdout stays this chart's table).
  reduced::TwoMemoryParameters other = setup.parameters;
  other.chart = -other.chart;
  std::fflush(stdout);  // (after the table)
  if (const auto elsewhere = reduced::find_fixed_points(other, c.options); !elsewhere.fixed_points.empty())
    std::fprintf(stderr, "waddington: note: chart %+d (alpha_B %s 0) holds %zu more fixed points (%d stable); --chart %+d lists them\n",
                 other.chart, other.chart > 0 ? ">=" : "<=", elsewhere.fixed_points.size(),
                 elsewhere.count(reduced::Stability::kStable), other.chart);
  if (!c.plot.empty()) plot_phase_portrait(c.plot, setup, summary.fixed_points, {}, plot);
  command.write("fixed_points.csv", csv);
  nlohmann::json parameters = setup.ToJson();
  parameters["fixed_points"] = c.options.ToJson();
  command.close(parameters, json);
}

const Registrar registrar(30, [](CLI::App& app) {
  auto config = std::make_shared<FixedPointsConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("fixed-points", "Equilibria of the reduced two-memory flow, with stability (docs/model.md §2)");
  add_reduced_options(cmd, c.reduced);
  add_format_option(cmd, c.format, "fixed_points.csv");
  cmd->add_option("--out", c.out, "Directory for fixed_points.csv and run.json");
  cmd->add_option("--plot", c.plot, "Phase portrait with the fixed points (.png/.svg/.pdf)");
  add_alpha_window(cmd, c.alpha, "equilibria are searched and the picture drawn in A <= alpha <= B");
  cmd->add_option("--search-alpha-cells", c.options.seed_alpha_cells, "Search grid: cells along alpha (Newton starts)")
      ->capture_default_str();
  cmd->add_option("--search-ell-cells", c.options.seed_ell_cells, "Search grid: cells along ell (Newton starts)")
      ->capture_default_str();
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
