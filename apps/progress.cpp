#include "apps/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace waddington::app {

ProgressBar::ProgressBar(std::string label, long total)
    : label_(std::move(label)), total_(total > 0 ? total : 1), active_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_draw_(start_ - std::chrono::seconds(1)) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(long done, const std::string& status) {
  if (!active_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double fraction = double(done) / double(total_);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  constexpr int width = 30;
  const int filled = int(fraction * width);
  std::fprintf(stderr, "\r%s [%s%s] %ld/%ld %s ETA %.0fs ", label_.c_str(), std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), done, total_, status.c_str(), eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!active_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\n");
}

}  // namespace waddington::app
