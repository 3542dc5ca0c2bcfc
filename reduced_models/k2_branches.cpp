// Asymmetric K = 2 branches from the symmetry-breaking points (k2_branches.hpp).
#include "reduced_models/k2_branches.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "continuation/branch_switch.hpp"
#include "reduced_models/bifurcation_problems.hpp"
#include "reduced_models/k_memory.hpp"

namespace waddington::reduced {
namespace {

namespace cont = continuation;
using detail::kEdgeSlack;
using detail::kReleaseSlack;
using detail::edge_name;

// x = (alpha_1, alpha_2) with both labels at ell_bound (D = 2), or
// (alpha_1, ell_1, alpha_2, ell_2) (D = 4); p the window mapped onto [0, 1].
template <int D>
struct K2Functor {
  TwoMemoryParameters q;
  BifurcationParameter which = BifurcationParameter::kN;
  double scale = 1, offset = 0, ell_bound = 0;

  template <class S>
  void state(const S* x, S* s) const {
    if constexpr (D == 2) {
      s[0] = x[0], s[1] = S(ell_bound), s[2] = x[1], s[3] = S(ell_bound);
    } else {
      for (int i = 0; i < 4; ++i) s[i] = x[i];
    }
  }
  template <class S>
  std::pair<S, S> parameters(const S& p) const {
    const S value = S(offset) + p * scale;
    return which == BifurcationParameter::kN ? std::pair<S, S>{value, S(q.T)} : std::pair<S, S>{S(q.n), value};
  }
  template <class S>
  bool operator()(const S* x, const S& p, S* f) const {
    S s[4], num[4];
    state(x, s);
    const auto [n, T] = parameters(p);
    k_memory_numerators(q, 2, s, num, n, T);
    if constexpr (D == 2) {
      f[0] = num[0], f[1] = num[2];
    } else {
      for (int i = 0; i < 4; ++i) f[i] = num[i];
    }
    for (int i = 0; i < D; ++i)
      if (!std::isfinite(scalar_value(f[i]))) return false;
    return true;
  }
};

template <int D>
class K2Problem : public cont::AutoDiffProblem<K2Functor<D>, D> {
 public:
  K2Problem(K2Functor<D> f, const SmoothPiece& piece) : cont::AutoDiffProblem<K2Functor<D>, D>(f), piece_(piece) {}

  // Per memory: its alpha inside the piece (2 functions each); held labels:
  // the label drive still points outward; free labels: ell in [-1, 1].
  int boundary_count() const override { return 8; }
  double boundary_function(int i, const cont::Vector& x, double p) const override {
    const int mu = i / 4, k = i % 4;
    const double alpha = D == 2 ? x(mu) : x(2 * mu);
    if (k == 0) return alpha - piece_.alpha_min + kEdgeSlack;
    if (k == 1) return piece_.alpha_max - alpha + kEdgeSlack;
    if constexpr (D == 4) {
      const double ell = x(2 * mu + 1);
      return k == 2 ? 1 - ell + kEdgeSlack : ell + 1 + kEdgeSlack;
    } else {
      if (k == 3) return 1.0;
      const auto d = drives(x, p);
      return this->functor().ell_bound * d[mu].ell + kReleaseSlack;
    }
  }
  std::string boundary_name(int i) const override {
    const int mu = i / 4, k = i % 4;
    if (k < 2) return fmt::format("memory {} at {}", mu + 1, edge_name(piece_, k));
    if (D == 2) return fmt::format("memory {} label released", mu + 1);
    return fmt::format("memory {} at ell={}", mu + 1, k == 2 ? "+1" : "-1");
  }
  // The real flow: each numerator row divided by its positive scale (k_memory_velocity).
  Eigen::VectorXcd stability_eigenvalues(const cont::Vector& x, double p) const override {
    const cont::Matrix J = this->jacobian(x, p).leftCols(D);
    const auto d = drives(x, p);
    Eigen::MatrixXd scaled = J;
    for (int mu = 0; mu < 2; ++mu) {
      const double mem = std::abs(d[mu].A) + std::abs(d[mu].B);
      const double lab = std::max(std::abs(d[mu].ell), std::abs(d[mu].gam));
      if (D == 2) {
        scaled.row(mu) /= mem;
      } else {
        scaled.row(2 * mu) /= mem;
        scaled.row(2 * mu + 1) /= lab;
      }
    }
    return Eigen::EigenSolver<Eigen::MatrixXd>(scaled, false).eigenvalues();
  }

