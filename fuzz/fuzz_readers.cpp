// fuzz_readers: long campaigns of the built-in mutation fuzzer over the .npy
// and IDX readers (fuzz/reader_fuzz.hpp), and replays of saved inputs.
//
//   fuzz_readers --cases 100000 --seed 1        # a campaign; exit 0 when clean
//   fuzz_readers --case 4711 --seed 1           # writes and runs that one input
//   fuzz_readers --replay FILE...               # runs saved inputs (crash files)
//   fuzz_readers --write-seeds DIR              # the seed files, e.g. as a libFuzzer corpus
//
// A crash leaves the input that caused it in the work folder (printed first)
// as the file "case"; a case that runs longer than --hang-seconds ends the
// run with exit status 124, naming the case.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "fuzz/reader_fuzz.hpp"

namespace fs = std::filesystem;
using namespace waddington;

namespace {

// Written before each case, printed by the signal handlers (async-signal-safe: write only).
char g_current[160] = "fuzz_readers: before the first case\n";

void on_fatal_signal(int signal) {
  (void)!::write(2, g_current, std::strlen(g_current));
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void on_hang(int) {
  (void)!::write(2, g_current, std::strlen(g_current));
  static const char message[] = "fuzz_readers: the case above hangs (--hang-seconds)\n";
  (void)!::write(2, message, sizeof(message) - 1);
  ::_exit(124);
}

double peak_rss_mb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;
}

int report_case(const std::string& name, const fuzz::CaseResult& r) {
  std::printf("%s: %d readers accepted, %d rejected, %zu failures, %.3f s\n", name.c_str(), r.accepted, r.rejected,
              r.failures.size(), r.seconds);
  for (const auto& f : r.failures) std::printf("  %s\n", f.c_str());
  return r.failures.empty() ? 0 : 1;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Random-mutation fuzzing of the .npy and IDX readers"};
  fuzz::CampaignOptions options;
  options.dir = fs::temp_directory_path() / fmt::format("waddington_fuzz_{}", ::getpid());
  std::int64_t single_case = -1;
  unsigned hang_seconds = 60;
  std::vector<std::string> replay;
  std::string seeds_dir;
  app.add_option("--cases", options.cases, "mutated inputs to run")->capture_default_str();
  app.add_option("--seed", options.seed, "campaign seed; case I of seed S is always the same input")->capture_default_str();
  app.add_option("--timeout", options.timeout_seconds, "a case slower than this (seconds) counts as a timeout")->capture_default_str();
  app.add_option("--hang-seconds", hang_seconds, "stop the run when one case takes this long")->capture_default_str();
  app.add_option("--dir", options.dir, "work folder; the input of a crashing case is left there as 'case'");
  app.add_option("--case", single_case, "run only case I of --seed and keep its input in --dir");
  app.add_option("--replay", replay, "run these saved inputs instead of a campaign")->check(CLI::ExistingFile);
  app.add_option("--write-seeds", seeds_dir, "write the seed files into this folder and exit");
  CLI11_PARSE(app, argc, argv);

  if (!seeds_dir.empty()) {
    fs::create_directories(seeds_dir);
    for (const auto& seed : fuzz::seed_files()) testing::write_bytes(fs::path(seeds_dir) / seed.name, seed.bytes);
    return 0;
  }
  fs::create_directories(options.dir);
  for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(s, on_fatal_signal);
  std::signal(SIGALRM, on_hang);
  const fs::path file = options.dir / "case";

  if (!replay.empty()) {
    int status = 0;
    for (const auto& path : replay) {
      std::snprintf(g_current, sizeof g_current, "fuzz_readers: replaying %.100s\n", path.c_str());
      status |= report_case(path, fuzz::run_case(file, read_file(path)));
    }
    return status;
  }
  if (single_case >= 0) {
    const std::string input = fuzz::Mutator().make(options.seed, std::uint64_t(single_case));
    std::printf("input of case %lld (%zu bytes) kept in %s\n", (long long)single_case, input.size(), file.c_str());
    return report_case(fmt::format("case {}", single_case), fuzz::run_case(file, input));
  }

  std::fprintf(stderr, "fuzz_readers: %llu cases, seed %llu, inputs written to %s\n",
               (unsigned long long)options.cases, (unsigned long long)options.seed, file.c_str());
  auto last_report = std::chrono::steady_clock::now();
  const fuzz::CampaignSummary summary = fuzz::run_campaign(options, [&](std::uint64_t i) {
    std::snprintf(g_current, sizeof g_current, "fuzz_readers: case %llu of seed %llu (input in %.80s)\n",
                  (unsigned long long)i, (unsigned long long)options.seed, file.c_str());
    ::alarm(hang_seconds);
    if (const auto now = std::chrono::steady_clock::now(); now - last_report > std::chrono::seconds(10)) {
      std::fprintf(stderr, "fuzz_readers: %llu/%llu cases\n", (unsigned long long)i, (unsigned long long)options.cases);
      last_report = now;
    }
  });
  ::alarm(0);
  std::printf("%s; peak RSS %.1f MB\n", summary.BriefReport().c_str(), peak_rss_mb());
  for (const auto& f : summary.failures) std::printf("  %s\n", f.c_str());
  if (summary.clean()) fs::remove_all(options.dir);
  return summary.clean() ? 0 : 1;
}
