#pragma once
// Python keywords -> library options, in one place (keywords.cpp). Every
// keyword is a CLI option name without the leading "--" and with '-' written
// '_' (--seed-alpha -> seed_alpha), so renaming an option in apps/ is one
// string here. Values are set on the library's Options structs, whose
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
#include "lib/training_run.hpp"
#include "lib/memory_analysis.hpp"
#include "reduced_models/portrait.hpp"

namespace waddington::python {

namespace py = pybind11;

// The keywords of one function: each one a CLI option and a setter.
class Keywords {
 public:
  explicit Keywords(std::string function) : function_(std::move(function)) {}
  // `option` is the CLI's ("--seed-alpha"); the keyword is derived from it.
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

// The keyword of a CLI option: "--seed-alpha" -> "seed_alpha".
std::string keyword_of(const std::string& option);

// The reduced-model options every reduced function shares (apps/reduced_options.*):
// AA AB BB images pair n m T Tr memories_identical classes chart same_class.
struct ReducedKeywords {
  reduced::TwoMemorySetupOptions setup;
  std::string pair;  // "I,J" (a pair of ints is written so); read without the GIL
  void add_to(Keywords& k);
  // The set-up (reduced::two_memory_setup), checked as the CLI checks it.
  reduced::TwoMemorySetup make(const Keywords& k) const;
};

// fixed_points(...): the reduced options and reduced::FixedPointOptions.
void fixed_points_keywords(Keywords& k, ReducedKeywords& r, reduced::FixedPointOptions& o);

// continue_diagram(...): the reduced options and reduced::DiagramOptions;
// `param` and `method` as text, `window` = (from, to).
struct DiagramKeywords {
  std::string param = "n", method = "continuation";
  reduced::DiagramOptions options;
};
void diagram_keywords(Keywords& k, ReducedKeywords& r, DiagramKeywords& d);
// Checks `param`, `method` and the continued parameter as `waddington continue` does.
reduced::DiagramMethod check_diagram(const Keywords& k, DiagramKeywords& d);

// fold_curves(...): the reduced options and reduced::FoldPlaneOptions.
struct FoldKeywords {
  std::string n_range = "2:80", T_range, Tr_range, method = "continuation";
  std::vector<int> map_cells = {156, 70};
  reduced::FoldPlaneOptions options;
};
void fold_keywords(Keywords& k, ReducedKeywords& r, FoldKeywords& f);
reduced::DiagramMethod check_fold(const Keywords& k, FoldKeywords& f, double num_pixels);

// compare_full(...) and eigencheck(...).
struct CompareKeywords {
  std::string start = "0.45,0.0";
  compare::CompareOptions options;
};
void compare_keywords(Keywords& k, ReducedKeywords& r, CompareKeywords& c);
void eigencheck_keywords(Keywords& k, ReducedKeywords& r, compare::EigencheckOptions& o);

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
// reduced::PortraitOptions, the trajectories' starts and time limit.
struct PortraitKeywords {
  reduced::PortraitOptions options;
  std::string trajectories;  // "alpha,ell;alpha,ell" or a list of pairs
  double t_max = 50;
};
void portrait_keywords(Keywords& k, ReducedKeywords& r, PortraitKeywords& p);
// The starts of `trajectories`, with the CLI's message.
std::vector<std::pair<double, double>> portrait_starts(const PortraitKeywords& p);
}  // namespace waddington::python

#include "compare/transition_verify.hpp"

namespace waddington::python {
// transition_line(...) (apps/cmd_transition_line.cpp), the analytic line only
// (the CLI's --verify trains a sweep into --out; use the CLI for it).
struct TransitionKeywords {
  std::string images, labels, pair, class_means, kind = "intra", n_list, n_range = "2:40:1", Tr_range = "0.5:1.5";
  double Tr_step = 0.02;
  std::string crossing = "last";
  compare::TransitionOptions options;
};
void transition_keywords(Keywords& k, TransitionKeywords& t);
}  // namespace waddington::python
