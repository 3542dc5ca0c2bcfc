// The sweep engine with a toy task: results table, resume after a stop (the
// same sweep.csv as an uninterrupted run), a changed spec refused, unknown
// parameters refused, failures and abandoned cells, errors while recording.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <thread>

#include "lib/errors.hpp"
#include "sweep/store.hpp"
#include "sweep/sweep.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using namespace waddington::sweep;
using waddington::InputError;

namespace {

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("sweep", name); }

using waddington::testing::slurp;

// sweep.csv without its seconds column (the only one that differs between runs).
std::string without_seconds(const std::string& csv) {
  std::istringstream lines(csv);
  std::string line, out;
  std::size_t column = 0;
  for (bool header = true; std::getline(lines, line); header = false) {
    const auto fields = split_csv_line(line);
    if (header) column = std::size_t(std::find(fields.begin(), fields.end(), "seconds") - fields.begin());
    for (std::size_t k = 0; k < fields.size(); ++k)
      if (k != column) out += fields[k] + (k + 1 < fields.size() ? "," : "");
    out += "\n";
  }
  return out;
}

// a, b -> sum, product (a little work so that cells overlap on the pool);
// the cell a = 2, b = 0.5 fails when `fail` is set. Counts its calls.
Task toy_task(std::atomic<int>* calls, bool fail = false, std::string config = "v1") {
  Task task;
  task.name = "toy";
  task.config = {{"version", config}};
  task.parameters = {"a", "b"};
  task.results = {"sum", "product"};
  task.run = [calls, fail](const CellContext& cell) {
    ++*calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const double a = cell.parameters.at("a"), b = cell.parameters.at("b");
    if (fail && a == 2 && b == 0.5) throw std::runtime_error("toy failure at a=2, b=0.5");
    CellResult r;
    r.values = {{"sum", a + b}, {"product", a * b}};
    return r;
  };
  return task;
}

SweepOptions into(const fs::path& dir, const std::atomic<bool>* stop = nullptr, double flush_seconds = 1) {
  SweepOptions options;
  options.out = dir;
  options.stop = stop;
  options.flush_seconds = flush_seconds;
  return options;
}

const Grid& toy_grid() {
  static const Grid grid = Grid::Parse({"a=1:4:1", "b=0:1:0.25"});  // 4 x 5 = 20 cells
  return grid;
}

}  // namespace

TEST_CASE("sweep: one row per cell with parameters, results, status and seconds", "[short]") {
  const fs::path dir = scratch("table");
  std::atomic<int> calls{0};
  ThreadPoolScheduler pool(3);
  const SweepSummary s = run_sweep(toy_grid(), toy_task(&calls), pool, into(dir));
  CHECK(s.termination == SweepTermination::kCompleted);
  CHECK(s.ok == 20);
  CHECK(calls == 20);
  const std::string csv = slurp(dir / "sweep.csv");
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "id,a,b,sum,product,status,seconds,message");
  std::getline(lines, line);
  CHECK_THAT(line, Catch::StartsWith("0,1,0,1,0,ok,"));
  for (int k = 0; k < 8; ++k) std::getline(lines, line);
  CHECK_THAT(line, Catch::StartsWith("8,2,0.75,2.75,1.5,ok,"));
  CHECK(fs::exists(dir / "sweep.json"));
  CHECK(s.records.at(8).values == std::vector<double>{2.75, 1.5});
}

TEST_CASE("sweep: a stopped run resumed gives the table of an uninterrupted run", "[short]") {
  std::atomic<int> calls{0};
  ThreadPoolScheduler pool(2);
  const fs::path whole = scratch("whole"), parts = scratch("parts");
  run_sweep(toy_grid(), toy_task(&calls), pool, into(whole));

  // Stop after 6 cells; running cells finish, no new one starts.
  std::atomic<bool> stop{false};
  calls = 0;
  SweepOptions first = into(parts, &stop, 0);
  first.on_progress = [&](const Progress& p) {
    if (p.done >= 6) stop = true;
  };
  const SweepSummary s1 = run_sweep(toy_grid(), toy_task(&calls), pool, first);
  CHECK(s1.termination == SweepTermination::kInterrupted);
  CHECK(s1.ok >= 6);
  CHECK(s1.ok < 20);
  CHECK(s1.pending == 20 - s1.ok);
  // The table on disk is whole: every row ok (with results) or pending (without).
  {
    std::istringstream lines(slurp(parts / "sweep.csv"));
    std::string line;
    std::getline(lines, line);
    int rows = 0;
    while (std::getline(lines, line)) {
      const auto f = split_csv_line(line);
      REQUIRE(f.size() == 8);
      CHECK((f[5] == "ok" || f[5] == "pending"));
      CHECK(f[3].empty() == (f[5] == "pending"));
      ++rows;
    }
    CHECK(rows == 20);
  }
  // The rerun computes only the pending cells.
  calls = 0;
  const SweepSummary s2 = run_sweep(toy_grid(), toy_task(&calls), pool, into(parts));
  CHECK(s2.termination == SweepTermination::kCompleted);
  CHECK(s2.resumed == s1.ok);
  CHECK(std::size_t(calls.load()) == 20 - s1.ok);
  CHECK(without_seconds(slurp(parts / "sweep.csv")) == without_seconds(slurp(whole / "sweep.csv")));
  // A third run has nothing to do and changes nothing but nothing at all.
  const std::string before = slurp(parts / "sweep.csv");
  calls = 0;
  run_sweep(toy_grid(), toy_task(&calls), pool, into(parts));
  CHECK(calls == 0);
  CHECK(slurp(parts / "sweep.csv") == before);
}

