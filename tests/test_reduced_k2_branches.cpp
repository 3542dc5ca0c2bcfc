// Asymmetric K = 2 branches from the symmetry-breaking points of a diagram
// (reduced_models/k2_branches.hpp), checked against the explicit two-memory
// velocity (k_memory.hpp), which the continuation does not use.
#include <catch2/catch.hpp>

#include <cmath>

#include "reduced_models/k2_branches.hpp"
#include "reduced_models/k_memory.hpp"

using namespace waddington::reduced;

TEST_CASE("T = 750: the split branch leaves the symmetry-breaking point on ell = -1 and is an equilibrium of the K = 2 flow",
          "[short]") {
  TwoMemoryParameters p;
  p.T = 750;
  DiagramOptions o;
  o.from = 1;
  o.to = 80;
  const DiagramSummary d = compute_diagram(p, o);
  const K2Summary k2 = continue_split_branches(p, d);
  INFO(k2.BriefReport());
  CHECK(k2.branch_points == 1);
  REQUIRE(k2.branches.size() == 1);
  CHECK(k2.complete());
  const K2Branch& b = k2.branches[0];
  CHECK(b.labels_held);
  REQUIRE(b.rows.size() > 10);
  double bp_n = 0;
  for (const auto& sp : d.special_points)
    if (sp.where == "splitting") bp_n = sp.n;
  double closest = 1e9, widest = 0;
  for (const K2Row& r : b.rows) {
    // The explicit K = 2 velocity vanishes there (labels held: only the alphas move).
    TwoMemoryParameters q = p;
    q.n = r.n;
    const double state[4] = {r.alpha1, r.ell1, r.alpha2, r.ell2};
    double v[4];
    k_memory_velocity(q, 2, state, v, r.n, r.T);
    CHECK(std::abs(v[0]) < 1e-9);
    CHECK(std::abs(v[2]) < 1e-9);
    CHECK(v[1] == 0.0);  // held: the drive points outward, the clip holds the label
    CHECK(v[3] == 0.0);
    if (std::abs(r.n - bp_n) < closest) closest = std::abs(r.n - bp_n);
    widest = std::max(widest, std::abs(r.alpha1 - r.alpha2));
  }
  CHECK(closest < 0.05);  // it passes through the branch point
  CHECK(widest > 0.1);    // and really splits
}

TEST_CASE("no splitting point, no asymmetric branch, k = 1 gives none", "[short]") {
  TwoMemoryParameters p;
  p.T = 700;
  DiagramOptions o;
  o.from = 1;
  o.to = 60;
  const K2Summary k2 = continue_split_branches(p, compute_diagram(p, o));
  CHECK(k2.branch_points == 0);
  CHECK(k2.branches.empty());
  CHECK(k2.complete());
  p.identical_memories = 1;
  CHECK(continue_split_branches(p, compute_diagram(p, o)).branches.empty());
}
