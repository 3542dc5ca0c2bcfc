#pragma once
// What a sweep runs in each cell: an opaque task that takes the cell's named
// parameters and returns named scalar results and a status. The engine never
// looks inside; a task runs single-threaded (many run at once on a pool) and
// must not change process-wide state.
#include <nlohmann/json.hpp>

#include <atomic>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace waddington::sweep {

enum class CellStatus {
  kPending,  // not run yet, or abandoned when the sweep was interrupted: a rerun runs it
  kOk,       // finished; its results are final and a rerun skips it
  kFailed,   // the task reported a failure or threw; the message says why; a rerun tries again
};
std::string ToString(CellStatus status);
bool FromString(const std::string& text, CellStatus* status);

// What a task sees of its cell.
struct CellContext {
  std::size_t id = 0;
  std::map<std::string, double> parameters;  // name -> value, every axis of the grid
  // OUT/cells/<id>: where a task may keep per-cell files (it creates the
  // directory if it writes any). Empty when the sweep keeps no files.
  std::filesystem::path directory;
  const std::atomic<bool>* stop = nullptr;

  // True once the sweep was asked to stop (Ctrl-C): a long task may then throw
  // Abandoned, and its cell stays pending.
  bool stop_requested() const { return stop && stop->load(std::memory_order_relaxed); }
  // The value of a grid parameter, or `fallback` when the grid has no such axis.
  double parameter(const std::string& name, double fallback) const {
    const auto it = parameters.find(name);
    return it == parameters.end() ? fallback : it->second;
  }
};

// Thrown by a task that gives up its cell because stop_requested() is true.
struct Abandoned : std::exception {
  const char* what() const noexcept override { return "cell abandoned on request"; }
};

struct CellResult {
  CellStatus status = CellStatus::kOk;
  std::map<std::string, double> values;  // names from Task::results; a missing one is NaN
  std::string message;                   // why it failed (one line)
};

struct Task {
  // Recorded in sweep.json with `config`: a rerun with another name or config
  // in the same directory is refused, not mixed in.
  std::string name;
  nlohmann::json config = nlohmann::json::object();
  // The parameter names the task understands; a grid axis with another name is an error.
  std::vector<std::string> parameters;
  // The result columns, in table order.
  std::vector<std::string> results;
  // Checks one cell's parameters before anything runs (e.g. an integer
  // parameter given 1.5); throws InputError. Optional.
  std::function<void(const std::map<std::string, double>&)> check;
  // Parameter columns of sweep.csv besides the grid's, appended last: their
  // names and their values for a cell's parameters (e.g. a model's n, T and
  // T_r, whether swept, derived from a swept one or fixed). A name that is a
  // grid axis is not repeated. Optional: both or neither.
  std::vector<std::string> parameter_columns;
  std::function<std::map<std::string, double>(const std::map<std::string, double>&)> parameter_values;
  // Runs one cell. May throw: Abandoned leaves the cell pending, any other
  // exception marks it failed with the exception's message.
  std::function<CellResult(const CellContext&)> run;
};

}  // namespace waddington::sweep
