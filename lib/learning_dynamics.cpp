#include "lib/learning_dynamics.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "lib/errors.hpp"

namespace waddington {

bool LearningOrderOptions::IsValid(std::string* why) const {
  if (!(fraction > 0 && fraction <= 1)) {
    if (why) *why = fmt::format("recognised fraction {} must be in (0, 1]", fraction);
    return false;
  }
  if (!(precision >= 0 && precision <= 1)) {
    if (why) *why = fmt::format("recognised precision {} must be in [0, 1]", precision);
    return false;
  }
  return true;
}

namespace {

void check_history(const RecognitionHistory& h) {
  const std::size_t classes = h.class_counts.size();
  if (h.correct.size() != h.epochs.size() || h.predicted.size() != h.epochs.size())
    throw InputError(fmt::format("recognition history: {} epochs but {} rows of correct and {} of predicted counts",
                                 h.epochs.size(), h.correct.size(), h.predicted.size()));
  for (std::size_t e = 0; e < h.epochs.size(); ++e) {
    if (e > 0 && h.epochs[e] <= h.epochs[e - 1])
      throw InputError(fmt::format("recognition history: epoch {} does not follow epoch {}", h.epochs[e], h.epochs[e - 1]));
    if (h.correct[e].size() != classes || h.predicted[e].size() != classes)
      throw InputError(fmt::format("recognition history: epoch {} has {} correct and {} predicted classes, the class counts {}",
                                   h.epochs[e], h.correct[e].size(), h.predicted[e].size(), classes));
    for (std::size_t d = 0; d < classes; ++d) {
      if (h.correct[e][d] < 0 || h.correct[e][d] > h.class_counts[d])
        throw InputError(fmt::format("recognition history: epoch {} has {} correct samples of class {}, which has {}",
                                     h.epochs[e], h.correct[e][d], d, h.class_counts[d]));
      if (h.predicted[e][d] < h.correct[e][d])
        throw InputError(fmt::format("recognition history: epoch {} has {} samples predicted as class {} but {} correct",
                                     h.epochs[e], h.predicted[e][d], d, h.correct[e][d]));
    }
  }
}

// Competition ranks from the epochs (-1 = never, last).
void assign_ranks(LearningOrder& order) {
  for (auto& a : order.digits) {
    int earlier = 0;
    for (const auto& b : order.digits) {
      const bool a_never = a.epoch_recognised < 0, b_never = b.epoch_recognised < 0;
      if (!b_never && (a_never || b.epoch_recognised < a.epoch_recognised)) ++earlier;
    }
    a.rank = 1 + earlier;
  }
}

}  // namespace

RecognitionHistory recognition_history(const MetricsTable& metrics, const std::vector<int>& class_counts) {
  if (metrics.num_classes() != int(class_counts.size()))
    throw InputError(fmt::format("metrics.csv has {} classes, the run's class counts {}", metrics.num_classes(),
                                 class_counts.size()));
  if (!metrics.has_predicted())
    throw InputError("metrics.csv has no predicted_0.. columns (written by an older version): the learning order needs "
                     "the per-class predicted counts; train the run again");
  return {metrics.epochs, metrics.correct, metrics.predicted, class_counts};
}

RecognitionHistory recognition_history(const std::vector<EpochMetrics>& history, const std::vector<int>& class_counts) {
  RecognitionHistory h;
  h.class_counts = class_counts;
  for (const EpochMetrics& m : history) {
    h.epochs.push_back(m.epoch);
    h.correct.push_back(m.correct_per_class);
    h.predicted.push_back(m.predicted_per_class);
  }
  return h;
}

bool is_recognised(double correct, double predicted, double samples, const LearningOrderOptions& options) {
  return samples > 0 && correct >= options.fraction * samples && correct >= options.precision * predicted;
}

LearningOrder learning_order(const RecognitionHistory& history, const LearningOrderOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  check_history(history);
  LearningOrder order;
  for (std::size_t d = 0; d < history.class_counts.size(); ++d) {
    if (history.class_counts[d] <= 0) continue;
    DigitRecognition r;
    r.digit = int(d);
    // Walk back from the last epoch while the digit stays recognised: enough of
    // its samples found (recall) and enough of the answers "d" right (precision).
    for (std::size_t e = history.epochs.size(); e-- > 0;) {
      if (!is_recognised(history.correct[e][d], history.predicted[e][d], history.class_counts[d], options)) break;
      r.epoch_recognised = history.epochs[e];
    }
    order.digits.push_back(r);
  }
  assign_ranks(order);
  return order;
}

LearningOrder order_from_groups(const std::vector<std::vector<int>>& groups) {
  LearningOrder order;
  std::set<int> seen;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (int d : groups[g]) {
      if (d < 0 || !seen.insert(d).second) throw InputError(fmt::format("learning order: digit {} is negative or repeated", d));
      order.digits.push_back({.digit = d, .epoch_recognised = int(g)});
    }
  std::sort(order.digits.begin(), order.digits.end(), [](const auto& a, const auto& b) { return a.digit < b.digit; });
  assign_ranks(order);
  return order;
}

LearningOrder paper_learning_order() { return order_from_groups({{1, 4, 9}, {7}, {5, 6}, {3, 8}, {0, 2}}); }

std::vector<int> LearningOrder::sequence() const {
  std::vector<DigitRecognition> sorted = digits;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
  std::vector<int> out;
  for (const auto& r : sorted) out.push_back(r.digit);
  return out;
}

const DigitRecognition* LearningOrder::find(int digit) const {
  for (const auto& r : digits)
    if (r.digit == digit) return &r;
  return nullptr;
}

std::string LearningOrder::ToString() const {
  std::map<int, std::vector<int>> groups;  // rank -> digits (recognised)
  std::vector<int> never;
  for (const auto& r : digits) (r.epoch_recognised < 0 ? never : groups[r.rank]).push_back(r.digit);
  std::string out;
  for (const auto& [rank, members] : groups) out += (out.empty() ? "" : " | ") + fmt::format("{}", fmt::join(members, " "));
  if (!never.empty()) out += (out.empty() ? "never: " : " | never: ") + fmt::format("{}", fmt::join(never, " "));
  return out;
}

double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size()) throw InputError(fmt::format("Kendall's tau: {} against {} scores", x.size(), y.size()));
  long concordant = 0, discordant = 0, tied_x = 0, tied_y = 0, pairs = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      ++pairs;
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0) ++tied_x;
      if (dy == 0) ++tied_y;
      if (dx != 0 && dy != 0) (dx * dy > 0 ? concordant : discordant)++;
    }
  const double denominator = std::sqrt(double(pairs - tied_x) * double(pairs - tied_y));
  if (pairs == 0 || denominator == 0) return std::numeric_limits<double>::quiet_NaN();
  return double(concordant - discordant) / denominator;
}

double kendall_tau(const LearningOrder& a, const LearningOrder& b) {
  std::vector<double> x, y;
  for (const auto& ra : a.digits)
    if (const DigitRecognition* rb = b.find(ra.digit)) {
      x.push_back(ra.rank);
      y.push_back(rb->rank);
    }
  return kendall_tau_b(x, y);
}

std::string order_csv(const LearningOrder& order) {
  std::string csv = "digit,epoch_recognised,rank\n";
  for (const auto& r : order.digits) csv += fmt::format("{},{},{}\n", r.digit, r.epoch_recognised, r.rank);
  return csv;
}

}  // namespace waddington
