// `prototype-metrics`: the feature-to-prototype transition in two numbers (Figure 2A).
//
// Configuration (the paper's Figure 1-2 runs): the 200 paper digits, 100
// memories, rate 0.005, Gaussian start from each seed, 3000 epochs; grid
// n = 1..60 step 1 x T_r = 0.6, 0.9, 1.2 x seed = 1. Per cell, at the end of
// training (lib/memory_analysis.hpp, alpha = M X^+): the mean over memories of
// the largest alpha, and the mean number of samples needed to reconstruct a
// memory within 5% (relative L2 error, largest-|alpha| samples first) over the
// memories that can be reconstructed at all (none: no value, never 0).
//
// Table prototype_metrics.csv: Tr,n,seeds,mean_max_alpha,mean_samples_to_reconstruct,
// reconstructible_seeds,mean_reconstructible,final_accuracy (means over seeds;
// mean_samples_to_reconstruct over the reconstructible_seeds seeds with at least
// one reconstructible memory, empty when there are none; mean_reconstructible =
// mean number of reconstructible memories). Plot prototype_metrics.png: both
// against n, one curve per T_r (gaps where nothing is reconstructible).
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "experiments/common.hpp"
#include "experiments/plans.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::experiments::detail {

ExperimentPlan plan_prototype_metrics(const ExperimentOptions& options) {
  TrainerOptions trainer;
  trainer.memories = 100;
  trainer.rate = 0.005;
  trainer.epochs = 3000;
  auto setup = training_setup(options, "", 0, trainer);
  ExperimentPlan plan;
  plan.name = "prototype-metrics";
  plan.grid = experiment_grid({"Tr=0.6,0.9,1.2", "n=1:60:1", "seed=1"}, options);
  const nlohmann::json config = {{"reconstruction_tolerance", MemoryAnalysisOptions{}.tolerance}};
  plan.task = measuring_task("prototype-metrics", setup,
                             {"mean_max_alpha", "mean_samples_to_reconstruct", "reconstructible_memories", "final_accuracy"},
                             config, [](const compare::TrainedCell& cell, const TrainerOptions&) {
                               return std::map<std::string, double>{
                                   {"mean_max_alpha", cell.analysis.mean_max_alpha},
                                   {"mean_samples_to_reconstruct", cell.analysis.mean_samples_to_reconstruct},
                                   {"reconstructible_memories", double(cell.analysis.reconstructible)},
                                   {"final_accuracy", cell.summary.final_metrics()->accuracy}};
                             });
  plan.settings = plan_settings(*setup, plan.grid, config);
  const sweep::Grid grid = plan.grid;
  const sweep::Task task = plan.task;
  plan.finish = [grid, task](const sweep::SweepSummary& summary, const std::filesystem::path& out) {
    ExperimentResult result;
    const auto cells = finished_cells(grid, task, summary, &result.warnings);
    std::vector<std::string> rows;
    std::string plot_data, alpha_plot, samples_plot;
    nlohmann::json curves = nlohmann::json::array();
    const auto temperatures = distinct(cells, "Tr");
    for (double Tr : temperatures) {
      nlohmann::json curve = {{"Tr", Tr}, {"n", nlohmann::json::array()}, {"mean_max_alpha", nlohmann::json::array()},
                              {"mean_samples_to_reconstruct", nlohmann::json::array()}};
      for (double n : distinct(cells, "n")) {
        double alpha = 0, samples = 0, reconstructible = 0, accuracy = 0;
        int seeds = 0, reconstructible_seeds = 0;
        for (const auto& cell : cells)
          if (cell.parameter("Tr") == Tr && cell.parameter("n") == n) {
            ++seeds;
            alpha += cell.value("mean_max_alpha");
            reconstructible += cell.value("reconstructible_memories");
            accuracy += cell.value("final_accuracy");
            // A seed none of whose memories can be reconstructed has no mean: left out, not counted as 0.
            if (const double s = cell.value("mean_samples_to_reconstruct"); !std::isnan(s)) samples += s, ++reconstructible_seeds;
          }
        if (!seeds) continue;
        alpha /= seeds, reconstructible /= seeds, accuracy /= seeds;
        samples = reconstructible_seeds ? samples / reconstructible_seeds : std::numeric_limits<double>::quiet_NaN();
        if (reconstructible_seeds < seeds)
          result.warnings.push_back(fmt::format("T_r = {}, n = {}: {} of {} seeds have no memory reconstructible within {}; "
                                                "mean_samples_to_reconstruct is over the other {}",
                                                field(Tr), field(n), seeds - reconstructible_seeds, seeds,
                                                MemoryAnalysisOptions{}.tolerance, reconstructible_seeds));
        rows.push_back(fmt::format("{},{},{},{},{},{},{},{}", field(Tr), field(n), seeds, field(alpha), field(samples),
                                   reconstructible_seeds, field(reconstructible), field(accuracy)));
        // gnuplot: "NaN" leaves a gap in the samples curve.
        plot_data += fmt::format("{} {} {}\n", field(n), field(alpha), std::isnan(samples) ? "NaN" : field(samples));
        curve["n"].push_back(n);
        curve["mean_max_alpha"].push_back(alpha);
        curve["mean_samples_to_reconstruct"].push_back(std::isnan(samples) ? nlohmann::json(nullptr) : nlohmann::json(samples));
      }
      plot_data += "\n\n";
      const auto& a = curve["mean_max_alpha"];
      const auto& s = curve["mean_samples_to_reconstruct"];
      const auto samples_text = [](const nlohmann::json& v) {
        return v.is_null() ? std::string("none (no memory reconstructible)") : fmt::format("{:.1f}", v.get<double>());
      };
      if (!a.empty())
        result.report.push_back(fmt::format(
            "T_r = {}: mean max alpha {:.3f} at n = {} -> {:.3f} at n = {}; samples to reconstruct {} -> {}", field(Tr),
            a.front().get<double>(), field(curve["n"].front().get<double>()), a.back().get<double>(),
            field(curve["n"].back().get<double>()), samples_text(s.front()), samples_text(s.back())));
      curves.push_back(curve);
    }
    result.figures = {{"curves", curves}};
    result.files.push_back(write_csv(out, "prototype_metrics.csv",
                                     "Tr,n,seeds,mean_max_alpha,mean_samples_to_reconstruct,reconstructible_seeds,"
                                     "mean_reconstructible,final_accuracy",
                                     rows));
    if (!temperatures.empty()) {
      std::string a = "plot ", s = "plot ";
      for (std::size_t k = 0; k < temperatures.size(); ++k) {
        a += fmt::format("{}$pm index {} using 1:2 with linespoints lw 2 title 'T_r = {}'", k ? ", " : "", k, field(temperatures[k]));
        s += fmt::format("{}$pm index {} using 1:3 with linespoints lw 2 title 'T_r = {}'", k ? ", " : "", k, field(temperatures[k]));
      }
      const std::string body =
          "set multiplot layout 1,2 title 'Feature-to-prototype transition (Figure 2A)'\nset grid\nset xlabel 'n'\n"
          "set key top left\nset ylabel 'mean over memories of max alpha'\nset yrange [0:*]\n" + a +
          "\nset ylabel 'samples needed to reconstruct a memory (5%)'\nset key top right\nset logscale y\nset yrange [*:*]\n" + s +
          "\nunset multiplot\n";
      plots::render(out / "prototype_metrics.png", {{"pm", plot_data}}, body, 1400, 600);
      result.files.push_back("prototype_metrics.png");
    }
    return result;
  };
  return plan;
}

}  // namespace waddington::experiments::detail
