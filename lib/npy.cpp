#include "lib/npy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "lib/atomic_file.hpp"
#include "common/enum_names.hpp"
#include "lib/errors.hpp"
#include "lib/escape.hpp"
#include "lib/read_warnings.hpp"

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

[[noreturn]] void fail(const fs::path& file, const std::string& problem) {
  throw InputError(fmt::format("'{}': {}", escape_path_for_message(file.string()), problem));
}

// The header dict as written, before its values are interpreted.
struct NpyHeader {
  std::string descr;
  std::string fortran_order;  // the token as written; valid ones are True and False
  std::vector<std::size_t> shape;
};

// Reads the header dict, e.g. {'descr': '<f8', 'fortran_order': False, 'shape': (200, 784), },
// as the subset of Python literals NumPy writes: the three keys in any order,
// quoted with ' or ", optional trailing commas, whitespace between tokens, and
// the 'L' suffix of Python 2 integers. One pass, no recursion, no backtracking:
// work and memory are linear in the header, which is at most kNpyMaxHeaderBytes.
class HeaderScanner {
 public:
  HeaderScanner(const fs::path& file, std::string_view text) : file_(file), text_(text) {}

  NpyHeader scan() {
    NpyHeader header;
    bool has_descr = false, has_order = false, has_shape = false;
    skip_space();
    expect('{', "'{' opening the header dict");
    skip_space();
    while (peek() != '}') {
      const std::string_view key = string_literal("key");
      skip_space();
      expect(':', "':' after a key");
      skip_space();
      if (key == "descr") {
        seen(has_descr, key);
        header.descr = string_literal("'descr' value");
      } else if (key == "fortran_order") {
        seen(has_order, key);
        header.fortran_order = token();
      } else if (key == "shape") {
        seen(has_shape, key);
        header.shape = shape();
      } else {
        error(fmt::format("unexpected key '{}' (expected 'descr', 'fortran_order' and 'shape')", escape_for_message(key)));
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        skip_space();
      } else if (peek() != '}') {
        error(fmt::format("expected ',' or '}}' but found {}", here()));
      }
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) error(fmt::format("unexpected {} after the closing '}}'", here()));
    if (!has_descr) error("no 'descr'");
    if (!has_order) error("no 'fortran_order'");
    if (!has_shape) error("no 'shape'");
    return header;
  }

 private:
  static constexpr int kEnd = -1;
  static bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
  // A token ends at a delimiter of the dict or the tuple.
  static bool ends_token(int c) { return c == kEnd || is_space(c) || c == ',' || c == ')' || c == '}' || c == ':'; }

  int peek() const { return pos_ < text_.size() ? static_cast<unsigned char>(text_[pos_]) : kEnd; }
  void skip_space() {
    while (is_space(peek())) ++pos_;
  }

  [[noreturn]] void error(const std::string& problem) const { fail(file_, "npy header: " + problem); }

  // What is at the current position, for messages: "'x' at byte 12" or "the end of the header".
  std::string here() const {
    if (pos_ >= text_.size()) return "the end of the header";
    return fmt::format("'{}' at byte {}", escape_for_message(text_.substr(pos_, 1)), pos_);
  }

  void expect(char c, const char* what) {
    if (peek() != static_cast<unsigned char>(c)) error(fmt::format("expected {} but found {}", what, here()));
    ++pos_;
  }

  void seen(bool& flag, std::string_view key) const {
    if (flag) error(fmt::format("key '{}' appears twice", key));
    flag = true;
  }

  // A quoted string without escapes, at most kNpyMaxStringBytes long.
  std::string_view string_literal(const char* what) {
    const int quote = peek();
    if (quote != '\'' && quote != '"') error(fmt::format("expected a quoted {} but found {}", what, here()));
    const std::size_t start = ++pos_;
    for (;; ++pos_) {
      const int c = peek();
      if (c == quote) break;
      if (c == kEnd || c == '\n' || c == '\r') error(fmt::format("unterminated string starting at byte {}", start - 1));
      if (c == '\\') error(fmt::format("escape sequence in the string starting at byte {} (not supported)", start - 1));
      if (pos_ - start >= kNpyMaxStringBytes)
        error(fmt::format("string starting at byte {} is longer than {} bytes", start - 1, kNpyMaxStringBytes));
    }
    return text_.substr(start, pos_++ - start);
  }

