#include "apps/reduced_options.hpp"

#include <fmt/format.h>

#include <cmath>

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
  c.identical_option = cmd->add_option("--memories-identical", c.identical_memories, kEffectiveTemperatureHelp)
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

std::pair<double, double> AlphaWindow::get() const {
  auto [lo, hi] = parse_window(range, "--alpha-range");
  if (min_option && min_option->count() > 0) lo = min;
  if (max_option && max_option->count() > 0) hi = max;
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi))
    throw InputError(fmt::format("alpha window [{}, {}]: need finite A < B", lo, hi));
  return {lo, hi};
}

void add_alpha_window(CLI::App* cmd, AlphaWindow& w, const std::string& what) {
  cmd->add_option("--alpha-range", w.range, "Alpha window A:B: " + what)->capture_default_str();
  w.min_option = cmd->add_option("--alpha-min", w.min, "Deprecated: the A of --alpha-range")->group("")->configurable(false);
  w.max_option = cmd->add_option("--alpha-max", w.max, "Deprecated: the B of --alpha-range")->group("")->configurable(false);
}

}  // namespace waddington::app
