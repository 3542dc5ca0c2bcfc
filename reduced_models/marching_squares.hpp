#pragma once
// Marching squares on one grid cell: the segments of the zero level set of a
// function known at the four corners (bilinear model, saddles resolved by the
// centre value). Shared by the nullclines, the brute-force grid finder and the
// crossing test of the equilibrium search.
#include <array>
#include <vector>

namespace waddington::reduced::detail {

struct CellPoint {
  double u = 0, v = 0;  // local coordinates in [0,1]^2 (u along alpha, v along ell)
  int edge = 0;         // 0 bottom (v=0), 1 right (u=1), 2 top (v=1), 3 left (u=0)
};
struct CellSegment {
  CellPoint a, b;
};

// Corner values f00 = f(u=0,v=0), f10 = f(1,0), f11 = f(1,1), f01 = f(0,1).
// Up to two segments; a corner value exactly 0 counts as positive.
inline int cell_segments(double f00, double f10, double f11, double f01, std::array<CellSegment, 2>& out) {
  const double f[4] = {f00, f10, f11, f01};
  // Corner k runs along edge k from corner k to corner k+1 (counter-clockwise).
  static constexpr double cu[4] = {0, 1, 1, 0}, cv[4] = {0, 0, 1, 1};
  CellPoint hits[4];
  int count = 0;
  for (int e = 0; e < 4; ++e) {
    const double f0 = f[e], f1 = f[(e + 1) % 4];
    if ((f0 >= 0) == (f1 >= 0)) continue;
    const double t = f0 / (f0 - f1);
    const int k1 = (e + 1) % 4;
    hits[count++] = {cu[e] + t * (cu[k1] - cu[e]), cv[e] + t * (cv[k1] - cv[e]), e};
  }
  if (count == 2) {
    out[0] = {hits[0], hits[1]};
    return 1;
  }
  if (count == 4) {
    // Saddle cell: the centre's sign says which corners are joined.
    const double centre = 0.25 * (f00 + f10 + f11 + f01);
    const bool centre_like_f00 = (centre >= 0) == (f00 >= 0);
    if (centre_like_f00) {  // f00's region reaches the centre: cut off corners 1 and 3
      out[0] = {hits[0], hits[1]};
      out[1] = {hits[2], hits[3]};
    } else {  // cut off corners 0 and 2
      out[0] = {hits[3], hits[0]};
      out[1] = {hits[1], hits[2]};
    }
    return 2;
  }
  return 0;
}

// Whether segments p1-p2 and q1-q2 intersect (closed segments).
inline bool segments_intersect(const CellPoint& p1, const CellPoint& p2, const CellPoint& q1, const CellPoint& q2) {
  auto cross = [](const CellPoint& o, const CellPoint& a, const CellPoint& b) {
    return (a.u - o.u) * (b.v - o.v) - (a.v - o.v) * (b.u - o.u);
  };
  const double d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2);
  return ((d1 > 0) != (d2 > 0) || d1 == 0 || d2 == 0) && ((d3 > 0) != (d4 > 0) || d3 == 0 || d4 == 0);
}

}  // namespace waddington::reduced::detail
