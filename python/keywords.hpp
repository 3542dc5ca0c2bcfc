#pragma once
// Python keywords -> library options, in one place (keywords.cpp). Every
// keyword is a CLI option name without the leading "--" and with '-' written
// '_' (--search-alpha-cells -> search_alpha_cells), so renaming an option in
// apps/ is one string here. Values are set on the library's Options structs, whose
// defaults are the CLI's; the library validates them (InputError, which the
// module raises as ValueError with the CLI's one-line message).
#include <pybind11/pybind11.h>

#include <functional>
#include <string>
#include <vector>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_folds.hpp"
#include "reduced_models/setup.hpp"
#include "compare/compare.hpp"
#include "compare/eigencheck.hpp"
#include "lib/option_text.hpp"
#include "lib/training_run.hpp"
#include "lib/memory_analysis.hpp"
#include "reduced_models/portrait.hpp"

namespace waddington::python {

namespace py = pybind11;

// The keywords of one function: each one a CLI option and a setter.
class Keywords {
 public:
  explicit Keywords(std::string function) : function_(std::move(function)) {}
  // `option` is the CLI's ("--search-alpha-cells"); the keyword is derived from it.
  void add(const std::string& option, std::function<void(py::handle)> set);
  template <class T>
  void add_field(const std::string& option, T* field) {
    add(option, [field](py::handle h) { *field = py::cast<T>(h); });
  }
  // Applies `kwargs`: TypeError for an unknown keyword or a value of the wrong type.
  void apply(const py::kwargs& kwargs);
  // True when the keyword of `option` was given.
  bool given(const std::string& option) const;
  // The keywords, for the docstrings and the error message.
  std::vector<std::string> names() const;
  // (keyword, CLI option) of every keyword.
  std::vector<std::pair<std::string, std::string>> table() const;

