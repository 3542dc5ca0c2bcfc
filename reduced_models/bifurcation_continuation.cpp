// The complete diagram by continuation (the generic engine of continuation/:
// continue_branch, branch_switch): seeds from the robust equilibrium
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
#include <limits>
#include <memory>

#include "continuation/branch_switch.hpp"
#include "continuation/pseudo_arclength.hpp"
#include "lib/errors.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_problems.hpp"

namespace waddington::reduced {
namespace {

using detail::BoundaryBranchProblem;
using detail::InteriorBranchProblem;
using continuation::ContinuationResult;

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
  // The engine's parameter: the window mapped onto [0, 1] (offset, then scale,
  // so that a narrow window far from 0 keeps its resolution).
  double to_p(double value) const { return (value - o_.from) / (o_.to - o_.from); }
  double to_value(double p) const { return o_.from + p * (o_.to - o_.from); }
  double value_of(const DiagramRow& r) const { return o_.parameter == BifurcationParameter::kN ? r.n : r.T; }
  TwoMemoryParameters at(double value, int chart) const {
    TwoMemoryParameters q = at_parameter(p_, o_.parameter, value);
    q.chart = chart;
    return q;
  }
  int piece_of(int chart, double alpha) const;
  bool polish(const Seed& seed, double x[2]) const;
  bool near_polyline(const std::vector<DiagramRow>& rows, const Seed& seed) const;
  void start_seed();
  void collect_seeds();
  std::vector<Seed> search_at(double value);
  int traced_count(double value) const;
  void audit_counts();
  void trace_queue();
  static constexpr int kMaxAuditRounds = 8;
  bool on_known_branch(const Seed& seed) const;
  void continue_seed(const Seed& seed);
  continuation::ContinuationOptions continuation_options() const;
  std::pair<ContinuationResult, ContinuationResult> continue_both_ways(const continuation::Problem& problem,
                                                                       const Eigen::VectorXd& x0, double value) const;
  std::string end_reason(const continuation::Problem& problem, const ContinuationResult& r) const;
  Seed contact_seed(const Seed& from, double ell_bound, double alpha, double value, std::string origin) const;
  DiagramRow row_at(const Seed& like, double alpha, double ell, double value, int iterations, double step,
                    const continuation::ScaledSpectrum* known = nullptr) const;
  void record_events(const continuation::Problem& problem, const ContinuationResult& r, const Seed& seed, int branch);
  DiagramPoint special_point(SpecialPointType type, const Seed& like, double alpha, double ell, double value,
                             int branch, std::string where) const;
  void add_special(DiagramPoint sp);
  void neighbour_seed(const Seed& from, double alpha, double ell, double value, bool upper_edge);

  TwoMemoryParameters p_;
  DiagramOptions o_;
  DiagramSummary s_;
  std::deque<Seed> queue_;
  std::vector<Seed> branch_seeds_;  // the seed behind each branch (piece, kind)
  std::vector<double> seed_value_list_;  // where collect_seeds searched
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
                                      "converge there; leave out --start (the equilibria are then searched) or give another start",
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
  std::vector<double> values;
  for (int k = 0; k < o_.seed_values; ++k) values.push_back(o_.from + (o_.to - o_.from) * k / (o_.seed_values - 1));
  seed_value_list_ = values;  // the equally spaced ones are events of the audit; the extra ones only searches
  for (double v : o_.extra_seed_values)
    if (v >= o_.from && v <= o_.to) values.push_back(v);
  s_.seed_values = int(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) {
    for (Seed& seed : search_at(values[k])) queue_.push_back(std::move(seed));
    if (o_.on_progress) o_.on_progress(int(k) + 1, 2 * int(values.size()));
  }
}

// Every equilibrium the robust search finds at `value` (both charts) on a
// smooth piece, as a seed; the value joins the searched ones.
std::vector<Seed> DiagramBuilder::search_at(double value) {
  std::vector<Seed> seeds;
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
      seeds.push_back({piece, f.kind, f.kind == FixedPointKind::kBoundary ? f.ell : 0.0, f.alpha, f.ell, value,
                       fmt::format("seed at {}={:.6g} (alpha={:.4f}, ell={:.4f}, chart {:+d})", name(), value,
                                   f.alpha, f.ell, chart)});
    }
  }
  s_.completeness.searched.push_back(value);
  return seeds;
}

