#include "sweep/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>

#include "lib/errors.hpp"

namespace waddington::sweep {

ThreadPoolScheduler::ThreadPoolScheduler(int threads) : threads_(std::max(threads, 1)) {}

void ThreadPoolScheduler::run(const std::vector<std::size_t>& ids, const CellJob& job, const CellDone& done,
                              const std::atomic<bool>& stop) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex report;
  std::exception_ptr error;
  auto worker = [&] {
    while (!stop.load() && !failed.load()) {
      const std::size_t k = next.fetch_add(1);
      if (k >= ids.size()) return;
      CellOutcome outcome = job(ids[k]);
      std::lock_guard<std::mutex> lock(report);
      if (failed.load()) return;
      try {
        done(std::move(outcome));
      } catch (...) {
        error = std::current_exception();
        failed = true;
      }
    }
  };
  const int count = int(std::min<std::size_t>(std::size_t(threads_), ids.size()));
  if (count <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < count; ++t) pool.emplace_back(worker);
    for (auto& thread : pool) thread.join();
  }
  if (error) std::rethrow_exception(error);
}

bool SchedulerOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) {
    if (why) *why = std::move(message);
    return false;
  };
  if (kind != "threads") return bad(fmt::format("scheduler '{}': the only kind is 'threads'", kind));
  if (threads < 0 || threads > 4096) return bad(fmt::format("--threads {} must be in 0..4096 (0: all cores)", threads));
  return true;
}

std::unique_ptr<Scheduler> make_scheduler(const SchedulerOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  const int threads = options.threads > 0 ? options.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  return std::make_unique<ThreadPoolScheduler>(threads);
}

}  // namespace waddington::sweep
