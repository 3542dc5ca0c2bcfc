// `waddington experiment NAME` end to end on tiny grids of the paper200 digits
// (skipped with a message when the data are absent): each experiment writes
// its tables with the documented columns, its plot and run.json with the exact
// trainer settings; a rerun resumes; bad names and axes are one-line errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "sweep/store.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using waddington::sweep::split_csv_line;
using waddington::testing::run_binary;
using waddington::testing::slurp;

namespace {

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("experiment", name); }

// A CSV as rows of column -> text.
std::vector<std::map<std::string, std::string>> read_csv(const fs::path& path) {
  std::istringstream lines(slurp(path));
  std::string line;
  std::getline(lines, line);
  const auto header = split_csv_line(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(lines, line)) {
    const auto fields = split_csv_line(line);
    REQUIRE(fields.size() == header.size());
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < header.size(); ++k) row[header[k]] = fields[k];
    rows.push_back(row);
  }
  return rows;
}

double num(const std::map<std::string, std::string>& row, const std::string& column) {
  REQUIRE(row.count(column));
  return std::stod(row.at(column));
}

nlohmann::json run_experiment(const std::string& args, const fs::path& out) {
  waddington::testing::require_data("paper200/paper200_images.npy");
  const auto run = run_binary("experiment " + args + " --threads 2 --out " + out.string());
  INFO(run.err);
  REQUIRE(run.status == 0);
  return nlohmann::json::parse(slurp(out / "run.json"));
}

}  // namespace

TEST_CASE("experiment learning-order: orders per seed, Kendall's tau, resumes", "[short][cli]") {
  const fs::path out = scratch("order");
  const std::string args = "learning-order --epochs 300 --seeds 1,2";
  auto record = run_experiment(args, out);
  CHECK(record["parameters"]["settings"]["trainer"]["epochs"] == 300);
  CHECK(record["parameters"]["settings"]["trainer"]["T"] == 670);
  CHECK(record["parameters"]["settings"]["experiment"]["criterion"]["recognised_precision"] == 0.5);
  const auto rows = read_csv(out / "learning_order.csv");
  CHECK(rows.size() == 2 * 2 * 10);  // n = 3, 30 x 2 seeds x 10 digits
  for (const auto& row : rows) {
    INFO("n " << row.at("n") << " seed " << row.at("seed") << " digit " << row.at("digit"));
    if (row.at("n") == "30") {
      // After 300 epochs at n = 30 every label points to 1 and every sample is answered "1":
      // all the 1s are "correct", but only 20 of 200 answers are, so no digit is recognised
      // (recall alone would put 1 first in every run).
      CHECK(num(row, "epoch_recognised") == -1);
    } else if (row.at("digit") == "0" || row.at("digit") == "2" || row.at("digit") == "6") {
      // At n = 3 the network has learnt 0, 2, 6 (and 4) by epoch 300 (each seed: 0 | 2 | 6 | 4 ... or 4 | 0 | 6 | 2 ...).
      CHECK(num(row, "epoch_recognised") > 150);
      CHECK(num(row, "rank") <= 4);
    }
  }
  const auto summary = read_csv(out / "learning_order_summary.csv");
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].at("n") == "3");
  CHECK(num(summary[0], "tau_seeds_min") <= num(summary[0], "tau_seeds_mean"));
  CHECK(num(summary[0], "tau_seeds_mean") > 0.5);
  CHECK(summary[1].at("tau_seeds_mean").empty());  // n = 30: every digit ties ("never"): tau undefined
  CHECK(fs::file_size(out / "learning_order.png") > 1000);  // with an empty panel for n = 30
  record = run_experiment(args, out);
  CHECK(record["summary"]["sweep"]["resumed"] == 4);
  CHECK(record["summary"]["sweep"]["ran"] == 0);
  // The one range syntax (--seeds 1:2 = 1,2: the same sweep, resumed) and --format: csv is the first table,
  // json the summary of run.json.
  const auto csv = run_binary("experiment " + args.substr(0, args.find("--seeds")) + "--seeds 1:2 --format csv --out " +
                              out.string());
  REQUIRE(csv.status == 0);
  CHECK(csv.out == slurp(out / record["summary"]["files"][0].get<std::string>()));
  CHECK(csv.out.rfind("n,", 0) == 0);
  const auto json = run_binary("experiment " + args + " --format json --out " + out.string());
  REQUIRE(json.status == 0);
  CHECK(nlohmann::json::parse(json.out)["sweep"]["resumed"] == 4);
  // sweep/sweep.csv carries the parameters of every cell (n swept; T and Tr fixed).
  CHECK_THAT(slurp(out / "sweep" / "sweep.csv"), Catch::Contains(",message,T,Tr\n"));
}

