#pragma once
// Settings files for every subcommand (issue 12), with CLI11's own TOML
// reader and writer:
//   waddington continue --param T --n 30 --write-config run.toml   # saves the options, runs nothing
//   waddington continue --config run.toml                          # reads them back
//   waddington continue --config run.toml --n 40                   # the command line wins
// The file holds one `key = value` per option, the long name without its
// dashes (`n-range = "1:60"`, `T = 700.0`, `same-class = true`); a
// `[continue]` section naming the subcommand is read too. A section for
// another subcommand (`[train]` in a file given to fixed-points) or a key that
// is not an option of the subcommand is an error naming every one of them
// (exit 2), never silently ignored. Deprecated spellings are not read from files.
#include <CLI/CLI.hpp>

namespace waddington::app {

// Adds --config FILE and --write-config FILE to `cmd`, after all its other
// options. --write-config writes the effective options (given and defaults)
// and ends the program with status 0 (CLI::Success) before the command runs.
void add_config_options(CLI::App* cmd);

}  // namespace waddington::app
