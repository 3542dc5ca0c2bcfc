// `waddington fold-curve`: saddle-node curves of the reduced flow in the
// (n, T) plane, cusps, curve ends, and the regions labelled by their number of
// stable equilibria. Thin: config -> FoldCurveOptions -> compute_fold_curves
// (or the brute-force map) -> stdout, CSVs, run.json, plot.
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/progress.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "plots/fold_curves.hpp"
#include "reduced_models/bifurcation_folds.hpp"

namespace waddington::app {
namespace {

struct FoldCurveConfig {
  ReducedConfig reduced;
  reduced::FoldCurveOptions options;
  std::string n_range = "2:80", T_range, Tr_range, method = "continuation", out, plot;
  std::vector<double> report_Tr = {0.893, 0.957};
  std::vector<int> map_cells = {156, 70};
};

std::pair<double, double> parse_range(const std::string& text, const char* option) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    std::size_t used_a = 0, used_b = 0;
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    const double lo = std::stod(a, &used_a), hi = std::stod(b, &used_b);
    if (used_a != a.size() || used_b != b.size()) throw std::invalid_argument("trailing characters");
    if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi))
      throw InputError(fmt::format("{} {}: empty or inverted range (need A < B)", option, text));
    return {lo, hi};
  } catch (const std::logic_error&) {
    throw InputError(fmt::format("{} '{}': expected A:B with two numbers", option, text));
  }
}

std::string label_text(int stable) {
  static const char* names[] = {"no stable point", "monostable", "bistable", "tristable"};
  return fmt::format("{} stable{}", stable, stable < 4 ? fmt::format(" ({})", names[stable]) : "");
}

plots::FoldCurvePlotData plot_data(const reduced::FoldCurveSummary& s, const std::vector<double>& reference_Tr) {
  const double N = s.parameters.num_pixels;
  plots::FoldCurvePlotData d;
  d.title = fmt::format("fold curves, AA={:.1f} AB={:.1f} BB={:.1f} ({})", s.parameters.AA, s.parameters.AB,
                        s.parameters.BB, ToString(s.method));
  d.n_min = s.options.n_min, d.n_max = s.options.n_max, d.Tr_min = s.options.T_min / N, d.Tr_max = s.options.T_max / N;
  for (const auto& c : s.curves) {
    d.curves.emplace_back();
    for (const auto& p : c.points) d.curves.back().push_back({p.n, p.T / N});
  }
  for (const auto& sp : s.special_points)
    (sp.type == reduced::SpecialPointType::kCusp ? d.cusps : d.exits).push_back({sp.n, sp.T / N, sp.where});
  for (const auto& r : s.regions)
    if (r.cells >= 3) d.regions.push_back({r.n, r.T / N, label_text(r.stable)});
  for (const auto& c : s.map) d.background.push_back({c.n, c.T / N, c.stable});
  for (double tr : reference_Tr)
    if (tr > d.Tr_min && tr < d.Tr_max) d.reference_Tr.push_back(tr);
  return d;
}

std::string crossings_table(const reduced::FoldCurveSummary& s, const std::vector<double>& report_Tr) {
  std::string t;
  for (double tr : report_Tr) {
    const auto crossings = reduced::fold_crossings_at_T(s, tr * s.parameters.num_pixels);
    t += fmt::format("fold curves at Tr = {:g} (T = {:g}): {} crossing(s)\n", tr, tr * s.parameters.num_pixels, crossings.size());
    for (const auto& c : crossings)
      t += fmt::format("  curve {:>2}  n = {:>12.8f}  alpha = {:.6f}  ell = {:+.6f}  residual {:.1e}{}\n", c.branch, c.n,
                       c.alpha, c.ell, c.residual, c.converged ? "" : "  (NOT converged)");
  }
  return t;
}

