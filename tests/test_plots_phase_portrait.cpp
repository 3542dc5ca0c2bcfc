// The data blocks the phase portrait hands to gnuplot (not pixels).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "plots/phase_portrait.hpp"

using namespace waddington::plots;

namespace {
std::vector<std::vector<double>> rows(const std::string& block) {
  std::vector<std::vector<double>> out;
  std::istringstream in(block);
  for (std::string line; std::getline(in, line);) {
    std::istringstream one(line);
    std::vector<double> row;
    for (double v; one >> v;) row.push_back(v);
    if (!row.empty()) out.push_back(row);
  }
  return out;
}
}  // namespace

TEST_CASE("K = 2 trajectory: one curve per memory, start and end marked, arrows of time", "[short]") {
  PhasePortraitData d;
  // Memory 1 goes up in alpha at ell = 0.2, memory 2 goes down at ell = -0.2 (points are (alpha, ell)).
  Curve up, down;
  for (int i = 0; i <= 10; ++i) up.push_back({0.1 + 0.05 * i, 0.2}), down.push_back({0.9 - 0.05 * i, -0.2});
  d.trajectories = {up, down};
  d.trajectory_titles = {"memory 1", "memory 2"};
  const PlotScript s = phase_portrait_script(d);
  // Two gnuplot indices (two blank lines between curves), drawn as two titled curves.
  CHECK(s.block("traj").find("\n\n\n") != std::string::npos);
  CHECK(s.body.find("$traj index 0 ") != std::string::npos);
  CHECK(s.body.find("$traj index 1 ") != std::string::npos);
  CHECK(s.body.find("title 'memory 2'") != std::string::npos);
  const auto starts = rows(s.block("traj_start")), ends = rows(s.block("traj_end"));
  REQUIRE(starts.size() == 2);
  REQUIRE(ends.size() == 2);
  CHECK(starts[0] == std::vector<double>{0.2, 0.1, 0});  // ell alpha curve
  CHECK(ends[0] == std::vector<double>{0.2, 0.6, 0});
  CHECK(starts[1] == std::vector<double>{-0.2, 0.9, 1});
  CHECK(ends[1] == std::vector<double>{-0.2, 0.4, 1});
  // Arrows point the way time runs: up for memory 1, down for memory 2.
  const auto arrows = rows(s.block("traj_arrows"));
  REQUIRE(arrows.size() == 6);
  for (const auto& a : arrows) {
    CHECK(a[2] == Approx(0).margin(1e-12));  // no ell motion
    CHECK((a[4] == 0 ? a[3] > 0 : a[3] < 0));
  }
}

TEST_CASE("phase portrait: the dead region has a key entry, T_eff a proper subscript, no -0.000", "[short]") {
  PhasePortraitData d;
  d.alpha_min = -1, d.alpha_max = 1;
  d.title = "T_{eff} = 676";
  d.dead_regions = {{-1, -0.593}};
  d.fixed_points = {{0.46, -0.0002, "saddle", "2", std::vector<double>(4, 0.5), 2}};
  const PlotScript s = phase_portrait_script(d);
  CHECK(s.body.find("keyentry with boxes") != std::string::npos);
  CHECK(s.body.find("dead region") != std::string::npos);
  CHECK(s.body.find("T_{eff}") != std::string::npos);
  CHECK(s.body.find("-0.000") == std::string::npos);
  CHECK(s.body.find("-2e-04") != std::string::npos);
  // A dead region outside the window: neither drawn nor in the key.
  d.alpha_min = 0;
  CHECK(phase_portrait_script(d).body.find("dead region") == std::string::npos);
}

TEST_CASE("short_number: sensible labels for small numbers", "[short]") {
  CHECK(short_number(0) == "0");
  CHECK(short_number(-0.0) == "0");
  CHECK(short_number(0.456789) == "0.457");
  CHECK(short_number(-0.0002) == "-2e-04");
  CHECK(short_number(-0.0007) == "-0.001");
}
