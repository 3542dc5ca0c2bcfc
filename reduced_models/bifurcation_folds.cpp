// Fold curves in (n, T) by two-parameter continuation of the minimally
// extended system, cusps, ends, and the map of stable-equilibrium counts.
#include "reduced_models/bifurcation_folds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <sstream>

#include "continuation/fold_curve.hpp"
#include "lib/errors.hpp"
#include "reduced_models/bifurcation_problems.hpp"
#include "reduced_models/fold_regions.hpp"

namespace waddington::reduced {
namespace {

using detail::FoldCurveProblem;
namespace cont = continuation;

int piece_index(const std::vector<SmoothPiece>& pieces, int chart, double alpha) {
  for (std::size_t i = 0; i < pieces.size(); ++i)
    if (pieces[i].chart == chart && alpha > pieces[i].alpha_min && alpha < pieces[i].alpha_max) return int(i);
  return -1;
}

// The engine works in (alpha, ell, n / n_scale, T / T_scale): the window is the unit square in (n, T).
double n_scale(const FoldPlaneOptions& o) { return o.n_max - o.n_min; }
double T_scale(const FoldPlaneOptions& o) { return o.T_max - o.T_min; }

cont::FoldCurveOptions engine_options(const FoldPlaneOptions& o) {
  cont::FoldCurveOptions f;
  f.p1_min = o.n_min / n_scale(o);
  f.p1_max = o.n_max / n_scale(o);
  f.detect_cusps = true;
  cont::ContinuationOptions& c = f.continuation;
  c = o.continuation;
  c.p_min = o.T_min / T_scale(o);
  c.p_max = o.T_max / T_scale(o);
  c.locate_tolerance = c.newton_tolerance;
  c.detect_folds = false;  // turning points of the curve in T are not special for the diagram
  c.detect_branch_points = false;
  return f;
}

FoldCurveProblem problem_for(const TwoMemoryParameters& p, const SmoothPiece& piece, const FoldPlaneOptions& o) {
  TwoMemoryParameters q = p;
  q.chart = piece.chart;
  return FoldCurveProblem(q, piece, n_scale(o), T_scale(o));
}

// A point of a fold curve with its residual: max(|F|_inf, |det F_x|) (both vanish on the curve).
DiagramPoint fold_special(SpecialPointType type, const FoldCurveProblem& problem, const FoldPlaneOptions& o,
                          const cont::Vector& x, double p1, double p2, int chart, int curve, std::string where) {
  DiagramPoint sp;
  sp.type = type;
  sp.alpha = x(0);
  sp.ell = x(1);
  sp.n = p1 * n_scale(o);
  sp.T = p2 * T_scale(o);
  sp.alpha_B = chart_alpha_B(chart, x(0));
  sp.chart = chart;
  sp.branch = curve;
  sp.where = std::move(where);
  cont::Vector f;
  cont::Matrix j;
  if (problem.evaluate(x, p1, p2, &f, &j)) {
    sp.test_value = j.leftCols(2).determinant();
    sp.residual = std::max(f.lpNorm<Eigen::Infinity>(), std::abs(sp.test_value));
  } else {
    sp.residual = NAN;
  }
  return sp;
}

// Why one half of a fold curve stopped, and where (a special point), or a warning.
std::string fold_end(const cont::FoldCurveResult& r, const FoldCurveProblem& problem) {
  if (r.special_points.empty()) return r.message;
  const cont::FoldCurvePoint& e = r.special_points.back();
  if (r.termination == cont::Termination::kLeftDomain && e.type == cont::SpecialPointType::kBoundary)
    return e.boundary == -1 ? "window n=min" : e.boundary == -2 ? "window n=max" : problem.boundary_name(e.boundary);
  if (r.termination == cont::Termination::kReachedParameterBound)
    return e.message.rfind("reached p_min", 0) == 0 ? "window T=min" : "window T=max";
  if (r.termination == cont::Termination::kClosedLoop) return "closed loop";
  return fmt::format("{}: {}", ToString(r.termination), r.message);
}

class FoldCurveBuilder {
 public:
  FoldCurveBuilder(const TwoMemoryParameters& p, const FoldPlaneOptions& o, std::span<const DiagramSummary> given)
      : p_(p), o_(o), pieces_(smooth_pieces(p, o.diagram.alpha_min, o.diagram.alpha_max)), given_(given) {
    s_.parameters = p;
    s_.options = o;
  }
  FoldCurveSummary build();
  // The curves of the diagram's folds that lie on no traced curve, traced;
  // its warnings taken (a seed diagram in n at one of the seed T values) when
  // `take_warnings` (a seed column's, in T, only adds seeds).
  void trace_from(const DiagramSummary& diagram, bool take_warnings = true);
  // The summary of the curves traced (no region map).
  FoldCurveSummary curves_only();

