#include "lib/read_warnings.hpp"

#include <mutex>
#include <set>

namespace waddington {
namespace {

constexpr std::size_t kMaxWarnings = 1000;

struct Sink {
  std::mutex mutex;
  std::set<std::string> seen;
  std::vector<std::string> unshown;
};

Sink& sink() {
  static Sink s;
  return s;
}

}  // namespace

void note_read_warning(const std::string& warning) {
  Sink& s = sink();
  const std::lock_guard lock(s.mutex);
  if (s.seen.size() >= kMaxWarnings) return;  // bounded memory (a fuzzer reads 10^5 files in one process)
  if (s.seen.insert(warning).second) s.unshown.push_back(warning);
}

std::vector<std::string> take_read_warnings() {
  Sink& s = sink();
  const std::lock_guard lock(s.mutex);
  std::vector<std::string> out;
  out.swap(s.unshown);
  return out;
}

}  // namespace waddington
