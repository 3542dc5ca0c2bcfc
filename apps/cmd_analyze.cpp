// `waddington analyze RUN_DIR`: the memories of a finished `train` run in the
// sample basis at every saved epoch, the learning order and the split events
// (docs/model.md §1.2-1.3), with the Figure 3C/F and Figure 4 (left) plots.
// Thin: config -> RunAnalysisOptions -> analyze_run() -> files and plots.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "apps/command.hpp"
#include "apps/progress.hpp"
#include "apps/registry.hpp"
#include "apps/vocabulary.hpp"
#include "lib/dataset.hpp"
#include "lib/run_analysis.hpp"
#include "plots/alphabar_trajectories.hpp"
#include "plots/recognition_bands.hpp"

namespace waddington::app {
namespace {

struct AnalyzeConfig {
  RunAnalysisOptions analysis;
  std::string out;                // default RUN_DIR/analysis
  std::string trajectory_digits;  // three digits for the alphabar plot; default: the run's, when it has three
  bool no_plots = false;
  std::string format = "table";
};

// The three digits of the trajectory plot, or none.
std::vector<int> trajectory_digits(const AnalyzeConfig& c, const RunAnalysisSummary& s) {
  if (c.trajectory_digits.empty()) {
    const std::vector<int> trained = s.trained_digits();
    return trained.size() == 3 ? trained : std::vector<int>{};
  }
  return parse_int_list(c.trajectory_digits, "--trajectory-digits");
}

void check_trajectory_digits(const std::vector<int>& digits, std::size_t classes) {
  if (digits.empty()) return;
  if (digits.size() != 3) throw InputError("--trajectory-digits: give exactly three digits, e.g. 1,4,7");
  for (int d : digits)
    if (d < 0 || std::size_t(d) >= classes)
      throw InputError(fmt::format("--trajectory-digits: digit {} is not a class of the run (0..{})", d, classes - 1));
}

void plot_bands(const std::filesystem::path& file, const RunAnalysisSummary& s) {
  plots::RecognitionBandsData bands;
  bands.title = fmt::format("recognised training samples per digit (n = {}, T_r = {:.3g})",
                            s.run_parameters.value("n", 0.0), s.run_parameters.value("Tr", 0.0));
  bands.digits = s.trained_digits();
  bands.epochs = s.metrics.epochs;
  for (const auto& row : s.metrics.correct) {
    std::vector<int> counts;
    for (int d : bands.digits) counts.push_back(row[std::size_t(d)]);
    bands.correct.push_back(std::move(counts));
  }
  bands.total_samples = s.num_samples;
  plots::plot_recognition_bands(file, bands);
}

void plot_trajectories(const std::filesystem::path& file, const RunAnalysisSummary& s, const std::vector<int>& d) {
  plots::AlphabarTrajectoriesData data;
  data.title = fmt::format("memories in alphabar coordinates, epochs {}-{} (n = {}, T_r = {:.3g})",
                           s.epochs.front().epoch, s.epochs.back().epoch, s.run_parameters.value("n", 0.0),
                           s.run_parameters.value("Tr", 0.0));
  data.digits = {d[0], d[1], d[2]};
  const auto point = [&](const Eigen::MatrixXd& alphabar, Eigen::Index mu) {
    return std::array<double, 3>{alphabar(mu, d[0]), alphabar(mu, d[1]), alphabar(mu, d[2])};
  };
  for (int mu = 0; mu < s.num_memories; ++mu) {
    plots::AlphabarTrajectory t;
    t.final_digit = s.final_digits[std::size_t(mu)];
    for (const auto& e : s.epochs) t.points.push_back(point(e.memories.alpha_by_class, mu));
    data.memories.push_back(std::move(t));
  }
  for (const SplitEvent& event : s.splits) {  // the parent's mean position at its last epoch together
    const auto it = std::find_if(s.epochs.begin(), s.epochs.end(), [&](const auto& e) { return e.epoch == event.epoch_before; });
    std::array<double, 3> mean{0, 0, 0};
    for (int mu : event.parent)
      for (int i = 0; i < 3; ++i) mean[std::size_t(i)] += point(it->memories.alpha_by_class, mu)[std::size_t(i)] / double(event.parent.size());
    data.split_points.push_back(mean);
  }
  plots::plot_alphabar_trajectories(file, data);
}

void run(AnalyzeConfig c) {
  if (c.out.empty() && !c.analysis.run_dir.empty()) c.out = (std::filesystem::path(c.analysis.run_dir) / "analysis").string();
  Command command("analyze", c.out);
  command.validate(c.analysis);
  if (!c.trajectory_digits.empty()) check_trajectory_digits(parse_int_list(c.trajectory_digits, "--trajectory-digits"), 10);
  ProgressBar progress("analyze", 1000);
  const RunAnalysisSummary s = analyze_run(c.analysis, [&](int done, int total) {
    progress.update(long(done) * 1000 / std::max(total, 1), fmt::format("epoch {}/{}", done, total));
  });
  progress.finish();
  const std::vector<int> digits = trajectory_digits(c, s);
  check_trajectory_digits(digits, s.class_counts.size());
  command.start();
  for (const auto& input : s.inputs) command.record().add_input_file(input.role, input.path);
  command.time("load_seconds", s.load_seconds);
  command.time("analysis_seconds", s.analysis_seconds);
  const std::filesystem::path out = c.out;
  command.timed("write_seconds", [&] { write_run_analysis(out, s); });
  if (!c.no_plots) {
    command.timed("plot_seconds", [&] {
      plot_bands(out / "recognition.png", s);
      if (!digits.empty()) plot_trajectories(out / "trajectories.png", s, digits);
    });
  }
  const std::string wrote = fmt::format("wrote {}: alpha.npy, alphabar.npy, memories.csv, order.csv, splits.csv{}", out.string(),
                                        c.no_plots ? "" : digits.empty() ? ", recognition.png" : ", recognition.png, trajectories.png");
  print_result(c.format, s.FullReport() + wrote, c.format == "csv" ? read_output(c.out, "memories.csv") : "", s.ToJson());
  if (c.format != "table") std::fprintf(stderr, "waddington: %s\n", wrote.c_str());
  command.warn(s.warnings);
  nlohmann::json parameters = c.analysis.ToJson();
  parameters["trajectory_digits"] = digits;
  parameters["epochs_analysed"] = nlohmann::json::array();
  for (const auto& e : s.epochs) parameters["epochs_analysed"].push_back(e.epoch);
  parameters["run"] = s.run_parameters;
  command.close(parameters, s, "the analysed run is incomplete or holds non-finite states");
}

const Registrar registrar(12, [](CLI::App& app) {
  auto config = std::make_shared<AnalyzeConfig>();
  AnalyzeConfig& c = *config;
  RunAnalysisOptions& o = c.analysis;
  auto* cmd = app.add_subcommand("analyze", "Memories of a train run in the sample basis, learning order and splits "
                                            "(docs/model.md §1.2-1.3)");
  cmd->add_option("RUN_DIR", o.run_dir, "Folder of a finished `train --out` run")->required();
  cmd->add_option("--out", c.out, "Output folder (default RUN_DIR/analysis)");
  cmd->add_option("--images", o.images, "Training images, when they moved since the run (default: as in run.json)");
  auto* at = cmd->add_option("--at-epochs", o.epochs, "Saved epochs to analyse, e.g. 0,1000,3000 or 0:3000:100 (default: every saved state)");
  add_old_spelling(cmd, at, "--epochs", o.epochs);
  cmd->add_option("--tolerance", o.memory.tolerance, "Relative error of 'samples needed' (docs/model.md §1.2)")->capture_default_str();
  cmd->add_option("--recognised-fraction", o.order.fraction,
                  "A digit is recognised when this fraction of its samples is, to the end (§1.3)")->capture_default_str();
  cmd->add_option("--recognised-precision", o.order.precision,
                  "... and at least this share of the samples classified as the digit are it (§1.3)")->capture_default_str();
  cmd->add_option("--split-distance", o.splits.distance,
                  "Memories within this alphabar distance follow one trajectory (§1.3)")->capture_default_str();
  cmd->add_option("--trajectory-digits", c.trajectory_digits,
                  "Three digits for trajectories.png (default: the run's, when it trained on three)");
  cmd->add_flag("--no-plots", c.no_plots, "Write the tables only");
  add_format_option(cmd, c.format, "memories.csv");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
