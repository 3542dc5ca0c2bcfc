// `waddington eigencheck`: eigenvalues of every fixed point against the
// exponential rate of trajectories started along the eigenvectors
// (compare/eigencheck.hpp), in the reduced flow and, with --full, in the full
// network with two memories.
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "lib/csv_columns.hpp"
#include "compare/eigencheck.hpp"

namespace waddington::app {
namespace {

struct EigencheckConfig {
  ReducedConfig reduced;
  compare::EigencheckOptions options;
  std::string out, format = "table";
};

void run(EigencheckConfig c) {
  Command command("eigencheck", c.out);
  if (c.options.full && c.reduced.images.empty())
    throw InputError("--full needs the two samples for the full network: give --images FILE --pair I,J");
  if (c.reduced.identical_given())
    throw InputError("--memories-identical does not apply to eigencheck: the full network has two memories, so the reduced "
                     "flow is the k = 2 one (T_eff = T / 2^(1/n))");
  const auto setup = reduced_setup(c.reduced, &command.record());
  command.validate(c.options);
  command.start();
  const auto result = command.timed("eigencheck_seconds", [&] { return compare::eigencheck(setup, c.options); });
  reduced::TwoMemoryParameters as_run = setup.parameters;
  as_run.identical_memories = 2;  // the fixed points of the k = 2 flow, as the full network with two memories
  nlohmann::json json = result.ToJson();
  json["temperature"] = temperature_json(as_run);
  const std::string csv = with_parameter_columns(result.csv(), parameter_columns(setup.parameters));
  print_result(c.format, temperature_line(as_run) + "\n" + result.table(), csv, json);
  command.write("eigencheck.csv", csv);
  nlohmann::json parameters = setup.ToJson();
  parameters["identical_memories"] = 2;
  parameters["eigencheck"] = c.options.ToJson();
  command.close(parameters, json);
}

const Registrar registrar(61, [](CLI::App& app) {
  auto config = std::make_shared<EigencheckConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("eigencheck", "Eigenvalues of the fixed points against trajectories along the eigenvectors");
  add_reduced_options(cmd, c.reduced);
  cmd->add_flag("--full", c.options.full, "Also the full network with two memories (needs --images, --pair)");
  cmd->add_option("--distance", c.options.distance, "Start distance from the fixed point (reduced flow)")
      ->capture_default_str();
  cmd->add_option("--full-distance", c.options.full_distance, "Start distance from the fixed point (full network)")
      ->capture_default_str();
  cmd->add_option("--window", c.options.window_decades, "Fit window: 0 <= t <= WINDOW / |eigenvalue|")
      ->capture_default_str();
  cmd->add_option("--fit-samples", c.options.fit_samples, "Samples in the fit window (reduced flow)")->capture_default_str();
  cmd->add_option("--rate", c.options.rate, "Learning rate of the full network (time = epochs x rate)")
      ->capture_default_str();
  cmd->add_option("--max-full-epochs", c.options.max_full_epochs, "Longest full-network run per direction")
      ->capture_default_str();
  add_format_option(cmd, c.format, "eigencheck.csv");
  cmd->add_option("--out", c.out, "Directory for eigencheck.csv and run.json");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
