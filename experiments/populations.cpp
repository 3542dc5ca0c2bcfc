// `populations`: how many memories each digit keeps as the temperature rises (Figure 8).
//
// Configuration: the 200 paper digits, 100 memories, rate 0.005, Gaussian start
// from each seed, 3000 epochs; grid n = 25 x T_r = 0.7..1.1 step 0.02 x seed = 1.
// A memory belongs to the digit of its largest label when that label is
// positive ("as inferred from their label" in the paper); memories with no
// positive label (stuck at a saddle with every label near -1) belong to none.
//
// Tables: populations.csv (n,Tr,seeds,memories_0..memories_9 = mean over seeds
// of the final memories of each digit, memories_none, recognised_0..recognised_9 =
// mean final correctly classified training samples of each digit,
// predicted_0..predicted_9 = mean final training samples classified as each digit);
// disappearance.csv (n,digit,Tr_disappears,Tr_last_present,Tr_unrecognised):
// Tr_disappears is the lowest grid T_r from which on (every higher grid T_r
// too) the digit has no memory (mean over seeds < 0.5), empty when it keeps
// one up to the highest T_r; Tr_unrecognised the same for "the digit is not
// recognised" by the learning-order criterion (lib/learning_dynamics.hpp) on
// the means over seeds: fewer than half of its training samples classified
// correctly, or fewer than half of the samples classified as it truly are it (a
// network answering one digit for everything recognises none). Kendall's tau-b between that order and the paper's ("0 and 2 first,
// then 3 and 8, then 5 and 6, then 4, 7, 9, leaving 1 above T_r = 1") is in
// run.json. Plot populations.png: memories per digit against T_r.
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>

#include "experiments/common.hpp"
#include "experiments/plans.hpp"
#include "lib/learning_dynamics.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::experiments::detail {
namespace {
constexpr int kDigits = 10;
}

