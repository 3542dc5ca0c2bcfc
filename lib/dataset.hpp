#pragma once
// Training data: images (rows = samples, pixels in [-1, 1] as in docs/model.md §1),
// class labels, and the selection of classes and samples per class.
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace waddington {

// Loads images as an S x N matrix of doubles (rows = samples) from
//  - .npy: float64/float32 as stored, uint8 scaled as x/255*2-1; shape (S,N),
//    (1,S,N) or (S,H,W) (flattened to N = H*W);
//  - IDX (gzip or raw, magic 2051, 3 dimensions S,H,W): uint8 scaled as x/255*2-1.
// Throws InputError naming the file and the problem (see read_npy, read_idx).
// Problems that do not stop the load (bytes after an .npy array) are appended
// to `*warnings` when given, for the caller to show; the library never prints.
Eigen::MatrixXd load_images(const std::filesystem::path& file, std::vector<std::string>* warnings = nullptr);

// Class labels, one per image row, each in 0..num_classes-1, from
//  - "blocks:K": rows come in consecutive blocks of K per class (0,1,2,...);
//  - an IDX label file (magic 2049) or a 1-D integer-valued .npy file.
// `num_samples` is the number of image rows the labels must match. Warnings as
// for load_images.
std::vector<int> load_labels(const std::string& source, Eigen::Index num_samples, int num_classes = 10,
                             std::vector<std::string>* warnings = nullptr);

// Which samples to train on.
struct SelectionOptions {
  // Classes to keep (each in 0..num_classes-1, no repeats); empty keeps all.
  std::vector<int> digits;
  // Samples kept per class: 0 keeps all; otherwise every kept class must have
  // at least this many.
  int per_class = 0;
  // false: the first `per_class` of each class in file order; true: a seeded
  // uniform random sample (kept in file order).
  bool random_sample = false;
  std::uint64_t seed = 1;
  int num_classes = 10;

  bool IsValid(std::string* why) const;
  // digits, per_class, sample ("first" or "random"), sample_seed, num_classes.
  nlohmann::json ToJson() const;
};

struct Dataset {
  Eigen::MatrixXd images;        // S x N, rows = samples
  std::vector<int> labels;       // S classes
  std::vector<Eigen::Index> source_rows;  // row of each sample in the original file
  int num_classes = 10;

  Eigen::Index num_samples() const { return images.rows(); }
  Eigen::Index num_pixels() const { return images.cols(); }
  // Number of samples of each class (num_classes entries).
  std::vector<int> class_counts() const;
};

// Selects samples according to `options`. Throws InputError when the options
// are invalid or a class has fewer than `per_class` samples.
Dataset select_samples(const Eigen::MatrixXd& images, const std::vector<int>& labels,
                       const SelectionOptions& options);

// Parses a list of integers and ranges, "0,1,4", "0:9" (A:B, ends included),
// "0:3000:100" (A:B:S, every S-th) or "1,3:5"; the older range "0-9" is still
// read. Throws InputError.
std::vector<int> parse_int_list(const std::string& text, const std::string& what);

}  // namespace waddington
