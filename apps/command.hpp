#pragma once
// The opening and closing that every subcommand shares, written once:
//
//   Command command("nullclines", c.out, {c.plot});  // the run record; a bad --plot extension fails here
//   ... map the config onto library options (inputs read here) ...
//   command.validate(options);                        // IsValid, as a one-line InputError
//   command.start();                                  // every output path checked, --out locked, run.json "running"
//   const auto result = command.timed("nullclines_seconds", [&] { return library_call(...); });
//   ... print, command.write("nullclines.csv", text), plot ...
//   command.close(parameters, summary);               // run.json (with --out)
//
// close(parameters, summary, "the diagram is incomplete") also turns an
// incomplete summary into IncompleteResult (exit status 1) once every output
// is written. A library call that writes its own outputs (run_training) calls
// start() through its on_ready hook, once its inputs are read, and the command
// lists those files with add_output().
//
// One run per output directory, always consistent (docs/outputs.md): start()
// checks every output path (--out writable, each --plot's folder writable and
// gnuplot present) before any work, locks --out against a second run
// (lib/directory_lock.hpp) and replaces run.json by one that says "status":
// "running"; close() writes it last with "complete", "incomplete" or
// "interrupted", the SHA-256 of every output and DIR/SHA256SUMS. A command that
// fails between the two (an exception) after writing an output leaves run.json
// saying "failed", never an old run.json beside new files; one that fails
// before writing any (bad input found late) puts the old run.json back.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/run_record.hpp"
#include "lib/directory_lock.hpp"
#include "lib/errors.hpp"

namespace waddington::app {

class Command {
 public:
  // `out`: the --out directory (empty: no files, no run.json); `plots`: the
  // --plot files (empty ones are ignored), whose extensions are checked now.
  Command(std::string name, std::string out, const std::vector<std::string>& plots = {});

  // Throws InputError with the options' own reason when they are not valid.
  template <class Options>
  void validate(const Options& options) const {
    if (std::string why; !options.IsValid(&why)) throw InputError(why);
  }
  // Checks every output path, creates and locks --out (when given) and writes
  // run.json as "running". Call after the options are validated and the inputs
  // read, before the work. Throws EnvironmentError (exit 3).
  void start();
  ~Command();
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;

  RunRecord& record() { return record_; }
  bool writes() const { return !out_.empty(); }
  void time(const std::string& name, double seconds) { record_.time(name, seconds); }
  // Runs `work`, records its wall time as `name` and returns its result (if any).
  template <class Work>
  decltype(auto) timed(const std::string& name, Work&& work) {
    const Timer timer{record_, name, std::chrono::steady_clock::now()};
    return work();
  }

  // Writes OUT/file atomically; nothing without --out.
  void write(const std::string& file, std::string_view contents);
  // Lists OUT/file (written by a library call) among the run's outputs.
  void add_output(const std::string& file);
  // Says that a library call is about to write into --out (run_training, a
  // sweep): from now on a failure leaves run.json "failed" instead of putting
  // the old one back.
  void writing() { writing_ = true; }
  // Prints each warning on stderr as "waddington: warning: ...".
  static void warn(const std::vector<std::string>& warnings);
  // Writes run.json with `parameters` and `summary` (nothing without --out),
  // its status from summary["complete"] and summary["termination"], the
  // outputs' checksums and SHA256SUMS.
  void close(nlohmann::json parameters, nlohmann::json summary);
  // close(), then throws IncompleteResult("<incomplete> (<k> warnings above)...")
  // unless summary.complete().
  template <class Summary>
  void close(nlohmann::json parameters, const Summary& summary, std::string_view incomplete) {
    close(std::move(parameters), summary.ToJson());
    if (!summary.complete()) fail_incomplete(incomplete, summary.warnings.size());
  }

 private:
  struct Timer {  // records the time since `begin` when destroyed, i.e. after the work returned
    RunRecord& record;
    const std::string& name;
    std::chrono::steady_clock::time_point begin;
    ~Timer() { record.time(name, seconds_since(begin)); }
  };
  [[noreturn]] void fail_incomplete(std::string_view what, std::size_t warnings) const;
  // Prints the input files' warnings noted since the last call (lib/read_warnings.hpp)
  // and adds them to run.json's "warnings".
  void show_read_warnings();

  std::string out_;
  std::vector<std::string> plots_, outputs_;
  RunRecord record_;
  std::unique_ptr<DirectoryLock> lock_;
  bool started_ = false, closed_ = false, writing_ = false;
  // The folders start() made for --out, deepest first (removed if the run
  // ends before writing anything).
  std::vector<std::filesystem::path> created_;
  // The directory's run.json and SHA256SUMS before start() (empty optional: none),
  // put back when the command fails before writing any output.
  std::optional<std::string> old_record_, old_sums_;
};

}  // namespace waddington::app