 private:
  // A curve traced from one fold, not yet numbered (id and the curve field of
  // its points and special points are set when it is kept).
  struct Traced {
    FoldCurve curve;
    std::vector<DiagramPoint> special_points;
    std::vector<std::string> warnings;  // each follows "fold curve <id> "
  };
  bool on_known_curve(const Eigen::Vector4d& y, int chart) const;
  Traced continue_fold(const DiagramPoint& fold, int piece, double T) const;
  void keep(Traced traced);
  void label_by_faces();
  bool map_from_faces();
  std::vector<RegionCell> row_counts(const DiagramSummary& diagram, const std::vector<double>& ns) const;
  RegionCell region_count(double n, double T);
  DiagramSummary diagram_in_n(double T) const;
  void take_warnings(const DiagramSummary& diagram, const char* what);
  std::vector<DiagramSummary> diagrams_in_n(const std::vector<double>& Ts) const;
  std::vector<DiagramSummary> diagrams_in_T(const std::vector<double>& ns) const;

  TwoMemoryParameters p_;
  FoldPlaneOptions o_;
  std::vector<SmoothPiece> pieces_;
  std::span<const DiagramSummary> given_;  // diagrams in n at some of the seed T values
  std::vector<DiagramSummary> seed_diagrams_;  // at the seed T values, for the map rows at the same T
  mutable std::atomic<int> diagrams_computed_{0};  // diagrams in n computed (not given, not a seed diagram again)
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

FoldCurveBuilder::Traced FoldCurveBuilder::continue_fold(const DiagramPoint& fold, int piece, double T) const {
  const FoldCurveProblem problem = problem_for(p_, pieces_[piece], o_);
  cont::FoldCurveOptions options = engine_options(o_);
  const cont::Vector x0 = Eigen::Vector2d(fold.alpha, fold.ell);
  const double p1 = fold.n / n_scale(o_), p2 = T / T_scale(o_);
  options.continuation.direction = +1;
  const cont::FoldCurveResult forward = cont::continue_fold_curve(problem, x0, p1, p2, options);
  options.continuation.direction = -1;
  const bool loop = forward.termination == cont::Termination::kClosedLoop;
  const cont::FoldCurveResult backward = loop ? cont::FoldCurveResult{} : cont::continue_fold_curve(problem, x0, p1, p2, options);
  Traced t;
  FoldCurve& curve = t.curve;
  curve.chart = pieces_[piece].chart;
  curve.found_from = fmt::format("fold at n={:.6g}, T={:.6g} (alpha={:.4f}, ell={:.4f})", fold.n, T, fold.alpha, fold.ell);
  curve.ends = {loop ? "" : fold_end(backward, problem), fold_end(forward, problem)};
  const auto add = [&](const cont::FoldCurveResult& r, bool reversed) {
    const int count = int(r.rows.size());
    for (int j = 0; j < count; ++j) {
      if (reversed && j == count - 1) continue;  // the start comes with the forward half
      const auto& row = r.rows[reversed ? count - 1 - j : j];
      curve.points.push_back({0, row.p1 * n_scale(o_), row.p2 * T_scale(o_), row.x(0),
                              chart_alpha_B(curve.chart, row.x(0)), row.x(1), curve.chart});
    }
  };
  add(backward, true);
  add(forward, false);
  for (const cont::FoldCurveResult* r : {&backward, &forward}) {
    if (r->termination == cont::Termination::kNotRun) continue;
    for (const cont::FoldCurvePoint& e : r->special_points) {
      if (e.type == cont::SpecialPointType::kCusp) {
        DiagramPoint sp = fold_special(SpecialPointType::kCusp, problem, o_, e.x, e.p1, e.p2, curve.chart, 0, "interior");
        sp.converged = e.converged;
        t.special_points.push_back(sp);
      }
    }
    if (r->termination == cont::Termination::kLeftDomain || r->termination == cont::Termination::kReachedParameterBound) {
      const cont::FoldCurvePoint& e = r->special_points.back();
      DiagramPoint sp = fold_special(SpecialPointType::kBoundary, problem, o_, e.x, e.p1, e.p2, curve.chart, 0,
                                     fold_end(*r, problem));
      sp.converged = e.converged;
      t.special_points.push_back(sp);
    } else if (!r->IsComplete()) {
      const double n = r->rows.empty() ? fold.n : r->rows.back().p1 * n_scale(o_);
      const double TT = r->rows.empty() ? T : r->rows.back().p2 * T_scale(o_);
      t.warnings.push_back(fmt::format("stopped at n={:.6g}, T={:.6g}: {}", n, TT, fold_end(*r, problem)));
    }
  }
  return t;
}

// A traced curve joins the summary, numbered next.
void FoldCurveBuilder::keep(Traced t) {
  const int id = int(s_.curves.size());
  t.curve.id = id;
  for (FoldCurveSample& q : t.curve.points) q.curve = id;
  for (DiagramPoint& sp : t.special_points) sp.branch = id, s_.special_points.push_back(std::move(sp));
  for (const std::string& w : t.warnings) s_.warnings.push_back(fmt::format("fold curve {} {}", id, w));
  s_.curves.push_back(std::move(t.curve));
}

}  // namespace

bool FoldPlaneOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) {
    if (why) *why = std::move(m);
    return false;
  };
  if (!(std::isfinite(n_min) && std::isfinite(n_max) && n_min > 0 && n_min < n_max))
    return fail(fmt::format("empty or inverted n range {}:{} (need 0 < A < B)", n_min, n_max));
  if (!(std::isfinite(T_min) && std::isfinite(T_max) && T_min > 0 && T_min < T_max))
    return fail(fmt::format("empty or inverted T range {}:{} (need 0 < A < B)", T_min, T_max));
  if (seed_T_values < 2 || seed_T_values > 1000) return fail(fmt::format("search T values = {} must be in 2..1000", seed_T_values));
  if (seed_n_values < 0 || seed_n_values > 1000) return fail(fmt::format("search n values = {} must be in 0..1000", seed_n_values));
  if (std::string inner; !continuation_options_valid(continuation, &inner)) return fail(inner);
  if (std::string inner; !diagram.IsValid(&inner)) return fail("diagrams in n: " + inner);
  if (region_map && !diagram.row_stability)
    return fail("the region map counts stable equilibria: its diagrams in n need row_stability");
  if (map_check_rows < 0) return fail(fmt::format("map check rows = {} must be 0 (every row) or positive", map_check_rows));
  if (map_n_cells < 1 || map_T_cells < 1 || map_n_cells * map_T_cells > 1000000)
    return fail(fmt::format("map cells {}x{} must be positive and at most 10^6 in all", map_n_cells, map_T_cells));
  if (!(grid_resolution >= 1e-5 && grid_resolution <= 0.5))
    return fail(fmt::format("grid resolution {} must be in [1e-5, 0.5]", grid_resolution));
  return true;
}

