// `waddington trajectory`: integrates the reduced flow (docs/model.md §2) or the
// K-memory flow (2.2) from a starting state; time = duration (epochs) x rate.
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "lib/csv_columns.hpp"
#include "reduced_models/formats.hpp"

namespace waddington::app {
namespace {

struct TrajectoryConfig {
  ReducedConfig reduced;
  reduced::TrajectoryOptions options;
  std::vector<std::string> start = {"0.45,0.0"};
  std::string format = "table", out, plot;
  double duration = 10000, rate = 0.005;
};

// One --start ALPHA,ELL per memory (an older single list alpha_1,ell_1,alpha_2,ell_2,... is split into pairs).
Eigen::VectorXd parse_state(const std::vector<std::string>& starts) {
  std::vector<std::string> points;
  for (const auto& s : starts) {
    std::vector<std::string> items;
    std::size_t from = 0;
    for (std::size_t at; (at = s.find(',', from)) != std::string::npos; from = at + 1) items.push_back(s.substr(from, at - from));
    items.push_back(s.substr(from));
    if (items.size() > 2 && items.size() % 2 == 0)
      for (std::size_t i = 0; i < items.size(); i += 2) points.push_back(items[i] + "," + items[i + 1]);
    else
      points.push_back(s);
  }
  Eigen::VectorXd x(2 * Eigen::Index(points.size()));
  for (std::size_t i = 0; i < points.size(); ++i) std::tie(x(2 * i), x(2 * i + 1)) = parse_point(points[i], "--start");
  return x;
}

void run(TrajectoryConfig c) {
  Command command("trajectory", c.out, {c.plot});
  const auto setup = reduced_setup(c.reduced, &command.record());
  if (!(c.rate > 0 && std::isfinite(c.rate))) throw InputError(fmt::format("--rate {} must be positive", c.rate));
  if (!(c.duration > 0 && std::isfinite(c.duration)))
    throw InputError(fmt::format("--duration {} must be positive", c.duration));
  c.options.t_max = c.duration * c.rate;  // time = duration (epochs) x rate (docs/model.md §2)
  const Eigen::VectorXd x0 = parse_state(c.start);
  if (x0.size() == 0) throw InputError("--start: give ALPHA,ELL (once per memory)");
  const int memories = int(x0.size() / 2);
  // K explicit memories are each a memory at T (docs/model.md §2.2): --memories-identical does not apply.
  if (memories > 1 && c.reduced.identical_given())
    throw InputError(fmt::format("--memories-identical does not apply to {} memories given by --start (each runs at T); "
                                 "give one --start for the flow of k identical memories",
                                 memories));
  command.start();
  // One pair: the (alpha, ell) flow with k identical memories; several: K explicit memories.
  const auto result = memories == 1 ? reduced::integrate_two_memory(setup.parameters, x0(0), x0(1), c.options)
                                    : reduced::integrate_k_memory(setup.parameters, x0, c.options);
  command.time("integration_seconds", result.seconds);
  const std::string csv = with_parameter_columns(reduced::trajectory_csv(result, c.rate), parameter_columns(setup.parameters));
  nlohmann::json json = result.ToJson();
  json["temperature"] = memories == 1 ? temperature_json(setup.parameters)
                                      : reduced::k_memory_temperature_json(setup.parameters, memories);
  const std::string line = memories == 1 ? temperature_line(setup.parameters)
                                         : reduced::k_memory_temperature_line(setup.parameters, memories);
  print_result(c.format, line + "\n" + result.BriefReport(), csv, json);
  if (!c.plot.empty()) {
    // Behind K explicit memories: the flow they follow while equal, that of k = K identical memories.
    reduced::TwoMemorySetup background = setup;
    if (memories > 1) background.parameters.identical_memories = memories;
    plot_phase_portrait(c.plot, background, reduced::find_fixed_points(background.parameters).fixed_points, {result},
                        {.flow_starts = 0});
  }
  command.write("trajectory.csv", csv);
  nlohmann::json parameters = setup.ToJson();
  parameters["start"] = c.start, parameters["duration"] = c.duration, parameters["rate"] = c.rate;
  command.close(parameters, json);
}

const Registrar registrar(32, [](CLI::App& app) {
  auto config = std::make_shared<TrajectoryConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("trajectory", "Integrate the reduced flow (or K memories) from a starting state");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--start", c.start,
                  "Start point ALPHA,ELL: once for the reduced (alpha, ell) flow of --memories-identical memories; "
                  "repeated (--start A1,L1 --start A2,L2 ...) for K distinct memories at T")
      ->capture_default_str();
  auto* duration = cmd->add_option("--duration", c.duration, "Epochs to integrate (real; time = duration x rate)")
      ->capture_default_str();
  add_old_spelling(cmd, duration, "--epochs", c.duration);
  cmd->add_option("--rate", c.rate, "Learning rate (time = duration x rate)")->capture_default_str();
  cmd->add_option("--output-interval", c.options.output_interval, "Sampling interval in time units (0: every step)")
      ->capture_default_str();
  cmd->add_option("--stop-speed", c.options.stop_speed, "Stop when the speed falls below this")->capture_default_str();
  add_format_option(cmd, c.format, "trajectory.csv");
  cmd->add_option("--out", c.out, "Directory for trajectory.csv and run.json");
  cmd->add_option("--plot", c.plot, "Trajectory over the phase portrait (.png/.svg/.pdf)");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
