// compare/diagram_validation: stable equilibria read off a diagram, distances
// on a synthetic diagram with a known answer, bad input, and (with the data)
// the full trainer started exactly at a stable equilibrium staying on it.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compare/diagram_validation.hpp"
#include "compare/formats.hpp"
#include "reduced_models/fixed_points.hpp"
#include "lib/errors.hpp"
#include "test_support.hpp"

using namespace waddington;

namespace {
using Run = testing::CliRun;
Run run(const std::string& args, const std::string& env = "") { return testing::run_binary(args, env); }

int lines(const std::string& text) { return testing::count_lines(text); }

// A hand-made diagram in n on [10, 40]: branch 0 stable from (10; 0.5, 0.1) to
// (20; 0.7, 0.3), then unstable to (30; 0.9, 0.5); branch 1 stable on chart -1,
// and branch 2 unstable throughout.
reduced::DiagramSummary synthetic_diagram() {
  reduced::DiagramSummary d;
  d.termination = reduced::AnalysisTermination::kComplete;
  d.options.parameter = reduced::BifurcationParameter::kN;
  d.options.from = 10, d.options.to = 40;
  auto add_branch = [&](int id, std::vector<std::array<double, 3>> points, std::vector<bool> stable, int chart) {
    reduced::Branch b;
    b.id = id, b.chart = chart;
    for (std::size_t i = 0; i < points.size(); ++i) {
      b.rows.emplace_back();
      auto& r = b.rows.back();
      r.branch = id, r.n = points[i][0], r.T = 700, r.alpha = points[i][1], r.ell = points[i][2], r.chart = chart;
      r.alpha_B = chart * (1 - std::abs(r.alpha));
      r.stability = stable[i] ? reduced::Stability::kStable : reduced::Stability::kSaddle;
    }
    d.branches.push_back(b);
  };
  add_branch(0, {{10, 0.5, 0.1}, {20, 0.7, 0.3}, {30, 0.9, 0.5}}, {true, true, false}, +1);
  add_branch(1, {{40, -0.2, -0.4}, {10, -0.5, -0.1}}, {true, true}, -1);
  add_branch(2, {{10, 0.1, 0.9}, {40, 0.2, 0.9}}, {false, false}, +1);
  return d;
}
}  // namespace

TEST_CASE("diagram validation: the default options are valid, bad ones are rejected with a reason", "[short]") {
  compare::DiagramValidationOptions o;
  std::string why;
  CHECK(o.IsValid(&why));
  auto rejects = [](compare::DiagramValidationOptions bad, const std::string& word) {
    std::string reason;
    CHECK_FALSE(bad.IsValid(&reason));
    CHECK(reason.find(word) != std::string::npos);
    CHECK(reason.find('\n') == std::string::npos);
  };
  o = {}, o.rate = 0, rejects(o, "--rate");
  o = {}, o.max_epochs = 0, rejects(o, "--validate-epochs");
  o = {}, o.count = 0, rejects(o, "--validate-count");
  o = {}, o.values = {NAN}, rejects(o, "--validate-at");
  o = {}, o.split = 0.05, o.apart_threshold = 0.01, rejects(o, "apart_threshold");
  o = {}, o.grid_alpha = 3, o.grid_ell = 0, rejects(o, "grid");
  for (auto t : {compare::ValidationTermination::kNotRun, compare::ValidationTermination::kConverged,
                 compare::ValidationTermination::kNotConverged, compare::ValidationTermination::kNoStableBranch}) {
    compare::ValidationTermination back = compare::ValidationTermination::kNotRun;
    REQUIRE(compare::FromString(compare::ToString(t), &back));
    CHECK(back == t);
  }
  CHECK(compare::DiagramValidationSummary{}.termination == compare::ValidationTermination::kNotRun);
}

