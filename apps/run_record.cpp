#include "apps/run_record.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <fstream>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "lib/version.hpp"

namespace waddington::app {

RunRecord::RunRecord(std::string command, int argc, char** argv) : start_(std::chrono::steady_clock::now()) {
  json_["command"] = std::move(command);
  auto& args = json_["argv"] = nlohmann::json::array();
  for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
  json_["version"] = kVersion;
  json_["git_revision"] = kGitRevision;
  json_["started_utc"] = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
  json_["parameters"] = nlohmann::json::object();
  json_["inputs"] = nlohmann::json::array();
  json_["timings"] = nlohmann::json::object();
}

void RunRecord::add_input_file(const std::string& role, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read '{}'", path.string()));
  std::uint64_t hash = 1469598103934665603ull, size = 0;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      hash ^= static_cast<unsigned char>(buffer[i]);
      hash *= 1099511628211ull;
    }
    size += std::uint64_t(in.gcount());
  }
  json_["inputs"].push_back({{"role", role},
                             {"path", std::filesystem::absolute(path).string()},
                             {"bytes", size},
                             {"fnv1a64", fmt::format("{:016x}", hash)}});
}

void RunRecord::write(const std::filesystem::path& dir) {
  json_["timings"]["total_seconds"] = seconds_since(start_);
  write_file_atomic(dir / "run.json", json_.dump(2) + "\n");
}

}  // namespace waddington::app
