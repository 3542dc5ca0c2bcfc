// The command line's interface as a user meets it (issue 12, items 7, 9, 11
// and 3): --format csv prints the file's columns, one vocabulary of option
// names (old spellings hidden but read), one range syntax, the snapshot cap and
// its override, config sections for another subcommand refused, the .npy
// trailing-bytes warning shown and recorded, the parameter columns of
// sweep.csv, and what Ctrl-C does to a running sweep cell.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/npy.hpp"
#include "sweep/store.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using waddington::testing::cli_binary;
using waddington::testing::count_lines;
using waddington::testing::run_binary;
using waddington::testing::slurp;

namespace {

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("apps_interface", name); }

nlohmann::json record(const fs::path& dir) { return nlohmann::json::parse(slurp(dir / "run.json")); }

// The first line of `text`.
std::string header(const std::string& text) { return text.substr(0, text.find('\n')); }

// Two +-1 images of 784 pixels (B = A with every third pixel flipped) as
// float64 .npy, followed by `trailing` extra bytes.
fs::path images_with_trailing_bytes(const fs::path& file, int trailing) {
  fs::create_directories(file.parent_path());
  Eigen::MatrixXd x(2, 784);
  for (int j = 0; j < 784; ++j) {
    x(0, j) = (j * 7919 % 13) < 6 ? 1.0 : -1.0;
    x(1, j) = j % 3 == 0 ? -x(0, j) : x(0, j);
  }
  waddington::write_npy(file, x);
  std::ofstream(file, std::ios::binary | std::ios::app) << std::string(std::size_t(trailing), '\0');
  return file;
}

// The stderr lines that contain `fragment`.
int lines_with(const std::string& text, const std::string& fragment) {
  std::istringstream lines(text);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) n += line.find(fragment) != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("stdout of --format csv is the CSV written to --out, parameter columns included", "[short][cli]") {
  for (const auto& [command, file] : std::vector<std::pair<std::string, std::string>>{
           {"fixed-points --n 20 --T 700", "fixed_points.csv"},
           {"nullclines --n 20 --cells 60", "nullclines.csv"},
           {"trajectory --n 20 --start 0.3,0.0 --duration 200", "trajectory.csv"},
           {"trajectory --n 20 --start 0.3,0.0 --start 0.31,0.0 --duration 100", "trajectory.csv"}}) {
    INFO(command);
    const fs::path dir = scratch("csv_" + file);
    const auto r = run_binary(command + " --format csv --out " + dir.string());
    REQUIRE(r.status == 0);
    CHECK(header(r.out).ends_with(",n,T,Tr"));
    CHECK(r.out == slurp(dir / file));
  }
  const auto portrait = run_binary("phase-portrait --n 20 --cells 40 --flow-lines 0 --format csv --plot " +
                                   (scratch("pp") / "pp.png").string());
  if (portrait.status != 3) {  // 3: gnuplot missing
    REQUIRE(portrait.status == 0);
    CHECK(header(portrait.out).ends_with(",n,T,Tr"));
  }
}

TEST_CASE("train --save-epochs: the cap of 1000 snapshots is in --help and --no-snapshot-cap lifts it", "[short][cli]") {
  const auto help = run_binary("train --help");
  CHECK_THAT(help.out, Catch::Contains("at most 1000 snapshots") && Catch::Contains("--no-snapshot-cap"));
  const fs::path dir = scratch("uncapped");
  const std::string args = "--quiet train --synthetic --per-class 1 --memories 2 --epochs 1001 --save-epochs 0:1001 --out " + dir.string();
  const auto capped = run_binary(args);
  CHECK(capped.status == 2);
  CHECK(count_lines(capped.err) == 1);
  CHECK_THAT(capped.err, Catch::Contains("1002 snapshots, more than the cap of 1000") &&
                             Catch::Contains("--no-snapshot-cap allows more"));
  CHECK_FALSE(fs::exists(dir / "run.json"));
  const auto forced = run_binary(args + " --no-snapshot-cap");
  INFO(forced.err);
  REQUIRE(forced.status == 0);
  CHECK(fs::exists(dir / "epoch_0" / "memories.npy"));
  CHECK(fs::exists(dir / "epoch_1001" / "memories.npy"));
  CHECK(waddington::read_npy(dir / "epoch_500" / "memories.npy").shape == std::vector<std::size_t>{2, 784});
  CHECK(record(dir)["parameters"]["no_snapshot_cap"] == true);
  CHECK(record(dir)["complete"] == true);
  // A range must lie in 0..epochs before anything is listed.
  const auto outside = run_binary("train --synthetic --epochs 10 --save-epochs 0:2000000000:1 --no-snapshot-cap --out " +
                                  (dir.string() + "_outside"));
  CHECK(outside.status == 2);
  CHECK_THAT(outside.err, Catch::Contains("outside 0..10"));
}

