#pragma once
// Synthetic +-1 "digits", so that the trainer runs without any data file:
// seven-segment digit shapes (+1 strokes on a -1 background) on a square
// grid, each sample randomly shifted and with a fraction of pixels flipped.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "lib/dataset.hpp"

namespace waddington {

struct SyntheticDigitsOptions {
  int per_class = 20;            // samples of each digit
  int num_classes = 10;          // digits 0..num_classes-1 (at most 10)
  int side = 28;                 // images are side x side, N = side^2 (at least 12)
  int max_shift = 2;             // each sample is shifted by up to this many pixels in x and y
  double flip_probability = 0.05;  // probability that a pixel is flipped
  std::uint64_t seed = 1;

  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const;
};

// Samples come in consecutive blocks of `per_class` per digit (like paper200).
// Throws InputError when the options are invalid.
Dataset synthetic_digits(const SyntheticDigitsOptions& options);

}  // namespace waddington
