#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"

namespace fs = std::filesystem;

TEST_CASE("write_file_atomic replaces a file whole and leaves no temporary behind", "[short]") {
  const fs::path dir = fs::temp_directory_path() / "waddington_atomic_test";
  fs::remove_all(dir);
  waddington::ensure_writable_directory(dir);
  waddington::write_file_atomic(dir / "a.txt", "first");
  waddington::write_file_atomic(dir / "a.txt", "second");
  std::ifstream in(dir / "a.txt");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "second");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  CHECK(entries == 1);
  fs::remove_all(dir);
}

TEST_CASE("an unwritable output directory is reported, not crashed on", "[short]") {
  CHECK_THROWS_AS(waddington::ensure_writable_directory("/proc/waddington/out"), waddington::EnvironmentError);
  CHECK_THROWS_AS(waddington::write_file_atomic("/proc/waddington/x.txt", "x"), waddington::EnvironmentError);
}
