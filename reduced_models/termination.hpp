#pragma once
// How a reduced-model analysis (fixed points, diagram, fold curves) ended:
// the termination every reduced summary carries, like the engine's
// continuation::Termination and the trainer's TrainerTermination.
#include <string>

namespace waddington::reduced {

enum class AnalysisTermination {
  kNotRun,      // the analysis has not been run
  kComplete,    // every branch or curve ended where it should (window, boundary, closed loop) and every point converged
  kIncomplete,  // some part stopped early or did not converge: the summary's warnings say which
};

const char* ToString(AnalysisTermination t);
bool FromString(const std::string& text, AnalysisTermination* t);

}  // namespace waddington::reduced
