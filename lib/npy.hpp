#pragma once
// NumPy .npy files: a reader for v1/v2/v3 headers (little-endian float64,
// float32, uint8, int64; C order) and a float64 writer.
#include <Eigen/Dense>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace waddington {

enum class NpyDtype { kFloat64, kFloat32, kUint8, kInt64 };
std::string ToString(NpyDtype dtype);
bool FromString(const std::string& text, NpyDtype* dtype);

// The contents of an .npy file, values widened to double, in C order.
struct NpyArray {
  NpyDtype dtype = NpyDtype::kFloat64;  // as stored in the file
  std::vector<std::size_t> shape;
  std::vector<double> values;
  std::size_t size() const { return values.size(); }
};

// Reads an .npy file. Every size claimed by the header is checked against the
// file's actual size before anything is allocated. Throws InputError naming the
// file and the problem.
NpyArray read_npy(const std::filesystem::path& file);

// Reads a 2-D .npy file as a matrix (rows first, as write_npy writes it).
// Throws InputError when the file cannot be read or is not 2-D.
Eigen::MatrixXd read_npy_matrix(const std::filesystem::path& file);

// The bytes of a v1.0 .npy file holding `matrix` as a 2-D little-endian float64
// array in C order (rows first).
std::string npy_bytes(const Eigen::MatrixXd& matrix);

// Writes `matrix` as a 2-D float64 .npy file, atomically.
void write_npy(const std::filesystem::path& file, const Eigen::MatrixXd& matrix);

}  // namespace waddington
