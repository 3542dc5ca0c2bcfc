// The reduced-model subcommands (fixed-points, nullclines, trajectory,
// phase-portrait, continue, fold-curve): output formats, run.json, bad input.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "test_support.hpp"

namespace {
using Run = waddington::testing::CliRun;
Run run(const std::string& args) { return waddington::testing::run_binary(args); }

int lines(const std::string& text) { return waddington::testing::count_lines(text); }

using waddington::testing::slurp;

// Exit status of the command; its standard error in *err.
int run_cli(const std::string& args, std::string* err = nullptr) {
  const Run r = run(args);
  if (err) *err = r.err;
  return r.status;
}
}  // namespace

TEST_CASE("fixed-points --format csv: header and one row per fixed point", "[short]") {
  const Run r = run("fixed-points --n 20 --T 700 --format csv");
  REQUIRE(r.status == 0);
  CHECK(r.out.rfind("alpha,alpha_B,ell,stability,eig1,eig2,", 0) == 0);
  CHECK(lines(r.out) == 4);  // bistable at n = 20: two stable points and a saddle
  CHECK(r.out.find(",saddle,") != std::string::npos);
}

TEST_CASE("fixed-points --out writes fixed_points.csv and run.json", "[short]") {
  const auto dir = std::filesystem::temp_directory_path() / ("wadd_fp_" + std::to_string(::getpid()));
  const Run r = run("fixed-points --n 39 --Tr 0.8929 --format json --out " + dir.string());
  REQUIRE(r.status == 0);
  const auto printed = nlohmann::json::parse(r.out);
  CHECK(printed["fixed_points"].size() == 3);
  std::ifstream in(dir / "run.json");
  const auto record = nlohmann::json::parse(in);
  CHECK(record["command"] == "fixed-points");
  CHECK(record["parameters"]["n"] == 39);
  CHECK(record["parameters"]["T"].get<double>() == Approx(0.8929 * 784));
  CHECK(record["timings"].contains("total_seconds"));
  CHECK(std::filesystem::exists(dir / "fixed_points.csv"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("nullclines and trajectory subcommands produce data", "[short]") {
  const Run n = run("nullclines --n 20 --grid 100 --format csv");
  REQUIRE(n.status == 0);
  CHECK(n.out.rfind("curve,nullcline,on_bound,point,alpha,ell", 0) == 0);
  CHECK(n.out.find(",memory,") != std::string::npos);
  CHECK(n.out.find(",label,") != std::string::npos);
  const Run t = run("trajectory --n 20 --start 0.3,0.0 --epochs 4000 --format table");
  REQUIRE(t.status == 0);
  CHECK(t.out.find("fixed_point") != std::string::npos);
  const Run k = run("trajectory --n 20 --start 0.3,0.0 --start 0.31,0.0 --epochs 100 --format csv");
  REQUIRE(k.status == 0);
  CHECK(k.out.rfind("t,epoch,alpha_1,ell_1,alpha_2,ell_2", 0) == 0);
}

TEST_CASE("trajectory of two explicit memories: stdout says two memories each at T, not one memory", "[short]") {
  const Run table = run("trajectory --n 20 --T 700 --start 0.3,0.0 --start 0.31,0.0 --epochs 100");
  REQUIRE(table.status == 0);
  CHECK(table.out.find("one memory") == std::string::npos);
  CHECK(table.out.rfind("# T = 700 (T_r = 0.8929), n = 20, K = 2 memories (one --start each), each at T: T_eff = T", 0) == 0);
  CHECK(table.out.find("k = 2 identical memories at T / 2^(1/n) = 676.155") != std::string::npos);
  const Run json = run("trajectory --n 20 --T 700 --start 0.3,0.0 --start 0.31,0.0 --epochs 100 --format json");
  REQUIRE(json.status == 0);
  const auto temperature = nlohmann::json::parse(json.out)["temperature"];
  CHECK(temperature["memories"] == 2);
  CHECK(temperature["memories_identical"].is_null());
  CHECK(temperature["T_eff"].get<double>() == Approx(700));
  // One --start: the flow of k identical memories, as before.
  const Run one = run("trajectory --n 20 --T 700 --start 0.3,0.0 --epochs 100");
  CHECK(one.out.find("k = 2 identical memories (--memories-identical)") != std::string::npos);
  std::string err;
  CHECK(run_cli("trajectory --n 20 --start 0.3,0.0 --start 0.31,0.0 --memories-identical 3", &err) == 2);
  CHECK(err.find("--memories-identical does not apply to 2 memories") != std::string::npos);
}

TEST_CASE("bad input: one-line errors, non-zero exit, nothing written", "[short]") {
  const auto dir = std::filesystem::temp_directory_path() / ("wadd_bad_" + std::to_string(::getpid()));
  for (const std::string args :
       {"fixed-points --AA 0", "fixed-points --AA -5", "fixed-points --AB nan", "fixed-points --BB inf",
        "fixed-points --n 0", "fixed-points --n -3", "fixed-points --T 0", "fixed-points --Tr -1",
        "fixed-points --chart 2", "fixed-points --format xml", "fixed-points --plot /tmp/x.gif",
        "trajectory --start 0.3", "trajectory --start 2,0", "trajectory --start a,b", "trajectory --rate 0",
        "phase-portrait --plot /tmp/x.png --start 0.3", "nullclines --grid 1",
        "fixed-points --n 200 --T 1"}) {
    INFO(args);
    const Run r = run(args + " --out " + dir.string());
    CHECK(r.status == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("waddington: error: ", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "run.json"));
    CHECK_FALSE(std::filesystem::exists(dir));  // not even the folder (and its lock file)
  }
  // Nor the parents made for a nested --out.
  const Run nested = run("continue --param n --n-range 1:1e9 --T 700 --out " + (dir / "a" / "b").string());
  CHECK(nested.status == 2);
  CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE("images and pair options: the Figure 5 pair from paper200 and a pair index out of range", "[short]") {
  const auto images = waddington::testing::require_data("paper200/paper200_images.npy");
  const Run ok = run("fixed-points --images " + images.string() + " --pair 21,81 --T 700 --n 20 --format json");
  REQUIRE(ok.status == 0);
  const auto j = nlohmann::json::parse(ok.out);
  CHECK(j["stable"] == 2);
  const Run bad = run("fixed-points --images " + images.string() + " --pair 21,200");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("index 200 out of range") != std::string::npos);
  CHECK(lines(bad.err) == 1);
  const auto picture = waddington::testing::scratch_path("apps_reduced", "pp_images.png");
  const Run plot = run("phase-portrait --images " + images.string() + " --pair 21,81 --n 20 --plot " + picture.string());
  CHECK(plot.status == 0);
  CHECK(std::filesystem::exists(picture));
}

TEST_CASE("CLI: continue and fold-curve write the documented CSV columns, bad input exits non-zero", "[short]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "wadd_bif_cli";
  fs::remove_all(dir);
  REQUIRE(run_cli("continue --param n --n-range 1:60 --T 700 --out " + (dir / "c").string()) == 0);
  CHECK(slurp(dir / "c" / "branches.csv").rfind("branch,n,T,alpha,alpha_B,ell,stability,", 0) == 0);
  CHECK(slurp(dir / "c" / "special_points.csv").rfind("type,n,T,alpha,alpha_B,ell,", 0) == 0);
  CHECK(slurp(dir / "c" / "special_points.csv").find("\nfold,") != std::string::npos);
  CHECK(fs::exists(dir / "c" / "run.json"));
  {  // on a label bound eig2 (field 12) is empty, never -inf; interior rows have one
    std::istringstream in(slurp(dir / "c" / "branches.csv"));
    std::string line;
    std::getline(in, line);
    int boundary = 0, interior = 0;
    while (std::getline(in, line)) {
      std::vector<std::string> field;
      std::stringstream row(line);
      for (std::string x; std::getline(row, x, ',');) field.push_back(x);
      REQUIRE(field.size() >= 12);
      const bool on_bound = field[9] == "boundary";
      (on_bound ? boundary : interior) += 1;
      CHECK(field[11].empty() == on_bound);
    }
    CHECK(boundary > 0);
    CHECK(interior > 0);
    CHECK(slurp(dir / "c" / "branches.csv").find("inf") == std::string::npos);
  }
  REQUIRE(run_cli("continue --param n --n-range 1:60 --T 700 --method grid --param-steps 6 --grid-resolution 0.01 --out " +
                  (dir / "g").string()) == 0);
  CHECK(slurp(dir / "g" / "branches.csv").rfind("branch,n,T,alpha,alpha_B,ell,stability,", 0) == 0);
  REQUIRE(run_cli("fold-curve --n-range 2:80 --Tr-range 0.8:1.15 --map-cells 4,3 --out " + (dir / "f").string()) == 0);
  CHECK(slurp(dir / "f" / "fold_curves.csv").rfind("curve,n,T,Tr,alpha,alpha_B,ell,chart", 0) == 0);
  CHECK(slurp(dir / "f" / "special_points.csv").rfind("type,n,T,alpha,alpha_B,ell,", 0) == 0);
  std::string err;
  CHECK(run_cli("continue --param n --n-range 60:1", &err) == 2);
  CHECK(err.find("inverted") != std::string::npos);
  CHECK(run_cli("continue --param x", &err) == 2);
  CHECK(run_cli("fold-curve --n-range 80:2 --Tr-range 0.8:1.15", &err) == 2);
  CHECK(err.find("inverted") != std::string::npos);
  CHECK(run_cli("fold-curve --n-range 2-80", &err) == 2);
  CHECK(run_cli("fold-curve --n-range 2:80 --T 650", &err) == 2);  // an option that does not apply is an error
  CHECK(err.find("--T/--Tr do not apply") != std::string::npos);
  CHECK(run_cli("continue --param n --n 45 --n-range 1:10", &err) == 2);
  CHECK(err.find("--n does not apply") != std::string::npos);
  CHECK(run_cli("continue --param T --T 700 --T-range 600:900", &err) == 2);
  CHECK(err.find("--T/--Tr do not apply") != std::string::npos);
  CHECK(run_cli("fold-curve --n-range 2:80 --n 45", &err) == 2);
  CHECK(err.find("--n does not apply") != std::string::npos);
  CHECK(run_cli("continue --param n --n-range 1:60 --start 0.9,0.9 --out " + (dir / "s").string(), &err) == 1);
  CHECK(err.find("no equilibrium near the start") != std::string::npos);
  CHECK(run_cli("continue --param n --n-range 1:60 --max-steps 3", &err) == 1);
  CHECK(err.find("incomplete") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("one vocabulary: windows, start points, formats and the effective temperature", "[short]") {
  std::string err;
  // Every window is A:B; the window of continue follows --param (T: T_r 0.8:1.15, not n's 1:60).
  const Run T = run("continue --param T --n 30 --format json");
  REQUIRE(T.status == 0);
  const auto diagram = nlohmann::json::parse(T.out);
  CHECK(diagram["temperature"]["T_eff_rule"] == "T_eff = T / 2^(1/n)");
  const Run Tcsv = run("continue --param T --n 30 --format csv");
  REQUIRE(Tcsv.status == 0);
  double T_min = 1e300, T_max = 0;
  {
    std::istringstream in(Tcsv.out);
    std::string line;
    std::getline(in, line);
    REQUIRE(line.rfind("branch,n,T,", 0) == 0);
    while (std::getline(in, line)) {
      std::istringstream row(line);
      std::string branch, n, t;
      std::getline(row, branch, ','), std::getline(row, n, ','), std::getline(row, t, ',');
      T_min = std::min(T_min, std::stod(t)), T_max = std::max(T_max, std::stod(t));
    }
  }
  CHECK(T_min >= 0.8 * 784 - 1e-6);
  CHECK(T_max <= 1.15 * 784 + 1e-6);
  CHECK(T_max - T_min > 200);
  CHECK(run_cli("continue --param T --n-range 1:60", &err) == 2);
  CHECK(err.find("--n-range does not apply") != std::string::npos);
  CHECK(run_cli("continue --param n --T 700 --Tr-range 0.8:1", &err) == 2);
  CHECK(run_cli("continue --param n --T 700 --n-range 1:", &err) == 2);
  CHECK(err.find("expected A:B") != std::string::npos);
  CHECK(run_cli("fixed-points --alpha-range 1:0", &err) == 2);
  CHECK(err.find("--alpha-range") != std::string::npos);
  // The deprecated spellings still work and mean the same.
  const Run old_window = run("continue --param n --from 10 --to 30 --T 700 --format csv");
  const Run new_window = run("continue --param n --n-range 10:30 --T 700 --format csv");
  REQUIRE(new_window.status == 0);
  CHECK(old_window.out == new_window.out);
  CHECK(run("fixed-points --n 20 --alpha-min 0 --format csv").out == run("fixed-points --n 20 --alpha-range 0:1 --format csv").out);
  // One start point syntax: ALPHA,ELL.
  CHECK(run_cli("trajectory --start '0.3;0.0'", &err) == 2);
  CHECK(err.find("ALPHA,ELL") != std::string::npos);
  CHECK(run_cli("compare --images x.npy --pair 1,2 --start 0.3", &err) == 2);
  CHECK(run_cli("continue --start 0.3,0.1,0.2", &err) == 2);
  CHECK(err.find("ALPHA,ELL") != std::string::npos);
  // --format on every subcommand that prints results, default table (first line: the temperature).
  for (const std::string cmd : {"fixed-points --n 20", "nullclines --n 20 --grid 40", "trajectory --n 20 --epochs 200",
                                "continue --param n --n-range 10:12 --T 700"}) {
    INFO(cmd);
    const Run table = run(cmd);
    REQUIRE(table.status == 0);
    CHECK(table.out.rfind("# ", 0) == 0);
    CHECK(table.out.find("identical memories (--memories-identical): the flow runs at T_eff = T / 2^(1/n)") !=
          std::string::npos);
    CHECK(run_cli(cmd + " --format xml", &err) == 2);
    const Run json = run(cmd + " --format json");
    REQUIRE(json.status == 0);
    CHECK(nlohmann::json::parse(json.out)["temperature"]["memories_identical"] == 2);
  }
  // With one memory T_eff = T, and the value is in the summary.
  const Run one = run("fixed-points --n 20 --T 700 --memories-identical 1 --format json");
  CHECK(nlohmann::json::parse(one.out)["temperature"]["T_eff"].get<double>() == Approx(700));
  const Run two = run("fixed-points --n 20 --T 700 --format json");
  CHECK(nlohmann::json::parse(two.out)["temperature"]["T_eff"].get<double>() == Approx(700 / std::pow(2.0, 1 / 20.0)));
  CHECK(run_cli("eigencheck --memories-identical 1", &err) == 2);
  // "seed" is the random seed only.
  for (const std::string cmd : {"fixed-points", "continue", "fold-curve", "phase-portrait", "nullclines"}) {
    const Run help = run(cmd + " --help");
    INFO(cmd);
    CHECK(help.out.find("--seed") == std::string::npos);
  }
}