TEST_CASE("one range syntax A:B[:S] in every integer list, A-B still read", "[short][cli]") {
  using waddington::parse_int_list;
  CHECK(parse_int_list("1:5", "--seeds") == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(parse_int_list("0:10:5", "--x") == std::vector<int>{0, 5, 10});
  CHECK(parse_int_list("1,3:4,9", "--x") == std::vector<int>{1, 3, 4, 9});
  CHECK(parse_int_list("1-3", "--x") == std::vector<int>{1, 2, 3});  // the older spelling
  CHECK(parse_int_list("-2", "--x") == std::vector<int>{-2});
  for (const char* bad : {"1:5:0", "5:1", "1:2:3:4", "1:", "a:b", "1:5:-1"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_int_list(bad, "--x"), waddington::InputError);
  }
  const auto help = run_binary("experiment --help");
  CHECK_THAT(help.out, Catch::Contains("1:5 or 1,4"));
  // --digits 1:3 trains on 1, 2, 3 as --digits 1-3 does.
  const auto a = run_binary("--quiet train --synthetic --digits 1:3 --memories 2 --epochs 2 --format json");
  const auto b = run_binary("--quiet train --synthetic --digits 1-3 --memories 2 --epochs 2 --format json");
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  const auto counts = nlohmann::json::parse(a.out)["training_class_counts"];
  CHECK(counts == nlohmann::json::parse(b.out)["training_class_counts"]);
  CHECK(counts == nlohmann::json({0, 20, 20, 20, 0, 0, 0, 0, 0, 0}));
}

TEST_CASE("one vocabulary: --cells, --duration and --at-epochs, the old spellings hidden but read", "[short][cli]") {
  // --cells (cells per axis) and its old spelling --grid give the same table; not both.
  const auto cells = run_binary("nullclines --n 20 --cells 80 --format csv");
  const auto grid = run_binary("nullclines --n 20 --grid 80 --format csv");
  REQUIRE(cells.status == 0);
  CHECK(grid.out == cells.out);
  const auto both = run_binary("nullclines --n 20 --grid 80 --cells 80");
  CHECK(both.status == 2);
  CHECK(count_lines(both.err) == 1);
  CHECK_THAT(both.err, Catch::Contains("--grid is the old spelling of --cells"));
  // --duration (a real number of epochs) and the old --epochs.
  const auto duration = run_binary("trajectory --n 20 --start 0.3,0 --duration 150.5 --format csv");
  const auto epochs = run_binary("trajectory --n 20 --start 0.3,0 --epochs 150.5 --format csv");
  REQUIRE(duration.status == 0);
  CHECK(epochs.out == duration.out);
  CHECK(run_binary("trajectory --n 20 --duration -1").err.find("--duration -1 must be positive") != std::string::npos);
  // --help shows the new names only, and every sub-command that prints results has --format.
  for (const auto& [command, shown, hidden] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"nullclines", "--cells", "--grid"},
           {"phase-portrait", "--cells", "--grid"},
           {"trajectory", "--duration", "--epochs"},
           {"phase-portrait", "--duration", "--epochs"},
           {"analyze", "--at-epochs", "--epochs "},
           {"analyze", "--format", "--grid"},
           {"experiment", "--format", "--cells"}}) {
    INFO(command << ": " << shown);
    const auto help = run_binary(command + " --help");
    CHECK_THAT(help.out, Catch::Contains(shown) && !Catch::Contains(hidden));
    CHECK_THAT(help.out, Catch::Contains("--format TEXT:{table,csv,json}=table"));
  }
  // A config file does not take the old spelling.
  const fs::path toml = scratch("old.toml");
  std::ofstream(toml) << "grid = 80\n";
  CHECK(run_binary("nullclines --config " + toml.string()).status == 2);
}

