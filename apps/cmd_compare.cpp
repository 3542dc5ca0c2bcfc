// `waddington compare`: the full trainer with two memories on the two samples
// against the reduced (alpha, ell) flow from the same start (compare/compare.hpp;
// the paper's Figure 5C-D).
#include <fmt/format.h>

#include <algorithm>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "compare/compare.hpp"

namespace waddington::app {
namespace {

struct CompareConfig {
  ReducedConfig reduced;
  compare::CompareOptions options;
  std::string start = "0.45,0.0", out, plot;
};

void run(CompareConfig c) {
  Command command("compare", c.out, {c.plot});
  if (c.reduced.images.empty())
    throw InputError("compare needs the two samples for the full network: give --images FILE --pair I,J");
  const auto setup = reduced_setup(c.reduced, &command.record());
  const Eigen::VectorXd x0 = parse_start(c.start);
  if (x0.size() != 2) throw InputError(fmt::format("--start '{}' must be alpha,ell", c.start));
  c.options.alpha = x0(0), c.options.ell = x0(1);
  command.validate(c.options);
  command.start();
  const auto result = command.timed("compare_seconds", [&] { return compare::compare_reduced_full(setup, c.options); });
  fmt::print("{}\n", result.BriefReport());
  command.write("compare.csv", result.csv());
  if (!c.plot.empty()) {
    // The reduced path and the two full memories (a K = 2 trajectory: one path per memory).
    reduced::TrajectoryResult full;
    double lo = 0, hi = 1;
    for (const auto& r : result.rows) {
      full.times.push_back(r.epoch * c.options.rate);
      full.states.push_back((Eigen::VectorXd(4) << r.alpha_1, r.ell_1, r.alpha_2, r.ell_2).finished());
      lo = std::min({lo, r.alpha_1, r.alpha_2, r.alpha_reduced});
      hi = std::max({hi, r.alpha_1, r.alpha_2, r.alpha_reduced});
    }
    auto p = setup;
    p.parameters.identical_memories = 2;
    reduced::PortraitOptions portrait;
    portrait.alpha_min = std::max(-1.0, lo - 0.05), portrait.alpha_max = std::min(1.0, hi + 0.05);
    portrait.flow_starts = 0;
    plot_phase_portrait(c.plot, p, result.fixed_points.fixed_points, {result.reduced_trajectory, full}, portrait);
  }
  nlohmann::json parameters = setup.ToJson();
  parameters["identical_memories"] = 2;
  parameters["compare"] = c.options.ToJson();
  command.close(parameters, result.ToJson());
}

const Registrar registrar(60, [](CLI::App& app) {
  auto config = std::make_shared<CompareConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("compare", "Full network (two memories) against the reduced flow from the same start");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--start", c.start, "alpha,ell: the symmetric start")->capture_default_str();
  cmd->add_option("--split", c.options.split,
                  "Symmetry-breaking perturbation EPS: memory 1 at alpha+EPS/2, memory 2 at alpha-EPS/2")
      ->capture_default_str();
  cmd->add_option("--split-threshold", c.options.split_threshold,
                  "The memories have split at the first epoch with |alpha_1 - alpha_2| >= this")
      ->capture_default_str();
  cmd->add_option("--epochs", c.options.epochs, "Epochs of the full trainer")->capture_default_str();
  cmd->add_option("--rate", c.options.rate, "Learning rate (reduced time = epochs x rate)")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for compare.csv and run.json");
  cmd->add_option("--plot", c.plot, "Both trajectories over the phase portrait (.png/.svg/.pdf)");
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
