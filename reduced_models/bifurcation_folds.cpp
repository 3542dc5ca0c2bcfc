// Fold curves in (n, T) by two-parameter continuation of the minimally
// extended system, cusps, ends, and the map of stable-equilibrium counts.
#include "reduced_models/bifurcation_folds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "lib/errors.hpp"
#include "reduced_models/bifurcation_problems.hpp"
#include "reduced_models/bifurcation_tracer.hpp"

namespace waddington::reduced {
namespace {

using detail::FoldCurveProblem;
using detail::Trace;
using detail::TraceEvent;
using FoldTracer = detail::Tracer<FoldCurveProblem>;

int piece_index(const std::vector<SmoothPiece>& pieces, int chart, double alpha) {
  for (std::size_t i = 0; i < pieces.size(); ++i)
    if (pieces[i].chart == chart && alpha > pieces[i].alpha_min && alpha < pieces[i].alpha_max) return int(i);
  return -1;
}

detail::TraceOptions trace_options(const FoldCurveOptions& o) {
  detail::TraceOptions t;
  t.ds = o.ds;
  t.ds_min = o.ds_min;
  t.ds_max = o.ds_max;
  t.max_steps = o.max_steps;
  t.tolerance = o.diagram.tolerance;
  t.scale = Eigen::Vector4d(1, 1, o.n_max - o.n_min, o.T_max - o.T_min);
  t.fold_coordinate = -1;
  t.detect_branch_points = false;
  return t;
}

FoldCurveProblem problem_for(const TwoMemoryParameters& p, const SmoothPiece& piece, const FoldCurveOptions& o) {
  TwoMemoryParameters q = p;
  q.chart = piece.chart;
  return FoldCurveProblem{q, piece, o.n_min, o.n_max, o.T_min, o.T_max};
}

SpecialPoint fold_special(SpecialPointType type, const Eigen::Vector4d& y, int chart, int curve, std::string where) {
  SpecialPoint sp;
  sp.type = type;
  sp.alpha = y(0);
  sp.ell = y(1);
  sp.n = y(2);
  sp.T = y(3);
  sp.alpha_B = chart_alpha_B(chart, y(0));
  sp.chart = chart;
  sp.branch = curve;
  sp.where = std::move(where);
  return sp;
}

// Cusps: between two points of a trace both (n, T) tangent components change
// sign. Located by bisection in arclength on the sign of the n-component
// (each trial point corrected onto the curve), to 1e-13 in the scaled arclength.
void find_cusps(const FoldTracer& tracer, const Trace& t, const FoldCurveOptions& o, int chart, int curve,
                std::vector<SpecialPoint>& out) {
  const Eigen::Vector4d scale(1, 1, o.n_max - o.n_min, o.T_max - o.T_min);
  for (std::size_t i = 0; i + 1 < t.points.size(); ++i) {
    const Eigen::Vector4d t0 = t.points[i].tangent, t1 = t.points[i + 1].tangent;
    if ((t0(2) > 0) == (t1(2) > 0) || (t0(3) > 0) == (t1(3) > 0)) continue;
    const Eigen::Vector4d z0 = Eigen::Vector4d(t.points[i].y).cwiseQuotient(scale);
    double lo = 0, hi = t.points[i + 1].step;
    Eigen::Vector4d z = z0, tz = t0;
    bool ok = true;
    for (int it = 0; it < 60 && hi - lo > 1e-13; ++it) {
      const double mid = 0.5 * (lo + hi);
      Eigen::Vector4d trial = z0 + mid * t0;
      const Eigen::Vector4d anchor = trial;
      int iterations = 0;
      Eigen::Matrix<double, 3, 4> J;
      if (!tracer.correct(trial, t0, anchor, &iterations, &J)) {
        ok = false;
        break;
      }
      const Eigen::Vector4d tm = FoldTracer::tangent(J, t0);
      ((tm(2) > 0) == (t0(2) > 0) ? lo : hi) = mid;
      z = trial;
      tz = tm;
    }
    SpecialPoint sp = fold_special(SpecialPointType::kCusp, z.cwiseProduct(scale), chart, curve, "interior");
    sp.converged = ok && std::hypot(tz(2), tz(3)) < 1e-5;
    Eigen::Matrix<double, 3, 1> F;
    Eigen::Matrix<double, 3, 4> J;
    tracer.evaluate(z, F, J);
    sp.residual = F.lpNorm<Eigen::Infinity>();
    sp.test_value = std::hypot(tz(2), tz(3));  // the (n, T) speed of the fold curve, zero at a cusp
    out.push_back(sp);
  }
}

std::string fold_end(const Trace& t, const SmoothPiece& piece) {
  if (t.events.empty()) return "";
  const TraceEvent& e = t.events.back();
  if (e.kind != TraceEvent::kTest) return e.message;
  static const char* names[] = {"", "", "ell=+1", "ell=-1", "window n=min", "window n=max", "window T=min", "window T=max"};
  return e.test == 0 ? piece.lower_edge : e.test == 1 ? piece.upper_edge : names[e.test];
}

class FoldCurveBuilder {
 public:
  FoldCurveBuilder(const TwoMemoryParameters& p, const FoldCurveOptions& o)
      : p_(p), o_(o), pieces_(smooth_pieces(p, o.diagram.alpha_min, o.diagram.alpha_max)) {
    s_.parameters = p;
    s_.options = o;
  }
  FoldCurveSummary build();

