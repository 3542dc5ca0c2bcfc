#pragma once
// The paper's Figure 6 experiment: the analytic feature-to-prototype line
// T_r*(n) (docs/model.md §3, reduced_models/transition.hpp) against the full
// trainer (docs/model.md §1.1) on a grid of (n, T_r), run on the sweep engine.
//
// Intra-digit: one memory trained on two samples of one class, from the
// seeded Gaussian start. Inter-digit: two memories on two samples (or class
// means) A, B of two classes, from the start of the published Figure 6 code:
// memory 1 = 0.5 A - 0.2 B with label +1 on A's class, memory 2 = 0.5 B - 0.2 A
// with +1 on B's class, every other label -1.
//
// Per cell: alpha = M X^+ on the two samples (docs/model.md §1.2); the dominant
// alpha of a memory is the larger of its two coefficients (about 0.5 for a
// mixture of two samples of one class, about 1 for a prototype).
//
// The switch criterion: at each n (and memory) the cells that finished are
// scanned in T_r. The switch T_r is where the dominant alpha crosses
// `threshold` (default 0.75, halfway between a mixture and a prototype) going
// up, linearly interpolated between the two cells that bracket the crossing.
// Which crossing: `last` (default) scans down from the top of the window and
// takes the first cell below the threshold, i.e. the lowest T_r from which the
// memory stays a prototype up to the top of the window; `first` takes the
// lowest T_r at which the dominant alpha reaches the threshold. They differ
// when a scan crosses more than once: at large n and low T_r (about 0.6-0.75
// for n >= 36 on two 4s of paper200) the cost underflows to exactly zero
// before the memory reaches the symmetric mixture, training stops there, and
// the frozen memory can be a lopsided mixture (dominant alpha ~0.76) well
// below the line. No switch in the window: below the threshold at the top of
// the window (`last`) or everywhere (`first`), or at or above it at the
// lowest T_r (`first`) or all the way up (`last`). deviation = Tr_switch - Tr*.
//
// Inter-digit, in addition: a memory's minor coefficient (on the other class's
// sample; negative in the feature state below the line) crosses zero where the
// memory is a pure prototype. Tr_minor_zero is that crossing (threshold 0,
// same crossing rule and interpolation), minor_deviation = Tr_minor_zero - Tr*.
// The dominant alpha of a class-mean memory exceeds 1 in the feature state, so
// the threshold criterion alone does not see this transition.
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/trainer.hpp"
#include "reduced_models/transition.hpp"
#include "sweep/grid.hpp"
#include "sweep/sweep.hpp"
#include "sweep/task.hpp"

namespace waddington::compare {

struct TransitionExperiment {
  reduced::TransitionKind kind = reduced::TransitionKind::kIntra;
  Eigen::MatrixXd samples;          // 2 x N: A (row 0) and B (row 1)
  std::array<int, 2> classes{0, 0};  // their classes (equal for intra)
  std::string description;          // e.g. "rows 80,81 of FILE", for reports
  double AA() const { return samples.row(0).squaredNorm(); }
  double AB() const { return samples.row(0).dot(samples.row(1)); }
  double BB() const { return samples.row(1).squaredNorm(); }
  int num_memories() const { return kind == reduced::TransitionKind::kInter ? 2 : 1; }
};

// Which upward crossing of the threshold is the switch (see above).
enum class SwitchCrossing { kLast, kFirst };
const char* ToString(SwitchCrossing crossing);
bool FromString(const std::string& text, SwitchCrossing* crossing);

struct TransitionOptions {
  // Dominant alpha that counts as a prototype (see the switch criterion above).
  double threshold = 0.75;
  SwitchCrossing crossing = SwitchCrossing::kLast;
  // Cost power; unset: m = n (the line and the trainer use the same m).
  std::optional<double> m;
  // The trainer, with the published Figure 6 settings: 10,000 epochs at rate
  // 0.001, momentum 0, one minibatch, Gaussian start N(-0.003, 1e-5) (intra).
  int epochs = 10000;
  double rate = 0.001;
  double momentum = 0;
  double init_mean = -0.003;
  double init_std = 1e-5;
  std::uint64_t seed = 1;
  // Keep each cell's memories.npy and labels.npy in cells/<id>/.
  bool keep_files = true;

