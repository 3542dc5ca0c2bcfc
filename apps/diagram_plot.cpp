#include "apps/diagram_plot.hpp"

#include <fmt/format.h>

namespace waddington::app {

plots::BifurcationDiagramData diagram_data(const reduced::DiagramSummary& s) {
  plots::BifurcationDiagramData d;
  const bool by_n = s.options.parameter == reduced::BifurcationParameter::kN;
  d.parameter_name = by_n ? "n" : "T";
  d.parameter_min = s.options.from;
  d.parameter_max = s.options.to;
  d.scatter = s.method == reduced::DiagramMethod::kGrid;
  const auto& p = s.parameters;
  const std::string effective =
      p.identical_memories == 1 ? "one memory: T_{eff} = T"
                                : fmt::format("{:g} identical memories: T_{{eff}} = T / {:g}^{{1/n}}", p.identical_memories,
                                              p.identical_memories);
  d.title = fmt::format("AA={:.1f} AB={:.1f} BB={:.1f}, {}; {} ({})", p.AA, p.AB, p.BB,
                        by_n ? fmt::format("T={:g} (T_r={:.3f})", p.T, p.rescaled_temperature()) : fmt::format("n={:g}", p.n),
                        effective, ToString(s.method));
  for (const auto& b : s.branches) {
    plots::DiagramBranch branch;
    for (const auto& r : b.rows) {
      // Three kinds: stable also to splitting, stable on the symmetric manifold
      // only (K = 2 splitting unstable), saddle / unstable (or unknown).
      const auto kind = r.stability != reduced::Stability::kStable ? plots::DiagramPointKind::kUnstable
                        : r.stable_k2()                           ? plots::DiagramPointKind::kStable
                                                                  : plots::DiagramPointKind::kStableOnManifold;
      branch.points.push_back({by_n ? r.n : r.T, r.alpha, r.ell, kind});
    }
    d.branches.push_back(std::move(branch));
  }
  for (const auto& sp : s.special_points) d.special_points.push_back({ToString(sp.type), by_n ? sp.n : sp.T, sp.alpha, sp.ell});
  bool splitting = false, unknown = false;
  for (const auto& b : s.branches)
    for (const auto& r : b.rows)
      splitting = splitting || r.has_splitting, unknown = unknown || r.stability == reduced::Stability::kUnknown;
  if (!splitting) d.stable_title = "stable";  // no splitting computed: two kinds only
  if (unknown) d.unstable_title = "saddle / unstable / stability unknown";  // e.g. --method grid at low T_r
  return d;
}

namespace {

std::string label_text(int stable) {
  static const char* names[] = {"no stable point", "monostable", "bistable", "tristable"};
  return fmt::format("{} stable{}", stable, stable < 4 ? fmt::format(" ({})", names[stable]) : "");
}

}  // namespace

plots::BifurcationDiagramData diagram_data(const reduced::DiagramSummary& summary,
                                           const compare::DiagramValidationSummary& validation) {
  auto data = diagram_data(summary);
  for (const auto& r : validation.rows) data.overlay.push_back({r.value, r.alpha_final, r.ell_final, r.apart});
  return data;
}

plots::BifurcationDiagramData with_split_branches(plots::BifurcationDiagramData data, const reduced::K2Summary& k2) {
  const bool by_n = data.parameter_name == "n";
  for (const auto& b : k2.branches)
    for (int mu = 0; mu < 2; ++mu) {
      std::vector<plots::DiagramPoint> line;
      std::vector<bool> stable;
      for (const auto& r : b.rows) {
        line.push_back({by_n ? r.n : r.T, mu == 0 ? r.alpha1 : r.alpha2, mu == 0 ? r.ell1 : r.ell2});
        stable.push_back(r.stability == reduced::Stability::kStable);
      }
      data.split_memories.push_back(std::move(line));
      data.split_stable.push_back(std::move(stable));
      for (const auto& f : b.folds)  // each memory's state at the fold
        data.special_points.push_back({"fold", by_n ? f.n : f.T, mu == 0 ? f.alpha1 : f.alpha2, mu == 0 ? f.ell1 : f.ell2});
    }
  return data;
}

plots::FoldCurvePlotData fold_curve_plot_data(const reduced::FoldCurveSummary& s, const std::vector<double>& reference_Tr) {
  const double N = s.parameters.num_pixels;
  plots::FoldCurvePlotData d;
  const double k = s.parameters.identical_memories;
  d.title = fmt::format("fold curves, AA={:.1f} AB={:.1f} BB={:.1f}; {} ({})", s.parameters.AA, s.parameters.AB,
                        s.parameters.BB,
                        k == 1 ? std::string("one memory: T_{eff} = T")
                               : fmt::format("{:g} identical memories: T_{{eff}} = T / {:g}^{{1/n}}", k, k),
                        ToString(s.method));
  d.n_min = s.options.n_min, d.n_max = s.options.n_max, d.Tr_min = s.options.T_min / N, d.Tr_max = s.options.T_max / N;
  for (const auto& c : s.curves) {
    d.curves.emplace_back();
    for (const auto& p : c.points) d.curves.back().push_back({p.n, p.T / N});
  }
  for (const auto& sp : s.special_points)
    (sp.type == reduced::SpecialPointType::kCusp ? d.cusps : d.exits).push_back({sp.n, sp.T / N, sp.where});
  for (const auto& r : s.regions)
    if (r.cells >= 3 || s.regions_from == "fold curves") d.regions.push_back({r.n, r.T / N, label_text(r.stable)});
  for (const auto& c : s.map) d.background.push_back({c.n, c.T / N, c.stable});
  for (double tr : reference_Tr)
    if (tr > d.Tr_min && tr < d.Tr_max) d.reference_Tr.push_back(tr);
  return d;
}

}  // namespace waddington::app
