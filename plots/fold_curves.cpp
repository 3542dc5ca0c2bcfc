#include "plots/fold_curves.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "plots/gnuplot.hpp"

namespace waddington::plots {
namespace {

std::string curves_text(const FoldCurvePlotData& data) {
  std::ostringstream out;
  for (const auto& curve : data.curves) {
    for (const PlanePoint& p : curve) out << fmt::format("{:.10g} {:.10g}\n", p.n, p.Tr);
    out << "\n";
  }
  return out.str();
}

std::string labels_text(const std::vector<PlaneLabel>& labels) {
  std::string text;
  for (const PlaneLabel& l : labels) text += fmt::format("{:.10g} {:.10g}\n", l.n, l.Tr);
  return text;
}

// Background cells as "n Tr count", one scan line per n value (gnuplot's
// `with image` wants the grid row by row).
std::string background_text(const std::vector<CountCell>& cells) {
  std::ostringstream out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0 && cells[i].n != cells[i - 1].n) out << "\n";
    out << fmt::format("{:.10g} {:.10g} {}\n", cells[i].n, cells[i].Tr, cells[i].stable_count);
  }
  return out.str();
}

}  // namespace

PlotScript fold_curves_script(const FoldCurvePlotData& data) {
  std::vector<DataBlock> blocks;
  std::vector<std::string> clauses;
  std::string body = fmt::format("set title {}\nset xlabel 'n'\nset ylabel 'T_r = T / N'\n", quote(data.title));
  body += fmt::format("set xrange [{:.10g}:{:.10g}]\nset yrange [{:.10g}:{:.10g}]\n", data.n_min, data.n_max,
                      data.Tr_min, data.Tr_max);
  body += "set key outside bottom center horizontal maxrows 2\nset grid front lc rgb '#bbbbbb'\n";
  if (!data.background.empty()) {
    blocks.push_back({"counts", background_text(data.background)});
    // A count is an integer: one flat colour per count (a stepped palette, no colour bar) and a key entry
    // for each count that occurs.
    static const char* colours[] = {"#ffffff", "#dde9f6", "#f9e0c4", "#d5ecc9", "#e3d4ec", "#eeeeee"};
    int most = 0;
    for (const CountCell& c : data.background) most = std::max(most, c.stable_count);
    const int top = std::min(most, 5);
    std::string palette;
    for (int k = 0; k <= top; ++k)
      palette += fmt::format("{}{:g} '{}', {:g} '{}'", k ? ", " : "", k - 0.5, colours[k], k + 0.5, colours[k]);
    body += fmt::format("set palette defined ({})\nset cbrange [-0.5:{:g}]\nunset colorbox\n", palette, top + 0.5);
    clauses.push_back("$counts using 1:2:(($3) > " + std::to_string(top) + " ? " + std::to_string(top) +
                      " : ($3)) with image notitle");
    std::vector<bool> present(top + 1, false);
    for (const CountCell& c : data.background) present[std::min(c.stable_count, top)] = true;
    for (int k = 0; k <= top; ++k)
      if (present[k])
        clauses.push_back(fmt::format("keyentry with boxes fs solid 1.0 border lc rgb '#999999' fc rgb '{}' title {}",
                                      colours[k], quote(k == top && most > top ? fmt::format("{}+ stable", k)
                                                                             : fmt::format("{} stable", k))));
  } else {
    body += "unset colorbox\n";
  }
  for (double tr : data.reference_Tr)
    body += fmt::format("set arrow from {0:.10g},{1:.10g} to {2:.10g},{1:.10g} nohead dt 3 lc rgb '#555555' front\n"
                        "set label {3} at {2:.10g},{1:.10g} right offset -0.5,0.6 font ',9' front\n",
                        data.n_min, tr, data.n_max, quote(fmt::format("T_r = {:g}", tr)));
  for (const PlaneLabel& r : data.regions)
    body += fmt::format("set label {} at {:.10g},{:.10g} center front font ',11' boxed\n", quote(r.text), r.n, r.Tr);
  body += "set style textbox opaque noborder\n";
  if (!data.curves.empty()) {
    blocks.push_back({"folds", curves_text(data)});
    clauses.push_back("$folds using 1:2 with lines lw 2.5 lc rgb 'black' title 'fold (saddle-node) curves'");
  }
  if (!data.cusps.empty()) {
    blocks.push_back({"cusps", labels_text(data.cusps)});
    clauses.push_back("$cusps using 1:2 with points pt 7 ps 1.8 lc rgb '#ff7f0e' title 'cusp'");
  }
  if (!data.exits.empty()) {
    blocks.push_back({"exits", labels_text(data.exits)});
    clauses.push_back("$exits using 1:2 with points pt 4 ps 1.4 lc rgb '#2ca02c' title 'curve ends (window or boundary)'");
  }
  std::string plot = "plot ";
  for (std::size_t i = 0; i < clauses.size(); ++i) plot += (i ? ", \\\n     " : "") + clauses[i];
  body += clauses.empty() ? "plot NaN notitle\n" : plot + "\n";
  return {blocks, body, 1100, 780};
}

void plot_fold_curves(const std::filesystem::path& output, const FoldCurvePlotData& data) {
  render(output, fold_curves_script(data));
}

}  // namespace waddington::plots
