#include "plots/memory_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::plots {

void plot_memory_grid(const std::filesystem::path& output, const std::vector<MemoryGridFrame>& frames,
                      const MemoryGridOptions& options) {
  if (frames.empty()) throw InputError("memory grid: no frame to draw");
  const Eigen::Index k = frames.front().memories.rows(), n = frames.front().memories.cols();
  const int side = int(std::lround(std::sqrt(double(n))));
  if (k == 0 || Eigen::Index(side) * side != n)
    throw InputError(fmt::format("memory grid: {} pixels per memory is not a square image", n));
  double limit = options.limit;
  for (const auto& f : frames) {
    if (f.memories.rows() != k || f.memories.cols() != n || f.tile_labels.size() != std::size_t(k))
      throw InputError("memory grid: every frame needs the same K x N memories and K tile labels");
    if (options.limit <= 0 && f.memories.allFinite()) limit = std::max(limit, f.memories.cwiseAbs().maxCoeff());
  }
  limit = std::max(limit, 1e-12);
  const int columns = options.columns > 0 ? options.columns : int(std::ceil(std::sqrt(double(k))));
  const int rows = int((k + columns - 1) / columns);
  const int gap = std::max(2, side / 7), label_band = std::max(5, side / 4);  // blank pixels between tiles, room for the label
  const int cell_w = side + gap, cell_h = side + gap + label_band;
  const int width = columns * cell_w + gap, height = rows * cell_h + gap;

  std::vector<std::filesystem::path> files;
  std::string body = "unset key\nunset tics\nunset border\nset size ratio -1\nset margins 1,8,1,3\n";
  body += "set palette defined (-1 '#2166ac', -0.5 '#92c5de', 0 '#ffffff', 0.5 '#f4a582', 1 '#b2182b')\n";
  body += fmt::format("set cbrange [{0:.6g}:{1:.6g}]\nset cbtics ('{2:.3g}' {0:.6g}, '0' 0, '{3:.3g}' {1:.6g})\n",
                      -limit, limit, -limit, limit);
  body += fmt::format("set xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", width - 0.5, height - 0.5);  // row 0 at the top
  body += fmt::format("set object 1 rectangle from -0.5,-0.5 to {},{} behind fc rgb '#b0b0b0' fs solid noborder\n",
                      width - 0.5, height - 0.5);
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const MemoryGridFrame& frame = frames[f];
    // x y value per pixel of the whole canvas; gaps are NaN (transparent: the grey background shows).
    Eigen::MatrixXd canvas = Eigen::MatrixXd::Constant(height, width, std::nan(""));
    for (Eigen::Index mu = 0; mu < k; ++mu) {
      const int x0 = gap + int(mu % columns) * cell_w, y0 = gap + label_band + int(mu / columns) * cell_h;
      for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c) canvas(y0 + r, x0 + c) = frame.memories(mu, Eigen::Index(r) * side + c);
    }
    std::string text;
    text.reserve(std::size_t(width * height) * 7);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x)
        text += std::isfinite(canvas(y, x)) ? fmt::format("{:.3g} ", canvas(y, x)) : std::string("NaN ");
      text += "\n";
    }
    std::filesystem::path file = frame.data_file;
    if (file.empty())
      file = frames.size() == 1 ? std::filesystem::path(output.string() + ".dat")
                                : output.parent_path() / fmt::format("{}_frame{}.dat", output.stem().string(), f);
    write_file_atomic(file, text);
    files.push_back(std::filesystem::absolute(file));
    // The title centred on the canvas (a plot title centres on the square plot, and a
    // long one ran off the canvas's left edge).
    body += fmt::format("unset label\nset label 9999 {} at screen 0.5,0.975 center\n", quote(frame.title));
    for (Eigen::Index mu = 0; mu < k; ++mu) {
      if (frame.tile_labels[std::size_t(mu)] < 0) continue;
      const int x0 = gap + int(mu % columns) * cell_w, y0 = gap + int(mu / columns) * cell_h;
      body += fmt::format("set label {} at {},{} center front font ',9'\n",
                          quote(std::to_string(frame.tile_labels[std::size_t(mu)])), x0 + side / 2.0,
                          y0 + label_band / 2.0);
    }
    body += fmt::format("plot {} matrix with image\n", quote(files.back().string()));
  }
  const int px = std::max(1, options.tile_pixels);
  // At least as wide as the longest title (about 7.5 px per character at the default font).
  std::size_t title = 0;
  for (const MemoryGridFrame& frame : frames) title = std::max(title, frame.title.size());
  const int canvas_width = std::max(columns * px * cell_w / side + 160, int(7.5 * double(title)) + 60);
  render(output, {}, body, canvas_width, rows * px * cell_h / side + 80);
}

}  // namespace waddington::plots
