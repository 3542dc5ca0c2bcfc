#include "lib/dataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <random>
#include <set>

#include "lib/errors.hpp"
#include "lib/escape.hpp"
#include "lib/idx.hpp"
#include "lib/npy.hpp"

namespace waddington {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& problem) {
  throw InputError(fmt::format("'{}': {}", escape_path_for_message(file.string()), problem));
}

bool has_npy_magic(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[6] = {};
  in.read(magic, 6);
  return in && std::string(magic, 6) == "\x93NUMPY";
}

// Pixel scaling of docs/model.md §1: uint8 x -> x/255*2-1.
double scale_pixel(double x) { return x / 255.0 * 2.0 - 1.0; }

// Rows and columns of an image array stored in C order with the given shape.
std::pair<std::size_t, std::size_t> image_matrix_shape(const fs::path& file, const std::vector<std::size_t>& shape) {
  if (shape.size() == 2) return {shape[0], shape[1]};
  if (shape.size() == 3 && shape[0] == 1) return {shape[1], shape[2]};
  if (shape.size() == 3) return {shape[0], shape[1] * shape[2]};
  fail(file, fmt::format("images must have shape (S,N), (1,S,N) or (S,H,W), not {} dimensions", shape.size()));
}

Eigen::MatrixXd to_matrix(const fs::path& file, std::size_t rows, std::size_t cols, const double* values) {
  if (rows == 0 || cols == 0) fail(file, "the image array is empty");
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::MatrixXd images = Eigen::Map<const RowMajor>(values, Eigen::Index(rows), Eigen::Index(cols));
  if (!images.allFinite()) fail(file, "the images contain NaN or infinite values");
  return images;
}

std::vector<int> labels_from_blocks(const std::string& source, Eigen::Index num_samples, int num_classes) {
  long block = 0;
  try {
    std::size_t used = 0;
    block = std::stol(source.substr(7), &used);
    if (used != source.size() - 7) block = 0;
  } catch (const std::exception&) {
    block = 0;
  }
  if (block <= 0)
    throw InputError(fmt::format("labels '{}': expected blocks:K with K a positive integer", escape_for_message(source)));
  if (num_samples % block != 0 || num_samples / block > num_classes)
    throw InputError(fmt::format("labels '{}': {} image rows are not whole blocks of {} for at most {} classes",
                                 escape_for_message(source), num_samples, block, num_classes));
  std::vector<int> labels(static_cast<std::size_t>(num_samples));
  for (Eigen::Index i = 0; i < num_samples; ++i) labels[std::size_t(i)] = int(i / block);
  return labels;
}

// A uniform integer in [0, bound) from a 64-bit generator, identical on every platform.
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
  std::uint64_t x;
  do x = rng(); while (x >= limit);
  return x % bound;
}

// Appends `found` to `*warnings` when the caller asked for them.
void pass_on(std::vector<std::string>* warnings, const std::vector<std::string>& found) {
  if (warnings) warnings->insert(warnings->end(), found.begin(), found.end());
}

}  // namespace

Eigen::MatrixXd load_images(const fs::path& file, std::vector<std::string>* warnings) {
  if (!fs::is_regular_file(file)) fail(file, "no such file");
  if (has_npy_magic(file)) {
    const NpyArray array = read_npy(file);
    pass_on(warnings, array.warnings);
    const auto [rows, cols] = image_matrix_shape(file, array.shape);
    Eigen::MatrixXd images = to_matrix(file, rows, cols, array.values.data());
    if (array.dtype == NpyDtype::kUint8) images = images.unaryExpr(&scale_pixel);
    return images;
  }
  const IdxArray array = read_idx(file);
  if (array.shape.size() != 3)
    fail(file, fmt::format("IDX images must have 3 dimensions (images, rows, columns), not {}{}", array.shape.size(),
                           array.shape.size() == 1 ? " (a label file?)" : ""));
  const auto rows = Eigen::Index(array.shape[0]), cols = Eigen::Index(array.shape[1] * array.shape[2]);
  if (rows == 0 || cols == 0) fail(file, "the image array is empty");
  // Straight from bytes to scaled doubles: 8 bytes per pixel, no intermediate copies.
  using RowMajorBytes = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return Eigen::Map<const RowMajorBytes>(array.values.data(), rows, cols).cast<double>().unaryExpr(&scale_pixel);
}

std::vector<int> load_labels(const std::string& source, Eigen::Index num_samples, int num_classes,
                             std::vector<std::string>* warnings) {
  if (source.rfind("blocks:", 0) == 0) return labels_from_blocks(source, num_samples, num_classes);
  const fs::path file = source;
  if (!fs::is_regular_file(file)) fail(file, "no such file");
  std::vector<double> values;
  if (has_npy_magic(file)) {
    NpyArray array = read_npy(file);
    pass_on(warnings, array.warnings);
    if (array.shape.size() != 1 && !(array.shape.size() == 2 && (array.shape[0] == 1 || array.shape[1] == 1)))
      fail(file, "labels must be a 1-D array");
    values = std::move(array.values);
  } else {
    const IdxArray array = read_idx(file);
    if (array.shape.size() != 1) fail(file, "IDX label file must have 1 dimension");
    values.assign(array.values.begin(), array.values.end());
  }
  if (Eigen::Index(values.size()) != num_samples)
    fail(file, fmt::format("{} labels for {} images", values.size(), num_samples));
  std::vector<int> labels(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!(v >= 0 && v < num_classes && v == std::floor(v)))
      fail(file, fmt::format("label {} of sample {} is not a class in 0..{}", v, i, num_classes - 1));
    labels[i] = int(v);
  }
  return labels;
}