TEST_CASE("an old spelling on the command line wins over --config and is saved by --write-config under the new name",
          "[short][cli]") {
  const fs::path toml = scratch("cells.toml");
  std::ofstream(toml) << "cells = 30\n";
  const fs::path dir = scratch("old_spelling_config");
  REQUIRE(run_binary("--quiet nullclines --n 20 --grid 12 --config " + toml.string() + " --out " + dir.string()).status == 0);
  CHECK(record(dir)["parameters"]["cells"] == 12);
  const fs::path written = scratch("written.toml");
  REQUIRE(run_binary("nullclines --n 20 --grid 12 --write-config " + written.string()).status == 0);
  CHECK(slurp(written).find("\ncells = 12\n") != std::string::npos);
}

TEST_CASE("train --save-epochs: a list mixing a range with a step and single epochs", "[short][cli]") {
  const fs::path dir = scratch("mixed_save_epochs");
  const auto r = run_binary("--quiet train --synthetic --digits 1,4 --memories 2 --epochs 40 --save-epochs 0,10:30:10 --out " +
                            dir.string());
  INFO(r.err);
  REQUIRE(r.status == 0);
  for (const char* e : {"epoch_0", "epoch_10", "epoch_20", "epoch_30"}) CHECK(fs::exists(dir / e / "memories.npy"));
  CHECK_FALSE(fs::exists(dir / "epoch_40"));
}

TEST_CASE("analyze: --at-epochs A:B:S and --format table, csv or json", "[short][cli]") {
  const fs::path run = scratch("run");
  REQUIRE(run_binary("--quiet train --synthetic --digits 1,4,7 --per-class 3 --memories 6 --epochs 40 "
                     "--save-epochs 0:40:20 --out " + run.string()).status == 0);
  const fs::path out = scratch("analysis");
  const auto json = run_binary("analyze " + run.string() + " --at-epochs 0:40:20 --no-plots --format json --out " + out.string());
  INFO(json.err);
  REQUIRE(json.status == 0);
  const auto summary = nlohmann::json::parse(json.out);
  CHECK(summary["epochs"].size() == 3);
  CHECK(record(out)["parameters"]["epochs_analysed"] == nlohmann::json({0, 20, 40}));
  CHECK_THAT(json.err, Catch::Contains("wrote "));  // the note goes to stderr, stdout stays JSON
  const auto csv = run_binary("analyze " + run.string() + " --epochs 0,40 --no-plots --format csv --out " + out.string());
  REQUIRE(csv.status == 0);
  CHECK(csv.out == slurp(out / "memories.csv"));
  CHECK(csv.out.rfind("epoch,memory,", 0) == 0);
  CHECK(count_lines(csv.out) == 1 + 2 * 6);
  const auto table = run_binary("analyze " + run.string() + " --no-plots --out " + out.string());
  REQUIRE(table.status == 0);
  CHECK_THAT(table.out, Catch::Contains("learning order") && Catch::Contains("wrote "));
  const auto wrong = run_binary("analyze " + run.string() + " --at-epochs 5 --no-plots --out " + out.string());
  CHECK(wrong.status == 2);
  CHECK_THAT(wrong.err, Catch::Contains("--at-epochs: epoch 5 is not saved"));
}

