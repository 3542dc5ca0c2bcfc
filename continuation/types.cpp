#include "continuation/types.hpp"

#include "common/enum_names.hpp"

namespace waddington::continuation {
namespace {

constexpr EnumName<Stability> kStabilityNames[] = {{Stability::kStable, "stable"},
                                                   {Stability::kUnstable, "unstable"},
                                                   {Stability::kSaddle, "saddle"},
                                                   {Stability::kUnknown, "unknown"}};
constexpr EnumName<SpecialPointType> kSpecialPointNames[] = {{SpecialPointType::kFold, "fold"},
                                                             {SpecialPointType::kBranchPoint, "branch_point"},
                                                             {SpecialPointType::kBoundary, "boundary"},
                                                             {SpecialPointType::kEndpoint, "endpoint"},
                                                             {SpecialPointType::kCusp, "cusp"},
                                                             {SpecialPointType::kHopf, "hopf"}};
constexpr EnumName<Termination> kTerminationNames[] = {{Termination::kNotRun, "not_run"},
                                                       {Termination::kReachedParameterBound, "reached_parameter_bound"},
                                                       {Termination::kLeftDomain, "left_domain"},
                                                       {Termination::kClosedLoop, "closed_loop"},
                                                       {Termination::kMaxSteps, "max_steps"},
                                                       {Termination::kStepTooSmall, "step_too_small"},
                                                       {Termination::kStartFailed, "start_failed"},
                                                       {Termination::kInvalidOptions, "invalid_options"}};

}  // namespace

const char* ToString(Stability value) { return enum_to_string(kStabilityNames, value); }
const char* ToString(SpecialPointType value) { return enum_to_string(kSpecialPointNames, value); }
const char* ToString(Termination value) { return enum_to_string(kTerminationNames, value); }

bool FromString(const std::string& text, Stability* value) { return enum_from_string(kStabilityNames, text, value); }
bool FromString(const std::string& text, SpecialPointType* value) {
  return enum_from_string(kSpecialPointNames, text, value);
}
bool FromString(const std::string& text, Termination* value) { return enum_from_string(kTerminationNames, text, value); }

}  // namespace waddington::continuation
