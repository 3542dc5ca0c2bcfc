// `waddington continue`: the complete bifurcation diagram of the reduced
// two-memory flow (docs/model.md §2) in n or T (the paper's Figure 5A). Thin:
// config -> TwoMemoryParameters + DiagramOptions -> bifurcation_diagram ->
// folds on stdout, branches.csv / special_points.csv / run.json, plots.
// --validate: the full trainer against the stable branches
// (compare/diagram_validation.hpp), validation.csv and the crosses on the plot.
#include <fmt/format.h>

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
  std::string parameter = "n", method = "continuation", out, plot, plot_3d;
  std::vector<double> start;
  bool validate = false;
  compare::DiagramValidationOptions validation;
};

void run(ContinueConfig c) {
  Command command("continue", c.out, {c.plot, c.plot_3d});
  if (!FromString(c.parameter, &c.options.parameter)) throw InputError(fmt::format("--param '{}': expected n or T", c.parameter));
  reduced::DiagramMethod method;
  if (!FromString(c.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", c.method));
  if (!c.start.empty() && c.start.size() != 2) throw InputError("--start expects two numbers: ALPHA,ELL");
  if (!c.start.empty()) c.options.start = std::array<double, 2>{c.start[0], c.start[1]};
  if (c.options.parameter == reduced::BifurcationParameter::kN && c.reduced.n_given())
    throw InputError("--n does not apply to continue --param n: n is the continued parameter (--from/--to)");
  if (c.options.parameter == reduced::BifurcationParameter::kT && c.reduced.T_given())
    throw InputError("--T/--Tr do not apply to continue --param T: T is the continued parameter (--from/--to)");
  auto setup = reduced_setup(c.reduced, &command.record());
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

  fmt::print("{}", summary.FullReport());
  command.warn(summary.warnings);
  command.write("branches.csv", reduced::branches_csv(summary));
  command.write("special_points.csv", reduced::special_points_csv(summary));
  compare::DiagramValidationSummary validation;
  if (c.validate) {
    std::optional<ProgressBar> bar;  // made at the first report, which gives the number of runs
    c.validation.on_progress = [&](int done, int total) {
      if (!bar) bar.emplace("validate (full trainer)", total, "runs");
      bar->update(done);
    };
    validation = command.timed("validation_seconds", [&] { return compare::validate_diagram(setup, summary, c.validation); });
    if (bar) bar->finish();
    fmt::print("{}\n", validation.BriefReport());
    command.warn(validation.warnings);
    auto fixed = parameter_columns(setup.parameters);  // the continued parameter varies by row: not a constant column
    std::erase_if(fixed, [&](const auto& column) {
      return c.options.parameter == reduced::BifurcationParameter::kN ? column.first == "n" : column.first != "n";
    });
    command.write("validation.csv", with_parameter_columns(compare::validation_csv(validation), fixed));
  }
  command.timed("plot_seconds", [&] {
    if (!c.plot.empty()) plots::plot_bifurcation_diagram(c.plot, diagram_data(summary, validation));
    if (!c.plot_3d.empty()) plots::plot_bifurcation_diagram_3d(c.plot_3d, diagram_data(summary));
  });
  nlohmann::json parameters = setup.ToJson();
  parameters["continuation"] = c.options.ToJson();
  parameters["continuation"]["method"] = c.method;
  if (c.validate) parameters["validation"] = c.validation.ToJson();
  parameters["seed"] = nullptr;  // deterministic: no random numbers
  command.close(parameters, compare::ValidatedDiagramSummary(summary, validation),
                c.validate ? "the diagram or its validation is incomplete" : "the diagram is incomplete");
}

const Registrar registrar(40, [](CLI::App& app) {
  auto config = std::make_shared<ContinueConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("continue", "Complete bifurcation diagram of the reduced flow in n or T (Figure 5A)");
  add_reduced_options(cmd, c.reduced);
  auto& o = c.options;
  cmd->add_option("--param", c.parameter, "Continuation parameter: n or T (the other one is fixed by --n or --T/--Tr)")->capture_default_str();
  cmd->add_option("--from", o.from, "Start of the parameter window")->capture_default_str();
  cmd->add_option("--to", o.to, "End of the parameter window")->capture_default_str();
  cmd->add_option("--method", c.method, "continuation, or grid (brute force, for validation)")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for branches.csv, special_points.csv and run.json");
  cmd->add_option("--plot", c.plot, "Figure 5A: parameter vs alpha and vs ell (.png/.svg/.pdf)");
  cmd->add_option("--plot-3d", c.plot_3d, "3-D view (parameter, alpha, ell) (.png/.svg/.pdf)");
  cmd->add_option("--seed-values", o.seed_values, "Parameter values where equilibria are searched as seeds")->capture_default_str();
  cmd->add_option("--start", c.start, "Continue only from this ALPHA,ELL at --from (on --chart) instead of seeding")->delimiter(',');
  cmd->add_option("--ds-max", o.continuation.ds_max, "Largest arclength step (scaled space)")->capture_default_str();
  cmd->add_option("--max-steps", o.continuation.max_steps, "Steps per branch and direction")->capture_default_str();
  cmd->add_option("--alpha-min", o.alpha_min, "Domain: smallest alpha (both charts)")->capture_default_str();
  cmd->add_option("--alpha-max", o.alpha_max, "Domain: largest alpha")->capture_default_str();
  cmd->add_option("--param-steps", o.param_steps, "Grid method: parameter steps")->capture_default_str();
  cmd->add_option("--grid-resolution", o.grid_resolution, "Grid method: (alpha, ell) cell size")->capture_default_str();
  auto& v = c.validation;
  auto* validate = cmd->add_flag("--validate", c.validate,
                "Train the full network (two memories) from each basin at --validate-count values and measure the "
                "final states' distance to the stable branches; validation.csv (needs --images/--pair, or "
                "$WADDINGTON_DATA for the default pair)");
  cmd->add_option("--validate-n", v.values, "Validate at these parameter values (n, or T with --param T) instead")
      ->delimiter(',')->needs(validate);
  cmd->add_option("--validate-count", v.count, "Validate at this many values spaced over the window (ends included)")
      ->capture_default_str()->needs(validate);
  cmd->add_option("--validate-epochs", v.max_epochs, "Epoch limit of every full-trainer run")->capture_default_str()->needs(validate);
  cmd->add_option("--rate", v.rate, "Learning rate of the full trainer (reduced time = epochs x rate)")
      ->capture_default_str()->needs(validate);
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
