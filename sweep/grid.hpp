#pragma once
// A sweep's grid: named parameters, each with a list of values, and the cells
// of their Cartesian product. Knows nothing of what the parameters mean.
//
// An axis is written NAME=LIST or NAME=A:B:STEP:
//   n=2,3,5        the listed values, in the order given (no repeats);
//   Tr=0.5:1.5:0.05  A, A+STEP, ..., up to B inclusive. The end is reached
//                  when (B-A)/STEP is within 1e-9 of an integer, so float steps
//                  such as 0.05 include B; each value is rounded to the
//                  decimals written in A and STEP (0.55, not 0.55000000000000004).
// Cells are numbered row-major in the order the axes are given: the first
// axis varies slowest, so a cell's id depends only on the grid spec.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace waddington::sweep {

struct Axis {
  std::string name;
  std::string spec;  // what was written after NAME=, e.g. "0.5:1.5:0.05"
  std::vector<double> values;
};

// Parses "NAME=LIST" or "NAME=A:B:STEP". Throws InputError with a one-line
// message (empty, inverted range, step <= 0, non-numeric, repeated value, too
// many values) naming the offending text.
Axis parse_axis(const std::string& text);

// Parses the list or range part alone (after NAME=); `what` names it in errors.
std::vector<double> parse_values(const std::string& spec, const std::string& what);

// A parameter value as written in tables and file names: the shortest text
// that reads back as the same double (1, 0.55, 1e-05).
std::string format_value(double value);

struct Cell {
  std::size_t id = 0;
  std::vector<double> values;  // one per axis, in axis order
};

class Grid {
 public:
  Grid() = default;
  // Throws InputError on a repeated name, no axes, or more than kMaxCells cells.
  explicit Grid(std::vector<Axis> axes);
  // Parses every "NAME=..." text (each as parse_axis) into one grid.
  static Grid Parse(const std::vector<std::string>& texts);

  static constexpr std::size_t kMaxCells = 10'000'000;

  const std::vector<Axis>& axes() const { return axes_; }
  std::size_t size() const { return size_; }
  Cell cell(std::size_t id) const;
  std::map<std::string, double> parameters(std::size_t id) const;
  // "n=1:60:1 Tr=0.5:1.5:0.05"
  std::string Describe() const;
  // The axes with their values: what a rerun must match to resume.
  nlohmann::json ToJson() const;

 private:
  std::vector<Axis> axes_;
  std::size_t size_ = 0;
};

}  // namespace waddington::sweep
