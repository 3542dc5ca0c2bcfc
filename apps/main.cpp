// The waddington CLI: a thin layer over the libraries. Subcommands register
// themselves (apps/registry.hpp); this file only dispatches and turns every
// exception into a one-line error and a non-zero exit status.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>

#include "apps/config_file.hpp"
#include "apps/progress.hpp"
#include "apps/registry.hpp"
#include "apps/run_record.hpp"
#include "lib/errors.hpp"
#include "lib/version.hpp"

int main(int argc, char** argv) {
  waddington::app::CommandLine::argc() = argc;
  waddington::app::CommandLine::argv() = argv;
  CLI::App app{"waddington: dynamical-systems toolkit for generalized Hopfield networks"};
  app.require_subcommand(1);
  app.add_flag("--quiet", waddington::app::ProgressBar::quiet(), "No progress lines on stderr (results and errors still appear)");
  app.fallthrough();  // `waddington SUBCOMMAND --quiet` works too
  app.set_version_flag("--version", fmt::format("waddington {} ({})", waddington::kVersion, waddington::kGitRevision));
  auto& entries = waddington::app::command_registry();
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  for (const auto& entry : entries) entry.add(app);
  for (CLI::App* sub : app.get_subcommands({})) waddington::app::add_config_options(sub);
  try {
    // An empty value ("--out ''", "--n=") would reach the options as "" or 0: refuse it by name.
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i], previous = i > 1 ? argv[i - 1] : "";
      if (arg.size() > 2 && arg.rfind("--", 0) == 0 && arg.back() == '=')
        throw waddington::InputError(fmt::format("{} '': an empty value (give a value or leave the option out)",
                                                 arg.substr(0, arg.size() - 1)));
      if (arg.empty() && previous.size() > 2 && previous.rfind("--", 0) == 0)
        throw waddington::InputError(
            fmt::format("{} '': an empty value (give a value or leave the option out)", previous));
    }
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::Success&) {  // --write-config wrote its file
    return 0;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "waddington: error: %s\n", e.what());
    return 2;
  } catch (const waddington::InputError& e) {
    std::fprintf(stderr, "waddington: error: %s\n", e.what());
    return 2;
  } catch (const waddington::IncompleteResult& e) {
    std::fprintf(stderr, "waddington: error: %s\n", e.what());
    return 1;
  } catch (const waddington::Interrupted& e) {
    std::fprintf(stderr, "waddington: interrupted: %s\n", e.what());
    return 128 + e.signal;
  } catch (const waddington::EnvironmentError& e) {
    std::fprintf(stderr, "waddington: error: %s\n", e.what());
    return 3;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "waddington: error: out of memory\n");
    return 4;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "waddington: internal error: %s\n", e.what());
    return 5;
  }
  return 0;
}
