#pragma once
// MNIST IDX files (http://yann.lecun.com/exdb/mnist/), gzip-compressed or raw:
// unsigned-byte images (magic 2051) and labels (magic 2049).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace waddington {

// Most values an IDX file may claim: 2^30 unsigned bytes (1.37 million 28x28
// images; MNIST's training set holds 47 million, EMNIST ByClass 547 million).
// Loaded as images each value becomes an 8-byte double.
inline constexpr std::uint64_t kIdxMaxValues = std::uint64_t(1) << 30;
// deflate's largest compression ratio (zlib's technical details: 1032:1): a
// gzip file of B bytes cannot decompress to more than 1032 * B bytes.
inline constexpr std::uint64_t kDeflateMaxRatio = 1032;

struct IdxArray {
  std::vector<std::size_t> shape;    // e.g. {10000, 28, 28} or {10000}
  std::vector<std::uint8_t> values;  // C order
};

// Reads an IDX file holding unsigned bytes; gzip is detected from the first
// bytes. Before any data is read, the size the header claims is checked
// against `max_values` and against what the file can hold: exactly the rest of
// the file when raw, at most kDeflateMaxRatio times the file size when
// compressed. The data is then read in chunks (memory grows with the data
// actually present) and the read stops at the first short read. Sizes that are
// negative as signed 32-bit integers, a truncated array and anything after the
// array are errors. Throws InputError naming the file and the problem.
IdxArray read_idx(const std::filesystem::path& file, std::uint64_t max_values = kIdxMaxValues);

}  // namespace waddington
