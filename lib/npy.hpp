#pragma once
// NumPy .npy files (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
// a reader for v1/v2/v3 headers (little-endian float64, float32, uint8, int64;
// C order) and a float64 writer.
#include <Eigen/Dense>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace waddington {

// Limits of the reader; a file beyond them is refused with an InputError.
// The header (the dict after the length field, padding included): NumPy's own
// default `max_header_size` (numpy.load, NumPy >= 1.24). Headers NumPy writes
// for the dtypes read here are under 200 bytes.
inline constexpr std::size_t kNpyMaxHeaderBytes = 10000;
// Dimensions of an array: NumPy 1.x's NPY_MAXDIMS (NumPy 2 allows 64).
inline constexpr std::size_t kNpyMaxDims = 32;
// A string in the header (keys, 'descr'); real ones are at most 13 bytes.
inline constexpr std::size_t kNpyMaxStringBytes = 256;

enum class NpyDtype { kFloat64, kFloat32, kUint8, kInt64 };
std::string ToString(NpyDtype dtype);
bool FromString(const std::string& text, NpyDtype* dtype);

// The contents of an .npy file, values widened to double, in C order.
struct NpyArray {
  NpyDtype dtype = NpyDtype::kFloat64;  // as stored in the file
  std::vector<std::size_t> shape;
  std::vector<double> values;
  // Oddities that did not stop the read (bytes after the data, which NumPy
  // ignores too), each a one-line message naming the file; the caller decides
  // whether to show them.
  std::vector<std::string> warnings;
  std::size_t size() const { return values.size(); }
};

// Reads an .npy file. The header is checked against the limits above and every
// size it claims against the file's actual size before anything is allocated.
// Throws InputError naming the file and the problem, on one line, with any
// text from the file escaped (see escape_for_message). Malformed shapes
// (negative, fractional, more than kNpyMaxDims entries), a 'fortran_order' that
// is not False, and other dtypes are errors, never read approximately.
NpyArray read_npy(const std::filesystem::path& file);

// Reads an .npy file held in memory (e.g. an entry of an .npz archive); `name`
// stands for the file in messages.
NpyArray read_npy_bytes(const std::string& bytes, const std::filesystem::path& name);

// Reads a 2-D .npy file as a matrix (rows first, as write_npy writes it).
// Throws InputError when the file cannot be read or is not 2-D.
Eigen::MatrixXd read_npy_matrix(const std::filesystem::path& file);

// The bytes of a v1.0 .npy file holding `matrix` as a 2-D little-endian float64
// array in C order (rows first).
std::string npy_bytes(const Eigen::MatrixXd& matrix);

// The bytes of a v1.0 .npy file holding prod(shape) float64 `values` in C
// order (last index fastest) with the given shape (at least one dimension).
std::string npy_bytes(const std::vector<std::size_t>& shape, const double* values);

// Writes `values` (C order) as an N-D float64 .npy file of `shape`, atomically.
// Throws std::invalid_argument when the sizes disagree (a programming error).
void write_npy(const std::filesystem::path& file, const std::vector<std::size_t>& shape, const std::vector<double>& values);

// The bytes of a v1.0 .npy file of any shape: `descr` is the NumPy type string
// ("<f8", "<i8", "|u1"), `data` holds the product of `shape` items of
// `item_size` bytes in C order.
std::string npy_bytes(const std::string& descr, const std::vector<std::size_t>& shape, const void* data,
                      std::size_t item_size);

// Writes `matrix` as a 2-D float64 .npy file, atomically.
void write_npy(const std::filesystem::path& file, const Eigen::MatrixXd& matrix);

}  // namespace waddington