// Crossings of `value` by the traced branches (half-open: a row exactly at
// `value`, such as the seed of a branch found there, counts as above it).
int DiagramBuilder::traced_count(double value) const {
  int count = 0;
  for (const Branch& b : s_.branches)
    for (std::size_t i = 0; i + 1 < b.rows.size(); ++i)
      count += (value_of(b.rows[i]) < value) != (value_of(b.rows[i + 1]) < value);
  return count;
}

// The count audit (DiagramOptions::count_audit; docs/numerics.md §9): the
// equilibria change in number only at the events of the traced diagram (folds,
// branch points, boundary events, the window), so between two consecutive
// events one search decides whether the traced branches hold them all. An
// interval that already holds a check is not searched again; an equilibrium no
// branch accounts for seeds one, whose events split the intervals anew.
void DiagramBuilder::audit_counts() {
  const double scale = o_.to - o_.from;
  std::vector<double> checked;
  for (int round = 0; round < kMaxAuditRounds; ++round) {
    std::vector<double> events = {o_.from, o_.to};
    for (const DiagramPoint& sp : s_.special_points)
      events.push_back(o_.parameter == BifurcationParameter::kN ? sp.n : sp.T);
    events.insert(events.end(), seed_value_list_.begin(), seed_value_list_.end());
    std::sort(events.begin(), events.end());
    bool seeded = false;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
      const double a = events[i], b = events[i + 1];
      if (b - a < 1e-7 * scale) continue;
      if (std::any_of(checked.begin(), checked.end(), [&](double c) { return c > a && c < b; })) continue;
      const double mid = 0.5 * (a + b);
      checked.push_back(mid);
      CountCheck check{mid, 0, traced_count(mid), 0};
      for (Seed& seed : search_at(mid)) {
        ++check.found;
        if (on_known_branch(seed)) continue;
        seed.origin = fmt::format("count audit at {}={:.6g} (alpha={:.4f}, ell={:.4f}, chart {:+d})", name(), mid,
                                  seed.alpha, seed.ell, s_.pieces[seed.piece].chart);
        queue_.push_back(std::move(seed));
        ++check.unaccounted;
        seeded = true;
      }
      s_.completeness.checks.push_back(check);
    }
    if (!seeded) break;
    trace_queue();
  }
  // The last check of every interval must agree with the final branches.
  for (double v : checked) {
    const auto it = std::find_if(s_.completeness.checks.rbegin(), s_.completeness.checks.rend(),
                                 [v](const CountCheck& c) { return c.value == v; });
    const int traced = traced_count(v);
    if (it->found != traced)
      s_.completeness.doubts.push_back(fmt::format("at {}={:.6g} the search finds {} equilibria, the branches cross it "
                                                   "{} times", name(), v, it->found, traced));
  }
  s_.completeness.audited = true;
}

// Newton at the seed's parameter value on its piece (x = alpha, ell; ell
// stays on the bound for a boundary seed). True when it converged.
bool DiagramBuilder::polish(const Seed& seed, double x[2]) const {
  const double tolerance = o_.continuation.newton_tolerance;
  return detail::polish_on_piece(at(seed.value, s_.pieces[seed.piece].chart), s_.pieces[seed.piece],
                                 seed.kind == FixedPointKind::kInterior, seed.ell_bound, x, tolerance) <= tolerance;
}

