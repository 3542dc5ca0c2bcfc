#include "reduced_models/termination.hpp"

#include "common/enum_names.hpp"

namespace waddington::reduced {
namespace {
constexpr EnumName<AnalysisTermination> kNames[] = {{AnalysisTermination::kNotRun, "not_run"},
                                                    {AnalysisTermination::kComplete, "complete"},
                                                    {AnalysisTermination::kIncomplete, "incomplete"}};
}  // namespace

const char* ToString(AnalysisTermination t) { return enum_to_string(kNames, t); }
bool FromString(const std::string& text, AnalysisTermination* t) { return enum_from_string(kNames, text, t); }

}  // namespace waddington::reduced
