// `waddington nullclines`: the memory (dalpha/dt = 0) and label (dell/dt = 0)
// nullclines of the reduced flow as ordered polylines (docs/model.md §2).
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "lib/csv_columns.hpp"
#include "reduced_models/formats.hpp"

namespace waddington::app {
namespace {

struct NullclinesConfig {
  ReducedConfig reduced;
  reduced::NullclineOptions options;
  int cells = 300;
  std::string format = "table", out, plot;
  AlphaWindow alpha;
};

void run(NullclinesConfig c) {
  Command command("nullclines", c.out, {c.plot});
  const auto setup = reduced_setup(c.reduced, &command.record());
  std::tie(c.options.alpha_min, c.options.alpha_max) = c.alpha.get();
  c.options.alpha_cells = c.options.ell_cells = c.cells;
  command.validate(c.options);
  command.start();
  const auto nullclines =
      command.timed("nullclines_seconds", [&] { return reduced::compute_nullclines(setup.parameters, c.options); });
  const std::string csv = with_parameter_columns(reduced::nullclines_csv(nullclines), parameter_columns(setup.parameters));
  nlohmann::json json = reduced::nullclines_json(nullclines);
  json["temperature"] = temperature_json(setup.parameters);
  print_result(c.format, temperature_line(setup.parameters) + "\n" + reduced::nullclines_brief(nullclines), csv, json);
  if (!c.plot.empty())
    plot_phase_portrait(c.plot, setup, reduced::find_fixed_points(setup.parameters).fixed_points, {},
                        {.alpha_min = c.options.alpha_min, .alpha_max = c.options.alpha_max,
                         .nullcline_cells = c.cells, .flow_starts = 0});
  command.write("nullclines.csv", csv);
  nlohmann::json parameters = setup.ToJson();
  parameters["cells"] = c.cells;
  parameters["alpha_range"] = {c.options.alpha_min, c.options.alpha_max};
  nlohmann::json summary = reduced::nullclines_summary_json(nullclines);
  summary["temperature"] = temperature_json(setup.parameters);
  command.close(parameters, summary);
}

const Registrar registrar(31, [](CLI::App& app) {
  auto config = std::make_shared<NullclinesConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("nullclines", "Memory and label nullclines of the reduced flow as polylines");
  add_reduced_options(cmd, c.reduced);
  add_format_option(cmd, c.format, "nullclines.csv; json: the polylines");
  cmd->add_option("--out", c.out, "Directory for nullclines.csv and run.json");
  cmd->add_option("--plot", c.plot, "Picture of the nullclines (.png/.svg/.pdf)");
  auto* cells = cmd->add_option("--cells", c.cells, "Grid cells per axis")->capture_default_str()->check(CLI::Range(2, 10000));
  add_old_spelling(cmd, cells, "--grid", c.cells)->check(CLI::Range(2, 10000));
  add_alpha_window(cmd, c.alpha, "the nullclines are computed and drawn in A <= alpha <= B");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