 private:
  bool on_known_curve(const Eigen::Vector4d& y, int chart) const;
  void continue_fold(const SpecialPoint& fold, int piece, double T);

  TwoMemoryParameters p_;
  FoldCurveOptions o_;
  std::vector<SmoothPiece> pieces_;
  FoldCurveSummary s_;
};

// On a traced curve of the same chart: within 1e-3 of one of its segments in
// the scaled space (the curve is traced with steps <= ds_max).
bool FoldCurveBuilder::on_known_curve(const Eigen::Vector4d& y, int chart) const {
  const Eigen::Vector4d scale(1, 1, o_.n_max - o_.n_min, o_.T_max - o_.T_min);
  const Eigen::Vector4d z = y.cwiseQuotient(scale);
  for (const auto& c : s_.curves) {
    if (c.chart != chart) continue;
    for (std::size_t i = 0; i + 1 < c.points.size(); ++i) {
      const auto& a = c.points[i];
      const auto& b = c.points[i + 1];
      const Eigen::Vector4d za = Eigen::Vector4d(a.alpha, a.ell, a.n, a.T).cwiseQuotient(scale);
      const Eigen::Vector4d zb = Eigen::Vector4d(b.alpha, b.ell, b.n, b.T).cwiseQuotient(scale);
      const Eigen::Vector4d d = zb - za;
      const double w = d.squaredNorm() > 0 ? std::clamp((z - za).dot(d) / d.squaredNorm(), 0.0, 1.0) : 0.0;
      if ((za + w * d - z).norm() < 1e-3) return true;
    }
  }
  return false;
}

void FoldCurveBuilder::continue_fold(const SpecialPoint& fold, int piece, double T) {
  const FoldCurveProblem problem = problem_for(p_, pieces_[piece], o_);
  const FoldTracer tracer(problem, trace_options(o_));
  const Eigen::Vector4d y0(fold.alpha, fold.ell, fold.n, T);
  const Eigen::Vector4d up(0, 0, 0, 1);
  const Trace forward = tracer.run(y0, up);
  const bool loop = !forward.events.empty() && forward.events.back().kind == TraceEvent::kClosedLoop;
  const Trace backward = loop ? Trace{} : tracer.run(y0, -up);
  FoldCurve curve;
  curve.id = int(s_.curves.size());
  curve.chart = pieces_[piece].chart;
  curve.found_from = fmt::format("fold at n={:.6g}, T={:.6g} (alpha={:.4f}, ell={:.4f})", fold.n, T, fold.alpha, fold.ell);
  curve.ends = {fold_end(backward, pieces_[piece]), fold_end(forward, pieces_[piece])};
  const auto add = [&](const Trace& t, bool reversed) {
    const int count = int(t.points.size());
    for (int j = 0; j < count; ++j) {
      if (reversed && j == count - 1) continue;
      const auto& y = t.points[reversed ? count - 1 - j : j].y;
      curve.points.push_back({curve.id, y(2), y(3), y(0), chart_alpha_B(curve.chart, y(0)), y(1), curve.chart});
    }
  };
  add(backward, true);
  add(forward, false);
  for (const Trace* t : {&backward, &forward}) {
    find_cusps(tracer, *t, o_, curve.chart, curve.id, s_.special_points);
    if (t->events.empty()) continue;
    const TraceEvent& e = t->events.back();
    if (e.kind == TraceEvent::kTest) {
      SpecialPoint sp = fold_special(SpecialPointType::kBoundary, e.y, curve.chart, curve.id, fold_end(*t, pieces_[piece]));
      sp.converged = e.converged;
      sp.residual = e.residual;
      s_.special_points.push_back(sp);
    } else if (e.kind == TraceEvent::kFailure || e.kind == TraceEvent::kMaxSteps) {
      s_.warnings.push_back(fmt::format("fold curve {} stopped at n={:.6g}, T={:.6g}: {}", curve.id, e.y(2), e.y(3), e.message));
    }
  }
  s_.curves.push_back(std::move(curve));
}

}  // namespace

bool FoldCurveOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) {
    if (why) *why = std::move(m);
    return false;
  };
  if (!(std::isfinite(n_min) && std::isfinite(n_max) && n_min > 0 && n_min < n_max))
    return fail(fmt::format("empty or inverted n range {}:{} (need 0 < A < B)", n_min, n_max));
  if (!(std::isfinite(T_min) && std::isfinite(T_max) && T_min > 0 && T_min < T_max))
    return fail(fmt::format("empty or inverted T range {}:{} (need 0 < A < B)", T_min, T_max));
  if (seed_T_values < 2 || seed_T_values > 1000) return fail(fmt::format("seed T values = {} must be in 2..1000", seed_T_values));
  if (!(ds_min > 0 && ds_min <= ds && ds <= ds_max && ds_max <= 0.5))
    return fail(fmt::format("steps must satisfy 0 < ds_min <= ds <= ds_max <= 0.5 (got {}, {}, {})", ds_min, ds, ds_max));
  if (map_n_cells < 1 || map_T_cells < 1 || map_n_cells * map_T_cells > 1000000)
    return fail(fmt::format("map cells {}x{} must be positive and at most 10^6 in all", map_n_cells, map_T_cells));
  if (!(grid_resolution >= 1e-5 && grid_resolution <= 0.5))
    return fail(fmt::format("grid resolution {} must be in [1e-5, 0.5]", grid_resolution));
  return true;
}

