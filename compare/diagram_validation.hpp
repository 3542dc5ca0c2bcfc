#pragma once
// Diagram validation (issue 11, item 5): the stable branches of a bifurcation
// diagram of the reduced flow (reduced_models/bifurcation.hpp) held against the
// full trainer. At each validation value of the diagram's parameter (n or T),
// the full network with two memories on the two samples (compare/full_pair.hpp:
// the trainer's own step, one epoch = one step, reduced time = epochs x rate)
// is trained from starts in the basin of every stable equilibrium there, and
// its final state is measured against the stable branches.
//
// Stable equilibria at a value v: every segment of a diagram branch whose
// parameter interval contains v and with at least one stable end, linearly
// interpolated at exactly v (a segment is one arclength step, so the
// interpolation error is O(ds^2); a segment where stability changes counts,
// which matters only within one step of a fold).
//
// Starts, per stable equilibrium E at v, each run twice (unless
// symmetric_runs is off): with both memories at the same (alpha, ell)
// ("symmetric", split 0: the two memories stay identical, so the full trainer
// is exactly the k = 2 system the diagram describes), and with memory 0 at
// alpha + split/2, memory 1 at alpha - split/2 ("split": a splitting
// instability of the K = 2 system shows, docs/model.md §2.2):
//   "equilibrium": E moved by `perturbation` in alpha and in ell, towards the
//                  inside of the domain;
//   "basin":       of a grid_alpha x grid_ell grid of starts on the chart of the
//                  setup, those the reduced flow (reduced_models/trajectory.hpp)
//                  carries to E (within basin_tolerance); the one farthest from E.
// Training stops when the projected state stops moving, i.e. when
// max |change of alpha, alpha_B, ell| per epoch / rate < stop_speed for both
// memories (a speed in reduced time), or the same holds for the mean of two
// epochs (a settled period-2 cycle, below, whose one-epoch swing is below
// 0.01), or after max_epochs ("not converged").
// The trainer is explicit Euler in reduced time, whose fixed points are the
// flow's for any rate; but where the label direction is stiff (the inner
// layer around ell = 0) a large rate leaves the trainer in a period-2
// oscillation around the equilibrium instead (at n = 10, T = 700: distance
// ~1e-3 at the paper's rate 0.005, ~5e-4 at 0.001). The final state is
// therefore the mean of the last two epochs (the centre of such an
// oscillation; the last state when converged), and `oscillation` is the
// last epoch's change. Default rate 0.001.
//
// Distance to the stable branches, per memory: the max-norm in
// (alpha, alpha_B, ell) from its projected state to the nearest stable
// equilibrium at v. Between states on one chart, |d alpha_B| <= |d alpha|, so
// this is the max-norm in (alpha, ell) there; it stays finite for a memory that
// ended on the other chart (alpha_B < 0, e.g. just past alpha = 1). The memories end apart when their final states
// differ by more than apart_threshold (max-norm in (alpha, ell)): the
// symmetric K = 2 state split, and the k = 2 diagram need not describe them.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "lib/data_dir.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/setup.hpp"

