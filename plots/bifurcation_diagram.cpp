#include "plots/bifurcation_diagram.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "plots/gnuplot.hpp"

namespace waddington::plots {
namespace {

// Splits every branch into runs of equal kind, one data block per kind
// (kStable, kStableOnManifold, kUnstable); for lines, a run shares its first
// point with the end of the previous run so that the drawn line is unbroken
// where the kind changes. Scattered points (data.scatter) are each in the
// block of their own kind only: a junction copy would draw a stable point with
// the saddle marker.
std::vector<DataBlock> branch_blocks(const BifurcationDiagramData& data) {
  std::ostringstream out[3];
  for (const DiagramBranch& branch : data.branches) {
    for (std::size_t i = 0; i < branch.points.size(); ++i) {
      const DiagramPoint& p = branch.points[i];
      const bool starts_run = i == 0 || branch.points[i - 1].kind != p.kind;
      std::ostringstream& o = out[int(p.kind)];
      if (starts_run) {
        o << "\n";
        if (i > 0 && !data.scatter) {
          const DiagramPoint& q = branch.points[i - 1];
          o << fmt::format("{:.10g} {:.10g} {:.10g}\n", q.parameter, q.alpha, q.ell);
        }
      }
      o << fmt::format("{:.10g} {:.10g} {:.10g}\n", p.parameter, p.alpha, p.ell);
    }
    for (auto& o : out) o << "\n";
  }
  // Split branches: runs of equal stability, each run starting at the previous run's last point.
  std::ostringstream split[2];  // not stable, stable
  for (std::size_t l = 0; l < data.split_memories.size(); ++l) {
    const auto& line = data.split_memories[l];
    const auto stable = [&](std::size_t i) {
      return l < data.split_stable.size() && i < data.split_stable[l].size() && data.split_stable[l][i];
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
      std::ostringstream& o = split[stable(i) ? 1 : 0];
      if (i > 0 && stable(i) != stable(i - 1))
        o << "\n\n" << fmt::format("{:.10g} {:.10g} {:.10g}\n", line[i - 1].parameter, line[i - 1].alpha, line[i - 1].ell);
      o << fmt::format("{:.10g} {:.10g} {:.10g}\n", line[i].parameter, line[i].alpha, line[i].ell);
    }
    for (auto& o : split) o << "\n\n";
  }
  return {{"stable", out[0].str()},
          {"stable_on_manifold", out[1].str()},
          {"unstable", out[2].str()},
          {"split", split[0].str()},
          {"split_stable", split[1].str()}};
}

struct MarkerStyle {
  const char* title;
  const char* style;
};

const std::map<std::string, MarkerStyle>& marker_styles() {
  static const std::map<std::string, MarkerStyle> styles = {
      {"fold", {"fold (saddle-node)", "pt 7 ps 1.6 lc rgb 'black'"}},
      {"boundary", {"boundary (ell = +-1, alpha = 0 or 1)", "pt 5 ps 1.3 lc rgb '#2ca02c'"}},
      {"branch_point", {"branch point (incl. symmetry-breaking)", "pt 9 ps 1.8 lc rgb '#9467bd'"}},
      {"cusp", {"cusp", "pt 11 ps 1.8 lc rgb '#ff7f0e'"}},
      {"hopf", {"Hopf point", "pt 13 ps 1.8 lc rgb '#d62728'"}},
      {"trained", {"full trainer: final state", "pt 2 ps 1.4 lw 1.5 lc rgb 'black'"}},  // not orange: it sat on the orange branches
      {"trained_apart", {"full trainer: memories ended apart", "pt 1 ps 1.6 lw 1.5 lc rgb '#8c564b'"}},
  };
  return styles;
}

// Marker blocks, one per special-point type present, named "sp_<type>".
std::vector<DataBlock> marker_blocks(const BifurcationDiagramData& data) {
  std::map<std::string, std::string> text;
  for (const DiagramMarker& m : data.special_points)
    text[m.type] += fmt::format("{:.10g} {:.10g} {:.10g}\n", m.parameter, m.alpha, m.ell);
  for (const DiagramOverlayPoint& q : data.overlay)
    text[q.apart ? "trained_apart" : "trained"] += fmt::format("{:.10g} {:.10g} {:.10g}\n", q.parameter, q.alpha, q.ell);
  std::vector<DataBlock> blocks;
  for (auto& [type, t] : text) blocks.push_back({"sp_" + type, t});
  return blocks;
}

bool has_points(const DataBlock& block) {
  return block.text.find_first_not_of(" \n") != std::string::npos;
}

// The `plot` clauses for one panel; `column` is 2 (alpha) or 3 (ell); `using`
// is the column spec ("1:{}" in 2-D, "1:2:3" in 3-D).
std::string plot_clauses(const BifurcationDiagramData& data, const std::vector<DataBlock>& lines,
                         const std::vector<DataBlock>& markers, const std::string& columns, bool legend) {
  const bool scatter = data.scatter;
  std::vector<std::string> clauses;
  const auto title = [&](const std::string& t) { return legend ? "title " + quote(t) : std::string("notitle"); };
  const char* stable_style = scatter ? "points pt 7 ps 0.5 lc rgb '#1f4e9c'" : "lines lw 2.5 lc rgb '#1f4e9c' dt 1";
  const char* manifold_style = scatter ? "points pt 7 ps 0.5 lc rgb '#ff8c00'" : "lines lw 3 lc rgb '#ff8c00' dt 1";
  const char* unstable_style = scatter ? "points pt 6 ps 0.5 lc rgb '#d62728'" : "lines lw 2 lc rgb '#d62728' dt 2";
  if (has_points(lines[0]))
    clauses.push_back(fmt::format("$stable using {} with {} {}", columns, stable_style, title(data.stable_title)));
  if (has_points(lines[1]))
    clauses.push_back(fmt::format("$stable_on_manifold using {} with {} {}", columns, manifold_style,
                                  title(data.stable_on_manifold_title)));
  if (has_points(lines[2]))
    clauses.push_back(fmt::format("$unstable using {} with {} {}", columns, unstable_style, title(data.unstable_title)));
  if (has_points(lines[4]))
    clauses.push_back(fmt::format("$split_stable using {} with lines lw 2.5 lc rgb '#9467bd' dt 1 {}", columns,
                                  title("K = 2 split branch (each memory), stable")));
  if (has_points(lines[3]))
    clauses.push_back(fmt::format("$split using {} with lines lw 1.5 lc rgb '#9467bd' dt 3 {}", columns,
                                  title(has_points(lines[4]) ? "K = 2 split branch, saddle / unstable"
                                                             : "K = 2 split branch (each memory), saddle / unstable")));
  for (const DataBlock& block : markers) {
    const std::string type = block.name.substr(3);
    const auto it = marker_styles().find(type);
    const MarkerStyle style = it != marker_styles().end() ? it->second : MarkerStyle{"special point", "pt 6 ps 1.5"};
    clauses.push_back(fmt::format("${} using {} with points {} {}", block.name, columns, style.style,
                                  title(it != marker_styles().end() ? style.title : type)));
  }
  std::string joined;
  for (std::size_t i = 0; i < clauses.size(); ++i) joined += (i ? ", \\\n     " : "") + clauses[i];
  return joined.empty() ? "NaN notitle" : joined;
}

std::vector<DataBlock> all_blocks(const std::vector<DataBlock>& lines, const std::vector<DataBlock>& markers) {
  std::vector<DataBlock> blocks = lines;
  blocks.insert(blocks.end(), markers.begin(), markers.end());
  return blocks;
}

}  // namespace

PlotScript bifurcation_diagram_script(const BifurcationDiagramData& data) {
  const auto lines = branch_blocks(data);
  const auto markers = marker_blocks(data);
  const std::string p = quote(data.parameter_name);
  std::string body;
  body += fmt::format("set multiplot layout 1,2 title {} font ',13'\n", quote(data.title));
  body += fmt::format("set xrange [{:.10g}:{:.10g}]\nset grid lc rgb '#dddddd'\n", data.parameter_min, data.parameter_max);
  // One key for both panels, centred below them (up to 4 rows, then columns);
  // the panels end above it, so that neither x label touches it.
  body += "set key at screen 0.5,0.015 center bottom vertical maxrows 4 width 2 font ',10'\n";
  body += "set bmargin at screen 0.19\n";
  double alpha_low = 0;
  for (const auto& b : data.branches)
    for (const auto& q : b.points) alpha_low = std::min(alpha_low, q.alpha);
  body += fmt::format("set xlabel {}\nset ylabel 'alpha'\nset yrange [{:.4g}:1.02]\n", p, alpha_low - 0.02);
  body += "set title 'memory: alpha = alpha_A'\n";
  body += "plot " + plot_clauses(data, lines, markers, "1:2", true) + "\n";
  body += "unset key\nset ylabel 'ell'\nset yrange [-1.05:1.05]\nset title 'label: ell'\n";
  body += "plot " + plot_clauses(data, lines, markers, "1:3", true) + "\n";
  body += "unset multiplot\n";
  return {all_blocks(lines, markers), body, 1400, 700};
}

PlotScript bifurcation_diagram_3d_script(const BifurcationDiagramData& data) {
  const auto lines = branch_blocks(data);
  const auto markers = marker_blocks(data);
  std::string body;
  body += fmt::format("set title {}\n", quote(data.title));
  body += fmt::format("set xrange [{:.10g}:{:.10g}]\nset yrange [*:1]\nset zrange [-1:1]\n", data.parameter_min,
                      data.parameter_max);
  body += fmt::format("set xlabel {}\nset ylabel 'alpha'\nset zlabel 'ell' rotate parallel\n", quote(data.parameter_name));
  // The key inside the canvas, top left, in its own box (outside keys of splot are cut at the left edge).
  body += "set view 60,35\nset grid\nset key at screen 0.02,0.93 left top vertical Left reverse box opaque font ',10' "
          "samplen 2 spacing 1.1\nset ticslevel 0\nset tmargin at screen 0.95\n";
  // The alpha tick labels and label moved off the corner they share with the parameter axis.
  body += "set ytics offset 1.5,0\nset ylabel offset 4,-0.5\n";
  body += "splot " + plot_clauses(data, lines, markers, "1:2:3", true) + "\n";
  return {all_blocks(lines, markers), body, 1100, 850};
}

void plot_bifurcation_diagram(const std::filesystem::path& output, const BifurcationDiagramData& data) {
  render(output, bifurcation_diagram_script(data));
}

void plot_bifurcation_diagram_3d(const std::filesystem::path& output, const BifurcationDiagramData& data) {
  render(output, bifurcation_diagram_3d_script(data));
}

}  // namespace waddington::plots