// Within 2e-3 of the branch's polyline in the scaled space (alpha, ell,
// parameter / window): the rows are at most ds_max apart, so a seed on the
// branch is closer than that even next to a fold, where no segment may
// bracket the seed's parameter value.
bool DiagramBuilder::near_polyline(const std::vector<DiagramRow>& rows, const Seed& seed) const {
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

// Both halves of the branch through the seed, by the generic engine: forward
// (increasing parameter at the start) and, unless the branch closed, backward.
std::pair<ContinuationResult, ContinuationResult> DiagramBuilder::continue_both_ways(
    const continuation::Problem& problem, const Eigen::VectorXd& x0, double value) const {
  continuation::ContinuationOptions c = continuation_options();
  const double p0 = std::clamp(to_p(value), c.p_min, c.p_max);
  c.direction = +1;
  ContinuationResult forward = continuation::continue_branch(problem, x0, p0, c);
  if (forward.termination == continuation::Termination::kClosedLoop) return {std::move(forward), ContinuationResult{}};
  c.direction = -1;
  return {std::move(forward), continuation::continue_branch(problem, x0, p0, c)};
}

// Rows and special points are reported inside the domain: a point located on
// an edge or on ell = +-1 may lie up to kEdgeSlack beyond it.
DiagramRow DiagramBuilder::row_at(const Seed& like, double alpha, double ell, double value, int iterations,
                                 double step, const continuation::ScaledSpectrum* known) const {
  alpha = std::clamp(alpha, -1.0, 1.0);
  ell = std::clamp(ell, -1.0, 1.0);
  const int chart = s_.pieces[like.piece].chart;
  const TwoMemoryParameters q = at(value, chart);
  // The real flow's spectrum (equilibrium_spectrum, docs/numerics.md §7), as
  // analyse_fixed_point gives it, without the rest of its analysis (Jacobian
  // eigenvectors, residuals) that a row does not carry; `known` when the
  // problem already computed it at this point.
  const bool interior = like.kind == FixedPointKind::kInterior;
  continuation::ScaledSpectrum spectrum;  // kUnknown unless analysed
  if (o_.row_stability)
    spectrum = known != nullptr ? *known
                                : equilibrium_spectrum(q, alpha, interior ? ell : (ell > 0 ? 1.0 : -1.0), like.kind);
  DiagramRow r;
  r.n = q.n;
  r.T = q.T;
  r.alpha = alpha;
  r.alpha_B = chart_alpha_B(chart, alpha);
  r.ell = like.kind == FixedPointKind::kBoundary ? like.ell_bound : ell;
  r.stability = spectrum.stability;
  r.unstable_count = spectrum.unstable_count;
  r.chart = chart;
  r.kind = like.kind;
  r.eig1 = spectrum.real[0].value();
  // On a label bound the label is held: no second flow eigenvalue (NaN, an empty field).
  r.eig2 = interior ? spectrum.real[1].value() : std::numeric_limits<double>::quiet_NaN();
  if (!o_.row_stability) {
    r.unstable_count = -1;
    r.eig1 = r.eig2 = std::numeric_limits<double>::quiet_NaN();
  }
  r.newton_iterations = iterations;
  r.step = step;
  return r;
}

DiagramPoint DiagramBuilder::special_point(SpecialPointType type, const Seed& like, double alpha, double ell,
                                           double value, int branch, std::string where) const {
  alpha = std::clamp(alpha, -1.0, 1.0);
  ell = std::clamp(ell, -1.0, 1.0);
  const int chart = s_.pieces[like.piece].chart;
  const TwoMemoryParameters q = at(value, chart);
  DiagramPoint sp;
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

void DiagramBuilder::add_special(DiagramPoint sp) {
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

void DiagramBuilder::record_events(const continuation::Problem& problem, const ContinuationResult& r,
                                   const Seed& seed, int branch) {
  using continuation::Termination;
  namespace cont = continuation;
  const bool interior = seed.kind == FixedPointKind::kInterior;
  for (const cont::SpecialPoint& e : r.special_points) {
    const double alpha = e.x(0), ell = interior ? e.x(1) : seed.ell_bound, value = to_value(e.p);
    const std::string bound = interior ? "interior" : fmt::format("ell={:+g}", seed.ell_bound);
    if (e.type == cont::SpecialPointType::kFold || e.type == cont::SpecialPointType::kBranchPoint) {
      const bool fold = e.type == cont::SpecialPointType::kFold;
      DiagramPoint sp = special_point(fold ? SpecialPointType::kFold : SpecialPointType::kBranchPoint, seed, alpha,
                                      ell, value, branch, bound);
      sp.converged = e.converged;
      const cont::Vector f = problem.residual(e.x, e.p);
      sp.residual = f.lpNorm<Eigen::Infinity>();
      sp.test_value = problem.jacobian(e.x, e.p).leftCols(e.x.size()).determinant();
      if (!e.converged)
        s_.warnings.push_back(fmt::format("{} near {}={:.6g} on branch {}: localisation did not converge",
                                          fold ? "fold" : "branch point", name(), value, branch));
      add_special(sp);
      if (!fold && e.converged) {
        // Branch switching: the other branch through the point is a new seed.
        const cont::BranchStart other = cont::branch_switch(problem, e, continuation_options());
        if (other.converged)
          queue_.push_back({seed.piece, seed.kind, seed.ell_bound, other.x(0), interior ? other.x(1) : seed.ell_bound,
                            to_value(other.p),
                            fmt::format("branch switch at the branch point {}={:.6g} of branch {}", name(), value,
                                        branch)});
        else
          s_.warnings.push_back(fmt::format("branch point at {}={:.6g} on branch {}: no second branch found ({})",
                                            name(), value, branch, other.message));
      }
    } else if (e.type == cont::SpecialPointType::kHopf) {
      // A complex pair of the real flow crossed the imaginary axis (the
      // interior problem's stability_eigenvalues are the real flow's).
      DiagramPoint sp = special_point(SpecialPointType::kHopf, seed, alpha, ell, value, branch, bound);
      sp.converged = e.converged;
      sp.residual = problem.residual(e.x, e.p).lpNorm<Eigen::Infinity>();
      sp.test_value = e.frequency;
      if (!e.converged)
        s_.warnings.push_back(
            fmt::format("Hopf point near {}={:.6g} on branch {}: localisation did not converge", name(), value, branch));
      add_special(sp);
    } else if (e.type == cont::SpecialPointType::kBoundary) {
      // Interior boundaries: 0, 1 piece edges, 2, 3 ell = +-1. Boundary problem: 0, 1 edges, 2 label released.
      const std::string where = problem.boundary_name(e.boundary);
      DiagramPoint sp = special_point(SpecialPointType::kBoundary, seed, alpha, ell, value, branch, where);
      sp.converged = e.converged;
      sp.residual = problem.residual(e.x, e.p).lpNorm<Eigen::Infinity>();
      add_special(sp);
      if (!e.converged) {
        s_.warnings.push_back(fmt::format("boundary {} near {}={:.6g} on branch {}: localisation did not converge",
                                          where, name(), value, branch));
        continue;
      }
      if (e.boundary <= 1) neighbour_seed(seed, alpha, ell, value, e.boundary == 1);
      else if (interior && o_.boundary)  // connect to the boundary branch through the contact point
        queue_.push_back(contact_seed(seed, e.boundary == 2 ? 1.0 : -1.0, alpha, value,
                                      fmt::format("contact of branch {} with {}", branch, where)));
    }
  }
  if (!r.IsComplete() && r.termination != Termination::kNotRun) {
    const double value = r.rows.empty() ? seed.value : to_value(r.rows.back().p);
    const double alpha = r.rows.empty() ? seed.alpha : r.rows.back().x(0);
    s_.warnings.push_back(fmt::format("branch {} stopped at {}={:.6g} (alpha={:.4f}): {}: {}", branch, name(), value,
                                      alpha, ToString(r.termination), r.message));
  }
}

continuation::ContinuationOptions DiagramBuilder::continuation_options() const {
  continuation::ContinuationOptions c = o_.continuation;
  c.p_min = 0;
  c.p_max = 1;
  c.locate_tolerance = c.newton_tolerance;
  c.compute_stability = false;  // the real flow's stability is computed per row (row_at)
  c.detect_hopf = c.detect_hopf && o_.row_stability;
  return c;
}

// The start of the boundary branch on ell = ell_bound at the contact of an
// interior branch: both numerators vanish there, so Newton in (alpha, value)
// on (F_1, F_2)(alpha, ell_bound) = 0 puts the label drive at zero to rounding
// (the interior branch only located ell = +-1 to its tolerance), and the
// boundary branch starts on its release point, not beyond it.
Seed DiagramBuilder::contact_seed(const Seed& from, double ell_bound, double alpha, double value,
                                 std::string origin) const {
  TwoMemoryParameters q = p_;
  q.chart = s_.pieces[from.piece].chart;
  const double scale = o_.to - o_.from;
  const detail::BoundaryFunctor f{q, o_.parameter, detail::piece_sign(s_.pieces[from.piece]), scale, o_.from, ell_bound};
  Eigen::Vector2d z(alpha, to_p(value));
  for (int it = 0; it < 8; ++it) {
    using Jet = ceres::Jet<double, 2>;
    const Jet x[1] = {Jet(z(0), 0)};
    Jet F[2];
    if (!f.both(x, Jet(z(1), 1), F)) break;
    Eigen::Matrix2d J;
    J << F[0].v(0), F[0].v(1), F[1].v(0), F[1].v(1);
    const Eigen::Vector2d dz = J.fullPivLu().solve(-Eigen::Vector2d(F[0].a, F[1].a));
    if (!dz.allFinite() || dz.lpNorm<Eigen::Infinity>() > 1e-6) break;  // stay at the located contact
    z += dz;
    if (dz.lpNorm<Eigen::Infinity>() < 1e-15) break;
  }
  return {from.piece, FixedPointKind::kBoundary, ell_bound, z(0), ell_bound, to_value(z(1)), std::move(origin)};
}

// Why one half of a branch stopped, in words.
std::string DiagramBuilder::end_reason(const continuation::Problem& problem, const ContinuationResult& r) const {
  using continuation::Termination;
  const double value = r.rows.empty() ? 0.0 : to_value(r.rows.back().p);
  switch (r.termination) {
    case Termination::kReachedParameterBound: return fmt::format("window at {}={:.6g}", name(), value);
    case Termination::kLeftDomain:
      for (auto it = r.special_points.rbegin(); it != r.special_points.rend(); ++it)
        if (it->type == continuation::SpecialPointType::kBoundary)
          return fmt::format("{} at {}={:.6g}", problem.boundary_name(it->boundary), name(), value);
      return r.message;
    case Termination::kClosedLoop: return "closed loop";
    case Termination::kNotRun: return "";
    default: return fmt::format("{}: {}", ToString(r.termination), r.message);
  }
}

void DiagramBuilder::continue_seed(const Seed& seed) {
  const SmoothPiece& piece = s_.pieces[seed.piece];
  TwoMemoryParameters q = p_;
  q.chart = piece.chart;
  const double scale = o_.to - o_.from;
  const bool interior = seed.kind == FixedPointKind::kInterior;
  std::unique_ptr<continuation::Problem> problem;
  const InteriorBranchProblem* interior_problem = nullptr;  // its spectra are the rows'
  Eigen::VectorXd x0;
  if (interior) {
    auto owned = std::make_unique<InteriorBranchProblem>(q, o_.parameter, piece, scale, o_.from);
    interior_problem = owned.get();
    problem = std::move(owned);
    x0 = Eigen::Vector2d(seed.alpha, seed.ell);
  } else {
    problem = std::make_unique<BoundaryBranchProblem>(q, o_.parameter, piece, scale, o_.from, seed.ell_bound);
    x0 = Eigen::VectorXd::Constant(1, seed.alpha);
  }
  auto [forward, backward] = continue_both_ways(*problem, x0, seed.value);
  const int id = int(s_.branches.size());
  Branch branch;
  branch.id = id;
  branch.chart = piece.chart;
  branch.kind = seed.kind;
  branch.ell_bound = seed.ell_bound;
  branch.found_from = seed.origin;
  branch.ends = {end_reason(*problem, backward), end_reason(*problem, forward)};
  const auto add_rows = [&](const ContinuationResult& r, bool reversed) {
    const int count = int(r.rows.size());
    for (int j = 0; j < count; ++j) {
      const auto& row = r.rows[reversed ? count - 1 - j : j];
      if (reversed && j == count - 1) continue;  // the seed itself comes with the forward half
      const double ell = interior ? row.x(1) : seed.ell_bound, value = to_value(row.p);
      if (!branch.rows.empty() && std::abs(branch.rows.back().alpha - row.x(0)) < 1e-12 &&
          std::abs(branch.rows.back().ell - ell) < 1e-12 &&
          std::abs(value_of(branch.rows.back()) - value) < 1e-12 * scale)
        continue;  // a half that stopped at its start repeats the seed
      // The problem's spectrum at the row itself (a row beyond ell or alpha = +-1 by
      // the edge slack is reported on the bound, row_at, and analysed there).
      const bool inside = std::abs(row.x(0)) <= 1 && std::abs(ell) <= 1;
      const bool analysed = interior_problem != nullptr && inside && o_.row_stability;
      const continuation::ScaledSpectrum known =
          analysed ? interior_problem->spectrum(row.x, row.p) : continuation::ScaledSpectrum{};
      branch.rows.push_back(row_at(seed, row.x(0), ell, value, row.newton_iterations, row.step,
                                   analysed ? &known : nullptr));
      branch.rows.back().branch = id;
    }
  };
  add_rows(backward, true);
  add_rows(forward, false);
  double extent = 0;
  for (const auto& r : branch.rows)
    extent = std::max({extent, std::abs(r.alpha - seed.alpha), std::abs(value_of(r) - seed.value) / scale});
  if (branch.rows.size() < 2 || extent < 1e-9) {  // only touches this piece at its start
    for (const ContinuationResult* r : {&forward, &backward})
      if (r->termination == continuation::Termination::kStartFailed ||
          r->termination == continuation::Termination::kStepTooSmall ||
          r->termination == continuation::Termination::kMaxSteps) {
        // In the words of the diagram, not of the continuation engine.
        std::string from = seed.origin, why = r->message;
        if (from.rfind("seed at ", 0) == 0) from = "the equilibrium found at " + from.substr(8);
        if (r->termination == continuation::Termination::kStartFailed && why.find("turning point") != std::string::npos)
          why = fmt::format("it sits where its branch turns back or meets another one in {} (a fold or branch point), so "
                            "no branch can be followed from it; equilibria found at other values usually give the branch",
                            name());
        s_.warnings.push_back(fmt::format("no branch from {}: {}", from, why));
        break;  // one warning per seed
      }
    return;
  }
  s_.branches.push_back(std::move(branch));
  branch_seeds_.push_back(seed);
  ++s_.seeds_continued;
  record_events(*problem, backward, seed, id);
  record_events(*problem, forward, seed, id);
}

void DiagramBuilder::trace_queue() {
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
}

DiagramSummary DiagramBuilder::build() {
  const auto start = std::chrono::steady_clock::now();
  collect_seeds();
  trace_queue();
  if (o_.count_audit && !o_.start) audit_counts();
  std::sort(s_.special_points.begin(), s_.special_points.end(), [&](const auto& a, const auto& b) {
    return o_.parameter == BifurcationParameter::kN ? a.n < b.n : a.T < b.T;
  });
  if (s_.branches.empty() && s_.warnings.empty())
    s_.warnings.push_back(fmt::format("no equilibrium found in the {} window [{:g}, {:g}]", name(), o_.from, o_.to));
  s_.termination = s_.warnings.empty() ? AnalysisTermination::kComplete : AnalysisTermination::kIncomplete;
  s_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::move(s_);
}

}  // namespace

DiagramSummary detail::continuation_diagram(const TwoMemoryParameters& p, const DiagramOptions& options) {
  p.Validate();
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  at_parameter(p, options.parameter, options.from).Validate();
  at_parameter(p, options.parameter, options.to).Validate();
  return DiagramBuilder(p, options).build();
}

}  // namespace waddington::reduced
