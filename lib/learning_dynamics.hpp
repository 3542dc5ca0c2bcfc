#pragma once
// The learning order of a training run (docs/model.md §1.3): the epoch at
// which each digit becomes recognised, from the per-epoch per-class counts of
// correctly classified and of predicted training samples (metrics.csv), the
// resulting ranks, and Kendall's tau between two orders.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "lib/metrics_table.hpp"
#include "lib/trainer.hpp"

namespace waddington {

struct LearningOrderOptions {
  // Digit d is recognised at epoch e when, at e and at every later measured
  // epoch of the run (docs/model.md §1.3),
  //   recall:    correct_d >= fraction * (samples of d), and
  //   precision: correct_d >= precision * predicted_d (of the samples the
  //              network calls d, at least this share truly are d).
  // Recall alone is passed by a network that answers d for every sample.
  double fraction = 0.5;
  double precision = 0.5;
  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const { return {{"recognised_fraction", fraction}, {"recognised_precision", precision}}; }
};

// Per measured epoch, the correctly classified and the predicted training samples of each class.
struct RecognitionHistory {
  std::vector<int> epochs;                  // E, strictly increasing
  std::vector<std::vector<int>> correct;    // E x C
  std::vector<std::vector<int>> predicted;  // E x C: samples classified as each class (>= correct)
  std::vector<int> class_counts;            // C: training samples of each class (0: class not trained on)
};

// The history of a metrics.csv table with the class sizes of its run
// (run.json's parameters.class_counts). Throws InputError when the number of
// classes differs or the table has no predicted_d columns (an older metrics.csv).
RecognitionHistory recognition_history(const MetricsTable& metrics, const std::vector<int>& class_counts);
// The same from a trainer's history (TrainerSummary::history and training_class_counts).
RecognitionHistory recognition_history(const std::vector<EpochMetrics>& history, const std::vector<int>& class_counts);

// The criterion at one epoch: `correct` of the `samples` of a class classified
// correctly, `predicted` samples classified as that class (LearningOrderOptions);
// real, so that means over seeds can be tested too.
bool is_recognised(double correct, double predicted, double samples, const LearningOrderOptions& options);

struct DigitRecognition {
  int digit = 0;
  int epoch_recognised = -1;  // -1: never recognised (or not by the end of the run)
  // 1 + the number of digits recognised strictly earlier (ties share a rank,
  // "competition" ranking); a digit never recognised ranks after every recognised one.
  int rank = 0;
};

struct LearningOrder {
  std::vector<DigitRecognition> digits;  // the trained classes, by increasing digit
  // The digits from first to last learnt (ties by increasing digit).
  std::vector<int> sequence() const;
  // "1 4 9 | 7 | 5 6 | 3 8 | 0 2": groups of equal rank, first learnt first; never-recognised digits after "| never:".
  std::string ToString() const;
  // The entry of `digit`, or null when it is not in the order.
  const DigitRecognition* find(int digit) const;
};

// The learning order of one run. Throws InputError when the options are
// invalid or the history is inconsistent (ragged rows, count mismatch, unsorted epochs, a
// correct count above its class size or above its predicted count).
LearningOrder learning_order(const RecognitionHistory& history, const LearningOrderOptions& options = {});

// An order given as groups of digits learnt together, first group first,
// e.g. {{1, 4, 9}, {7}, {5, 6}, {3, 8}, {0, 2}}; the "epoch" of group g is g.
// Throws InputError when a digit repeats or is negative.
LearningOrder order_from_groups(const std::vector<std::vector<int>>& groups);

// The paper's order at n = 30 (Section "Learning dynamics"): "1, 4, 9 first,
// then 7; then 6, 5; 8, 3; lastly 0 and 2".
LearningOrder paper_learning_order();

// Kendall's tau-b between two orders over the digits present in both (ties,
// including never-recognised digits, which tie last, count as in tau-b). NaN
// when fewer than two common digits or when either order ties them all.
double kendall_tau(const LearningOrder& a, const LearningOrder& b);

// Kendall's tau-b of two equally long score lists (NaN as above).
double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y);

// order.csv: "digit,epoch_recognised,rank", one row per trained digit.
std::string order_csv(const LearningOrder& order);

}  // namespace waddington
