// The data blocks the bifurcation diagram hands to gnuplot (not pixels).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "plots/bifurcation_diagram.hpp"

using namespace waddington::plots;

namespace {
int points_in(const std::string& block) {
  int count = 0;
  std::istringstream in(block);
  for (std::string line; std::getline(in, line);) count += line.find_first_not_of(' ') != std::string::npos;
  return count;
}

// Two parameter values, each a "branch" (as the grid method makes them) holding
// one stable point, one saddle and one stable point again.
BifurcationDiagramData mixed_branches(bool scatter) {
  BifurcationDiagramData d;
  d.scatter = scatter;
  for (double p : {10.0, 20.0})
    d.branches.push_back({{{p, 0.3, -0.1, DiagramPointKind::kStable},
                           {p, 0.45, 0.0, DiagramPointKind::kUnstable},
                           {p, 0.6, 0.1, DiagramPointKind::kStable}}});
  return d;
}
}  // namespace

TEST_CASE("grid diagram: every scattered point is in its own kind's block only", "[short]") {
  const PlotScript s = bifurcation_diagram_script(mixed_branches(true));
  CHECK(points_in(s.block("stable")) == 4);
  CHECK(points_in(s.block("unstable")) == 2);  // no stable junction points drawn as saddles
  CHECK(s.block("unstable").find("0.3 ") == std::string::npos);
  CHECK(s.body.find("with points") != std::string::npos);
}

TEST_CASE("continued diagram: a line changing kind shares the junction point", "[short]") {
  const PlotScript s = bifurcation_diagram_script(mixed_branches(false));
  CHECK(points_in(s.block("stable")) == 4 + 2);  // each branch's second stable run starts at the saddle
  CHECK(points_in(s.block("unstable")) == 2 + 2);  // the saddle run starts at the stable point before it
}

TEST_CASE("3-D diagram: the key sits inside the canvas", "[short]") {
  const PlotScript s = bifurcation_diagram_3d_script(mixed_branches(false));
  CHECK(s.body.find("set key at screen 0.02,") != std::string::npos);
  CHECK(s.body.find("outside") == std::string::npos);
}

TEST_CASE("K = 2 split branches: stable runs in their own block (solid), the rest dotted, runs joined", "[short]") {
  BifurcationDiagramData d = mixed_branches(false);
  d.split_memories = {{{30, 0.1, -1, DiagramPointKind::kStable},
                       {31, 0.2, -1, DiagramPointKind::kStable},
                       {32, 0.3, -1, DiagramPointKind::kStable},
                       {33, 0.4, -1, DiagramPointKind::kStable}}};
  d.split_stable = {{false, true, true, false}};
  const PlotScript s = bifurcation_diagram_script(d);
  CHECK(points_in(s.block("split_stable")) == 1 + 2);  // starts at the unstable point before it
  CHECK(points_in(s.block("split")) == 1 + 2);         // 30; then 32 (the junction) and 33
  CHECK(s.body.find("$split_stable using") != std::string::npos);
  CHECK(s.body.find("split branch, saddle / unstable") != std::string::npos);
  d.split_stable.clear();  // no stability given: all dotted
  const PlotScript all = bifurcation_diagram_script(d);
  CHECK(points_in(all.block("split")) == 4);
  CHECK(all.body.find("$split_stable") == std::string::npos);
}
