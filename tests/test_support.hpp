#pragma once
// Helpers shared by the tests: where the real data lives, and how to skip.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

namespace waddington::testing {

// $WADDINGTON_DATA, or ../shared/data relative to the project root.
inline std::filesystem::path data_dir() {
  if (const char* env = std::getenv("WADDINGTON_DATA"); env && *env) return env;
  return std::filesystem::path(WADDINGTON_SOURCE_DIR) / ".." / "shared" / "data";
}

// Returns the path of a data file, or ends this test case as "skipped"
// (exit code 77, registered with CTest as SKIP_RETURN_CODE) with a clear message.
inline std::filesystem::path require_data(const std::string& relative) {
  const auto path = data_dir() / relative;
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "SKIPPED: data file %s not found (set WADDINGTON_DATA to the shared data folder)\n",
                 path.string().c_str());
    std::exit(77);
  }
  return path;
}

// The test process's scratch folders, removed when it exits normally (also
// after a failed test; a crash leaves them). WADDINGTON_KEEP_TEST_FILES=1 keeps them.
struct ScratchFolders {
  std::set<std::filesystem::path> folders;
  ~ScratchFolders() {
    if (const char* keep = std::getenv("WADDINGTON_KEEP_TEST_FILES"); keep && *keep && std::string(keep) != "0") return;
    for (const auto& f : folders) {
      std::error_code ignored;
      std::filesystem::remove_all(f, ignored);
    }
  }
};
inline ScratchFolders& scratch_folders() {
  static ScratchFolders folders;
  return folders;
}

// The path TMP/waddington_test_<suite>_<pid>/<name>, its folder created (one
// folder per test process and suite, removed at exit); with `fresh`, whatever
// is at the path is removed.
inline std::filesystem::path scratch_path(const std::string& suite, const std::string& name, bool fresh = true) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("waddington_test_" + suite + "_" + std::to_string(::getpid()));
  scratch_folders().folders.insert(folder);
  const auto path = folder / name;
  if (fresh) std::filesystem::remove_all(path);
  std::filesystem::create_directories(path.parent_path());
  return path;
}

// The bytes of a file ("" when it does not exist).
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The number of newline characters in `text`.
inline int count_lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

#ifdef WADDINGTON_BINARY
// The waddington CLI binary built alongside the tests (defined for the tests that run it).
inline std::string cli_binary() { return WADDINGTON_BINARY; }

struct CliRun {
  int status;            // exit status
  std::string out, err;  // standard output and error
};

// Runs `env waddington args` through the shell and collects both streams.
inline CliRun run_binary(const std::string& args, const std::string& env = "") {
  const auto err_file = scratch_path("cli", "stderr_" + std::to_string(::getpid()));
  const std::string command = env + " " + cli_binary() + " " + args + " 2>" + err_file.string();
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int status = pipe ? ::pclose(pipe) : -1;
  std::string err = slurp(err_file);
  std::filesystem::remove(err_file);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, err};
}

// `waddington ARGS` in the background, stdout to LOG.out and stderr to LOG; returns its pid.
inline pid_t start_binary(const std::string& args, const std::filesystem::path& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string command = "exec " + cli_binary() + " " + args + " >" + log.string() + ".out 2>" + log.string();
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Waits for a process of start_binary: its exit status, or 1000 + the signal that ended it.
inline int wait_exit_status(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}
#endif

}  // namespace waddington::testing
