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
  std::string out;
};

void run(EigencheckConfig c) {
  Command command("eigencheck", c.out);
  if (c.options.full && c.reduced.images.empty())
    throw InputError("--full needs the two samples for the full network: give --images FILE --pair I,J");
  const auto setup = reduced_setup(c.reduced, &command.record());
  command.validate(c.options);
  command.start();
  const auto result = command.timed("eigencheck_seconds", [&] { return compare::eigencheck(setup, c.options); });
  fmt::print("{}\n", result.table());
  command.write("eigencheck.csv", with_parameter_columns(result.csv(), parameter_columns(setup.parameters)));
  nlohmann::json parameters = setup.ToJson();
  parameters["identical_memories"] = 2;
  parameters["eigencheck"] = c.options.ToJson();
  command.close(parameters, result.ToJson());
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
  cmd->add_option("--out", c.out, "Directory for eigencheck.csv and run.json");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