bool SelectionOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) { if (why) *why = std::move(message); return false; };
  if (num_classes < 1) return bad("the number of classes must be positive");
  std::set<int> seen;
  for (int d : digits) {
    if (d < 0 || d >= num_classes) return bad(fmt::format("digit {} is not a class in 0..{}", d, num_classes - 1));
    if (!seen.insert(d).second) return bad(fmt::format("digit {} is listed twice", d));
  }
  if (per_class < 0) return bad(fmt::format("per-class count {} is negative", per_class));
  return true;
}

nlohmann::json SelectionOptions::ToJson() const {
  return {{"digits", digits}, {"per_class", per_class}, {"sample", random_sample ? "random" : "first"},
          {"sample_seed", seed}, {"num_classes", num_classes}};
}

std::vector<int> Dataset::class_counts() const {
  std::vector<int> counts(std::size_t(num_classes), 0);
  for (int y : labels) ++counts[std::size_t(y)];
  return counts;
}

Dataset select_samples(const Eigen::MatrixXd& images, const std::vector<int>& labels, const SelectionOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  if (Eigen::Index(labels.size()) != images.rows())
    throw InputError(fmt::format("{} labels for {} images", labels.size(), images.rows()));
  std::vector<int> digits = options.digits;
  if (digits.empty())
    for (int d = 0; d < options.num_classes; ++d) digits.push_back(d);
  std::vector<std::vector<Eigen::Index>> by_class(std::size_t(options.num_classes));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || labels[i] >= options.num_classes)
      throw InputError(fmt::format("label {} of sample {} is not a class in 0..{}", labels[i], i, options.num_classes - 1));
    by_class[std::size_t(labels[i])].push_back(Eigen::Index(i));
  }
  std::mt19937_64 rng(options.seed);
  std::vector<Eigen::Index> chosen;
  for (int d : digits) {
    auto rows = by_class[std::size_t(d)];
    const std::size_t k = options.per_class == 0 ? rows.size() : std::size_t(options.per_class);
    if (rows.size() < k || rows.empty())
      throw InputError(fmt::format("class {} has {} samples, {} requested", d, rows.size(), std::max<std::size_t>(k, 1)));
    if (options.random_sample)  // partial Fisher-Yates: the first k become a uniform sample
      for (std::size_t i = 0; i < k; ++i) std::swap(rows[i], rows[i + uniform_below(rng, rows.size() - i)]);
    chosen.insert(chosen.end(), rows.begin(), rows.begin() + std::ptrdiff_t(k));
  }
  std::sort(chosen.begin(), chosen.end());
  Dataset out;
  out.num_classes = options.num_classes;
  out.images.resize(Eigen::Index(chosen.size()), images.cols());
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    out.images.row(Eigen::Index(i)) = images.row(chosen[i]);
    out.labels.push_back(labels[std::size_t(chosen[i])]);
  }
  out.source_rows = std::move(chosen);
  return out;
}

std::vector<int> parse_int_list(const std::string& text, const std::string& what) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const auto bad = [&] {
      return InputError(fmt::format("{}: cannot read '{}' (expected a list like 0,1,4, a range A:B or A:B:S)", what,
                                   escape_for_message(item)));
    };
    const auto whole = [](const std::string& s, int* v) {
      char extra = 0;
      return std::sscanf(s.c_str(), "%d%c", v, &extra) == 1;
    };
    int lo = 0, hi = 0, step = 1;
    if (item.find(':') != std::string::npos) {  // A:B or A:B:S, the range syntax of every option
      std::vector<std::string> parts;
      for (std::size_t from = 0;;) {
        const std::size_t colon = item.find(':', from);
        parts.push_back(item.substr(from, colon == std::string::npos ? colon : colon - from));
        if (colon == std::string::npos) break;
        from = colon + 1;
      }
      if (parts.size() > 3 || !whole(parts[0], &lo) || !whole(parts[1], &hi) || (parts.size() == 3 && !whole(parts[2], &step)))
        throw bad();
      if (!(lo <= hi && step > 0 && ((long long)hi - lo) / step < 1000000)) throw bad();
      for (long long v = lo; v <= hi; v += step) out.push_back(int(v));
    } else if (whole(item, &lo)) {
      out.push_back(lo);
    } else {
      // A-B, the older range spelling, still read.
      char dash = 0, extra = 0;
      if (!(std::sscanf(item.c_str(), "%d%c%d%c", &lo, &dash, &hi, &extra) == 3 && dash == '-' && lo <= hi &&
            (long long)hi - lo < 1000000))
        throw bad();
      for (int v = lo; v <= hi; ++v) out.push_back(v);
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace waddington
