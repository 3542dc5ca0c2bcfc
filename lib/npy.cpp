#include "lib/npy.hpp"

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>

#include "lib/atomic_file.hpp"
#include "common/enum_names.hpp"
#include "lib/errors.hpp"

namespace waddington {
namespace fs = std::filesystem;
static_assert(std::endian::native == std::endian::little, "the .npy reader assumes a little-endian host");

namespace {
constexpr EnumName<NpyDtype> kDtypeNames[] = {{NpyDtype::kFloat64, "float64"}, {NpyDtype::kFloat32, "float32"},
                                              {NpyDtype::kUint8, "uint8"}, {NpyDtype::kInt64, "int64"}};
}  // namespace

std::string ToString(NpyDtype dtype) { return enum_to_string(kDtypeNames, dtype); }
bool FromString(const std::string& text, NpyDtype* dtype) { return enum_from_string(kDtypeNames, text, dtype); }

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMaxHeaderBytes = 1 << 20;

[[noreturn]] void fail(const fs::path& file, const std::string& problem) {
  throw InputError(fmt::format("'{}': {}", file.string(), problem));
}

std::pair<NpyDtype, std::size_t> parse_descr(const fs::path& file, const std::string& header) {
  std::smatch match;
  if (!std::regex_search(header, match, std::regex(R"('descr'\s*:\s*'([^']*)')")))
    fail(file, "npy header has no 'descr'");
  const std::string descr = match[1];
  if (descr == "<f8") return {NpyDtype::kFloat64, 8};
  if (descr == "<f4") return {NpyDtype::kFloat32, 4};
  if (descr == "|u1" || descr == "<u1") return {NpyDtype::kUint8, 1};
  if (descr == "<i8") return {NpyDtype::kInt64, 8};
  fail(file, fmt::format("unsupported npy dtype '{}' (expected little-endian float64, float32, uint8 or int64)", descr));
}

std::vector<std::size_t> parse_shape(const fs::path& file, const std::string& header) {
  std::smatch match;
  if (!std::regex_search(header, match, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
    fail(file, "npy header has no 'shape'");
  std::vector<std::size_t> shape;
  const std::string dims = match[1];
  const std::regex number(R"(\s*(\d+)\s*(L?)\s*,?)");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it) {
    const std::string digits = (*it)[1];
    if (digits.size() > 18) fail(file, fmt::format("npy shape entry {} is absurdly large", digits));
    shape.push_back(std::stoull(digits));
  }
  return shape;
}

// Number of elements, or max() on overflow.
std::size_t element_count(const std::vector<std::size_t>& shape) {
  std::size_t count = 1;
  for (std::size_t d : shape) {
    if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d) return std::numeric_limits<std::size_t>::max();
    count *= d;
  }
  return count;
}

}  // namespace

NpyArray read_npy(const fs::path& file) {
  std::error_code ec;
  const auto file_size = fs::file_size(file, ec);
  if (ec) fail(file, "cannot read file");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot open file");
  char preamble[8];
  if (!in.read(preamble, 8) || std::memcmp(preamble, kMagic, 6) != 0) fail(file, "not an .npy file (wrong magic)");
  const int major = static_cast<unsigned char>(preamble[6]);
  if (major < 1 || major > 3) fail(file, fmt::format("unsupported npy format version {}", major));
  std::uint32_t header_len = 0;
  unsigned char len_bytes[4] = {0, 0, 0, 0};
  const int len_size = major == 1 ? 2 : 4;
  if (!in.read(reinterpret_cast<char*>(len_bytes), len_size)) fail(file, "truncated npy header");
  for (int i = len_size - 1; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
  const std::size_t data_offset = 8 + std::size_t(len_size) + header_len;
  if (header_len > kMaxHeaderBytes || data_offset > file_size)
    fail(file, fmt::format("npy header length {} exceeds the file size", header_len));
  std::string header(header_len, '\0');
  if (!in.read(header.data(), header_len)) fail(file, "truncated npy header");

  NpyArray array;
  const auto [dtype, item_size] = parse_descr(file, header);
  array.dtype = dtype;
  if (std::regex_search(header, std::regex(R"('fortran_order'\s*:\s*True)")))
    fail(file, "Fortran-order npy arrays are not supported (save with C order)");
  array.shape = parse_shape(file, header);
  const std::size_t count = element_count(array.shape);
  const std::size_t available = (file_size - data_offset) / item_size;
  if (count > available)
    fail(file, fmt::format("npy header claims {} elements but the file holds only {}", count == SIZE_MAX ? std::string("too many") : std::to_string(count), available));

  std::vector<char> raw(count * item_size);
  if (!in.read(raw.data(), std::streamsize(raw.size()))) fail(file, "truncated npy data");
  array.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const char* p = raw.data() + i * item_size;
    switch (dtype) {
      case NpyDtype::kFloat64: { double v; std::memcpy(&v, p, 8); array.values[i] = v; break; }
      case NpyDtype::kFloat32: { float v; std::memcpy(&v, p, 4); array.values[i] = v; break; }
      case NpyDtype::kUint8: array.values[i] = static_cast<unsigned char>(*p); break;
      case NpyDtype::kInt64: { std::int64_t v; std::memcpy(&v, p, 8); array.values[i] = double(v); break; }
    }
  }
  return array;
}

std::string npy_bytes(const Eigen::MatrixXd& matrix) {
  std::string header = fmt::format("{{'descr': '<f8', 'fortran_order': False, 'shape': ({}, {}), }}",
                                   matrix.rows(), matrix.cols());
  // Pad with spaces so that magic + length + header + '\n' is a multiple of 64.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::string bytes(kMagic, 6);
  bytes.push_back('\x01');
  bytes.push_back('\x00');
  bytes.push_back(char(header.size() & 0xff));
  bytes.push_back(char(header.size() >> 8));
  bytes += header;
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = matrix;
  bytes.append(reinterpret_cast<const char*>(rows.data()), sizeof(double) * std::size_t(rows.size()));
  return bytes;
}

Eigen::MatrixXd read_npy_matrix(const fs::path& file) {
  const NpyArray array = read_npy(file);
  if (array.shape.size() != 2) fail(file, "expected a 2-D array");
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return Eigen::Map<const RowMajor>(array.values.data(), Eigen::Index(array.shape[0]), Eigen::Index(array.shape[1]));
}

void write_npy(const fs::path& file, const Eigen::MatrixXd& matrix) { write_file_atomic(file, npy_bytes(matrix)); }

}  // namespace waddington