TEST_CASE("sweep: a changed spec in the same directory is a one-line error", "[short]") {
  const fs::path dir = scratch("spec");
  std::atomic<int> calls{0};
  ThreadPoolScheduler pool(2);
  run_sweep(toy_grid(), toy_task(&calls), pool, into(dir));
  const std::string before = slurp(dir / "sweep.csv");
  auto message = [&](const Grid& grid, const Task& task) -> std::string {
    try {
      run_sweep(grid, task, pool, into(dir));
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  const std::string grid_changed = message(Grid::Parse({"a=1:5:1", "b=0:1:0.25"}), toy_task(&calls));
  CHECK_THAT(grid_changed, Catch::Contains("holds a different sweep"));
  CHECK_THAT(grid_changed, Catch::Contains("grid 'a=1:4:1 b=0:1:0.25' there, 'a=1:5:1 b=0:1:0.25' here"));
  const std::string task_changed = message(toy_grid(), toy_task(&calls, false, "v2"));
  CHECK_THAT(task_changed, Catch::Contains("task/config/version is \"v1\" there, \"v2\" here"));
  for (const auto& m : {grid_changed, task_changed}) CHECK(m.find('\n') == std::string::npos);
  CHECK(slurp(dir / "sweep.csv") == before);  // nothing was touched
}

TEST_CASE("sweep: a parameter the task does not know, or a value it rejects, stops before any work", "[short]") {
  const fs::path dir = scratch("unknown");
  std::atomic<int> calls{0};
  ThreadPoolScheduler pool(1);
  try {
    run_sweep(Grid::Parse({"a=1,2", "c=1"}), toy_task(&calls), pool, into(dir));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("--grid c=1: the task 'toy' has no parameter 'c' (it knows: a, b)"));
  }
  Task picky = toy_task(&calls);
  picky.check = [](const std::map<std::string, double>& p) {
    if (p.at("a") > 3) throw InputError("a must be at most 3");
  };
  CHECK_THROWS_WITH(run_sweep(toy_grid(), picky, pool, into(dir)), "a must be at most 3");
  CHECK(calls == 0);
  CHECK_FALSE(fs::exists(dir));
  CHECK_THROWS_AS(run_sweep(toy_grid(), toy_task(&calls), pool, into("")), InputError);
}

TEST_CASE("sweep: failures are data, a rerun retries them", "[short]") {
  const fs::path dir = scratch("failures");
  std::atomic<int> calls{0};
  ThreadPoolScheduler pool(2);
  const SweepSummary s = run_sweep(toy_grid(), toy_task(&calls, true), pool, into(dir));
  CHECK(s.termination == SweepTermination::kCompleted);
  CHECK(s.failed == 1);
  CHECK(s.ok == 19);
  REQUIRE(s.failures.size() == 1);
  CHECK(s.failures[0] == "cell 7 (a=2 b=0.5): toy failure at a=2, b=0.5");
  CHECK_THAT(slurp(dir / "sweep.csv"), Catch::Contains(",failed,") && Catch::Contains("\"toy failure at a=2, b=0.5\""));
  calls = 0;
  const SweepSummary again = run_sweep(toy_grid(), toy_task(&calls, false), pool, into(dir));
  CHECK(calls == 1);
  CHECK(again.ok == 20);
}

TEST_CASE("sweep: running cells abandoned on stop stay pending", "[short]") {
  const fs::path dir = scratch("abandon");
  std::atomic<bool> stop{false};
  Task slow;
  slow.name = "slow";
  slow.parameters = {"a"};
  slow.results = {"twice"};
  slow.run = [&](const CellContext& cell) {
    if (cell.id == 0) {
      stop = true;  // as a Ctrl-C during the first cell
      while (!cell.stop_requested()) std::this_thread::yield();
      throw Abandoned();
    }
    return CellResult{CellStatus::kOk, {{"twice", 2 * cell.parameters.at("a")}}, ""};
  };
  ThreadPoolScheduler pool(1);
  const SweepSummary s = run_sweep(Grid::Parse({"a=1:10:1"}), slow, pool, into(dir, &stop));
  CHECK(s.termination == SweepTermination::kInterrupted);
  CHECK(s.pending == 10);
  CHECK(s.ran == 0);
  CHECK_THAT(slurp(dir / "sweep.csv"), Catch::Contains("\n0,1,,pending,,\n"));
}

TEST_CASE("sweep: an error while recording stops the pool and is rethrown", "[short]") {
  std::atomic<int> calls{0};
  ThreadPoolScheduler pool(2);
  std::vector<std::size_t> ids(50);
  std::iota(ids.begin(), ids.end(), 0);
  std::atomic<bool> never{false};
  int recorded = 0;
  const CellJob job = [&](std::size_t id) {
    ++calls;
    return CellOutcome{id, CellStatus::kOk, {}, "", 0};
  };
  const CellDone done = [&](CellOutcome&&) {
    if (++recorded == 3) throw waddington::EnvironmentError("disk full");
  };
  CHECK_THROWS_WITH(pool.run(ids, job, done, never), "disk full");
  CHECK(calls < 50);
}
