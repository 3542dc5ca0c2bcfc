// `waddington sweep` end to end through the built binary: a sweep killed with
// SIGKILL and rerun ends with the sweep.csv (and cell files) of an
// uninterrupted one; Ctrl-C (SIGINT) leaves a consistent table and exit 130;
// bad grids and a changed spec are one-line errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sweep/store.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using waddington::sweep::split_csv_line;
using waddington::testing::cli_binary;

namespace {

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("sweep_cli", name); }

using waddington::testing::slurp;

// The grid and training options of the test sweep: 3 x 8 = 24 cells of a few
// tens of milliseconds each (synthetic digits, 4 memories).
std::vector<std::string> sweep_args(const fs::path& out) {
  return {"sweep", "--grid", "n=2:4:1", "--grid", "seed=1:8:1", "--threads", "2", "--flush-seconds", "0",
          "--out", out.string(), "--", "--synthetic", "--per-class", "2", "--memories", "4", "--epochs", "1500",
          "--Tr", "0.6"};
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = cli_binary();
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::freopen(log.c_str(), "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    ::execv(binary.c_str(), argv.data());
    std::_Exit(127);
  }
  return pid;
}

// Exit status, or 128 + signal.
int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run(const std::vector<std::string>& args, const fs::path& log) { return wait_for(spawn(args, log)); }

// Number of rows with status ok in a sweep.csv (0 if absent).
int ok_rows(const fs::path& csv) {
  std::istringstream lines(slurp(csv));
  std::string line;
  int ok = 0;
  while (std::getline(lines, line)) ok += line.find(",ok,") != std::string::npos;
  return ok;
}