TEST_CASE("experiment populations and prototype-metrics: tables per grid point", "[short][cli]") {
  const fs::path pop = scratch("pop"), proto = scratch("proto");
  run_experiment("populations --epochs 30 --grid Tr=0.8,1.1", pop);
  const auto rows = read_csv(pop / "populations.csv");
  REQUIRE(rows.size() == 2);
  for (const auto& row : rows) {
    double memories = num(row, "memories_none");
    for (int d = 0; d < 10; ++d) memories += num(row, "memories_" + std::to_string(d));
    CHECK(memories == 100);  // every memory belongs to one digit or to none
  }
  for (const auto& row : rows) {
    double predicted = 0;
    for (int d = 0; d < 10; ++d) {
      predicted += num(row, "predicted_" + std::to_string(d));
      CHECK(num(row, "predicted_" + std::to_string(d)) >= num(row, "recognised_" + std::to_string(d)));
    }
    CHECK(predicted == 200);  // every training sample is classified as exactly one digit
  }
  const auto gone = read_csv(pop / "disappearance.csv");
  REQUIRE(gone.size() == 10);
  CHECK(gone[1].at("digit") == "1");
  // After 30 epochs the network answers "1" for (nearly) every sample: the 1s are all "correct" but
  // most answers are wrong, so 1 is not recognised at any T_r (recall alone would keep it at every T_r).
  CHECK(gone[1].at("Tr_unrecognised") == "0.8");
  CHECK(fs::exists(pop / "populations.png"));

  const auto record = run_experiment("prototype-metrics --epochs 30 --grid n=2,20 --grid Tr=0.9", proto);
  CHECK(record["parameters"]["settings"]["grid_description"] == "Tr=0.9 n=2,20 seed=1");
  const auto metrics = read_csv(proto / "prototype_metrics.csv");
  REQUIRE(metrics.size() == 2);
  for (const auto& row : metrics) {
    CHECK(num(row, "mean_max_alpha") > 0);
    CHECK(num(row, "mean_samples_to_reconstruct") >= 1);
    CHECK(num(row, "mean_samples_to_reconstruct") <= 200);
    CHECK(num(row, "reconstructible_seeds") == 1);
    CHECK(num(row, "mean_reconstructible") >= 1);
    CHECK(num(row, "mean_reconstructible") <= 100);
  }
  CHECK(fs::exists(proto / "prototype_metrics.png"));
}

TEST_CASE("experiment near-digit: the start digit dominates the early saddle, the reduced window", "[short][cli]") {
  const fs::path out = scratch("near");
  run_experiment("near-digit --epochs 15 --grid n=10,30 --grid Tr=0.96", out);
  const auto rows = read_csv(out / "near_digit.csv");
  REQUIRE(rows.size() == 6);  // starts 1, 7, 9 x n = 10, 30
  for (const auto& row : rows) {
    const std::string start = row.at("start");
    INFO("start " << start << " n " << row.at("n"));
    // 15 epochs of rate 0.005 cannot carry the memories far from the start sample.
    CHECK(num(row, "saddle_alphabar_" + start) > 0.8);
    double total = 0;
    for (const char* d : {"1", "7", "9"}) total += num(row, std::string("proportion_") + d);
    CHECK(total <= 1 + 1e-12);
  }
  // The reduced 1-vs-7 pair has one monostable window in n near 20-34 at T_r = 0.96 (fold-curve).
  const auto windows = read_csv(out / "near_digit_windows.csv");
  REQUIRE(windows.size() == 1);
  CHECK(num(windows[0], "n_from") > 15);
  CHECK(num(windows[0], "n_from") < 25);
  CHECK(fs::exists(out / "near_digit.png"));
}

