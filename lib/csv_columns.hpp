#pragma once
// Every CSV carries the parameters it was computed at (docs/outputs.md): the
// ones a table does not already have as columns are appended to every row as
// constant columns, so that tables from different runs can be concatenated.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace waddington {

// `csv` (a header line, then rows; every line ends in '\n') with a column
// `name` = `value` appended to each row for every (name, value) whose name is
// not in the header yet. Values are printed with 17 significant digits (they
// read back exactly).
std::string with_parameter_columns(std::string_view csv, const std::vector<std::pair<std::string, double>>& columns);

}  // namespace waddington
