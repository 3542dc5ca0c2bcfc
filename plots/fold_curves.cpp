#include "plots/fold_curves.hpp"

#include <fmt/format.h>

#include <sstream>

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

void plot_fold_curves(const std::filesystem::path& output, const FoldCurvePlotData& data) {
  std::vector<DataBlock> blocks;
  std::vector<std::string> clauses;
  std::string body = fmt::format("set title {}\nset xlabel 'n'\nset ylabel 'T_r = T / N'\n", quote(data.title));
  body += fmt::format("set xrange [{:.10g}:{:.10g}]\nset yrange [{:.10g}:{:.10g}]\n", data.n_min, data.n_max,
                      data.Tr_min, data.Tr_max);
  body += "set key outside bottom center horizontal\nset grid front lc rgb '#bbbbbb'\n";
  if (!data.background.empty()) {
    blocks.push_back({"counts", background_text(data.background)});
    body += "set palette defined (0 '#ffffff', 1 '#dde9f6', 2 '#f9e0c4', 3 '#e0f0d8', 4 '#eeeeee')\n";
    body += "set cbrange [-0.5:4.5]\nset cbtics 1\nset cblabel 'number of stable equilibria'\n";
    clauses.push_back("$counts using 1:2:3 with image notitle");
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
  render(output, blocks, body, 1100, 750);
}

}  // namespace waddington::plots
