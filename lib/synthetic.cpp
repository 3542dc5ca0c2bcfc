#include "lib/synthetic.hpp"

#include <fmt/format.h>

#include <array>
#include <random>

#include "lib/errors.hpp"

namespace waddington {

bool SyntheticDigitsOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) { if (why) *why = std::move(message); return false; };
  if (per_class < 1 || per_class > 100000) return bad(fmt::format("synthetic per-class count {} must be in 1..100000", per_class));
  if (num_classes < 1 || num_classes > 10) return bad(fmt::format("synthetic digits: {} classes, must be 1..10", num_classes));
  if (side < 12 || side > 256) return bad(fmt::format("synthetic image side {} must be in 12..256", side));
  if (max_shift < 0 || max_shift > side / 6) return bad(fmt::format("synthetic shift {} must be in 0..{}", max_shift, side / 6));
  if (!(flip_probability >= 0 && flip_probability <= 0.5)) return bad("synthetic flip probability must be in [0, 0.5]");
  return true;
}

nlohmann::json SyntheticDigitsOptions::ToJson() const {
  return {{"per_class", per_class}, {"num_classes", num_classes}, {"side", side},
          {"max_shift", max_shift}, {"flip_probability", flip_probability}, {"seed", seed}};
}

namespace {

// Segments a (top), b (top right), c (bottom right), d (bottom), e (bottom left), f (top left), g (middle).
constexpr std::array<const char*, 10> kSegments = {"abcdef", "bc", "abdeg", "abcdg", "bcfg",
                                                   "acdfg", "acdefg", "abc", "abcdefg", "abcdfg"};

// Whether pixel (row, col) of a side x side grid lies on a stroke of `digit`.
bool on_stroke(int digit, int side, int row, int col) {
  const int thick = std::max(1, side / 10);
  const int top = side / 7, bottom = side - 1 - side / 7, middle = side / 2;
  const int left = side / 3 - thick / 2, right = side - 1 - side / 3 + thick / 2;
  const bool in_x = col >= left && col <= right, in_upper = row >= top && row <= middle,
             in_lower = row >= middle && row <= bottom;
  auto near = [&](int a, int b) { return a >= b - thick / 2 && a <= b + (thick - 1) / 2; };
  for (const char* s = kSegments[std::size_t(digit)]; *s; ++s) {
    switch (*s) {
      case 'a': if (near(row, top) && in_x) return true; break;
      case 'd': if (near(row, bottom) && in_x) return true; break;
      case 'g': if (near(row, middle) && in_x) return true; break;
      case 'b': if (near(col, right) && in_upper) return true; break;
      case 'c': if (near(col, right) && in_lower) return true; break;
      case 'e': if (near(col, left) && in_lower) return true; break;
      case 'f': if (near(col, left) && in_upper) return true; break;
    }
  }
  return false;
}

}  // namespace

Dataset synthetic_digits(const SyntheticDigitsOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<int> shift(-options.max_shift, options.max_shift);
  std::bernoulli_distribution flip(options.flip_probability);
  const int side = options.side;
  Dataset data;
  data.num_classes = 10;
  data.images.resize(Eigen::Index(options.per_class) * options.num_classes, Eigen::Index(side) * side);
  for (int digit = 0; digit < options.num_classes; ++digit) {
    for (int k = 0; k < options.per_class; ++k) {
      const Eigen::Index row = Eigen::Index(digit) * options.per_class + k;
      const int dy = shift(rng), dx = shift(rng);
      for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
          const bool stroke = on_stroke(digit, side, y - dy, x - dx) != flip(rng);
          data.images(row, Eigen::Index(y) * side + x) = stroke ? 1.0 : -1.0;
        }
      data.labels.push_back(digit);
      data.source_rows.push_back(row);
    }
  }
  return data;
}

}  // namespace waddington
