#pragma once
// The four experiments' plans (one file each).
#include "experiments/experiment.hpp"

namespace waddington::experiments::detail {
ExperimentPlan plan_prototype_metrics(const ExperimentOptions& options);
ExperimentPlan plan_learning_order(const ExperimentOptions& options);
ExperimentPlan plan_near_digit(const ExperimentOptions& options);
ExperimentPlan plan_populations(const ExperimentOptions& options);
}  // namespace waddington::experiments::detail
