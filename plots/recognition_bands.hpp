#pragma once
// The paper's Figure 3C/F from plain data: the number of correctly recognised
// training samples of each digit against the epoch, as stacked coloured bands.
#include <filesystem>
#include <string>
#include <vector>

namespace waddington::plots {

struct RecognitionBandsData {
  std::string title;
  std::vector<int> epochs;                 // E, increasing
  std::vector<int> digits;                 // the digits drawn, bottom band first
  std::vector<std::vector<int>> correct;   // E x digits.size(): recognised samples of each digit
  int total_samples = 0;                   // the y range's top (0: the largest stack)
};

// Throws InputError for an unsupported extension or ragged data, EnvironmentError if gnuplot fails.
void plot_recognition_bands(const std::filesystem::path& output, const RecognitionBandsData& data);

}  // namespace waddington::plots
