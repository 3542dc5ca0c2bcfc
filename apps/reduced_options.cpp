#include "apps/reduced_options.hpp"

#include <fmt/format.h>

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
  cmd->add_option("--n", c.n, "Power n of F(x) = max(x,0)^n (real)")->capture_default_str();
  c.m_option = cmd->add_option("--m", c.m, "Cost power m (default: m = n)");
  c.T_option = cmd->add_option("--T", c.T, "Temperature T")->capture_default_str();
  c.Tr_option = cmd->add_option("--Tr", c.Tr, "Rescaled temperature T_r = T/N (instead of --T)")->excludes(c.T_option);
  cmd->add_option("--memories-identical", c.identical_memories, "k identical memories: T_eff = T / k^(1/n)")
      ->capture_default_str();
  cmd->add_option("--classes", c.classes, "Number of output classes C")->capture_default_str();
  cmd->add_option("--chart", c.chart, "Chart s: alpha_B = s (1 - |alpha|), +1 or -1")->capture_default_str();
  cmd->add_flag("--same-class", c.same_class, "A and B of the same class (one-memory intra-digit case)");
}

namespace {
std::pair<int, int> parse_pair(const std::string& text, Eigen::Index rows, const std::string& file) {
  const std::vector<int> rows_given = parse_int_list(text, "--pair");
  if (rows_given.size() != 2) throw InputError(fmt::format("--pair '{}': expected two row indices I,J", text));
  for (int r : rows_given)
    if (r < 0 || r >= rows)
      throw InputError(fmt::format("--pair: index {} out of range: '{}' has {} images (0..{})", r, file, rows, rows - 1));
  if (rows_given[0] == rows_given[1]) throw InputError(fmt::format("--pair '{}': A and B must be different rows", text));
  return {rows_given[0], rows_given[1]};
}
}  // namespace

ReducedSetup reduced_setup(const ReducedConfig& c, RunRecord* record) {
  ReducedSetup s;
  auto& p = s.parameters;
  p.AA = c.AA, p.AB = c.AB, p.BB = c.BB;
  p.n = c.n;
  if (c.m_option && c.m_option->count() > 0) p.m = c.m;
  p.identical_memories = c.identical_memories;
  p.classes = c.classes;
  p.chart = c.chart;
  p.same_class = c.same_class;
  if (!c.images.empty()) {
    const Eigen::MatrixXd images = load_images(c.images);
    const auto [i, j] = parse_pair(c.pair, images.rows(), c.images);
    s.A = images.row(i).transpose(), s.B = images.row(j).transpose();
    s.row_A = i, s.row_B = j;
    s.images = c.images;
    p = reduced::with_samples(p, s.A, s.B);
    if (record) record->add_input_file("images", c.images);
  }
  const bool use_Tr = c.Tr_option && c.Tr_option->count() > 0;
  if (use_Tr && !(std::isfinite(c.Tr) && c.Tr > 0)) throw InputError(fmt::format("--Tr {} must be positive", c.Tr));
  p.T = use_Tr ? c.Tr * p.num_pixels : c.T;
  p.Validate();
  return s;
}

nlohmann::json ReducedSetup::ToJson() const {
  const auto& p = parameters;
  nlohmann::json j = {{"AA", p.AA}, {"AB", p.AB}, {"BB", p.BB}, {"n", p.n}, {"m", p.cost_power()},
                      {"m_follows_n", !p.m.has_value()}, {"T", p.T}, {"T_eff", p.effective_temperature()},
                      {"Tr", p.rescaled_temperature()}, {"N", p.num_pixels},
                      {"memories_identical", p.identical_memories}, {"classes", p.classes}, {"chart", p.chart},
                      {"same_class", p.same_class}};
  if (!images.empty()) j["images"] = images, j["pair"] = {row_A, row_B};
  return j;
}

void check_format(const std::string& format) {
  if (format != "table" && format != "csv" && format != "json")
    throw InputError(fmt::format("--format '{}': expected table, csv or json", format));
}

}  // namespace waddington::app
