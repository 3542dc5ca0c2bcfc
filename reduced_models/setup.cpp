#include "reduced_models/setup.hpp"

#include <fmt/format.h>

#include <cmath>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/network.hpp"

namespace waddington::reduced {

int TwoMemorySetup::image_side() const {
  const int side = int(std::lround(std::sqrt(double(A.size()))));
  return A.size() > 0 && Eigen::Index(side) * side == A.size() ? side : 0;
}

nlohmann::json TwoMemorySetup::ToJson() const {
  const auto& p = parameters;
  nlohmann::json j = {{"AA", p.AA}, {"AB", p.AB}, {"BB", p.BB}, {"n", p.n}, {"m", p.cost_power()},
                      {"m_follows_n", !p.m.has_value()}, {"T", p.T}, {"T_eff", p.effective_temperature()},
                      {"Tr", p.rescaled_temperature()}, {"N", p.num_pixels},
                      {"memories_identical", p.identical_memories}, {"classes", p.classes}, {"chart", p.chart},
                      {"same_class", p.same_class}};
  if (!images.empty()) j["images"] = images, j["pair"] = {row_A, row_B};
  return j;
}

TwoMemorySetup two_memory_setup(const TwoMemorySetupOptions& options) {
  TwoMemorySetup s;
  s.parameters = options.parameters;
  if (!options.images.empty()) {
    const Eigen::MatrixXd images = load_images(options.images);
    const auto [i, j] = options.rows;
    for (int r : {i, j})
      if (r < 0 || r >= images.rows())
        throw InputError(fmt::format("--pair: index {} out of range: '{}' has {} images (0..{})", r, options.images,
                                     images.rows(), images.rows() - 1));
    if (i == j) throw InputError(fmt::format("--pair '{},{}': A and B must be different rows", i, j));
    s.A = images.row(i).transpose(), s.B = images.row(j).transpose();
    s.row_A = i, s.row_B = j;
    s.images = options.images;
    s.parameters = with_samples(s.parameters, s.A, s.B);
  }
  if (options.rescaled_temperature)
    s.parameters.T = temperature_from_rescaled(*options.rescaled_temperature, s.parameters.num_pixels);
  s.parameters.Validate();
  return s;
}

}  // namespace waddington::reduced
