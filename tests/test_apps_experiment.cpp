// `waddington experiment NAME` end to end on tiny grids of the paper200 digits
// (skipped with a message when the data are absent): each experiment writes
// its tables with the documented columns, its plot and run.json with the exact
// trainer settings; a rerun resumes; bad names and axes are one-line errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <sstream>

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
  const std::string args = "learning-order --epochs 40 --seeds 1,2";
  auto record = run_experiment(args, out);
  CHECK(record["parameters"]["settings"]["trainer"]["epochs"] == 40);
  CHECK(record["parameters"]["settings"]["trainer"]["T"] == 670);
  const auto rows = read_csv(out / "learning_order.csv");
  CHECK(rows.size() == 2 * 2 * 10);  // n = 3, 30 x 2 seeds x 10 digits
  int ones = 0;
  for (const auto& row : rows)
    if (row.at("digit") == "1") ones += num(row, "epoch_recognised") >= 0 && num(row, "rank") == 1;
  CHECK(ones == 4);  // the 1s come first in every run (Figure 3)
  const auto summary = read_csv(out / "learning_order_summary.csv");
  REQUIRE(summary.size() == 2);
  for (const auto& row : summary) {
    CHECK(num(row, "tau_seeds_min") <= num(row, "tau_seeds_mean"));
    CHECK(num(row, "tau_paper_mean") >= -1);
    CHECK(num(row, "tau_paper_mean") <= 1);
  }
  CHECK(fs::file_size(out / "learning_order.png") > 1000);
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
  const auto gone = read_csv(pop / "disappearance.csv");
  REQUIRE(gone.size() == 10);
  CHECK(gone[1].at("digit") == "1");
  CHECK(gone[1].at("Tr_unrecognised").empty());  // the 1s are recognised first and at every T_r
  CHECK(fs::exists(pop / "populations.png"));

  const auto record = run_experiment("prototype-metrics --epochs 30 --grid n=2,20 --grid Tr=0.9", proto);
  CHECK(record["parameters"]["settings"]["grid_description"] == "Tr=0.9 n=2,20 seed=1");
  const auto metrics = read_csv(proto / "prototype_metrics.csv");
  REQUIRE(metrics.size() == 2);
  for (const auto& row : metrics) {
    CHECK(num(row, "mean_max_alpha") > 0);
    CHECK(num(row, "mean_samples_to_reconstruct") >= 1);
    CHECK(num(row, "mean_samples_to_reconstruct") <= 200);
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
