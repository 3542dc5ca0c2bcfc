#include "plots/alphabar_trajectories.hpp"

#include <fmt/format.h>

#include <map>

#include "plots/digit_colors.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::plots {

void plot_alphabar_trajectories(const std::filesystem::path& output, const AlphabarTrajectoriesData& data) {
  // One data block per final digit: its memories' curves separated by blank lines.
  std::map<int, std::string> curves;
  std::string ends;
  for (const AlphabarTrajectory& m : data.memories) {
    std::string& text = curves[m.final_digit];
    for (const auto& p : m.points) text += fmt::format("{:.6g} {:.6g} {:.6g}\n", p[0], p[1], p[2]);
    text += "\n";
    if (!m.points.empty())
      ends += fmt::format("{:.6g} {:.6g} {:.6g}\n", m.points.back()[0], m.points.back()[1], m.points.back()[2]);
  }
  std::string splits;
  for (const auto& p : data.split_points) splits += fmt::format("{:.6g} {:.6g} {:.6g}\n", p[0], p[1], p[2]);
  std::vector<DataBlock> blocks{{"ends", ends}, {"splits", splits}};
  const auto [a, b, c] = data.digits;
  std::string body = fmt::format("set title {}\n", quote(data.title));
  body += fmt::format("set xlabel 'alphabar_{}'\nset ylabel 'alphabar_{}'\nset zlabel 'alphabar_{}' rotate parallel\n", a, b, c);
  body += "set view 60, 35\nset ticslevel 0\nset grid\nset key outside right top title 'final digit'\n";
  body += "splot ";
  bool first = true;
  for (const auto& [digit, text] : curves) {
    blocks.push_back({fmt::format("d{}", digit), text});
    body += fmt::format("{}$d{} using 1:2:3 with lines lw 1.5 lc rgb '{}' title '{}'", first ? "" : ", \\\n      ", digit,
                        digit_color(digit), digit);
    first = false;
  }
  if (first) body += "NaN notitle";
  body += ", \\\n      $ends using 1:2:3 with points pt 7 ps 0.6 lc rgb 'black' title 'final state'";
  if (!splits.empty()) body += ", \\\n      $splits using 1:2:3 with points pt 6 ps 2 lw 2 lc rgb 'black' title 'split'";
  body += "\n";
  render(output, blocks, body, 900, 750);
}

}  // namespace waddington::plots
