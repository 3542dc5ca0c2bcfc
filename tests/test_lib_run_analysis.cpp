// The analysis of a saved training run (docs/model.md §1.2-1.3) on a small
// synthetic run: shapes of every output, alpha reproducing the memories, one
// row per memory and epoch, the order from metrics.csv, and clear errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/errors.hpp"
#include "lib/npy.hpp"
#include "lib/run_analysis.hpp"
#include "lib/training_run.hpp"
#include "test_support.hpp"

using namespace waddington;
namespace fs = std::filesystem;

namespace {

// A synthetic run on digits 1, 4, 7 (8 samples each), 12 memories, saved at 0, 50, 150.
fs::path small_run(const std::string& name) {
  const fs::path dir = testing::scratch_path("run_analysis", name);
  TrainingRunOptions o;
  o.synthetic = true;
  o.digits = "1,4,7";
  o.per_class = 8;
  o.trainer.memories = 12;
  o.trainer.n = 20;
  o.trainer.temperature = 0.9 * 784;
  o.trainer.rate = 0.01;
  o.trainer.epochs = 150;
  o.save_epochs = "0,50,150";
  o.out = dir.string();
  const TrainingRunSummary summary = run_training(o);
  REQUIRE(summary.complete());
  // The record `train` writes (parameters and summary) as analyze reads it.
  nlohmann::json record = {{"parameters", summary.parameters}, {"summary", summary.ToJson()}};
  std::ofstream(dir / "run.json") << record.dump(2);
  return dir;
}

}  // namespace

