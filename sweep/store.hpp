#pragma once
// A sweep's results on disk, in its output directory OUT:
//   sweep.json   the spec: the grid (names, specs, values), the task's name,
//                configuration and result names. Written once. A rerun into
//                the same OUT must present the same spec; it then resumes.
//   sweep.csv    one row per cell in id order:
//                  id,<parameters...>,<results...>,status,seconds,message[,<task parameter columns...>]
//                (results empty while a cell is pending; numbers in their
//                shortest round-trip form, so a value read back is the same
//                double). Always rewritten whole and atomically (temporary
//                file + rename): a reader or a kill never sees half a table.
//   cells/<id>/  whatever the task keeps per cell.
#include <filesystem>
#include <string>
#include <vector>

#include "sweep/grid.hpp"
#include "sweep/scheduler.hpp"
#include "sweep/task.hpp"

namespace waddington::sweep {

struct CellRecord {
  CellStatus status = CellStatus::kPending;
  std::vector<double> values;  // Task::results order; empty while pending
  double seconds = 0;
  std::string message;
  bool resumed = false;  // read back from an earlier run's sweep.csv
};

class ResultStore {
 public:
  // Opens OUT (created if needed) for this grid and task. When OUT already
  // holds sweep.json it must describe the same sweep, else InputError (one
  // line naming the first difference); the ok rows of its sweep.csv are kept
  // and every other cell is pending. Throws EnvironmentError if OUT is not
  // writable. With `write_spec` false (a computing rank) nothing is written.
  ResultStore(std::filesystem::path out, const Grid& grid, const Task& task, bool write_spec = true);

  const CellRecord& cell(std::size_t id) const { return cells_[id]; }
  std::size_t size() const { return cells_.size(); }
  std::size_t count(CellStatus status) const;
  std::size_t resumed() const;

  // Records a finished (ok/failed) cell; a pending outcome (abandoned) is ignored.
  void record(const CellOutcome& outcome);
  // Rewrites sweep.csv atomically.
  void write() const;
  std::string csv() const;

  const std::filesystem::path& directory() const { return out_; }
  std::filesystem::path cell_directory(std::size_t id) const;
  std::filesystem::path table_path() const { return out_ / "sweep.csv"; }
  std::filesystem::path spec_path() const { return out_ / "sweep.json"; }

 private:
  void open_spec(const nlohmann::json& spec, bool write_spec);
  void load_table();
  // With the task's parameter columns; without them: the header of a sweep.csv
  // written before they existed, still resumed.
  std::string header(bool with_extra = true) const;
  std::string row(std::size_t id) const;

  std::filesystem::path out_;
  Grid grid_;
  std::vector<std::string> result_names_;
  // Task::parameter_columns that are not grid axes, and each cell's values of them.
  std::vector<std::string> extra_names_;
  std::vector<std::vector<double>> extra_values_;
  std::vector<CellRecord> cells_;
  std::vector<std::string> rows_;  // formatted once per change
};

// The spec a sweep.json holds for this grid and task.
nlohmann::json sweep_spec(const Grid& grid, const Task& task);

// Splits one CSV line into fields ("..." quoting with "" inside).
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace waddington::sweep