TEST_CASE("config files: a section for another subcommand is an error naming it", "[short][cli]") {
  const fs::path dir = scratch("config");
  fs::create_directories(dir);
  const auto file = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const auto train = run_binary("fixed-points --config " + file("train.toml", "n = 20\n[train]\nepochs = 5\n"));
  CHECK(train.status == 2);
  CHECK(count_lines(train.err) == 1);
  CHECK_THAT(train.err, Catch::Contains("section [train] is not for fixed-points"));
  const auto both = run_binary("fixed-points --config " +
                               file("both.toml", "colour = 1\n[train]\nepochs = 5\n[sweep]\nthreads = 2\n"));
  CHECK(both.status == 2);
  CHECK(count_lines(both.err) == 1);
  CHECK_THAT(both.err, Catch::Contains("sections [train], [sweep] are not for fixed-points") &&
                           Catch::Contains("'colour' is not an option of fixed-points"));
  const auto own = run_binary("fixed-points --config " + file("own.toml", "[fixed-points]\nn = 24\n") + " --format json");
  CHECK(own.status == 0);
  CHECK_THAT(own.out, Catch::Contains("n=24 "));
  const auto foreign_key = run_binary("fixed-points --config " + file("key.toml", "[fixed-points]\nepochs = 5\n"));
  CHECK(foreign_key.status == 2);
  CHECK_THAT(foreign_key.err, Catch::Contains("'fixed-points.epochs' is not an option of fixed-points"));
}

TEST_CASE("bytes after an .npy array: one escaped warning line on stderr and in run.json", "[short][cli]") {
  const fs::path images = images_with_trailing_bytes(scratch("trailing") / "two\nlines.npy", 16);
  const std::string quoted = "'" + images.string() + "'";
  const fs::path fp = scratch("fp_out");
  const auto fixed = run_binary("fixed-points --images " + quoted + " --pair 0,1 --n 20 --Tr 0.9 --out " + fp.string());
  INFO(fixed.err);
  REQUIRE(fixed.status == 0);
  CHECK(lines_with(fixed.err, "waddington: warning: ") == 1);
  CHECK(lines_with(fixed.err, "16 bytes after the npy array's 1568 elements were ignored") == 1);
  CHECK_THAT(fixed.err, Catch::Contains("two\\nlines.npy"));  // the newline in the name escaped
  const auto warnings = record(fp)["warnings"];
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0].get<std::string>(), Catch::Contains("16 bytes after the npy array"));
  // train reads the file once for the set and reports it once.
  const fs::path tr = scratch("train_out");
  const auto trained = run_binary("--quiet train --images " + quoted + " --labels blocks:1 --digits 0,1 --memories 2 --epochs 2 --out " +
                                  tr.string());
  INFO(trained.err);
  REQUIRE(trained.status == 0);
  CHECK(lines_with(trained.err, "waddington: warning: ") == 1);
  CHECK(record(tr)["warnings"].size() == 1);
  // analyze reads the training images again: the warning is shown there too.
  const auto analysed = run_binary("analyze " + tr.string() + " --no-plots --format json");
  INFO(analysed.err);
  REQUIRE(analysed.status == 0);
  CHECK(lines_with(analysed.err, "bytes after the npy array") == 1);
  CHECK(record(tr / "analysis")["warnings"].size() == 1);
  // A clean file: no warning, no "warnings" key.
  const fs::path clean = images_with_trailing_bytes(scratch("clean") / "clean.npy", 0);
  const fs::path cl = scratch("clean_out");
  const auto quiet = run_binary("fixed-points --images " + clean.string() + " --pair 0,1 --n 20 --Tr 0.9 --out " + cl.string());
  REQUIRE(quiet.status == 0);
  CHECK(quiet.err.find("warning") == std::string::npos);
  CHECK_FALSE(record(cl).contains("warnings"));
}

