// `learning-order`: the order in which digits are learnt, over seeds.
//
// Configuration (the paper's Figure 3 run): the 200 paper digits (20 per
// class), 100 memories, rate 0.005, T = 670 (T_r = 0.855), Gaussian start
// (mean -0.003, sd 1e-5) drawn from each seed, 3000 epochs; grid n = 30, 3 x
// seed = 1..5. Each cell's learning order is lib/learning_dynamics.hpp's:
// digit d is recognised at the first epoch from which at least half of its
// training samples stay correctly classified and at least half of the samples
// classified as d are d (docs/model.md §1.3).
//
// Tables: learning_order.csv (n,seed,digit,epoch_recognised,rank; -1 = never),
// learning_order_summary.csv (n,seeds,tau_seeds_mean,tau_seeds_min,
// tau_paper_mean,tau_paper_min): Kendall's tau-b between every pair of seeds
// at the same n, and between each seed and the paper's order "1, 4, 9 first,
// then 7; then 6, 5; 8, 3; lastly 0 and 2". Plot learning_order.png: epoch
// recognised of each digit, one panel per n, one symbol per seed.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "experiments/common.hpp"
#include "experiments/plans.hpp"
#include "lib/learning_dynamics.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::experiments::detail {
namespace {

constexpr int kDigits = 10;

std::string epoch_column(int d) { return fmt::format("epoch_recognised_{}", d); }

// The order of one cell from its per-digit epochs (-1: never), ranks as lib/learning_dynamics.
LearningOrder order_of(const CellRow& row, const std::vector<int>& trained) {
  LearningOrder order;
  for (int d : trained) {
    DigitRecognition r;
    r.digit = d;
    const double e = row.value(epoch_column(d));
    r.epoch_recognised = std::isnan(e) ? -1 : int(e);
    order.digits.push_back(r);
  }
  for (auto& r : order.digits) {
    int earlier = 0;
    for (const auto& o : order.digits)
      if (o.epoch_recognised >= 0 && (r.epoch_recognised < 0 || o.epoch_recognised < r.epoch_recognised)) ++earlier;
    r.rank = 1 + earlier;
  }
  return order;
}

// Kendall's tau for a title: undefined (NaN) when every order ties all its digits.
std::string tau_text(double tau, int digits = 2) {
  return std::isnan(tau) ? "undefined (all tied)" : fmt::format("{:.{}f}", tau, digits);
}

}  // namespace

