#include "apps/run_record.hpp"

#include <CLI/Version.hpp>
#include <Eigen/Core>
#include <boost/version.hpp>
#include <ceres/version.h>
#include <fmt/chrono.h>
#include <openssl/opensslv.h>
#include <fmt/format.h>

#include <ctime>
#include <fstream>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "lib/sha256.hpp"
#include "lib/version.hpp"

namespace waddington::app {

RunRecord::RunRecord(std::string command, int argc, char** argv) : start_(std::chrono::steady_clock::now()) {
  json_["command"] = std::move(command);
  auto& args = json_["argv"] = nlohmann::json::array();
  for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
  json_["version"] = kVersion;
  json_["git_revision"] = kGitRevision;
  json_["build"] = build_versions();
  json_["status"] = "running";
  json_["started_utc"] = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
  json_["parameters"] = nlohmann::json::object();
  json_["inputs"] = nlohmann::json::array();
  json_["timings"] = nlohmann::json::object();
}

void RunRecord::add_input_file(const std::string& role, const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(fmt::format("cannot read '{}'", path.string()));
  json_["inputs"].push_back({{"role", role},
                             {"path", std::filesystem::absolute(path).string()},
                             {"bytes", size},
                             {"sha256", sha256_file(path)}});
}

void RunRecord::add_output_file(const std::string& shown, const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw EnvironmentError(fmt::format("output '{}' vanished before its checksum", path.string()));
  json_["outputs"].push_back({{"path", shown}, {"bytes", size}, {"sha256", sha256_file(path)}});
}

nlohmann::json build_versions() {
  return {{"compiler", fmt::format("{} {}",
#if defined(__clang__)
                                   "clang",
#elif defined(__GNUC__)
                                   "gcc",
#else
                                   "unknown",
#endif
                                   __VERSION__)},
          {"eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION)},
          {"boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100)},
          {"ceres", CERES_VERSION_STRING},
          {"fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
          {"cli11", CLI11_VERSION},
          {"nlohmann_json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                                        NLOHMANN_JSON_VERSION_PATCH)},
          {"openssl", OPENSSL_VERSION_TEXT}};
}

void RunRecord::write(const std::filesystem::path& dir) {
  json_["timings"]["total_seconds"] = seconds_since(start_);
  write_file_atomic(dir / "run.json", json_.dump(2) + "\n");
}

}  // namespace waddington::app
