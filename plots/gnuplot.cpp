#include "plots/gnuplot.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"

namespace waddington::plots {
namespace fs = std::filesystem;

std::string terminal_for(const fs::path& output, int width_px, int height_px) {
  const std::string ext = output.extension().string();
  if (ext == ".png") return fmt::format("set terminal pngcairo size {},{} enhanced font 'Sans,11'", width_px, height_px);
  if (ext == ".svg") return fmt::format("set terminal svg size {},{} enhanced font 'Sans,11' background 'white'", width_px, height_px);
  if (ext == ".pdf")
    return fmt::format("set terminal pdfcairo size {:.2f}in,{:.2f}in enhanced font 'Sans,9'", width_px / 100.0, height_px / 100.0);
  throw InputError(fmt::format("unsupported plot format '{}' for '{}' (use .png, .svg or .pdf)", ext, output.string()));
}

const std::string& PlotScript::block(const std::string& name) const {
  static const std::string none;
  for (const auto& b : blocks)
    if (b.name == name) return b.text;
  return none;
}

std::string short_number(double x) {
  if (x == 0 || !std::isfinite(x)) return x == 0 ? "0" : fmt::format("{}", x);
  if (std::abs(x) < 5e-4) return fmt::format("{:.0e}", x);
  return fmt::format("{:.3f}", x);
}

std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += (c == '\'') ? std::string("''") : std::string(1, c);
  return out + "'";
}

void render(const fs::path& output, const std::vector<DataBlock>& data, const std::string& body, int width_px,
            int height_px) {
  // An animated GIF (every `plot` of the script is one frame) only where a caller draws one on purpose.
  const std::string terminal =
      output.extension() == ".gif"
          ? fmt::format("set terminal gif animate delay 80 loop 0 optimize size {},{}", width_px, height_px)
          : terminal_for(output, width_px, height_px);
  const fs::path tmp_picture = output.parent_path() / fmt::format(".{}.tmp-{}{}", output.stem().string(), ::getpid(),
                                                                   output.extension().string());
  std::ostringstream script;
  for (const auto& block : data) script << "$" << block.name << " << EOD\n" << block.text << (block.text.empty() || block.text.back() == '\n' ? "" : "\n") << "EOD\n";
  script << terminal << "\n";
  const std::string script_head = script.str();
  const std::string script_tail = body + "\nunset output\n";

  // The saved script names the final picture; the one we run names the temporary file.
  const std::string run_script = script_head + "set output " + quote(tmp_picture.string()) + "\n" + script_tail;
  write_file_atomic(fs::path(output.string() + ".gp"),
                    script_head + "set output " + quote(output.filename().string()) + "\n" + script_tail);

  const fs::path script_file = output.parent_path() / fmt::format(".{}.run-{}.gp", output.stem().string(), ::getpid());
  write_file_atomic(script_file, run_script);
  const std::string command = fmt::format("gnuplot {} 2>&1", quote(script_file.string()));
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw EnvironmentError("cannot start gnuplot (is it installed? run scripts/setup.sh)");
  std::string messages;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) messages += buffer;
  const int status = ::pclose(pipe);
  std::error_code ignored;
  fs::remove(script_file, ignored);
  if (status != 0 || !fs::exists(tmp_picture)) {
    fs::remove(tmp_picture, ignored);
    if (!messages.empty() && messages.back() == '\n') messages.pop_back();
    for (auto& c : messages) if (c == '\n') c = ' ';
    throw EnvironmentError(fmt::format("gnuplot failed to draw '{}': {}", output.string(),
                                       messages.empty() ? "gnuplot not found or crashed" : messages));
  }
  std::error_code ec;
  fs::rename(tmp_picture, output, ec);
  if (ec) throw EnvironmentError(fmt::format("cannot move plot into '{}': {}", output.string(), ec.message()));
}

}  // namespace waddington::plots
