#include "apps/command.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "lib/atomic_file.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::app {

Command::Command(std::string name, std::string out, const std::vector<std::string>& plots)
    : out_(std::move(out)), record_(std::move(name), CommandLine::argc(), CommandLine::argv()) {
  for (const auto& file : plots)
    if (!file.empty()) plots::terminal_for(file);  // reject a bad extension before any work
}

void Command::start() const {
  if (!out_.empty()) ensure_writable_directory(out_);
}

void Command::write(const std::string& file, std::string_view contents) const {
  if (!out_.empty()) write_file_atomic(std::filesystem::path(out_) / file, contents);
}

void Command::warn(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::fprintf(stderr, "waddington: warning: %s\n", w.c_str());
}

void Command::close(nlohmann::json parameters, nlohmann::json summary) {
  if (out_.empty()) return;
  record_.parameters() = std::move(parameters);
  record_.summary() = std::move(summary);
  record_.write(out_);
}

void Command::fail_incomplete(std::string_view what, std::size_t warnings) const {
  std::fflush(stdout);
  throw IncompleteResult(fmt::format("{} ({} warnings above){}", what, warnings,
                                     out_.empty() ? "" : "; the outputs were written and run.json says \"complete\": false"));
}

}  // namespace waddington::app
