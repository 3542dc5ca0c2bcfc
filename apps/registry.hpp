#pragma once
// Each subcommand lives in its own apps/cmd_*.cpp and registers itself here with
// a static Registrar, so adding a subcommand never touches main.cpp.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace waddington::app {

struct CommandEntry {
  int order;  // position in `waddington --help`
  std::function<void(CLI::App&)> add;  // adds the subcommand and its callback
};

inline std::vector<CommandEntry>& command_registry() {
  static std::vector<CommandEntry> entries;
  return entries;
}

struct Registrar {
  Registrar(int order, std::function<void(CLI::App&)> add) {
    command_registry().push_back({order, std::move(add)});
  }
};

}  // namespace waddington::app
