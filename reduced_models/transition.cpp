#include "reduced_models/transition.hpp"

#include <fmt/format.h>

#include <cmath>

#include "common/enum_names.hpp"
#include "lib/errors.hpp"

namespace waddington::reduced {

namespace {
constexpr EnumName<TransitionKind> kKindNames[] = {{TransitionKind::kIntra, "intra"}, {TransitionKind::kInter, "inter"}};
}  // namespace

const char* ToString(TransitionKind kind) { return enum_to_string(kKindNames, kind); }
bool FromString(const std::string& text, TransitionKind* kind) { return enum_from_string(kKindNames, text, kind); }

double transition_activation(double m) {
  if (!(std::isfinite(m) && m > 0)) throw InputError(fmt::format("cost power m = {} must be positive", m));
  // y = 1 - 2^(-1/(2m)) = -expm1(-ln2/(2m)); artanh(y) = log1p(2y/(1-y))/2.
  const double y = -std::expm1(-std::log(2.0) / (2 * m));
  return 0.5 * std::log1p(2 * y / (1 - y));
}

double prototype_transition_temperature(double self_overlap, double cross_overlap, double n, std::optional<double> m) {
  if (!(std::isfinite(n) && n > 0)) throw InputError(fmt::format("power n = {} must be positive", n));
  const double x = std::exp(std::log(transition_activation(m.value_or(n))) / n);  // artanh(...)^(1/n)
  return (self_overlap + cross_overlap) / (2 * x);
}

std::vector<TransitionLinePoint> transition_line(TransitionKind kind, double AA, double AB, double BB,
                                                 const std::vector<double>& n_values, int num_pixels,
                                                 std::optional<double> m) {
  if (num_pixels <= 0) throw InputError(fmt::format("number of pixels {} must be positive", num_pixels));
  std::vector<TransitionLinePoint> line;
  for (double n : n_values) {
    const int memories = kind == TransitionKind::kInter ? 2 : 1;
    for (int memory = 1; memory <= memories; ++memory) {
      TransitionLinePoint p;
      p.n = n;
      p.memory = memory;
      p.T_star = prototype_transition_temperature(memory == 1 ? AA : BB, AB, n, m);
      p.Tr_star = p.T_star / num_pixels;
      line.push_back(p);
    }
  }
  return line;
}

}  // namespace waddington::reduced
