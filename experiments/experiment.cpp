#include "experiments/experiment.hpp"

#include <fmt/format.h>

#include "experiments/plans.hpp"
#include "lib/errors.hpp"

namespace waddington::experiments {

bool ExperimentOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) {
    if (why) *why = std::move(message);
    return false;
  };
  if (epochs < 0 || epochs > 10'000'000) return bad(fmt::format("--epochs {} must be in 1..10000000 (0: the default)", epochs));
  for (int s : seeds)
    if (s < 0) return bad(fmt::format("--seeds: seed {} must be >= 0", s));
  if (images.empty() && !labels.empty()) return bad("--labels needs --images");
  return true;
}

const std::vector<ExperimentInfo>& experiment_list() {
  static const std::vector<ExperimentInfo> list = {
      {"prototype-metrics", "Figure 2A: mean max alpha and samples needed to reconstruct a memory against n at T_r = 0.6, 0.9, 1.2"},
      {"learning-order", "the order digits are learnt at n = 30, T = 670 over seeds and at n = 3; Kendall's tau between seeds"},
      {"near-digit", "Figure 7: memories started near a 1, 7 or 9 (digits 1, 7, 9) against n at T_r = 0.7, 0.96, 1.02: "
                     "saddle reached, final proportions, the reduced 1-vs-7 monostable window"},
      {"populations", "Figure 8: final memories per digit against T_r at n = 25 and the T_r where each digit disappears"},
  };
  return list;
}

ExperimentPlan plan_experiment(const std::string& name, const ExperimentOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  if (name == "prototype-metrics") return detail::plan_prototype_metrics(options);
  if (name == "learning-order") return detail::plan_learning_order(options);
  if (name == "near-digit") return detail::plan_near_digit(options);
  if (name == "populations") return detail::plan_populations(options);
  std::string names;
  for (const auto& e : experiment_list()) names += (names.empty() ? "" : ", ") + e.name;
  throw InputError(fmt::format("experiment '{}': unknown (known: {})", name, names));
}

}  // namespace waddington::experiments
