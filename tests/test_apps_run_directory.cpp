// One run per output directory, always consistent (issue 12, item 6) and
// progress when stderr is a file (item 10), through the built binary: a plot
// that cannot be written fails before any work and leaves the old run intact;
// run.json is "running" during a run and complete/interrupted after it, with
// SHA-256 sums that `sha256sum -c` accepts; a second run into a busy --out is
// refused (exit 3); SIGTERM finishes the epoch, exits 143 with a consistent
// interrupted record, and `train --resume` ends bit for bit where an
// uninterrupted run does.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "lib/npy.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using waddington::testing::cli_binary;
using waddington::testing::run_binary;
using waddington::testing::slurp;
using waddington::testing::start_binary;
using waddington::testing::wait_exit_status;

namespace {

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("run_directory", name); }

nlohmann::json record(const fs::path& dir) { return nlohmann::json::parse(slurp(dir / "run.json")); }

// Waits (up to 60 s) until DIR/run.json says the run is "running" and its first epochs are done.
bool wait_running(const fs::path& dir, const fs::path& log) {
  for (int i = 0; i < 6000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!fs::exists(dir / "run.json") || !fs::exists(dir / "epoch_0" / "memories.npy")) continue;
    try {
      if (record(dir)["status"] == "running") return true;
    } catch (const nlohmann::json::exception&) {
    }
  }
  return false;
}

const std::string kTrain = "train --synthetic --per-class 6 --memories 10 --n 20 --Tr 0.8 --momentum 0.5 --noise 0.0001 "
                           "--seed 5 --epochs 12000 --save-epochs 0,6000,12000";

}  // namespace

TEST_CASE("run directory: a plot that cannot be made fails before any work and leaves the old run intact", "[short]") {
  const fs::path dir = scratch("plot_fails");
  const auto good = run_binary("nullclines --n 20 --cells 60 --out " + dir.string());
  REQUIRE(good.status == 0);
  const std::string old_record = slurp(dir / "run.json"), old_table = slurp(dir / "nullclines.csv");
  CHECK(record(dir)["status"] == "complete");

  // The reproducers: an unwritable --plot folder, and gnuplot missing from PATH.
  const auto no_folder = run_binary("nullclines --n 30 --cells 60 --plot " + (dir / "absent" / "x.png").string() +
                                    " --out " + dir.string());
  CHECK(no_folder.status == 3);
  CHECK_THAT(no_folder.err, Catch::Contains("does not exist"));
  CHECK(waddington::testing::count_lines(no_folder.err) == 1);
  const auto no_gnuplot = run_binary("nullclines --n 30 --cells 60 --plot " + (dir / "x.png").string() + " --out " +
                                         dir.string(), "PATH=/nonexistent");
  CHECK(no_gnuplot.status == 3);
  CHECK_THAT(no_gnuplot.err, Catch::Contains("gnuplot"));
  // Bad input found only after the run started (the grid size, checked by the
  // computation): exit 2, and the old run.json is put back.
  const auto late = run_binary("nullclines --n 30 --cells 1 --out " + dir.string());
  CHECK(late.status == 2);
  CHECK(slurp(dir / "run.json") == old_record);      // not replaced
  CHECK(slurp(dir / "nullclines.csv") == old_table);  // no new table beside the old record
  CHECK_FALSE(fs::exists(dir / "x.png"));
}

TEST_CASE("run directory: run.json lists every output with a SHA-256 that sha256sum -c accepts, and the build", "[short]") {
  const fs::path dir = scratch("sums");
  const auto r = run_binary("fixed-points --n 20 --T 700 --out " + dir.string());
  REQUIRE(r.status == 0);
  const auto j = record(dir);
  CHECK(j["status"] == "complete");
  CHECK(j["complete"] == true);
  REQUIRE(j["outputs"].size() == 1);
  CHECK(j["outputs"][0]["path"] == "fixed_points.csv");
  CHECK(j["outputs"][0]["sha256"].get<std::string>().size() == 64);
  // Every CSV carries its parameters as columns (docs/outputs.md).
  const std::string table = slurp(dir / "fixed_points.csv");
  CHECK(table.substr(0, table.find('\n')).ends_with(",held,n,T,Tr"));
  CHECK_THAT(table, Catch::Contains(",20,700,0.8928571428571429\n"));
  for (const char* library : {"compiler", "eigen", "boost", "ceres", "fmt", "cli11", "nlohmann_json", "openssl"})
    CHECK_FALSE(j["build"][library].get<std::string>().empty());
  CHECK(std::system(("cd " + dir.string() + " && sha256sum --quiet -c SHA256SUMS").c_str()) == 0);
  std::ofstream(dir / "fixed_points.csv", std::ios::app) << "tampered\n";
  CHECK(std::system(("cd " + dir.string() + " && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1").c_str()) != 0);
}

