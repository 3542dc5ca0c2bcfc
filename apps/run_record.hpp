#pragma once
// run.json: every run records its command line, parameters, seed, version,
// input files with checksums, timings and the summary next to its outputs.
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>

namespace waddington::app {

class RunRecord {
 public:
  // `command` is the subcommand name; argv is recorded verbatim.
  RunRecord(std::string command, int argc, char** argv);
  nlohmann::json& parameters() { return json_["parameters"]; }
  nlohmann::json& summary() { return json_["summary"]; }
  // Records an input file with its size and SHA-256 checksum.
  void add_input_file(const std::string& role, const std::filesystem::path& path);
  // "running" (written first, before any output), then "complete",
  // "incomplete", "interrupted" or "failed" (written last).
  void set_status(const std::string& status) { json_["status"] = status; }
  // Records an output file (`shown` as it appears in "outputs" and in SHA256SUMS)
  // with its size and SHA-256 checksum.
  void add_output_file(const std::string& shown, const std::filesystem::path& path);
  // Starts/stops a named timer; elapsed seconds land in "timings".
  void time(const std::string& name, double seconds) { json_["timings"][name] = seconds; }
  // Writes DIR/run.json atomically, with total wall time.
  void write(const std::filesystem::path& dir);
  nlohmann::json& json() { return json_; }

 private:
  nlohmann::json json_;
  std::chrono::steady_clock::time_point start_;
};

// The versions of the compiler and of every library the binary was built with
// (Eigen, Boost, Ceres, fmt, CLI11, nlohmann-json, OpenSSL), as run.json's "build".
nlohmann::json build_versions();

// The command line of this process, kept by main for the run record.
struct CommandLine {
  static int& argc() { static int v = 0; return v; }
  static char**& argv() { static char** v = nullptr; return v; }
};

// Seconds since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace waddington::app
