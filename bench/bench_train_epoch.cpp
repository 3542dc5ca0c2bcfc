// One training epoch of the paper's configuration (docs/model.md §1.1: K = 100,
// N = 784, S = 200, n = m = 30, T = 670, rate 0.005, momentum 0, one minibatch)
// with 1 thread and all cores, against the machine's dGEMM throughput for the same
// shapes measured in the same run. Usage: bench_train_epoch [epochs=2000] [repeats=5]
#include <Eigen/Dense>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "lib/dataset.hpp"
#include "lib/synthetic.hpp"
#include "lib/trainer.hpp"

using namespace waddington;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

template <class F>
double median_seconds(int repeats, F&& f) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    f();
    times.push_back(seconds(t0, Clock::now()));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

Dataset load_training_set() {
  const char* env = std::getenv("WADDINGTON_DATA");
  const std::filesystem::path dir = env && *env ? std::filesystem::path(env)
                                                : std::filesystem::path(WADDINGTON_SOURCE_DIR) / ".." / "shared" / "data";
  const auto file = dir / "paper200" / "paper200_images.npy";
  if (std::filesystem::exists(file)) {
    fmt::print("data: {}\n", file.string());
    const Eigen::MatrixXd images = load_images(file);
    return select_samples(images, load_labels("blocks:20", images.rows()), SelectionOptions{});
  }
  fmt::print("data: paper200 not found, synthetic digits of the same shape (200 x 784)\n");
  return synthetic_digits(SyntheticDigitsOptions{});
}

// Seconds per call of the two large products of an epoch: (K x N)(N x S) and (K x S)(S x N).
std::pair<double, double> gemm_seconds(Eigen::Index k, Eigen::Index n, Eigen::Index s, int calls, int repeats) {
  const Eigen::MatrixXd memories = Eigen::MatrixXd::Random(k, n), samples = Eigen::MatrixXd::Random(s, n);
  const Eigen::MatrixXd weights = Eigen::MatrixXd::Random(k, s);
  Eigen::MatrixXd forward(k, s), backward(k, n);
  const double t_forward = median_seconds(repeats, [&] {
    for (int i = 0; i < calls; ++i) forward.noalias() = memories * samples.transpose();
  });
  const double t_backward = median_seconds(repeats, [&] {
    for (int i = 0; i < calls; ++i) backward.noalias() = weights * samples;
  });
  if (forward.sum() == 12345.0 || backward.sum() == 12345.0) fmt::print(" ");  // keep the products alive
  return {t_forward / calls, t_backward / calls};
}

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const Dataset training = load_training_set();
  TrainerOptions options;  // the defaults are the paper's configuration
  options.epochs = epochs;
  const Eigen::Index k = options.memories, n = training.num_pixels(), s = training.num_samples();
  const double gemm_flops = 2.0 * 2.0 * double(k) * double(n) * double(s);  // the two large products
  fmt::print("configuration: K={} N={} S={} n=m={} T={} rate={} momentum={} minibatch=all, {} epochs x {} repeats\n",
             k, n, s, options.n, options.temperature, options.rate, options.momentum, epochs, repeats);
  fmt::print("hardware threads: {}\n\n", std::thread::hardware_concurrency());
  fmt::print("{:>7} {:>12} {:>14} {:>14} {:>14} {:>16} {:>14}\n", "threads", "ms/epoch", "fwd GEMM ms", "bwd GEMM ms",
             "GEMM GFLOP/s", "epoch GFLOP/s", "epoch/GEMM");
  // The trainer leaves threading to its caller: Eigen's thread count, 1 and then all cores.
  std::vector<int> thread_counts = {1};
  if (const int all_cores = int(std::thread::hardware_concurrency()); all_cores > 1) thread_counts.push_back(all_cores);
  double single = 0;
  for (int threads : thread_counts) {
    Eigen::setNbThreads(threads);
    const auto [t_fwd, t_bwd] = gemm_seconds(k, n, s, 500, repeats);
    double epoch_time = median_seconds(repeats, [&] {
      NetworkState state = initial_state(options, n, training.num_classes);
      const TrainerSummary summary = train(options, training, nullptr, state);
      if (summary.termination != TrainerTermination::kCompleted) std::abort();
    }) / epochs;
    if (threads == 1) single = epoch_time;
    const double gemm_rate = gemm_flops / (t_fwd + t_bwd);
    fmt::print("{:>7} {:>12.4f} {:>14.4f} {:>14.4f} {:>14.1f} {:>16.1f} {:>13.1f}%\n", threads, 1e3 * epoch_time,
               1e3 * t_fwd, 1e3 * t_bwd, 1e-9 * gemm_rate, 1e-9 * gemm_flops / epoch_time,
               100.0 * (t_fwd + t_bwd) / epoch_time);
    if (threads > 1) fmt::print("\nspeed-up {} threads vs 1: {:.2f}x\n", threads, single / epoch_time);
  }
  fmt::print("goal: <= 2 ms/epoch on one core (published Python code: about 110 ms/epoch)\n");
  return 0;
}