// Waits until at least `cells` rows are ok, or the process ended.
void wait_for_cells(const fs::path& csv, int cells, pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (ok_rows(csv) < cells && std::chrono::steady_clock::now() < deadline) {
    int status;
    if (::waitpid(pid, &status, WNOHANG) == pid) FAIL("the sweep ended before it could be stopped");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string without_seconds(const std::string& csv) {
  std::istringstream lines(csv);
  std::string line, out;
  while (std::getline(lines, line)) {
    auto fields = split_csv_line(line);
    fields.erase(fields.end() - 4);  // ...,status,seconds,message,T,Tr
    for (const auto& f : fields) out += f + ",";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("sweep CLI: killed with SIGKILL and rerun = uninterrupted", "[slow][cli]") {
  const fs::path whole = scratch("whole"), killed = scratch("killed"), log = scratch("log.txt");
  REQUIRE(run(sweep_args(whole), log) == 0);
  const std::string reference = without_seconds(slurp(whole / "sweep.csv"));
  CHECK(ok_rows(whole / "sweep.csv") == 24);

  const pid_t pid = spawn(sweep_args(killed), log);
  wait_for_cells(killed / "sweep.csv", 5, pid);
  ::kill(pid, SIGKILL);
  CHECK(wait_for(pid) == 128 + SIGKILL);
  const int done_before = ok_rows(killed / "sweep.csv");
  INFO("cells finished before the kill: " << done_before);
  CHECK(done_before >= 5);
  CHECK(done_before < 24);  // killed mid-way

  REQUIRE(run(sweep_args(killed), log) == 0);
  CHECK(without_seconds(slurp(killed / "sweep.csv")) == reference);
  const auto record = nlohmann::json::parse(slurp(killed / "run.json"));
  CHECK(record["summary"]["resumed"].get<int>() >= done_before);
  for (int id : {0, 7, 23}) {
    const std::string cell = "cells/" + std::to_string(id);
    CHECK(slurp(killed / cell / "memories.npy") == slurp(whole / cell / "memories.npy"));
    CHECK(slurp(killed / cell / "alpha.npy") == slurp(whole / cell / "alpha.npy"));
  }
}

TEST_CASE("sweep CLI: Ctrl-C leaves a consistent table, exit 130, and the rerun resumes", "[slow][cli]") {
  const fs::path whole = scratch("whole_int"), stopped = scratch("stopped"), log = scratch("log_int.txt");
  REQUIRE(run(sweep_args(whole), log) == 0);
  const pid_t pid = spawn(sweep_args(stopped), log);
  wait_for_cells(stopped / "sweep.csv", 3, pid);
  ::kill(pid, SIGINT);
  CHECK(wait_for(pid) == 130);
  const std::string err = slurp(log);
  CHECK_THAT(err, Catch::Contains("waddington: interrupted: ") && Catch::Contains("rerun the same command to resume"));
  std::istringstream lines(slurp(stopped / "sweep.csv"));
  std::string line;
  std::getline(lines, line);
  const auto header = split_csv_line(line);  // the status column found by its name
  const auto status_at = std::find(header.begin(), header.end(), "status");
  REQUIRE(status_at != header.end());
  const std::size_t status = std::size_t(status_at - header.begin());
  int rows = 0, ok = 0;
  while (std::getline(lines, line)) {
    const auto f = split_csv_line(line);
    REQUIRE(f.size() == header.size());
    CHECK((f[status] == "ok" || f[status] == "pending"));
    ok += f[status] == "ok";
    ++rows;
  }
  CHECK(rows == 24);
  CHECK(ok < 24);
  CHECK(nlohmann::json::parse(slurp(stopped / "run.json"))["summary"]["termination"] == "interrupted");
  REQUIRE(run(sweep_args(stopped), log) == 0);
  CHECK(without_seconds(slurp(stopped / "sweep.csv")) == without_seconds(slurp(whole / "sweep.csv")));
}

TEST_CASE("sweep CLI: bad grids, unknown parameters and a changed spec are one-line errors", "[short][cli]") {
  const fs::path out = scratch("bad"), log = scratch("log_bad.txt");
  auto error = [&](std::vector<std::string> args) {
    const int status = run(args, log);
    const std::string err = slurp(log);
    INFO(err);
    CHECK(status == 2);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK_THAT(err, Catch::StartsWith("waddington: error: "));
    return err;
  };
  const std::vector<std::string> tail = {"--out", out.string(), "--", "--synthetic", "--epochs", "3"};
  auto with = [&](std::vector<std::string> head) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  CHECK_THAT(error(with({"sweep", "--grid", "n=5:1:1"})), Catch::Contains("inverted range"));
  CHECK_THAT(error(with({"sweep", "--grid", "n="})), Catch::Contains("no values"));
  CHECK_THAT(error(with({"sweep", "--grid", "n=1:3:0"})), Catch::Contains("step 0 must be positive"));
  CHECK_THAT(error(with({"sweep", "--grid", "n=two"})), Catch::Contains("'two' is not a finite number"));
  CHECK_THAT(error(with({"sweep", "--grid", "n=1,2", "--grid", "n=3"})), Catch::Contains("given twice"));
  CHECK_THAT(error(with({"sweep", "--grid", "colour=1,2"})), Catch::Contains("has no parameter 'colour'"));
  CHECK_THAT(error(with({"sweep", "--grid", "memories=1.5"})), Catch::Contains("not an integer"));
  CHECK_THAT(error(with({"sweep", "--grid", "n=-1,2"})), Catch::Contains("power n = -1"));
  CHECK_THAT(error({"sweep", "--grid", "n=2", "--out", out.string(), "--", "--synthetic", "--n", "3"}),
             Catch::Contains("also given after --"));
  CHECK_FALSE(fs::exists(out / "sweep.csv"));

  REQUIRE(run(with({"sweep", "--grid", "n=2,3", "--threads", "1"}), log) == 0);
  const std::string before = slurp(out / "sweep.csv");
  CHECK_THAT(error({"sweep", "--grid", "n=2,3", "--out", out.string(), "--", "--synthetic", "--epochs", "4"}),
             Catch::Contains("holds a different sweep (task/config/trainer/epochs is 3 there, 4 here)"));
  CHECK_THAT(error(with({"sweep", "--grid", "n=2,4"})), Catch::Contains("grid 'n=2,3' there, 'n=2,4' here"));
  CHECK(slurp(out / "sweep.csv") == before);
}