ExperimentPlan plan_populations(const ExperimentOptions& options) {
  TrainerOptions trainer;
  trainer.memories = 100;
  trainer.rate = 0.005;
  trainer.epochs = 3000;
  auto setup = training_setup(options, "", 0, trainer);
  ExperimentPlan plan;
  plan.name = "populations";
  plan.grid = experiment_grid({"n=25", "Tr=0.7:1.1:0.02", "seed=1"}, options);
  std::vector<std::string> results;
  for (int d = 0; d < kDigits; ++d) results.push_back(fmt::format("memories_{}", d));
  results.push_back("memories_none");
  for (int d = 0; d < kDigits; ++d) results.push_back(fmt::format("recognised_{}", d));
  for (int d = 0; d < kDigits; ++d) results.push_back(fmt::format("predicted_{}", d));
  const LearningOrderOptions criterion;
  const nlohmann::json config = {{"memory_digit", "largest label, when positive"}, {"gone_below_mean_memories", 0.5},
                                 {"unrecognised", criterion.ToJson()}};
  plan.task = measuring_task("populations", setup, results, config, [](const compare::TrainedCell& cell, const TrainerOptions&) {
    std::map<std::string, double> values;
    const EpochMetrics& last = *cell.summary.final_metrics();
    const std::vector<int> counts = memories_by_label(cell.state.labels);
    values["memories_none"] = counts.back();
    for (int d = 0; d < kDigits; ++d) {
      values[fmt::format("memories_{}", d)] = d + 1 < int(counts.size()) ? counts[d] : 0;
      values[fmt::format("recognised_{}", d)] = d < int(last.correct_per_class.size()) ? last.correct_per_class[d] : 0;
      values[fmt::format("predicted_{}", d)] = d < int(last.predicted_per_class.size()) ? last.predicted_per_class[d] : 0;
    }
    return values;
  });
  plan.settings = plan_settings(*setup, plan.grid, config);
  const sweep::Grid grid = plan.grid;
  const sweep::Task task = plan.task;
  std::vector<int> class_counts = setup->training.class_counts();
  class_counts.resize(kDigits, 0);
  plan.finish = [grid, task, class_counts, criterion](const sweep::SweepSummary& summary, const std::filesystem::path& out) {
    ExperimentResult result;
    const auto cells = finished_cells(grid, task, summary, &result.warnings);
    std::vector<std::string> rows, gone_rows;
    std::string plot_data;
    nlohmann::json by_n = nlohmann::json::array();
    const auto temperatures = distinct(cells, "Tr");
    const LearningOrder paper = order_from_groups({{0, 2}, {3, 8}, {5, 6}, {4, 7, 9}, {1}});
    for (double n : distinct(cells, "n")) {
      std::vector<std::array<double, kDigits>> mean_memories, mean_recognised, mean_predicted;
      std::vector<double> mean_none;
      std::vector<double> Trs;
      for (double Tr : temperatures) {
        std::array<double, kDigits> memories{}, recognised{}, predicted{};
        double none = 0;
        int seeds = 0;
        for (const auto& cell : cells) {
          if (cell.parameter("n") != n || cell.parameter("Tr") != Tr) continue;
          ++seeds;
          none += cell.value("memories_none");
          for (int d = 0; d < kDigits; ++d) {
            memories[d] += cell.value(fmt::format("memories_{}", d));
            recognised[d] += cell.value(fmt::format("recognised_{}", d));
            predicted[d] += cell.value(fmt::format("predicted_{}", d));
          }
        }
        if (!seeds) continue;
        std::string row = fmt::format("{},{},{}", field(n), field(Tr), seeds);
        for (auto& m : memories) m /= seeds, row += "," + field(m);
        row += "," + field(none / seeds);
        for (auto& r : recognised) r /= seeds, row += "," + field(r);
        for (auto& p : predicted) p /= seeds, row += "," + field(p);
        rows.push_back(row);
        mean_memories.push_back(memories);
        mean_recognised.push_back(recognised);
        mean_predicted.push_back(predicted);
        mean_none.push_back(none / seeds);
        Trs.push_back(Tr);
      }
      // Per digit: lowest T_r from which the digit has no memory at every higher T_r.
      LearningOrder disappearance, by_recognition;  // "epoch" = index of the T_r where it disappears (earlier = first gone)
      nlohmann::json digits = nlohmann::json::array();
      std::string line;
      for (int d = 0; d < kDigits; ++d) {
        int gone = -1, last_present = -1;
        for (int k = int(Trs.size()) - 1; k >= 0; --k) {
          if (mean_memories[k][d] >= 0.5) {
            last_present = k;
            break;
          }
          gone = k;
        }
        int unrecognised = -1;
        for (int k = int(Trs.size()) - 1;
             k >= 0 && class_counts[d] > 0 && !is_recognised(mean_recognised[k][d], mean_predicted[k][d], class_counts[d], criterion); --k)
          unrecognised = k;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double Tr_gone = gone >= 0 ? Trs[gone] : nan;
        const double Tr_last = last_present >= 0 ? Trs[last_present] : nan;
        const double Tr_unrecognised = unrecognised >= 0 ? Trs[unrecognised] : nan;
        gone_rows.push_back(fmt::format("{},{},{},{},{}", field(n), d, field(Tr_gone), field(Tr_last), field(Tr_unrecognised)));
        DigitRecognition u;
        u.digit = d;
        u.epoch_recognised = unrecognised;
        by_recognition.digits.push_back(u);
        digits.push_back({{"digit", d}, {"Tr_disappears", gone >= 0 ? nlohmann::json(Tr_gone) : nlohmann::json(nullptr)},
                          {"Tr_unrecognised", unrecognised >= 0 ? nlohmann::json(Tr_unrecognised) : nlohmann::json(nullptr)},
                          {"Tr_last_present", last_present >= 0 ? nlohmann::json(Tr_last) : nlohmann::json(nullptr)}});
        DigitRecognition r;
        r.digit = d;
        r.epoch_recognised = gone;
        disappearance.digits.push_back(r);
      }
      auto describe = [&](LearningOrder& order, const char* what) {
        for (auto& r : order.digits) {
          int earlier = 0;
          for (const auto& o : order.digits)
            if (o.epoch_recognised >= 0 && (r.epoch_recognised < 0 || o.epoch_recognised < r.epoch_recognised)) ++earlier;
          r.rank = 1 + earlier;
        }
        const double tau = kendall_tau(order, paper);
        std::string order_text, kept;
        for (int k = 0; k < int(Trs.size()); ++k) {
          std::string group;
          for (int d = 0; d < kDigits; ++d)
            if (order.digits[d].epoch_recognised == k) group += (group.empty() ? "" : " ") + std::to_string(d);
          if (!group.empty()) order_text += fmt::format("{}{} (T_r {})", order_text.empty() ? "" : " | ", group, field(Trs[k]));
        }
        for (int d = 0; d < kDigits; ++d)
          if (order.digits[d].epoch_recognised < 0) kept += (kept.empty() ? "" : " ") + std::to_string(d);
        result.report.push_back(fmt::format("n = {}: by {}, digits disappear in the order {}; still there at T_r = {}: {}; "
                                            "Kendall tau-b against the paper's order: {:.3f}",
                                            field(n), what, order_text.empty() ? "(none)" : order_text,
                                            Trs.empty() ? "?" : field(Trs.back()), kept.empty() ? "none" : kept, tau));
        return nlohmann::json{{"order", order_text}, {"kept", kept}, {"tau_paper", tau}};
      };
      const nlohmann::json by_memories = describe(disappearance, "memories");
      const nlohmann::json by_recognised = describe(by_recognition, "recognition");
      by_n.push_back({{"n", n}, {"digits", digits}, {"by_memories", by_memories}, {"by_recognition", by_recognised}});
      for (int d = 0; d < kDigits; ++d) {
        for (std::size_t k = 0; k < Trs.size(); ++k) plot_data += fmt::format("{} {}\n", field(Trs[k]), field(mean_memories[k][d]));
        plot_data += "\n\n";
      }
      for (std::size_t k = 0; k < Trs.size(); ++k) plot_data += fmt::format("{} {}\n", field(Trs[k]), field(mean_none[k]));
      plot_data += "\n\n";
    }
    result.figures = {{"by_n", by_n}, {"paper_order", "0 2 | 3 8 | 5 6 | 4 7 9 | 1 (kept above T_r = 1)"}};
    std::string header = "n,Tr,seeds";
    for (int d = 0; d < kDigits; ++d) header += fmt::format(",memories_{}", d);
    header += ",memories_none";
    for (int d = 0; d < kDigits; ++d) header += fmt::format(",recognised_{}", d);
    for (int d = 0; d < kDigits; ++d) header += fmt::format(",predicted_{}", d);
    result.files.push_back(write_csv(out, "populations.csv", header, rows));
    result.files.push_back(write_csv(out, "disappearance.csv", "n,digit,Tr_disappears,Tr_last_present,Tr_unrecognised", gone_rows));
    if (!by_n.empty()) {
      std::string body =
          fmt::format("set title 'Final memories per digit against T_r (n = {}{})'\nset xlabel 'T_r'\nset ylabel 'memories (mean over seeds)'\n"
                      "set key outside right\nset grid\nplot ",
                      field(by_n[0]["n"].get<double>()), by_n.size() > 1 ? ", first n only" : "");
      static const char* colours[kDigits] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                             "#8c564b", "#e377c2", "#000000", "#bcbd22", "#17becf"};
      for (int d = 0; d < kDigits; ++d)
        body += fmt::format("{}$pop index {} with linespoints lw 2 pt {} lc rgb '{}' title 'digit {}'", d ? ", " : "", d,
                            d % 7 + 1, colours[d], d);
      body += ", $pop index 10 with lines dt 2 lw 2 lc rgb '#999999' title 'no positive label'\n";
      plots::render(out / "populations.png", {{"pop", plot_data}}, body, 1000, 650);
      result.files.push_back("populations.png");
    }
    return result;
  };
  return plan;
}

}  // namespace waddington::experiments::detail
