// `near-digit`: memories started near one digit's sample, against n and T_r (Figure 7).
//
// Configuration (the paper's Figure 7 system): digits 1, 7, 9 of the paper
// set (20 samples each), 100 memories, rate 0.005, 3000 epochs; grid
// T_r = 0.7, 0.96, 1.02 x start = 1, 7, 9 x n = 2..60 step 2 x seed = 1.
// Start (the paper gives no more detail; our choice, recorded in run.json):
// every memory is the first training sample of digit `start` plus Gaussian
// noise of sd 1e-3 (drawn from the seed), every label is -0.05 except the
// label of `start`, +0.05 (plus the same noise).
//
// The saddle reached: while the memories stay together (the largest
// max-norm distance of a memory from their mean is below 0.05), the mean
// memory whose net displacement over 20 epochs (max-norm) is smallest: the
// memories' closest approach to the fixed point they gather at before they
// split (at the end of training when they never split). Its coordinates are
// the per-digit alphabar of that mean memory (docs/model.md §1.2).
// Final proportions: the fraction of memories whose largest label is each
// digit and positive (experiments/common.hpp memories_by_label).
//
// The reduced model's 1-vs-7 pair (the first 1 and the first 7, as the
// starts) gives the monostable window: at each T_r the n of the grid's range
// where the two-memory diagram in n (reduced_models, the count the
// fold-curve map uses, k = 2 identical memories, C = 10 classes) has exactly
// one stable equilibrium.
//
// Tables: near_digit.csv (Tr,start,n,seeds,saddle_epoch,split_epoch,
// saddle_alphabar_1,saddle_alphabar_7,saddle_alphabar_9,proportion_1,
// proportion_7,proportion_9,share_1_vs_7 = proportion_1/(proportion_1+proportion_7));
// near_digit_windows.csv (Tr,n_from,n_to: monostable intervals); plot
// near_digit.png: per T_r, the saddle's alphabar_1 and the final share of
// 1s among 1s and 7s against n for each start, the monostable window shaded.
#include <Eigen/Dense>
#include <fmt/format.h>

#include <cmath>
#include <deque>
#include <limits>
#include <random>

#include "experiments/common.hpp"
#include "experiments/plans.hpp"
#include "lib/errors.hpp"
#include "lib/memory_analysis.hpp"
#include "plots/gnuplot.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_folds.hpp"
#include "reduced_models/setup.hpp"

namespace waddington::experiments::detail {
namespace {

constexpr double kNoise = 1e-3, kLabelBias = 0.05, kTogether = 0.05;
constexpr int kWindow = 20;
const std::vector<int> kDigits = {1, 7, 9};

// Row (in the training set) of the first sample of `digit`; -1 if none.
Eigen::Index first_sample(const Dataset& training, int digit) {
  for (Eigen::Index i = 0; i < training.num_samples(); ++i)
    if (training.labels[std::size_t(i)] == digit) return i;
  return -1;
}

struct SaddleTracker {
  int best_epoch = -1, split_epoch = -1;
  double best_move = std::numeric_limits<double>::infinity();
  Eigen::RowVectorXd best_mean;
  std::deque<Eigen::RowVectorXd> recent;  // the last kWindow + 1 mean memories

