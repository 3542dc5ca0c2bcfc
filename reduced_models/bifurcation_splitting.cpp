// The K = 2 splitting of a one-parameter diagram (docs/model.md §2.2): a
// post-pass over the branches of the reduced flow (compute_diagram,
// grid_diagram), kept out of the continuation's translation unit so that the
// branches themselves are computed exactly as without it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <ceres/jet.h>

#include <Eigen/Dense>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/diagram_completeness.hpp"
#include "reduced_models/bifurcation_problems.hpp"
#include "reduced_models/equilibrium.hpp"

namespace waddington::reduced {
namespace {

int sign_of(double x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }

// Fills the splitting fields of a row of q's chart (identical_memories == 2).
void row_splitting(const TwoMemoryParameters& q, DiagramRow* r) {
  const continuation::ScaledSpectrum anti = splitting_spectrum(q, r->alpha, r->ell, r->kind);
  const int reduced = r->unstable_count >= 0 ? r->unstable_count  // from the row's own spectrum
                                             : equilibrium_spectrum(q, r->alpha, r->ell, r->kind).unstable_count;
  r->has_splitting = true;
  r->split1 = anti.real[0].value();
  r->split2 = r->kind == FixedPointKind::kBoundary ? std::numeric_limits<double>::quiet_NaN() : anti.real[1].value();
  r->unstable_count_k2 = reduced + anti.unstable_count;
}

// The smooth piece a branch lies on (the one holding most of its rows).
const SmoothPiece* branch_piece(const DiagramSummary& s, const Branch& b) {
  const SmoothPiece* best = nullptr;
  std::size_t best_count = 0;
  for (const SmoothPiece& piece : s.pieces) {
    if (piece.chart != b.chart) continue;
    const std::size_t count = std::count_if(b.rows.begin(), b.rows.end(), [&](const DiagramRow& r) {
      return r.alpha > piece.alpha_min && r.alpha < piece.alpha_max;
    });
    if (count > best_count) best = &piece, best_count = count;
  }
  return best;
}

void locate_branch_points(const TwoMemoryParameters& p, const Branch& b, DiagramSummary* s) {
  const SmoothPiece* piece = branch_piece(*s, b);
  if (piece == nullptr) return;
  const DiagramOptions& o = s->options;
  const bool interior = b.kind == FixedPointKind::kInterior;
  const double tolerance = o.continuation.newton_tolerance;
  const char* name = ToString(o.parameter);
  const auto at = [&](double value) {
    TwoMemoryParameters q = at_parameter(p, o.parameter, value);
    q.chart = b.chart;
    return q;
  };
  const auto value_of = [&](const DiagramRow& r) { return o.parameter == BifurcationParameter::kN ? r.n : r.T; };
  for (std::size_t i = 0; i + 1 < b.rows.size(); ++i) {
    const DiagramRow &r0 = b.rows[i], &r1 = b.rows[i + 1];
    const int s0 = sign_of(r0.split1), s1 = sign_of(r1.split1);
    if (!r0.has_splitting || !r1.has_splitting || s0 * s1 >= 0) continue;
    const double v0 = value_of(r0), v1 = value_of(r1);
    if (splitting_spectrum(at(v0), r0.alpha, r0.ell, r0.kind).complex ||
        splitting_spectrum(at(v1), r1.alpha, r1.ell, r1.kind).complex) {
      s->warnings.push_back(fmt::format("a complex pair of splitting eigenvalues crosses 0 between {}={:.6g} and {:.6g} "
                                        "on branch {} (not a branch point: not located)", name, v0, v1, b.id));
      continue;
    }
    // The branch at parameter value v, from the chord between the two rows.
    double x[2] = {r0.alpha, r0.ell};
    const auto branch_at = [&](double v) {
      const double w = v1 == v0 ? 0.0 : (v - v0) / (v1 - v0);
      x[0] = r0.alpha + w * (r1.alpha - r0.alpha);
      x[1] = interior ? r0.ell + w * (r1.ell - r0.ell) : b.ell_bound;
      return detail::polish_on_piece(at(v), *piece, interior, b.ell_bound, x, tolerance);
    };
    double lo = v0, hi = v1;  // split1 has sign s0 at lo, s1 at hi
    bool ok = v0 != v1;
    for (int it = 0; ok && it < 200 && std::abs(hi - lo) > 1e-10; ++it) {
      const double mid = 0.5 * (lo + hi);
      if (!(branch_at(mid) <= tolerance)) {
        ok = false;
        break;
      }
      const int sign = splitting_spectrum(at(mid), x[0], x[1], b.kind).real[0].sign;
      if (sign == 0) {
        lo = hi = mid;
        break;
      }
      (sign == s0 ? lo : hi) = mid;
    }
    const double value = 0.5 * (lo + hi);
    const double residual = branch_at(value);
    ok = ok && residual <= tolerance;
    const TwoMemoryParameters q = at(value);
    DiagramPoint sp;
    sp.type = SpecialPointType::kBranchPoint;
    sp.n = q.n;
    sp.T = q.T;
    sp.alpha = std::clamp(x[0], -1.0, 1.0);
    sp.alpha_B = chart_alpha_B(b.chart, sp.alpha);
    sp.ell = interior ? std::clamp(x[1], -1.0, 1.0) : b.ell_bound;
    sp.chart = b.chart;
    sp.branch = b.id;
    sp.where = "splitting";
    sp.converged = ok;
    sp.residual = residual;
    sp.test_value = splitting_spectrum(q, x[0], sp.ell, b.kind).real[0].value();
    if (!ok)
      s->warnings.push_back(fmt::format("splitting branch point near {}={:.6g} on branch {}: localisation did not "
                                        "converge", name, value, b.id));
    s->special_points.push_back(sp);
  }
}

}  // namespace

void add_splitting(const TwoMemoryParameters& p, DiagramSummary* s) {
  if (p.identical_memories != 2) return;
  // Branch by branch as tasks: in parallel inside an enclosing parallel region
  // (the fold-curve check's), one by one otherwise.
  const int count = int(s->branches.size());
#pragma omp taskloop grainsize(1) shared(s, p)
  for (int i = 0; i < count; ++i)
    for (DiagramRow& r : s->branches[i].rows) {
      TwoMemoryParameters q = p;
      q.n = r.n;
      q.T = r.T;
      q.chart = r.chart;
      row_splitting(q, &r);
    }
  if (s->method != DiagramMethod::kContinuation) return;  // grid "branches" are indices, not branches
  const std::size_t before = s->special_points.size(), warnings = s->warnings.size();
  for (const Branch& b : s->branches) locate_branch_points(p, b, s);
  if (s->special_points.size() != before) {
    const bool by_n = s->options.parameter == BifurcationParameter::kN;
    std::stable_sort(s->special_points.begin(), s->special_points.end(),
                     [&](const auto& a, const auto& b) { return by_n ? a.n < b.n : a.T < b.T; });
  }
  if (s->warnings.size() != warnings) s->termination = AnalysisTermination::kIncomplete;
}

DiagramSummary compute_diagram(const TwoMemoryParameters& p, const DiagramOptions& options) {
  if (options.fold_curve_check && options.parameter == BifurcationParameter::kN && !options.start && options.count_audit)
    return checked_diagram(p, options);
  DiagramSummary s = detail::continuation_diagram(p, options);
  add_splitting(p, &s);
  return s;
}

DiagramSummary grid_diagram(const TwoMemoryParameters& p, const DiagramOptions& options) {
  DiagramSummary s = detail::grid_diagram_rows(p, options);
  add_splitting(p, &s);
  return s;
}

}  // namespace waddington::reduced