TEST_CASE("run directory: SIGTERM mid-train, a concurrent run refused, --resume equal to an uninterrupted run, "
          "progress lines in a log file",
          "[short]") {
  const fs::path whole = scratch("whole"), killed = scratch("killed"), log = scratch("killed.log");
  // The uninterrupted reference, with progress lines every 0.2 s into a file.
  const auto reference = run_binary(kTrain + " --out " + whole.string(), "WADDINGTON_PROGRESS_SECONDS=0.2");
  REQUIRE(reference.status == 0);
  CHECK_THAT(reference.err, Catch::Contains("train: 12000/12000 epochs (100%)"));
  // Every line a progress line. One line at a time: a regex over the whole log
  // recurses once per line in std::regex and overflows the stack on a slow
  // (sanitizer) build that prints many lines.
  {
    std::istringstream lines(reference.err);
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count)
      CHECK_THAT(line, Catch::Matches("train: \\d+/12000 epochs \\(\\d+%\\), [0-9.e+]+/s, \\d+s elapsed, ETA \\S+, "
                                      "cost \\S+ acc \\S+"));
    CHECK(count >= 2);
    CHECK(reference.err.ends_with("\n"));
  }
  CHECK(run_binary("--quiet " + kTrain + " --out " + scratch("quiet").string()).err.empty());

  const pid_t pid = start_binary(kTrain + " --out " + killed.string(), log);
  REQUIRE(wait_running(killed, log));
  // A second run into the same --out while the first runs: refused, nothing touched.
  const auto second = run_binary(kTrain + " --out " + killed.string());
  CHECK(second.status == 3);
  CHECK_THAT(second.err, Catch::Contains("is in use by another run (pid " + std::to_string(pid) + ")"));
  CHECK(waddington::testing::count_lines(second.err) == 1);
  CHECK(record(killed)["status"] == "running");  // the refused run left the running one's record alone
  ::kill(pid, SIGTERM);
  const int status = wait_exit_status(pid);
  INFO(slurp(log));
  if (status == 0) {
    WARN("the run finished before SIGTERM arrived (a very fast machine): the interruption was not exercised");
    return;
  }
  CHECK(status == 143);
  CHECK_THAT(slurp(log), Catch::Contains("waddington: interrupted: interrupted after epoch"));
  const auto stopped = record(killed);
  CHECK(stopped["status"] == "interrupted");
  CHECK(stopped["complete"] == false);
  CHECK(stopped["summary"]["termination"] == "interrupted");
  const int epoch = stopped["summary"]["epochs_completed"];
  CHECK(epoch < 12000);
  // The record is consistent: its checksums are those of the files beside it.
  CHECK(std::system(("cd " + killed.string() + " && sha256sum --quiet -c SHA256SUMS").c_str()) == 0);
  CHECK(waddington::testing::count_lines(slurp(killed / "metrics.csv")) == epoch + 2);

  const auto resumed = run_binary("train --resume " + killed.string());
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  const auto done = record(killed);
  CHECK(done["status"] == "complete");
  CHECK(done["resumed_from_epoch"] == epoch);
  const Eigen::MatrixXd a = waddington::read_npy_matrix(whole / "memories.npy"),
                        b = waddington::read_npy_matrix(killed / "memories.npy");
  CHECK((a - b).cwiseAbs().maxCoeff() == 0.0);
  CHECK(slurp(whole / "labels.npy") == slurp(killed / "labels.npy"));
  CHECK(slurp(whole / "metrics.csv") == slurp(killed / "metrics.csv"));
  CHECK(slurp(whole / "snapshots.npz") == slurp(killed / "snapshots.npz"));
  CHECK(run_binary("train --resume " + killed.string()).status == 2);  // complete: nothing to resume
  CHECK(run_binary("train --resume " + killed.string() + " --epochs 5").status == 2);
}
