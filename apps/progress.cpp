#include "apps/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace waddington::app {

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  const long s = std::lround(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

bool& ProgressBar::quiet() {
  static bool value = false;
  return value;
}

double& ProgressBar::line_every_seconds() {
  // $WADDINGTON_PROGRESS_SECONDS overrides the default 5 s (e.g. 60 for a long batch job).
  static double value = [] {
    const char* env = std::getenv("WADDINGTON_PROGRESS_SECONDS");
    char* end = nullptr;
    const double v = env ? std::strtod(env, &end) : 5;
    return env && end != env && *end == '\0' && std::isfinite(v) && v >= 0 ? v : 5.0;
  }();
  return value;
}

ProgressBar::ProgressBar(std::string label, long total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total > 0 ? total : 1), active_(!quiet()),
      terminal_(::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()), last_draw_(start_) {
  if (terminal_) last_draw_ = start_ - std::chrono::seconds(1);
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::line(long done, const std::string& status, double elapsed) {
  const double fraction = double(done) / double(total_);
  const double rate = elapsed > 0 ? double(done - start_done_) / elapsed : 0;
  const double eta = eta_seconds(done, elapsed);
  const std::string amount =
      unit_ == "%" ? fmt::format("{}%", done * 100 / total_)
                   : fmt::format("{}/{}{} ({:.0f}%)", done, total_, unit_.empty() ? "" : " " + unit_, 100 * fraction);
  const std::string rate_text = unit_ == "%" ? "" : fmt::format(", {:.3g}/s", rate);
  std::fprintf(stderr, "%s: %s%s, %s elapsed, ETA %s%s%s\n", label_.c_str(), amount.c_str(), rate_text.c_str(),
               format_duration(elapsed).c_str(), format_duration(eta).c_str(), status.empty() ? "" : ", ",
               status.c_str());
  std::fflush(stderr);
}

// The rest at this run's rate: work done before it (already_done, e.g. a
// resumed run's earlier epochs) is not part of the rate. -1: unknown yet.
double ProgressBar::eta_seconds(long done, double elapsed) const {
  if (total_ <= start_done_) return -1;
  const double fraction = double(done - start_done_) / double(total_ - start_done_);
  return fraction > 0 && done <= total_ ? elapsed * (1 - fraction) / fraction : -1;
}

void ProgressBar::update(long done, const std::string& status) {
  if (!active_ || finished_) return;
  last_done_ = done;
  last_status_ = status;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (!terminal_) {
    if (std::chrono::duration<double>(now - last_draw_).count() < line_every_seconds()) return;
    last_draw_ = now;
    line(done, status, elapsed);
    return;
  }
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double fraction = std::min(1.0, double(done) / double(total_));
  const double eta = eta_seconds(done, elapsed);
  constexpr int width = 30;
  const int filled = int(fraction * width);
  std::fprintf(stderr, "\r%s [%s%s] %ld/%ld %s ETA %s \x1b[K", label_.c_str(), std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), done, total_, status.c_str(), format_duration(eta).c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!active_ || finished_) return;
  finished_ = true;
  if (terminal_) {
    std::fprintf(stderr, "\n");
    return;
  }
  // Not on a terminal: a last line with the final count, when there was any work.
  if (last_done_ >= 0) line(last_done_, last_status_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
}

}  // namespace waddington::app