RegionCell count_on_diagram(const DiagramSummary& d, double n) {
  RegionCell cell{n, d.parameters.T, 0, 0};
  for (const Branch& b : d.branches) {
    for (std::size_t i = 0; i + 1 < b.rows.size(); ++i) {
      const BranchRow &r0 = b.rows[i], &r1 = b.rows[i + 1];
      // Half-open brackets, so that a row exactly at n is counted once.
      if (!((r0.n <= n && n < r1.n) || (r1.n <= n && n < r0.n))) continue;
      ++cell.total;
      const BranchRow& nearer = std::abs(r0.n - n) <= std::abs(r1.n - n) ? r0 : r1;
      cell.stable += nearer.stability == Stability::kStable;
    }
  }
  return cell;
}

namespace {

// Connected regions (4-neighbours) of equal stable count, each labelled at its
// node closest to the region's centroid.
std::vector<RegionLabel> label_regions(const std::vector<RegionCell>& map, int n_nodes, int T_nodes) {
  std::vector<int> region(map.size(), -1);
  std::vector<RegionLabel> labels;
  for (int start = 0; start < int(map.size()); ++start) {
    if (region[start] >= 0) continue;
    const int id = int(labels.size());
    std::vector<int> stack = {start}, members;
    region[start] = id;
    while (!stack.empty()) {
      const int k = stack.back();
      stack.pop_back();
      members.push_back(k);
      const int i = k / T_nodes, j = k % T_nodes;
      const int next[4][2] = {{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}};
      for (const auto& nb : next) {
        if (nb[0] < 0 || nb[0] >= n_nodes || nb[1] < 0 || nb[1] >= T_nodes) continue;
        const int m = nb[0] * T_nodes + nb[1];
        if (region[m] < 0 && map[m].stable == map[start].stable) region[m] = id, stack.push_back(m);
      }
    }
    double cn = 0, cT = 0;
    for (int k : members) cn += double(k / T_nodes), cT += double(k % T_nodes);
    cn /= members.size();
    cT /= members.size();
    int best = members[0];
    for (int k : members)
      if (std::hypot(k / T_nodes - cn, k % T_nodes - cT) < std::hypot(best / T_nodes - cn, best % T_nodes - cT)) best = k;
    labels.push_back({map[best].n, map[best].T, map[start].stable, int(members.size())});
  }
  return labels;
}

// The map row by row (one T per row): `row(T, ns)` counts at every n of the row.
void fill_map(FoldCurveSummary& s, const std::function<std::vector<RegionCell>(double, const std::vector<double>&)>& row) {
  const auto start = std::chrono::steady_clock::now();
  const auto& o = s.options;
  const int n_nodes = o.map_n_cells + 1, T_nodes = o.map_T_cells + 1;
  std::vector<double> ns(n_nodes);
  for (int i = 0; i < n_nodes; ++i) ns[i] = o.n_min + (o.n_max - o.n_min) * i / o.map_n_cells;
  s.map.assign(std::size_t(n_nodes) * T_nodes, RegionCell{});
  for (int j = 0; j < T_nodes; ++j) {
    const double T = o.T_min + (o.T_max - o.T_min) * j / o.map_T_cells;
    const std::vector<RegionCell> cells = row(T, ns);
    for (int i = 0; i < n_nodes; ++i) s.map[std::size_t(i) * T_nodes + j] = cells[i];
    if (o.on_progress) o.on_progress(j + 1, T_nodes);
  }
  s.regions = label_regions(s.map, n_nodes, T_nodes);
  s.map_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void validate(const TwoMemoryParameters& p, const FoldCurveOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  for (double n : {o.n_min, o.n_max})
    for (double T : {o.T_min, o.T_max}) {
      TwoMemoryParameters q = p;
      q.n = n;
      q.T = T;
      q.Validate();
    }
}

}  // namespace

FoldCurveSummary FoldCurveBuilder::build() {
  const auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < o_.seed_T_values; ++k) {
    const double T = o_.T_min + (o_.T_max - o_.T_min) * k / (o_.seed_T_values - 1);
    DiagramOptions d = o_.diagram;
    d.parameter = BifurcationParameter::kN;
    d.from = o_.n_min;
    d.to = o_.n_max;
    d.on_progress = nullptr;
    TwoMemoryParameters q = p_;
    q.T = T;
    const DiagramSummary diagram = compute_diagram(q, d);
    for (const auto& w : diagram.warnings) s_.warnings.push_back(fmt::format("diagram at T={:g}: {}", T, w));
    for (const SpecialPoint& fold : diagram.folds()) {
      if (fold.where != "interior" || !fold.converged) continue;
      ++s_.folds_found;
      const int piece = piece_index(pieces_, fold.chart, fold.alpha);
      if (piece < 0) continue;
      if (on_known_curve(Eigen::Vector4d(fold.alpha, fold.ell, fold.n, T), fold.chart)) {
        ++s_.folds_on_known_curve;
        continue;
      }
      continue_fold(fold, piece, T);
    }
  }
  std::sort(s_.special_points.begin(), s_.special_points.end(), [](const auto& a, const auto& b) { return a.n < b.n; });
  s_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Counts from the complete diagram in n at each T of the map (branches are
  // followed, so sharp equilibria at low T are not missed as by a point search).
  if (o_.region_map)
    fill_map(s_, [&](double T, const std::vector<double>& ns) {
      DiagramOptions d = o_.diagram;
      d.parameter = BifurcationParameter::kN;
      d.from = o_.n_min;
      d.to = o_.n_max;
      d.on_progress = nullptr;
      TwoMemoryParameters q = p_;
      q.T = T;
      const DiagramSummary diagram = compute_diagram(q, d);
      for (const auto& w : diagram.warnings) s_.warnings.push_back(fmt::format("map diagram at T={:g}: {}", T, w));
      std::vector<RegionCell> cells;
      const double inside = 1e-9 * (o_.n_max - o_.n_min);  // the window's ends are counted just inside
      for (double n : ns) {
        cells.push_back(count_on_diagram(diagram, std::clamp(n, o_.n_min + inside, o_.n_max - inside)));
        cells.back().n = n;
      }
      return cells;
    });
  s_.run = true;
  return std::move(s_);
}

FoldCurveSummary compute_fold_curves(const TwoMemoryParameters& p, const FoldCurveOptions& o) {
  validate(p, o);
  return FoldCurveBuilder(p, o).build();
}

FoldCurveSummary grid_fold_map(const TwoMemoryParameters& p, const FoldCurveOptions& o) {
  validate(p, o);
  FoldCurveSummary s;
  s.method = DiagramMethod::kGrid;
  s.parameters = p;
  s.options = o;
  fill_map(s, [&](double T, const std::vector<double>& ns) {
    std::vector<RegionCell> cells;
    for (double n : ns) {
      TwoMemoryParameters q = p;
      q.n = n;
      q.T = T;
      RegionCell cell{n, T, 0, 0};
      for (const BranchRow& r : grid_equilibria(q, o.grid_resolution, true, o.diagram.alpha_min, o.diagram.alpha_max)) {
        if (r.chart == -1 && std::abs(std::abs(r.alpha) - 1) < o.grid_resolution) continue;  // alpha_B = 0: counted on chart +1
        ++cell.total;
        cell.stable += r.stability == Stability::kStable;
      }
      cells.push_back(cell);
    }
    return cells;
  });
  s.seconds = s.map_seconds;
  s.run = true;
  return s;
}

std::vector<SpecialPoint> fold_crossings_at_T(const FoldCurveSummary& s, double T0) {
  std::vector<SpecialPoint> out;
  const auto pieces = smooth_pieces(s.parameters, s.options.diagram.alpha_min, s.options.diagram.alpha_max);
  const Eigen::Vector4d scale(1, 1, s.options.n_max - s.options.n_min, s.options.T_max - s.options.T_min);
  for (const FoldCurve& c : s.curves) {
    for (std::size_t i = 0; i + 1 < c.points.size(); ++i) {
      const auto& a = c.points[i];
      const auto& b = c.points[i + 1];
      if ((a.T - T0) * (b.T - T0) > 0 || a.T == b.T) continue;
      if (b.T == T0 && i + 2 < c.points.size()) continue;  // counted with the next segment
      const double w = (T0 - a.T) / (b.T - a.T);
      Eigen::Vector4d z = Eigen::Vector4d(a.alpha + w * (b.alpha - a.alpha), a.ell + w * (b.ell - a.ell),
                                          a.n + w * (b.n - a.n), T0).cwiseQuotient(scale);
      const int piece = piece_index(pieces, c.chart, z(0));
      if (piece < 0) continue;
      const FoldCurveProblem problem = problem_for(s.parameters, pieces[piece], s.options);
      const FoldTracer tracer(problem, trace_options(s.options));
      SpecialPoint sp;
      sp.converged = tracer.locate(z, [&](const Eigen::Vector4d& v) { return (v(3) * scale(3) - T0) / scale(3); }, &sp.residual);
      sp = [&] {
        SpecialPoint x = fold_special(SpecialPointType::kFold, z.cwiseProduct(scale), c.chart, c.id, "interior");
        x.converged = sp.converged;
        x.residual = sp.residual;
        return x;
      }();
      out.push_back(sp);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.n < b.n; });
  return out;
}

std::string FoldCurveSummary::BriefReport() const {
  if (!run) return "fold curves not run";
  int cusps = 0, ends = 0;
  for (const auto& sp : special_points) (sp.type == SpecialPointType::kCusp ? cusps : ends)++;
  std::string regions_text;
  for (const auto& r : regions) regions_text += fmt::format("{}{}", regions_text.empty() ? "" : ",", r.stable);
  return fmt::format("n in [{:g}, {:g}], T in [{:g}, {:g}] (Tr in [{:.4g}, {:.4g}]): {} fold curves from {} folds "
                     "({} on known curves), {} cusps, {} curve ends; regions by stable count: [{}]{}",
                     options.n_min, options.n_max, options.T_min, options.T_max, options.T_min / parameters.num_pixels,
                     options.T_max / parameters.num_pixels, curves.size(), folds_found, folds_on_known_curve, cusps, ends,
                     regions_text, warnings.empty() ? "" : fmt::format("; INCOMPLETE: {} warnings", warnings.size()));
}

nlohmann::json FoldCurveSummary::ToJson() const {
  nlohmann::json j;
  j["method"] = ToString(method);
  j["brief"] = BriefReport();
  j["complete"] = complete();
  j["folds_found"] = folds_found;
  j["folds_on_known_curve"] = folds_on_known_curve;
  j["warnings"] = warnings;
  j["seconds"] = seconds;
  j["map_seconds"] = map_seconds;
  for (const auto& c : curves)
    j["curves"].push_back({{"id", c.id}, {"chart", c.chart}, {"points", c.points.size()}, {"found_from", c.found_from},
                           {"ends", {c.ends[0], c.ends[1]}}});
  for (const auto& r : regions)
    j["regions"].push_back({{"stable", r.stable}, {"cells", r.cells}, {"n", r.n}, {"T", r.T}});
  return j;
}

std::string fold_curves_csv(const FoldCurveSummary& s) {
  std::ostringstream csv;
  csv << "curve,n,T,Tr,alpha,ell,alpha_B,chart\n";
  for (const auto& c : s.curves)
    for (const auto& p : c.points)
      csv << fmt::format("{},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{:.12g},{}\n", p.curve, p.n, p.T,
                         p.T / s.parameters.num_pixels, p.alpha, p.ell, p.alpha_B + 0.0, p.chart);
  return csv.str();
}

std::string fold_special_points_csv(const FoldCurveSummary& s) {
  DiagramSummary d;
  d.parameters = s.parameters;
  d.special_points = s.special_points;
  return special_points_csv(d);
}

std::string region_map_csv(const FoldCurveSummary& s) {
  std::ostringstream csv;
  csv << "n,T,Tr,stable,total\n";
  for (const auto& c : s.map)
    csv << fmt::format("{:.10g},{:.10g},{:.10g},{},{}\n", c.n, c.T, c.T / s.parameters.num_pixels, c.stable, c.total);
  return csv.str();
}

}  // namespace waddington::reduced
