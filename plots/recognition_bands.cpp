#include "plots/recognition_bands.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "lib/errors.hpp"
#include "plots/digit_colors.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::plots {

void plot_recognition_bands(const std::filesystem::path& output, const RecognitionBandsData& data) {
  if (data.correct.size() != data.epochs.size()) throw InputError("recognition bands: one row of counts per epoch");
  // Rows "epoch lower_0 upper_0=lower_1 ..." : column 2 + i is the bottom of band i.
  std::string text;
  int top = 0;
  // Thin long histories to about 1500 rows (the bands are smooth at that scale).
  const std::size_t stride = std::max<std::size_t>(1, data.epochs.size() / 1500);
  for (std::size_t e = 0; e < data.epochs.size(); ++e) {
    if (e % stride != 0 && e + 1 != data.epochs.size()) continue;
    if (data.correct[e].size() != data.digits.size()) throw InputError("recognition bands: one count per digit");
    int sum = 0;
    text += fmt::format("{} 0", data.epochs[e]);
    for (int c : data.correct[e]) text += fmt::format(" {}", sum += c);
    text += "\n";
    top = std::max(top, sum);
  }
  if (data.total_samples > 0) top = data.total_samples;
  std::string body = fmt::format("set title {}\nset xlabel 'epoch'\nset ylabel 'training samples recognised'\n",
                                 quote(data.title));
  body += fmt::format("set yrange [0:{}]\nset key outside right top title 'digit'\nset tics out\n", std::max(top, 1));
  if (!data.epochs.empty()) body += fmt::format("set xrange [{}:{}]\n", data.epochs.front(), data.epochs.back());
  body += "plot ";
  for (std::size_t i = 0; i < data.digits.size(); ++i)
    body += fmt::format("{}$bands using 1:{}:{} with filledcurves fs solid 0.85 noborder lc rgb '{}' title '{}'",
                        i == 0 ? "" : ", \\\n     ", i + 2, i + 3, digit_color(data.digits[i]), data.digits[i]);
  if (data.digits.empty()) body += "NaN notitle";
  body += "\n";
  render(output, {{"bands", text}}, body, 1000, 600);
}

}  // namespace waddington::plots
