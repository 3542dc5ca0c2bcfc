#include "sweep/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "lib/errors.hpp"

namespace waddington::sweep {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string describe_cell(const Grid& grid, std::size_t id) {
  std::string text;
  const Cell cell = grid.cell(id);
  for (std::size_t k = 0; k < cell.values.size(); ++k)
    text += (k ? " " : "") + grid.axes()[k].name + "=" + format_value(cell.values[k]);
  return text;
}

// Runs the task on one cell; every exception becomes data in the outcome.
CellOutcome run_cell(const Grid& grid, const Task& task, const ResultStore& store, std::size_t id,
                     const std::atomic<bool>& stop) {
  CellOutcome out;
  out.id = id;
  const auto start = std::chrono::steady_clock::now();
  CellContext context{id, grid.parameters(id), store.cell_directory(id), &stop};
  try {
    CellResult result = task.run(context);
    out.status = result.status == CellStatus::kPending ? CellStatus::kFailed : result.status;
    out.message = result.status == CellStatus::kPending ? "the task returned no status" : result.message;
    out.values.assign(task.results.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& [name, value] : result.values) {
      const auto it = std::find(task.results.begin(), task.results.end(), name);
      if (it == task.results.end()) {
        out.status = CellStatus::kFailed;
        out.message = fmt::format("the task returned an undeclared result '{}'", name);
      } else {
        out.values[std::size_t(it - task.results.begin())] = value;
      }
    }
  } catch (const Abandoned&) {
    out.status = CellStatus::kPending;
  } catch (const std::exception& e) {
    out.status = CellStatus::kFailed;
    out.message = e.what();
  } catch (...) {
    out.status = CellStatus::kFailed;
    out.message = "unknown exception";
  }
  out.seconds = seconds_since(start);
  return out;
}

}  // namespace

bool SweepOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) {
    if (why) *why = std::move(message);
    return false;
  };
  if (out.empty()) return bad("a sweep needs an output directory (--out DIR)");
  if (!(flush_seconds >= 0) || !std::isfinite(flush_seconds))
    return bad(fmt::format("flush interval {} s must be >= 0", flush_seconds));
  return true;
}

std::string ToString(SweepTermination termination) {
  switch (termination) {
    case SweepTermination::kNotRun: return "not_run";
    case SweepTermination::kCompleted: return "completed";
    case SweepTermination::kInterrupted: return "interrupted";
  }
  return "unknown";
}

void check_grid(const Grid& grid, const Task& task) {
  const std::set<std::string> known(task.parameters.begin(), task.parameters.end());
  for (const Axis& axis : grid.axes())
    if (!known.count(axis.name)) {
      std::string list;
      for (const auto& name : task.parameters) list += (list.empty() ? "" : ", ") + name;
      throw InputError(fmt::format("--grid {}: the task '{}' has no parameter '{}' (it knows: {})", axis.name + "=" + axis.spec,
                                   task.name, axis.name, list));
    }
  if (!task.check) return;
  // Each axis value is checked once, with the other axes at their first value
  // (a task's check looks at one parameter at a time).
  std::map<std::string, double> first = grid.parameters(0);
  for (const Axis& axis : grid.axes())
    for (double value : axis.values) {
      auto parameters = first;
      parameters[axis.name] = value;
      task.check(parameters);
    }
}

SweepSummary run_sweep(const Grid& grid, const Task& task, Scheduler& scheduler, const SweepOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  check_grid(grid, task);
  const auto start = std::chrono::steady_clock::now();
  const bool coordinator = scheduler.coordinator();
  ResultStore store(options.out, grid, task, coordinator);

  std::vector<std::size_t> ids;
  for (std::size_t id = 0; id < store.size(); ++id)
    if (store.cell(id).status != CellStatus::kOk) ids.push_back(id);
  static const std::atomic<bool> never{false};
  const std::atomic<bool>& stop = options.stop ? *options.stop : never;

  Progress progress;
  progress.total = store.size();
  progress.resumed = store.resumed();
  progress.to_run = ids.size();
  if (coordinator) store.write();
  if (options.on_progress) options.on_progress(progress);

  double last_write = 0, cell_seconds = 0;
  std::vector<std::string> failures;
  const CellJob job = [&](std::size_t id) { return run_cell(grid, task, store, id, stop); };
  const CellDone done = [&](CellOutcome&& outcome) {
    if (outcome.status == CellStatus::kPending) return;  // abandoned on request
    store.record(outcome);
    ++progress.done;
    cell_seconds += outcome.seconds;
    if (outcome.status == CellStatus::kFailed) {
      ++progress.failed;
      if (failures.size() < 20)
        failures.push_back(fmt::format("cell {} ({}): {}", outcome.id, describe_cell(grid, outcome.id), outcome.message));
    }
    progress.elapsed_seconds = seconds_since(start);
    progress.eta_seconds =
        progress.elapsed_seconds / double(progress.done) * double(progress.to_run - progress.done);
    if (progress.elapsed_seconds - last_write >= options.flush_seconds) {
      store.write();
      last_write = progress.elapsed_seconds;
    }
    if (options.on_progress) options.on_progress(progress);
  };
  scheduler.run(ids, job, done, stop);
  if (coordinator) store.write();

  SweepSummary s;
  s.cells = store.size();
  s.resumed = progress.resumed;
  s.ran = progress.done;
  s.ok = store.count(CellStatus::kOk);
  s.failed = store.count(CellStatus::kFailed);
  s.pending = store.count(CellStatus::kPending);
  s.workers = scheduler.workers();
  s.seconds = seconds_since(start);
  s.cell_seconds = cell_seconds;
  s.failures = std::move(failures);
  for (std::size_t id = 0; id < store.size(); ++id) {
    s.records.push_back(store.cell(id));
    s.all_cell_seconds += store.cell(id).seconds;
  }
  s.termination = s.pending > 0 ? SweepTermination::kInterrupted : SweepTermination::kCompleted;
  return s;
}

std::string SweepSummary::BriefReport() const {
  return fmt::format("sweep {}: {} cells ({} resumed, {} run, {} failed, {} pending) in {:.1f} s on {} worker{}",
                     ToString(termination), cells, resumed, ran, failed, pending, seconds, workers,
                     workers == 1 ? "" : "s");
}

nlohmann::json SweepSummary::ToJson() const {
  return {{"termination", ToString(termination)},
          {"cells", cells},
          {"resumed", resumed},
          {"ran", ran},
          {"ok", ok},
          {"failed", failed},
          {"pending", pending},
          {"workers", workers},
          {"seconds", seconds},
          {"cell_seconds", cell_seconds},
          {"all_cell_seconds", all_cell_seconds},
          {"failures", failures},
          {"brief_report", BriefReport()}};
}

}  // namespace waddington::sweep
