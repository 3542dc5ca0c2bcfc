#include "apps/reduced_options.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"

namespace waddington::app {

void add_reduced_options(CLI::App* cmd, ReducedConfig& c) {
  auto* aa = cmd->add_option("--AA", c.AA, "<A,A> (default: the paper's Figure 5 pair)")->capture_default_str();
  auto* ab = cmd->add_option("--AB", c.AB, "<A,B>")->capture_default_str();
  auto* bb = cmd->add_option("--BB", c.BB, "<B,B>")->capture_default_str();
  c.images_option = cmd->add_option("--images", c.images, "Images (.npy or IDX) to take A and B from (with --pair)");
  auto* pair = cmd->add_option("--pair", c.pair, "Rows I,J of --images used as A and B (e.g. 21,81)");
  c.images_option->excludes(aa)->excludes(ab)->excludes(bb);
  pair->needs(c.images_option);
  c.images_option->needs(pair);
  c.n_option = cmd->add_option("--n", c.n, "Power n of F(x) = max(x,0)^n (real)")->capture_default_str();
  c.m_option = cmd->add_option("--m", c.m, "Cost power m (default: m = n)");
  c.T_option = cmd->add_option("--T", c.T, "Temperature T")->capture_default_str();
  c.Tr_option = cmd->add_option("--Tr", c.Tr, "Rescaled temperature T_r = T/N (instead of --T)")->excludes(c.T_option);
  cmd->add_option("--memories-identical", c.identical_memories, "k identical memories: T_eff = T / k^(1/n)")
      ->capture_default_str();
  cmd->add_option("--classes", c.classes, "Number of output classes C")->capture_default_str();
  cmd->add_option("--chart", c.chart, "Chart s: alpha_B = s (1 - |alpha|), +1 or -1")->capture_default_str();
  cmd->add_flag("--same-class", c.same_class, "A and B of the same class (one-memory intra-digit case)");
}

reduced::TwoMemorySetup reduced_setup(const ReducedConfig& c, RunRecord* record) {
  reduced::TwoMemorySetupOptions o;
  auto& p = o.parameters;
  p.AA = c.AA, p.AB = c.AB, p.BB = c.BB;
  p.n = c.n;
  if (c.m_option && c.m_option->count() > 0) p.m = c.m;
  p.identical_memories = c.identical_memories;
  p.classes = c.classes;
  p.chart = c.chart;
  p.same_class = c.same_class;
  if (!c.images.empty()) {
    const std::vector<int> rows = parse_int_list(c.pair, "--pair");
    if (rows.size() != 2) throw InputError(fmt::format("--pair '{}': expected two row indices I,J", c.pair));
    o.images = c.images, o.rows = {rows[0], rows[1]};
  }
  if (c.Tr_option && c.Tr_option->count() > 0) o.rescaled_temperature = c.Tr;
  else p.T = c.T;
  reduced::TwoMemorySetup setup = reduced::two_memory_setup(o);
  if (record && !setup.images.empty()) record->add_input_file("images", setup.images);
  return setup;
}

Eigen::VectorXd parse_start(const std::string& text) {
  std::vector<double> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    double v = 0;
    try { v = std::stod(item, &used); } catch (const std::exception&) { used = 0; }
    if (used == 0 || used != item.size() || !std::isfinite(v))
      throw InputError(fmt::format("--start '{}': expected alpha,ell[,alpha,ell...] numbers", text));
    values.push_back(v);
  }
  if (values.size() < 2 || values.size() % 2) throw InputError(fmt::format("--start '{}': expected pairs alpha,ell", text));
  return Eigen::Map<Eigen::VectorXd>(values.data(), Eigen::Index(values.size()));
}

std::vector<std::pair<double, double>> parse_starts(const std::string& text) {
  std::vector<std::pair<double, double>> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ';')) {
    double a, l;
    char comma;
    std::stringstream one(item);
    if (!(one >> a >> comma >> l) || comma != ',' || !(one >> std::ws).eof())
      throw InputError(fmt::format("--trajectories '{}': expected alpha,ell;alpha,ell;...", text));
    out.emplace_back(a, l);
  }
  return out;
}

void check_format(const std::string& format) {
  if (format != "table" && format != "csv" && format != "json")
    throw InputError(fmt::format("--format '{}': expected table, csv or json", format));
}

std::pair<double, double> parse_range(const std::string& text, const char* option) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    std::size_t used_a = 0, used_b = 0;
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    const double lo = std::stod(a, &used_a), hi = std::stod(b, &used_b);
    if (used_a != a.size() || used_b != b.size()) throw std::invalid_argument("trailing characters");
    if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi))
      throw InputError(fmt::format("{} {}: empty or inverted range (need A < B)", option, text));
    return {lo, hi};
  } catch (const std::logic_error&) {
    throw InputError(fmt::format("{} '{}': expected A:B with two numbers", option, text));
  }
}

}  // namespace waddington::app
