#include "continuation/types.hpp"

#include <iterator>

namespace waddington::continuation {
namespace {

template <class Enum, std::size_t N>
bool from_table(const std::string& text, const char* const (&names)[N], Enum* value) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) {
      *value = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}

// Names in enum order.
constexpr const char* kStabilityNames[] = {"stable", "unstable", "saddle", "unknown"};
constexpr const char* kSpecialPointNames[] = {"fold", "branch_point", "boundary", "endpoint", "cusp"};
constexpr const char* kTerminationNames[] = {"not_run",   "reached_parameter_bound", "left_domain",
                                             "closed_loop", "max_steps",             "step_too_small",
                                             "start_failed", "invalid_options"};

}  // namespace

const char* ToString(Stability value) { return kStabilityNames[static_cast<int>(value)]; }
const char* ToString(SpecialPointType value) { return kSpecialPointNames[static_cast<int>(value)]; }
const char* ToString(Termination value) { return kTerminationNames[static_cast<int>(value)]; }

bool FromString(const std::string& text, Stability* value) { return from_table(text, kStabilityNames, value); }
bool FromString(const std::string& text, SpecialPointType* value) {
  return from_table(text, kSpecialPointNames, value);
}
bool FromString(const std::string& text, Termination* value) { return from_table(text, kTerminationNames, value); }

}  // namespace waddington::continuation
