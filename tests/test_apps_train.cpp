// `waddington train` end to end through the built binary: bad input gives a
// one-line error, a non-zero exit and no output; a good run writes every file.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lib/dataset.hpp"
#include "lib/npy.hpp"
#include "lib/synthetic.hpp"
#include "lib/trainer.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using waddington::testing::cli_binary;

namespace {

struct Outcome {
  int status;
  std::string out, err;
};

fs::path scratch(const std::string& name) { return waddington::testing::scratch_path("train", name, /*fresh=*/false); }

using waddington::testing::slurp;

Outcome train(const std::string& args) {
  const fs::path out = scratch("stdout.txt"), err = scratch("stderr.txt");
  const std::string command = cli_binary() + " train " + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

void expect_clean_failure(const std::string& args, const fs::path& out_dir, const std::string& fragment) {
  INFO("waddington train " << args);
  const Outcome r = train(args + " --out " + out_dir.string());
  CHECK(r.status != 0);
  CHECK(r.status < 128);  // an exit, not a signal or crash
  CHECK(r.err.rfind("waddington: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, Catch::Contains(fragment));
  CHECK(r.out.empty());
  if (out_dir != "/proc/x") CHECK_FALSE(fs::exists(out_dir));
}

}  // namespace

TEST_CASE("train: bad input is a one-line error with no output files", "[cli][bad][short]") {
  // A truncated IDX image file: header for 10 images of 28x28, a third of the pixels.
  std::string idx("\0\0\x08\x03\0\0\0\x0a\0\0\0\x1c\0\0\0\x1c", 16);
  idx += std::string(10 * 784 / 3, '\x80');
  write_bytes(scratch("truncated.idx"), idx);
  // An .npy whose header claims 10^12 float64 elements, holding 32 bytes.
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  write_bytes(scratch("huge.npy"), std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' + header +
                                       std::string(32, '\0'));
  const fs::path out = scratch("never_written");
  expect_clean_failure("--images " + scratch("truncated.idx").string() + " --labels blocks:1", out, "truncated IDX");
  expect_clean_failure("--images " + scratch("huge.npy").string() + " --labels blocks:1", out, "claims 1000000000000 elements");
  expect_clean_failure("--synthetic --n -1", out, "power n = -1");
  expect_clean_failure("--synthetic --T 0", out, "temperature T = 0");
  expect_clean_failure("--synthetic --digits 11", out, "digit 11");
  expect_clean_failure("--synthetic --epochs 2", "/proc/x", "/proc/x");
  expect_clean_failure("--synthetic --bound squash", out, "--bound");
  expect_clean_failure("--synthetic --threads 0", out, "thread count 0");
  expect_clean_failure("--synthetic --epochs 10 --save-epochs 20", out, "--save-epochs");
  expect_clean_failure("--images " + scratch("absent.npy").string() + " --labels blocks:20", out, "no such file");
  expect_clean_failure("--synthetic --epochs 3 --memories 7 --init-memories " + scratch("huge.npy").string(), out,
                       "claims");
}

TEST_CASE("train: a synthetic run writes memories, labels, snapshots, metrics and run.json", "[cli][short]") {
  const fs::path dir = scratch("run");
  const Outcome r = train("--synthetic --per-class 3 --memories 6 --n 3 --Tr 0.5 --epochs 5 --init-mean 0 "
                          "--init-std 0.1 --seed 9 --save-epochs 0,5 --out " + dir.string());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::StartsWith("training completed: epoch 5"));
  // The saved epoch 0 is exactly the seeded Gaussian initial state.
  waddington::TrainerOptions o;
  o.memories = 6;
  o.init_mean = 0;
  o.init_std = 0.1;
  o.seed = 9;
  const waddington::NetworkState initial = waddington::initial_state(o, 784, 10);
  CHECK(waddington::load_images(dir / "epoch_0" / "memories.npy") == initial.memories);
  CHECK(waddington::load_images(dir / "epoch_0" / "labels.npy") == initial.labels);
  const Eigen::MatrixXd final_memories = waddington::load_images(dir / "memories.npy");
  CHECK(final_memories.rows() == 6);
  CHECK(final_memories.cols() == 784);
  CHECK(final_memories == waddington::load_images(dir / "epoch_5" / "memories.npy"));
  const std::string metrics = slurp(dir / "metrics.csv");
  CHECK(std::count(metrics.begin(), metrics.end(), '\n') == 7);  // header + epochs 0..5
  CHECK_THAT(metrics, Catch::StartsWith("epoch,cost,accuracy,test_accuracy,correct_0"));
  const auto run = nlohmann::json::parse(slurp(dir / "run.json"));
  CHECK(run["command"] == "train");
  CHECK(run["parameters"]["T"].get<double>() == Approx(0.5 * 784));
  CHECK(run["parameters"]["seed"] == 9);
  CHECK(run["summary"]["epochs_completed"] == 5);
  int memories = 0;
  for (int c : run["summary"]["memories_per_class"]) memories += c;
  CHECK(memories == 6);
  CHECK(run["timings"].contains("train_seconds"));

  // A failing second run into the same directory loses nothing already written.
  const std::string before = slurp(dir / "metrics.csv");
  CHECK(train("--synthetic --T 0 --out " + dir.string()).status != 0);
  CHECK(slurp(dir / "metrics.csv") == before);
}

TEST_CASE("train: a state that becomes NaN is an incomplete run (exit 1, complete false)", "[cli][bad][short]") {
  const fs::path dir = scratch("nan_run");
  const Outcome r = train("--synthetic --per-class 2 --memories 4 --n 3 --T 1e-300 --epochs 3 --out " + dir.string());
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("non_finite"));
  CHECK_THAT(r.err, Catch::Contains("incomplete"));
  const auto record = nlohmann::json::parse(slurp(dir / "run.json"));
  CHECK(record["summary"]["complete"] == false);
  CHECK(record["summary"]["termination"] == "non_finite");
}

TEST_CASE("train: paper200 with blocks:20 and an MNIST test set", "[cli][data][short]") {
  const auto images = waddington::testing::require_data("paper200/paper200_images.npy");
  const auto test_images = waddington::testing::require_data("mnist/t10k-images-idx3-ubyte.gz");
  const auto test_labels = waddington::testing::data_dir() / "mnist/t10k-labels-idx1-ubyte.gz";
  const fs::path dir = scratch("paper200");
  const Outcome r = train("--images " + images.string() + " --labels blocks:20 --digits 1,4 --epochs 20 --test-images " +
                          test_images.string() + " --test-labels " + test_labels.string() + " --test-every 10 --out " +
                          dir.string());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto run = nlohmann::json::parse(slurp(dir / "run.json"));
  CHECK(run["parameters"]["num_samples"] == 40);
  CHECK(run["inputs"].size() == 3);  // images, test images, test labels, with checksums
  CHECK(run["summary"].contains("final_test_accuracy"));
  const std::string metrics = slurp(dir / "metrics.csv");
  std::istringstream lines(metrics);
  std::string line;
  int with_test = 0;
  while (std::getline(lines, line))
    if (line.find(",,") == std::string::npos && line.rfind("epoch", 0) != 0) ++with_test;
  CHECK(with_test == 3);  // epochs 0, 10, 20
}

TEST_CASE("empty option values are errors that name the option, --save-epochs A:B:S with a cap", "[short][cli]") {
  using waddington::testing::run_binary;
  for (const char* args : {"train --synthetic --epochs 2 --memories 2 --out ''", "fixed-points --plot ''",
                           "fixed-points --n ''", "train --synthetic --momentum= --epochs 2"}) {
    INFO(args);
    const auto r = run_binary(args);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("'': an empty value"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  const auto dir = waddington::testing::scratch_path("train_cli", "save_step", true);
  const auto ok = run_binary("--quiet train --synthetic --epochs 30 --memories 2 --save-epochs 0:30:10 --out " + dir.string());
  REQUIRE(ok.status == 0);
  for (int e : {0, 10, 20, 30}) CHECK(fs::exists(dir / ("epoch_" + std::to_string(e))));
  CHECK_FALSE(fs::exists(dir / "epoch_5"));
  const auto capped = run_binary("train --synthetic --epochs 3000 --memories 2 --save-epochs 0:3000:1 --out " +
                                 (dir.string() + "_capped"));
  CHECK(capped.status == 2);
  CHECK_THAT(capped.err, Catch::Contains("3001 snapshots, more than the cap of 1000"));
  CHECK_FALSE(fs::exists(dir.string() + "_capped/run.json"));
}
