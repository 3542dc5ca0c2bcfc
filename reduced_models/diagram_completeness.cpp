// The fold-curve check of a diagram in n (diagram_completeness.hpp).
#include "reduced_models/diagram_completeness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>

#include "lib/errors.hpp"
#include "reduced_models/bifurcation_folds.hpp"

namespace waddington::reduced {
namespace {

std::vector<DiagramPoint> interior_folds(const DiagramSummary& d) {
  std::vector<DiagramPoint> out;
  for (const DiagramPoint& f : d.folds())
    if (f.where == "interior") out.push_back(f);
  return out;
}

constexpr int kMaxReseeds = 3;

// The band of the check: n in the window x T in T0 (1 +- fold_check_band),
// seeded at fold_check_T_values temperatures (T0 the middle one). Its
// diagrams other than T0's only give folds: no row analysis, no Hopf points.
FoldPlaneOptions band_options(const TwoMemoryParameters& p, const DiagramOptions& options) {
  FoldPlaneOptions plane;
  plane.n_min = options.from;
  plane.n_max = options.to;
  plane.T_min = p.T * (1 - options.fold_check_band);
  plane.T_max = p.T * (1 + options.fold_check_band);
  plane.seed_T_values = options.fold_check_T_values;
  plane.seed_n_values = 0;  // (isolas in n at T0: its own diagram and the band's rows in n)
  plane.diagram = options;
  plane.diagram.fold_curve_check = false;
  plane.diagram.extra_seed_values.clear();
  plane.diagram.on_progress = nullptr;
  plane.diagram.row_stability = false;
  // Their steps may be 3 times longer: a fold is located to the tolerance
  // whatever step brackets it, and what keeps a step from passing a whole pair
  // of folds is the turning-angle control (max_tangent_angle), which does not
  // depend on ds_max.
  plane.diagram.continuation.ds_max = std::min(0.5, 3 * options.continuation.ds_max);
  // The curves' steps up to 0.02 (the fold-curve default is 0.01): with turns
  // of at most max_tangent_angle (0.3) per step, a traced segment is within
  // 0.02 x 0.3 / 8 < 1e-3 of the curve, the distance at which a fold of
  // another seed diagram counts as on a known curve; the crossings of T0 are
  // located by Newton, not read off the segments.
  plane.continuation.ds_max = std::max(plane.continuation.ds_max, 0.02);
  plane.region_map = false;
  return plane;
}

// What went wrong first, in words.
std::string what(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace

DiagramSummary checked_diagram(const TwoMemoryParameters& p, const DiagramOptions& options) {
  // Validated first: the band is built from the options (fold_check_T_values
  // sizes it), and continuation_diagram would say the same, only later.
  p.Validate();
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  const FoldPlaneOptions plane = band_options(p, options);
  const std::vector<double> Ts = fold_seed_T_values(plane);
  const int middle = int(Ts.size()) / 2;
  // At once (OpenMP tasks): the diagram (T0, the middle seed temperature),
  // then the curves of its folds and its splitting; the band's other diagrams.
  // Tracing the diagram's curves is the longest chain; the other diagrams and
  // the splitting fill the other cores. The band's other folds are taken after.
  std::vector<DiagramSummary> band(Ts.size());
  std::vector<std::exception_ptr> errors(Ts.size());
  std::exception_ptr curves_failed;
  std::unique_ptr<FoldCurveTracer> tracer;
  try {
    tracer = std::make_unique<FoldCurveTracer>(p, plane);
  } catch (...) {  // e.g. the band leaves the valid temperatures
    curves_failed = std::current_exception();
  }
  DiagramSummary split;
  std::exception_ptr split_failed;  // rethrown where the splitting is used
  DiagramSummary* const checked = &band[middle];
#pragma omp parallel
#pragma omp single
  {
#pragma omp task depend(out : checked[0])
    try {
      *checked = detail::continuation_diagram(p, options);
    } catch (...) {
      errors[middle] = std::current_exception();
    }
#pragma omp task depend(in : checked[0])
    if (!errors[middle] && tracer) try {
        tracer->add(*checked);
      } catch (...) {
        curves_failed = std::current_exception();
      }
#pragma omp task depend(in : checked[0])
    if (!errors[middle]) try {
        split = *checked;
        add_splitting(p, &split);
      } catch (...) {
        split_failed = std::current_exception();
      }
    for (int k = 0; k < int(Ts.size()); ++k) {
      if (k == middle || !tracer) continue;
#pragma omp task firstprivate(k)
      try {
        TwoMemoryParameters q = p;
        q.T = Ts[k];
        band[k] = detail::continuation_diagram(q, plane.diagram);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    }
  }
  if (errors[middle]) std::rethrow_exception(errors[middle]);
  DiagramSummary diagram = band[middle];  // the diagram checked (before any reseeding)
  for (int k = 0; k < int(Ts.size()) && !curves_failed; ++k) {
    if (k == middle) continue;
    if (errors[k]) {
      curves_failed = errors[k];
      break;
    }
    try {
      tracer->add(band[k]);
    } catch (...) {
      curves_failed = std::current_exception();
    }
  }
  if (curves_failed) {
    if (split_failed) std::rethrow_exception(split_failed);
    split.completeness.doubts.push_back(fmt::format("fold curves not computed: {}", what(curves_failed)));
    return split;
  }
  const FoldCurveSummary curves = tracer->finish();
  const std::vector<DiagramPoint> crossings = fold_crossings_at_T(curves, p.T);
  DiagramOptions reseeded = options;
  for (int round = 0;; ++round) {
    const std::vector<DiagramPoint> folds = interior_folds(diagram);
    int matched = 0;
    const std::vector<double> seeds = seeds_beside_missed_folds(diagram, crossings, options.from, options.to, &matched);
    if (seeds.empty() || round == kMaxReseeds) {
      // Record on the final diagram (a reseeded one starts a fresh record),
      // with its splitting.
      if (round == 0) {
        if (split_failed) std::rethrow_exception(split_failed);
        diagram = std::move(split);
      } else {
        add_splitting(p, &diagram);
      }
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