  // A bare word or number: everything up to the next delimiter.
  std::string token() {
    const std::size_t start = pos_;
    while (!ends_token(peek())) ++pos_;
    if (pos_ == start) error(fmt::format("expected a value but found {}", here()));
    return std::string(text_.substr(start, pos_ - start));
  }

  // A tuple of non-negative integers: (), (N,), (N, M), ... with at most kNpyMaxDims entries.
  std::vector<std::size_t> shape() {
    if (peek() != '(') error(fmt::format("'shape' must be a tuple such as (200, 784), not '{}'", escape_for_message(token())));
    ++pos_;
    skip_space();
    std::vector<std::size_t> dims;
    bool comma = false;
    while (peek() != ')') {
      if (dims.size() == kNpyMaxDims) error(fmt::format("'shape' has more than {} dimensions", kNpyMaxDims));
      dims.push_back(dimension(token()));
      skip_space();
      comma = peek() == ',';
      if (comma) {
        ++pos_;
        skip_space();
      } else if (peek() != ')') {
        error(fmt::format("expected ',' or ')' in 'shape' but found {}", here()));
      }
    }
    ++pos_;
    if (dims.size() == 1 && !comma) error(fmt::format("'shape' ({}) is not a tuple (a 1-D shape is written ({},))", dims[0], dims[0]));
    return dims;
  }

  // One entry of the shape: decimal digits, optionally followed by Python 2's L.
  std::size_t dimension(std::string_view text) const {
    std::string_view digits = text;
    if (!digits.empty() && (digits.back() == 'L' || digits.back() == 'l')) digits.remove_suffix(1);
    const bool negative = !digits.empty() && digits.front() == '-';
    if (negative) digits.remove_prefix(1);
    const bool decimal = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    if (!decimal) error(fmt::format("shape entry '{}' is not an integer", escape_for_message(text)));
    if (negative && digits.find_first_not_of('0') != std::string_view::npos)
      error(fmt::format("shape entry {} is negative", escape_for_message(text)));
    // NumPy's dimensions are signed 64-bit (npy_intp).
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || value > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
      error(fmt::format("shape entry {} is too large", escape_for_message(text)));
    return std::size_t(value);
  }

