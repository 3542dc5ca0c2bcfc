#include "plots/phase_portrait.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "plots/gnuplot.hpp"

namespace waddington::plots {
namespace {

// Curves as "ell alpha" lines, separated by blank lines.
std::string curves_block(const std::vector<Curve>& curves) {
  std::ostringstream out;
  for (const auto& c : curves) {
    for (const auto& p : c) out << fmt::format("{:.6g} {:.6g}\n", p[1], p[0]);
    out << "\n\n";
  }
  return out.str();
}

const char* stability_colour(const std::string& s) {
  if (s == "stable") return "#1a9850";
  if (s == "unstable") return "#d73027";
  return "#4575b4";  // saddle
}

std::string image_block(const PortraitFixedPoint& f) {
  std::ostringstream out;
  for (int r = 0; r < f.side; ++r) {
    for (int c = 0; c < f.side; ++c) out << f.image[std::size_t(r) * f.side + c] << ' ';
    out << '\n';
  }
  return out.str();
}

const char* trajectory_colour(std::size_t i) {
  static const char* colours[] = {"#000000", "#e7298a", "#1b9e77", "#d95f02", "#7570b3", "#66a61e"};
  return colours[i % 6];
}

// Start, end and arrows of time of every trajectory curve (see phase_portrait_script).
void trajectory_marks(const std::vector<Curve>& curves, std::string* starts, std::string* ends, std::string* arrows) {
  for (std::size_t c = 0; c < curves.size(); ++c) {
    const Curve& curve = curves[c];
    if (curve.empty()) continue;
    *starts += fmt::format("{:.6g} {:.6g} {}\n", curve.front()[1], curve.front()[0], c);
    *ends += fmt::format("{:.6g} {:.6g} {}\n", curve.back()[1], curve.back()[0], c);
    std::vector<double> length(curve.size(), 0.0);
    for (std::size_t i = 1; i < curve.size(); ++i)
      length[i] = length[i - 1] + std::hypot(curve[i][1] - curve[i - 1][1], curve[i][0] - curve[i - 1][0]);
    if (!(length.back() > 0)) continue;
    std::size_t i = 1;
    for (double fraction : {0.25, 0.5, 0.75}) {
      while (i + 1 < curve.size() && length[i] < fraction * length.back()) ++i;
      const double dell = curve[i][1] - curve[i - 1][1], dalpha = curve[i][0] - curve[i - 1][0];
      const double len = std::hypot(dell, dalpha);
      if (!(len > 0)) continue;
      const double size = 0.035;  // in plot units, pointing the way time runs
      *arrows += fmt::format("{:.6g} {:.6g} {:.6g} {:.6g} {}\n", curve[i - 1][1], curve[i - 1][0], size * dell / len,
                             size * dalpha / len, c);
    }
  }
}

std::string main_plot(const PhasePortraitData& d, const std::vector<DataBlock>& blocks) {
  std::ostringstream g;
  g << "set xlabel 'label {/Symbol l} (ell)'\nset ylabel 'memory {/Symbol a} (alpha_A)'\n";
  g << fmt::format("set xrange [-1.02:1.02]\nset yrange [{}:{}]\n", d.alpha_min - 0.01, d.alpha_max + 0.01);
  g << "set key outside right top box opaque\nset grid lc rgb '#eeeeee'\nset style textbox opaque noborder margins 1,1\n";
  if (!d.title.empty()) g << "set title " << quote(d.title) << "\n";
  int object = 1;
  bool dead = false;
  for (const auto& r : d.dead_regions) {
    if (!(std::min(r[1], d.alpha_max) > std::max(r[0], d.alpha_min))) continue;  // outside the window
    g << fmt::format("set object {} rect from -1,{} to 1,{} fc rgb '#dddddd' fs solid 0.6 noborder behind\n", object++,
                     std::max(r[0], d.alpha_min), std::min(r[1], d.alpha_max));
    dead = true;
  }
  std::vector<std::string> layers;
  if (dead)
    layers.push_back("keyentry with boxes fs solid 0.6 noborder fc rgb '#dddddd' title 'dead region (x_A = x_B = 0)'");
  auto has = [&](const std::string& name) {
    for (const auto& b : blocks)
      if (b.name == name && !b.text.empty()) return true;
    return false;
  };
  if (has("flow")) layers.push_back("$flow using 1:2 with lines lc rgb '#b0b0b0' lw 0.8 title 'flow lines'");
  if (has("arrows"))
    layers.push_back("$arrows using 2:1:4:3 with vectors head size 0.012,20 filled lc rgb '#909090' notitle");
  if (has("memory")) layers.push_back("$memory using 1:2 with lines lc rgb '#7b3294' lw 2.5 title 'memory nullcline'");
  if (has("label")) layers.push_back("$label using 1:2 with lines lc rgb '#f28e2b' lw 2.5 title 'label nullcline'");
  for (std::size_t c = 0; c < d.trajectories.size(); ++c)
    layers.push_back(fmt::format("$traj index {} using 1:2 with lines lc rgb '{}' lw 2 title {}", c, trajectory_colour(c),
                                 quote(c < d.trajectory_titles.size() ? d.trajectory_titles[c]
                                                                      : fmt::format("trajectory {}", c + 1))));
  if (has("traj_arrows"))
    layers.push_back("$traj_arrows using 1:2:3:4 with vectors head size 0.025,25 filled lc rgb 'black' lw 1.5 notitle");
  if (has("traj_start")) layers.push_back("$traj_start using 1:2 with points pt 6 ps 1.6 lw 1.5 lc rgb 'black' title 'start'");
  if (has("traj_end")) layers.push_back("$traj_end using 1:2 with points pt 13 ps 1.6 lc rgb 'black' title 'end'");
  for (const char* s : {"stable", "saddle", "unstable"})
    if (has(std::string("fp_") + s))
      layers.push_back(fmt::format("$fp_{} using 2:1 with points pt 7 ps 2 lc rgb '{}' title '{}'", s, stability_colour(s), s));
  // Numbers on white boxes, up and left of their points (the curves leave a
  // point to the right and up or down, and drew over the numbers there).
  if (has("fp_labels"))
    layers.push_back("$fp_labels using 2:1:3 with labels offset -1.4,1.0 font ',10' boxed notitle");
  g << "plot ";
  for (std::size_t i = 0; i < layers.size(); ++i) g << (i ? ", \\\n     " : "") << layers[i];
  if (layers.empty()) g << "NaN notitle";
  g << "\n";
  return g.str();
}

}  // namespace

PlotScript phase_portrait_script(const PhasePortraitData& d) {
  std::vector<DataBlock> blocks = {{"memory", curves_block(d.memory_nullclines)},
                                   {"label", curves_block(d.label_nullclines)},
                                   {"flow", curves_block(d.flow_lines)},
                                   {"traj", curves_block(d.trajectories)}};
  std::ostringstream arrows, labels;
  const double scale = 0.03;  // arrow length in plot units
  for (const auto& a : d.arrows) {
    // Direction in the (ell, alpha) plane, normalised.
    const double len = std::hypot(a[2], a[3]);
    if (!(len > 0)) continue;
    arrows << fmt::format("{:.6g} {:.6g} {:.6g} {:.6g}\n", a[0], a[1], scale * a[2] / len, scale * a[3] / len);
  }
  blocks.push_back({"arrows", arrows.str()});
  std::string starts, ends, time_arrows;
  trajectory_marks(d.trajectories, &starts, &ends, &time_arrows);
  blocks.push_back({"traj_start", starts});
  blocks.push_back({"traj_end", ends});
  blocks.push_back({"traj_arrows", time_arrows});
  bool with_images = false;
  for (const char* s : {"stable", "saddle", "unstable"}) {
    std::ostringstream pts;
    for (const auto& f : d.fixed_points)
      if (f.stability == s) pts << fmt::format("{:.6g} {:.6g}\n", f.alpha, f.ell);
    blocks.push_back({std::string("fp_") + s, pts.str()});
  }
  for (std::size_t i = 0; i < d.fixed_points.size(); ++i) {
    const auto& f = d.fixed_points[i];
    if (!f.label.empty()) labels << fmt::format("{:.6g} {:.6g} \"{}\"\n", f.alpha, f.ell, f.label);
    if (f.side > 0 && f.image.size() == std::size_t(f.side) * f.side) {
      blocks.push_back({fmt::format("img{}", i), image_block(f)});
      with_images = true;
    }
  }
  blocks.push_back({"fp_labels", labels.str()});
  std::string body;
  if (!with_images) return {blocks, main_plot(d, blocks), 1000, 750};
  // Portrait on top, one memory picture per fixed point underneath.
  std::ostringstream g;
  g << "set multiplot\nset size 1,0.72\nset origin 0,0.28\n" << main_plot(d, blocks);
  g << "unset object\nunset key\nunset grid\nunset xlabel\nunset ylabel\nunset title\nunset xtics\nunset ytics\n";
  g << "set palette gray\nunset colorbox\nset size ratio -1\n";
  const int count = int(d.fixed_points.size());
  for (int i = 0; i < count; ++i) {
    const auto& f = d.fixed_points[i];
    if (f.side <= 0) continue;
    const double w = std::min(0.24, 1.0 / count);
    g << fmt::format("set origin {},0.0\nset size {},0.26\n", i * w, w);
    g << fmt::format("set title {} font ',9'\n", quote(fmt::format("{} ({} {}, {} {})", f.label.empty() ? f.stability : f.label,
                                                                  "{/Symbol a}", short_number(f.alpha), "{/Symbol l}",
                                                                  short_number(f.ell))));
    g << fmt::format("set xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", f.side - 0.5, f.side - 0.5);
    g << fmt::format("plot $img{} matrix with image notitle\n", i);
  }
  g << "unset multiplot\n";
  return {blocks, g.str(), 1000, 1000};
}

void render_phase_portrait(const std::filesystem::path& output, const PhasePortraitData& d) {
  render(output, phase_portrait_script(d));
}

}  // namespace waddington::plots
