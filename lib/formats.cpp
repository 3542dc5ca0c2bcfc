#include "lib/formats.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "lib/atomic_file.hpp"
#include "lib/npy.hpp"

namespace waddington {
namespace fs = std::filesystem;

std::string metrics_csv(const TrainerSummary& summary, int num_classes) {
  std::ostringstream csv;
  csv << "epoch,cost,accuracy,test_accuracy";
  for (int d = 0; d < num_classes; ++d) csv << ",correct_" << d;
  for (int d = 0; d < num_classes; ++d) csv << ",memories_" << d;
  csv << "\n";
  for (const EpochMetrics& row : summary.history) {
    csv << fmt::format("{},{:.17g},{:.17g},", row.epoch, row.cost, row.accuracy);
    if (!std::isnan(row.test_accuracy)) csv << fmt::format("{:.17g}", row.test_accuracy);
    for (int v : row.correct_per_class) csv << "," << v;
    for (int v : row.memories_per_class) csv << "," << v;
    csv << "\n";
  }
  return csv.str();
}

void write_network_state(const fs::path& dir, const NetworkState& state) {
  write_npy(dir / "memories.npy", state.memories);
  write_npy(dir / "labels.npy", state.labels);
}

void write_snapshot(const fs::path& out, int epoch, const NetworkState& state) {
  const fs::path dir = out / fmt::format("epoch_{}", epoch);
  ensure_writable_directory(dir);
  write_network_state(dir, state);
}

void write_training_outputs(const fs::path& out, const NetworkState& state, const TrainerSummary& summary,
                            int num_classes) {
  write_network_state(out, state);
  write_file_atomic(out / "metrics.csv", metrics_csv(summary, num_classes));
}

}  // namespace waddington
