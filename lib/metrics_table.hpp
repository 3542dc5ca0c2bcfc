#pragma once
// Reading back a training run's metrics.csv (written by lib/formats.hpp,
// metrics_csv): one row per measured epoch with the per-class counts.
#include <filesystem>
#include <string>
#include <vector>

namespace waddington {

struct MetricsTable {
  std::vector<int> epochs;                       // E epochs, strictly increasing
  std::vector<double> cost, accuracy;            // E each
  std::vector<std::vector<int>> correct;         // E x C: correctly classified training samples per class
  std::vector<std::vector<int>> memories;        // E x C: memories whose largest label is each class
  // E x C: training samples classified as each class; empty when the file has no
  // predicted_d columns (written by a version before they were recorded).
  std::vector<std::vector<int>> predicted;
  bool has_predicted() const { return !predicted.empty(); }
  int num_classes() const { return correct.empty() ? 0 : int(correct.front().size()); }
};

// Parses the text of a metrics.csv ("epoch,cost,accuracy,test_accuracy,
// correct_0..correct_{C-1},memories_0..memories_{C-1},predicted_0..predicted_{C-1}";
// the predicted_d columns may be absent, all or none); `source` names it in
// errors. Throws InputError for a missing column, a malformed or non-increasing
// row, a negative count, a correct count above the predicted one, or no rows.
MetricsTable parse_metrics_csv(const std::string& text, const std::string& source = "metrics.csv");

// Reads and parses FILE. Throws InputError (also when it cannot be read).
MetricsTable read_metrics_csv(const std::filesystem::path& file);

}  // namespace waddington
