// The fold-curve check of a diagram in n (diagram_completeness.hpp).
#include "reduced_models/diagram_completeness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reduced_models/bifurcation_folds.hpp"

namespace waddington::reduced {
namespace {

// A diagram fold at the crossing: same chart, within 1e-6 (relative) in n and
// 1e-4 in (alpha, ell). Both are located to the engine's tolerance (1e-12), so
// the slack only absorbs the two problems' different scalings.
bool same_fold(const DiagramPoint& a, const DiagramPoint& b) {
  return a.chart == b.chart && std::abs(a.n - b.n) <= 1e-6 * std::max(1.0, std::abs(a.n)) &&
         std::abs(a.alpha - b.alpha) <= 1e-4 && std::abs(a.ell - b.ell) <= 1e-4;
}

std::vector<DiagramPoint> interior_folds(const DiagramSummary& d) {
  std::vector<DiagramPoint> out;
  for (const DiagramPoint& f : d.folds())
    if (f.where == "interior") out.push_back(f);
  return out;
}

constexpr int kMaxReseeds = 3;

}  // namespace

DiagramSummary check_against_fold_curves(const TwoMemoryParameters& p, const DiagramOptions& options,
                                         DiagramSummary diagram) {
  Completeness& c = diagram.completeness;
  FoldPlaneOptions plane;
  plane.n_min = options.from;
  plane.n_max = options.to;
  plane.T_min = p.T * (1 - options.fold_check_band);
  plane.T_max = p.T * (1 + options.fold_check_band);
  plane.diagram = options;
  plane.diagram.fold_curve_check = false;
  plane.diagram.extra_seed_values.clear();
  plane.diagram.on_progress = nullptr;
  plane.region_map = false;
  FoldCurveSummary curves;
  try {
    // The diagram itself is the band's seed diagram at T0 (the middle one of an
    // odd number of seed T values) unless extra seed values were given.
    const bool reuse = options.extra_seed_values.empty();
    curves = compute_fold_curves(p, plane, reuse ? &diagram : nullptr);
  } catch (const std::exception& e) {  // e.g. the band leaves the valid temperatures
    c.doubts.push_back(fmt::format("fold curves not computed: {}", e.what()));
    return diagram;
  }
  const std::vector<DiagramPoint> crossings = fold_crossings_at_T(curves, p.T);
  const double scale = options.to - options.from;
  DiagramOptions reseeded = options;
  for (int round = 0;; ++round) {
    const std::vector<DiagramPoint> folds = interior_folds(diagram);
    std::vector<double> seeds;
    int matched = 0;
    for (const DiagramPoint& x : crossings) {
      if (std::any_of(folds.begin(), folds.end(), [&](const DiagramPoint& f) { return same_fold(f, x); })) {
        ++matched;
        continue;
      }
      for (double offset : {1e-4, 1e-3, 1e-2})
        for (double side : {-1.0, 1.0}) {
          const double v = x.n + side * offset * scale;
          if (v > options.from && v < options.to) seeds.push_back(v);
        }
    }
    if (seeds.empty() || round == kMaxReseeds) {
      // Record on the final diagram (a reseeded one starts a fresh record).
      Completeness& final = diagram.completeness;
      final.fold_crossings = int(crossings.size());
      final.fold_crossings_matched = matched;
      final.fold_seed_values = reseeded.extra_seed_values;
      for (const auto& w : curves.warnings) final.doubts.push_back("fold curves: " + w);
      for (const DiagramPoint& x : crossings)
        if (std::none_of(folds.begin(), folds.end(), [&](const DiagramPoint& f) { return same_fold(f, x); }))
          final.doubts.push_back(fmt::format("the fold curves cross T={:g} at n={:.8g} (alpha={:.4f}, ell={:.4f}) "
                                             "where the diagram has no fold", p.T, x.n, x.alpha, x.ell));
      for (const DiagramPoint& f : folds)
        if (std::none_of(crossings.begin(), crossings.end(), [&](const DiagramPoint& x) { return same_fold(f, x); }))
          final.doubts.push_back(fmt::format("the fold at n={:.8g} (alpha={:.4f}, ell={:.4f}) lies on no fold curve "
                                             "of the band", f.n, f.alpha, f.ell));
      return diagram;
    }
    reseeded.extra_seed_values.insert(reseeded.extra_seed_values.end(), seeds.begin(), seeds.end());
    diagram = detail::continuation_diagram(p, reseeded);
  }
}

}  // namespace waddington::reduced
