#include "reduced_models/trajectory.hpp"

#include <fmt/format.h>

#include <boost/numeric/odeint.hpp>
#include <algorithm>
#include <chrono>
#include <functional>

#include "common/enum_names.hpp"
#include "lib/errors.hpp"
#include "reduced_models/k_memory.hpp"

namespace waddington::reduced {
namespace {

using State = std::vector<double>;
using System = std::function<void(const State&, State&, double)>;

double max_abs(const State& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

// Clips every label (odd entries) to [-1, 1]; true if anything moved.
bool clip_labels(State& x) {
  bool moved = false;
  for (std::size_t i = 1; i < x.size(); i += 2)
    if (std::abs(x[i]) > 1) x[i] = x[i] > 0 ? 1.0 : -1.0, moved = true;
  return moved;
}

bool left_chart(const State& x) {
  for (std::size_t i = 0; i < x.size(); i += 2)
    if (std::abs(x[i]) >= 1) return true;
  return false;
}

TrajectoryResult integrate(const System& system, State x, const TrajectoryOptions& o) {
  namespace odeint = boost::numeric::odeint;
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const auto start = std::chrono::steady_clock::now();
  TrajectoryResult r;
  auto record = [&r](double t, const State& s) {
    r.times.push_back(t);
    r.states.push_back(Eigen::Map<const Eigen::VectorXd>(s.data(), Eigen::Index(s.size())));
  };
  clip_labels(x);
  record(0, x);
  auto stepper = odeint::make_dense_output(o.absolute_tolerance, o.relative_tolerance, odeint::runge_kutta_dopri5<State>());
  stepper.initialize(x, 0.0, std::min(o.initial_step, o.t_max));
  double next_output = o.output_interval;
  State dxdt(x.size()), sample(x.size());
  while (true) {
    if (r.steps >= o.max_steps) { r.termination = TrajectoryTermination::kStepLimit; break; }
    const double remaining = o.t_max - stepper.current_time();
    if (stepper.current_time_step() > remaining) stepper.initialize(stepper.current_state(), stepper.current_time(), remaining);
    const auto [t0, t1] = stepper.do_step(system);
    ++r.steps;
    for (; o.output_interval > 0 && next_output < t1 && next_output <= o.t_max; next_output += o.output_interval) {
      stepper.calc_state(next_output, sample);
      clip_labels(sample);
      record(next_output, sample);
    }
    x = stepper.current_state();
    if (clip_labels(x)) stepper.initialize(x, t1, stepper.current_time_step());
    system(x, dxdt, t1);
    r.final_speed = max_abs(dxdt);
    const bool done_time = t1 >= o.t_max * (1 - 1e-15);
    if (o.output_interval == 0 || r.final_speed < o.stop_speed || done_time || left_chart(x)) record(t1, x);
    if (r.final_speed < o.stop_speed) { r.termination = TrajectoryTermination::kFixedPoint; break; }
    if (left_chart(x)) { r.termination = TrajectoryTermination::kLeftChart; break; }
    if (done_time) { r.termination = TrajectoryTermination::kTimeLimit; break; }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace

bool TrajectoryOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(t_max > 0 && std::isfinite(t_max))) return fail(fmt::format("time limit {} must be positive and finite", t_max));
  if (!(output_interval >= 0 && std::isfinite(output_interval))) return fail("output interval must be >= 0");
  if (output_interval > 0 && t_max / output_interval > 5e7)
    return fail(fmt::format("t_max / output_interval = {:.3g} samples is too many (at most 5e7)", t_max / output_interval));
  if (!(absolute_tolerance > 0 && relative_tolerance > 0)) return fail("tolerances must be positive");
  if (!(initial_step > 0)) return fail("initial step must be positive");
  if (!(stop_speed >= 0)) return fail("stop speed must be >= 0");
  if (max_steps < 1) return fail("max_steps must be >= 1");
  return true;
}

namespace {
constexpr EnumName<TrajectoryTermination> kTerminationNames[] = {
    {TrajectoryTermination::kFixedPoint, "fixed_point"}, {TrajectoryTermination::kTimeLimit, "time_limit"},
    {TrajectoryTermination::kLeftChart, "left_chart"}, {TrajectoryTermination::kStepLimit, "step_limit"}};
}  // namespace

const char* ToString(TrajectoryTermination t) { return enum_to_string(kTerminationNames, t); }
bool FromString(const std::string& text, TrajectoryTermination* t) { return enum_from_string(kTerminationNames, text, t); }

std::string TrajectoryResult::BriefReport() const {
  std::string state;
  if (!states.empty())
    for (Eigen::Index i = 0; i < states.back().size(); ++i) state += fmt::format("{}{:.6g}", i ? ", " : "", states.back()(i));
  return fmt::format("trajectory: {} at t = {:.6g} after {} steps, final state ({}), speed {:.3g}", ToString(termination),
                     times.empty() ? 0.0 : times.back(), steps, state, final_speed);
}

nlohmann::json TrajectoryResult::ToJson() const {
  nlohmann::json j = {{"brief", BriefReport()}, {"termination", ToString(termination)}, {"steps", steps},
                      {"samples", times.size()}, {"final_speed", final_speed}, {"seconds", seconds}};
  if (!states.empty()) {
    j["final_time"] = times.back();
    j["final_state"] = std::vector<double>(states.back().data(), states.back().data() + states.back().size());
  }
  return j;
}

TrajectoryResult integrate_two_memory(const TwoMemoryParameters& p, double alpha0, double ell0,
                                      const TrajectoryOptions& options) {
  p.Validate();
  if (!(std::abs(alpha0) < 1 && std::abs(ell0) <= 1))
    throw InputError(fmt::format("initial state (alpha, ell) = ({}, {}) must have |alpha| < 1 and |ell| <= 1", alpha0, ell0));
  const TwoMemoryFlow flow{p, true};
  return integrate([&flow](const State& x, State& dxdt, double t) { flow(x, dxdt, t); }, State{alpha0, ell0}, options);
}

TrajectoryResult integrate_k_memory(const TwoMemoryParameters& p, const Eigen::VectorXd& x0,
                                    const TrajectoryOptions& options) {
  p.Validate();
  if (x0.size() < 2 || x0.size() % 2 != 0) throw InputError("K-memory initial state must hold 2K values (alpha, ell per memory)");
  for (Eigen::Index i = 0; i < x0.size(); i += 2)
    if (!(std::abs(x0(i)) < 1 && std::abs(x0(i + 1)) <= 1))
      throw InputError(fmt::format("memory {}: (alpha, ell) = ({}, {}) must have |alpha| < 1 and |ell| <= 1", i / 2 + 1,
                                   x0(i), x0(i + 1)));
  const KMemoryFlow flow{p, int(x0.size() / 2), true};
  return integrate([&flow](const State& x, State& dxdt, double t) { flow(x, dxdt, t); },
                   State(x0.data(), x0.data() + x0.size()), options);
}

bool FlowLineOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max)) return fail("flow lines: alpha range must be inside [-1, 1]");
  if (starts_alpha < 1 || starts_ell < 1 || double(starts_alpha) * starts_ell > 1e5) return fail("flow lines: 1..1e5 starting points");
  if (!(step > 0 && max_length > 0 && max_length / step < 1e6)) return fail("flow lines: step and length must be positive");
  return true;
}