 private:
  std::vector<Drives<double>> drives(const cont::Vector& x, double p) const {
    double s[4];
    this->functor().state(x.data(), s);
    const auto [n, T] = this->functor().parameters(p);
    return k_memory_drives(this->functor().q, 2, s, n, T);
  }
  SmoothPiece piece_;
};

class K2Builder {
 public:
  K2Builder(const TwoMemoryParameters& p, const DiagramSummary& d)
      : p_(p), d_(d), o_(d.options), pieces_(smooth_pieces(p, o_.alpha_min, o_.alpha_max)) {}
  K2Summary build();

 private:
  double scale() const { return o_.to - o_.from; }
  double value_of(const DiagramRow& r) const { return o_.parameter == BifurcationParameter::kN ? r.n : r.T; }
  template <int D>
  void from_branch_point(const DiagramPoint& bp, const Branch& branch, const SmoothPiece& piece);

  TwoMemoryParameters p_;
  const DiagramSummary& d_;
  DiagramOptions o_;
  std::vector<SmoothPiece> pieces_;
  K2Summary s_;
};

template <int D>
void K2Builder::from_branch_point(const DiagramPoint& bp, const Branch& branch, const SmoothPiece& piece) {
  TwoMemoryParameters q = p_;
  q.chart = piece.chart;
  const double v_bp = o_.parameter == BifurcationParameter::kN ? bp.n : bp.T;
  K2Functor<D> f{q, o_.parameter, scale(), o_.from, D == 2 ? bp.ell : 0.0};
  const K2Problem<D> problem(f, piece);
  // The symmetric branch's tangent at the point, from the diagram's rows around it.
  const auto& rows = branch.rows;
  std::size_t i = 0;
  while (i + 2 < rows.size() && !((value_of(rows[i]) - v_bp) * (value_of(rows[i + 1]) - v_bp) <= 0)) ++i;
  const DiagramRow &r0 = rows[i], &r1 = rows[std::min(i + 1, rows.size() - 1)];
  const double dp = (value_of(r1) - value_of(r0)) / scale();
  cont::SpecialPoint sp;
  sp.type = cont::SpecialPointType::kBranchPoint;
  sp.p = (v_bp - o_.from) / scale();
  sp.tangent.resize(D + 1);
  if constexpr (D == 2) {
    sp.x = Eigen::Vector2d(bp.alpha, bp.alpha);
    sp.tangent << r1.alpha - r0.alpha, r1.alpha - r0.alpha, dp;
  } else {
    sp.x = Eigen::Vector4d(bp.alpha, bp.ell, bp.alpha, bp.ell);
    sp.tangent << r1.alpha - r0.alpha, r1.ell - r0.ell, r1.alpha - r0.alpha, r1.ell - r0.ell, dp;
  }
  const std::string origin = fmt::format("symmetry-breaking point at {}={:.8g} (alpha={:.4f}, ell={:.4f})",
                                         ToString(o_.parameter), v_bp, bp.alpha, bp.ell);
  if (!(sp.tangent.norm() > 0)) {
    s_.warnings.push_back(origin + ": the symmetric branch has no tangent there");
    return;
  }
  sp.tangent.normalize();
  cont::ContinuationOptions c = o_.continuation;
  c.p_min = 0, c.p_max = 1;
  c.locate_tolerance = c.newton_tolerance;
  c.compute_stability = true;
  c.ds = std::min(c.ds, 1e-3);
  const cont::BranchStart start = cont::branch_switch(problem, sp, c);
  if (!start.converged) {
    s_.warnings.push_back(fmt::format("{}: no asymmetric branch found ({})", origin, start.message));
    return;
  }
  K2Branch out;
  out.id = int(s_.branches.size());
  out.chart = piece.chart;
  out.labels_held = D == 2;
  out.ell_bound = D == 2 ? bp.ell : 0.0;
  out.found_from = origin;
  // The -1 half crosses the branch point onto the mirror image (alpha_1 <-> alpha_2).
  std::array<cont::ContinuationResult, 2> halves;
  for (int h = 0; h < 2; ++h) {
    c.direction = h == 0 ? -1 : +1;
    halves[h] = cont::continue_branch(problem, start.x, start.p, c);
  }
  const auto end_reason = [&](const cont::ContinuationResult& r) {
    for (auto it = r.special_points.rbegin(); it != r.special_points.rend(); ++it)
      if (it->type == cont::SpecialPointType::kBoundary) return problem.boundary_name(it->boundary);
    return r.termination == cont::Termination::kReachedParameterBound ? std::string("window") : r.message;
  };
  out.ends = {end_reason(halves[0]), end_reason(halves[1])};
  // The state at engine point (x, p) as a row (no spectrum).
  const auto state_row = [&](const Eigen::VectorXd& x, double p) {
    K2Row k;
    k.branch = out.id;
    const double value = o_.from + p * scale();
    k.n = o_.parameter == BifurcationParameter::kN ? value : p_.n;
    k.T = o_.parameter == BifurcationParameter::kT ? value : p_.T;
    if constexpr (D == 2) {
      k.alpha1 = x(0), k.alpha2 = x(1), k.ell1 = k.ell2 = bp.ell;
    } else {
      k.alpha1 = x(0), k.ell1 = x(1), k.alpha2 = x(2), k.ell2 = x(3);
    }
    return k;
  };
  for (int h = 0; h < 2; ++h) {
    const auto& r = halves[h];
    if (!r.IsComplete()) s_.warnings.push_back(fmt::format("{}: {}", origin, r.message));
    const int count = int(r.rows.size());
    for (int j = 0; j < count; ++j) {
      const cont::BranchRow& row = r.rows[h == 0 ? count - 1 - j : j];
      if (h == 1 && j == 0 && !out.rows.empty()) continue;  // the start, already the last row of the first half
      K2Row k = state_row(row.x, row.p);
      Eigen::VectorXcd eig = problem.stability_eigenvalues(row.x, row.p);
      std::vector<double> re(eig.size());
      for (int e = 0; e < eig.size(); ++e) re[e] = eig(e).real();
      std::sort(re.rbegin(), re.rend());
      k.eig1 = re[0];
      k.eig2 = re.size() > 1 ? re[1] : NAN;
      k.unstable_count = int(std::count_if(re.begin(), re.end(), [](double x) { return x > 0; }));
      const bool marginal = std::abs(re[0]) < 1e-9;
      k.stability = marginal ? Stability::kUnknown : k.unstable_count == 0 ? Stability::kStable : Stability::kSaddle;
      out.rows.push_back(k);
    }
    for (const cont::SpecialPoint& e : r.special_points) {
      if (e.type != cont::SpecialPointType::kFold) continue;
      // The asymmetric branch turns in the parameter at the pitchfork itself
      // (n - n_bp ~ (alpha_1 - alpha_2)^2): that is the branch point, not a fold.
      if (std::abs(e.p - sp.p) <= 1e-6) continue;
      // The two halves are mirror images (alpha_1 <-> alpha_2): one fold each.
      if (std::any_of(out.folds.begin(), out.folds.end(), [&](const K2Row& f) {
            return std::abs((o_.parameter == BifurcationParameter::kN ? f.n : f.T) - (o_.from + e.p * scale())) <=
                   1e-9 * scale();
          }))
        continue;
      if (!e.converged) s_.warnings.push_back(fmt::format("{}: a fold near {}={:.6g} was not located", origin,
                                                          ToString(o_.parameter), o_.from + e.p * scale()));
      K2Row k = state_row(e.x, e.p);
      k.eig1 = k.eig2 = NAN;
      out.folds.push_back(k);
    }
  }
  s_.branches.push_back(std::move(out));
}

K2Summary K2Builder::build() {
  const auto start = std::chrono::steady_clock::now();
  s_.termination = AnalysisTermination::kComplete;
  if (p_.identical_memories != 2 || d_.method != DiagramMethod::kContinuation) return std::move(s_);
  for (const DiagramPoint& bp : d_.special_points) {
    if (bp.type != SpecialPointType::kBranchPoint || bp.where != "splitting") continue;
    ++s_.branch_points;
    const Branch* branch = nullptr;
    for (const Branch& b : d_.branches)
      if (b.id == bp.branch) branch = &b;
    const SmoothPiece* piece = nullptr;
    for (const SmoothPiece& sp : pieces_)
      if (sp.chart == bp.chart && bp.alpha > sp.alpha_min && bp.alpha < sp.alpha_max) piece = &sp;
    if (!branch || !piece || branch->rows.size() < 2) {
      s_.warnings.push_back(fmt::format("symmetry-breaking point at n={:.8g} T={:g}: not on a smooth piece", bp.n, bp.T));
      continue;
    }
    if (branch->kind == FixedPointKind::kBoundary) from_branch_point<2>(bp, *branch, *piece);
    else from_branch_point<4>(bp, *branch, *piece);
  }
  if (!s_.warnings.empty()) s_.termination = AnalysisTermination::kIncomplete;
  s_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::move(s_);
}

}  // namespace

std::string K2Summary::BriefReport() const {
  std::string text = fmt::format("K = 2 system: {} asymmetric branches from {} symmetry-breaking points", branches.size(),
                                 branch_points);
  for (const auto& b : branches) {
    if (b.rows.empty()) continue;
    const auto [lo, hi] = std::minmax_element(b.rows.begin(), b.rows.end(), [](const auto& a, const auto& c) { return a.n < c.n; });
    const int stable = int(std::count_if(b.rows.begin(), b.rows.end(), [](const auto& r) { return r.stability == Stability::kStable; }));
    std::string folds;
    for (const auto& f : b.folds) folds += fmt::format("{}{:.8g}", folds.empty() ? "" : ", ", f.n);
    text += fmt::format("\n  branch {}: {}; n in [{:.6g}, {:.6g}]{}, {} of {} rows stable; folds at n = {}; ends: {} / {}",
                        b.id, b.found_from, lo->n, hi->n,
                        b.labels_held ? fmt::format(", labels held at ell={:+g}", b.ell_bound) : "", stable, b.rows.size(),
                        folds.empty() ? "none" : folds, b.ends[0], b.ends[1]);
  }
  if (!warnings.empty()) text += fmt::format("\n  INCOMPLETE: {} warnings", warnings.size());
  return text;
}

nlohmann::json K2Summary::ToJson() const {
  nlohmann::json j = {{"branch_points", branch_points}, {"complete", complete()}, {"termination", ToString(termination)},
                      {"warnings", warnings}, {"seconds", seconds}, {"brief", BriefReport()}};
  j["branches"] = nlohmann::json::array();
  for (const auto& b : branches)
    j["branches"].push_back({{"id", b.id}, {"chart", b.chart}, {"labels_held", b.labels_held}, {"ell_bound", b.ell_bound},
                             {"found_from", b.found_from}, {"ends", {b.ends[0], b.ends[1]}}, {"rows", b.rows.size()},
                             {"folds", [&] {
                                nlohmann::json f = nlohmann::json::array();
                                for (const auto& r : b.folds)
                                  f.push_back({{"n", r.n}, {"T", r.T}, {"alpha1", r.alpha1}, {"ell1", r.ell1},
                                               {"alpha2", r.alpha2}, {"ell2", r.ell2}});
                                return f;
                              }()}});
  return j;
}

K2Summary continue_split_branches(const TwoMemoryParameters& p, const DiagramSummary& diagram) {
  return K2Builder(p, diagram).build();
}

}  // namespace waddington::reduced