TEST_CASE("diagram validation: stable equilibria are interpolated at the value, distances on a known diagram", "[short]") {
  const auto d = synthetic_diagram();
  const auto at15 = compare::stable_equilibria_at(d, 15);
  REQUIRE(at15.size() == 2);
  CHECK(at15[0].branch == 0);
  CHECK(at15[0].alpha == Approx(0.6));
  CHECK(at15[0].ell == Approx(0.2));
  CHECK(at15[1].branch == 1);
  CHECK(at15[1].chart == -1);
  CHECK(at15[1].alpha == Approx(-0.45));  // 15 = 10 + 5/30 of the way to 40 from the n = 10 end
  CHECK(at15[1].ell == Approx(-0.15));
  // At n = 20 branch 0 has a row; it is counted once.
  CHECK(compare::stable_equilibria_at(d, 20).size() == 2);
  // n = 25: branch 0's segment from stable n = 20 to unstable n = 30 counts (the header says so).
  CHECK(compare::stable_equilibria_at(d, 25).size() == 2);
  // n = 35: only branch 1 (branch 0 ends at 30, branch 2 is unstable).
  const auto at35 = compare::stable_equilibria_at(d, 35);
  REQUIRE(at35.size() == 1);
  CHECK(at35[0].branch == 1);

  int index = -2;
  // On one chart the max-norm in (alpha, alpha_B, ell) is the max-norm in (alpha, ell): max(0.05, 0.05, 0.03).
  CHECK(compare::distance_to_stable(at15, 0.65, 0.35, 0.17, &index) == Approx(0.05));
  CHECK(index == 0);
  CHECK(compare::distance_to_stable(at15, -0.45, -0.55, -0.05, &index) == Approx(0.10));
  CHECK(index == 1);
  // n = 35: the only stable point is (-0.25, alpha_B -0.75, ell -0.35) on chart -1; from (0.5, 0.5, 0) on chart +1
  // the distance is max(0.75, 1.25, 0.35).
  CHECK(compare::distance_to_stable(at35, 0.5, 0.5, 0.0, &index) == Approx(1.25));
  CHECK(index == 0);
  CHECK(std::isinf(compare::distance_to_stable({}, 0.5, 0.5, 0.0, &index)));
  CHECK(index == -1);
}

TEST_CASE("diagram validation: without samples, a clear error naming what is missing", "[short]") {
  reduced::TwoMemorySetup setup;  // the Figure 5 dot products, no samples
  try {
    compare::with_validation_samples(setup, "/nonexistent/data");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("paper200_images.npy not found") != std::string::npos);
  }
  setup.parameters.AA = 700;  // not the Figure 5 pair: only --images can give the samples
  try {
    compare::with_validation_samples(setup, "/nonexistent/data");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("--images") != std::string::npos);
  }
  // A value outside the window, and a diagram that was not computed.
  compare::DiagramValidationOptions o;
  o.values = {50};
  CHECK_THROWS_AS(compare::validate_diagram(setup, synthetic_diagram(), o), InputError);
  CHECK_THROWS_AS(compare::validate_diagram(setup, reduced::DiagramSummary{}, {}), InputError);
}

TEST_CASE("continue --validate: bad input is a one-line error, exit status 2", "[short]") {
  for (const auto& [args, env] : std::vector<std::pair<std::string, std::string>>{
           {"continue --param n --from 15 --to 20 --validate", "WADDINGTON_DATA=/nonexistent"},  // no data
           {"continue --param n --from 15 --to 20 --AA 700 --validate", ""},                     // no samples for these
           {"continue --param n --from 15 --to 20 --validate --rate -1", ""},
           {"continue --param n --from 15 --to 20 --validate --validate-epochs 0", ""},
           {"continue --param n --from 15 --to 20 --rate 0.01", ""},  // --rate needs --validate
       }) {
    INFO(args << " [" << env << "]");
    const Run r = run(args, env);
    CHECK(r.status == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("waddington: error: ", 0) == 0);
  }
}

// The tests below need the data (they end the run as skipped without it).

