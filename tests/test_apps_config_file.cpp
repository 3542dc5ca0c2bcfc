// --config FILE and --write-config FILE on every subcommand (apps/config_file.hpp):
// a written file read back runs the same command, the command line wins over
// the file, and a bad file is a one-line error.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace {
namespace fs = std::filesystem;
using Run = waddington::testing::CliRun;
Run run(const std::string& args) { return waddington::testing::run_binary(args); }

nlohmann::json parameters(const fs::path& dir) {
  std::ifstream in(dir / "run.json");
  return nlohmann::json::parse(in)["parameters"];
}
}  // namespace

TEST_CASE("config files: --write-config then --config runs the same command (round trip)", "[short]") {
  const fs::path dir = fs::temp_directory_path() / ("wadd_config_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string args = "fixed-points --n 24 --Tr 0.91 --same-class --alpha-range 0:1 --search-ell-cells 40";
  const std::string file = (dir / "run.toml").string();
  // Writing the file runs nothing (no --out written) and exits 0.
  const Run write = run(args + " --out " + (dir / "never").string() + " --write-config " + file);
  REQUIRE(write.status == 0);
  CHECK(write.out.empty());
  CHECK_FALSE(fs::exists(dir / "never" / "run.json"));
  const std::string text = waddington::testing::slurp(file);
  CHECK(text.find("\nn = 24\n") != std::string::npos);
  CHECK(text.find("\nsame-class = true\n") != std::string::npos);
  CHECK(text.find("\nalpha-range = \"0:1\"\n") != std::string::npos);
  CHECK(text.find("\n# classes = 10\n") != std::string::npos);  // a default, commented out
  // Read back: the same parameters and the same table as the command line.
  const Run direct = run(args + " --format csv --out " + (dir / "direct").string());
  const Run from_file = run("fixed-points --config " + file + " --format csv --out " + (dir / "file").string());
  REQUIRE(direct.status == 0);
  REQUIRE(from_file.status == 0);
  CHECK(from_file.out == direct.out);
  auto a = parameters(dir / "direct"), b = parameters(dir / "file");
  CHECK(a == b);
  CHECK(b["n"] == 24);
  CHECK(b["same_class"] == true);
  // The command line wins over the file.
  const Run override_n = run("fixed-points --config " + file + " --n 30 --format json");
  REQUIRE(override_n.status == 0);
  CHECK(override_n.out.find("n=30 ") != std::string::npos);
  // Every subcommand takes both options.
  for (const std::string cmd : {"train", "fixed-points", "nullclines", "trajectory", "phase-portrait", "continue",
                                "fold-curve", "transition-line", "sweep", "compare", "eigencheck"}) {
    INFO(cmd);
    const Run help = run(cmd + " --help");
    CHECK(help.out.find("--config") != std::string::npos);
    CHECK(help.out.find("--write-config") != std::string::npos);
  }
  // A round trip of a subcommand with windows and a section header.
  {
    std::ofstream out(dir / "continue.toml");
    out << "[continue]\nparam = \"T\"\nn = 30\nTr-range = \"0.85:1.0\"\n";
  }
  const Run sectioned = run("continue --config " + (dir / "continue.toml").string() + " --format csv");
  const Run plain = run("continue --param T --n 30 --Tr-range 0.85:1.0 --format csv");
  REQUIRE(plain.status == 0);
  CHECK(sectioned.out == plain.out);
  fs::remove_all(dir);
}

TEST_CASE("config files: a missing file, an unknown key or a bad value is a one-line error", "[short]") {
  const fs::path dir = fs::temp_directory_path() / ("wadd_config_bad_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"fixed-points --config " + (dir / "absent.toml").string(), "no such file"},
           {"fixed-points --config " + write("unknown.toml", "colour = 3\n"), "'colour' is not an option of fixed-points"},
           {"fixed-points --config " + write("value.toml", "n = \"many\"\n"), "n"},
           {"fixed-points --config " + write("alias.toml", "alpha-min = 0\n"), "alpha-min"},
           {"fixed-points --write-config ''", "--write-config '': an empty value"}}) {
    INFO(args);
    const Run r = run(args);
    CHECK(r.status == 2);
    CHECK(waddington::testing::count_lines(r.err) == 1);
    CHECK(r.err.find(message) != std::string::npos);
  }
  fs::remove_all(dir);
}
