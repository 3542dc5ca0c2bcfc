// lib/directory_lock.hpp: one run per output directory.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "lib/directory_lock.hpp"
#include "lib/errors.hpp"
#include "tests/test_support.hpp"

using namespace waddington;
namespace fs = std::filesystem;

TEST_CASE("directory lock: a second holder is refused with the owner's pid, a dead owner's file is no obstacle", "[short]") {
  const fs::path dir = testing::scratch_path("lock", "out");
  fs::create_directories(dir);
  std::optional<DirectoryLock> first(std::in_place, dir);
  try {
    DirectoryLock second(dir);  // a separate open file description: flock refuses it as it would another process
    FAIL("the second lock was granted");
  } catch (const EnvironmentError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains("is in use by another run"));
    CHECK_THAT(message, Catch::Contains("pid " + std::to_string(::getpid())));
    CHECK(message.find('\n') == std::string::npos);
  }
  first.reset();
  CHECK_NOTHROW(DirectoryLock(dir));

  // A process that takes the lock and dies (as a SIGKILLed run would) leaves the
  // lock file behind but not the lock.
  const pid_t child = ::fork();
  if (child == 0) {
    DirectoryLock held(dir);
    ::_exit(0);  // no destructor: the kernel releases the lock
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(fs::exists(dir / DirectoryLock::kFileName));
  CHECK_NOTHROW(DirectoryLock(dir));
  CHECK_THROWS_AS(DirectoryLock(dir / "absent"), EnvironmentError);
}