  const fs::path& file_;
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::pair<NpyDtype, std::size_t> parse_descr(const fs::path& file, const std::string& descr) {
  if (descr == "<f8") return {NpyDtype::kFloat64, 8};
  if (descr == "<f4") return {NpyDtype::kFloat32, 4};
  if (descr == "|u1" || descr == "<u1") return {NpyDtype::kUint8, 1};
  if (descr == "<i8") return {NpyDtype::kInt64, 8};
  fail(file, fmt::format("unsupported npy dtype '{}' (expected little-endian float64, float32, uint8 or int64)",
                         escape_for_message(descr)));
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

namespace {
// The reader over any stream of `file_size` bytes; `file` names it in messages.
NpyArray read_npy_stream(std::istream& in, std::uintmax_t file_size, const fs::path& file) {
  char preamble[8];
  if (!in.read(preamble, 8) || std::memcmp(preamble, kMagic, 6) != 0) fail(file, "not an .npy file (wrong magic)");
  const int major = static_cast<unsigned char>(preamble[6]);
  if (major < 1 || major > 3) fail(file, fmt::format("unsupported npy format version {}", major));
  std::uint32_t header_len = 0;
  unsigned char len_bytes[4] = {0, 0, 0, 0};
  const int len_size = major == 1 ? 2 : 4;
  if (!in.read(reinterpret_cast<char*>(len_bytes), len_size)) fail(file, "truncated npy header");
  for (int i = len_size - 1; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
  if (header_len > kNpyMaxHeaderBytes)
    fail(file, fmt::format("npy header length {} exceeds the limit of {} bytes (NumPy's default max_header_size)",
                           header_len, kNpyMaxHeaderBytes));
  const std::size_t data_offset = 8 + std::size_t(len_size) + header_len;
  if (data_offset > file_size)
    fail(file, fmt::format("npy header length {} exceeds the file size ({} bytes)", header_len, file_size));
  std::string text(header_len, '\0');
  if (!in.read(text.data(), header_len)) fail(file, "truncated npy header");

  const NpyHeader header = HeaderScanner(file, text).scan();
  NpyArray array;
  const auto [dtype, item_size] = parse_descr(file, header.descr);
  array.dtype = dtype;
  if (header.fortran_order == "True") fail(file, "Fortran-order npy arrays are not supported (save with C order)");
  if (header.fortran_order != "False")
    fail(file, fmt::format("npy header: 'fortran_order' must be True or False, not '{}'",
                           escape_for_message(header.fortran_order)));
  array.shape = header.shape;
  const std::size_t count = element_count(array.shape);
  const std::size_t available = (file_size - data_offset) / item_size;
  if (count > available)
    fail(file, fmt::format("npy header claims {} elements but the file holds only {}",
                           count == SIZE_MAX ? std::string("too many") : std::to_string(count), available));
  if (const std::size_t extra = file_size - data_offset - count * item_size; extra > 0) {
    array.warnings.push_back(fmt::format("'{}': {} bytes after the npy array's {} elements were ignored",
                                         escape_path_for_message(file.string()), extra, count));
    note_read_warning(array.warnings.back());  // shown by the program (lib/read_warnings.hpp)
  }

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
}  // namespace

NpyArray read_npy(const fs::path& file) {
  std::error_code ec;
  const auto file_size = fs::file_size(file, ec);
  if (ec) fail(file, "cannot read file");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot open file");
  return read_npy_stream(in, file_size, file);
}

NpyArray read_npy_bytes(const std::string& bytes, const fs::path& name) {
  std::istringstream in(bytes);
  return read_npy_stream(in, bytes.size(), name);
}

std::string npy_bytes(const std::string& descr, const std::vector<std::size_t>& shape, const void* data,
                      std::size_t item_size) {
  std::string dims;
  for (std::size_t d : shape) dims += fmt::format("{}, ", d);
  if (!dims.empty()) dims.resize(dims.size() - (shape.size() > 1 ? 2 : 1));  // "(3,)" as NumPy writes it; "(2, 3)"
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", descr, dims);
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
  std::size_t count = 1;
  for (std::size_t d : shape) count *= d;
  bytes.append(static_cast<const char*>(data), item_size * count);
  return bytes;
}

std::string npy_bytes(const std::vector<std::size_t>& shape, const double* values) {
  return npy_bytes("<f8", shape, values, sizeof(double));
}

std::string npy_bytes(const Eigen::MatrixXd& matrix) {
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = matrix;
  return npy_bytes("<f8", {std::size_t(matrix.rows()), std::size_t(matrix.cols())}, rows.data(), sizeof(double));
}

Eigen::MatrixXd read_npy_matrix(const fs::path& file) {
  const NpyArray array = read_npy(file);
  if (array.shape.size() != 2) fail(file, "expected a 2-D array");
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return Eigen::Map<const RowMajor>(array.values.data(), Eigen::Index(array.shape[0]), Eigen::Index(array.shape[1]));
}

void write_npy(const fs::path& file, const Eigen::MatrixXd& matrix) { write_file_atomic(file, npy_bytes(matrix)); }

void write_npy(const fs::path& file, const std::vector<std::size_t>& shape, const std::vector<double>& values) {
  std::size_t count = 1;
  for (std::size_t d : shape) count *= d;
  if (shape.empty() || count != values.size())
    throw std::invalid_argument(fmt::format("write_npy: {} values do not fill the shape", values.size()));
  write_file_atomic(file, npy_bytes(shape, values.data()));
}

}  // namespace waddington
