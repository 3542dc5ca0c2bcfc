#include "lib/csv_columns.hpp"

#include <fmt/format.h>

#include <sstream>

namespace waddington {

std::string with_parameter_columns(std::string_view csv, const std::vector<std::pair<std::string, double>>& columns) {
  const std::size_t header_end = csv.find('\n');
  if (header_end == std::string_view::npos) return std::string(csv);
  std::vector<std::string> header;
  {
    std::string field;
    std::istringstream in{std::string(csv.substr(0, header_end))};
    while (std::getline(in, field, ',')) header.push_back(field);
  }
  std::string names, values;
  for (const auto& [name, value] : columns) {
    bool present = false;
    for (const auto& h : header) present = present || h == name;
    if (present) continue;
    names += "," + name;
    values += fmt::format(",{:.17g}", value);
  }
  if (names.empty()) return std::string(csv);
  std::string out;
  out.reserve(csv.size() + (csv.size() / 16 + 1) * values.size());
  std::size_t begin = 0;
  for (bool first = true; begin < csv.size(); first = false) {
    std::size_t end = csv.find('\n', begin);
    if (end == std::string_view::npos) end = csv.size();
    out.append(csv.substr(begin, end - begin));
    if (end > begin) out += first ? names : values;  // a blank line (a curve separator) stays blank
    out += '\n';
    begin = end + 1;
  }
  return out;
}

}  // namespace waddington
