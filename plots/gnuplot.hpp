#pragma once
// Rendering through gnuplot: a plot is a gnuplot script (data inlined as
// heredoc blocks) run by the gnuplot binary. The script is kept next to the
// picture (FILE.gp) so every figure can be regenerated and restyled by hand.
#include <filesystem>
#include <string>
#include <vector>

namespace waddington::plots {

// The gnuplot "set terminal" line for an output file, chosen by its extension
// (.png, .svg, .pdf). Throws InputError for any other extension.
std::string terminal_for(const std::filesystem::path& output, int width_px = 1000, int height_px = 700);

// A named inline data block: `$name << EOD ... EOD`.
struct DataBlock {
  std::string name;  // without the '$'
  std::string text;  // whitespace-separated columns, one point per line; blank lines split curves
};

// Runs gnuplot on `body` (everything after "set terminal/set output") with the
// data blocks defined first. The picture is written to a temporary file and
// renamed to `output`; the full script is saved as `output` + ".gp". An
// `output` ending in .gif is an animated GIF, one frame per `plot` command
// (commands do not accept .gif for --plot: terminal_for refuses it).
// Throws EnvironmentError if gnuplot is missing or fails (its stderr is quoted).
void render(const std::filesystem::path& output, const std::vector<DataBlock>& data, const std::string& body,
            int width_px = 1000, int height_px = 700);

// A whole picture before rendering: its data blocks and script body, and its
// size. The plots build one (`*_script`), so tests can read what gnuplot is
// given without running it.
struct PlotScript {
  std::vector<DataBlock> blocks;
  std::string body;
  int width_px = 1000, height_px = 700;
  // The block called `name` ("" when there is none).
  const std::string& block(const std::string& name) const;
};

inline void render(const std::filesystem::path& output, const PlotScript& script) {
  render(output, script.blocks, script.body, script.width_px, script.height_px);
}

// A number for a label: 3 significant digits, no "-0.000" (|x| < 5e-4 is shown
// as 1 significant digit in exponent form, exact zero as 0).
std::string short_number(double x);

// Quotes a string for a gnuplot script (single quotes, escaped).
std::string quote(const std::string& text);

}  // namespace waddington::plots
