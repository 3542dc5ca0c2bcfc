// Asymmetric K = 2 branches from the symmetry-breaking points of a diagram
// (reduced_models/k2_branches.hpp), checked against the explicit two-memory
// velocity (k_memory.hpp), which the continuation does not use.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "reduced_models/k2_branches.hpp"
#include "reduced_models/k_memory.hpp"
#include "reduced_models/trajectory.hpp"

using namespace waddington::reduced;

namespace {

// The Figure 5 diagram in n over [1, 80] at T (its splitting points are where the K = 2 branches start).
DiagramSummary diagram_at(double T) {
  TwoMemoryParameters p;
  p.T = T;
  DiagramOptions o;
  o.from = 1;
  o.to = 80;
  return compute_diagram(p, o);
}

}  // namespace

TEST_CASE("T = 750: the split branch leaves the symmetry-breaking point on ell = -1 and is an equilibrium of the K = 2 flow",
          "[short]") {
  const DiagramSummary d = diagram_at(750);
  const TwoMemoryParameters& p = d.parameters;
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
  // It turns once in n (the pitchfork itself is not a fold): the stable split
  // states live between that fold and the branch point, saddles beyond it.
  REQUIRE(b.folds.size() == 1);
  const double fold = b.folds[0].n;
  CHECK(fold < bp_n - 0.5);
  const auto lo = std::min_element(b.rows.begin(), b.rows.end(), [](const K2Row& a, const K2Row& c) { return a.n < c.n; });
  CHECK(lo->n >= fold - 1e-9);  // no row beyond the fold, the nearest within a step
  CHECK(lo->n - fold < 0.01);
  for (const K2Row& r : b.rows)
    if (r.stability == Stability::kStable) CHECK(r.n <= bp_n + 1e-6);
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

namespace {

// The distance of the K = 2 flow from `row` at times `at`, started `offset` off
// it in the alphas (memory 1 out, memory 2 in; labels on their bound) at the row's n.
std::vector<double> distances_from(const TwoMemoryParameters& p, const K2Row& row, double offset,
                                   const std::vector<double>& at) {
  TwoMemoryParameters q = p;
  q.n = row.n;
  Eigen::VectorXd x0(4);
  x0 << row.alpha1 + offset, row.ell1, row.alpha2 - 0.5 * offset, row.ell2;
  TrajectoryOptions t;
  t.t_max = at.back();
  t.output_interval = 0;
  t.stop_speed = 0;  // run to t_max even near the equilibrium
  t.absolute_tolerance = 1e-18, t.relative_tolerance = 1e-13;  // offsets down to 1e-10
  const TrajectoryResult r = integrate_k_memory(q, x0, t);
  std::vector<double> out;
  for (double time : at) {  // linear interpolation between the steps around `time`
    std::size_t k = 0;
    while (k + 2 < r.times.size() && r.times[k + 1] <= time) ++k;
    const double w = std::clamp((time - r.times[k]) / (r.times[k + 1] - r.times[k]), 0.0, 1.0);
    const Eigen::VectorXd x = (1 - w) * r.states[k] + w * r.states[k + 1];
    out.push_back(std::hypot(x(0) - row.alpha1, x(2) - row.alpha2));
  }
  return out;
}

}  // namespace

TEST_CASE("K = 2 branch stability against K = 2 trajectories: a stable row attracts at rate eig1, a saddle row repels at rate eig1",
          "[short]") {
  // Linearisation against simulation: the rows' labels and leading eigenvalue
  // come from the 4-variable Jacobian; here the explicit K = 2 flow is
  // integrated from 1e-10 (saddle) or 1e-4 (stable) off the row. The saddle
  // rows with a large eig1 have one memory within ~1e-5 of alpha = 0, where the
  // flow has a corner: the linear regime there is smaller than 1e-5.
  const DiagramSummary d = diagram_at(750);
  const TwoMemoryParameters& p = d.parameters;
  const K2Summary k2 = continue_split_branches(p, d);
  REQUIRE(k2.branches.size() == 1);
  const K2Row *stable = nullptr, *saddle = nullptr;
  for (const K2Row& r : k2.branches[0].rows) {
    // Well inside each part: |eig1| large enough to measure, away from the branch point.
    if (r.stability == Stability::kStable && r.eig1 < -0.05 && (!stable || r.eig1 < stable->eig1)) stable = &r;
    if (r.stability == Stability::kSaddle && r.eig1 > 4 && r.eig1 < 6 && !saddle) saddle = &r;
  }
  REQUIRE(stable != nullptr);
  REQUIRE(saddle != nullptr);
  {
    INFO("stable row n=" << stable->n << " eig1=" << stable->eig1 << " eig2=" << stable->eig2);
    // After the fast direction (eig2) has died out, the distance decays at eig1.
    const double t0 = 8 / std::abs(stable->eig2), t1 = t0 + 2 / std::abs(stable->eig1);
    const std::vector<double> d = distances_from(p, *stable, 1e-4, {t0, t1});
    const double rate = std::log(d[1] / d[0]) / (t1 - t0);
    CHECK(d[1] < d[0]);
    CHECK(rate == Approx(stable->eig1).epsilon(0.05));
  }
  {
    INFO("saddle row n=" << saddle->n << " eig1=" << saddle->eig1 << " eig2=" << saddle->eig2);
    // It grows at eig1 once the stable part has fallen behind (by e^-6 against
    // the unstable one: the eigenvectors are not orthogonal, the two parts can
    // cancel), while the offset is still small (1e-10 x e^(eig1 t1) ~ 1e-6).
    const double t0 = 6 / (saddle->eig1 - saddle->eig2), t1 = t0 + std::log(1e2) / saddle->eig1;
    const std::vector<double> d = distances_from(p, *saddle, 1e-10, {t0, t1});
    const double rate = std::log(d[1] / d[0]) / (t1 - t0);
    CHECK(d[1] > 10 * d[0]);
    CHECK(rate == Approx(saddle->eig1).epsilon(0.05));
  }
}
