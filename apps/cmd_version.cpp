// `waddington version`: the version, git revision and build configuration.
#include <fmt/format.h>

#include "apps/registry.hpp"
#include "lib/version.hpp"

namespace {
const waddington::app::Registrar registrar(1000, [](CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the version and git revision");
  cmd->callback([] { fmt::print("waddington {} ({})\n", waddington::kVersion, waddington::kGitRevision); });
});
}  // namespace
