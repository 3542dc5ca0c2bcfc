// Faces of the (n, T) window cut by the fold curves (fold_regions.hpp).
#include "reduced_models/fold_regions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace waddington::reduced {
namespace {

struct P {
  double u, v;  // the window mapped onto the unit square
};

// Position along the window's edge, counter-clockwise from (0, 0): bottom [0, 1),
// right [1, 2), top [2, 3), left [3, 4).
double perimeter(P p) {
  const double d[4] = {p.v, 1 - p.u, 1 - p.v, p.u};
  const int side = int(std::min_element(d, d + 4) - d);
  switch (side) {
    case 0: return p.u;
    case 1: return 1 + p.v;
    case 2: return 2 + (1 - p.u);
    default: return 3 + (1 - p.v);
  }
}

P on_edge(double s) {
  s = std::fmod(s + 4, 4.0);
  if (s < 1) return {s, 0};
  if (s < 2) return {1, s - 1};
  if (s < 3) return {1 - (s - 2), 1};
  return {0, 1 - (s - 3)};
}

// Where the line at height v crosses the edges of a closed polygon, sorted in u.
std::vector<double> crossings(const std::vector<P>& poly, double v) {
  std::vector<double> xs;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const P a = poly[i], b = poly[j];
    if ((a.v > v) != (b.v > v)) xs.push_back(a.u + (v - a.v) * (b.u - a.u) / (b.v - a.v));
  }
  std::sort(xs.begin(), xs.end());
  return xs;
}

// Ray casting (towards +u) with the sorted crossings of q's line: inside when an
// odd number of them lie beyond q.
bool inside(const std::vector<double>& xs, double u) {
  return (xs.end() - std::upper_bound(xs.begin(), xs.end(), u)) % 2 == 1;
}

// Squared distance of q to the segment ab (the square root is taken once, of
// the smallest: the coordinates are in [0, 1], nothing under- or overflows).
double segment_distance2(P a, P b, P q) {
  const double du = b.u - a.u, dv = b.v - a.v, l2 = du * du + dv * dv;
  const double w = l2 > 0 ? std::clamp(((q.u - a.u) * du + (q.v - a.v) * dv) / l2, 0.0, 1.0) : 0.0;
  const double eu = a.u + w * du - q.u, ev = a.v + w * dv - q.v;
  return eu * eu + ev * ev;
}

bool segments_cross(P a, P b, P c, P d) {
  const auto orient = [](P p, P q, P r) { return (q.u - p.u) * (r.v - p.v) - (q.v - p.v) * (r.u - p.u); };
  const double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

}  // namespace

