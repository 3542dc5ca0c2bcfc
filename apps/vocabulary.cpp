#include "apps/vocabulary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "lib/errors.hpp"

namespace waddington::app {
CLI::Option* add_format_option(CLI::App* cmd, std::string& format, const std::string& what_csv) {
  return cmd
      ->add_option("--format", format,
                   fmt::format("What stdout gets: table (for reading), csv ({}) or json (the summary)", what_csv))
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "csv", "json"}));
}

void print_result(const std::string& format, const std::string& table, const std::string& csv,
                  const nlohmann::json& json) {
  if (format == "csv") fmt::print("{}", csv);
  else if (format == "json") fmt::print("{}\n", json.dump(2));
  else fmt::print("{}{}", table, !table.empty() && table.back() != '\n' ? "\n" : "");
}

std::string read_output(const std::string& dir, const std::string& file) {
  std::ifstream in(std::filesystem::path(dir) / file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace waddington::app