namespace waddington::compare {

struct DiagramValidationOptions {
  // The parameter values to validate at; empty: `count` equally spaced values
  // over the diagram's window, both ends included.
  std::vector<double> values;
  int count = 11;
  // Learning rate and the epoch limit of every run (reduced time = epochs x rate).
  double rate = 0.001;
  int max_epochs = 50000;
  // Convergence: the projected state's speed in reduced time below this.
  double stop_speed = 1e-6;
  // "equilibrium" starts: offset of the start from the equilibrium in alpha and ell.
  double perturbation = 0.02;
  // Symmetry breaking between the two memories (in alpha) at the start.
  double split = 1e-4;
  // Also run every start with split 0 (the check of the diagram itself).
  bool symmetric_runs = true;
  // The memories ended apart when their final states differ by more than this.
  double apart_threshold = 0.01;
  // "basin" starts: the grid (alpha in [0.1, 0.9], ell in [-0.6, 0.6]), and how
  // close the reduced flow must end to an equilibrium to be in its basin.
  // grid_alpha = 0 turns the basin starts off.
  int grid_alpha = 5, grid_ell = 3;
  double basin_tolerance = 1e-3;
  // Called with (runs done, runs in all) as the validation progresses. May be empty.
  std::function<void(int, int)> on_progress;

  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const;
};

enum class ValidationTermination {
  kNotRun,           // validate_diagram was not called (or threw)
  kConverged,        // every run stopped moving before max_epochs
  kNotConverged,     // some runs reached max_epochs still moving (their rows say which)
  kNoStableBranch,   // some validation value has no stable equilibrium on the diagram (nothing to check there)
};
const char* ToString(ValidationTermination t);
bool FromString(const std::string& text, ValidationTermination* t);

// A stable equilibrium of the diagram at one parameter value.
struct StableEquilibrium {
  int branch = -1;  // the diagram branch it was interpolated on
  int chart = +1;
  double alpha = 0, alpha_B = 0, ell = 0;
};

// One memory at the end of one run.
struct ValidationRow {
  double value = 0;          // the parameter value (n or T)
  int run = 0;               // runs are numbered over the whole validation
  int memory = 0;            // 0 or 1
  std::string start_kind;    // "equilibrium" or "basin"
  double split = 0;          // the initial |alpha_0 - alpha_1| (0: a symmetric run)
  double start_alpha = 0, start_ell = 0;
  int start_equilibrium = -1;  // index into the value's equilibria: the basin the start is in
  double alpha_final = 0, alpha_B_final = 0, ell_final = 0;  // mean of the last two epochs
  double oscillation = 0;     // max |change of alpha, alpha_B, ell| in the last epoch (not per unit time)
  double distance = 0;        // to the nearest stable equilibrium (inf: none at this value)
  int nearest = -1;           // its index (-1: none)
  int nearest_branch = -1;
  bool same_basin = false;    // nearest == start_equilibrium
  int epochs = 0;
  bool converged = false;
  bool apart = false;         // the two memories ended apart
  double label_asymmetry = 0, gamma_offset = 0, norm_offset = 0;  // compare/full_pair.hpp
};

struct DiagramValidationSummary {
  ValidationTermination termination = ValidationTermination::kNotRun;
  DiagramValidationOptions options;
  std::string parameter = "n";
  std::vector<double> values;
  std::vector<std::vector<StableEquilibrium>> equilibria;  // per value
  std::vector<ValidationRow> rows;  // two per run
  int runs = 0, runs_converged = 0, runs_apart = 0, runs_symmetric = 0;
  // Over all rows; over the rows of symmetric runs (split 0: the diagram's own
  // check); over the rows of split runs; over the rows of converged runs whose
  // memories stayed together.
  double max_distance = 0, max_distance_symmetric = 0, max_distance_split = 0, max_distance_together = 0;
  int max_distance_row = -1, max_distance_symmetric_row = -1;
  std::vector<std::string> warnings;
  double seconds = 0;

  bool complete() const { return termination == ValidationTermination::kConverged; }
  // e.g. "validation: 11 n values, 34 runs (34 converged, 0 apart): max distance 3.1e-07 ..."
  std::string BriefReport() const;
  std::string FullReport() const;  // one line per run
  nlohmann::json ToJson() const;   // summary (not the rows)
};

// The stable equilibria of `diagram` at `value` (see above), in branch order.
std::vector<StableEquilibrium> stable_equilibria_at(const reduced::DiagramSummary& diagram, double value);

// Max-norm distance in (alpha, alpha_B, ell) from a state to the nearest of
// `points`; sets *index (-1 and +inf when there is none).
double distance_to_stable(const std::vector<StableEquilibrium>& points, double alpha, double alpha_B, double ell,
                          int* index = nullptr);

// Runs the validation. `setup` must carry the samples (setup.A, setup.B) and
// the parameters the diagram was computed with. Throws InputError.
DiagramValidationSummary validate_diagram(const reduced::TwoMemorySetup& setup, const reduced::DiagramSummary& diagram,
                                          const DiagramValidationOptions& options);

// The samples the full trainer needs: the setup's own when it has them (--images,
// --pair); otherwise, when the setup's dot products are the paper's Figure 5
// pair, rows 21 and 81 of DIR/paper200/paper200_images.npy (DIR: `dir`, by
// default lib/data_dir.hpp's data_dir()), whose Gram matrix is checked against
// the setup's (to 5e-4). Throws InputError naming what is missing.
reduced::TwoMemorySetup with_validation_samples(const reduced::TwoMemorySetup& setup,
                                                const std::string& dir = waddington::data_dir());

// A bifurcation diagram with its (optional) validation, as one run summary:
// complete when the diagram is and the validation, if it ran, is too; ToJson()
// is the diagram's with the validation under "validation" (when it ran) and
// "complete". Refers to both; they must outlive it.
struct ValidatedDiagramSummary {
  const reduced::DiagramSummary& diagram;
  const DiagramValidationSummary& validation;
  std::vector<std::string> warnings;  // the diagram's, then the validation's

  ValidatedDiagramSummary(const reduced::DiagramSummary& diagram, const DiagramValidationSummary& validation);
  bool complete() const;
  nlohmann::json ToJson() const;
};

}  // namespace waddington::compare
