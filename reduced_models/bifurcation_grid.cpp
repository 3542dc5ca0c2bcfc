// The brute-force diagram (`--method grid`): at every parameter value of a
// grid, the equilibria are the cells where both numerators change sign on a
// fine (alpha, ell) grid (grid_fixed_points, refined by Newton where it
// converges next to the cell) and, on ell = +-1, the
// alpha cells where the alpha-equation changes sign with the label drive
// pointing outward. Special points are bracketed between parameter values
// where the count changes. Independent of the continuation engine.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "lib/errors.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/equilibrium.hpp"
#include "reduced_models/grid_fixed_points.hpp"

namespace waddington::reduced {
namespace {

struct GridPoint {
  double alpha = 0, ell = 0;
  int chart = +1;
  FixedPointKind kind = FixedPointKind::kInterior;
  bool refined = false;  // interior: Newton from the cell converged next to it (the point is an equilibrium)
};

// The alpha extent of the non-dead pieces of one chart.
std::pair<double, double> chart_extent(const std::vector<SmoothPiece>& pieces, int chart) {
  double lo = 2, hi = -2;
  for (const auto& piece : pieces)
    if (piece.chart == chart) lo = std::min(lo, piece.alpha_min), hi = std::max(hi, piece.alpha_max);
  return {lo, hi};
}

// Boundary equilibria on ell = ell_bound at the centres of the alpha cells
// where the alpha-equation changes sign and the label drive points outward.
void boundary_cells(const TwoMemoryParameters& p, double lo, double hi, int cells, double ell_bound,
                    std::vector<GridPoint>& out) {
  const double h = (hi - lo) / cells;
  double previous = 0;
  bool previous_ok = false;
  for (int i = 0; i <= cells; ++i) {
    const double alpha = lo + i * h;
    const bool ok = !in_dead_region(p, alpha);
    const double value = ok ? boundary_residual(p, alpha, ell_bound, p.n, p.T) : 0;
    if (ok && previous_ok && (previous > 0) != (value > 0)) {
      // Reported at the cell centre (the grid's resolution); the outward test is
      // taken at the interpolated root, since the drive may turn within a cell.
      const double root = alpha - h + h * previous / (previous - value);
      if (boundary_outward_drive(p, root, ell_bound, p.n, p.T) > 0)
        out.push_back({alpha - 0.5 * h, ell_bound, p.chart, FixedPointKind::kBoundary});
    }
    previous = value;
    previous_ok = ok;
  }
}

std::vector<GridPoint> grid_points(const TwoMemoryParameters& p, const std::vector<SmoothPiece>& pieces,
                                   double resolution, bool boundary) {
  std::vector<GridPoint> points;
  for (int chart : {+1, -1}) {
    auto [lo, hi] = chart_extent(pieces, chart);
    if (!(hi > lo)) continue;
    TwoMemoryParameters q = p;
    q.chart = chart;
    GridFinderOptions g;
    g.alpha_min = lo;
    g.alpha_max = hi;
    g.alpha_cells = std::max(1, int(std::ceil((hi - lo) / resolution)));
    g.ell_cells = std::max(1, int(std::ceil(2.0 / resolution)));
    g.refine = true;
    for (const GridCandidate& c : grid_fixed_points(q, g))
      points.push_back({c.alpha, c.ell, chart, FixedPointKind::kInterior, c.refined});
    if (boundary)
      for (double ell_bound : {+1.0, -1.0}) boundary_cells(q, lo, hi, g.alpha_cells, ell_bound, points);
  }
  return points;
}

// Stability at the equilibrium Newton found from the grid cell (its own plain
// Newton on the numerators, not the engine's): the real flow linearised as at an
// equilibrium (docs/model.md §2: there the Jacobian is the numerators' Jacobian
// divided row-wise by the positive denominators |D_A|+|D_B| and |D_gam|, since
// D_ell = 0), from equilibrium_spectrum (the one function every fixed point and
// diagram row takes its stability from: row scales in log space, right at any
// T_r). Where Newton did not converge next to the cell the point is the cell
// centre and its label "unknown": at low T_r the inner layer in ell (width
// 1/kappa, 1e-11 at T_r 0.5, n 30) is far narrower than a cell, and the
// linearisation at the centre gave stable points a saddle's eigenvalues.
DiagramRow grid_row(const TwoMemoryParameters& p, const GridPoint& g, int index) {
  TwoMemoryParameters q = p;
  q.chart = g.chart;
  const continuation::ScaledSpectrum s = equilibrium_spectrum(q, g.alpha, g.ell, g.kind);
  DiagramRow r;
  r.eig1 = s.real[0].value();
  // On a bound the clipped label is held: no second flow eigenvalue.
  r.eig2 = g.kind == FixedPointKind::kBoundary ? std::numeric_limits<double>::quiet_NaN() : s.real[1].value();  // held
  r.stability = g.kind == FixedPointKind::kInterior && !g.refined ? Stability::kUnknown : s.stability;
  r.branch = index;
  r.n = p.n;
  r.T = p.T;
  r.alpha = g.alpha;
  r.alpha_B = chart_alpha_B(g.chart, g.alpha);
  r.ell = g.ell;
  r.chart = g.chart;
  r.kind = g.kind;
  return r;
}

// Where the set of equilibria changes between two parameter values: the
// points of the richer side farthest from the other side, averaged.
DiagramPoint bracketed_change(std::vector<DiagramRow> a, std::vector<DiagramRow> b, double va, double vb,
                              const DiagramOptions& o, const TwoMemoryParameters& p) {
  if (a.size() == b.size()) {  // an interior equilibrium became a boundary one: compare the boundary ones
    const auto interior = [](const DiagramRow& r) { return r.kind == FixedPointKind::kInterior; };
    a.erase(std::remove_if(a.begin(), a.end(), interior), a.end());
    b.erase(std::remove_if(b.begin(), b.end(), interior), b.end());
  }
  const bool a_richer = a.size() > b.size();
  const auto& rich = a_richer ? a : b;
  const auto& poor = a_richer ? b : a;
  std::vector<std::pair<double, const DiagramRow*>> far;
  for (const auto& r : rich) {
    double d = std::numeric_limits<double>::infinity();
    for (const auto& s : poor) d = std::min(d, std::max(std::abs(r.alpha - s.alpha), std::abs(r.ell - s.ell)));
    far.push_back({d, &r});
  }
  std::sort(far.begin(), far.end(), [](auto& x, auto& y) { return x.first > y.first; });
  const std::size_t k = std::min<std::size_t>(far.size(), std::max<std::size_t>(1, rich.size() - poor.size()));
  DiagramPoint s;
  int interior = 0, boundary = 0;
  for (std::size_t i = 0; i < k; ++i) {
    s.alpha += far[i].second->alpha / k;
    s.ell += far[i].second->ell / k;
    (far[i].second->kind == FixedPointKind::kInterior ? interior : boundary)++;
    s.chart = far[i].second->chart;
  }
  s.type = boundary > 0 || rich.size() == poor.size() ? SpecialPointType::kBoundary : SpecialPointType::kFold;
  s.alpha_B = chart_alpha_B(s.chart, s.alpha);
  const TwoMemoryParameters mid = at_parameter(p, o.parameter, 0.5 * (va + vb));
  s.n = mid.n;
  s.T = mid.T;
  s.where = fmt::format("grid bracket {}=[{:.6g}, {:.6g}]", ToString(o.parameter), va, vb);
  s.residual = std::numeric_limits<double>::quiet_NaN();
  s.test_value = std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace

std::vector<DiagramRow> grid_equilibria(const TwoMemoryParameters& p, double grid_resolution, bool boundary,
                                       double alpha_min, double alpha_max) {
  std::vector<DiagramRow> rows;
  for (const GridPoint& g : grid_points(p, smooth_pieces(p, alpha_min, alpha_max), grid_resolution, boundary))
    rows.push_back(grid_row(p, g, int(rows.size())));
  return rows;
}

DiagramSummary detail::grid_diagram_rows(const TwoMemoryParameters& p, const DiagramOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  at_parameter(p, o.parameter, o.to).Validate();
  at_parameter(p, o.parameter, o.from).Validate();
  DiagramSummary s;
  s.method = DiagramMethod::kGrid;
  s.parameters = p;
  s.options = o;
  s.pieces = smooth_pieces(p, o.alpha_min, o.alpha_max);
  for (int chart : {+1, -1}) {
    TwoMemoryParameters q = p;
    q.chart = chart;
    for (const auto& d : dead_regions(q, o.alpha_min, o.alpha_max)) s.dead_regions.push_back(d);
  }
  s.seed_values = o.param_steps + 1;
  std::vector<DiagramRow> previous;
  int unknown = 0;
  std::string first_unknown;
  for (int k = 0; k <= o.param_steps; ++k) {
    const double value = o.from + (o.to - o.from) * k / o.param_steps;
    const TwoMemoryParameters pk = at_parameter(p, o.parameter, value);
    std::vector<DiagramRow> rows = grid_equilibria(pk, o.grid_resolution, o.boundary, o.alpha_min, o.alpha_max);
    s.seeds_found += int(rows.size());
    for (const DiagramRow& r : rows)
      if (r.stability == Stability::kUnknown && unknown++ == 0)
        first_unknown = fmt::format("n={:.6g} T={:.6g} alpha={:.4f} ell={:.4f}", r.n, r.T, r.alpha, r.ell);
    const auto boundary_count = [](const std::vector<DiagramRow>& r) {
      return std::count_if(r.begin(), r.end(), [](const DiagramRow& x) { return x.kind == FixedPointKind::kBoundary; });
    };
    if (k > 0 && (rows.size() != previous.size() || boundary_count(rows) != boundary_count(previous)))
      s.special_points.push_back(bracketed_change(previous, rows, value - (o.to - o.from) / o.param_steps, value, o, p));
    Branch b;
    b.id = k;
    b.found_from = fmt::format("grid at {}={:.6g}", ToString(o.parameter), value);
    b.rows = rows;
    s.branches.push_back(std::move(b));
    previous = std::move(rows);
    if (o.on_progress) o.on_progress(k + 1, o.param_steps + 1);
  }
  if (unknown > 0) s.warnings.push_back(grid_unknown_warning(unknown, s.seeds_found, first_unknown));
  s.termination = s.warnings.empty() ? AnalysisTermination::kComplete : AnalysisTermination::kIncomplete;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

std::string grid_unknown_warning(int unknown, int total, const std::string& first) {
  return fmt::format("grid: {} of {} equilibria have unknown stability (first: {}): Newton from the grid cell did not "
                     "converge (at low T_r the inner layer in ell is far narrower than a cell), so stable counts are "
                     "lower bounds there; --method continuation labels them",
                     unknown, total, first);
}

}  // namespace waddington::reduced
