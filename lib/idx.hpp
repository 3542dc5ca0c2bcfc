#pragma once
// MNIST IDX files (http://yann.lecun.com/exdb/mnist/), gzip-compressed or raw:
// unsigned-byte images (magic 2051) and labels (magic 2049).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace waddington {

struct IdxArray {
  std::vector<std::size_t> shape;    // e.g. {10000, 28, 28} or {10000}
  std::vector<std::uint8_t> values;  // C order
};

// Reads an IDX file holding unsigned bytes. gzip is detected from the first
// bytes. The data is read in chunks, so a header claiming more than the file
// holds fails with "truncated" instead of allocating. Throws InputError.
IdxArray read_idx(const std::filesystem::path& file);

}  // namespace waddington
