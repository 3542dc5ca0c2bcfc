#include "sweep/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"

namespace waddington::sweep {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFormat = "waddington-sweep/1";

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, (c == '\n' || c == '\r') ? ' ' : c);
  return out + "\"";
}

double parse_double(const std::string& text, const std::string& where) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw InputError(fmt::format("{}: '{}' is not a number", where, text));
  return value;
}

std::string describe_grid(const nlohmann::json& axes) {
  std::string text;
  if (!axes.is_array()) return "?";
  for (const auto& axis : axes)
    text += (text.empty() ? "" : " ") + axis.value("name", std::string("?")) + "=" + axis.value("spec", std::string("?"));
  return text;
}

std::string short_json(const nlohmann::json& value) {
  std::string text = value.dump();
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

}  // namespace

nlohmann::json sweep_spec(const Grid& grid, const Task& task) {
  return {{"format", kFormat},
          {"grid", grid.ToJson()},
          {"cells", grid.size()},
          {"task", {{"name", task.name}, {"config", task.config}, {"results", task.results}}}};
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

ResultStore::ResultStore(fs::path out, const Grid& grid, const Task& task, bool write_spec)
    : out_(std::move(out)), grid_(grid), result_names_(task.results), cells_(grid.size()), rows_(grid.size()) {
  if (write_spec) ensure_writable_directory(out_);
  open_spec(sweep_spec(grid, task), write_spec);
  extra_values_.resize(grid.size());
  if (task.parameter_values) {
    for (const auto& name : task.parameter_columns) {
      const auto& axes = grid.axes();
      if (std::none_of(axes.begin(), axes.end(), [&](const Axis& a) { return a.name == name; })) extra_names_.push_back(name);
    }
    for (std::size_t id = 0; id < cells_.size(); ++id) {
      const auto values = task.parameter_values(grid.parameters(id));
      for (const auto& name : extra_names_) extra_values_[id].push_back(values.count(name) ? values.at(name) : std::nan(""));
    }
  }
  for (std::size_t id = 0; id < cells_.size(); ++id) rows_[id] = row(id);
  load_table();
}

void ResultStore::open_spec(const nlohmann::json& spec, bool write_spec) {
  const fs::path path = spec_path();
  if (!fs::exists(path)) {
    if (fs::exists(table_path()))
      throw InputError(fmt::format("'{}' holds a sweep.csv without sweep.json: not a sweep directory of this version; "
                                   "use another --out", out_.string()));
    if (write_spec) write_file_atomic(path, spec.dump(2) + "\n");
    return;
  }
  std::ifstream in(path);
  nlohmann::json existing;
  try {
    existing = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    throw InputError(fmt::format("cannot read '{}' (not JSON); use another --out", path.string()));
  }
  if (existing == spec) return;
  std::string difference;
  if (existing.value("format", std::string()) != kFormat) {
    difference = fmt::format("format '{}', expected '{}'", existing.value("format", std::string("?")), kFormat);
  } else if (existing["grid"] != spec["grid"]) {
    difference = fmt::format("grid '{}' there, '{}' here", describe_grid(existing["grid"]), describe_grid(spec["grid"]));
  } else {
    const auto patch = nlohmann::json::diff(existing["task"], spec["task"]);
    const std::string where = patch.empty() ? "" : patch[0].value("path", std::string());
    const nlohmann::json::json_pointer pointer(where);
    const auto there = existing["task"].contains(pointer) ? short_json(existing["task"][pointer]) : "(absent)";
    const auto here = spec["task"].contains(pointer) ? short_json(spec["task"][pointer]) : "(absent)";
    difference = fmt::format("task{} is {} there, {} here", where, there, here);
  }
  throw InputError(fmt::format("'{}' holds a different sweep ({}); use another --out, or delete the directory to start over",
                               out_.string(), difference));
}

std::string ResultStore::header(bool with_extra) const {
  std::string h = "id";
  for (const Axis& axis : grid_.axes()) h += "," + axis.name;
  for (const auto& name : result_names_) h += "," + name;
  h += ",status,seconds,message";
  if (with_extra)
    for (const auto& name : extra_names_) h += "," + name;
  return h;
}

std::string ResultStore::row(std::size_t id) const {
  const CellRecord& c = cells_[id];
  std::string r = std::to_string(id);
  for (double v : grid_.cell(id).values) r += "," + format_value(v);
  for (std::size_t k = 0; k < result_names_.size(); ++k)
    r += "," + (k < c.values.size() && c.status != CellStatus::kPending ? format_value(c.values[k]) : std::string());
  r += "," + ToString(c.status);
  r += "," + (c.status == CellStatus::kPending ? std::string() : fmt::format("{:.3f}", c.seconds));
  r += "," + csv_field(c.message);
  for (double v : extra_values_[id]) r += "," + format_value(v);
  return r;
}

void ResultStore::load_table() {
  std::ifstream in(table_path());
  if (!in) return;
  std::string line;
  if (!std::getline(in, line)) return;
  const std::string where = table_path().string();
  const bool legacy = line != header() && line == header(false);
  if (line != header() && !legacy)
    throw InputError(fmt::format("'{}' has columns '{}', this sweep writes '{}'; use another --out", where, line, header()));
  const std::size_t axes = grid_.axes().size(), results = result_names_.size();
  const std::size_t extra = legacy ? 0 : extra_names_.size();
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string at = fmt::format("{} line {}", where, number);
    const auto fields = split_csv_line(line);
    if (fields.size() != 1 + axes + results + 3 + extra)
      throw InputError(fmt::format("{}: {} fields, expected {}", at, fields.size(), 1 + axes + results + 3 + extra));
    const double id_value = parse_double(fields[0], at);
    if (!(id_value >= 0 && id_value < double(cells_.size()) && id_value == std::floor(id_value)))
      throw InputError(fmt::format("{}: cell id '{}' is not in this grid", at, fields[0]));
    const auto id = std::size_t(id_value);
    const Cell cell = grid_.cell(id);
    for (std::size_t k = 0; k < axes; ++k)
      if (fields[1 + k] != format_value(cell.values[k]))
        throw InputError(fmt::format("{}: cell {} has {}={}, the grid says {}", at, id, grid_.axes()[k].name,
                                     fields[1 + k], format_value(cell.values[k])));
    CellStatus status;
    if (!FromString(fields[1 + axes + results], &status))
      throw InputError(fmt::format("{}: unknown status '{}'", at, fields[1 + axes + results]));
    if (status != CellStatus::kOk) continue;  // failed and pending cells run again
    CellRecord& record = cells_[id];
    record.status = status;
    record.values.clear();
    for (std::size_t k = 0; k < results; ++k) record.values.push_back(parse_double(fields[1 + axes + k], at));
    record.seconds = parse_double(fields[2 + axes + results], at);
    record.message = fields[3 + axes + results];
    record.resumed = true;
    rows_[id] = row(id);
  }
}

std::size_t ResultStore::count(CellStatus status) const {
  std::size_t n = 0;
  for (const auto& c : cells_) n += c.status == status;
  return n;
}

std::size_t ResultStore::resumed() const {
  std::size_t n = 0;
  for (const auto& c : cells_) n += c.resumed;
  return n;
}

void ResultStore::record(const CellOutcome& outcome) {
  if (outcome.status == CellStatus::kPending) return;
  CellRecord& c = cells_.at(outcome.id);
  c.status = outcome.status;
  c.values = outcome.values;
  c.seconds = outcome.seconds;
  c.message = outcome.message;
  c.resumed = false;
  rows_[outcome.id] = row(outcome.id);
}

std::string ResultStore::csv() const {
  std::string text = header() + "\n";
  for (const auto& r : rows_) text += r + "\n";
  return text;
}

void ResultStore::write() const { write_file_atomic(table_path(), csv()); }

fs::path ResultStore::cell_directory(std::size_t id) const { return out_ / "cells" / std::to_string(id); }

}  // namespace waddington::sweep