TEST_CASE("experiment: --out locked against a second run, run.json running then interrupted by SIGINT, resumed",
          "[short][cli]") {
  waddington::testing::require_data("paper200/paper200_images.npy");
  const fs::path out = scratch("locked"), log = scratch("locked.log");
  const std::string args = "experiment learning-order --epochs 600 --seeds 1,2,3 --grid n=30 --threads 1 --out " + out.string();
  const pid_t pid = waddington::testing::start_binary(args, log);
  const auto record = [&] { return nlohmann::json::parse(slurp(out / "run.json")); };
  bool running = false;
  for (int i = 0; i < 6000 && !running; ++i) {  // up to 60 s: run.json says "running" once --out is locked
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    try {
      running = fs::exists(out / "run.json") && record()["status"] == "running";
    } catch (const nlohmann::json::exception&) {
    }
  }
  REQUIRE(running);
  // A second run into the same --out: refused with the lock error, nothing touched.
  const auto second = run_binary(args);
  CHECK(second.status == 3);
  CHECK_THAT(second.err, Catch::Contains("is in use by another run (pid " + std::to_string(pid) + ")"));
  CHECK(waddington::testing::count_lines(second.err) == 1);
  CHECK(record()["status"] == "running");
  ::kill(pid, SIGINT);
  const int status = waddington::testing::wait_exit_status(pid);
  INFO(slurp(log));
  if (status == 0) {
    WARN("the experiment finished before SIGINT arrived (a very fast machine): the interruption was not exercised");
    return;
  }
  CHECK(status == 130);
  const auto stopped = record();
  CHECK(stopped["status"] == "interrupted");
  CHECK(stopped["complete"] == false);
  CHECK(stopped["summary"]["termination"] == "interrupted");
  CHECK(stopped["summary"]["sweep"]["pending"].get<int>() > 0);
  CHECK(std::system(("cd " + out.string() + " && sha256sum --quiet -c SHA256SUMS").c_str()) == 0);
  // The same command resumes and completes.
  const auto resumed = run_binary(args);
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  const auto done = record();
  CHECK(done["status"] == "complete");
  CHECK(done["complete"] == true);
  CHECK(done["summary"]["sweep"]["resumed"].get<int>() + done["summary"]["sweep"]["ran"].get<int>() == 3);
  std::vector<std::string> listed;
  for (const auto& o : done["outputs"]) listed.push_back(o["path"]);
  CHECK(std::count(listed.begin(), listed.end(), "learning_order.csv") == 1);
  CHECK(std::count(listed.begin(), listed.end(), "sweep/sweep.csv") == 1);
  CHECK(std::system(("cd " + out.string() + " && sha256sum --quiet -c SHA256SUMS").c_str()) == 0);
}

TEST_CASE("experiment: unknown names and axes are one-line errors", "[short][cli]") {
  const fs::path out = scratch("bad");
  auto error = [&](const std::string& args) {
    const auto run = run_binary("experiment " + args + " --out " + out.string());
    CHECK(run.status == 2);
    CHECK(waddington::testing::count_lines(run.err) == 1);
    return run.err;
  };
  CHECK_THAT(error("figure-9"), Catch::Contains("unknown (known: prototype-metrics"));
  waddington::testing::require_data("paper200/paper200_images.npy");
  CHECK_THAT(error("populations --grid colour=1,2"), Catch::Contains("has no parameter 'colour'"));
  CHECK_THAT(error("near-digit --grid start=4"), Catch::Contains("not a digit of the training set"));
  CHECK_THAT(error("learning-order --epochs -3"), Catch::Contains("--epochs -3"));
}
