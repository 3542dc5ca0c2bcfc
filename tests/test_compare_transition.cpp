// The Figure 6 experiment (compare/transition_verify.hpp): the switch
// criterion on hand-made scans, the measurement on a hand-made sweep, and
// `waddington transition-line` end to end on a small grid.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compare/formats.hpp"
#include "compare/transition_samples.hpp"
#include "compare/transition_verify.hpp"
#include "lib/errors.hpp"
#include "lib/npy.hpp"
#include "lib/synthetic.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace waddington;
using compare::switch_temperature;
using waddington::InputError;

namespace {

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("transition", name); }

using waddington::testing::slurp;

}  // namespace

TEST_CASE("transition: the switch criterion on hand-made scans", "[short]") {
  using compare::SwitchCrossing;
  const auto last = SwitchCrossing::kLast, first = SwitchCrossing::kFirst;
  const std::vector<double> Tr = {0.5, 0.6, 0.7, 0.8};
  std::string note;
  // 0.55 at 0.6, 0.85 at 0.7: 0.75 is reached 2/3 of the way, at 0.6 + 0.2/0.3 * 0.1.
  for (auto crossing : {last, first}) {
    auto s = switch_temperature(Tr, {0.5, 0.55, 0.85, 0.95}, 0.75, crossing, &note);
    REQUIRE(s);
    CHECK(*s == Approx(0.6 + 0.1 * 2.0 / 3.0));
    CHECK(note == "switch");
    // Exactly at the threshold on a grid cell: that cell.
    CHECK(*switch_temperature(Tr, {0.5, 0.6, 0.75, 0.9}, 0.75, crossing) == Approx(0.7));
    // Cells without a result (NaN) are skipped: interpolate across them.
    CHECK(*switch_temperature(Tr, {0.5, std::nan(""), std::nan(""), 0.8}, 0.75, crossing) == Approx(0.5 + 0.3 * 0.25 / 0.3));
    CHECK_FALSE(switch_temperature(Tr, {0.5, 0.5, 0.6, 0.7}, 0.75, crossing, &note));
    CHECK(note == "mixture throughout");
    CHECK_FALSE(switch_temperature(Tr, {0.8, 0.9, 0.95, 1.0}, 0.75, crossing, &note));
    CHECK(note == "prototype throughout");
    CHECK_FALSE(switch_temperature(Tr, std::vector<double>(4, std::nan("")), 0.75, crossing, &note));
    CHECK(note == "no cells");
  }
  // Two crossings (a band above the threshold at low T_r, as at large n):
  // `last` takes the upper one, `first` the lower one.
  const std::vector<double> twice = {0.5, 0.8, 0.6, 0.9};
  CHECK(*switch_temperature(Tr, twice, 0.75, last, &note) == Approx(0.7 + 0.1 * 0.15 / 0.3));
  CHECK(note == "switch (2 crossings)");
  CHECK(*switch_temperature(Tr, twice, 0.75, first) == Approx(0.5 + 0.1 * 0.25 / 0.3));
  // Prototype at the bottom, mixture at the top: no switch either way.
  CHECK_FALSE(switch_temperature(Tr, {0.8, 0.6, 0.5, 0.5}, 0.75, last, &note));
  CHECK(note == "mixture at the top");
  CHECK_FALSE(switch_temperature(Tr, {0.5, 0.8, 0.9, 0.6}, 0.75, last, &note));
  CHECK(note == "mixture at the top");
  CHECK(*switch_temperature(Tr, {0.5, 0.8, 0.9, 0.6}, 0.75, first) == Approx(0.5 + 0.1 * 0.25 / 0.3));
  CHECK_FALSE(switch_temperature(Tr, {0.8, 0.6, 0.7, 0.9}, 0.75, first, &note));
  CHECK(note == "prototype at the bottom");
  CHECK(*switch_temperature(Tr, {0.8, 0.6, 0.7, 0.9}, 0.75, last) == Approx(0.7 + 0.1 * 0.05 / 0.2));
}

