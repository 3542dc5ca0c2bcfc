// `waddington analyze` and `waddington memories` end to end on a small
// synthetic run: every file written and readable, pictures drawn, run.json,
// and bad input as a one-line error with exit status 2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "lib/npy.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using waddington::testing::run_binary;
using waddington::testing::slurp;

namespace {

// A synthetic three-digit run saved at 0, 40, 80, 120.
fs::path trained_run() {
  static const fs::path dir = [] {
    const fs::path d = waddington::testing::scratch_path("apps_analyze", "run");
    const auto r = run_binary("train --synthetic --digits 1,4,7 --per-class 6 --memories 9 --n 20 --Tr 0.9 --rate 0.01 "
                              "--epochs 120 --save-epochs 0,40,80,120 --out " + d.string());
    REQUIRE(r.status == 0);
    return d;
  }();
  return dir;
}

}  // namespace

TEST_CASE("analyze: tables, plots and run.json for a three-digit run", "[cli][short]") {
  const fs::path run = trained_run();
  const fs::path out = run.parent_path() / "analysis";
  const auto r = run_binary("analyze " + run.string() + " --out " + out.string());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("learning order (first learnt first):"));
  CHECK_THAT(r.out, Catch::Contains("split events:"));
  CHECK(waddington::read_npy(out / "alpha.npy").shape == std::vector<std::size_t>{4, 9, 18});
  CHECK(waddington::read_npy(out / "alphabar.npy").shape == std::vector<std::size_t>{4, 9, 10});
  CHECK(waddington::testing::count_lines(slurp(out / "memories.csv")) == 1 + 4 * 9);
  const std::string order = slurp(out / "order.csv");
  CHECK(order.rfind("digit,epoch_recognised,rank\n1,", 0) == 0);
  CHECK(waddington::testing::count_lines(order) == 4);
  CHECK(slurp(out / "splits.csv").rfind("split,epoch_before,epoch,", 0) == 0);
  CHECK(fs::file_size(out / "recognition.png") > 1000);
  CHECK(fs::file_size(out / "trajectories.png") > 1000);  // three trained digits: Figure 4 (left)
  const auto record = nlohmann::json::parse(slurp(out / "run.json"));
  CHECK(record["command"] == "analyze");
  CHECK(record["parameters"]["epochs_analysed"] == nlohmann::json({0, 40, 80, 120}));
  CHECK(record["parameters"]["trajectory_digits"] == nlohmann::json({1, 4, 7}));
  CHECK(record["summary"]["complete"] == true);
  CHECK(record["summary"]["epochs"].size() == 4);

  // Default output folder, chosen epochs, no plots.
  const auto some = run_binary("analyze " + run.string() + " --epochs 0,120 --no-plots");
  REQUIRE(some.status == 0);
  CHECK(waddington::read_npy(run / "analysis" / "alpha.npy").shape[0] == 2);
  CHECK_FALSE(fs::exists(run / "analysis" / "recognition.png"));
}

TEST_CASE("memories: a grid picture and an animation", "[cli][short]") {
  const fs::path run = trained_run();
  const fs::path picture = run.parent_path() / "grid.png";
  const auto one = run_binary("memories " + run.string() + " --epoch 80 --plot " + picture.string());
  INFO(one.err);
  REQUIRE(one.status == 0);
  CHECK(fs::file_size(picture) > 1000);
  CHECK_THAT(slurp(fs::path(picture.string() + ".gp")), Catch::Contains("set label"));
  const fs::path dir = run.parent_path() / "animation";
  const auto anim = run_binary("memories " + run.string() + " --animate " + dir.string());
  INFO(anim.err);
  REQUIRE(anim.status == 0);
  for (int e : {0, 40, 80, 120}) CHECK(fs::exists(dir / ("memories_epoch_" + std::to_string(e) + ".png")));
  CHECK(slurp(dir / "memories.gif").rfind("GIF89a", 0) == 0);
  CHECK(nlohmann::json::parse(slurp(dir / "run.json"))["summary"]["frames"].size() == 4);
}

TEST_CASE("analyze and memories: bad input is a one-line error, exit status 2", "[cli][bad][short]") {
  const fs::path run = trained_run();
  const auto check = [](const std::string& args, const std::string& fragment) {
    INFO(args);
    const auto r = run_binary(args);
    CHECK(r.status == 2);
    CHECK(waddington::testing::count_lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::Contains(fragment));
  };
  check("analyze /nonexistent/run", "does not exist");
  check("analyze " + run.string() + " --epochs 55", "epoch 55 is not saved");
  check("analyze " + run.string() + " --tolerance 2", "tolerance");
  check("analyze " + run.string() + " --trajectory-digits 1,4", "exactly three digits");
  check("memories " + run.string() + " --epoch 55 --plot /tmp/x.png", "epoch 55 is not saved");
  check("memories " + run.string() + " --plot /tmp/x.bmp", "unsupported plot format");
  check("memories " + run.string(), "--plot FILE and/or --animate DIR");
}