 private:
  struct Entry {
    std::string keyword, option;
    std::function<void(py::handle)> set;
  };
  std::string function_;
  std::vector<Entry> entries_;
  std::vector<std::string> given_;
};

// (keyword, CLI option) of every keyword of a module function ("fixed_points",
// "continue_diagram", ...), for the test that holds them against the CLI's --help.
std::vector<std::pair<std::string, std::string>> keyword_table(const std::string& function);

// The keyword of a CLI option: "--search-alpha-cells" -> "search_alpha_cells".
std::string keyword_of(const std::string& option);

// The CLI's vocabulary with its messages, the same functions the CLI uses
// (lib/option_text.hpp): "A:B" as a closed window [A, B] (finite, A < B) and
// "ALPHA,ELL" as a point. Both throw InputError naming `option`.
using waddington::parse_point;
using waddington::parse_window;
// Setters of a window keyword (a text "A:B" or a pair (A, B)) and of a point
// keyword (a text "ALPHA,ELL" or a pair), stored as the text the CLI parses
// (numbers printed shortest round-trip, so a pair reads back exactly).
std::function<void(py::handle)> window_setter(std::string* text);
std::function<void(py::handle)> point_setter(std::string* text);

// The reduced-model options every reduced function shares (apps/reduced_options.*):
// AA AB BB images pair n m T Tr memories_identical classes chart same_class.
struct ReducedKeywords {
  reduced::TwoMemorySetupOptions setup;
  std::string pair;  // "I,J" (a pair of ints is written so); read without the GIL
  void add_to(Keywords& k);
  // The set-up (reduced::two_memory_setup), checked as the CLI checks it.
  reduced::TwoMemorySetup make(const Keywords& k) const;
};

// fixed_points(...): the reduced options, reduced::FixedPointOptions and
// --alpha-range (default -1:1, as `waddington fixed-points`).
struct FixedPointKeywords {
  reduced::FixedPointOptions options;
  std::string alpha_range = "-1:1";
};
void fixed_points_keywords(Keywords& k, ReducedKeywords& r, FixedPointKeywords& f);
// The options with the alpha window of --alpha-range.
reduced::FixedPointOptions check_fixed_points(const FixedPointKeywords& f);

// continue_diagram(...): the reduced options and reduced::DiagramOptions;
// `param`, `method`, `system`, `start` and the windows as the CLI's text.
// The window of --param is --n-range (default 1:60) or --T-range/--Tr-range
// (default T_r 0.8:1.15); `window` = (A, B) is the module's short form of the
// window of --param, whichever it is (the CLI's deprecated --from A --to B).
struct DiagramKeywords {
  std::string param = "n", method = "continuation", system = "reduced";
  std::string start, n_range, T_range, Tr_range, alpha_range = "-1:1";
  bool window_given = false;
  std::pair<double, double> window;
  bool no_count_audit = false, no_fold_check = false;
  reduced::DiagramOptions options;
};
void diagram_keywords(Keywords& k, ReducedKeywords& r, DiagramKeywords& d);
// Checks `param`, `method`, `system`, `start` and which windows apply, as
// `waddington continue` does before it reads the data.
reduced::DiagramMethod check_diagram(const Keywords& k, DiagramKeywords& d);
// Sets the window of the continued parameter (N: the pixels of the data, for
// --Tr-range) and the alpha window, with the CLI's messages.
void diagram_windows(DiagramKeywords& d, double num_pixels);

// fold_curves(...): the reduced options and reduced::FoldPlaneOptions.
struct FoldKeywords {
  std::string n_range = "2:80", T_range, Tr_range, method = "continuation";
  std::vector<int> map_cells = {156, 70};
  std::vector<double> report_Tr = {0.893, 0.957};
  reduced::FoldPlaneOptions options;
};
void fold_keywords(Keywords& k, ReducedKeywords& r, FoldKeywords& f);
// `method`, and that --n/--T/--Tr are not given (before the data are read).
reduced::DiagramMethod check_fold(const Keywords& k, FoldKeywords& f);
// The n and T windows (default T_r 0.8:1.15 times N) and the map cells.
void fold_windows(FoldKeywords& f, double num_pixels);

// compare(...) and eigencheck(...).
struct CompareKeywords {
  std::string start = "0.45,0.0";
  compare::CompareOptions options;
};
void compare_keywords(Keywords& k, ReducedKeywords& r, CompareKeywords& c);
void eigencheck_keywords(Keywords& k, ReducedKeywords& r, compare::EigencheckOptions& o);
// compare and eigencheck run the k = 2 flow (two full memories): --memories-identical is refused.
void check_no_identical(const Keywords& k, const char* command);

// train(...): lib::TrainingRunOptions (images and labels as arrays or files).
struct TrainKeywords {
  TrainingRunOptions run;
  std::string sample = "first", bound = "normalize";
  int threads = 1;
};
void train_keywords(Keywords& k, TrainKeywords& t);
// Checks sample and bound and sets them, as `waddington train` does.
void check_train(TrainKeywords& t);

// analyze(...): MemoryAnalysisOptions.
void analyze_keywords(Keywords& k, MemoryAnalysisOptions& o);

}  // namespace waddington::python

namespace waddington::python {
// phase_portrait(...) (apps/cmd_phase_portrait.cpp): the reduced options,
// reduced::PortraitOptions, the trajectories' starts (--start, repeatable:
// start=(a, l) or start=[(a, l), ...] or "a,l" texts) and their time,
// epochs x rate; --alpha-range defaults to 0:1.
struct PortraitKeywords {
  reduced::PortraitOptions options;
  std::vector<std::string> starts;
  std::string alpha_range = "0:1";
  double epochs = 10000, rate = 0.005;
};
void portrait_keywords(Keywords& k, ReducedKeywords& r, PortraitKeywords& p);
// Sets the alpha window, checks the options and returns the starts, with the CLI's messages.
std::vector<std::pair<double, double>> portrait_starts(PortraitKeywords& p);
// The time of each trajectory (duration x rate), checked as the CLI checks it.
double portrait_time(const PortraitKeywords& p);
}  // namespace waddington::python

#include "compare/transition_verify.hpp"

namespace waddington::python {
// transition_line(...) (apps/cmd_transition_line.cpp), the analytic line only
// (the CLI's --verify trains a sweep into --out; use the CLI for it).
struct TransitionKeywords {
  std::string images, labels, pair, class_means, kind = "intra", n_list, n_range = "2:40", Tr_range = "0.5:1.5";
  double Tr_step = 0.02, n_step = 1;
  std::string crossing = "last";
  compare::TransitionOptions options;
};
void transition_keywords(Keywords& k, TransitionKeywords& t);
// The n values as the grid reads them ("A:B:S" from --n-range and --n-step,
// an older "A:B:S" --n-range as is), with the windows checked as the CLI checks them.
std::string transition_n_spec(const Keywords& k, const TransitionKeywords& t);
}  // namespace waddington::python