  bool IsValid(std::string* why) const;
  // TrainerOptions of a cell at (n, T).
  TrainerOptions trainer(int memories, double n, double temperature) const;
};

// One row of transition.csv.
struct TransitionRow {
  double n = 0;
  int memory = 1;
  double T_star = 0, Tr_star = 0;
  std::optional<double> Tr_switch;
  std::optional<double> deviation;  // Tr_switch - Tr_star
  std::optional<double> Tr_minor_zero, minor_deviation;  // inter only (see above)
  // "switch", "switch (N crossings)", "mixture at the top", "mixture throughout",
  // "prototype throughout", "prototype at the bottom" (first), "no cells", "not verified"
  std::string note;
};

struct TransitionSummary {
  reduced::TransitionKind kind = reduced::TransitionKind::kIntra;
  double threshold = 0.75;
  SwitchCrossing crossing = SwitchCrossing::kLast;
  bool verified = false;
  std::vector<TransitionRow> rows;
  int switched = 0;  // rows with a switch in the window
  double max_abs_deviation = 0, mean_abs_deviation = 0;  // over the switched rows (0 when none)
  // Inter only: rows whose minor coefficient crosses zero, and |minor_deviation| over them.
  int minor_crossed = 0;
  double max_abs_minor_deviation = 0, mean_abs_minor_deviation = 0;

  std::string BriefReport() const;
  nlohmann::json ToJson() const;  // without the rows (they are transition.csv)
};

// The summary before any cell is measured: the analytic rows at `n_values`
// (m from the options) with the options' threshold and crossing; not verified.
TransitionSummary analytic_transition(const TransitionExperiment& experiment, const std::vector<double>& n_values,
                                      const TransitionOptions& options);

// The experiment and its settings for run.json: kind, samples (the
// description), classes, AA, AB, BB, N, grid, threshold, crossing and m ("n"
// when unset).
nlohmann::json transition_parameters(const TransitionExperiment& experiment, const sweep::Grid& grid,
                                     const TransitionOptions& options);

// The analytic line at each n (rows with no switch yet, note "not verified").
std::vector<TransitionRow> analytic_rows(const TransitionExperiment& experiment, const std::vector<double>& n_values,
                                         std::optional<double> m);

// The sweep task "transition-cell" over grid parameters n and Tr. Results per
// cell: alpha_1, alpha_2, dominant_alpha (intra); alpha_1_1, alpha_1_2,
// alpha_2_1, alpha_2_2, dominant_alpha_1, dominant_alpha_2 (inter, alpha_mu_i
// = coefficient of sample i in memory mu); and final_cost.
sweep::Task transition_task(std::shared_ptr<const TransitionExperiment> experiment, const TransitionOptions& options);

// The result column holding memory `memory`'s dominant alpha.
std::string dominant_column(reduced::TransitionKind kind, int memory);
// Inter: the column of memory `memory`'s coefficient on the other sample.
std::string minor_column(int memory);

// The switch criterion above on one scan: Tr ascending, dominant alpha per Tr
// (NaN = no result, skipped). Returns the switch T_r and sets *note.
std::optional<double> switch_temperature(const std::vector<double>& Tr, const std::vector<double>& dominant,
                                         double threshold, SwitchCrossing crossing, std::string* note = nullptr);

// Fills each row's Tr_switch and deviation from a finished sweep over the grid
// (axes n and Tr) and summarises.
TransitionSummary measure_transition(const TransitionExperiment& experiment, std::vector<TransitionRow> rows,
                                     const sweep::Grid& grid, const sweep::Task& task,
                                     const std::vector<sweep::CellRecord>& records, double threshold,
                                     SwitchCrossing crossing);

}  // namespace waddington::compare
