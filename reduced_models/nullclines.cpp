#include "reduced_models/nullclines.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "lib/errors.hpp"
#include "reduced_models/marching_squares.hpp"
#include "reduced_models/numerator_grid.hpp"

namespace waddington::reduced {

bool NullclineOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max))
    return fail(fmt::format("alpha range [{}, {}] must be an interval inside [-1, 1]", alpha_min, alpha_max));
  if (alpha_cells < 2 || ell_cells < 2 || double(alpha_cells) * ell_cells > 1e8)
    return fail(fmt::format("nullcline grid {}x{} must have >= 2 cells per axis and at most 1e8 cells", alpha_cells, ell_cells));
  return true;
}

namespace {

struct Segment {
  long key[2];                // grid-edge keys of the two ends
  Eigen::Vector2d point[2];   // (alpha, ell)
};

// Key of a grid edge: horizontal (i,j)-(i+1,j) or vertical (i,j)-(i,j+1).
long edge_key(int i, int j, int cell_edge, long columns) {
  switch (cell_edge) {
    case 0: return 2 * (long(i) * columns + j);
    case 1: return 2 * (long(i + 1) * columns + j) + 1;
    case 2: return 2 * (long(i) * columns + j + 1);
    default: return 2 * (long(i) * columns + j) + 1;
  }
}

// Walks from segment `first` through shared edge keys, appending points.
Polyline walk(int first, const std::vector<Segment>& segs, const std::unordered_multimap<long, int>& by_key,
              std::vector<bool>& used) {
  std::vector<Eigen::Vector2d> forward, backward;
  used[first] = true;
  for (int direction = 0; direction < 2; ++direction) {
    auto& out = direction == 0 ? forward : backward;
    int current = first, end = direction == 0 ? 1 : 0;
    if (direction == 0) out.push_back(segs[first].point[0]);
    out.push_back(segs[first].point[end]);
    while (true) {
      const long key = segs[current].key[end];
      int next = -1;
      for (auto [it, last] = by_key.equal_range(key); it != last; ++it)
        if (!used[it->second]) next = it->second;
      if (next < 0) break;
      used[next] = true;
      end = segs[next].key[0] == key ? 1 : 0;
      out.push_back(segs[next].point[end]);
      current = next;
    }
  }
  Polyline line;
  // backward = {p0, q1, q2, ...}: reversed, without p0, then forward = {p0, p1, ...}.
  line.points.assign(backward.rbegin(), backward.rend());
  line.points.pop_back();
  line.points.insert(line.points.end(), forward.begin(), forward.end());
  return line;
}

// Runs of the bound ell = ell_bound where ell_bound * D_ell > 0 (label held there).
std::vector<Polyline> bound_branches(const Eigen::VectorXd& alpha, const Eigen::MatrixXd& F2,
                                     const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>& dead, int column,
                                     double ell_bound) {
  std::vector<Polyline> out;
  Polyline run;
  run.on_bound = true;
  auto held = [&](int i) { return !dead(i, column) && ell_bound * F2(i, column) > 0; };
  auto crossing = [&](int i) {  // linear interpolation of the sign change between nodes i and i+1
    const double f0 = F2(i, column), f1 = F2(i + 1, column);
    return Eigen::Vector2d(alpha(i) + (alpha(i + 1) - alpha(i)) * f0 / (f0 - f1), ell_bound);
  };
  for (int i = 0; i < alpha.size(); ++i) {
    if (held(i)) {
      if (run.points.empty() && i > 0 && !dead(i - 1, column)) run.points.push_back(crossing(i - 1));
      run.points.emplace_back(alpha(i), ell_bound);
    } else if (!run.points.empty()) {
      if (!dead(i, column)) run.points.push_back(crossing(i - 1));
      out.push_back(run);
      run.points.clear();
    }
  }
  if (run.points.size() >= 2) out.push_back(run);
  return out;
}

}  // namespace

std::vector<Polyline> zero_contours(const Eigen::VectorXd& alpha, const Eigen::VectorXd& ell, const Eigen::MatrixXd& f,
                                    const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>& dead) {
  const long columns = ell.size();
  std::vector<Segment> segs;
  std::array<detail::CellSegment, 2> cell;
  for (int i = 0; i + 1 < alpha.size(); ++i)
    for (int j = 0; j + 1 < ell.size(); ++j) {
      if (dead(i, j) || dead(i + 1, j) || dead(i, j + 1) || dead(i + 1, j + 1)) continue;
      const int count = detail::cell_segments(f(i, j), f(i + 1, j), f(i + 1, j + 1), f(i, j + 1), cell);
      const double da = alpha(i + 1) - alpha(i), dl = ell(j + 1) - ell(j);
      for (int k = 0; k < count; ++k) {
        Segment s;
        const detail::CellPoint* ends[2] = {&cell[k].a, &cell[k].b};
        for (int e = 0; e < 2; ++e) {
          s.key[e] = edge_key(i, j, ends[e]->edge, columns);
          s.point[e] = {alpha(i) + ends[e]->u * da, ell(j) + ends[e]->v * dl};
        }
        segs.push_back(s);
      }
    }
  std::unordered_multimap<long, int> by_key;
  for (int s = 0; s < int(segs.size()); ++s)
    for (int e = 0; e < 2; ++e) by_key.emplace(segs[s].key[e], s);
  std::vector<bool> used(segs.size(), false);
  std::vector<Polyline> lines;
  for (int s = 0; s < int(segs.size()); ++s)
    if (!used[s]) lines.push_back(walk(s, segs, by_key, used));
  return lines;
}

Nullclines compute_nullclines(const TwoMemoryParameters& p, const NullclineOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const NumeratorGrid g = evaluate_numerator_grid(p, o.alpha_min, o.alpha_max, o.alpha_cells, o.ell_cells);
  Nullclines out;
  out.memory = zero_contours(g.alpha, g.ell, g.F1, g.dead);
  out.label = zero_contours(g.alpha, g.ell, g.F2, g.dead);
  if (o.bound_branches)
    for (auto [column, bound] : {std::pair{0, -1.0}, std::pair{o.ell_cells, 1.0}})
      for (auto& line : bound_branches(g.alpha, g.F2, g.dead, column, bound)) out.label.push_back(std::move(line));
  out.dead_regions = dead_regions(p, o.alpha_min, o.alpha_max);
  return out;
}

}  // namespace waddington::reduced
