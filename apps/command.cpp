#include "apps/command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "lib/atomic_file.hpp"
#include "lib/escape.hpp"
#include "lib/read_warnings.hpp"
#include "plots/gnuplot.hpp"

namespace waddington::app {
namespace fs = std::filesystem;

namespace {

// True when an executable `name` is on $PATH.
bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string dirs = path;
  for (std::size_t begin = 0; begin <= dirs.size();) {
    std::size_t end = dirs.find(':', begin);
    if (end == std::string::npos) end = dirs.size();
    const fs::path candidate = fs::path(end > begin ? dirs.substr(begin, end - begin) : ".") / name;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    begin = end + 1;
  }
  return false;
}

// A --plot file can be written: gnuplot is there, its folder exists and takes a file.
void check_plot_path(const fs::path& file) {
  const std::string shown = escape_path_for_message(file.string());
  if (!on_path("gnuplot"))
    throw EnvironmentError(fmt::format("--plot '{}' needs gnuplot, which is not on PATH (run scripts/setup.sh)", shown));
  std::error_code ec;
  if (fs::is_directory(file, ec)) throw EnvironmentError(fmt::format("--plot '{}' is a directory", shown));
  const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  if (!fs::is_directory(dir, ec))
    throw EnvironmentError(fmt::format("--plot '{}': folder '{}' does not exist", shown, escape_path_for_message(dir.string())));
  const fs::path probe = dir / fmt::format(".plot-probe-{}", ::getpid());
  {
    std::ofstream out(probe);
    if (!out) throw EnvironmentError(fmt::format("--plot '{}': folder '{}' is not writable", shown, escape_path_for_message(dir.string())));
  }
  fs::remove(probe, ec);
  if (fs::exists(file, ec) && ::access(file.c_str(), W_OK) != 0)
    throw EnvironmentError(fmt::format("--plot '{}' exists and is not writable", shown));
}

}  // namespace

Command::Command(std::string name, std::string out, const std::vector<std::string>& plots)
    : out_(std::move(out)), record_(std::move(name), CommandLine::argc(), CommandLine::argv()) {
  for (const auto& file : plots)
    if (!file.empty()) {
      plots::terminal_for(file);  // reject a bad extension before any work
      plots_.push_back(file);
    }
}

Command::~Command() {
  if (!started_ || closed_ || out_.empty()) return;
  // An exception left the command between start() and close(): say so in run.json,
  // so that no file written so far sits beside a record of another run.
  try {
    if (outputs_.empty() && !writing_) {  // nothing of this run was written: the directory is as it was
      const fs::path dir = out_;
      for (const auto& [file, old] : {std::pair{"run.json", &old_record_}, std::pair{"SHA256SUMS", &old_sums_}}) {
        std::error_code ec;
        if (*old) write_file_atomic(dir / file, **old);
        else fs::remove(dir / file, ec);
      }
      if (!created_.empty()) {  // made for this run: gone with it (the lock file is all it holds)
        std::error_code ec;
        fs::remove(dir / DirectoryLock::kFileName, ec);
        for (const fs::path& made : created_) fs::remove(made, ec);  // each only if empty
      }
      return;
    }
    record_.set_status("failed");
    record_.summary()["complete"] = false;
    record_.write(out_);
  } catch (...) {
  }
}

void Command::show_read_warnings() {
  const std::vector<std::string> found = take_read_warnings();
  warn(found);
  for (const auto& w : found) record_.json()["warnings"].push_back(w);
}

void Command::start() {
  show_read_warnings();  // the inputs are read by now
  // --out first: a picture may go into it (--plot DIR/x.png) before it exists.
  if (!out_.empty()) {
    std::error_code ec;
    // (a folder that cannot be inspected, ec set, is not taken for one this run made)
    for (fs::path dir = fs::absolute(out_); !dir.empty() && !fs::exists(dir, ec) && !ec; dir = dir.parent_path()) {
      created_.push_back(dir);
      if (dir == dir.parent_path()) break;
    }
    ensure_writable_directory(out_);
  }
  for (const auto& plot : plots_) check_plot_path(plot);
  if (out_.empty()) {
    started_ = true;
    return;
  }
  // Started (the destructor may restore or mark run.json) only once --out is ours:
  // a run refused by the lock must not touch the run.json of the run that holds it.
  lock_ = std::make_unique<DirectoryLock>(out_);
  started_ = true;
  const auto read = [](const fs::path& file) -> std::optional<std::string> {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  old_record_ = read(fs::path(out_) / "run.json");
  old_sums_ = read(fs::path(out_) / "SHA256SUMS");
  std::error_code ec;
  fs::remove(fs::path(out_) / "SHA256SUMS", ec);  // the old run's, rewritten by close()
  record_.set_status("running");
  record_.write(out_);
}

void Command::write(const std::string& file, std::string_view contents) {
  if (out_.empty()) return;
  write_file_atomic(fs::path(out_) / file, contents);
  add_output(file);
}

void Command::add_output(const std::string& file) {
  if (std::find(outputs_.begin(), outputs_.end(), file) == outputs_.end()) outputs_.push_back(file);
}

void Command::warn(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::fprintf(stderr, "waddington: warning: %s\n", w.c_str());
}

void Command::close(nlohmann::json parameters, nlohmann::json summary) {
  closed_ = true;
  show_read_warnings();  // inputs read after start() (a saved run's states)
  if (out_.empty()) return;
  const bool complete = !summary.is_object() || summary.value("complete", true);
  const bool interrupted = summary.is_object() && summary.value("termination", "") == "interrupted";
  record_.parameters() = std::move(parameters);
  record_.summary() = std::move(summary);
  record_.set_status(complete ? "complete" : interrupted ? "interrupted" : "incomplete");
  record_.json()["complete"] = complete;
  // SHA256SUMS lists the outputs inside --out by their path relative to it
  // (`cd OUT && sha256sum -c SHA256SUMS`); plots elsewhere are in run.json only.
  std::string sums;
  record_.json()["outputs"] = nlohmann::json::array();
  for (const auto& file : outputs_) {
    record_.add_output_file(file, fs::path(out_) / file);
    sums += fmt::format("{}  {}\n", record_.json()["outputs"].back()["sha256"].get<std::string>(), file);
  }
  const fs::path root = fs::weakly_canonical(fs::absolute(out_));
  std::vector<std::string> pictures;
  for (const auto& plot : plots_) pictures.insert(pictures.end(), {plot, plot + ".gp"});  // the picture and its gnuplot script
  for (const auto& plot : pictures) {
    std::error_code ec;
    if (!fs::exists(plot, ec)) continue;
    const fs::path file = fs::weakly_canonical(fs::absolute(plot));
    const fs::path relative = file.lexically_relative(root);
    const bool inside = !relative.empty() && *relative.begin() != "..";
    record_.add_output_file(inside ? relative.string() : file.string(), file);
    if (inside) sums += fmt::format("{}  {}\n", record_.json()["outputs"].back()["sha256"].get<std::string>(), relative.string());
  }
  write_file_atomic(fs::path(out_) / "SHA256SUMS", sums);
  record_.write(out_);
}

void Command::fail_incomplete(std::string_view what, std::size_t warnings) const {
  std::fflush(stdout);
  throw IncompleteResult(fmt::format("{} ({} warnings above){}", what, warnings,
                                     out_.empty() ? "" : "; the outputs were written and run.json says \"complete\": false"));
}

}  // namespace waddington::app
