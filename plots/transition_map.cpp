#include "plots/transition_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "plots/gnuplot.hpp"

namespace waddington::plots {
namespace {

// The edges of the cells centred on sorted `centres` (midpoints; the outer
// cells as wide as their inner neighbour, or 1 when there is only one).
std::vector<double> cell_edges(const std::vector<double>& centres) {
  std::vector<double> edges(centres.size() + 1);
  for (std::size_t i = 1; i < centres.size(); ++i) edges[i] = 0.5 * (centres[i - 1] + centres[i]);
  const double first = centres.size() > 1 ? centres[1] - centres[0] : 1.0;
  const double last = centres.size() > 1 ? centres.back() - centres[centres.size() - 2] : 1.0;
  edges.front() = centres.front() - 0.5 * first;
  edges.back() = centres.back() + 0.5 * last;
  return edges;
}

struct Extent {
  double n_lo = 0, n_hi = 1, Tr_lo = 0, Tr_hi = 1, v_lo = 0.5, v_hi = 1;
};

// "n Tr n_lo n_hi Tr_lo Tr_hi value" per cell, for `with boxxyerror`.
std::string boxes_text(const std::vector<HeatCell>& cells, Extent* extent) {
  std::set<double> ns, Trs;
  for (const auto& c : cells) ns.insert(c.n), Trs.insert(c.Tr);
  const std::vector<double> n_centres(ns.begin(), ns.end()), Tr_centres(Trs.begin(), Trs.end());
  const auto n_edges = cell_edges(n_centres), Tr_edges = cell_edges(Tr_centres);
  extent->n_lo = n_edges.front(), extent->n_hi = n_edges.back();
  extent->Tr_lo = Tr_edges.front(), extent->Tr_hi = Tr_edges.back();
  std::string text;
  for (const auto& c : cells) {
    if (std::isnan(c.value)) continue;
    const auto i = std::size_t(std::lower_bound(n_centres.begin(), n_centres.end(), c.n) - n_centres.begin());
    const auto j = std::size_t(std::lower_bound(Tr_centres.begin(), Tr_centres.end(), c.Tr) - Tr_centres.begin());
    text += fmt::format("{:.10g} {:.10g} {:.10g} {:.10g} {:.10g} {:.10g} {:.6g}\n", c.n, c.Tr, n_edges[i],
                        n_edges[i + 1], Tr_edges[j], Tr_edges[j + 1], c.value);
    extent->v_lo = std::min(extent->v_lo, c.value);
    extent->v_hi = std::max(extent->v_hi, c.value);
  }
  return text;
}

// Text shown literally under gnuplot's enhanced mode (file names with '_').
std::string literal(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '^' || c == '{' || c == '}' || c == '@' || c == '&' || c == '~') out += '\\';
    out += c;
  }
  return out;
}

std::string points_text(const std::vector<std::pair<double, double>>& points) {
  std::string text;
  for (const auto& [n, Tr] : points) text += fmt::format("{:.10g} {:.10g}\n", n, Tr);
  return text;
}

}  // namespace

void plot_transition_map(const std::filesystem::path& output, const TransitionPlotData& data) {
  std::vector<DataBlock> blocks;
  // (The key's extra height keeps it clear of the x label.)
  std::string body = "set xlabel 'n'\nset ylabel 'T_r = T / N'\nset key outside bottom center horizontal height 1.5\n";
  body += "set palette defined (0 '#f7fbff', 0.35 '#9ecae1', 0.55 '#4292c6', 0.75 '#08519c', 1 '#08306b')\n";
  body += fmt::format("set cblabel {}\nset tics out\n", quote(data.value_label));
  const std::size_t panels = std::max<std::size_t>(data.panels.size(), 1);
  body += fmt::format("set multiplot layout 1,{} title {}\n", panels, quote(literal(data.title)));
  for (std::size_t p = 0; p < data.panels.size(); ++p) {
    const TransitionPanel& panel = data.panels[p];
    Extent extent;
    blocks.push_back({fmt::format("cells{}", p), boxes_text(panel.cells, &extent)});
    blocks.push_back({fmt::format("line{}", p), points_text(panel.line)});
    blocks.push_back({fmt::format("switches{}", p), points_text(panel.switches)});
    blocks.push_back({fmt::format("zeros{}", p), points_text(panel.zeros)});
    body += fmt::format("set title {}\n", quote(literal(panel.title)));
    body += fmt::format("set xrange [{:.10g}:{:.10g}]\nset yrange [{:.10g}:{:.10g}]\n", extent.n_lo, extent.n_hi,
                        extent.Tr_lo, extent.Tr_hi);
    body += fmt::format("set cbrange [{:.3g}:{:.3g}]\n", std::floor(extent.v_lo * 20) / 20, std::ceil(extent.v_hi * 20) / 20);
    body += fmt::format("set cbtics add ('{:g}' {:g})\n", data.threshold, data.threshold);
    body += fmt::format(
        "plot $cells{0} using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 noborder lc palette notitle, \\\n"
        "     $line{0} using 1:2 with lines lw 6 lc rgb 'white' notitle, \\\n"
        "     $line{0} using 1:2 with lines lw 3 lc rgb 'black' title 'analytic T_r*(n)', \\\n"
        "     $switches{0} using 1:2 with points pt 6 ps 1.2 lw 2 lc rgb '#d62728' title "
        "'measured switch (dominant alpha = {1:g})'{2}\n",
        p, data.threshold,
        panel.zeros.empty()
            ? std::string()
            : fmt::format(", \\\n     $zeros{} using 1:2 with points pt 8 ps 1.2 lw 2 lc rgb '#2ca02c' title {}", p,
                          quote(literal(panel.zeros_title))));
  }
  body += "unset multiplot\n";
  render(output, blocks, body, int(700 * panels + 150), 650);
}

}  // namespace waddington::plots
