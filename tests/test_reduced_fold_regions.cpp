// Regions of the (n, T) plane as the faces of the fold curves
// (reduced_models/fold_regions.hpp), held against the map of stable counts
// computed independently from complete diagrams in n at every map row.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "reduced_models/bifurcation_folds.hpp"
#include "reduced_models/fold_regions.hpp"

using namespace waddington::reduced;

namespace {

FoldCurveSummary plane(double n_min, double n_max, double Tr_min, double Tr_max, int n_cells, int T_cells) {
  TwoMemoryParameters p;
  FoldPlaneOptions o;
  o.n_min = n_min, o.n_max = n_max;
  o.T_min = Tr_min * p.num_pixels, o.T_max = Tr_max * p.num_pixels;
  o.map_n_cells = n_cells, o.map_T_cells = T_cells;
  return compute_fold_curves(p, o);
}

std::vector<int> counts(const FoldCurveSummary& s) {
  std::vector<int> c;
  for (const auto& r : s.regions) c.push_back(r.stable);
  std::sort(c.begin(), c.end());
  return c;
}

}  // namespace

TEST_CASE("the wide plane n 2:100 x Tr 0.3:1.5 has three regions, the map agrees at every node", "[short]") {
  // A coarse map: the wedge between the curves is thinner than a cell at large
  // n, which broke it into pieces when regions were the map's components.
  const FoldCurveSummary s = plane(2, 100, 0.3, 1.5, 40, 24);
  REQUIRE(s.complete());
  CHECK(s.curves.size() == 2);
  CHECK(s.regions_from == "fold curves");
  CHECK(counts(s) == std::vector<int>{1, 2, 2});
  // Rows counted by diagrams: the 5 seed rows (their diagrams reused) and 2 midway between them.
  CHECK(s.map_nodes_checked == 41 * 7);
  CHECK(s.diagrams_computed == s.options.seed_T_values + s.options.seed_n_values + s.options.map_check_rows);
  CHECK(s.map_disagreements.empty());
  CHECK(s.BriefReport().find("regions: 3 from the fold curves; the map agrees") != std::string::npos);
}

TEST_CASE("regions in a window no curve crosses: one face", "[short]") {
  const FoldCurveSummary s = plane(2, 100, 0.3, 0.6, 10, 6);
  REQUIRE(s.complete());
  CHECK(s.curves.empty());
  CHECK(s.regions.size() == 1);
  CHECK(s.map_disagreements.empty());
}

TEST_CASE("a face holding no map node is still a region, labelled from a diagram at an edge point", "[short]") {
  // Two map rows only: the wedge's nodes are few or none, its face is found on the window's edge.
  const FoldCurveSummary s = plane(20, 100, 0.8, 0.9, 3, 1);
  REQUIRE(s.complete());
  CHECK(s.regions_from == "fold curves");
  CHECK(counts(s) == std::vector<int>{1, 2, 2});
  for (const auto& r : s.regions) CHECK(r.stable >= 0);
}

TEST_CASE("the map filled from the faces equals the map counted row by row", "[short]") {
  TwoMemoryParameters p;
  FoldPlaneOptions o;
  o.n_min = 2, o.n_max = 100, o.T_min = 0.3 * p.num_pixels, o.T_max = 1.5 * p.num_pixels;
  o.map_n_cells = 30, o.map_T_cells = 20;
  const FoldCurveSummary derived = compute_fold_curves(p, o);
  o.map_check_rows = 0;  // every row by a complete diagram, the regions checked at every node
  const FoldCurveSummary counted = compute_fold_curves(p, o);
  REQUIRE(derived.map.size() == counted.map.size());
  int differ = 0;
  for (std::size_t k = 0; k < derived.map.size(); ++k)
    differ += derived.map[k].stable != counted.map[k].stable || derived.map[k].total != counted.map[k].total;
  CHECK(differ == 0);
  CHECK(counted.map_nodes_checked == 31 * 21);
  CHECK(counted.map_disagreements.empty());
  CHECK(counts(derived) == counts(counted));
}

TEST_CASE("a counted row that missed a pair between its count checks is reseeded beside the curves' crossings", "[short]") {
  // n 1:80 x T 600:950: the seed row T = 865 misses the pair living between
  // n = 1.37 and 4.2 (an isola of that row); the curve through it is found from
  // the row at T = 775. The map used to disagree with the faces at 6 nodes.
  TwoMemoryParameters p;
  FoldPlaneOptions o;
  o.n_min = 1, o.n_max = 80;
  o.T_min = 600, o.T_max = 950;
  const FoldCurveSummary s = compute_fold_curves(p, o);
  CHECK(s.regions_from == "fold curves");
  CHECK(s.map_disagreements.empty());
  CHECK(s.complete());
  CHECK(s.diagrams_computed == 11);  // 5 seed rows, 3 seed columns, 2 check rows, the T = 865 row again
}

TEST_CASE("a curve thin in T between every seed row (n 50:100 near T_r 0.83) is found from the seed columns", "[short]") {
  // The monostable band runs from T_r 0.85 at n = 50 to 0.82 at n = 100: the
  // seed rows at T_r 0.3, 0.6, 0.9, 1.2, 1.5 and the check rows all pass it by,
  // and the plane read as one bistable region; a diagram in T at any n meets it.
  const FoldCurveSummary s = plane(50, 100, 0.3, 1.5, 40, 24);
  REQUIRE(s.complete());
  CHECK(s.curves.size() == 2);
  CHECK(counts(s) == std::vector<int>{1, 2, 2});
  CHECK(s.map_disagreements.empty());
}
