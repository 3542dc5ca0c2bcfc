#include "lib/directory_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "lib/errors.hpp"
#include "lib/escape.hpp"

namespace waddington {

DirectoryLock::DirectoryLock(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / kFileName;
  const std::string shown = escape_path_for_message(dir.string());
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw EnvironmentError(fmt::format("cannot create the lock file in '{}': {}", shown, std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char pid[32] = {0};
    const ssize_t got = ::pread(fd_, pid, sizeof pid - 1, 0);
    ::close(fd_);
    fd_ = -1;
    std::string owner = got > 0 ? std::string(pid, std::size_t(got)) : "";
    while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' ')) owner.pop_back();
    if (error == EWOULDBLOCK)
      throw EnvironmentError(fmt::format("output directory '{}' is in use by another run{}; wait for it or choose another --out",
                                         shown, owner.empty() ? "" : " (pid " + escape_for_message(owner, 20) + ")"));
    throw EnvironmentError(fmt::format("cannot lock output directory '{}': {}", shown, std::strerror(error)));
  }
  const std::string me = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, me.data(), me.size(), 0) != ssize_t(me.size())) {
    // The pid is only for messages: the lock itself is held.
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace waddington