TEST_CASE("analyze_run: every saved epoch, one pseudo-inverse, files that read back", "[run_analysis][short]") {
  const fs::path run = small_run("ok");
  RunAnalysisOptions o;
  o.run_dir = run.string();
  int calls = 0;
  const RunAnalysisSummary s = analyze_run(o, [&](int done, int total) {
    ++calls;
    CHECK(total == 3);
    CHECK(done == calls);
  });
  CHECK(s.complete());
  CHECK(calls == 3);
  REQUIRE(s.epochs.size() == 3);  // 0, 50 and 150 (the final state is the epoch-150 snapshot)
  CHECK(s.epochs[1].epoch == 50);
  CHECK(s.num_memories == 12);
  CHECK(s.num_samples == 24);
  CHECK(s.trained_digits() == std::vector<int>{1, 4, 7});
  // alpha is the analysis of the saved memories: the same numbers as a direct analyze_memories.
  const NetworkState last = load_saved_state(open_saved_run(run), 150);
  std::vector<InputFile> inputs;
  const Dataset data = load_saved_training_set(open_saved_run(run), "", &inputs);
  const MemoryAnalysis direct = analyze_memories(last.memories, data);
  CHECK((s.epochs[2].memories.alpha - direct.alpha).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(s.epochs[2].memories.mean_max_alpha == Approx(direct.mean_max_alpha));
  // alphabar sums alpha over each class; untrained classes are 0.
  const auto& e = s.epochs[2].memories;
  CHECK(e.alpha_by_class.cols() == 10);
  CHECK(e.alpha_by_class.col(0).cwiseAbs().maxCoeff() == 0.0);
  CHECK(e.alpha_by_class.row(3).sum() == Approx(e.alpha.row(3).sum()));
  CHECK(s.order.digits.size() == 3);
  CHECK(s.order.find(1) != nullptr);

  const fs::path out = run / "analysis";
  write_run_analysis(out, s);
  const NpyArray alpha = read_npy(out / "alpha.npy");
  CHECK(alpha.shape == std::vector<std::size_t>{3, 12, 24});
  CHECK(alpha.values[(2 * 12 + 5) * 24 + 7] == e.alpha(5, 7));
  const NpyArray alphabar = read_npy(out / "alphabar.npy");
  CHECK(alphabar.shape == std::vector<std::size_t>{3, 12, 10});
  CHECK(alphabar.values[(1 * 12 + 2) * 10 + 4] == s.epochs[1].memories.alpha_by_class(2, 4));
  const std::string memories = testing::slurp(out / "memories.csv");
  CHECK(memories.rfind("epoch,memory,dominant_label,max_alpha,samples_needed,dominant_alphabar,span_residual\n", 0) == 0);
  CHECK(testing::count_lines(memories) == 1 + 3 * 12);
  CHECK(testing::slurp(out / "order.csv") == order_csv(s.order));
  CHECK(testing::slurp(out / "splits.csv") == splits_csv(s.splits));

  // Only some epochs.
  o.epochs = "150,0";
  const RunAnalysisSummary two = analyze_run(o);
  REQUIRE(two.epochs.size() == 2);
  CHECK(two.epochs[0].epoch == 0);
  CHECK(two.epochs[1].epoch == 150);
}

TEST_CASE("analyze_run: clear errors for what is not a finished run", "[run_analysis][short]") {
  RunAnalysisOptions o;
  CHECK_THROWS_AS(analyze_run(o), InputError);  // no folder
  o.run_dir = "/nonexistent/run";
  CHECK_THROWS_WITH(analyze_run(o), Catch::Contains("does not exist"));
  const fs::path run = small_run("errors");
  o.run_dir = run.string();
  o.epochs = "75";
  CHECK_THROWS_WITH(analyze_run(o), Catch::Contains("epoch 75 is not saved"));
  o.epochs = "";
  o.splits.distance = -1;
  CHECK_THROWS_AS(analyze_run(o), InputError);
  o.splits.distance = 0.1;
  // A metrics.csv of an older version (no predicted_d columns): refused, naming the reason.
  {
    std::istringstream lines(waddington::testing::slurp(run / "metrics.csv"));
    std::string line, old;
    while (std::getline(lines, line)) {
      std::string kept;
      std::istringstream fields(line);
      std::string field;
      for (int column = 0; std::getline(fields, field, ','); ++column)
        if (column < 4 + 2 * 10 || column >= 4 + 3 * 10) kept += (kept.empty() ? "" : ",") + field;  // drop predicted_0..9
      old += kept + "\n";
    }
    REQUIRE(old.find("predicted_") == std::string::npos);
    std::ofstream(run / "metrics.csv") << old;
  }
  CHECK_THROWS_WITH(analyze_run(o), Catch::Contains("no predicted_0.. columns"));
  fs::remove(run / "metrics.csv");
  CHECK_THROWS_WITH(analyze_run(o), Catch::Contains("metrics.csv"));
  std::ofstream(run / "run.json") << "{\"parameters\": {\"images\": \"synthetic\"}}";
  CHECK_THROWS_WITH(analyze_run(o), Catch::Contains("parameters.labels is missing"));
  std::ofstream(run / "run.json") << "not json";
  CHECK_THROWS_WITH(analyze_run(o), Catch::Contains("not valid JSON"));
}

TEST_CASE("N-D npy writer: shapes as NumPy writes them, values in C order", "[run_analysis][short]") {
  const fs::path dir = testing::scratch_path("run_analysis", "npy");
  fs::create_directories(dir);
  write_npy(dir / "v.npy", {3}, {1.0, 2.0, 3.0});
  const NpyArray v = read_npy(dir / "v.npy");
  CHECK(v.shape == std::vector<std::size_t>{3});
  CHECK(v.values == std::vector<double>{1.0, 2.0, 3.0});
  CHECK_THAT(testing::slurp(dir / "v.npy"), Catch::Contains("'shape': (3,)"));
  write_npy(dir / "c.npy", {2, 1, 2}, {1.0, 2.0, 3.0, 4.0});
  CHECK(read_npy(dir / "c.npy").shape == std::vector<std::size_t>{2, 1, 2});
  CHECK_THROWS_AS(write_npy(dir / "bad.npy", {2, 2}, {1.0}), std::invalid_argument);
}
