// lib/npz.hpp: .npz archives written by hand (stored ZIP entries) that NumPy
// reads, read back by our reader, and corrupt archives refused cleanly.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "lib/errors.hpp"
#include "lib/npy.hpp"
#include "lib/npz.hpp"
#include "tests/test_support.hpp"

using namespace waddington;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("npz", name); }

std::string python_output(const std::string& script) {
  const std::string command = "/usr/bin/python3 -c \"" + script + "\" 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  if (pipe) ::pclose(pipe);
  return out;
}
}  // namespace

TEST_CASE("npz: CRC-32 of the standard check string", "[short]") {
  CHECK(crc32("123456789") == 0xCBF43926u);
  CHECK(crc32("") == 0u);
}

TEST_CASE("npz: a stacked archive round-trips through our reader", "[short]") {
  const fs::path file = scratch("round.npz");
  const std::vector<double> stack = {1.5, -2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // (2, 2, 3)
  const std::vector<std::int64_t> epochs = {0, 3000};
  const std::string text = "state words\n";
  write_npz(file, {{"epochs", npy_bytes("<i8", {2}, epochs.data(), 8)},
                   {"memories", npy_bytes("<f8", {2, 2, 3}, stack.data(), 8)},
                   {"text", npy_bytes("|u1", {text.size()}, text.data(), 1)}});
  const auto arrays = read_npz(file);
  REQUIRE(arrays.size() == 3);
  CHECK(arrays.at("epochs").shape == std::vector<std::size_t>{2});
  CHECK(arrays.at("epochs").values == std::vector<double>{0, 3000});
  CHECK(arrays.at("memories").shape == std::vector<std::size_t>{2, 2, 3});
  CHECK(arrays.at("memories").values == stack);
  CHECK(arrays.at("text").values.size() == text.size());
  CHECK(arrays.at("text").dtype == NpyDtype::kUint8);

  // A flipped data byte fails the CRC; a truncated archive is not a ZIP.
  std::string bytes = testing::slurp(file);
  bytes[120] ^= 0x01;  // inside the first entry (its .npy header)
  std::ofstream(scratch("flipped.npz"), std::ios::binary) << bytes;
  CHECK_THROWS_AS(read_npz(scratch("flipped.npz")), InputError);
  std::ofstream(scratch("short.npz"), std::ios::binary) << bytes.substr(0, 10);
  CHECK_THROWS_AS(read_npz(scratch("short.npz")), InputError);
}

TEST_CASE("npz: numpy.load reads our archive (stored entries, CRC-32)", "[short]") {
  if (!fs::exists("/usr/bin/python3") || python_output("import numpy; print(1)").find('1') != 0) {
    WARN("SKIPPED: /usr/bin/python3 with numpy is not available");
    return;
  }
  const fs::path file = scratch("numpy.npz");
  const std::vector<double> stack = {0.25, -1, 2, 3, 4, 5};  // (3, 1, 2)
  const std::vector<std::int64_t> epochs = {0, 10, 20};
  write_npz(file, {{"epochs", npy_bytes("<i8", {3}, epochs.data(), 8)},
                   {"memories", npy_bytes("<f8", {3, 1, 2}, stack.data(), 8)}});
  const std::string out = python_output(
      "import numpy, zipfile; z = numpy.load('" + file.string() +
      "'); zipfile.ZipFile('" + file.string() + "').testzip() is None or print('BADCRC');"
      "print(sorted(z.files), z['epochs'].dtype, z['epochs'].tolist(), z['memories'].shape, z['memories'].ravel().tolist())");
  CHECK(out == "['epochs', 'memories'] int64 [0, 10, 20] (3, 1, 2) [0.25, -1.0, 2.0, 3.0, 4.0, 5.0]\n");
}
