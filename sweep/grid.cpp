#include "sweep/grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "lib/errors.hpp"

namespace waddington::sweep {
namespace {

constexpr std::size_t kMaxValuesPerAxis = 1'000'000;

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

struct Number {
  double value = 0;
  int decimals = 0;  // digits after the decimal point, as written (1.5e-2 -> 3)
};

Number parse_number(const std::string& raw, const std::string& what) {
  const std::string text = trim(raw);
  if (text.empty()) throw InputError(fmt::format("{}: empty value", what));
  const std::size_t skip = text[0] == '+' ? 1 : 0;
  Number number;
  const auto [end, error] = std::from_chars(text.data() + skip, text.data() + text.size(), number.value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number.value))
    throw InputError(fmt::format("{}: '{}' is not a finite number", what, text));
  const auto exponent_at = text.find_first_of("eE");
  const std::string mantissa = text.substr(0, exponent_at);
  const auto point = mantissa.find('.');
  int decimals = point == std::string::npos ? 0 : int(mantissa.size() - point - 1);
  if (exponent_at != std::string::npos) decimals -= std::stoi(text.substr(exponent_at + 1));
  number.decimals = std::max(decimals, 0);
  return number;
}

std::vector<double> parse_range(const std::string& spec, const std::string& what) {
  const auto first = spec.find(':'), second = spec.find(':', first + 1);
  if (second == std::string::npos || spec.find(':', second + 1) != std::string::npos)
    throw InputError(fmt::format("{}: expected A:B:STEP", what));
  const Number a = parse_number(spec.substr(0, first), what);
  const Number b = parse_number(spec.substr(first + 1, second - first - 1), what);
  const Number step = parse_number(spec.substr(second + 1), what);
  if (!(step.value > 0)) throw InputError(fmt::format("{}: step {} must be positive", what, format_value(step.value)));
  if (a.value > b.value)
    throw InputError(fmt::format("{}: inverted range, start {} is above end {}", what, format_value(a.value),
                                 format_value(b.value)));
  // (B-A)/STEP steps, an integer up to 1e-9 (float steps such as 0.05 reach B).
  const double steps = (b.value - a.value) / step.value;
  if (steps + 1 > double(kMaxValuesPerAxis))
    throw InputError(fmt::format("{}: {:.3g} values, more than {}", what, steps + 1, kMaxValuesPerAxis));
  const std::size_t count = std::size_t(std::floor(steps + 1e-9)) + 1;
  const int decimals = std::max(a.decimals, step.decimals);
  const double scale = std::pow(10.0, decimals);
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double x = a.value + double(i) * step.value;
    values[i] = decimals <= 15 ? std::round(x * scale) / scale : x;
  }
  return values;
}

}  // namespace

std::string format_value(double value) { return fmt::format("{}", value); }

std::vector<double> parse_values(const std::string& raw, const std::string& what) {
  const std::string spec = trim(raw);
  if (spec.empty()) throw InputError(fmt::format("{}: no values", what));
  std::vector<double> values;
  if (spec.find(':') != std::string::npos) {
    values = parse_range(spec, what);
  } else {
    std::size_t start = 0;
    while (true) {
      const auto comma = spec.find(',', start);
      values.push_back(parse_number(spec.substr(start, comma - start), what).value);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (values.size() > kMaxValuesPerAxis) throw InputError(fmt::format("{}: more than {} values", what, kMaxValuesPerAxis));
  }
  std::set<double> seen;
  for (double v : values)
    if (!seen.insert(v).second) throw InputError(fmt::format("{}: value {} repeated", what, format_value(v)));
  return values;
}

Axis parse_axis(const std::string& raw) {
  const std::string text = trim(raw);
  const auto equals = text.find('=');
  if (equals == std::string::npos)
    throw InputError(fmt::format("--grid '{}': expected NAME=LIST or NAME=A:B:STEP", text));
  Axis axis;
  axis.name = trim(text.substr(0, equals));
  axis.spec = trim(text.substr(equals + 1));
  const bool name_ok = !axis.name.empty() && std::all_of(axis.name.begin(), axis.name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!name_ok) throw InputError(fmt::format("--grid '{}': the name must be letters, digits, '_' or '-'", text));
  axis.values = parse_values(axis.spec, fmt::format("--grid {}", text));
  return axis;
}

Grid::Grid(std::vector<Axis> axes) : axes_(std::move(axes)) {
  if (axes_.empty()) throw InputError("the grid has no parameters (give --grid NAME=...)");
  std::set<std::string> names;
  double total = 1;
  for (const Axis& axis : axes_) {
    if (!names.insert(axis.name).second) throw InputError(fmt::format("--grid: parameter '{}' given twice", axis.name));
    if (axis.values.empty()) throw InputError(fmt::format("--grid {}: no values", axis.name));
    total *= double(axis.values.size());
  }
  if (total > double(kMaxCells))
    throw InputError(fmt::format("the grid {} has {:.3g} cells, more than {}", Describe(), total, kMaxCells));
  size_ = std::size_t(total);
}

Grid Grid::Parse(const std::vector<std::string>& texts) {
  std::vector<Axis> axes;
  for (const auto& text : texts) axes.push_back(parse_axis(text));
  return Grid(std::move(axes));
}

Cell Grid::cell(std::size_t id) const {
  Cell cell;
  cell.id = id;
  cell.values.resize(axes_.size());
  for (std::size_t k = axes_.size(); k-- > 0;) {
    const std::size_t count = axes_[k].values.size();
    cell.values[k] = axes_[k].values[id % count];
    id /= count;
  }
  return cell;
}

std::map<std::string, double> Grid::parameters(std::size_t id) const {
  const Cell c = cell(id);
  std::map<std::string, double> out;
  for (std::size_t k = 0; k < axes_.size(); ++k) out[axes_[k].name] = c.values[k];
  return out;
}

std::string Grid::Describe() const {
  std::string text;
  for (const Axis& axis : axes_) text += (text.empty() ? "" : " ") + axis.name + "=" + axis.spec;
  return text;
}

nlohmann::json Grid::ToJson() const {
  nlohmann::json axes = nlohmann::json::array();
  for (const Axis& axis : axes_) axes.push_back({{"name", axis.name}, {"spec", axis.spec}, {"values", axis.values}});
  return axes;
}

}  // namespace waddington::sweep