std::vector<std::vector<Eigen::Vector2d>> flow_lines(const TwoMemoryParameters& p, const FlowLineOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  auto direction = [&p](const Eigen::Vector2d& x, Eigen::Vector2d* d) {
    const Eigen::Vector2d v = flow_velocity(p, x(0), x(1), p.n, p.T);
    const double len = v.norm();
    if (!(len > 1e-9)) return false;
    *d = v / len;
    return true;
  };
  std::vector<std::vector<Eigen::Vector2d>> lines;
  for (int i = 0; i < o.starts_alpha; ++i)
    for (int j = 0; j < o.starts_ell; ++j) {
      Eigen::Vector2d x(o.alpha_min + (i + 0.5) * (o.alpha_max - o.alpha_min) / o.starts_alpha,
                        -1 + (j + 0.5) * 2.0 / o.starts_ell);
      std::vector<Eigen::Vector2d> line{x};
      for (double s = 0; s < o.max_length; s += o.step) {
        Eigen::Vector2d d1, d2;
        if (!direction(x, &d1)) break;
        Eigen::Vector2d trial = x + o.step * d1;
        trial(1) = std::clamp(trial(1), -1.0, 1.0);
        if (!direction(trial, &d2)) break;
        const Eigen::Vector2d next = x + 0.5 * o.step * (d1 + d2);
        if (next(0) < o.alpha_min || next(0) > o.alpha_max) break;
        x = Eigen::Vector2d(next(0), std::clamp(next(1), -1.0, 1.0));
        if ((x - line.back()).norm() < 0.25 * o.step) break;  // stalled (on a bound or a fixed point)
        line.push_back(x);
      }
      if (line.size() > 1) lines.push_back(std::move(line));
    }
  return lines;
}

}  // namespace waddington::reduced
