// `waddington fold-curve`: saddle-node curves of the reduced flow in the
// (n, T) plane, cusps, curve ends, and the regions labelled by their number of
// stable equilibria. Thin: config -> FoldPlaneOptions -> compute_fold_curves
// (or the brute-force map) -> stdout, CSVs, run.json, plot.
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/progress.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "apps/diagram_plot.hpp"
#include "reduced_models/formats.hpp"

namespace waddington::app {
namespace {

struct FoldCurveConfig {
  ReducedConfig reduced;
  reduced::FoldPlaneOptions options;
  std::string n_range = "2:80", T_range, Tr_range, method = "continuation", out, plot, format = "table";
  std::vector<double> report_Tr = {0.893, 0.957};
  std::vector<int> map_cells = {156, 70};
};

void run(FoldCurveConfig c) {
  Command command("fold-curve", c.out, {c.plot});
  reduced::DiagramMethod method;
  if (!FromString(c.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", c.method));
  if (c.reduced.n_given()) throw InputError("--n does not apply to fold-curve: the n window is --n-range");
  if (c.reduced.T_given()) throw InputError("--T/--Tr do not apply to fold-curve: the T window is --T-range or --Tr-range");
  const auto setup = reduced_setup(c.reduced, &command.record());
  const double N = setup.parameters.num_pixels;
  std::tie(c.options.n_min, c.options.n_max) = parse_window(c.n_range, "--n-range");
  if (!c.T_range.empty() && !c.Tr_range.empty()) throw InputError("give --T-range or --Tr-range, not both");
  if (c.T_range.empty()) {  // default: T_r 0.8:1.15, as continue --param T
    const auto [lo, hi] = c.Tr_range.empty() ? std::pair{0.8, 1.15} : parse_window(c.Tr_range, "--Tr-range");
    c.options.T_min = lo * N, c.options.T_max = hi * N;
  } else {
    std::tie(c.options.T_min, c.options.T_max) = parse_window(c.T_range, "--T-range");
  }
  if (c.map_cells.size() != 2) throw InputError("--map-cells expects N_CELLS,T_CELLS");
  c.options.map_n_cells = c.map_cells[0], c.options.map_T_cells = c.map_cells[1];
  command.validate(c.options);
  command.start();

  ProgressBar progress(fmt::format("fold-curve ({})", c.method), 1, "steps");
  c.options.on_progress = [&](int done, int total) {
    progress.set_total(total);
    progress.update(done);
  };
  const auto summary = method == reduced::DiagramMethod::kGrid ? reduced::grid_fold_map(setup.parameters, c.options)
                                                                : reduced::compute_fold_curves(setup.parameters, c.options);
  progress.finish();
  command.time("fold_curves_seconds", summary.seconds);
  command.time("region_map_seconds", summary.map_seconds);
  const std::string varying = "n,T";
  nlohmann::json json = summary.ToJson();
  json["temperature"] = temperature_json(setup.parameters, varying);
  std::string table = temperature_line(setup.parameters, varying) + "\n" + summary.FullReport();
  if (method == reduced::DiagramMethod::kContinuation) table += reduced::fold_crossings_table(summary, c.report_Tr);
  print_result(c.format, table, reduced::fold_curves_csv(summary), json);
  command.warn(summary.warnings);
  command.write("fold_curves.csv", reduced::fold_curves_csv(summary));
  command.write("special_points.csv", reduced::fold_special_points_csv(summary));
  command.write("region_map.csv", reduced::region_map_csv(summary));
  if (!c.plot.empty()) plots::plot_fold_curves(c.plot, fold_curve_plot_data(summary, c.report_Tr));
  nlohmann::json parameters = setup.ToJson();
  auto& fold_curve = parameters["fold_curve"] = c.options.ToJson();
  fold_curve["Tr_range"] = {c.options.T_min / N, c.options.T_max / N};
  fold_curve["method"] = c.method;
  fold_curve["report_Tr"] = c.report_Tr;
  parameters["seed"] = nullptr;  // deterministic
  command.close(parameters, WithTemperature<reduced::FoldCurveSummary>{summary, json["temperature"]},
                "the fold curves are incomplete");
}

const Registrar registrar(41, [](CLI::App& app) {
  auto config = std::make_shared<FoldCurveConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("fold-curve", "Saddle-node curves of the reduced flow in the (n, T) plane, cusps, regions");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--n-range", c.n_range, "Window A:B of n")->capture_default_str();
  cmd->add_option("--T-range", c.T_range, "Window A:B of T (default: T_r 0.8:1.15, i.e. 627.2:901.6 for N = 784)");
  cmd->add_option("--Tr-range", c.Tr_range, "Window A:B of T_r = T/N (instead of --T-range)");
  add_format_option(cmd, c.format, "fold_curves.csv");
  cmd->add_option("--method", c.method, "continuation, or grid (brute-force map of stable counts)")->capture_default_str();
  cmd->add_option("--search-T-values", c.options.seed_T_values,
                  "Number of T values whose diagram in n gives the folds the curves start from (the map rows "
                  "nearest to equal spacing)")->capture_default_str();
  cmd->add_option("--ds-max", c.options.continuation.ds_max, "Largest arclength step (scaled space)")->capture_default_str();
  cmd->add_option("--map-cells", c.map_cells, "Region map cells N_CELLS,T_CELLS")->delimiter(',')->capture_default_str();
  cmd->add_option("--map-check-rows", c.options.map_check_rows,
                  "The map is filled from the regions the fold curves cut and checked on rows counted by complete "
                  "diagrams: the rows of the search diagrams and this many rows midway between them (at most one "
                  "per gap; 0: count every row)")
      ->capture_default_str();
  cmd->add_option("--grid-resolution", c.options.grid_resolution, "Grid method: (alpha, ell) cell size")->capture_default_str();
  cmd->add_option("--report-Tr", c.report_Tr, "Print where the curves cross these T_r")->delimiter(',')->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for fold_curves.csv, special_points.csv, region_map.csv, run.json");
  cmd->add_option("--plot", c.plot, "Fold curves in the (n, T_r) plane with labelled regions (.png/.svg/.pdf)");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