TEST_CASE("sweep.csv carries n, T and Tr, and run.json speaks of search values, not seeds", "[short][cli]") {
  const fs::path dir = scratch("sweep_columns");
  const auto r = run_binary("--quiet sweep --grid n=2:3:1 --threads 1 --out " + dir.string() +
                            " -- --synthetic --per-class 1 --memories 2 --epochs 3 --Tr 0.75");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const std::string csv = slurp(dir / "sweep.csv");
  CHECK(header(csv).ends_with(",status,seconds,message,T,Tr"));
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  const auto fields = waddington::sweep::split_csv_line(line);
  CHECK(std::stod(fields[fields.size() - 1]) == Approx(0.75));
  CHECK(std::stod(fields[fields.size() - 2]) == Approx(0.75 * 784));  // synthetic digits: N = 784 pixels
  // --format csv prints the same table; the rerun resumes the table with its new columns.
  const auto again = run_binary("--quiet sweep --grid n=2:3:1 --threads 1 --format csv --out " + dir.string() +
                                " -- --synthetic --per-class 1 --memories 2 --epochs 3 --Tr 0.75");
  REQUIRE(again.status == 0);
  CHECK(record(dir)["summary"]["resumed"] == 2);
  CHECK(header(again.out) == header(csv));
  CHECK(again.out == slurp(dir / "sweep.csv"));
  // A sweep.csv written before the T,Tr columns existed is resumed, and rewritten with them.
  {
    std::istringstream rows(csv);
    std::string old_csv, row;
    while (std::getline(rows, row)) old_csv += row.substr(0, row.rfind(',', row.rfind(',') - 1)) + "\n";
    REQUIRE(header(old_csv).ends_with(",status,seconds,message"));
    std::ofstream(dir / "sweep.csv") << old_csv;
  }
  const auto legacy = run_binary("--quiet sweep --grid n=2:3:1 --threads 1 --out " + dir.string() +
                                 " -- --synthetic --per-class 1 --memories 2 --epochs 3 --Tr 0.75");
  INFO(legacy.err);
  REQUIRE(legacy.status == 0);
  CHECK(record(dir)["summary"]["resumed"] == 2);
  CHECK(header(slurp(dir / "sweep.csv")) == header(csv));
  // A sweep over Tr: T is derived per row.
  const fs::path tr = scratch("sweep_tr");
  REQUIRE(run_binary("--quiet sweep --grid Tr=0.5:1:0.5 --threads 1 --out " + tr.string() +
                     " -- --synthetic --per-class 1 --memories 2 --epochs 2 --n 3").status == 0);
  CHECK(header(slurp(tr / "sweep.csv")).ends_with(",message,n,T"));
  CHECK_THAT(slurp(tr / "sweep.csv"), Catch::Contains(",3,392\n") && Catch::Contains(",3,784\n"));

  const fs::path cont = scratch("continue");
  REQUIRE(run_binary("--quiet continue --param n --n-range 20:30 --T 700 --no-fold-check --out " + cont.string()).status == 0);
  const std::string text = slurp(cont / "run.json");
  CHECK(text.find("seed_") == std::string::npos);
  CHECK(text.find("\"seeds_") == std::string::npos);
  const auto rec = nlohmann::json::parse(text);
  CHECK(rec["parameters"]["continuation"]["search_values"] == 2);
  CHECK(rec["summary"].contains("search_values"));
}

TEST_CASE("sweep: Ctrl-C abandons the running cell at its next epoch (pending, rerun from the start), exit 130",
          "[short][cli]") {
  // One cell that would train for hours: only abandoning it ends the run quickly.
  const fs::path dir = scratch("sweep_int"), log = scratch("sweep_int.log");
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::string binary = cli_binary();
    std::vector<std::string> args = {binary, "sweep", "--grid", "seed=1", "--threads", "1", "--out", dir.string(), "--",
                                     "--synthetic", "--memories", "20", "--epochs", "5000000"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::freopen(log.c_str(), "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    ::execv(binary.c_str(), argv.data());
    std::_Exit(127);
  }
  // Wait until the run has started ("running" in run.json), then a little for the cell to train.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    if (fs::exists(dir / "run.json", ec) && slurp(dir / "run.json").find("\"running\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto signalled = std::chrono::steady_clock::now();
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  INFO(slurp(log));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(seconds < 20);  // the cell (5,000,000 epochs) did not run to its end
  const std::string csv = slurp(dir / "sweep.csv");
  CHECK_THAT(csv, Catch::Contains(",pending,"));
  CHECK(csv.find(",ok,") == std::string::npos);
  CHECK(record(dir)["status"] == "interrupted");
}
