#include "plots/fold_curves.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
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

// The n extent of the run of background cells around (n, Tr) on its row that
// share the count of the cell nearest it; false without a background.
bool face_run(const FoldCurvePlotData& data, double n, double Tr, double* lo, double* hi) {
  const auto& cells = data.background;
  if (cells.empty()) return false;
  std::size_t best = 0;
  for (std::size_t i = 1; i < cells.size(); ++i)
    if (std::hypot((cells[i].n - n) / (data.n_max - data.n_min), (cells[i].Tr - Tr) / (data.Tr_max - data.Tr_min)) <
        std::hypot((cells[best].n - n) / (data.n_max - data.n_min), (cells[best].Tr - Tr) / (data.Tr_max - data.Tr_min)))
      best = i;
  const double row = cells[best].Tr;
  const int count = cells[best].stable_count;
  *lo = *hi = cells[best].n;
  // Cells are n-major (one scan line per n): walk the row's cells outwards in n.
  std::vector<const CountCell*> same_row;
  for (const CountCell& c : cells)
    if (c.Tr == row) same_row.push_back(&c);
  std::sort(same_row.begin(), same_row.end(), [](const CountCell* a, const CountCell* b) { return a->n < b->n; });
  const auto at = std::find_if(same_row.begin(), same_row.end(), [&](const CountCell* c) { return c == &cells[best]; });
  for (auto it = at; it != same_row.end() && (*it)->stable_count == count; ++it) *hi = (*it)->n;
  for (auto it = at; (*it)->stable_count == count; --it) {
    *lo = (*it)->n;
    if (it == same_row.begin()) break;
  }
  return true;
}

// A region label: centred on its point where its face is wide enough there;
// otherwise beside the face (on its wider side) with an arrow to the point.
std::string region_label(const FoldCurvePlotData& data, const PlaneLabel& r) {
  constexpr double kPlotPixels = 960, kPixelsPerChar = 7.5;  // the 1100 px canvas's plot width, 11 pt text
  const double range = data.n_max - data.n_min;
  const double text_n = (r.text.size() * kPixelsPerChar + 12) / kPlotPixels * range;
  double lo = 0, hi = 0;
  if (!face_run(data, r.n, r.Tr, &lo, &hi) || hi - lo >= text_n)
    return fmt::format("set label {} at {:.10g},{:.10g} center front font ',11' boxed\n", quote(r.text), r.n, r.Tr);
  const double gap = 0.04 * range;
  const bool right = data.n_max - hi >= lo - data.n_min;
  const double x = right ? hi + gap : lo - gap;
  return fmt::format("set label {} at {:.10g},{:.10g} {} front font ',11' boxed\n"
                     "set arrow from {:.10g},{:.10g} to {:.10g},{:.10g} head size {:.4g},20 lw 1.2 lc rgb '#333333' front\n",
                     quote(r.text), x, r.Tr, right ? "left" : "right", x, r.Tr, r.n, r.Tr, 0.012 * range);
}

}  // namespace

PlotScript fold_curves_script(const FoldCurvePlotData& data) {
  std::vector<DataBlock> blocks;
  std::vector<std::string> clauses;
  std::string body = fmt::format("set title {}\nset xlabel 'n'\nset ylabel 'T_r = T / N'\n", quote(data.title));
  body += fmt::format("set xrange [{:.10g}:{:.10g}]\nset yrange [{:.10g}:{:.10g}]\n", data.n_min, data.n_max,
                      data.Tr_min, data.Tr_max);
  // The key centred below the plot, which ends above it (the x label clear of it).
  body += "set key at screen 0.5,0.015 center bottom horizontal maxrows 2\nset bmargin at screen 0.14\n"
          "set grid front lc rgb '#bbbbbb'\n";
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
  for (const PlaneLabel& r : data.regions) body += region_label(data, r);
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
