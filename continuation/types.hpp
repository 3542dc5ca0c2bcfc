#pragma once
// The enums shared by problems and results, each with ToString/FromString.
#include <string>

namespace waddington::continuation {

enum class Stability {
  kStable,    // every eigenvalue has a negative real part (0 unstable)
  kUnstable,  // every eigenvalue has a positive real part
  kSaddle,    // some of each (or a neutral direction with unstable ones)
  kUnknown,   // not computed (compute_stability = false or eigenvalues not finite)
};

enum class SpecialPointType {
  kFold,         // turning point in p (saddle-node)
  kBranchPoint,  // two branches cross (simple branch point)
  kBoundary,     // the branch leaves the domain (a boundary function crosses 0)
  kEndpoint,     // the branch ends: parameter bound, closed loop, or last point
  kCusp,         // two fold curves meet (fold-curve continuation only)
  kHopf,         // a complex pair +-i omega crosses the imaginary axis (Andronov-Hopf)
};

enum class Termination {
  kNotRun,                 // continuation has not been run
  kReachedParameterBound,  // the branch reached p_min or p_max (complete)
  kLeftDomain,             // a boundary function crossed zero (complete)
  kClosedLoop,             // the branch returned to its first point (complete)
  kMaxSteps,               // max_steps accepted points: the branch is truncated
  kStepTooSmall,           // Newton failed with ds < ds_min: the branch is truncated
  kStartFailed,            // no solution near the start (or the start is outside the domain)
  kInvalidOptions,         // options or start invalid (message says why); nothing computed
};

const char* ToString(Stability value);
const char* ToString(SpecialPointType value);
const char* ToString(Termination value);
// False (and *value untouched) when text names no value.
bool FromString(const std::string& text, Stability* value);
bool FromString(const std::string& text, SpecialPointType* value);
bool FromString(const std::string& text, Termination* value);

}  // namespace waddington::continuation