TEST_CASE("transition: measure_transition reads a sweep's dominant alpha per n", "[short]") {
  compare::TransitionExperiment e;
  e.samples = Eigen::MatrixXd::Ones(2, 4);
  e.samples(1, 0) = -1;  // AA = 4, AB = 2, BB = 4
  const sweep::Grid grid = sweep::Grid::Parse({"n=2,3", "Tr=0.5:0.8:0.1"});
  const auto task = compare::transition_task(std::make_shared<compare::TransitionExperiment>(e), {});
  REQUIRE(task.results == std::vector<std::string>{"alpha_1", "alpha_2", "dominant_alpha", "final_cost"});
  // n = 2: dominant 0.5, 0.6, 0.9, 1 -> switch at 0.6 + 0.1 * 0.15/0.3 = 0.65; n = 3: never.
  const std::vector<double> dominant = {0.5, 0.6, 0.9, 1, 0.5, 0.5, 0.5, 0.5};
  std::vector<sweep::CellRecord> records(grid.size());
  for (std::size_t id = 0; id < grid.size(); ++id) {
    records[id].status = sweep::CellStatus::kOk;
    records[id].values = {dominant[id], 1 - dominant[id], dominant[id], 0};
  }
  const auto rows = compare::analytic_rows(e, {2, 3}, std::nullopt);
  const auto s = compare::measure_transition(e, rows, grid, task, records, 0.75, compare::SwitchCrossing::kLast);
  REQUIRE(s.rows.size() == 2);
  REQUIRE(s.rows[0].Tr_switch);
  CHECK(*s.rows[0].Tr_switch == Approx(0.65));
  CHECK(*s.rows[0].deviation == Approx(0.65 - s.rows[0].Tr_star));
  CHECK(s.rows[0].Tr_star == Approx(reduced::prototype_transition_temperature(4, 2, 2) / 4));
  CHECK_FALSE(s.rows[1].Tr_switch);
  CHECK(s.switched == 1);
  CHECK(s.max_abs_deviation == Approx(std::abs(*s.rows[0].deviation)));
  CHECK_THAT(compare::transition_csv(s),
             Catch::StartsWith("kind,n,memory,T_star,Tr_star,Tr_switch,deviation,note,Tr_minor_zero,minor_deviation\n"
                               "intra,2,1,"));
  CHECK_FALSE(s.rows[0].Tr_minor_zero);
}

TEST_CASE("transition: inter-digit reads each memory's dominant and minor coefficient", "[short]") {
  compare::TransitionExperiment e;
  e.kind = reduced::TransitionKind::kInter;
  e.classes = {4, 9};
  e.samples = Eigen::MatrixXd::Ones(2, 4);
  e.samples(1, 0) = -1;
  const sweep::Grid grid = sweep::Grid::Parse({"n=10", "Tr=0.8:1.1:0.1"});
  const auto task = compare::transition_task(std::make_shared<compare::TransitionExperiment>(e), {});
  REQUIRE(task.results == std::vector<std::string>{"alpha_1_1", "alpha_1_2", "alpha_2_1", "alpha_2_2", "dominant_alpha_1",
                                                   "dominant_alpha_2", "final_cost"});
  CHECK(compare::minor_column(1) == "alpha_1_2");
  CHECK(compare::minor_column(2) == "alpha_2_1");
  // Memory 1: feature (1.2, -0.3) -> (0.8, 0.2): minor crosses 0 at 1.0 + 0.1 * 0.1/0.3;
  // its dominant alpha never falls below 0.75 (no switch). Memory 2: stays a feature.
  const double rows[4][6] = {{1.2, -0.3, -0.4, 1.1, 1.2, 1.1},
                             {1.1, -0.2, -0.4, 1.1, 1.1, 1.1},
                             {1.0, -0.1, -0.3, 1.1, 1.0, 1.1},
                             {0.8, 0.2, -0.2, 1.0, 0.8, 1.0}};
  std::vector<sweep::CellRecord> records(4);
  for (int id = 0; id < 4; ++id) {
    records[std::size_t(id)].status = sweep::CellStatus::kOk;
    records[std::size_t(id)].values.assign(rows[id], rows[id] + 6);
    records[std::size_t(id)].values.push_back(0);
  }
  const auto s = compare::measure_transition(e, compare::analytic_rows(e, {10}, std::nullopt), grid, task, records, 0.75,
                                             compare::SwitchCrossing::kLast);
  REQUIRE(s.rows.size() == 2);
  CHECK_FALSE(s.rows[0].Tr_switch);
  CHECK(s.rows[0].note == "prototype throughout");
  REQUIRE(s.rows[0].Tr_minor_zero);
  CHECK(*s.rows[0].Tr_minor_zero == Approx(1.0 + 0.1 / 3));
  CHECK(*s.rows[0].minor_deviation == Approx(1.0 + 0.1 / 3 - s.rows[0].Tr_star));
  CHECK_FALSE(s.rows[1].Tr_minor_zero);
  CHECK(s.minor_crossed == 1);
  CHECK(s.rows[0].Tr_star == Approx(reduced::prototype_transition_temperature(e.AA(), e.AB(), 10) / 4));
  CHECK(s.rows[1].Tr_star == Approx(reduced::prototype_transition_temperature(e.BB(), e.AB(), 10) / 4));
}

