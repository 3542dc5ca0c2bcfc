// ToString/FromString of every enum written with common/enum_names.hpp: each
// name reads back as its value, names are distinct, unknown text is refused.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "common/enum_names.hpp"
#include "continuation/types.hpp"
#include "lib/npy.hpp"
#include "lib/run_analysis.hpp"
#include "lib/trainer.hpp"
#include "reduced_models/trajectory.hpp"

namespace {

template <class Enum>
void check_round_trip(std::initializer_list<Enum> values) {
  std::set<std::string> names;
  for (Enum value : values) {
    const std::string name = ToString(value);
    INFO(name);
    CHECK(names.insert(name).second);
    Enum back = *values.begin() == value ? *(values.end() - 1) : *values.begin();
    CHECK(FromString(name, &back));
    CHECK(back == value);
  }
  Enum untouched = *values.begin();
  CHECK_FALSE(FromString("no such name", &untouched));
  CHECK(untouched == *values.begin());
}

}  // namespace

TEST_CASE("enum names: lib, continuation and reduced enums round-trip", "[short]") {
  using namespace waddington;
  check_round_trip({MemoryBound::kNormalize, MemoryBound::kClip});
  check_round_trip({TrainerTermination::kNotRun, TrainerTermination::kCompleted, TrainerTermination::kNonFinite});
  check_round_trip({NpyDtype::kFloat64, NpyDtype::kFloat32, NpyDtype::kUint8, NpyDtype::kInt64});
  check_round_trip({RunAnalysisTermination::kNotRun, RunAnalysisTermination::kCompleted,
                    RunAnalysisTermination::kRunIncomplete, RunAnalysisTermination::kNonFinite});
  using namespace waddington::continuation;
  check_round_trip({Stability::kStable, Stability::kUnstable, Stability::kSaddle, Stability::kUnknown});
  check_round_trip({SpecialPointType::kFold, SpecialPointType::kBranchPoint, SpecialPointType::kBoundary,
                    SpecialPointType::kEndpoint, SpecialPointType::kCusp, SpecialPointType::kHopf});
  check_round_trip({Termination::kNotRun, Termination::kReachedParameterBound, Termination::kLeftDomain,
                    Termination::kClosedLoop, Termination::kMaxSteps, Termination::kStepTooSmall,
                    Termination::kStartFailed, Termination::kInvalidOptions});
  using waddington::reduced::TrajectoryTermination;
  check_round_trip({TrajectoryTermination::kFixedPoint, TrajectoryTermination::kTimeLimit,
                    TrajectoryTermination::kLeftChart, TrajectoryTermination::kStepLimit});
  CHECK(std::string(ToString(MemoryBound::kClip)) == "clip");
  CHECK(std::string(ToString(Termination::kReachedParameterBound)) == "reached_parameter_bound");
}

TEST_CASE("enum names: a value missing from its table is \"unknown\"", "[short]") {
  enum class Colour { kRed, kBlue, kGreen };
  constexpr waddington::EnumName<Colour> names[] = {{Colour::kRed, "red"}, {Colour::kBlue, "blue"}};
  static_assert(std::string_view(waddington::enum_to_string(names, Colour::kBlue)) == "blue");
  CHECK(std::string(waddington::enum_to_string(names, Colour::kGreen)) == "unknown");
}
