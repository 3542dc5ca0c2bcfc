#pragma once
// Trajectories of the reduced flows with Boost.Odeint (dense-output
// Dormand-Prince 5(4)), time t = epochs x learning rate (docs/model.md §2). The
// labels are clipped to [-1, 1]; integration stops at a fixed point (speed
// below a threshold), at the time limit, or when a memory leaves its chart
// (alpha_B changing sign at |alpha| = 1).
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

struct TrajectoryOptions {
  // Time limit (epochs x rate): 10,000 epochs at rate 0.005 is t = 50.
  double t_max = 50;
  // Samples are recorded every `output_interval` (dense output); 0 records every step.
  double output_interval = 0.01;
  // Error tolerances of the adaptive stepper.
  double absolute_tolerance = 1e-10, relative_tolerance = 1e-8;
  double initial_step = 1e-4;
  // A fixed point is reached when the max-norm of the velocity is below this
  // (stiff label directions keep the speed at ~|J| x absolute_tolerance).
  double stop_speed = 1e-6;
  long max_steps = 2'000'000;
  bool IsValid(std::string* why) const;
};

enum class TrajectoryTermination {
  kFixedPoint,  // the velocity fell below stop_speed
  kTimeLimit,   // t reached t_max
  kLeftChart,   // a memory reached |alpha| = 1 moving outward (it continues in the other chart)
  kStepLimit,   // max_steps adaptive steps were taken
};
const char* ToString(TrajectoryTermination t);
bool FromString(const std::string& text, TrajectoryTermination* t);

struct TrajectoryResult {
  std::vector<double> times;
  std::vector<Eigen::VectorXd> states;  // (alpha, ell) or (alpha_1, ell_1, ..., alpha_K, ell_K)
  TrajectoryTermination termination = TrajectoryTermination::kTimeLimit;
  double final_speed = 0;
  long steps = 0;
  double seconds = 0;
  std::string BriefReport() const;
  nlohmann::json ToJson() const;  // summary only (not the samples)
};

// The (alpha, ell) flow of p's chart from (alpha0, ell0).
TrajectoryResult integrate_two_memory(const TwoMemoryParameters& p, double alpha0, double ell0,
                                      const TrajectoryOptions& options = {});

// The K-memory flow (docs/model.md §2.2) from x0 = (alpha_1, ell_1, ..., alpha_K, ell_K).
TrajectoryResult integrate_k_memory(const TwoMemoryParameters& p, const Eigen::VectorXd& x0,
                                    const TrajectoryOptions& options = {});

// Flow lines for pictures: curves following the direction of the (alpha, ell)
// velocity (arc-length steps, Heun), started on a regular grid, stopped at a
// fixed point, the domain edge, or `max_length`. Points are (alpha, ell).
struct FlowLineOptions {
  double alpha_min = -1, alpha_max = 1;
  int starts_alpha = 9, starts_ell = 9;
  double step = 0.004, max_length = 1.5;
  bool IsValid(std::string* why) const;
};
std::vector<std::vector<Eigen::Vector2d>> flow_lines(const TwoMemoryParameters& p, const FlowLineOptions& options = {});

}  // namespace waddington::reduced
