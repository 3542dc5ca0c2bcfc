#include "lib/metrics_table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "lib/errors.hpp"
#include "lib/escape.hpp"

namespace waddington {

namespace {

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

template <class T>
bool parse_number(const std::string& text, T* value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return ec == std::errc() && ptr == end;
}

}  // namespace

MetricsTable parse_metrics_csv(const std::string& text, const std::string& source) {
  const std::string where = escape_for_message(source);
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) throw InputError(fmt::format("{}: empty file, expected a metrics.csv header", where));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::vector<std::string> header = split_commas(line);
  auto column = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return int(i);
    return -1;
  };
  const int epoch_col = column("epoch"), cost_col = column("cost"), accuracy_col = column("accuracy");
  if (epoch_col < 0 || cost_col < 0 || accuracy_col < 0)
    throw InputError(fmt::format("{}: header lacks epoch, cost or accuracy: not a metrics.csv", where));
  std::vector<int> correct_cols, memory_cols;
  for (int d = 0;; ++d) {
    const int c = column(fmt::format("correct_{}", d)), m = column(fmt::format("memories_{}", d));
    if (c < 0 && m < 0) break;
    if (c < 0 || m < 0) throw InputError(fmt::format("{}: has only one of correct_{} and memories_{}", where, d, d));
    correct_cols.push_back(c);
    memory_cols.push_back(m);
  }
  if (correct_cols.empty()) throw InputError(fmt::format("{}: no correct_0 column: not a metrics.csv", where));
  std::vector<int> predicted_cols;
  for (std::size_t d = 0; d < correct_cols.size(); ++d)
    if (const int p = column(fmt::format("predicted_{}", d)); p >= 0) predicted_cols.push_back(p);
  if (!predicted_cols.empty() && predicted_cols.size() != correct_cols.size())
    throw InputError(fmt::format("{}: {} predicted_d columns for {} classes", where, predicted_cols.size(), correct_cols.size()));

  MetricsTable table;
  int row = 1;
  while (std::getline(in, line)) {
    ++row;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_commas(line);
    if (fields.size() != header.size())
      throw InputError(fmt::format("{} line {}: {} fields, the header has {}", where, row, fields.size(), header.size()));
    int epoch = 0;
    double cost = 0, accuracy = 0;
    if (!parse_number(fields[std::size_t(epoch_col)], &epoch) || !parse_number(fields[std::size_t(cost_col)], &cost) ||
        !parse_number(fields[std::size_t(accuracy_col)], &accuracy))
      throw InputError(fmt::format("{} line {}: malformed epoch, cost or accuracy", where, row));
    if (epoch < 0 || (!table.epochs.empty() && epoch <= table.epochs.back()))
      throw InputError(fmt::format("{} line {}: epoch {} is negative or not after the previous row's", where, row, epoch));
    std::vector<int> correct(correct_cols.size()), memories(memory_cols.size());
    for (std::size_t d = 0; d < correct_cols.size(); ++d) {
      if (!parse_number(fields[std::size_t(correct_cols[d])], &correct[d]) ||
          !parse_number(fields[std::size_t(memory_cols[d])], &memories[d]) || correct[d] < 0 || memories[d] < 0)
        throw InputError(fmt::format("{} line {}: correct_{} or memories_{} is not a count", where, row, d, d));
    }
    std::vector<int> predicted(predicted_cols.size());
    for (std::size_t d = 0; d < predicted_cols.size(); ++d)
      if (!parse_number(fields[std::size_t(predicted_cols[d])], &predicted[d]) || predicted[d] < correct[d])
        throw InputError(fmt::format("{} line {}: predicted_{} is not a count of at least correct_{}", where, row, d, d));
    table.epochs.push_back(epoch);
    table.cost.push_back(cost);
    table.accuracy.push_back(accuracy);
    table.correct.push_back(std::move(correct));
    table.memories.push_back(std::move(memories));
    if (!predicted_cols.empty()) table.predicted.push_back(std::move(predicted));
  }
  if (table.epochs.empty()) throw InputError(fmt::format("{}: no epoch rows", where));
  return table;
}

MetricsTable read_metrics_csv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read {}", escape_for_message(file.string())));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_metrics_csv(text.str(), file.string());
}

}  // namespace waddington