  void update(int epoch, const Eigen::MatrixXd& memories) {
    const Eigen::RowVectorXd mean = memories.colwise().mean();
    recent.push_back(mean);
    if (int(recent.size()) > kWindow + 1) recent.pop_front();
    if (split_epoch >= 0) return;
    const double spread = (memories.rowwise() - mean).cwiseAbs().maxCoeff();
    if (spread > kTogether) {
      split_epoch = epoch;
      return;
    }
    if (int(recent.size()) == kWindow + 1) {
      const double move = (recent.back() - recent.front()).cwiseAbs().maxCoeff();
      if (move < best_move) best_move = move, best_epoch = epoch, best_mean = mean;
    }
  }
};

// The monostable intervals in n of the reduced 1-vs-7 pair at T_r.
std::vector<std::pair<double, double>> monostable_windows(const std::string& images, int row_1, int row_7, double Tr,
                                                          double n_min, double n_max) {
  reduced::TwoMemorySetupOptions o;
  o.images = images;
  o.rows = {row_1, row_7};
  o.rescaled_temperature = Tr;
  const auto setup = reduced::two_memory_setup(o);
  reduced::DiagramOptions d;
  d.from = n_min;
  d.to = n_max;
  const auto diagram = reduced::compute_diagram(setup.parameters, d);
  std::vector<std::pair<double, double>> windows;
  const double step = 0.1;
  bool inside = false;
  double start = 0;
  for (double n = n_min + 1e-6; n <= n_max; n += step) {
    const bool mono = reduced::count_on_diagram(diagram, n).stable == 1;
    if (mono && !inside) start = n, inside = true;
    if (!mono && inside) windows.push_back({start, n - step}), inside = false;
  }
  if (inside) windows.push_back({start, n_max});
  return windows;
}

}  // namespace

ExperimentPlan plan_near_digit(const ExperimentOptions& options) {
  TrainerOptions trainer;
  trainer.memories = 100;
  trainer.rate = 0.005;
  trainer.epochs = 3000;
  auto setup = training_setup(options, "1,7,9", 0, trainer);
  for (int d : kDigits)
    if (first_sample(setup->training, d) < 0)
      throw InputError(fmt::format("near-digit: the training set has no sample of digit {}", d));
  ExperimentPlan plan;
  plan.name = "near-digit";
  plan.grid = experiment_grid({"Tr=0.7,0.96,1.02", "start=1,7,9", "n=2:60:2", "seed=1"}, options);
  const nlohmann::json config = {{"start_noise_sd", kNoise}, {"start_label_bias", kLabelBias},
                                 {"together_below", kTogether}, {"saddle_window_epochs", kWindow},
                                 {"start_sample", "first training sample of the start digit"},
                                 {"reduced_pair", "first 1 and first 7; k = 2, C = 10"}};
  std::vector<std::string> results = {"saddle_epoch", "split_epoch"};
  for (int d : kDigits) results.push_back(fmt::format("saddle_alphabar_{}", d));
  for (int d : kDigits) results.push_back(fmt::format("proportion_{}", d));
  results.push_back("final_accuracy");

  sweep::Task task;
  task.name = "near-digit";
  task.config = {{"trainer", compare::trainer_options_json(setup->options)}, {"data", setup->data_identity}, {"experiment", config}};
  task.parameters = compare::trainer_grid_parameters();
  task.parameters.push_back("start");
  task.results = results;
  const Eigen::Index pixels = setup->training.num_pixels();
  auto trainer_parameters = [](std::map<std::string, double> p) {
    p.erase("start");
    return p;
  };
  task.check = [setup, pixels, trainer_parameters](const std::map<std::string, double>& p) {
    (void)compare::cell_trainer_options(setup->options, trainer_parameters(p), pixels);
    const double start = p.count("start") ? p.at("start") : 1;
    if (start != std::round(start) || first_sample(setup->training, int(start)) < 0)
      throw InputError(fmt::format("--grid start={}: not a digit of the training set (1, 7, 9)", sweep::format_value(start)));
  };
  task.run = [setup, pixels, trainer_parameters](const sweep::CellContext& cell) {
    const TrainerOptions options = compare::cell_trainer_options(setup->options, trainer_parameters(cell.parameters), pixels);
    const int digit = int(cell.parameter("start", 1));
    const Dataset& training = setup->training;
    std::mt19937_64 rng(options.seed);
    std::normal_distribution<double> noise(0, kNoise);
    NetworkState state;
    state.memories.resize(options.memories, pixels);
    const Eigen::RowVectorXd sample = training.images.row(first_sample(training, digit));
    for (int mu = 0; mu < options.memories; ++mu)
      for (Eigen::Index j = 0; j < pixels; ++j) state.memories(mu, j) = sample(j) + noise(rng);
    state.labels.resize(options.memories, training.num_classes);
    for (int mu = 0; mu < options.memories; ++mu)
      for (int c = 0; c < training.num_classes; ++c) state.labels(mu, c) = (c == digit ? kLabelBias : -kLabelBias) + noise(rng);
    SaddleTracker tracker;
    const auto on_epoch = [&](const EpochMetrics& m, const NetworkState& s) {
      if (cell.stop_requested()) throw sweep::Abandoned();
      tracker.update(m.epoch, s.memories);
    };
    const TrainerSummary summary = train(options, training, nullptr, state, on_epoch);
    sweep::CellResult result;
    if (summary.termination != TrainerTermination::kCompleted) {
      result.status = sweep::CellStatus::kFailed;
      result.message = summary.message;
      return result;
    }
    if (tracker.best_epoch < 0) {  // split before a full window: the first mean memories
      tracker.best_epoch = 0;
      tracker.best_mean = tracker.recent.front();
    }
    const MemoryAnalysis saddle = analyze_memories(Eigen::MatrixXd(tracker.best_mean), training);
    result.values["saddle_epoch"] = tracker.best_epoch;
    result.values["split_epoch"] = tracker.split_epoch;
    const EpochMetrics& last = *summary.final_metrics();
    const std::vector<int> counts = memories_by_label(state.labels);
    for (int d : kDigits) {
      result.values[fmt::format("saddle_alphabar_{}", d)] = d < saddle.alpha_by_class.cols() ? saddle.alpha_by_class(0, d) : NAN;
      result.values[fmt::format("proportion_{}", d)] =
          d + 1 < int(counts.size()) ? double(counts[d]) / options.memories : NAN;
    }
    result.values["final_accuracy"] = last.accuracy;
    return result;
  };
  plan.task = task;
  plan.settings = plan_settings(*setup, plan.grid, config);

  const int row_1 = int(setup->training.source_rows[std::size_t(first_sample(setup->training, 1))]);
  const int row_7 = int(setup->training.source_rows[std::size_t(first_sample(setup->training, 7))]);
  const std::string images = setup->data_identity.value("images", std::string());
  const sweep::Grid grid = plan.grid;
  plan.finish = [grid, task, row_1, row_7, images](const sweep::SweepSummary& summary, const std::filesystem::path& out) {
    ExperimentResult result;
    const auto cells = finished_cells(grid, task, summary, &result.warnings);
    std::vector<std::string> rows, window_rows;
    const auto temperatures = distinct(cells, "Tr");
    const auto ns = distinct(cells, "n");
    const auto starts = distinct(cells, "start");
    nlohmann::json by_Tr = nlohmann::json::array();
    std::string data;  // blocks: per Tr, per start: n alphabar_1 share_1_vs_7
    std::string body = fmt::format("set multiplot layout {},2 title 'Memories started near a digit (Figure 7): 1-vs-7 monostable window of the reduced model shaded'\n",
                                   std::max<std::size_t>(temperatures.size(), 1));
    int block = 0;
    for (double Tr : temperatures) {
      std::vector<std::pair<double, double>> windows;
      try {
        if (!ns.empty()) windows = monostable_windows(images, row_1, row_7, Tr, std::max(ns.front(), 1.0), std::max(ns.back(), ns.front() + 1));
      } catch (const std::exception& e) {
        result.warnings.push_back(fmt::format("T_r = {}: reduced diagram failed: {}", field(Tr), e.what()));
      }
      nlohmann::json w = nlohmann::json::array();
      for (auto [a, b] : windows) {
        window_rows.push_back(fmt::format("{},{:.1f},{:.1f}", field(Tr), a, b));
        w.push_back({a, b});
      }
      // share of 1s by start and n
      std::map<double, std::map<double, double>> share;  // start -> n -> share
      int first_block = block;
      for (double start : starts) {
        for (double n : ns) {
          double p[3] = {0, 0, 0}, alpha[3] = {0, 0, 0}, saddle_epoch = 0, split_epoch = 0;
          int seeds = 0;
          for (const auto& c : cells)
            if (c.parameter("Tr") == Tr && c.parameter("start") == start && c.parameter("n") == n) {
              ++seeds;
              for (int k = 0; k < 3; ++k) {
                p[k] += c.value(fmt::format("proportion_{}", kDigits[k]));
                alpha[k] += c.value(fmt::format("saddle_alphabar_{}", kDigits[k]));
              }
              saddle_epoch += c.value("saddle_epoch");
              split_epoch += c.value("split_epoch");
            }
          if (!seeds) continue;
          for (int k = 0; k < 3; ++k) p[k] /= seeds, alpha[k] /= seeds;
          const double s17 = p[0] + p[1] > 0 ? p[0] / (p[0] + p[1]) : NAN;
          share[start][n] = s17;
          rows.push_back(fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}", field(Tr), field(start), field(n), seeds,
                                     field(saddle_epoch / seeds), field(split_epoch / seeds), field(alpha[0]), field(alpha[1]),
                                     field(alpha[2]), field(p[0]), field(p[1]), field(p[2]), field(s17)));
          data += fmt::format("{} {} {}\n", field(n), field(alpha[0]), field(s17));
        }
        data += "\n\n";
        ++block;
      }
      // Balanced n: starting near 1 and near 7 end within 0.2 of each other in the 1-vs-7 share, both in [0.1, 0.9].
      std::vector<double> balanced;
      for (double n : ns)
        if (share.count(1) && share.count(7) && share[1].count(n) && share[7].count(n)) {
          const double a = share[1][n], b = share[7][n];
          if (std::abs(a - b) <= 0.2 && a >= 0.1 && a <= 0.9 && b >= 0.1 && b <= 0.9) balanced.push_back(n);
        }
      auto in_window = [&](double n) {
        for (auto [a, b] : windows)
          if (n >= a - 1e-9 && n <= b + 1e-9) return true;
        return false;
      };
      int balanced_inside = 0, window_grid = 0, window_balanced = 0;
      for (double n : balanced) balanced_inside += in_window(n);
      for (double n : ns)
        if (in_window(n)) {
          ++window_grid;
          window_balanced += std::count(balanced.begin(), balanced.end(), n) > 0;
        }
      std::string wtext, btext;
      for (auto [a, b] : windows) wtext += fmt::format("{}[{:.1f}, {:.1f}]", wtext.empty() ? "" : " ", a, b);
      for (double n : balanced) btext += (btext.empty() ? "" : " ") + field(n);
      result.report.push_back(fmt::format("T_r = {}: monostable window(s) in n {}; balanced n (start 1 and 7 agree): {}; "
                                          "{} of {} balanced n inside the window, {} of {} grid n inside the window balanced",
                                          field(Tr), wtext.empty() ? "none" : wtext, btext.empty() ? "none" : btext,
                                          balanced_inside, balanced.size(), window_balanced, window_grid));
      nlohmann::json shares = nlohmann::json::object();
      for (auto& [start, by_n] : share) {
        std::string line;
        for (auto& [n, s] : by_n) line += fmt::format("{}{}:{:.2f}", line.empty() ? "" : " ", field(n), s);
        shares[field(start)] = line;
        result.report.push_back(fmt::format("  start {}: share of 1s among 1s and 7s by n: {}", field(start), line));
      }
      by_Tr.push_back({{"Tr", Tr}, {"monostable_windows", w}, {"balanced_n", balanced}, {"balanced_inside_window", balanced_inside},
                       {"window_grid_n", window_grid}, {"window_grid_n_balanced", window_balanced}, {"share_1_vs_7", shares}});
      // Two panels for this T_r, the window(s) shaded.
      std::string shade;
      int object = 1 + 10 * first_block;
      for (auto [a, b] : windows)
        shade += fmt::format("set object {} rect from {},graph 0 to {},graph 1 fc rgb '#d8ecd8' fs solid 0.6 noborder behind\n", object++, a, b);
      std::string alpha_plot = "plot ", share_plot = "plot ";
      for (std::size_t k = 0; k < starts.size(); ++k) {
        alpha_plot += fmt::format("{}$nd index {} using 1:2 with linespoints lw 2 pt 7 title 'start near {}'", k ? ", " : "",
                                  first_block + int(k), field(starts[k]));
        share_plot += fmt::format("{}$nd index {} using 1:3 with linespoints lw 2 pt 7 title 'start near {}'", k ? ", " : "",
                                  first_block + int(k), field(starts[k]));
      }
      body += shade + fmt::format("set title 'T_r = {}: saddle reached'\nset xlabel 'n'\nset ylabel 'alphabar_1 of the saddle'\nset grid\nset key outside right top font ',9'\nset yrange [*:*]\n", field(Tr)) +
              alpha_plot + "\n" +
              fmt::format("set title 'T_r = {}: final share of 1s among 1s and 7s (none of either: no point)'\nset ylabel 'share of 1s'\nset yrange [-0.05:1.05]\n", field(Tr)) +
              share_plot + "\nunset object\n";
    }
    body += "unset multiplot\n";
    result.figures = {{"by_Tr", by_Tr}};
    result.files.push_back(write_csv(out, "near_digit.csv",
                                     "Tr,start,n,seeds,saddle_epoch,split_epoch,saddle_alphabar_1,saddle_alphabar_7,"
                                     "saddle_alphabar_9,proportion_1,proportion_7,proportion_9,share_1_vs_7",
                                     rows));
    result.files.push_back(write_csv(out, "near_digit_windows.csv", "Tr,n_from,n_to", window_rows));
    if (!temperatures.empty()) {
      plots::render(out / "near_digit.png", {{"nd", data}}, body, 1300, 420 * int(temperatures.size()));
      result.files.push_back("near_digit.png");
    }
    return result;
  };
  return plan;
}

}  // namespace waddington::experiments::detail
