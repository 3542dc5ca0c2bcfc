#include "apps/config_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "lib/escape.hpp"

namespace waddington::app {
namespace {

// Applies the items of `file` meant for `cmd` to its options that the command
// line left unset, as CLI11 does for its own --config (Option::add_result,
// then the option's callback).
void apply_config(CLI::App* cmd, const std::string& file) {
  if (!std::filesystem::is_regular_file(file)) throw InputError(fmt::format("--config '{}': no such file", file));
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(file);
  } catch (const CLI::Error& e) {
    throw InputError(fmt::format("--config '{}': {}", file, e.what()));
  }
  const auto option_of = [cmd](const CLI::ConfigItem& item) {
    CLI::Option* op = cmd->get_option_no_throw("--" + item.name);
    if (!op) op = cmd->get_option_no_throw(item.name);  // a positional (sweep's train_options)
    return op && op->get_configurable() ? op : nullptr;
  };
  // Everything in the file must be for this subcommand: a [train] section given to
  // fixed-points would otherwise be silently ignored. All strangers in one line.
  std::vector<std::string> sections, keys;
  const auto add_once = [](std::vector<std::string>& list, const std::string& name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
  };
  for (const auto& item : items) {
    if (item.parents.size() == 1 && item.parents[0] == cmd->get_name()) {
      if (item.name != "++" && item.name != "--" && !option_of(item)) add_once(keys, "'" + escape_for_message(item.fullname()) + "'");
    } else if (!item.parents.empty()) {
      add_once(sections, "[" + escape_for_message(CLI::detail::join(item.parents, ".")) + "]");
    } else if (item.name != "++" && item.name != "--" && !option_of(item)) {
      add_once(keys, "'" + escape_for_message(item.name) + "'");
    }
  }
  if (!sections.empty() || !keys.empty()) {
    std::string what;
    if (!sections.empty())
      what = fmt::format("section{} {} {} not for {} (a section names the subcommand that reads it)",
                         sections.size() > 1 ? "s" : "", CLI::detail::join(sections, ", "),
                         sections.size() > 1 ? "are" : "is", cmd->get_name());
    if (!keys.empty())
      what += fmt::format("{}{} {} not {} of {}", what.empty() ? "" : "; ", CLI::detail::join(keys, ", "),
                          keys.size() > 1 ? "are" : "is", keys.size() > 1 ? "options" : "an option", cmd->get_name());
    throw InputError(fmt::format("--config '{}': {}", file, what));
  }
  for (const auto& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    CLI::Option* op = option_of(item);
    if (op->count() > 0) continue;  // given on the command line: it wins
    try {
      if (op->get_expected_min() == 0) {  // a flag
        const std::string value = CLI::ConfigTOML().to_flag(item);
        if (value == "true" || value == "1") op->add_result(std::string("true"));
        else if (!(value == "false" || value == "0" || value == "-1"))
          throw InputError(fmt::format("--config '{}': {} = {}: expected true or false", file, item.name, value));
      } else {
        op->add_result(item.inputs);
      }
      op->run_callback();
    } catch (const CLI::ParseError& e) {
      throw InputError(fmt::format("--config '{}': {}: {}", file, item.name, e.what()));
    }
  }
}

// A TOML value: a number or boolean as it is, anything else a quoted string.
std::string toml_value(const std::string& v) {
  if (v == "true" || v == "false") return v;
  try {
    std::size_t used = 0;
    (void)std::stod(v, &used);
    if (used == v.size() && v.find_first_of("xXnN") == std::string::npos) return v;  // not hex, nan, inf
  } catch (const std::logic_error&) {
  }
  std::string quoted = "\"";
  for (char ch : v) {
    if (ch == '"' || ch == '\\') quoted += '\\';
    quoted += ch;
  }
  return quoted + "\"";
}

std::string toml_values(const std::vector<std::string>& values) {
  if (values.size() == 1) return toml_value(values[0]);
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + toml_value(values[i]);
  return out + "]";
}

// The options of `cmd` as `key = value` lines: those given (exactly as
// given); every other option with a default as a comment `# key = default`
// to edit (the defaults are not set by the file, so a file read back runs
// exactly the command that wrote it, and options that exclude or need each
// other stay consistent).
std::string config_text(const CLI::App* cmd) {
  std::string text = fmt::format("# waddington {} settings; read with: waddington {} --config FILE\n"
                                 "# (lines starting with # are defaults or descriptions; remove the # to set one)\n",
                                 cmd->get_name(), cmd->get_name());
  for (const CLI::Option* op : cmd->get_options()) {
    if (!op->get_configurable() || op == cmd->get_help_ptr() || op->get_group().empty()) continue;
    const std::string key = op->get_lnames().empty() ? op->get_name() : op->get_lnames()[0];
    if (key.empty()) continue;
    text += fmt::format("\n# {}\n", op->get_description());
    if (op->count() > 0) {
      text += fmt::format("{} = {}\n", key, op->get_expected_min() == 0 ? "true" : toml_values(op->results()));
    } else if (const std::string d = op->get_default_str(); !d.empty()) {
      text += fmt::format("# {} = {}\n", key, d.front() == '[' ? d : toml_value(d));
    }
  }
  return text;
}

}  // namespace

void add_config_options(CLI::App* cmd) {
  // Both callbacks run after the command line is parsed and before the command (CLI11 runs option
  // callbacks in the order the options were added, these two last), so the file fills what was not given.
  cmd->add_option("--config", "Read options from this TOML file (key = value per option, e.g. n-range = \"1:60\"); the command line wins")
      ->configurable(false)
      ->each([cmd](const std::string& file) { apply_config(cmd, file); });
  cmd->add_option("--write-config", "Write the options (given and defaults) to this TOML file for --config, and stop")
      ->configurable(false)
      ->each([cmd](const std::string& file) {
        if (file.empty()) throw InputError("--write-config '': give a file name");
        write_file_atomic(file, config_text(cmd));
        std::fprintf(stderr, "waddington: wrote %s\n", file.c_str());
        throw CLI::Success();
      });
}

}  // namespace waddington::app
