// fuzz_readers_libfuzzer: the readers under libFuzzer's coverage-guided search
// (clang only; CMake preset "fuzz"). Half of the mutations are libFuzzer's
// own, half the structure-aware ones of fuzz/reader_fuzz.hpp (.npy header
// text with a consistent length field, IDX sizes, data under gzip).
//
//   build-fuzz/fuzz/fuzz_readers --write-seeds corpus
//   build-fuzz/fuzz/fuzz_readers_libfuzzer corpus -max_total_time=600 -rss_limit_mb=1024
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz/reader_fuzz.hpp"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path file = [] {
    const auto dir = std::filesystem::temp_directory_path() / ("waddington_libfuzzer_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / "case";
  }();
  const auto result = waddington::fuzz::run_case(file, std::string_view(reinterpret_cast<const char*>(data), size));
  if (!result.failures.empty()) {
    for (const auto& f : result.failures) std::fprintf(stderr, "fuzz_readers_libfuzzer: %s\n", f.c_str());
    std::abort();
  }
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  if (seed % 2 == 0) return LLVMFuzzerMutate(data, size, max_size);
  static const waddington::fuzz::Mutator mutator;
  std::mt19937_64 rng(seed);
  std::string out = mutator.mutate(std::string(reinterpret_cast<const char*>(data), size), rng);
  if (out.size() > max_size) out.resize(max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
