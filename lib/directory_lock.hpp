#pragma once
// One run per output directory: an exclusive advisory lock (flock) on
// DIR/.waddington.lock, held for the life of the object. The kernel drops
// the lock when the process ends however it ends (even SIGKILL), so a lock
// file left behind by a dead run is never "stale": the next run simply takes
// it. The file holds the owner's pid for the message a second run prints.
#include <filesystem>

namespace waddington {

class DirectoryLock {
 public:
  // Locks `dir` (which must exist). Throws EnvironmentError, on one line naming
  // the directory and the pid of the run holding it, when another process has it.
  explicit DirectoryLock(const std::filesystem::path& dir);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

  static constexpr const char* kFileName = ".waddington.lock";

 private:
  int fd_ = -1;
};

}  // namespace waddington
