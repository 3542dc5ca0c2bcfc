// Nullclines as ordered polylines on the zero sets of the numerators.
#include <catch2/catch.hpp>

#include "reduced_models/fixed_points.hpp"
#include "reduced_models/nullclines.hpp"

using namespace waddington::reduced;

namespace {
// Distance from x to the nearest segment of any polyline.
double distance_to(const std::vector<Polyline>& lines, const Eigen::Vector2d& x) {
  double best = 1e9;
  for (const auto& l : lines)
    for (std::size_t i = 0; i + 1 < l.points.size(); ++i) {
      const Eigen::Vector2d a = l.points[i], d = l.points[i + 1] - a;
      const double t = d.squaredNorm() > 0 ? std::clamp((x - a).dot(d) / d.squaredNorm(), 0.0, 1.0) : 0.0;
      best = std::min(best, (a + t * d - x).norm());
    }
  return best;
}
}  // namespace

TEST_CASE("nullclines are ordered curves on the zero sets, through every fixed point", "[short]") {
  for (double n : {15.0, 20.0, 39.0, 60.0}) {
    TwoMemoryParameters p;
    p.n = n;
    NullclineOptions o;
    o.alpha_min = 0, o.alpha_max = 1;
    const auto nc = compute_nullclines(p, o);
    REQUIRE(!nc.memory.empty());
    REQUIRE(!nc.label.empty());
    const double cell = 2.0 / o.ell_cells;
    for (const auto* lines : {&nc.memory, &nc.label})
      for (const auto& l : *lines) {
        for (std::size_t i = 0; i + 1 < l.points.size(); ++i)  // ordered: neighbours share a cell
          CHECK((l.points[i + 1] - l.points[i]).norm() <= 1.5 * cell);
      }
    // Independent of the contouring: the numerator changes sign across each point.
    int sign_changes = 0, points = 0;
    for (const auto& l : nc.memory)
      for (const auto& x : l.points) {
        ++points;
        const double up = numerator_residual(p, x(0), std::min(1.0, x(1) + cell), p.n, p.T)(0);
        const double down = numerator_residual(p, x(0), std::max(-1.0, x(1) - cell), p.n, p.T)(0);
        const double right = numerator_residual(p, std::min(1.0, x(0) + cell), x(1), p.n, p.T)(0);
        const double left = numerator_residual(p, std::max(0.0, x(0) - cell), x(1), p.n, p.T)(0);
        sign_changes += (up > 0) != (down > 0) || (right > 0) != (left > 0);
      }
    // All but the tips of the curves (where a +-cell stencil can straddle both branches).
    CHECK(sign_changes >= 0.99 * points);
    FixedPointOptions fo;
    fo.alpha_min = 0, fo.alpha_max = 1;
    for (const auto& f : find_fixed_points(p, fo).fixed_points) {
      CHECK(distance_to(nc.memory, {f.alpha, f.ell}) < cell);
      if (f.kind == FixedPointKind::kInterior) CHECK(distance_to(nc.label, {f.alpha, f.ell}) < cell);
    }
  }
}

TEST_CASE("the label nullcline has branches on ell = +-1 where the clipped drive points outward", "[short]") {
  TwoMemoryParameters p;
  p.n = 100;
  const auto nc = compute_nullclines(p, {});
  int on_bound = 0;
  for (const auto& l : nc.label)
    if (l.on_bound) {
      ++on_bound;
      for (const auto& x : l.points) CHECK(std::abs(x(1)) == 1.0);
      const auto& mid = l.points[l.points.size() / 2];
      CHECK(boundary_outward_drive(p, mid(0), mid(1), p.n, p.T) > 0);
    }
  CHECK(on_bound >= 2);
}
