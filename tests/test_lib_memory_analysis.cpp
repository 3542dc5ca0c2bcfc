// Memories in the sample basis (docs/model.md §1.2), against memories built from
// known coefficients and against a pseudo-inverse computed by SVD.
#include <catch2/catch.hpp>

#include <cmath>

#include "lib/errors.hpp"
#include "lib/memory_analysis.hpp"
#include "lib/synthetic.hpp"

using namespace waddington;

TEST_CASE("alpha recovers known coefficients and matches the SVD pseudo-inverse", "[memory_analysis][short]") {
  SyntheticDigitsOptions synthetic;
  synthetic.per_class = 2;
  synthetic.flip_probability = 0.2;  // 20 samples of 784 pixels, linearly independent
  const Dataset data = synthetic_digits(synthetic);
  Eigen::MatrixXd alpha_true = Eigen::MatrixXd::Zero(3, 20);
  alpha_true(0, 4) = 1.0;                               // a pure prototype: sample 4 (a "2")
  alpha_true(1, 0) = 0.5, alpha_true(1, 1) = 0.5;       // a mixture of the two "0"s
  alpha_true.row(2) = Eigen::RowVectorXd::LinSpaced(20, -0.1, 0.3);  // spread over everything
  Eigen::MatrixXd memories = alpha_true * data.images;
  const MemoryAnalysis a = analyze_memories(memories, data);
  CHECK((a.alpha - alpha_true).cwiseAbs().maxCoeff() < 1e-10);
  const Eigen::MatrixXd pinv = data.images.jacobiSvd(Eigen::ComputeThinU | Eigen::ComputeThinV).solve(
      Eigen::MatrixXd::Identity(20, 20));  // X^+ (N x S) by SVD
  CHECK((a.alpha - memories * pinv).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(a.alpha_by_class(0, 2) == Approx(1.0));
  CHECK(a.alpha_by_class(1, 0) == Approx(1.0));
  CHECK(a.alpha_by_class(1, 1) == Approx(0.0).margin(1e-10));
  CHECK(a.max_alpha(0) == Approx(1.0));
  CHECK(a.samples_to_reconstruct[0] == 1);
  CHECK(a.samples_to_reconstruct[1] == 2);
  CHECK(a.samples_to_reconstruct[2] > 10);
  CHECK(a.span_residual.maxCoeff() < 1e-10);
  CHECK(a.mean_max_alpha == Approx((1.0 + 0.5 + 0.3) / 3));
  CHECK(a.reconstructible == 3);
  CHECK(a.mean_samples_to_reconstruct == Approx((1.0 + 2.0 + a.samples_to_reconstruct[2]) / 3));

  // A component orthogonal to every sample is not reconstructible.
  Eigen::VectorXd outside = Eigen::VectorXd::Random(784);
  outside -= data.images.transpose() * data.images.transpose().colPivHouseholderQr().solve(outside);
  memories.row(2) = outside.transpose();
  const MemoryAnalysis b = analyze_memories(memories, data);
  CHECK(b.span_residual(2) == Approx(1.0));
  CHECK(b.samples_to_reconstruct[2] == -1);
  CHECK(b.reconstructible == 2);
  CHECK(b.mean_samples_to_reconstruct == Approx(1.5));  // over the two reconstructible memories only

  // No memory reconstructible: no mean (NaN), never 0, which would read as perfect prototypes.
  const Eigen::MatrixXd unreachable = outside.transpose().replicate(2, 1);
  const MemoryAnalysis c = analyze_memories(unreachable, data);
  CHECK(c.reconstructible == 0);
  CHECK(std::isnan(c.mean_samples_to_reconstruct));
  CHECK_THROWS_AS(analyze_memories(memories, data, {.tolerance = 0}), InputError);
  CHECK_THROWS_AS(analyze_memories(Eigen::MatrixXd::Zero(2, 5), data), InputError);
}