TEST_CASE("transition: samples are rows or class means, kinds check their classes", "[short]") {
  using reduced::TransitionKind;
  Eigen::MatrixXd images(4, 2);
  images << 1, 0, 3, 0, 0, 1, 0, 5;
  const std::vector<int> labels = {4, 4, 9, 9};
  const auto means = compare::select_transition_samples(TransitionKind::kInter, images, labels, {}, {4, 9}, "f");
  CHECK(means.samples.row(0) == Eigen::RowVector2d(2, 0));
  CHECK(means.samples.row(1) == Eigen::RowVector2d(0, 3));
  CHECK(means.classes == std::array<int, 2>{4, 9});
  const auto rows = compare::select_transition_samples(TransitionKind::kIntra, images, labels, {0, 1}, {}, "f");
  CHECK(rows.samples.row(1) == Eigen::RowVector2d(3, 0));
  CHECK(rows.classes == std::array<int, 2>{4, 4});
  CHECK(rows.description == "rows 0,1 of f");
  const auto unlabelled = compare::select_transition_samples(TransitionKind::kInter, images, {}, {0, 2}, {}, "f");
  CHECK(unlabelled.classes == std::array<int, 2>{0, 1});
  auto error = [&](TransitionKind kind, const std::vector<int>& l, const std::vector<int>& pair, const std::vector<int>& m) {
    try {
      compare::select_transition_samples(kind, images, l, pair, m, "f");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(error(TransitionKind::kIntra, labels, {0, 2}, {}), Catch::Contains("one class"));
  CHECK_THAT(error(TransitionKind::kInter, labels, {0, 1}, {}), Catch::Contains("two classes"));
  CHECK_THAT(error(TransitionKind::kInter, labels, {0, 4}, {}), Catch::Contains("out of range"));
  CHECK_THAT(error(TransitionKind::kInter, labels, {0, 1}, {4, 9}), Catch::Contains("exactly one"));
  CHECK_THAT(error(TransitionKind::kInter, {}, {}, {4, 9}), Catch::Contains("needs --labels"));
  CHECK_THAT(error(TransitionKind::kInter, labels, {}, {4, 7}), Catch::Contains("no image of class 7"));
  CHECK_THAT(error(TransitionKind::kIntra, labels, {}, {4, 9}), Catch::Contains("needs --kind inter"));
  const sweep::Grid grid = compare::transition_grid("2,5", "0.5:0.7", 0.1);
  CHECK(grid.size() == 6);
  CHECK(grid.Describe() == "n=2,5 Tr=0.5:0.7:0.1");
  CHECK_THROWS_AS(compare::transition_grid("2", "0.5", 0.1), InputError);
}

TEST_CASE("transition-line CLI: analytic table, and --verify on a small grid", "[short][cli]") {
  // Two synthetic samples of one digit (class 4) and one of another (class 9).
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = 2;
  const Dataset digits = synthetic_digits(synthetic);
  Eigen::MatrixXd samples(3, digits.num_pixels());
  samples << digits.images.row(8), digits.images.row(9), digits.images.row(18);
  const fs::path images = scratch("three.npy"), out = scratch("intra"), err = scratch("err.txt");
  write_npy(images, samples);
  const std::string bin = testing::cli_binary() + " transition-line --images " + images.string();

  // Analytic only.
  REQUIRE(std::system((bin + " --pair 0,1 --n-list 2,10,30 --out " + out.string() + " >/dev/null 2>" + err.string()).c_str()) == 0);
  std::string csv = slurp(out / "transition.csv");
  CHECK_THAT(csv, Catch::StartsWith("kind,n,memory,T_star,Tr_star,Tr_switch,deviation,note,Tr_minor_zero,"
                                    "minor_deviation\nintra,2,1,"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);

  // --verify: 2 x 3 cells, few epochs.
  const fs::path verify = scratch("verify");
  const std::string cmd = bin + " --pair 0,1 --n-list 2,30 --Tr-range 0.5:1.5 --Tr-step 0.5 --verify --epochs 300 "
                                "--rate 0.01 --threads 2 --out " + verify.string() + " --plot " + (verify / "map.png").string();
  INFO(slurp(err));
  REQUIRE(std::system((cmd + " >/dev/null 2>" + err.string()).c_str()) == 0);
  const std::string cells = slurp(verify / "cells.csv");
  CHECK_THAT(cells, Catch::StartsWith("n,Tr,alpha_1,alpha_2,dominant_alpha,final_cost,status,T\n2,0.5,"));
  CHECK(std::count(cells.begin(), cells.end(), '\n') == 7);
  CHECK(std::count(cells.begin(), cells.end(), ',') == 7 * 7);
  CHECK(cells.find(",ok,392\n") != std::string::npos);  // T = Tr N = 0.5 x 784
  CHECK(fs::exists(verify / "map.png"));
  CHECK(fs::exists(verify / "cells/5/memories.npy"));
  const auto record = nlohmann::json::parse(slurp(verify / "run.json"));
  CHECK(record["summary"]["verified"] == true);
  CHECK(record["sweep"]["cells"] == 6);
  // The memory is a non-negative mixture of its two samples within the bound
  // max|M| <= 1 (alpha_1 + alpha_2 <= 1 for +-1 pixels), and dominant_alpha is
  // the larger coefficient.
  std::istringstream lines(cells);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::vector<double> v;
    std::istringstream fields(line);
    std::string f;
    for (int k = 0; k < 5 && std::getline(fields, f, ','); ++k) v.push_back(std::stod(f));
    CHECK(v[2] > -0.01);
    CHECK(v[3] > -0.01);
    CHECK(v[2] + v[3] <= 1.001);
    CHECK(v[4] == std::max(v[2], v[3]));
  }
  // Rerun: resumed, nothing trained again, same tables.
  REQUIRE(std::system((cmd + " >/dev/null 2>" + err.string()).c_str()) == 0);
  CHECK(nlohmann::json::parse(slurp(verify / "run.json"))["sweep"]["resumed"] == 6);
  CHECK(slurp(verify / "cells.csv") == cells);

  // Inter on a 4 and a 9: two memories, one panel each.
  const fs::path inter = scratch("inter");
  REQUIRE(std::system((bin + " --kind inter --pair 0,2 --n-list 2,30 --Tr-range 0.5:1.5 --Tr-step 0.5 --verify "
                             "--epochs 300 --out " + inter.string() + " >/dev/null 2>" + err.string()).c_str()) == 0);
  CHECK_THAT(slurp(inter / "cells.csv"),
             Catch::StartsWith("n,Tr,alpha_1_1,alpha_1_2,alpha_2_1,alpha_2_2,dominant_alpha_1,dominant_alpha_2,final_cost,status,T\n"));
  const std::string inter_rows = slurp(inter / "transition.csv");
  CHECK(std::count(inter_rows.begin(), inter_rows.end(), '\n') == 5);  // header + 2 n x 2 memories

  // Bad input: one line, exit 2.
  for (const std::string& bad : {std::string(" --pair 0,1 --kind sideways"), std::string(" --pair 0,1 --Tr-range 1.5:0.5 --verify --out ") + out.string(),
                                 std::string(" --pair 0,1 --threshold 1.5"), std::string(" --pair 0,7"),
                                 std::string(" --pair 0,1 --class-means 4,9"), std::string(" --pair 0,1 --plot x.png")}) {
    INFO(bad);
    CHECK(std::system((bin + bad + " >/dev/null 2>" + err.string()).c_str()) == 2 * 256);
    const std::string e = slurp(err);
    CHECK(std::count(e.begin(), e.end(), '\n') == 1);
  }
}