ExperimentPlan plan_learning_order(const ExperimentOptions& options) {
  TrainerOptions trainer;
  trainer.memories = 100;
  trainer.rate = 0.005;
  trainer.temperature = 670;
  trainer.epochs = 3000;
  auto setup = training_setup(options, "", 0, trainer);
  ExperimentPlan plan;
  plan.name = "learning-order";
  plan.grid = experiment_grid({"n=30,3", "seed=1:5:1"}, options);
  const LearningOrderOptions criterion;
  std::vector<std::string> results;
  for (int d = 0; d < kDigits; ++d) results.push_back(epoch_column(d));
  results.push_back("final_accuracy");
  const nlohmann::json config = {{"criterion", criterion.ToJson()}, {"paper_order", paper_learning_order().ToString()}};
  plan.task = measuring_task(
      "learning-order", setup, results, config,
      [criterion](const compare::TrainedCell& cell, const TrainerOptions&) {
        const LearningOrder order =
            learning_order(recognition_history(cell.summary.history, cell.summary.training_class_counts), criterion);
        std::map<std::string, double> values;
        for (int d = 0; d < kDigits; ++d) values[epoch_column(d)] = std::numeric_limits<double>::quiet_NaN();
        for (const auto& r : order.digits)
          if (r.digit < kDigits) values[epoch_column(r.digit)] = r.epoch_recognised;
        values["final_accuracy"] = cell.summary.final_metrics()->accuracy;
        return values;
      });
  plan.settings = plan_settings(*setup, plan.grid, config);
  std::vector<int> trained;
  const auto counts = setup->training.class_counts();
  for (int d = 0; d < int(counts.size()) && d < kDigits; ++d)
    if (counts[d] > 0) trained.push_back(d);

  const sweep::Grid grid = plan.grid;
  const sweep::Task task = plan.task;
  plan.finish = [grid, task, trained](const sweep::SweepSummary& summary, const std::filesystem::path& out) {
    ExperimentResult result;
    const auto cells = finished_cells(grid, task, summary, &result.warnings);
    const LearningOrder paper = paper_learning_order();
    std::vector<std::string> rows, summary_rows;
    std::string plot_data;
    nlohmann::json per_n = nlohmann::json::array();
    int block = 0;
    std::vector<int> points_in_block;  // recognised (digit, seed) points per n: 0 gets an empty panel
    for (double n : distinct(cells, "n")) {
      std::vector<LearningOrder> orders;
      std::vector<int> seeds;
      int points = 0;
      for (const auto& cell : cells) {
        if (cell.parameter("n") != n) continue;
        const LearningOrder order = order_of(cell, trained);
        const int seed = int(cell.parameter("seed"));
        for (const auto& r : order.digits) {
          rows.push_back(fmt::format("{},{},{},{},{}", field(n), seed, r.digit, r.epoch_recognised, r.rank));
          if (r.epoch_recognised < 0) continue;
          ++points;
          plot_data += fmt::format("{} {} {}\n", r.digit + 0.06 * (double(orders.size()) - 2), r.epoch_recognised, orders.size() + 1);
        }
        orders.push_back(order);
        seeds.push_back(seed);
      }
      plot_data += "\n\n";
      ++block;
      points_in_block.push_back(points);
      std::vector<double> pair_taus, paper_taus;
      for (std::size_t a = 0; a < orders.size(); ++a) {
        paper_taus.push_back(kendall_tau(orders[a], paper));
        for (std::size_t b = a + 1; b < orders.size(); ++b) pair_taus.push_back(kendall_tau(orders[a], orders[b]));
      }
      auto mean = [](const std::vector<double>& v) {
        double s = 0;
        int k = 0;
        for (double x : v)
          if (!std::isnan(x)) s += x, ++k;
        return k ? s / k : std::numeric_limits<double>::quiet_NaN();
      };
      auto minimum = [](const std::vector<double>& v) {
        double m = std::numeric_limits<double>::quiet_NaN();
        for (double x : v)
          if (!std::isnan(x) && !(x >= m)) m = x;
        return m;
      };
      summary_rows.push_back(fmt::format("{},{},{},{},{},{}", field(n), orders.size(), field(mean(pair_taus)),
                                         field(minimum(pair_taus)), field(mean(paper_taus)), field(minimum(paper_taus))));
      nlohmann::json entry = {{"n", n},
                              {"seeds", seeds},
                              {"tau_seeds_mean", mean(pair_taus)},
                              {"tau_seeds_min", minimum(pair_taus)},
                              {"tau_paper_mean", mean(paper_taus)},
                              {"tau_paper_min", minimum(paper_taus)},
                              {"orders", nlohmann::json::array()}};
      result.report.push_back(fmt::format("n = {}: Kendall tau between seeds mean {} min {}; against the paper's order mean {} min {}",
                                          field(n), tau_text(mean(pair_taus), 3), tau_text(minimum(pair_taus), 3),
                                          tau_text(mean(paper_taus), 3), tau_text(minimum(paper_taus), 3)));
      for (std::size_t k = 0; k < orders.size(); ++k) {
        entry["orders"].push_back({{"seed", seeds[k]}, {"order", orders[k].ToString()}, {"tau_paper", paper_taus[k]}});
        result.report.push_back(fmt::format("  seed {}: {}   (tau vs paper {})", seeds[k], orders[k].ToString(), tau_text(paper_taus[k], 3)));
      }
      per_n.push_back(entry);
    }
    result.report.push_back("paper (n = 30): " + paper.ToString());
    result.figures = {{"by_n", per_n}, {"paper_order", paper.ToString()}};
    result.files.push_back(write_csv(out, "learning_order.csv", "n,seed,digit,epoch_recognised,rank", rows));
    result.files.push_back(write_csv(out, "learning_order_summary.csv",
                                     "n,seeds,tau_seeds_mean,tau_seeds_min,tau_paper_mean,tau_paper_min", summary_rows));
    if (block > 0) {
      std::string body = fmt::format("set multiplot layout 1,{} title 'Learning order: epoch each digit is recognised (one colour per seed)'\n", block);
      int b = 0;
      for (const auto& entry : per_n) {
        body += fmt::format(
            "set title 'n = {}  (tau between seeds: mean {}, min {})'\nset xlabel 'digit'\nset ylabel 'epoch recognised'\n"
            "set xrange [-0.5:9.5]\nset xtics 0,1,9\nset key off\nset grid\n",
            field(entry["n"].get<double>()), tau_text(entry["tau_seeds_mean"].get<double>()),
            tau_text(entry["tau_seeds_min"].get<double>()));
        if (points_in_block[std::size_t(b)] > 0)
          body += fmt::format("set yrange [*:*]\nplot $order index {} using 1:2:3 with points pt 7 ps 1.2 lc variable\n", b);
        else  // gnuplot refuses a plot without points: an empty panel that says so
          body += "set yrange [0:1]\nset label 1 'no digit recognised in any seed' at graph 0.5,0.5 center\n"
                  "plot NaN notitle\nunset label 1\n";
        ++b;
      }
      body += "unset multiplot\n";
      plots::render(out / "learning_order.png", {{"order", plot_data}}, body, 600 * block, 500);
      result.files.push_back("learning_order.png");
    }
    return result;
  };
  return plan;
}

}  // namespace waddington::experiments::detail
