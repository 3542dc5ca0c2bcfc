#pragma once
// K memories on two samples (docs/model.md §2.2): 2K variables
// {alpha_1, ell_1, ..., alpha_K, ell_K}, every memory on its own manifold
// alpha_{mu,B} = s (1 - |alpha_mu|) with its own normalisation, all memories
// sharing the scores UA, UB, GA, GB. Each memory is at temperature T (not
// T_eff); with all K memories identical this is the (alpha, ell) flow of
// two_memory.hpp with k = K.
#include <Eigen/Core>

#include <vector>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// The drives of every memory of the K-memory system (`state` holds 2K
// scalars), each pair scaled as in two_memory.hpp. Uses p.AA, p.AB, p.BB,
// p.classes, p.chart, p.same_class, p.m; ignores p.identical_memories (every
// memory is explicit here).
template <class S>
std::vector<Drives<S>> k_memory_drives(const TwoMemoryParameters& p, int K, const S* state, const S& n, const S& T) {
  using detail::log;
  const S log_t = log(T);
  std::vector<detail::Overlap<S>> a(K), b(K);
  S zuA(0), zgA(0), zuB(0), zgB(0);
  for (int mu = 0; mu < K; ++mu) {
    const S alpha = state[2 * mu], ell = state[2 * mu + 1];
    const S alpha_B = chart_alpha_B(p.chart, alpha);
    a[mu] = detail::overlap(S(alpha * p.AA + alpha_B * p.AB), log_t, n);
    b[mu] = detail::overlap(S(alpha * p.AB + alpha_B * p.BB), log_t, n);
    // Shared scores: UA = tanh(sum_nu ell_nu x_nuA^n), GA = tanh(sum_nu x_nuA^n), ... (docs/model.md §2.2)
    zuA += ell * a[mu].x_pow_n;
    zgA += a[mu].x_pow_n;
    zuB += ell * b[mu].x_pow_n;
    zgB += b[mu].x_pow_n;
  }
  const S m = cost_power(p, n);
  std::vector<Drives<S>> drives(K);
  for (int mu = 0; mu < K; ++mu)
    drives[mu] = detail::sample_drives(a[mu], b[mu], state[2 * mu + 1], zuA, zgA, zuB, zgB, n, m, gamma_weight(p),
                                       p.same_class, p.classes > (p.same_class ? 1 : 2));
  return drives;
}

// The numerators of the K-memory system (docs/model.md §2.2): per memory
// F_1 = D_A (1-|alpha|) - s alpha D_B and F_2 = D_ell, scaled as the drives.
// Their zeros are the interior equilibria; at one, the velocity's Jacobian is
// their Jacobian divided row-wise by the positive denominators.
template <class S>
void k_memory_numerators(const TwoMemoryParameters& p, int K, const S* state, S* numerators, const S& n, const S& T) {
  using detail::abs;
  const std::vector<Drives<S>> drives = k_memory_drives(p, K, state, n, T);
  for (int mu = 0; mu < K; ++mu) {
    const Drives<S>& d = drives[mu];
    const S alpha = state[2 * mu];
    numerators[2 * mu] = d.A * (S(1.0) - abs(alpha)) - S(double(p.chart)) * alpha * d.B;
    numerators[2 * mu + 1] = d.ell;
  }
}

// Velocity of the K-memory system: `state` and `velocity` hold 2K scalars.
template <class S>
void k_memory_velocity(const TwoMemoryParameters& p, int K, const S* state, S* velocity, const S& n, const S& T,
                       bool clip_labels = true) {
  using detail::abs;
  const std::vector<Drives<S>> drives = k_memory_drives(p, K, state, n, T);
  for (int mu = 0; mu < K; ++mu) {
    const Drives<S>& d = drives[mu];
    const S alpha = state[2 * mu], ell = state[2 * mu + 1];
    velocity[2 * mu] = velocity[2 * mu + 1] = S(0);
    if (d.dead) continue;
    const S mem_scale = abs(d.A) + abs(d.B);
    if (scalar_value(mem_scale) > 0)
      velocity[2 * mu] = (d.A * (S(1.0) - abs(alpha)) - S(double(p.chart)) * alpha * d.B) / mem_scale;
    const S lab_scale = scalar_value(abs(d.ell)) > scalar_value(abs(d.gam)) ? abs(d.ell) : abs(d.gam);
    if (scalar_value(lab_scale) > 0) velocity[2 * mu + 1] = d.ell / lab_scale;
    const double l = scalar_value(ell), dl = scalar_value(d.ell);
    if (clip_labels && ((l >= 1.0 && dl > 0) || (l <= -1.0 && dl < 0))) velocity[2 * mu + 1] = S(0);
  }
}

// The K-memory flow as an odeint system over a std::vector<double> (or any
// indexable state) of size 2K.
struct KMemoryFlow {
  TwoMemoryParameters parameters;
  int memories = 2;
  bool clip_labels = true;

  template <class State>
  void operator()(const State& x, State& dxdt, double /*t*/) const {
    std::vector<double> in(x.begin(), x.end()), out(in.size());
    k_memory_velocity(parameters, memories, in.data(), out.data(), parameters.n, parameters.T, clip_labels);
    for (std::size_t i = 0; i < out.size(); ++i) dxdt[i] = out[i];
  }
};

// Exact 2K x 2K Jacobian of the (unclipped) K-memory velocity, via Jets.
Eigen::MatrixXd k_memory_jacobian(const TwoMemoryParameters& p, int K, const Eigen::VectorXd& state);

// Splitting (docs/model.md §2.2): for K = 2 at a symmetric point (alpha, ell) of the
// reduced flow, the 2x2 Jacobian restricted to the antisymmetric subspace
// (memory 1 at +(da, dl), memory 2 at -(da, dl)): J_11 - J_12.
Eigen::Matrix2d antisymmetric_jacobian(const TwoMemoryParameters& p, double alpha, double ell);

}  // namespace waddington::reduced
