// The reduced model's set-up from data (reduced_models/setup.hpp), the
// phase-portrait data (portrait.hpp) and the layer's files (formats.hpp).
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "lib/errors.hpp"
#include "lib/npy.hpp"
#include "reduced_models/formats.hpp"
#include "reduced_models/portrait.hpp"
#include "reduced_models/setup.hpp"

using namespace waddington;
using namespace waddington::reduced;
namespace fs = std::filesystem;

namespace {

// Three random images of side x side pixels in [-1, 1], written as an .npy file.
fs::path image_file(int side) {
  const fs::path file = fs::temp_directory_path() /
                        ("waddington_test_portrait_" + std::to_string(::getpid()) + "_" + std::to_string(side) + ".npy");
  Eigen::MatrixXd images = Eigen::MatrixXd::Random(3, side * side);
  write_npy(file, images);
  return file;
}

int count_lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("set-up: dot products and N from two image rows, T from T_r", "[short]") {
  const fs::path file = image_file(12);
  const Eigen::MatrixXd images = read_npy_matrix(file);
  TwoMemorySetupOptions o;
  o.images = file.string();
  o.rows = {2, 0};
  o.rescaled_temperature = 0.9;
  o.parameters.n = 4;
  const TwoMemorySetup s = two_memory_setup(o);
  CHECK(s.parameters.AA == Approx(images.row(2).squaredNorm()).epsilon(1e-14));
  CHECK(s.parameters.AB == Approx(images.row(2).dot(images.row(0))).epsilon(1e-14));
  CHECK(s.parameters.BB == Approx(images.row(0).squaredNorm()).epsilon(1e-14));
  CHECK(s.parameters.num_pixels == 144);
  CHECK(s.parameters.T == 0.9 * 144);
  CHECK(s.image_side() == 12);
  CHECK(s.ToJson()["pair"] == std::vector<int>{2, 0});

  o.rows = {0, 3};
  CHECK_THROWS_WITH(two_memory_setup(o), Catch::Contains("index 3 out of range"));
  o.rows = {1, 1};
  CHECK_THROWS_WITH(two_memory_setup(o), Catch::Contains("different rows"));
  o.rows = {0, 1};
  o.rescaled_temperature = 0;
  CHECK_THROWS_AS(two_memory_setup(o), InputError);

  TwoMemorySetupOptions plain;  // the Figure 5 dot products, T itself
  const TwoMemorySetup f = two_memory_setup(plain);
  CHECK(f.parameters.T == 700);
  CHECK(f.image_side() == 0);
  CHECK_FALSE(f.ToJson().contains("images"));
  fs::remove(file);
}

TEST_CASE("portrait: fixed points of the window with their memory pictures, velocity field, trajectories", "[short]") {
  const fs::path file = image_file(5);
  TwoMemorySetupOptions o;
  o.images = file.string();
  o.rows = {0, 1};
  o.parameters.n = 20;
  o.parameters.T = 1;
  TwoMemorySetup setup = two_memory_setup(o);
  setup.parameters.T = 0.93 * setup.parameters.AA;  // the Figure 5 ratio T / <A,A>
  std::vector<FixedPoint> fixed(3);
  fixed[0].alpha = 0.1, fixed[0].alpha_B = 0.9, fixed[0].stability = Stability::kStable;  // outside the window
  fixed[1].alpha = 0.5, fixed[1].alpha_B = 0.5, fixed[1].ell = 0.2, fixed[1].stability = Stability::kSaddle;
  fixed[2].alpha = 0.9, fixed[2].alpha_B = 0.1, fixed[2].ell = 0.8;

  PortraitOptions po;
  po.alpha_min = 0.2, po.alpha_max = 1, po.nullcline_cells = 40, po.flow_starts = 2, po.arrow_cells = 3;
  TrajectoryOptions to;
  to.t_max = 0.5;
  const auto trajectory = integrate_k_memory(setup.parameters, (Eigen::VectorXd(4) << 0.5, 0, 0.6, 0).finished(), to);
  const PhasePortrait portrait = phase_portrait(setup, fixed, {trajectory}, po);
  REQUIRE(portrait.fixed_points.size() == 2);
  CHECK(portrait.fixed_points[0].ell == 0.2);
  CHECK(portrait.fixed_points[0].stability == Stability::kSaddle);
  for (const auto& q : portrait.fixed_points) {
    REQUIRE(q.side == 5);
    const Eigen::VectorXd memory = q.alpha * setup.A + q.alpha_B * setup.B;
    CHECK(Eigen::Map<const Eigen::VectorXd>(q.image.data(), 25).isApprox(memory));
  }
  CHECK(portrait.velocity_field.size() == 9);
  CHECK(portrait.velocity_field.front().ell == Approx(-1 + 1.0 / 3));
  CHECK(portrait.flow_lines.size() <= 4);
  REQUIRE(portrait.trajectories.size() == 2);  // a path per memory
  for (int mu : {0, 1}) {
    REQUIRE(portrait.trajectories[mu].size() == trajectory.states.size());
    CHECK(portrait.trajectories[mu].back() == trajectory.states.back().segment<2>(2 * mu));
  }

  po.flow_starts = 0;
  CHECK(phase_portrait(setup, fixed, {}, po).velocity_field.empty());
  po.alpha_min = 1;
  CHECK_THROWS_AS(phase_portrait(setup, fixed, {}, po), InputError);
  fs::remove(file);
}

TEST_CASE("formats: nullclines.csv has a row per point, trajectory.csv a row per sample", "[short]") {
  TwoMemoryParameters p;
  NullclineOptions no;
  no.alpha_min = 0, no.alpha_cells = no.ell_cells = 60;
  const Nullclines n = compute_nullclines(p, no);
  std::size_t points = 0;
  for (const auto* lines : {&n.memory, &n.label})
    for (const auto& l : *lines) points += l.points.size();
  const std::string csv = nullclines_csv(n);
  CHECK(csv.rfind("curve,nullcline,on_bound,point,alpha,ell\n", 0) == 0);
  CHECK(count_lines(csv) == int(points) + 1);
  CHECK(nullclines_json(n)["memory"].size() == n.memory.size());
  CHECK(nullclines_summary_json(n)["label_curves"] == n.label.size());

  TrajectoryOptions to;
  to.t_max = 1;
  const auto t = integrate_two_memory(p, 0.4, 0.1, to);
  const std::string tc = trajectory_csv(t, 0.005);
  CHECK(tc.rfind("t,epoch,alpha,ell\n", 0) == 0);
  CHECK(count_lines(tc) == int(t.times.size()) + 1);
  std::istringstream rows(tc);
  std::string header, first;
  std::getline(rows, header);
  std::getline(rows, first);
  CHECK(first.rfind("0,0,0.4,0.1", 0) == 0);
}