FoldRegions fold_regions(const FoldCurveSummary& s, const std::function<RegionCell(double, double)>& count_at) {
  FoldRegions out;
  const auto& o = s.options;
  const auto to_p = [&](double n, double T) { return P{(n - o.n_min) / (o.n_max - o.n_min), (T - o.T_min) / (o.T_max - o.T_min)}; };
  const double edge_tolerance = 1e-6;
  const auto on_window_edge = [&](P p) { return std::min({p.u, 1 - p.u, p.v, 1 - p.v}) < edge_tolerance; };
  // Each curve as a chord: a polyline from edge to edge, closed along the edge (counter-clockwise) into a polygon.
  std::vector<std::vector<P>> chords, polygons;
  for (const FoldCurve& c : s.curves) {
    if (c.points.size() < 2) continue;
    std::vector<P> line;
    for (const auto& q : c.points) line.push_back(to_p(q.n, q.T));
    if (!on_window_edge(line.front()) || !on_window_edge(line.back())) {
      out.why_not_exact = fmt::format("fold curve {} ends inside the window ({}, {})", c.id, c.ends[0], c.ends[1]);
      return out;
    }
    std::vector<P> poly = line;
    const double s0 = perimeter(line.back()), s1 = perimeter(line.front());
    const double end = s1 < s0 ? s1 + 4 : s1;
    for (int corner = int(std::ceil(s0)); corner < end; ++corner)
      if (corner > s0) poly.push_back(on_edge(corner));
    chords.push_back(std::move(line));
    polygons.push_back(std::move(poly));
  }
  for (std::size_t a = 0; a < chords.size(); ++a)
    for (std::size_t b = a + 1; b < chords.size(); ++b)
      for (std::size_t i = 0; i + 1 < chords[a].size(); ++i)
        for (std::size_t j = 0; j + 1 < chords[b].size(); ++j)
          if (segments_cross(chords[a][i], chords[a][i + 1], chords[b][j], chords[b][j + 1])) {
            out.why_not_exact = fmt::format("fold curves {} and {} cross", s.curves[a].id, s.curves[b].id);
            return out;
          }
  const auto key_of = [&](P q) {
    // Points on the window's edge lie on the polygons' edge parts: test just inside.
    q.u = std::clamp(q.u, 1e-7, 1 - 1e-7);
    q.v = std::clamp(q.v, 1e-7, 1 - 1e-7);
    std::string key;
    for (const auto& poly : polygons) key += inside(crossings(poly, q.v), q.u) ? '1' : '0';
    return key;
  };
  // The distance of q to the curves; once it is known to be at most `floor`
  // (>= 0), a value at most `floor` (the caller only needs a distance above it).
  const auto curve_distance = [&](P q, double floor = -1) {
    const double floor2 = floor >= 0 ? floor * floor : -1;
    double d2 = std::numeric_limits<double>::infinity();
    for (const auto& line : chords)
      for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        d2 = std::min(d2, segment_distance2(line[i], line[i + 1], q));
        if (d2 <= floor2) return std::sqrt(d2);
      }
    return std::sqrt(d2);
  };
  // Faces: one per arc of the edge between consecutive chord ends.
  std::vector<double> ends = {0, 1, 2, 3};  // corners too, so that an arc point is never a corner
  for (const auto& line : chords) ends.push_back(perimeter(line.front())), ends.push_back(perimeter(line.back()));
  std::sort(ends.begin(), ends.end());
  struct Face {
    std::string key;
    P label{};
    double depth = -1;  // distance of the label point to the curves (and, for a node, to the edge)
    int node = -1;      // map node at the label, -1 for an edge point
    int count_node = -1;  // the deepest map node holding a count, -1 if none
    double count_depth = -1;
    int nodes = 0;
  };
  std::map<std::string, Face> faces;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    const double a = ends[i], b = i + 1 < ends.size() ? ends[i + 1] : ends[0] + 4;
    if (b - a < 1e-9) continue;
    const P q = on_edge(0.5 * (a + b));
    const std::string key = key_of(q);
    Face& f = faces[key];
    f.key = key;
    if (const double d = curve_distance(q); f.node < 0 && d > f.depth) f.label = q, f.depth = d;
  }
  // Map nodes: each in its face (on all cores); the deepest node labels the face.
  // The nodes lie on the map's rows: each polygon's crossings with a row's line
  // are found once per row, so a node's ray casting is a binary search (key_of
  // with the crossings shared along the row).
  std::map<double, std::vector<std::vector<double>>> row_crossings;  // clamped v -> per polygon
  const auto clamped = [](double x) { return std::clamp(x, 1e-7, 1 - 1e-7); };
  for (const auto& cell : s.map) row_crossings[clamped(to_p(cell.n, cell.T).v)];
  for (auto& [v, per_polygon] : row_crossings)
    for (const auto& poly : polygons) per_polygon.push_back(crossings(poly, v));
  std::vector<std::string> node_key(s.map.size());
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t k = 0; k < std::ptrdiff_t(s.map.size()); ++k) {
    const P q = to_p(s.map[k].n, s.map[k].T);
    std::string key;
    for (const auto& xs : row_crossings.at(clamped(q.v))) key += inside(xs, clamped(q.u)) ? '1' : '0';
    node_key[k] = std::move(key);
  }
  for (std::size_t k = 0; k < s.map.size(); ++k) {
    const P q = to_p(s.map[k].n, s.map[k].T);
    auto it = faces.find(node_key[k]);
    if (it == faces.end()) continue;  // cannot happen for chords; left unlabelled
    Face& f = it->second;
    ++f.nodes;
    // The label goes where the face is widest: farthest from the curves and
    // the window's edge. Its counts come from the node holding a count that is
    // farthest from the curves (the window's edge does not matter for a count:
    // the window's ends are counted just inside). The distance to the curves
    // is only needed where it can beat the depths so far.
    const double edge = std::min({q.u, 1 - q.u, q.v, 1 - q.v});
    const bool counted = s.map[k].stable >= 0;
    if (!counted && f.node >= 0 && edge <= f.depth) continue;
    // Below this the distance changes nothing (neither the label nor the count node).
    const double floor = std::min(f.node >= 0 ? f.depth : -1.0,
                                  counted ? (f.count_node >= 0 ? f.count_depth : -1.0) : std::numeric_limits<double>::infinity());
    const double c = curve_distance(q, floor), d = std::min(c, edge);
    if (f.node < 0 || d > f.depth) f.label = q, f.depth = d, f.node = int(k);
    if (counted && (f.count_node < 0 || c > f.count_depth)) f.count_depth = c, f.count_node = int(k);
  }
  std::vector<std::pair<std::string, RegionLabel>> labelled;
  for (auto& [key, f] : faces) {
    RegionLabel r;
    r.n = o.n_min + f.label.u * (o.n_max - o.n_min);
    r.T = o.T_min + f.label.v * (o.T_max - o.T_min);
    r.cells = f.nodes;
    // A counted node within a map cell of a curve is not trusted with the face's count.
    const double cell = std::hypot(1.0 / std::max(1, o.map_n_cells), 1.0 / std::max(1, o.map_T_cells));
    if (f.count_node >= 0 && (f.count_depth >= cell || !count_at)) {
      r.stable = s.map[f.count_node].stable, r.total = s.map[f.count_node].total;
    } else if (count_at) {
      const RegionCell c = count_at(r.n, r.T);
      r.stable = c.stable, r.total = c.total;
    }
    labelled.push_back({key, r});
  }
  std::sort(labelled.begin(), labelled.end(), [](const auto& a, const auto& b) { return a.second.cells > b.second.cells; });
  std::map<std::string, int> face_index;
  for (const auto& [key, r] : labelled) {
    face_index[key] = int(out.regions.size());
    out.regions.push_back(r);
  }
  out.node_region.assign(s.map.size(), -1);
  for (std::size_t k = 0; k < s.map.size(); ++k) {
    const auto it = face_index.find(node_key[k]);
    if (it == face_index.end()) continue;
    out.node_region[k] = it->second;
    if (s.map[k].stable < 0) continue;  // no count at this node
    ++out.nodes_checked;
    const int face_count = out.regions[it->second].stable;
    if (s.map[k].stable != face_count)
      out.disagreements.push_back(fmt::format("map node n={:.6g} T={:.6g} counts {} stable, its region {}", s.map[k].n,
                                              s.map[k].T, s.map[k].stable, face_count));
  }
  out.exact = true;
  return out;
}

}  // namespace waddington::reduced
