// A short campaign of the reader fuzzer (fuzz/reader_fuzz.hpp): the seed files
// are generated here, 2,000 mutations of them go through read_npy, read_idx,
// load_images and load_labels. Long campaigns: README, "Robustness".
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "fuzz/reader_fuzz.hpp"

using namespace waddington;
namespace fs = std::filesystem;

TEST_CASE("reader fuzzing: 2,000 mutated .npy and IDX files, no failure", "[io][fuzz][short]") {
  fuzz::CampaignOptions options;
  options.cases = 2000;
  options.seed = 1;
  options.timeout_seconds = 2.0;
  options.dir = fs::temp_directory_path() / ("waddington_test_fuzz_" + std::to_string(::getpid()));
  fs::create_directories(options.dir);
  const fuzz::CampaignSummary summary = fuzz::run_campaign(options, [](std::uint64_t) {});
  fs::remove_all(options.dir);
  std::string failures;
  for (const auto& failure : summary.failures) failures += failure + "\n";
  INFO(summary.BriefReport() << "\n" << failures);
  CHECK(summary.failures.empty());
  CHECK(summary.clean());
  CHECK(summary.cases == 2000);
  // The mutations reach past the first checks: some inputs are still accepted.
  CHECK(summary.accepted > 20);
  CHECK(summary.rejected > 1000);
}

TEST_CASE("reader fuzzing: a case is a function of the campaign seed and its index", "[io][fuzz][short]") {
  const fuzz::Mutator mutator;
  CHECK(mutator.make(7, 123) == mutator.make(7, 123));
  CHECK(mutator.make(7, 123) != mutator.make(7, 124));
  CHECK(mutator.make(7, 123) != mutator.make(8, 123));
}