TEST_CASE("diagram validation: the default pair's samples are rows 21 and 81 of paper200", "[short]") {
  const auto file = testing::require_data("paper200/paper200_images.npy");
  const auto setup = compare::with_validation_samples(reduced::TwoMemorySetup{}, testing::data_dir().string());
  CHECK(setup.row_A == 21);
  CHECK(setup.row_B == 81);
  CHECK(setup.A.dot(setup.A) == Approx(753.2249).margin(5e-4));
  CHECK(setup.A.dot(setup.B) == Approx(494.0239).margin(5e-4));
  CHECK(setup.B.dot(setup.B) == Approx(719.7008).margin(5e-4));
}

TEST_CASE("diagram validation: started at a stable equilibrium, the full trainer stays on the branch (n in [18, 22], T = 700)",
          "[short]") {
  testing::require_data("paper200/paper200_images.npy");
  reduced::TwoMemorySetupOptions so;
  so.parameters.n = 20, so.parameters.T = 700;
  const auto setup = compare::with_validation_samples(reduced::two_memory_setup(so), testing::data_dir().string());
  reduced::DiagramOptions d;
  d.parameter = reduced::BifurcationParameter::kN;
  d.from = 18, d.to = 22;
  const auto diagram = reduced::compute_diagram(setup.parameters, d);
  REQUIRE(diagram.complete());

  compare::DiagramValidationOptions o;
  o.values = {20};
  o.perturbation = 0, o.split = 0, o.symmetric_runs = false, o.grid_alpha = 0, o.grid_ell = 0;  // exactly at each equilibrium, once
  o.max_epochs = 2000;
  const auto exact = compare::validate_diagram(setup, diagram, o);
  REQUIRE(exact.equilibria.at(0).size() == 2);  // bistable at n = 20 (the eigencheck test's two stable points)
  REQUIRE(exact.runs == 2);
  CHECK(exact.runs_apart == 0);
  INFO(exact.FullReport());
  CHECK(exact.max_distance < 1e-4);  // interpolation along the branch at n = 20 plus the trainer's stopping error

  // From perturbed and basin starts. Symmetric runs (split 0) converge back to
  // their own equilibrium; split runs split exactly where the K = 2 splitting
  // eigenvalue of the reduced flow (find_fixed_points, docs/model.md §2.2) is positive.
  o = {};
  o.values = {20};
  const auto s = compare::validate_diagram(setup, diagram, o);
  INFO(s.FullReport());
  CHECK(s.termination == compare::ValidationTermination::kConverged);
  CHECK(s.runs >= 6);
  CHECK(s.runs_symmetric * 2 == s.runs);
  CHECK(s.max_distance_symmetric < 1e-4);
  auto p20 = setup.parameters;
  p20.n = 20;
  const auto fixed = reduced::find_fixed_points(p20);
  for (const auto& r : s.rows) {
    if (r.split == 0) {
      CHECK(r.same_basin);
      CHECK_FALSE(r.apart);
      continue;
    }
    const auto& e = s.equilibria[0].at(std::size_t(r.start_equilibrium));
    const auto* point = &fixed.fixed_points.front();
    for (const auto& f : fixed.fixed_points)
      if (std::abs(f.alpha - e.alpha) + std::abs(f.ell - e.ell) < std::abs(point->alpha - e.alpha) + std::abs(point->ell - e.ell))
        point = &f;
    REQUIRE(point->has_antisymmetric);
    const bool splits = point->antisymmetric_eigenvalues.real().maxCoeff() > 0;
    INFO("equilibrium (" << e.alpha << ", " << e.ell << "): splitting eigenvalues " << point->antisymmetric_eigenvalues.transpose());
    CHECK(r.apart == splits);
  }
  const std::string csv = compare::validation_csv(s);
  CHECK(csv.rfind("n,alpha_final,alpha_B_final,ell_final,distance_to_stable_branch,", 0) == 0);  // (alpha, alpha_B, ell) in that order
  CHECK(lines(csv) == 1 + 2 * s.runs);
}
