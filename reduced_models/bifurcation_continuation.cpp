// The complete diagram by continuation: seeds from the robust equilibrium
// search at several parameter values, each seed not already on a traced
// branch continued both ways on its smooth piece; branches reaching a piece
// edge are continued on the neighbouring piece, branches reaching ell = +-1 on
// the boundary (1-D problem), so that disconnected branches and boundary
// branches are all found. Stability comes from the real flow's eigenvalues.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>

#include "lib/errors.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_problems.hpp"
#include "reduced_models/bifurcation_tracer.hpp"

namespace waddington::reduced {
namespace {

using detail::BoundaryBranchProblem;
using detail::InteriorBranchProblem;
using detail::Trace;
using detail::TraceEvent;

// A start for a branch: a point of one piece (interior, or on ell = ell_bound).
struct Seed {
  int piece = 0;
  FixedPointKind kind = FixedPointKind::kInterior;
  double ell_bound = 0;
  double alpha = 0, ell = 0, value = 0;  // value: the continuation parameter
  std::string origin;
};

class DiagramBuilder {
 public:
  DiagramBuilder(const TwoMemoryParameters& p, const DiagramOptions& o) : p_(p), o_(o) {
    s_.method = DiagramMethod::kContinuation;
    s_.parameters = p;
    s_.options = o;
    s_.pieces = smooth_pieces(p, o.alpha_min, o.alpha_max);
    for (int chart : {+1, -1}) {
      TwoMemoryParameters q = p;
      q.chart = chart;
      for (const auto& d : dead_regions(q, o.alpha_min, o.alpha_max)) s_.dead_regions.push_back(d);
    }
  }

  DiagramSummary build();

 private:
  const char* name() const { return ToString(o_.parameter); }
  double value_of(const BranchRow& r) const { return o_.parameter == BifurcationParameter::kN ? r.n : r.T; }
  TwoMemoryParameters at(double value, int chart) const {
    TwoMemoryParameters q = at_parameter(p_, o_.parameter, value);
    q.chart = chart;
    return q;
  }
  int piece_of(int chart, double alpha) const;
  bool polish(const Seed& seed, double x[2]) const;
  bool near_polyline(const std::vector<BranchRow>& rows, const Seed& seed) const;
  void start_seed();
  void collect_seeds();
  bool on_known_branch(const Seed& seed) const;
  void continue_seed(const Seed& seed);
  template <class Problem>
  std::pair<Trace, Trace> trace_both_ways(const Problem& problem, const Eigen::VectorXd& y0) const;
  BranchRow row_at(const Seed& like, double alpha, double ell, double value, int iterations, double step) const;
  void record_events(const Trace& t, const Seed& seed, int branch);
  SpecialPoint special_point(SpecialPointType type, const Seed& like, double alpha, double ell, double value,
                             int branch, std::string where) const;
  void add_special(SpecialPoint sp);
  void neighbour_seed(const Seed& from, double alpha, double ell, double value, bool upper_edge);

