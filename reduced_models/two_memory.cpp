#include "reduced_models/two_memory.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace waddington::reduced {

bool TwoMemoryParameters::IsValid(std::string* why) const {
  auto fail = [why](std::string message) {
    if (why) *why = std::move(message);
    return false;
  };
  for (auto [name, value] : {std::pair{"AA", AA}, {"AB", AB}, {"BB", BB}, {"n", n}, {"T", T}})
    if (!std::isfinite(value)) return fail(fmt::format("{} = {} is not a finite number", name, value));
  if (!(AA > 0)) return fail(fmt::format("AA = {} must be positive (it is <A,A>)", AA));
  if (!(BB > 0)) return fail(fmt::format("BB = {} must be positive (it is <B,B>)", BB));
  if (AB * AB > AA * BB * (1 + 1e-12))
    return fail(fmt::format("AB^2 = {:.6g} exceeds AA*BB = {:.6g}: not the dot products of two vectors", AB * AB, AA * BB));
  if (!(n > 0)) return fail(fmt::format("n = {} must be positive", n));
  if (m && !(std::isfinite(*m) && *m >= 0.5)) return fail(fmt::format("m = {} must be a finite number >= 0.5", *m));
  if (!m && n < 0.5) return fail(fmt::format("n = {} < 0.5 needs an explicit m >= 0.5 (m defaults to n)", n));
  if (!(T > 0)) return fail(fmt::format("T = {} must be positive", T));
  if (!(std::isfinite(identical_memories) && identical_memories >= 1))
    return fail(fmt::format("identical memories k = {} must be >= 1", identical_memories));
  if (classes < (same_class ? 1 : 2)) return fail(fmt::format("classes C = {} must be >= {}", classes, same_class ? 1 : 2));
  if (chart != 1 && chart != -1) return fail(fmt::format("chart = {} must be +1 or -1", chart));
  if (num_pixels <= 0) return fail(fmt::format("number of pixels N = {} must be positive", num_pixels));
  // (x_max)^n must stay representable (it enters as exp(n log x)).
  if (n * std::log(max_overlap()) > 700)
    return fail(fmt::format("(x_max)^n overflows: x_max = max(AA,BB)/T_eff = {:.4g} with n = {}; raise T or lower n",
                            max_overlap(), n));
  return true;
}

void TwoMemoryParameters::Validate() const {
  if (std::string why; !IsValid(&why)) throw InputError(why);
}

double TwoMemoryParameters::max_overlap() const {
  // On |alpha_A|+|alpha_B| = 1 the overlaps are at most max(AA, |AB|) and max(|AB|, BB).
  return std::max({AA, BB, std::abs(AB)}) / effective_temperature();
}

bool in_dead_region(const TwoMemoryParameters& p, double alpha) {
  const double alpha_B = chart_alpha_B(p.chart, alpha);
  return !(alpha * p.AA + alpha_B * p.AB > 0) && !(alpha * p.AB + alpha_B * p.BB > 0);
}

TwoMemoryParameters with_samples(TwoMemoryParameters p, const Eigen::VectorXd& A, const Eigen::VectorXd& B) {
  if (A.size() != B.size() || A.size() == 0)
    throw InputError(fmt::format("samples of different or zero length ({} and {})", A.size(), B.size()));
  p.AA = A.dot(A);
  p.AB = A.dot(B);
  p.BB = B.dot(B);
  p.num_pixels = int(A.size());
  return p;
}

}  // namespace waddington::reduced
