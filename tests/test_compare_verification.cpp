// compare/ (reduced vs full, eigenvalues vs trajectories) on cases with a known answer, and bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compare/compare.hpp"
#include "compare/eigencheck.hpp"
#include "compare/full_pair.hpp"
#include "test_support.hpp"

using namespace waddington;

namespace {
using Run = testing::CliRun;
Run run(const std::string& args) { return testing::run_binary(args); }

int lines(const std::string& text) { return testing::count_lines(text); }

reduced::TwoMemorySetup paper_pair(double n) {
  reduced::TwoMemorySetupOptions o;
  o.images = testing::require_data("paper200/paper200_images.npy").string();
  o.rows = {21, 81};
  o.parameters.n = n;
  o.parameters.T = 700;
  return reduced::two_memory_setup(o);
}
}  // namespace

TEST_CASE("fit_exponential_rate recovers the rate of an exact exponential", "[short]") {
  std::vector<double> t, d;
  for (int i = 0; i <= 50; ++i) t.push_back(0.01 * i), d.push_back(3e-6 * std::exp(-7.25 * t.back()));
  CHECK(compare::fit_exponential_rate(t, d) == Approx(-7.25).epsilon(1e-9));
}

TEST_CASE("eigencheck: the reduced flow's rates match the library's eigenvalues at n = 20, T = 700", "[short]") {
  reduced::TwoMemorySetupOptions o;  // the paper's dot products
  o.parameters.n = 20;
  o.parameters.T = 700;
  const auto setup = reduced::two_memory_setup(o);
  const auto result = compare::eigencheck(setup, {});
  REQUIRE(result.fixed_points.fixed_points.size() == 3);  // bistable: two stable points and a saddle
  REQUIRE(result.rows.size() >= 12);                      // 3 points x 2 directions x 2 signs (+ splitting)
  for (const auto& row : result.rows) {
    INFO(row.point << " " << row.direction << " " << row.eigenvalue << " " << row.fitted_rate);
    CHECK(row.source == "reduced");
    CHECK(row.rel_error < 0.02);
  }
}

TEST_CASE("compare: with split 0 the two full memories stay identical", "[short]") {
  const auto setup = paper_pair(15);
  compare::CompareOptions o;
  o.alpha = 0.45, o.ell = 0.0, o.split = 0, o.epochs = 300;
  const auto result = compare::compare_reduced_full(setup, o);
  REQUIRE(result.rows.size() == 301);
  for (const auto& r : result.rows) {
    REQUIRE(r.split == 0);
    REQUIRE(r.alpha_1 == r.alpha_2);
    REQUIRE(r.ell_1 == r.ell_2);
  }
  CHECK(result.split_epoch == -1);
  CHECK(result.rows.front().alpha_full == Approx(0.45).margin(1e-12));
  CHECK(result.max_deviation_alpha < 0.01);
  CHECK(result.max_deviation_ell < 0.01);
}

TEST_CASE("full pair: a memory placed at (alpha, ell) projects back to it", "[short]") {
  const auto setup = paper_pair(20);
  compare::FullPair full(setup, 0.005);
  full.set_memory(0, 0.3, 0.25);
  full.set_memory(1, -0.2, -0.5);
  CHECK(full.project(0).alpha == Approx(0.3).margin(1e-12));
  CHECK(full.project(0).alpha_B == Approx(0.7).margin(1e-12));
  CHECK(full.project(0).ell == 0.25);
  CHECK(full.project(0).label_asymmetry == 0);
  CHECK(full.project(1).alpha == Approx(-0.2).margin(1e-12));
  CHECK(full.project(1).ell == -0.5);
}

TEST_CASE("compare and eigencheck: bad input is a one-line error", "[short]") {
  const std::string images = testing::require_data("paper200/paper200_images.npy").string();
  for (const std::string& args : std::vector<std::string>{
           std::string("compare --n 15 --T 700 --start 0.45,0"),                                        // no samples
           "compare --n 15 --T 700 --images " + images + " --pair 21,81 --start 2,0",        // alpha out of range
           "compare --n 15 --T 700 --images " + images + " --pair 21,81 --split -1",         // negative split
           "compare --n 15 --T 700 --images " + images + " --pair 21,81 --split 0.1 --split-threshold 0.01",
           "compare --n 15 --T 700 --images " + images + " --pair 21,81 --epochs 0",
           "compare --n 15 --T 700 --images " + images + " --pair 21,81 --start 0.4",       // one number
           "eigencheck --n 20 --T 700 --full",                                               // --full without samples
           "eigencheck --n 20 --T 700 --distance 0",
           "eigencheck --n 20 --T 700 --window -1",
       }) {
    INFO(args);
    const Run r = run(args);
    CHECK(r.status == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("waddington: error: ", 0) == 0);
  }
}

TEST_CASE("eigencheck --out writes eigencheck.csv with the documented columns", "[short]") {
  const auto dir = std::filesystem::temp_directory_path() / ("wadd_eig_" + std::to_string(::getpid()));
  const Run r = run("eigencheck --n 40 --T 700 --out " + dir.string());
  REQUIRE(r.status == 0);
  std::ifstream in(dir / "eigencheck.csv");
  std::string header;
  std::getline(in, header);
  CHECK(header.rfind("point,alpha,ell,stability,direction,eigenvalue,fitted_rate,rel_error,source", 0) == 0);
  CHECK(std::filesystem::exists(dir / "run.json"));
  std::filesystem::remove_all(dir);
}