  TwoMemoryParameters p_;
  DiagramOptions o_;
  DiagramSummary s_;
  std::deque<Seed> queue_;
  std::vector<Seed> branch_seeds_;  // the seed behind each branch (piece, kind)
};

int DiagramBuilder::piece_of(int chart, double alpha) const {
  for (std::size_t i = 0; i < s_.pieces.size(); ++i) {
    const SmoothPiece& piece = s_.pieces[i];
    if (piece.chart == chart && alpha > piece.alpha_min && alpha < piece.alpha_max) return int(i);
  }
  return -1;
}

// The user's start point: one seed at `from`, polished by Newton.
void DiagramBuilder::start_seed() {
  const auto [alpha, ell] = *o_.start;
  const int piece = piece_of(p_.chart, alpha);
  if (piece < 0) {
    s_.warnings.push_back(fmt::format("start alpha={:g} (chart {:+d}) lies in the dead region or on a piece edge: no "
                                      "equilibrium there", alpha, p_.chart));
    return;
  }
  Seed seed{piece, FixedPointKind::kInterior, 0.0, alpha, ell, o_.from, ""};
  double x[2] = {alpha, ell};
  if (!polish(seed, x) || std::abs(x[1]) > 1 || piece_of(p_.chart, x[0]) != piece ||
      std::max(std::abs(x[0] - alpha), std::abs(x[1] - ell)) > 0.1) {
    s_.warnings.push_back(fmt::format("no equilibrium near the start (alpha={:g}, ell={:g}) at {}={:g}: Newton did not "
                                      "converge there; use the seed search (no --start) or another start",
                                      alpha, ell, name(), o_.from));
    return;
  }
  seed.alpha = x[0];
  seed.ell = x[1];
  seed.origin = fmt::format("start at {}={:.6g} (alpha={:.4f}, ell={:.4f})", name(), o_.from, x[0], x[1]);
  s_.seed_values = 1;
  s_.seeds_found = 1;
  queue_.push_back(seed);
}

void DiagramBuilder::collect_seeds() {
  if (o_.start) return start_seed();
  s_.seed_values = o_.seed_values;
  for (int k = 0; k < o_.seed_values; ++k) {
    const double value = o_.from + (o_.to - o_.from) * k / (o_.seed_values - 1);
    for (int chart : {+1, -1}) {
      FixedPointOptions search = o_.seed_search;
      search.alpha_min = o_.alpha_min;
      search.alpha_max = o_.alpha_max;
      search.boundary = o_.boundary;
      search.splitting = false;
      for (const FixedPoint& f : find_fixed_points(at(value, chart), search).fixed_points) {
        const int piece = piece_of(chart, f.alpha);
        if (piece < 0) continue;  // exactly on a piece edge: found from the neighbouring branch
        ++s_.seeds_found;
        queue_.push_back({piece, f.kind, f.kind == FixedPointKind::kBoundary ? f.ell : 0.0, f.alpha, f.ell, value,
                          fmt::format("seed at {}={:.6g} (alpha={:.4f}, ell={:.4f}, chart {:+d})", name(), value,
                                      f.alpha, f.ell, chart)});
      }
    }
    if (o_.on_progress) o_.on_progress(k + 1, 2 * o_.seed_values);
  }
}

// Newton at the seed's parameter value on its piece (x = alpha, ell; ell
// stays on the bound for a boundary seed). True when it converged.
bool DiagramBuilder::polish(const Seed& seed, double x[2]) const {
  const TwoMemoryParameters q = at(seed.value, s_.pieces[seed.piece].chart);
  const bool interior = seed.kind == FixedPointKind::kInterior;
  for (int it = 0; it < 40; ++it) {
    using Jet = ceres::Jet<double, 2>;
    Jet F[2];
    if (!detail::piece_numerator(q, detail::piece_sign(s_.pieces[seed.piece]), Jet(x[0], 0),
                                 interior ? Jet(x[1], 1) : Jet(seed.ell_bound), Jet(q.n), Jet(q.T), F))
      return false;
    const double residual = interior ? std::max(std::abs(F[0].a), std::abs(F[1].a)) : std::abs(F[0].a);
    if (residual <= o_.tolerance) return true;
    if (!interior) {
      x[0] -= F[0].a / F[0].v(0);
    } else {
      Eigen::Matrix2d J;
      J << F[0].v(0), F[0].v(1), F[1].v(0), F[1].v(1);
      const Eigen::Vector2d dx = J.fullPivLu().solve(-Eigen::Vector2d(F[0].a, F[1].a));
      x[0] += dx(0);
      x[1] += dx(1);
    }
    if (!std::isfinite(x[0]) || !std::isfinite(x[1])) return false;
  }
  return false;
}

// Within 2e-3 of the branch's polyline in the scaled space (alpha, ell,
// parameter / window): the rows are at most ds_max apart, so a seed on the
// branch is closer than that even next to a fold, where no segment may
// bracket the seed's parameter value.
bool DiagramBuilder::near_polyline(const std::vector<BranchRow>& rows, const Seed& seed) const {
  const double scale = o_.to - o_.from;
  const Eigen::Vector3d z(seed.alpha, seed.ell, seed.value / scale);
  for (std::size_t i = 0; i + 1 < rows.size(); ++i) {
    const Eigen::Vector3d a(rows[i].alpha, rows[i].ell, value_of(rows[i]) / scale);
    const Eigen::Vector3d d = Eigen::Vector3d(rows[i + 1].alpha, rows[i + 1].ell, value_of(rows[i + 1]) / scale) - a;
    const double w = d.squaredNorm() > 0 ? std::clamp((z - a).dot(d) / d.squaredNorm(), 0.0, 1.0) : 0.0;
    if ((a + w * d - z).norm() < 2e-3) return true;
  }
  return false;
}

// A seed lies on a traced branch of its piece when Newton at the seed's
// parameter value, started from the branch interpolated there, lands on it.
bool DiagramBuilder::on_known_branch(const Seed& seed) const {
  for (std::size_t b = 0; b < s_.branches.size(); ++b) {
    const Seed& owner = branch_seeds_[b];
    if (owner.piece != seed.piece || owner.kind != seed.kind || owner.ell_bound != seed.ell_bound) continue;
    const auto& rows = s_.branches[b].rows;
    if (near_polyline(rows, seed)) return true;
    for (std::size_t i = 0; i + 1 < rows.size(); ++i) {
      const double v0 = value_of(rows[i]), v1 = value_of(rows[i + 1]);
      const double eps = 1e-9 * (o_.to - o_.from);  // end points located twice agree to ~1e-12
      if (seed.value < std::min(v0, v1) - eps || seed.value > std::max(v0, v1) + eps) continue;
      const double w = v1 == v0 ? 0.0 : std::clamp((seed.value - v0) / (v1 - v0), 0.0, 1.0);
      double x[2] = {rows[i].alpha + w * (rows[i + 1].alpha - rows[i].alpha),
                     rows[i].ell + w * (rows[i + 1].ell - rows[i].ell)};
      if (std::max(std::abs(x[0] - seed.alpha), std::abs(x[1] - seed.ell)) > 0.05) continue;
      polish(seed, x);
      if (std::max(std::abs(x[0] - seed.alpha), std::abs(x[1] - seed.ell)) <= o_.duplicate_distance) return true;
    }
  }
  return false;
}

template <class Problem>
std::pair<Trace, Trace> DiagramBuilder::trace_both_ways(const Problem& problem, const Eigen::VectorXd& y0) const {
  detail::TraceOptions t;
  t.ds = o_.ds;
  t.ds_min = o_.ds_min;
  t.ds_max = o_.ds_max;
  t.max_steps = o_.max_steps;
  t.tolerance = o_.tolerance;
  t.scale = Eigen::VectorXd::Ones(y0.size());
  t.scale(y0.size() - 1) = o_.to - o_.from;
  t.fold_coordinate = int(y0.size()) - 1;
  Eigen::VectorXd up = Eigen::VectorXd::Zero(y0.size());
  up(y0.size() - 1) = 1;
  Trace forward = detail::trace(problem, y0, up, t);
  if (!forward.events.empty() && forward.events.back().kind == TraceEvent::kClosedLoop) return {forward, Trace{}};
  return {forward, detail::trace(problem, y0, Eigen::VectorXd(-up), t)};
}

BranchRow DiagramBuilder::row_at(const Seed& like, double alpha, double ell, double value, int iterations,
                                 double step) const {
  const int chart = s_.pieces[like.piece].chart;
  const TwoMemoryParameters q = at(value, chart);
  const FixedPoint f = analyse_fixed_point(q, alpha, ell, like.kind, false);  // the real flow's Jacobian
  BranchRow r;
  r.n = q.n;
  r.T = q.T;
  r.alpha = alpha;
  r.alpha_B = chart_alpha_B(chart, alpha);
  r.ell = like.kind == FixedPointKind::kBoundary ? like.ell_bound : ell;
  r.stability = f.stability;
  r.chart = chart;
  r.kind = like.kind;
  r.eig1 = f.eigenvalues(0).real();
  r.eig2 = f.eigenvalues(1).real();
  r.newton_iterations = iterations;
  r.step = step;
  return r;
}

SpecialPoint DiagramBuilder::special_point(SpecialPointType type, const Seed& like, double alpha, double ell,
                                           double value, int branch, std::string where) const {
  const int chart = s_.pieces[like.piece].chart;
  const TwoMemoryParameters q = at(value, chart);
  SpecialPoint sp;
  sp.type = type;
  sp.n = q.n;
  sp.T = q.T;
  sp.alpha = alpha;
  sp.alpha_B = chart_alpha_B(chart, alpha);
  sp.ell = ell;
  sp.chart = chart;
  sp.branch = branch;
  sp.where = std::move(where);
  return sp;
}

void DiagramBuilder::add_special(SpecialPoint sp) {
  for (const auto& other : s_.special_points)
    if (other.type == sp.type && other.chart == sp.chart && std::abs(other.alpha - sp.alpha) < 1e-7 &&
        std::abs(other.ell - sp.ell) < 1e-7 && std::abs(other.n - sp.n) < 1e-7 * std::max(1.0, sp.n) &&
        std::abs(other.T - sp.T) < 1e-7 * sp.T)
      return;
  s_.special_points.push_back(std::move(sp));
}

// Queues the continuation of a branch across a piece edge: the same point
// seen from the neighbouring piece (the other chart at alpha = +-1).
void DiagramBuilder::neighbour_seed(const Seed& from, double alpha, double ell, double value, bool upper_edge) {
  const SmoothPiece& piece = s_.pieces[from.piece];
  const double edge = upper_edge ? piece.alpha_max : piece.alpha_min;
  const bool chart_edge = std::abs(std::abs(edge) - 1.0) < 1e-12;
  const int chart = chart_edge ? -piece.chart : piece.chart;
  const double inside = chart_edge ? edge - 1e-9 * edge : edge + (upper_edge ? 1e-9 : -1e-9);
  const int next = piece_of(chart, inside);
  if (next < 0 || next == from.piece) return;
  queue_.push_back({next, from.kind, from.ell_bound, alpha, ell, value,
                    fmt::format("continued across {} from branch {}", upper_edge ? piece.upper_edge : piece.lower_edge,
                                s_.branches.size() - 1)});
}

void DiagramBuilder::record_events(const Trace& t, const Seed& seed, int branch) {
  const bool interior = seed.kind == FixedPointKind::kInterior;
  const SmoothPiece& piece = s_.pieces[seed.piece];
  for (const TraceEvent& e : t.events) {
    const double alpha = e.y(0), ell = interior ? e.y(1) : seed.ell_bound, value = e.y(e.y.size() - 1);
    const std::string bound = interior ? "interior" : fmt::format("ell={:+g}", seed.ell_bound);
    if (e.kind == TraceEvent::kFold || e.kind == TraceEvent::kBranchPoint) {
      SpecialPoint sp = special_point(e.kind == TraceEvent::kFold ? SpecialPointType::kFold : SpecialPointType::kBranchPoint,
                                      seed, alpha, ell, value, branch, bound);
      sp.converged = e.converged;
      sp.residual = e.residual;
      sp.test_value = e.test_value;
      if (e.kind == TraceEvent::kFold && !e.converged)
        s_.warnings.push_back(fmt::format("fold near {}={:.6g} on branch {}: localisation did not converge", name(), value, branch));
      add_special(sp);
    } else if (e.kind == TraceEvent::kTest) {
      // Interior tests: 0,1 edges, 2,3 ell = +-1, 4,5 window. Boundary: 0,1 edges, 2,3 window, 4 label released.
      const int window_first = interior ? 4 : 2;
      if (e.test >= window_first && e.test <= window_first + 1) continue;
      std::string where;
      if (e.test <= 1) where = e.test == 0 ? piece.lower_edge : piece.upper_edge;
      else if (interior) where = e.test == 2 ? "ell=+1" : "ell=-1";
      else where = fmt::format("ell={:+g} (label released)", seed.ell_bound);
      SpecialPoint sp = special_point(SpecialPointType::kBoundary, seed, alpha, ell, value, branch, where);
      sp.converged = e.converged;
      sp.residual = e.residual;
      add_special(sp);
      if (!e.converged) {
        s_.warnings.push_back(fmt::format("boundary {} near {}={:.6g} on branch {}: localisation did not converge",
                                          where, name(), value, branch));
        continue;
      }
      if (e.test <= 1) neighbour_seed(seed, alpha, ell, value, e.test == 1);
      else if (interior && o_.boundary)  // connect to the boundary branch through the contact point
        queue_.push_back({seed.piece, FixedPointKind::kBoundary, e.test == 2 ? 1.0 : -1.0, alpha, ell, value,
                          fmt::format("contact of branch {} with {}", branch, where)});
    } else if (e.kind == TraceEvent::kFailure || e.kind == TraceEvent::kMaxSteps) {
      s_.warnings.push_back(fmt::format("branch {} stopped at {}={:.6g} (alpha={:.4f}): {}", branch, name(), value,
                                        alpha, e.message));
    }
  }
}

// Why a trace stopped, in words: the domain test's name, or the message.
std::string end_reason(const Trace& t, const char* name, const SmoothPiece& piece, bool interior) {
  if (t.events.empty()) return "";
  const TraceEvent& e = t.events.back();
  if (e.kind != TraceEvent::kTest) return e.message;
  const std::vector<std::string> names =
      interior ? std::vector<std::string>{piece.lower_edge, piece.upper_edge, "ell=+1", "ell=-1", "window", "window"}
               : std::vector<std::string>{piece.lower_edge, piece.upper_edge, "window", "window", "label released"};
  return fmt::format("{} at {}={:.6g}", names[e.test], name, e.y(e.y.size() - 1));
}

void DiagramBuilder::continue_seed(const Seed& seed) {
  const SmoothPiece& piece = s_.pieces[seed.piece];
  TwoMemoryParameters q = p_;
  q.chart = piece.chart;
  std::pair<Trace, Trace> traces;
  if (seed.kind == FixedPointKind::kInterior) {
    InteriorBranchProblem problem{q, o_.parameter, piece, o_.from, o_.to};
    traces = trace_both_ways(problem, Eigen::Vector3d(seed.alpha, seed.ell, seed.value));
  } else {
    BoundaryBranchProblem problem{q, o_.parameter, piece, seed.ell_bound, o_.from, o_.to};
    traces = trace_both_ways(problem, Eigen::Vector2d(seed.alpha, seed.value));
  }
  auto& [forward, backward] = traces;
  const int id = int(s_.branches.size());
  Branch branch;
  branch.id = id;
  branch.chart = piece.chart;
  branch.kind = seed.kind;
  branch.ell_bound = seed.ell_bound;
  branch.found_from = seed.origin;
  const bool interior = seed.kind == FixedPointKind::kInterior;
  branch.ends = {end_reason(backward, name(), piece, interior), end_reason(forward, name(), piece, interior)};
  const auto add_rows = [&](const Trace& t, bool reversed) {
    const int count = int(t.points.size());
    for (int j = 0; j < count; ++j) {
      const auto& point = t.points[reversed ? count - 1 - j : j];
      if (reversed && j == count - 1) continue;  // the seed itself comes with the forward trace
      const double ell = seed.kind == FixedPointKind::kInterior ? point.y(1) : seed.ell_bound;
      if (!branch.rows.empty() && std::abs(branch.rows.back().alpha - point.y(0)) < 1e-12 &&
          std::abs(branch.rows.back().ell - ell) < 1e-12 &&
          std::abs(value_of(branch.rows.back()) - point.y(point.y.size() - 1)) < 1e-12 * (o_.to - o_.from))
        continue;  // a trace that stopped at its start repeats the seed
      branch.rows.push_back(row_at(seed, point.y(0), ell, point.y(point.y.size() - 1), point.newton_iterations, point.step));
      branch.rows.back().branch = id;
    }
  };
  add_rows(backward, true);
  add_rows(forward, false);
  double extent = 0;
  for (const auto& r : branch.rows)
    extent = std::max({extent, std::abs(r.alpha - seed.alpha), std::abs(value_of(r) - seed.value) / (o_.to - o_.from)});
  if (branch.rows.size() < 2 || extent < 1e-9) return;  // only touches this piece at its start
  s_.branches.push_back(std::move(branch));
  branch_seeds_.push_back(seed);
  ++s_.seeds_continued;
  record_events(backward, seed, id);
  record_events(forward, seed, id);
}

DiagramSummary DiagramBuilder::build() {
  const auto start = std::chrono::steady_clock::now();
  collect_seeds();
  const int total = int(queue_.size());
  while (!queue_.empty()) {
    const Seed seed = queue_.front();
    queue_.pop_front();
    if (on_known_branch(seed)) {
      if (seed.origin.rfind("seed", 0) == 0) ++s_.seeds_on_known_branch;
      continue;
    }
    continue_seed(seed);
    if (o_.on_progress) o_.on_progress(o_.seed_values + int(o_.seed_values * (1.0 - double(queue_.size()) / std::max(total, 1))),
                                       2 * o_.seed_values);
  }
  std::sort(s_.special_points.begin(), s_.special_points.end(), [&](const auto& a, const auto& b) {
    return o_.parameter == BifurcationParameter::kN ? a.n < b.n : a.T < b.T;
  });
  if (s_.branches.empty() && s_.warnings.empty())
    s_.warnings.push_back(fmt::format("no equilibrium found in the {} window [{:g}, {:g}]", name(), o_.from, o_.to));
  s_.run = true;
  s_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::move(s_);
}

}  // namespace

DiagramSummary compute_diagram(const TwoMemoryParameters& p, const DiagramOptions& options) {
  p.Validate();
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  at_parameter(p, options.parameter, options.from).Validate();
  at_parameter(p, options.parameter, options.to).Validate();
  return DiagramBuilder(p, options).build();
}

}  // namespace waddington::reduced
