#pragma once
// Helpers shared by the tests: where the real data lives, and how to skip.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

#ifdef WADDINGTON_BINARY
// The waddington CLI binary built alongside the tests (defined for the apps tests only).
inline std::string cli_binary() { return WADDINGTON_BINARY; }
#endif

}  // namespace waddington::testing
