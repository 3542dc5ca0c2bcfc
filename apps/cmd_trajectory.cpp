// `waddington trajectory`: integrates the reduced flow (docs/model.md §2) or the
// K-memory flow (2.2) from a starting state; time = epochs x rate.
#include <fmt/format.h>

#include <sstream>

#include "apps/reduced_options.hpp"
#include "apps/reduced_portrait.hpp"
#include "apps/registry.hpp"
#include "apps/run_record.hpp"
#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"

namespace waddington::app {
namespace {

struct TrajectoryConfig {
  ReducedConfig reduced;
  reduced::TrajectoryOptions options;
  std::string start = "0.45,0.0", format = "csv", out, plot;
  double epochs = 10000, rate = 0.005;
};

Eigen::VectorXd parse_start(const std::string& text) {
  std::vector<double> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    double v = 0;
    try { v = std::stod(item, &used); } catch (const std::exception&) { used = 0; }
    if (used == 0 || used != item.size() || !std::isfinite(v))
      throw InputError(fmt::format("--start '{}': expected alpha,ell[,alpha,ell...] numbers", text));
    values.push_back(v);
  }
  if (values.size() < 2 || values.size() % 2) throw InputError(fmt::format("--start '{}': expected pairs alpha,ell", text));
  return Eigen::Map<Eigen::VectorXd>(values.data(), Eigen::Index(values.size()));
}

std::string trajectory_csv(const reduced::TrajectoryResult& r, double rate) {
  std::ostringstream csv;
  const Eigen::Index K = r.states.empty() ? 1 : r.states[0].size() / 2;
  csv << "t,epoch";
  for (Eigen::Index mu = 0; mu < K; ++mu) csv << (K == 1 ? ",alpha,ell" : fmt::format(",alpha_{0},ell_{0}", mu + 1));
  csv << "\n";
  for (std::size_t i = 0; i < r.times.size(); ++i) {
    csv << fmt::format("{:.10g},{:.10g}", r.times[i], r.times[i] / rate);
    for (Eigen::Index k = 0; k < r.states[i].size(); ++k) csv << fmt::format(",{:.12g}", r.states[i](k));
    csv << "\n";
  }
  return csv.str();
}

void run(TrajectoryConfig c) {
  RunRecord record("trajectory", CommandLine::argc(), CommandLine::argv());
  check_format(c.format);
  const ReducedSetup setup = reduced_setup(c.reduced, &record);
  if (!(c.rate > 0 && std::isfinite(c.rate))) throw InputError(fmt::format("--rate {} must be positive", c.rate));
  if (!(c.epochs > 0 && std::isfinite(c.epochs))) throw InputError(fmt::format("--epochs {} must be positive", c.epochs));
  c.options.t_max = c.epochs * c.rate;  // time = epochs x rate (docs/model.md §2)
  const Eigen::VectorXd x0 = parse_start(c.start);
  if (!c.plot.empty()) plots::terminal_for(c.plot);
  if (!c.out.empty()) ensure_writable_directory(c.out);
  // One pair: the (alpha, ell) flow with k identical memories; several: K explicit memories.
  const auto result = x0.size() == 2 ? reduced::integrate_two_memory(setup.parameters, x0(0), x0(1), c.options)
                                     : reduced::integrate_k_memory(setup.parameters, x0, c.options);
  record.time("integration_seconds", result.seconds);
  const std::string csv = trajectory_csv(result, c.rate);
  if (c.format == "csv") fmt::print("{}", csv);
  else if (c.format == "json") fmt::print("{}\n", result.ToJson().dump(2));
  else fmt::print("{}\n", result.BriefReport());
  if (!c.plot.empty()) {
    PortraitInputs in;
    in.alpha_min = 0, in.alpha_max = 1, in.flow_starts = 0;
    in.trajectories = {result};
    plots::render_phase_portrait(c.plot, portrait_data(setup, reduced::find_fixed_points(setup.parameters), in));
  }
  if (c.out.empty()) return;
  write_file_atomic(std::filesystem::path(c.out) / "trajectory.csv", csv);
  record.parameters() = setup.ToJson();
  record.parameters()["start"] = c.start;
  record.parameters()["epochs"] = c.epochs;
  record.parameters()["rate"] = c.rate;
  record.summary() = result.ToJson();
  record.write(c.out);
}

const Registrar registrar(32, [](CLI::App& app) {
  auto config = std::make_shared<TrajectoryConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("trajectory", "Integrate the reduced flow (or K memories) from a starting state");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--start", c.start, "alpha,ell (reduced flow) or alpha_1,ell_1,...,alpha_K,ell_K (K memories at T)")
      ->capture_default_str();
  cmd->add_option("--epochs", c.epochs, "Epochs to integrate")->capture_default_str();
  cmd->add_option("--rate", c.rate, "Learning rate (time = epochs x rate)")->capture_default_str();
  cmd->add_option("--output-interval", c.options.output_interval, "Sampling interval in time units (0: every step)")
      ->capture_default_str();
  cmd->add_option("--stop-speed", c.options.stop_speed, "Stop when the speed falls below this")->capture_default_str();
  cmd->add_option("--format", c.format, "Output on stdout: table (summary), csv or json")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for trajectory.csv and run.json");
  cmd->add_option("--plot", c.plot, "Trajectory over the phase portrait (.png/.svg/.pdf)");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
