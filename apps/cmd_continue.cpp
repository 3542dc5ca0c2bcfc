// `waddington continue`: the complete bifurcation diagram of the reduced
// two-memory flow (docs/model.md §2) in n or T (the paper's Figure 5A). Thin:
// config -> TwoMemoryParameters + DiagramOptions -> bifurcation_diagram ->
// folds on stdout, branches.csv / special_points.csv / run.json, plots.
// --validate: the full trainer against the stable branches
// (compare/diagram_validation.hpp), validation.csv and the crosses on the plot.
#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "apps/command.hpp"
#include "apps/diagram_plot.hpp"
#include "apps/progress.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "lib/csv_columns.hpp"
#include "reduced_models/formats.hpp"
#include "compare/diagram_validation.hpp"
#include "compare/formats.hpp"

namespace waddington::app {
namespace {

struct ContinueConfig {
  ReducedConfig reduced;
  reduced::DiagramOptions options;
  std::string parameter = "n", method = "continuation", system = "reduced", out, plot, plot_3d, format = "table";
  std::string start, n_range, T_range, Tr_range;  // empty: the default window of --param
  AlphaWindow alpha;
  CLI::Option *from_option = nullptr, *to_option = nullptr;
  bool validate = false;
  double from = 0, to = 0;
  compare::DiagramValidationOptions validation;
};

void run(ContinueConfig c) {
  Command command("continue", c.out, {c.plot, c.plot_3d});
  if (!FromString(c.parameter, &c.options.parameter)) throw InputError(fmt::format("--param '{}': expected n or T", c.parameter));
  reduced::DiagramMethod method;
  if (!FromString(c.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", c.method));
  if (c.system != "reduced" && c.system != "k2")
    throw InputError(fmt::format("--system '{}': expected reduced or k2", c.system));
  if (c.system == "k2" && method != reduced::DiagramMethod::kContinuation)
    throw InputError("--system k2 needs --method continuation (the split branches start at located branch points)");
  if (!c.start.empty()) {
    const auto [alpha, ell] = parse_point(c.start, "--start");
    c.options.start = std::array<double, 2>{alpha, ell};
  }
  const bool in_n = c.options.parameter == reduced::BifurcationParameter::kN;
  if (in_n && c.reduced.n_given())
    throw InputError("--n does not apply to continue --param n: n is the continued parameter (its window is --n-range)");
  if (!in_n && c.reduced.T_given())
    throw InputError("--T/--Tr do not apply to continue --param T: T is the continued parameter (its window is "
                     "--T-range or --Tr-range)");
  if (in_n && !(c.T_range.empty() && c.Tr_range.empty()))
    throw InputError("--T-range/--Tr-range do not apply to continue --param n: the window of n is --n-range");
  if (!in_n && !c.n_range.empty())
    throw InputError("--n-range does not apply to continue --param T: the window of T is --T-range or --Tr-range");
  if (!c.T_range.empty() && !c.Tr_range.empty()) throw InputError("give --T-range or --Tr-range, not both");
  auto setup = reduced_setup(c.reduced, &command.record());
  // The window of the continued parameter: --n-range (default 1:60) or --T-range / --Tr-range (default T_r
  // 0.8:1.15, as fold-curve); the deprecated --from/--to override its ends.
  const double N = setup.parameters.num_pixels;
  if (in_n) std::tie(c.options.from, c.options.to) = c.n_range.empty() ? std::pair{1.0, 60.0} : parse_window(c.n_range, "--n-range");
  else if (!c.T_range.empty()) std::tie(c.options.from, c.options.to) = parse_window(c.T_range, "--T-range");
  else {
    const auto [lo, hi] = c.Tr_range.empty() ? std::pair{0.8, 1.15} : parse_window(c.Tr_range, "--Tr-range");
    c.options.from = lo * N, c.options.to = hi * N;
  }
  if (c.from_option->count() > 0) c.options.from = c.from;
  if (c.to_option->count() > 0) c.options.to = c.to;
  if (!(c.options.from < c.options.to))
    throw InputError(fmt::format("the {} window [{}, {}] is empty or inverted (need A < B)", c.parameter, c.options.from, c.options.to));
  std::tie(c.options.alpha_min, c.options.alpha_max) = c.alpha.get();
  command.validate(c.options);
  if (c.validate) {
    command.validate(c.validation);
    setup = compare::with_validation_samples(setup);
    if (c.reduced.images.empty()) command.record().add_input_file("images", setup.images);
  }
  command.start();

  ProgressBar progress(fmt::format("continue ({})", c.method), 1, "steps");
  c.options.on_progress = [&](int done, int total) {
    progress.set_total(total);
    progress.update(done);
  };
  const auto summary = reduced::bifurcation_diagram(setup.parameters, c.options, method);
  progress.finish();
  command.time("diagram_seconds", summary.seconds);

  const std::string varying = in_n ? "n" : "T";
  nlohmann::json json = summary.ToJson();
  json["temperature"] = temperature_json(setup.parameters, varying);
  print_result(c.format, temperature_line(setup.parameters, varying) + "\n" + summary.FullReport(),
               reduced::branches_csv(summary), json);
  command.warn(summary.warnings);
  command.write("branches.csv", reduced::branches_csv(summary));
  command.write("special_points.csv", reduced::special_points_csv(summary));
  reduced::K2Summary k2;
  if (c.system == "k2") {
    if (setup.parameters.identical_memories != 2)
      throw InputError("--system k2 needs --memories-identical 2 (the symmetric branches of two identical memories)");
    k2 = command.timed("k2_seconds", [&] { return reduced::continue_split_branches(setup.parameters, summary); });
    fmt::print("{}\n", k2.BriefReport());
    command.warn(k2.warnings);
    command.write("k2_branches.csv", reduced::k2_branches_csv(setup.parameters, k2));
  }
  compare::DiagramValidationSummary validation;
  if (c.validate) {
    std::optional<ProgressBar> bar;  // made at the first report, which gives the number of runs
    c.validation.on_progress = [&](int done, int total) {
      if (!bar) bar.emplace("validate (full trainer)", total, "runs");
      bar->update(done);
    };
    validation = command.timed("validation_seconds", [&] { return compare::validate_diagram(setup, summary, c.validation); });
    if (bar) bar->finish();
    if (c.format == "table") fmt::print("{}\n", validation.BriefReport());
    else std::fprintf(stderr, "waddington: %s\n", validation.BriefReport().c_str());
    command.warn(validation.warnings);
    auto fixed = parameter_columns(setup.parameters);  // the continued parameter varies by row: not a constant column
    std::erase_if(fixed, [&](const auto& column) {
      return c.options.parameter == reduced::BifurcationParameter::kN ? column.first == "n" : column.first != "n";
    });
    command.write("validation.csv", with_parameter_columns(compare::validation_csv(validation), fixed));
  }
  command.timed("plot_seconds", [&] {
    if (!c.plot.empty()) plots::plot_bifurcation_diagram(c.plot, with_split_branches(diagram_data(summary, validation), k2));
    if (!c.plot_3d.empty()) plots::plot_bifurcation_diagram_3d(c.plot_3d, with_split_branches(diagram_data(summary), k2));
  });
  nlohmann::json parameters = setup.ToJson();
  parameters["continuation"] = c.options.ToJson();
  parameters["continuation"]["method"] = c.method;
  if (c.validate) parameters["validation"] = c.validation.ToJson();
  parameters["seed"] = nullptr;  // deterministic: no random numbers
  const compare::ValidatedDiagramSummary validated(summary, validation);
  command.close(parameters, WithTemperature<compare::ValidatedDiagramSummary>{validated, json["temperature"]},
                c.validate ? "the diagram or its validation is incomplete" : "the diagram is incomplete");
}

const Registrar registrar(40, [](CLI::App& app) {
  auto config = std::make_shared<ContinueConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("continue", "Complete bifurcation diagram of the reduced flow in n or T (Figure 5A)");
  add_reduced_options(cmd, c.reduced);
  auto& o = c.options;
  cmd->add_option("--param", c.parameter, "Continuation parameter: n or T (the other one is fixed by --n or --T/--Tr)")->capture_default_str();
  cmd->add_option("--n-range", c.n_range, "Window A:B of n with --param n (default 1:60)");
  cmd->add_option("--T-range", c.T_range, "Window A:B of T with --param T (default: T_r 0.8:1.15, i.e. 627.2:901.6 for N = 784)");
  cmd->add_option("--Tr-range", c.Tr_range, "Window A:B of T_r = T/N with --param T (instead of --T-range)");
  c.from_option = cmd->add_option("--from", c.from, "Deprecated: the A of the window")->group("")->configurable(false);
  c.to_option = cmd->add_option("--to", c.to, "Deprecated: the B of the window")->group("")->configurable(false);
  add_format_option(cmd, c.format, "branches.csv");
  cmd->add_option("--method", c.method, "continuation, or grid (brute force, for validation)")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for branches.csv, special_points.csv and run.json");
  cmd->add_option("--plot", c.plot, "Figure 5A: parameter vs alpha and vs ell (.png/.svg/.pdf)");
  cmd->add_option("--plot-3d", c.plot_3d, "3-D view (parameter, alpha, ell) (.png/.svg/.pdf)");
  cmd->add_option("--search-values", o.seed_values,
                  "Number of parameter values, spaced over the window (ends included), where all equilibria are "
                  "searched first; the count audit searches wherever more are needed")
      ->capture_default_str();
  cmd->add_flag("!--no-count-audit", o.count_audit,
                "Skip the count audit (a search between every two events of the traced diagram; docs/numerics.md §9)");
  cmd->add_flag("!--no-fold-check", o.fold_curve_check,
                "Diagrams in n: skip the check against the fold curves of a band in T (docs/numerics.md §9)");
  cmd->add_option("--system", c.system,
                  "reduced: the (alpha, ell) diagram; k2: also the asymmetric branches of the two-memory system "
                  "(alpha_1, ell_1, alpha_2, ell_2) from every symmetry-breaking point (k2_branches.csv)")
      ->capture_default_str();
  cmd->add_option("--start", c.start, "Continue only from this point ALPHA,ELL at the window's start (on --chart) instead of searching");
  cmd->add_option("--ds-max", o.continuation.ds_max, "Largest arclength step (scaled space)")->capture_default_str();
  cmd->add_option("--max-steps", o.continuation.max_steps, "Steps per branch and direction")->capture_default_str();
  add_alpha_window(cmd, c.alpha, "branches are followed in A <= alpha <= B (both charts)");
  cmd->add_option("--param-steps", o.param_steps, "Grid method: parameter steps")->capture_default_str();
  cmd->add_option("--grid-resolution", o.grid_resolution, "Grid method: (alpha, ell) cell size")->capture_default_str();
  auto& v = c.validation;
  auto* validate = cmd->add_flag("--validate", c.validate,
                "Train the full network (two memories) from each basin at --validate-count values and measure the "
                "final states' distance to the stable branches; validation.csv (needs --images/--pair, or "
                "$WADDINGTON_DATA for the default pair)");
  cmd->add_option("--validate-at", v.values, "Validate at these values of the parameter (n, or T with --param T) instead")
      ->delimiter(',')->needs(validate);
  cmd->add_option("--validate-n", v.values, "Deprecated: --validate-at")->delimiter(',')->needs(validate)->group("")->configurable(false);
  cmd->add_option("--validate-count", v.count, "Validate at this many values spaced over the window (ends included)")
      ->capture_default_str()->needs(validate);
  cmd->add_option("--validate-epochs", v.max_epochs, "Epoch limit of every full-trainer run")->capture_default_str()->needs(validate);
  cmd->add_option("--rate", v.rate, "Learning rate of the full trainer (reduced time = epochs x rate)")
      ->capture_default_str()->needs(validate);
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
