// lib/sha256.hpp: SHA-256 as sha256sum prints it (FIPS 180-2 test vectors).
#include <catch2/catch.hpp>

#include <fstream>

#include "lib/errors.hpp"
#include "lib/sha256.hpp"
#include "tests/test_support.hpp"

using namespace waddington;

TEST_CASE("sha256: standard vectors, files, unreadable file", "[short]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const auto file = testing::scratch_path("sha256", "abc.txt");
  std::ofstream(file) << "abc";
  CHECK(sha256_file(file) == sha256_hex("abc"));
  CHECK_THROWS_AS(sha256_file(file.string() + ".absent"), EnvironmentError);
}
