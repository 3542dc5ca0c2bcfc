#include "apps/vocabulary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "lib/errors.hpp"

namespace waddington::app {
namespace {

// Two finite numbers separated by `sep`, or nothing.
bool parse_two(const std::string& text, char sep, double* a, double* b) {
  const auto at = text.find(sep);
  if (at == std::string::npos || text.find(sep, at + 1) != std::string::npos) return false;
  const std::string first = text.substr(0, at), second = text.substr(at + 1);
  try {
    std::size_t used_a = 0, used_b = 0;
    *a = std::stod(first, &used_a), *b = std::stod(second, &used_b);
    return used_a == first.size() && used_b == second.size() && std::isfinite(*a) && std::isfinite(*b);
  } catch (const std::logic_error&) {
    return false;
  }
}

}  // namespace

std::pair<double, double> parse_window(const std::string& text, const char* option) {
  double lo = 0, hi = 0;
  if (!parse_two(text, ':', &lo, &hi)) throw InputError(fmt::format("{} '{}': expected A:B with two numbers", option, text));
  if (!(lo < hi)) throw InputError(fmt::format("{} {}: empty or inverted window (need A < B)", option, text));
  return {lo, hi};
}

std::pair<double, double> parse_point(const std::string& text, const char* option) {
  double alpha = 0, ell = 0;
  if (!parse_two(text, ',', &alpha, &ell))
    throw InputError(fmt::format("{} '{}': expected ALPHA,ELL (two numbers)", option, text));
  return {alpha, ell};
}

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

std::string temperature_line(const reduced::TwoMemoryParameters& p, const std::string& varying) {
  const double k = p.identical_memories;
  const bool fixed_n = varying.find('n') == std::string::npos, fixed_T = varying.find('T') == std::string::npos;
  std::string given;
  if (fixed_T) given += fmt::format("T = {:.6g} (T_r = {:.4f}), ", p.T, p.rescaled_temperature());
  if (fixed_n) given += fmt::format("n = {:.6g}, ", p.n);
  if (k == 1) return fmt::format("# {}one memory: the flow runs at T_eff = T", given);
  std::string line = fmt::format("# {}k = {:g} identical memories (--memories-identical): the flow runs at T_eff = T / {:g}^(1/n)",
                                 given, k, k);
  if (fixed_n && fixed_T)
    line += fmt::format(" = {:.6g} (T_eff/N = {:.4f})", p.effective_temperature(), p.effective_temperature() / p.num_pixels);
  else if (fixed_n)
    line += fmt::format(" = {:.6g} T", 1 / std::pow(k, 1 / p.n));
  return line + "; the T and T_r columns are T";
}

nlohmann::json temperature_json(const reduced::TwoMemoryParameters& p, const std::string& varying) {
  nlohmann::json j = {{"memories_identical", p.identical_memories},
                      {"T_eff_rule", fmt::format("T_eff = T / {:g}^(1/n)", p.identical_memories)}};
  j["T_eff"] = varying.empty() ? nlohmann::json(p.effective_temperature()) : nlohmann::json(nullptr);
  return j;
}

}  // namespace waddington::app
