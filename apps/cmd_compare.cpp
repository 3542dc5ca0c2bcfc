// `waddington compare`: the full trainer with two memories on the two samples
// against the reduced (alpha, ell) flow from the same start (compare/compare.hpp;
// the paper's Figure 5C-D). Thin: config -> CompareOptions -> compare_reduced_full
// -> brief report, compare.csv, run.json, plot.
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "lib/csv_columns.hpp"
#include "compare/compare.hpp"
#include "compare/formats.hpp"

namespace waddington::app {
namespace {

struct CompareConfig {
  ReducedConfig reduced;
  compare::CompareOptions options;
  std::string start = "0.45,0.0", out, plot, format = "table";
};

void run(CompareConfig c) {
  Command command("compare", c.out, {c.plot});
  if (c.reduced.images.empty())
    throw InputError("compare needs the two samples for the full network: give --images FILE --pair I,J");
  if (c.reduced.identical_given())
    throw InputError("--memories-identical does not apply to compare: the full network has two memories, so the reduced "
                     "flow is the k = 2 one (T_eff = T / 2^(1/n))");
  const auto setup = reduced_setup(c.reduced, &command.record());
  std::tie(c.options.alpha, c.options.ell) = parse_point(c.start, "--start");
  command.validate(c.options);
  command.start();
  const auto result = command.timed("compare_seconds", [&] { return compare::compare_reduced_full(setup, c.options); });
  // Two memories on the two samples: the reduced flow is the k = 2 one (T_eff = T / 2^(1/n)).
  reduced::TwoMemoryParameters as_run = setup.parameters;
  as_run.identical_memories = 2;
  nlohmann::json json = result.ToJson();
  json["temperature"] = temperature_json(as_run);
  const std::string csv = with_parameter_columns(compare::compare_csv(result), parameter_columns(setup.parameters));
  print_result(c.format, temperature_line(as_run) + "\n" + result.BriefReport(), csv, json);
  command.write("compare.csv", csv);
  if (!c.plot.empty()) {
    const auto portrait = compare::compare_portrait(setup, result);
    plot_phase_portrait(c.plot, portrait.setup, result.fixed_points.fixed_points,
                        {result.reduced_trajectory, portrait.full}, portrait.options, {"reduced flow", "full network"});
  }
  nlohmann::json parameters = setup.ToJson();
  parameters["identical_memories"] = 2;
  parameters["compare"] = c.options.ToJson();
  command.close(parameters, json);
}

const Registrar registrar(60, [](CLI::App& app) {
  auto config = std::make_shared<CompareConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("compare", "Full network (two memories) against the reduced flow from the same start");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--start", c.start, "Start point ALPHA,ELL of both memories (before --split)")->capture_default_str();
  cmd->add_option("--split", c.options.split,
                  "Symmetry-breaking perturbation EPS: memory 1 at alpha+EPS/2, memory 2 at alpha-EPS/2")
      ->capture_default_str();
  cmd->add_option("--split-threshold", c.options.split_threshold,
                  "The memories have split at the first epoch with |alpha_1 - alpha_2| >= this")
      ->capture_default_str();
  cmd->add_option("--epochs", c.options.epochs, "Epochs of the full trainer")->capture_default_str();
  cmd->add_option("--rate", c.options.rate, "Learning rate (reduced time = epochs x rate)")->capture_default_str();
  add_format_option(cmd, c.format, "compare.csv");
  cmd->add_option("--out", c.out, "Directory for compare.csv and run.json");
  cmd->add_option("--plot", c.plot, "Both trajectories over the phase portrait (.png/.svg/.pdf)");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
