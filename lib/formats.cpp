#include "lib/formats.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <sstream>

#include "lib/atomic_file.hpp"
#include "lib/csv_columns.hpp"
#include "lib/errors.hpp"
#include "lib/npy.hpp"
#include "lib/npz.hpp"

namespace waddington {
namespace fs = std::filesystem;

std::string metrics_csv(const TrainerSummary& summary, int num_classes) {
  std::ostringstream csv;
  csv << "epoch,cost,accuracy,test_accuracy";
  for (int d = 0; d < num_classes; ++d) csv << ",correct_" << d;
  for (int d = 0; d < num_classes; ++d) csv << ",memories_" << d;
  for (int d = 0; d < num_classes; ++d) csv << ",predicted_" << d;
  csv << "\n";
  for (const EpochMetrics& row : summary.history) {
    csv << fmt::format("{},{:.17g},{:.17g},", row.epoch, row.cost, row.accuracy);
    if (!std::isnan(row.test_accuracy)) csv << fmt::format("{:.17g}", row.test_accuracy);
    for (int v : row.correct_per_class) csv << "," << v;
    for (int v : row.memories_per_class) csv << "," << v;
    for (int v : row.predicted_per_class) csv << "," << v;
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

namespace {

std::vector<double> row_major(const Eigen::MatrixXd& m) {
  std::vector<double> v(std::size_t(m.size()));
  Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(v.data(), m.rows(), m.cols()) = m;
  return v;
}

Eigen::MatrixXd matrix_of(const fs::path& file, const std::map<std::string, NpyArray>& arrays, const std::string& name) {
  const auto it = arrays.find(name);
  if (it == arrays.end() || it->second.shape.size() != 2)
    throw InputError(fmt::format("'{}': no 2-D array '{}' (not a training checkpoint)", file.string(), name));
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return Eigen::Map<const RowMajor>(it->second.values.data(), Eigen::Index(it->second.shape[0]),
                                    Eigen::Index(it->second.shape[1]));
}

}  // namespace

void write_checkpoint(const fs::path& out, const TrainerCheckpoint& c) {
  const std::size_t classes = std::size_t(c.state.labels.cols()), width = 4 + 3 * classes;
  std::vector<double> history;
  const auto append = [&](const std::vector<int>& counts) {
    for (std::size_t d = 0; d < classes; ++d) history.push_back(d < counts.size() ? counts[d] : 0);
  };
  for (const EpochMetrics& row : c.history) {
    history.insert(history.end(), {double(row.epoch), row.cost, row.accuracy, row.test_accuracy});
    append(row.correct_per_class);
    append(row.memories_per_class);
    append(row.predicted_per_class);
  }
  const std::int64_t epoch = c.epoch;
  write_npz(out / "checkpoint.npz",
            {{"memories", npy_bytes(c.state.memories)},
             {"labels", npy_bytes(c.state.labels)},
             {"velocity_memories", npy_bytes(c.velocity_memories)},
             {"velocity_labels", npy_bytes(c.velocity_labels)},
             {"epoch", npy_bytes("<i8", {1}, &epoch, 8)},
             {"noise_generator", npy_bytes("|u1", {c.noise_generator.size()}, c.noise_generator.data(), 1)},
             {"history", npy_bytes("<f8", {c.history.size(), width}, history.data(), 8)}});
}

TrainerCheckpoint read_checkpoint(const fs::path& out) {
  const fs::path file = out / "checkpoint.npz";
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw InputError(fmt::format("'{}' does not exist: nothing to resume (a checkpoint is written at every --save-epochs "
                                 "epoch and when a run stops or ends)", file.string()));
  const auto arrays = read_npz(file);
  TrainerCheckpoint c;
  c.state.memories = matrix_of(file, arrays, "memories");
  c.state.labels = matrix_of(file, arrays, "labels");
  c.velocity_memories = matrix_of(file, arrays, "velocity_memories");
  c.velocity_labels = matrix_of(file, arrays, "velocity_labels");
  const auto epoch = arrays.find("epoch"), noise = arrays.find("noise_generator");
  if (epoch == arrays.end() || epoch->second.size() != 1 || noise == arrays.end())
    throw InputError(fmt::format("'{}': no epoch or noise_generator (not a training checkpoint)", file.string()));
  c.epoch = int(epoch->second.values[0]);
  for (double byte : noise->second.values) c.noise_generator.push_back(char(byte));
  const Eigen::MatrixXd history = matrix_of(file, arrays, "history");
  const Eigen::Index classes = c.state.labels.cols();
  if (history.cols() == 4 + 2 * classes)
    throw InputError(fmt::format("'{}': history has no predicted_0..{} columns (a checkpoint of an older version, before "
                                 "per-class predicted counts were recorded): it cannot be resumed, train again",
                                 file.string(), classes - 1));
  if (history.cols() != 4 + 3 * classes)
    throw InputError(fmt::format("'{}': history has {} columns, expected {} (4 + 3 x {} classes)", file.string(),
                                 history.cols(), 4 + 3 * classes, classes));
  for (Eigen::Index r = 0; r < history.rows(); ++r) {
    EpochMetrics m;
    m.epoch = int(history(r, 0));
    m.cost = history(r, 1);
    m.accuracy = history(r, 2);
    m.test_accuracy = history(r, 3);
    for (Eigen::Index d = 0; d < classes; ++d) m.correct_per_class.push_back(int(history(r, 4 + d)));
    for (Eigen::Index d = 0; d < classes; ++d) m.memories_per_class.push_back(int(history(r, 4 + classes + d)));
    for (Eigen::Index d = 0; d < classes; ++d) m.predicted_per_class.push_back(int(history(r, 4 + 2 * classes + d)));
    c.history.push_back(std::move(m));
  }
  return c;
}

void write_stacked_snapshots(const fs::path& out, const std::vector<int>& epochs) {
  std::vector<std::int64_t> present;
  std::vector<double> memories, labels;
  std::size_t k = 0, n = 0, classes = 0;
  for (int e : epochs) {
    const fs::path dir = out / fmt::format("epoch_{}", e);
    std::error_code ec;
    if (!fs::exists(dir / "memories.npy", ec) || !fs::exists(dir / "labels.npy", ec)) continue;
    const Eigen::MatrixXd m = read_npy_matrix(dir / "memories.npy"), l = read_npy_matrix(dir / "labels.npy");
    if (!present.empty() && (std::size_t(m.rows()) != k || std::size_t(m.cols()) != n || std::size_t(l.cols()) != classes))
      throw InputError(fmt::format("'{}': snapshot shapes differ between epochs", dir.string()));
    k = std::size_t(m.rows()), n = std::size_t(m.cols()), classes = std::size_t(l.cols());
    present.push_back(e);
    const auto mv = row_major(m), lv = row_major(l);
    memories.insert(memories.end(), mv.begin(), mv.end());
    labels.insert(labels.end(), lv.begin(), lv.end());
  }
  write_npz(out / "snapshots.npz", {{"epochs", npy_bytes("<i8", {present.size()}, present.data(), 8)},
                                    {"memories", npy_bytes("<f8", {present.size(), k, n}, memories.data(), 8)},
                                    {"labels", npy_bytes("<f8", {present.size(), k, classes}, labels.data(), 8)}});
}

void write_training_outputs(const fs::path& out, const NetworkState& state, const TrainerSummary& summary,
                            int num_classes, const std::vector<std::pair<std::string, double>>& parameters) {
  write_network_state(out, state);
  write_file_atomic(out / "metrics.csv", with_parameter_columns(metrics_csv(summary, num_classes), parameters));
}

}  // namespace waddington