void run(FoldCurveConfig c) {
  Command command("fold-curve", c.out, {c.plot});
  reduced::DiagramMethod method;
  if (!FromString(c.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", c.method));
  const auto setup = reduced_setup(c.reduced, &command.record());
  const double N = setup.parameters.num_pixels;
  std::tie(c.options.n_min, c.options.n_max) = parse_range(c.n_range, "--n-range");
  if (!c.T_range.empty() && !c.Tr_range.empty()) throw InputError("give --T-range or --Tr-range, not both");
  if (!c.Tr_range.empty()) {
    const auto [lo, hi] = parse_range(c.Tr_range, "--Tr-range");
    c.options.T_min = lo * N, c.options.T_max = hi * N;
  } else if (!c.T_range.empty()) {
    std::tie(c.options.T_min, c.options.T_max) = parse_range(c.T_range, "--T-range");
  }
  if (c.map_cells.size() != 2) throw InputError("--map-cells expects N_CELLS,T_CELLS");
  c.options.map_n_cells = c.map_cells[0], c.options.map_T_cells = c.map_cells[1];
  command.validate(c.options);
  command.start();

  ProgressBar progress("fold-curve", 100);
  c.options.on_progress = [&](int done, int total) { progress.update(100L * done / std::max(total, 1), "region map"); };
  const auto summary = method == reduced::DiagramMethod::kGrid ? reduced::grid_fold_map(setup.parameters, c.options)
                                                                : reduced::compute_fold_curves(setup.parameters, c.options);
  progress.finish();
  command.time("fold_curves_seconds", summary.seconds);
  command.time("region_map_seconds", summary.map_seconds);
  fmt::print("{}\n", summary.BriefReport());
  fmt::print("{}", reduced::fold_special_points_csv(summary));
  if (method == reduced::DiagramMethod::kContinuation) fmt::print("{}", crossings_table(summary, c.report_Tr));
  command.warn(summary.warnings);
  command.write("fold_curves.csv", reduced::fold_curves_csv(summary));
  command.write("special_points.csv", reduced::fold_special_points_csv(summary));
  command.write("region_map.csv", reduced::region_map_csv(summary));
  if (!c.plot.empty()) plots::plot_fold_curves(c.plot, plot_data(summary, c.report_Tr));
  nlohmann::json parameters = setup.ToJson();
  const auto& o = c.options;
  parameters["fold_curve"] = {{"n_range", {o.n_min, o.n_max}}, {"T_range", {o.T_min, o.T_max}},
                              {"Tr_range", {o.T_min / N, o.T_max / N}}, {"method", c.method},
                              {"seed_T_values", o.seed_T_values}, {"ds_max", o.ds_max}, {"map_cells", c.map_cells},
                              {"grid_resolution", o.grid_resolution}, {"report_Tr", c.report_Tr}};
  parameters["seed"] = nullptr;  // deterministic
  command.close(parameters, summary, "the fold curves are incomplete");
}

const Registrar registrar(41, [](CLI::App& app) {
  auto config = std::make_shared<FoldCurveConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("fold-curve", "Saddle-node curves of the reduced flow in the (n, T) plane, cusps, regions");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--n-range", c.n_range, "n window A:B")->capture_default_str();
  cmd->add_option("--T-range", c.T_range, "T window A:B (default 627.2:901.6, i.e. Tr 0.8:1.15)");
  cmd->add_option("--Tr-range", c.Tr_range, "T_r = T/N window A:B (instead of --T-range)");
  cmd->add_option("--method", c.method, "continuation, or grid (brute-force map of stable counts)")->capture_default_str();
  cmd->add_option("--seed-T-values", c.options.seed_T_values, "T values whose diagram in n seeds the folds")->capture_default_str();
  cmd->add_option("--ds-max", c.options.ds_max, "Largest arclength step (scaled space)")->capture_default_str();
  cmd->add_option("--map-cells", c.map_cells, "Region map cells N_CELLS,T_CELLS")->delimiter(',')->capture_default_str();
  cmd->add_option("--grid-resolution", c.options.grid_resolution, "Grid method: (alpha, ell) cell size")->capture_default_str();
  cmd->add_option("--report-Tr", c.report_Tr, "Print where the curves cross these T_r")->delimiter(',')->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for fold_curves.csv, special_points.csv, region_map.csv, run.json");
  cmd->add_option("--plot", c.plot, "Fold curves in the (n, T_r) plane with labelled regions (.png/.svg/.pdf)");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
