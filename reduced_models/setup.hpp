#pragma once
// The reduced model's parameters from what a user gives (docs/model.md §2): the dot
// products <A,A>, <A,B>, <B,B> themselves, or two rows A and B of an image
// file; the temperature T itself, or T_r = T / N with N the samples' length.
// Used by every reduced-model command and by anything that sets up a reduced
// model from data (a sweep, a comparison with the full network).
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

struct TwoMemorySetupOptions {
  // n, m, k, C, chart, same class; AA, AB, BB and num_pixels unless `images`
  // is given; T unless `rescaled_temperature` is set.
  TwoMemoryParameters parameters;
  // Image file (.npy or IDX, rows = samples, see load_images): when given, A
  // and B are its rows `rows[0]` and `rows[1]`, and AA, AB, BB and N are theirs.
  std::string images;
  std::array<int, 2> rows = {-1, -1};
  // T_r = T / N; when set, T = T_r N.
  std::optional<double> rescaled_temperature;
};

// The data and parameters of one reduced-model run.
struct TwoMemorySetup {
  TwoMemoryParameters parameters;  // validated
  Eigen::VectorXd A, B;            // the two samples (empty without images)
  int row_A = -1, row_B = -1;
  std::string images;
  // Side of the square sample images (28 for MNIST); 0 without samples or when N is not a square.
  int image_side() const;
  // The parameters as run, with T_eff, T_r and N, and the image file and rows when given.
  nlohmann::json ToJson() const;
};

// Loads the two samples when `images` is given, sets T from T_r when given and
// validates the parameters. Throws InputError with a one-line message.
TwoMemorySetup two_memory_setup(const TwoMemorySetupOptions& options);

}  // namespace waddington::reduced