continuation::ContinuationOptions FoldPlaneOptions::DefaultContinuation() {
  continuation::ContinuationOptions c = DiagramOptions::DefaultContinuation();
  c.ds_min = 1e-8;
  return c;
}

nlohmann::json FoldPlaneOptions::ToJson() const {
  return {{"n_range", {n_min, n_max}},
          {"T_range", {T_min, T_max}},
          {"search_T_values", seed_T_values},
          {"search_n_values", seed_n_values},
          {"diagram", diagram.ToJson()},
          {"continuation", continuation_json(continuation)},
          {"region_map", region_map},
          {"map_check_rows", map_check_rows},
          {"map_cells", {map_n_cells, map_T_cells}},
          {"grid_resolution", grid_resolution}};
}

RegionCell count_on_diagram(const DiagramSummary& d, double n) {
  RegionCell cell{n, d.parameters.T, 0, 0};
  for (const Branch& b : d.branches) {
    for (std::size_t i = 0; i + 1 < b.rows.size(); ++i) {
      const DiagramRow &r0 = b.rows[i], &r1 = b.rows[i + 1];
      // Half-open brackets, so that a row exactly at n is counted once.
      if (!((r0.n <= n && n < r1.n) || (r1.n <= n && n < r0.n))) continue;
      ++cell.total;
      const DiagramRow& nearer = std::abs(r0.n - n) <= std::abs(r1.n - n) ? r0 : r1;
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

// The map's nodes: n at every column, T at every row.
std::vector<double> map_n_values(const FoldPlaneOptions& o) {
  std::vector<double> ns(o.map_n_cells + 1);
  for (int i = 0; i <= o.map_n_cells; ++i) ns[i] = o.n_min + (o.n_max - o.n_min) * i / o.map_n_cells;
  return ns;
}
double map_T_value(const FoldPlaneOptions& o, int j) { return o.T_min + (o.T_max - o.T_min) * j / o.map_T_cells; }

// True when the seed temperatures are map rows (seed_T_values below).
bool seeds_on_map_rows(const FoldPlaneOptions& o) { return o.region_map && o.map_T_cells + 1 >= o.seed_T_values; }

// `count` map rows spread over the window, ends included.
std::vector<int> spread_rows(const FoldPlaneOptions& o, int count) {
  const int T_nodes = o.map_T_cells + 1;
  count = std::min(count, T_nodes);
  std::vector<int> rows;
  for (int k = 0; k < count; ++k) rows.push_back(count == 1 ? 0 : int(std::lround(double(k) * (T_nodes - 1) / (count - 1))));
  return rows;
}

// The seed temperatures: equally spaced, ends included; with a map whose rows
// can hold them, the nearest map rows (the rows the map's check counts, so
// that their diagrams are the seed diagrams; docs/numerics.md §10).
std::vector<double> seed_T_values(const FoldPlaneOptions& o) {
  std::vector<double> Ts;
  if (seeds_on_map_rows(o)) {
    for (int j : spread_rows(o, o.seed_T_values)) Ts.push_back(map_T_value(o, j));
    return Ts;
  }
  for (int k = 0; k < o.seed_T_values; ++k) Ts.push_back(o.T_min + (o.T_max - o.T_min) * k / (o.seed_T_values - 1));
  return Ts;
}

// The rows the map's check counts (FoldPlaneOptions::map_check_rows > 0): the
// seed rows, and map_check_rows rows midway between two seed rows (at most one
// per gap, the gaps spread over the window), which no seed diagram has seen.
// Without seed rows (a map with fewer rows than seed T values): every row.
std::vector<int> check_rows(const FoldPlaneOptions& o, std::vector<bool>* is_seed_row) {
  const int T_nodes = o.map_T_cells + 1;
  std::vector<int> rows;
  is_seed_row->assign(T_nodes, false);
  if (!seeds_on_map_rows(o)) {
    for (int j = 0; j < T_nodes; ++j) rows.push_back(j);
    return rows;
  }
  const std::vector<int> seeds = spread_rows(o, o.seed_T_values);
  for (int j : seeds) (*is_seed_row)[j] = true;
  std::vector<int> midway;  // one per gap of at least one row between two seed rows
  for (std::size_t k = 0; k + 1 < seeds.size(); ++k)
    if (seeds[k + 1] - seeds[k] >= 2) midway.push_back((seeds[k] + seeds[k + 1]) / 2);
  const int extra = std::min<int>(o.map_check_rows, int(midway.size()));
  std::vector<int> chosen;
  for (int k = 0; k < extra; ++k)
    chosen.push_back(midway[extra == 1 ? midway.size() / 2 : std::size_t(std::lround(double(k) * (midway.size() - 1) / (extra - 1)))]);
  rows = seeds;
  rows.insert(rows.end(), chosen.begin(), chosen.end());
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

// The counts of a complete diagram in n at `n`; the window's ends are counted just inside.
RegionCell count_inside(const DiagramSummary& diagram, const FoldPlaneOptions& o, double n) {
  const double inside = 1e-9 * (o.n_max - o.n_min);
  return count_on_diagram(diagram, std::clamp(n, o.n_min + inside, o.n_max - inside));
}

// The map row by row (one T per row): `rows(Ts, ns)` counts at every n of the
// rows at Ts (a batch of rows per call, so that they can run on all cores).
using MapRows = std::function<std::vector<std::vector<RegionCell>>(const std::vector<double>&, const std::vector<double>&)>;
void fill_map(FoldCurveSummary& s, const MapRows& rows) {
  const auto start = std::chrono::steady_clock::now();
  const auto& o = s.options;
  const int n_nodes = o.map_n_cells + 1, T_nodes = o.map_T_cells + 1;
  const std::vector<double> ns = map_n_values(o);
  s.map.assign(std::size_t(n_nodes) * T_nodes, RegionCell{});
  constexpr int kBatch = 8;  // rows per call: progress is reported between batches
  for (int j0 = 0; j0 < T_nodes; j0 += kBatch) {
    std::vector<double> Ts;
    for (int j = j0; j < std::min(j0 + kBatch, T_nodes); ++j) Ts.push_back(map_T_value(o, j));
    const std::vector<std::vector<RegionCell>> cells = rows(Ts, ns);
    for (int b = 0; b < int(Ts.size()); ++b)
      for (int i = 0; i < n_nodes; ++i) s.map[std::size_t(i) * T_nodes + j0 + b] = cells[b][i];
    if (o.on_progress) o.on_progress(j0 + int(Ts.size()), T_nodes);
  }
  s.regions = label_regions(s.map, n_nodes, T_nodes);
  s.map_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void validate(const TwoMemoryParameters& p, const FoldPlaneOptions& o) {
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

// The complete diagram in n over the window at temperature T (count audit,
// no fold-curve check, no splitting: only its folds and counts are used), or
// a given one or a seed diagram when it is at T (map rows at the window's
// ends and seed T values, e.g. T_min and T_max, are).
DiagramSummary FoldCurveBuilder::diagram_in_n(double T) const {
  const auto at_T = [T](const DiagramSummary& d) { return std::abs(d.parameters.T - T) <= 1e-12 * T; };
  const auto compute = [&](const std::vector<double>& seeds) {
    DiagramOptions d = o_.diagram;
    d.parameter = BifurcationParameter::kN;
    d.from = o_.n_min;
    d.to = o_.n_max;
    d.on_progress = nullptr;
    d.fold_curve_check = false;  // these diagrams are what the fold curves start from
    d.extra_seed_values.insert(d.extra_seed_values.end(), seeds.begin(), seeds.end());
    TwoMemoryParameters q = p_;
    q.T = T;
    ++diagrams_computed_;
    return detail::continuation_diagram(q, d);
  };
  const DiagramSummary* known = nullptr;
  for (const DiagramSummary& d : given_)  // (one without stabilities cannot count a map row)
    if (known == nullptr && at_T(d) && (d.options.row_stability || !o_.region_map)) known = &d;
  for (const DiagramSummary& d : seed_diagrams_)
    if (known == nullptr && at_T(d)) known = &d;
  DiagramSummary diagram = known != nullptr ? *known : compute({});
  // Once the curves are traced (the map's rows and faces), a diagram without a
  // fold where the curves cross its T is computed again, seeded beside those
  // crossings: the pair born there may live between its count checks
  // (docs/numerics.md §10).
  if (s_.curves.empty()) return diagram;
  const std::vector<double> seeds = seeds_beside_missed_folds(diagram, fold_crossings_at_T(s_, T), o_.n_min, o_.n_max);
  return seeds.empty() ? diagram : compute(seeds);
}

// The diagram's warnings become the summary's, prefixed with `what`.
void FoldCurveBuilder::take_warnings(const DiagramSummary& diagram, const char* what) {
  for (const auto& w : diagram.warnings)
    s_.warnings.push_back(fmt::format("{} at T={:g}: {}", what, diagram.parameters.T, w));
}

namespace {

// make(k) for k < count, on all cores (each independent; the results in the
// order of k, as computed one by one). The first exception is rethrown here.
template <class Make>
std::vector<DiagramSummary> on_all_cores(std::size_t count, const Make& make) {
  std::vector<DiagramSummary> out(count);
  std::vector<std::exception_ptr> errors(count);
#pragma omp parallel for schedule(dynamic, 1)
  for (int k = 0; k < int(count); ++k) {
    try {
      out[k] = make(k);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

}  // namespace

// The diagrams in n at every T of `Ts` (e.g. a T outside the valid range throws).
std::vector<DiagramSummary> FoldCurveBuilder::diagrams_in_n(const std::vector<double>& Ts) const {
  return on_all_cores(Ts.size(), [&](int k) { return diagram_in_n(Ts[k]); });
}

// Diagrams in T over the window at every n of `ns`, folds only (no row analysis).
std::vector<DiagramSummary> FoldCurveBuilder::diagrams_in_T(const std::vector<double>& ns) const {
  return on_all_cores(ns.size(), [&](int k) {
    DiagramOptions d = o_.diagram;
    d.parameter = BifurcationParameter::kT;
    d.from = o_.T_min;
    d.to = o_.T_max;
    d.on_progress = nullptr;
    d.fold_curve_check = false;
    d.row_stability = false;
    TwoMemoryParameters q = p_;
    q.n = ns[k];
    ++diagrams_computed_;
    return detail::continuation_diagram(q, d);
  });
}

FoldCurveSummary FoldCurveBuilder::build() {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<double> seed_T = seed_T_values(o_);
  seed_diagrams_ = diagrams_in_n(seed_T);
  for (const DiagramSummary& diagram : seed_diagrams_) trace_from(diagram);
  std::vector<double> seed_n;
  for (int k = 0; k < o_.seed_n_values; ++k)
    seed_n.push_back(o_.seed_n_values == 1 ? 0.5 * (o_.n_min + o_.n_max)
                                           : o_.n_min + (o_.n_max - o_.n_min) * k / (o_.seed_n_values - 1));
  // (Their warnings, e.g. a branch that cannot start at T_r 0.3, do not make
  // the curves incomplete: the columns only add seeds to the rows'.)
  for (const DiagramSummary& diagram : diagrams_in_T(seed_n)) trace_from(diagram, false);
  std::sort(s_.special_points.begin(), s_.special_points.end(), [](const auto& a, const auto& b) { return a.n < b.n; });
  s_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o_.region_map && !map_from_faces()) {
    // Counts from the complete diagram in n at each T of the map (branches are
    // followed, so sharp equilibria at low T are not missed as by a point search).
    fill_map(s_, [&](const std::vector<double>& Ts, const std::vector<double>& ns) {
      const std::vector<DiagramSummary> diagrams = diagrams_in_n(Ts);
      std::vector<std::vector<RegionCell>> rows;
      for (const DiagramSummary& d : diagrams) take_warnings(d, "map diagram"), rows.push_back(row_counts(d, ns));
      return rows;
    });
    label_by_faces();
  }
  s_.diagrams_computed = diagrams_computed_;
  // Counts that change off a fold curve: the map and the faces disagree, and
  // which is right is not known here (the run is incomplete, and says where).
  if (!s_.map_disagreements.empty())
    s_.warnings.push_back(fmt::format("the map's counts disagree with the fold curves' faces at {} of {} nodes "
                                      "(first: {})",
                                      s_.map_disagreements.size(), s_.map_nodes_checked, s_.map_disagreements.front()));
  s_.termination = s_.warnings.empty() ? AnalysisTermination::kComplete : AnalysisTermination::kIncomplete;
  return std::move(s_);
}

// The folds' curves are traced at once (OpenMP tasks: in parallel inside an
// enclosing parallel region, e.g. the fold-curve check's; one by one
// otherwise), then kept in the order of the folds, a fold on a curve kept
// before it being on a known curve: the same curves as tracing one by one,
// at the cost of tracing twice a curve that passes through two new folds.
void FoldCurveBuilder::trace_from(const DiagramSummary& diagram, bool take) {
  if (take) take_warnings(diagram, "diagram");
  std::vector<std::pair<DiagramPoint, int>> fresh;  // folds on no curve known before, and their piece
  for (const DiagramPoint& fold : diagram.folds()) {
    if (fold.where != "interior" || !fold.converged) continue;
    ++s_.folds_found;
    const int piece = piece_index(pieces_, fold.chart, fold.alpha);
    if (piece < 0) continue;
    if (on_known_curve(Eigen::Vector4d(fold.alpha, fold.ell, fold.n, fold.T), fold.chart)) {
      ++s_.folds_on_known_curve;
      continue;
    }
    fresh.push_back({fold, piece});
  }
  std::vector<Traced> traced(fresh.size());
  std::vector<std::exception_ptr> failed(fresh.size());  // an exception must not leave a task
  for (std::size_t k = 0; k < fresh.size(); ++k) {
#pragma omp task shared(traced, fresh, failed) firstprivate(k) if (fresh.size() > 1)
    try {
      traced[k] = continue_fold(fresh[k].first, fresh[k].second, fresh[k].first.T);
    } catch (...) {
      failed[k] = std::current_exception();
    }
  }
#pragma omp taskwait
  for (const std::exception_ptr& e : failed)
    if (e) std::rethrow_exception(e);
  for (std::size_t k = 0; k < fresh.size(); ++k) {
    const DiagramPoint& fold = fresh[k].first;
    if (k > 0 && on_known_curve(Eigen::Vector4d(fold.alpha, fold.ell, fold.n, fold.T), fold.chart)) {
      ++s_.folds_on_known_curve;
      continue;
    }
    keep(std::move(traced[k]));
  }
}

FoldCurveSummary FoldCurveBuilder::curves_only() {
  std::sort(s_.special_points.begin(), s_.special_points.end(), [](const auto& a, const auto& b) { return a.n < b.n; });
  s_.termination = s_.warnings.empty() ? AnalysisTermination::kComplete : AnalysisTermination::kIncomplete;
  return std::move(s_);
}

// The stable and total counts at every n of a map row, from the complete diagram in n at its T.
std::vector<RegionCell> FoldCurveBuilder::row_counts(const DiagramSummary& diagram, const std::vector<double>& ns) const {
  std::vector<RegionCell> cells;
  for (double n : ns) {
    cells.push_back(count_inside(diagram, o_, n));
    cells.back().n = n;
  }
  return cells;
}

// The counts at one point (a face's label), from the complete diagram in n at T.
RegionCell FoldCurveBuilder::region_count(double n, double T) {
  const DiagramSummary diagram = diagram_in_n(T);
  take_warnings(diagram, "region diagram");
  return count_inside(diagram, o_, n);
}

// The map from the faces of the fold curves (FoldPlaneOptions::map_check_rows;
// docs/numerics.md §10): the check rows (check_rows) are counted by complete
// diagrams (a seed row takes its seed diagram); each face takes the counts of
// its counted node farthest from the curves (a face without one within a map
// cell of them: one diagram at its widest node), every counted node is checked
// against its face, and every node gets its face's counts. False (nothing
// done) when the faces are not exact.
bool FoldCurveBuilder::map_from_faces() {
  if (o_.map_check_rows <= 0) return false;
  const auto start = std::chrono::steady_clock::now();
  const int n_nodes = o_.map_n_cells + 1, T_nodes = o_.map_T_cells + 1;
  const std::vector<double> ns = map_n_values(o_);
  const auto row_T = [&](int j) { return map_T_value(o_, j); };
  s_.map.assign(std::size_t(n_nodes) * T_nodes, RegionCell{0, 0, -1, -1});
  for (int i = 0; i < n_nodes; ++i)
    for (int j = 0; j < T_nodes; ++j) s_.map[std::size_t(i) * T_nodes + j].n = ns[i], s_.map[std::size_t(i) * T_nodes + j].T = row_T(j);
  // The check rows, counted by complete diagrams (a seed row takes its seed diagram).
  std::vector<bool> is_seed_row;
  const std::vector<int> rows = check_rows(o_, &is_seed_row);
  std::vector<double> check_T;
  for (int j : rows) check_T.push_back(row_T(j));
  const std::vector<DiagramSummary> check_diagrams = diagrams_in_n(check_T);  // on all cores
  for (std::size_t k = 0; k < rows.size(); ++k) {
    // A seed row's diagram gave its warnings already, unless it was computed
    // again beside the curves' crossings (diagram_in_n: then it has more seeds).
    const bool recomputed = check_diagrams[k].options.extra_seed_values.size() > o_.diagram.extra_seed_values.size();
    if (!is_seed_row[rows[k]] || recomputed) take_warnings(check_diagrams[k], "map diagram");
    const std::vector<RegionCell> counted = row_counts(check_diagrams[k], ns);
    for (int i = 0; i < n_nodes; ++i) s_.map[std::size_t(i) * T_nodes + rows[k]] = counted[i];
    if (o_.on_progress) o_.on_progress(int(k) + 1, int(rows.size()));
  }
  const FoldRegions faces = fold_regions(s_, [&](double n, double T) { return region_count(n, T); });
  if (!faces.exact) {
    s_.map.clear();
    return false;
  }
  for (std::size_t k = 0; k < s_.map.size(); ++k)
    if (const int r = faces.node_region[k]; r >= 0) s_.map[k].stable = faces.regions[r].stable, s_.map[k].total = faces.regions[r].total;
  s_.regions = faces.regions;
  s_.regions_from = "fold curves";
  s_.map_nodes_checked = faces.nodes_checked;
  s_.map_disagreements = faces.disagreements;
  s_.map_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return true;
}

// The regions as the faces of the curves (fold_regions.hpp); the map's
// connected components stay when the curves do not allow it.
void FoldCurveBuilder::label_by_faces() {
  s_.regions_from = "map components";
  const FoldRegions faces = fold_regions(s_, [&](double n, double T) { return region_count(n, T); });
  if (!faces.exact) {
    s_.regions_from += " (" + faces.why_not_exact + ")";
    return;
  }
  s_.regions = faces.regions;
  s_.regions_from = "fold curves";
  s_.map_nodes_checked = faces.nodes_checked;
  s_.map_disagreements = faces.disagreements;
}

std::vector<double> fold_seed_T_values(const FoldPlaneOptions& o) { return seed_T_values(o); }

struct FoldCurveTracer::Impl {
  FoldCurveBuilder builder;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double seconds = 0;  // in add()
};

FoldCurveTracer::FoldCurveTracer(const TwoMemoryParameters& p, const FoldPlaneOptions& o) {
  validate(p, o);
  FoldPlaneOptions curves_only = o;
  curves_only.region_map = false;
  impl_.reset(new Impl{FoldCurveBuilder(p, curves_only, {})});  // (the builder cannot move)
}

FoldCurveTracer::~FoldCurveTracer() = default;

void FoldCurveTracer::add(const DiagramSummary& seed_diagram) {
  const auto start = std::chrono::steady_clock::now();
  impl_->builder.trace_from(seed_diagram);
  impl_->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

FoldCurveSummary FoldCurveTracer::finish() {
  FoldCurveSummary s = impl_->builder.curves_only();
  s.seconds = impl_->seconds;
  return s;
}

FoldCurveSummary compute_fold_curves(const TwoMemoryParameters& p, const FoldPlaneOptions& o,
                                     std::span<const DiagramSummary> given) {
  validate(p, o);
  return FoldCurveBuilder(p, o, given).build();
}

FoldCurveSummary grid_fold_map(const TwoMemoryParameters& p, const FoldPlaneOptions& o) {
  validate(p, o);
  FoldCurveSummary s;
  s.method = DiagramMethod::kGrid;
  s.parameters = p;
  s.options = o;
  int unknown = 0, total = 0;
  std::string first_unknown;
  fill_map(s, [&](const std::vector<double>& Ts, const std::vector<double>& ns) {
    std::vector<std::vector<RegionCell>> rows;
    for (double T : Ts) {
    std::vector<RegionCell> cells;
    for (double n : ns) {
      TwoMemoryParameters q = p;
      q.n = n;
      q.T = T;
      RegionCell cell{n, T, 0, 0};
      for (const DiagramRow& r : grid_equilibria(q, o.grid_resolution, true, o.diagram.alpha_min, o.diagram.alpha_max)) {
        if (r.chart == -1 && std::abs(std::abs(r.alpha) - 1) < o.grid_resolution) continue;  // alpha_B = 0: counted on chart +1
        ++cell.total;
        cell.stable += r.stability == Stability::kStable;
        ++total;
        if (r.stability == Stability::kUnknown && unknown++ == 0)
          first_unknown = fmt::format("n={:.6g} T={:.6g} alpha={:.4f} ell={:.4f}", n, T, r.alpha, r.ell);
      }
      cells.push_back(cell);
    }
    rows.push_back(std::move(cells));
    }
    return rows;
  });
  s.seconds = s.map_seconds;
  if (unknown > 0) s.warnings.push_back(grid_unknown_warning(unknown, total, first_unknown));
  s.termination = s.warnings.empty() ? AnalysisTermination::kComplete : AnalysisTermination::kIncomplete;
  return s;
}

bool same_fold(const DiagramPoint& a, const DiagramPoint& b) {
  return a.chart == b.chart && std::abs(a.n - b.n) <= 1e-6 * std::max(1.0, std::abs(a.n)) &&
         std::abs(a.alpha - b.alpha) <= 1e-4 && std::abs(a.ell - b.ell) <= 1e-4;
}

std::vector<double> seeds_beside_missed_folds(const DiagramSummary& diagram, const std::vector<DiagramPoint>& crossings,
                                              double from, double to, int* matched) {
  std::vector<DiagramPoint> folds;
  for (const DiagramPoint& f : diagram.folds())
    if (f.where == "interior") folds.push_back(f);
  std::vector<double> seeds;
  int found = 0;
  for (const DiagramPoint& x : crossings) {
    if (std::any_of(folds.begin(), folds.end(), [&](const DiagramPoint& f) { return same_fold(f, x); })) {
      ++found;
      continue;
    }
    for (double offset : {1e-4, 1e-3, 1e-2})
      for (double side : {-1.0, 1.0}) {
        const double v = x.n + side * offset * (to - from);
        if (v > from && v < to) seeds.push_back(v);
      }
  }
  if (matched) *matched = found;
  return seeds;
}

std::vector<DiagramPoint> fold_crossings_at_T(const FoldCurveSummary& s, double T0) {
  std::vector<DiagramPoint> out;
  const auto pieces = smooth_pieces(s.parameters, s.options.diagram.alpha_min, s.options.diagram.alpha_max);
  for (const FoldCurve& c : s.curves) {
    for (std::size_t i = 0; i + 1 < c.points.size(); ++i) {
      const auto& a = c.points[i];
      const auto& b = c.points[i + 1];
      if ((a.T - T0) * (b.T - T0) > 0 || a.T == b.T) continue;
      if (b.T == T0 && i + 2 < c.points.size()) continue;  // counted with the next segment
      const double w = (T0 - a.T) / (b.T - a.T);
      const double alpha = a.alpha + w * (b.alpha - a.alpha), ell = a.ell + w * (b.ell - a.ell), n = a.n + w * (b.n - a.n);
      const int piece = piece_index(pieces, c.chart, alpha);
      if (piece < 0) continue;
      // The engine corrects the start of a fold curve at fixed T (= T0): that is the crossing.
      const FoldCurveProblem problem = problem_for(s.parameters, pieces[piece], s.options);
      cont::FoldCurveOptions options = engine_options(s.options);
      options.continuation.max_steps = 1;
      options.p1_min = -1e300;
      options.p1_max = 1e300;
      options.continuation.p_min = -1e300;
      options.continuation.p_max = 1e300;
      const double p2 = T0 / T_scale(s.options);
      const cont::FoldCurveResult r =
          cont::continue_fold_curve(problem, Eigen::Vector2d(alpha, ell), n / n_scale(s.options), p2, options);
      if (r.rows.empty()) {
        DiagramPoint sp = fold_special(SpecialPointType::kFold, problem, s.options, Eigen::Vector2d(alpha, ell),
                                       n / n_scale(s.options), p2, c.chart, c.id, "interior");
        sp.converged = false;
        out.push_back(sp);
        continue;
      }
      const cont::FoldCurveRow& start = r.rows.front();
      DiagramPoint sp = fold_special(SpecialPointType::kFold, problem, s.options, start.x, start.p1, start.p2, c.chart,
                                     c.id, "interior");
      sp.converged = start.p2 == p2 && sp.residual <= 1e-10;
      out.push_back(sp);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.n < b.n; });
  return out;
}

std::string FoldCurveSummary::BriefReport() const {
  if (termination == AnalysisTermination::kNotRun) return "fold curves not run";
  int cusps = 0, ends = 0;
  for (const auto& sp : special_points) (sp.type == SpecialPointType::kCusp ? cusps : ends)++;
  std::string regions_text;
  for (const auto& r : regions) regions_text += fmt::format("{}{}", regions_text.empty() ? "" : ",", r.stable);
  std::string text = fmt::format(
      "n in [{:g}, {:g}], T in [{:g}, {:g}] (Tr in [{:.4g}, {:.4g}]): {} fold curves from {} folds "
      "({} on known curves), {} cusps, {} curve ends; regions by stable count: [{}]{}",
      options.n_min, options.n_max, options.T_min, options.T_max, options.T_min / parameters.num_pixels,
      options.T_max / parameters.num_pixels, curves.size(), folds_found, folds_on_known_curve, cusps, ends,
      regions_text, warnings.empty() ? "" : fmt::format("; INCOMPLETE: {} warnings", warnings.size()));
  if (!regions_from.empty()) {
    text += fmt::format("\nregions: {} from the {}", regions.size(), regions_from);
    if (regions_from == "fold curves")
      text += map_disagreements.empty()
                  ? fmt::format("; the map agrees with them at all {} nodes", map_nodes_checked)
                  : fmt::format("; the map DISAGREES at {} of {} nodes (first: {})", map_disagreements.size(),
                                map_nodes_checked, map_disagreements.front());
  }
  return text;
}

nlohmann::json FoldCurveSummary::ToJson() const {
  nlohmann::json j;
  j["method"] = ToString(method);
  j["brief"] = BriefReport();
  j["complete"] = complete();
  j["termination"] = ToString(termination);
  j["folds_found"] = folds_found;
  j["folds_on_known_curve"] = folds_on_known_curve;
  j["warnings"] = warnings;
  j["seconds"] = seconds;
  j["map_seconds"] = map_seconds;
  j["diagrams_computed"] = diagrams_computed;
  j["regions_from"] = regions_from;
  j["map_nodes_checked"] = map_nodes_checked;
  j["map_disagreements"] = map_disagreements;
  for (const auto& c : curves)
    j["curves"].push_back({{"id", c.id}, {"chart", c.chart}, {"points", c.points.size()}, {"found_from", c.found_from},
                           {"ends", {c.ends[0], c.ends[1]}}});
  for (const auto& r : regions)
    j["regions"].push_back({{"stable", r.stable}, {"total", r.total}, {"cells", r.cells}, {"n", r.n}, {"T", r.T}});
  return j;
}

}  // namespace waddington::reduced
