// Malformed and hostile .npy and IDX files (issue 12, items 1-3): each case
// once crashed a reader, made it allocate or decompress what the header
// claimed, or was silently read as something else. Every error is checked
// word for word: one line, naming the file, echoing file content only escaped.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "io_test_files.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/idx.hpp"
#include "lib/npy.hpp"

using namespace waddington;
using namespace waddington::testing;
namespace fs = std::filesystem;

namespace {

const std::string kSixDoubles = raw(std::vector<double>{0.5, -1.0, 2.25, 3.0, -0.125, 7.0});

// The message of the InputError that `read` throws (a failed check when it throws none).
std::string input_error(const std::function<void()>& read) {
  try {
    read();
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL_CHECK("no InputError was thrown");
  return "";
}

bool one_printable_line(const std::string& message) {
  for (unsigned char c : message)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}

// The error read_npy gives for an .npy file (v1, or v2 when `version` says so)
// with this header dict and six doubles of data; the path is written as <f>.
std::string npy_error(const std::string& dict, int version = 1, const std::string& data = kSixDoubles) {
  const auto path = temp_path("malformed.npy");
  write_bytes(path, npy_file(version, dict, data));
  std::string message = input_error([&] { read_npy(path); });
  CHECK(one_printable_line(message));
  const std::string prefix = "'" + path.string() + "': ";
  if (message.rfind(prefix, 0) == 0) message.replace(0, prefix.size(), "<f>: ");
  return message;
}

std::string dict_with_shape(const std::string& shape) {
  return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("npy: headers that overflowed the regex parser's stack are refused by size", "[io][npy][malformed][short]") {
  // The three headers of the crash report, each about 100 KB (format 2.0: 4-byte length).
  std::string dims = "(";
  for (int i = 0; i < 30000; ++i) dims += "1, ";
  dims += ")";
  const std::string limit = "exceeds the limit of 10000 bytes (NumPy's default max_header_size)";
  CHECK_THAT(npy_error(dict_with_shape(dims), 2), Catch::EndsWith(limit));
  CHECK_THAT(npy_error("{'descr': '" + std::string(100000, 'f') + "', 'fortran_order': False, 'shape': (6,), }", 2),
             Catch::EndsWith(limit));
  CHECK_THAT(npy_error("{'descr': '<f8', 'fortran_order': False," + std::string(100000, ' ') + "'shape': (6,), }", 2),
             Catch::EndsWith(limit));
  CHECK(npy_error(dict_with_shape(dims), 2) == "<f>: npy header length 90100 exceeds the limit of 10000 bytes (NumPy's default max_header_size)");
}

TEST_CASE("npy: long runs inside the header limit are scanned in one pass", "[io][npy][malformed][short]") {
  // 9,000 spaces inside the shape tuple and Python 2 'L' suffixes are valid.
  const auto spaced = temp_path("spaced.npy");
  write_bytes(spaced, npy_file(1, dict_with_shape("(2L," + std::string(9000, ' ') + "3L)"), kSixDoubles));
  CHECK(read_npy(spaced).shape == std::vector<std::size_t>{2, 3});
  // 32 dimensions are accepted, 33 are not.
  std::string d32 = "(", d33 = "(";
  for (int i = 0; i < 32; ++i) d32 += "1, ";
  for (int i = 0; i < 33; ++i) d33 += "1, ";
  const auto many = temp_path("many.npy");
  write_bytes(many, npy_file(1, dict_with_shape(d32 + ")"), raw(std::vector<double>{4.0})));
  CHECK(read_npy(many).shape.size() == 32);
  CHECK(npy_error(dict_with_shape(d33 + ")")) == "<f>: npy header: 'shape' has more than 32 dimensions");
  // Deep nesting and long strings are refused without recursion.
  CHECK(npy_error(dict_with_shape(std::string(5000, '('))) ==
        "<f>: npy header: shape entry '" + std::string(64, '(') + "...(4999 bytes)' is not an integer");
  CHECK(npy_error("{'descr': '" + std::string(300, 'f') + "', 'fortran_order': False, 'shape': (6,), }") ==
        "<f>: npy header: string starting at byte 10 is longer than 256 bytes");
}

TEST_CASE("npy: malformed shapes, orders and dtypes are errors, not guesses", "[io][npy][malformed][short]") {
  // Read as (3, 4) and as two dimensions (784, 9) by the regex parser.
  CHECK(npy_error(dict_with_shape("(-3, 2)")) == "<f>: npy header: shape entry -3 is negative");
  CHECK(npy_error(dict_with_shape("(784.9,)")) == "<f>: npy header: shape entry '784.9' is not an integer");
  CHECK(npy_error(dict_with_shape("(6)")) == "<f>: npy header: 'shape' (6) is not a tuple (a 1-D shape is written (6,))");
  CHECK(npy_error(dict_with_shape("6")) == "<f>: npy header: 'shape' must be a tuple such as (200, 784), not '6'");
  CHECK(npy_error(dict_with_shape("(99999999999999999999,)")) == "<f>: npy header: shape entry 99999999999999999999 is too large");
  CHECK(npy_error(dict_with_shape("(2,,3)")) == "<f>: npy header: expected a value but found ',' at byte 53");
  // Fortran order: True is unsupported, 1 (read as C order before) is not a bool.
  CHECK(npy_error("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }") ==
        "<f>: Fortran-order npy arrays are not supported (save with C order)");
  CHECK(npy_error("{'descr': '<f8', 'fortran_order': 1, 'shape': (2, 3), }") ==
        "<f>: npy header: 'fortran_order' must be True or False, not '1'");
  // Keys: all three, once each, nothing else.
  CHECK(npy_error("{'descr': '<f8', 'shape': (2, 3), }") == "<f>: npy header: no 'fortran_order'");
  CHECK(npy_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'shape': (6,)}") ==
        "<f>: npy header: key 'shape' appears twice");
  CHECK(npy_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'x\\ny': 1}") ==
        "<f>: npy header: escape sequence in the string starting at byte 58 (not supported)");
  CHECK(npy_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)} junk") ==
        "<f>: npy header: unexpected 'j' at byte 58 after the closing '}'");
  // A dtype holding a newline or other bytes: still one line, content escaped.
  CHECK(npy_error("{'descr': '<f\n8', 'fortran_order': False, 'shape': (2, 3), }") ==
        "<f>: npy header: unterminated string starting at byte 10");
  CHECK(npy_error("{'descr': '<f\x01\xff\t', 'fortran_order': False, 'shape': (2, 3), }") ==
        "<f>: unsupported npy dtype '<f\\x01\\xff\\t' (expected little-endian float64, float32, uint8 or int64)");
  CHECK(npy_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'note\n': 1}") ==
        "<f>: npy header: unterminated string starting at byte 58");
  // The path itself is escaped.
  const auto odd_name = temp_path("line\nbreak.npy");
  write_bytes(odd_name, npy_file(1, dict_with_shape("(-1,)"), ""));
  const std::string message = input_error([&] { read_npy(odd_name); });
  CHECK(one_printable_line(message));
  CHECK_THAT(message, Catch::Contains("line\\nbreak.npy"));
}

TEST_CASE("npy: what NumPy writes and tolerates still reads", "[io][npy][malformed][short]") {
  const auto path = temp_path("variants.npy");
  // Double quotes, any key order, no trailing comma.
  write_bytes(path, npy_file(3, R"({"shape": (6,), "fortran_order": False, "descr": "<f8"})", kSixDoubles));
  CHECK(read_npy(path).values[2] == 2.25);
  // A 0-d array holds one value.
  write_bytes(path, npy_file(1, dict_with_shape("()"), kSixDoubles.substr(0, 8)));
  CHECK(read_npy(path).values == std::vector<double>{0.5});
  // Bytes after the data: NumPy ignores them; a warning, passed on by load_images.
  write_bytes(path, npy_file(1, dict_with_shape("(2, 3)"), kSixDoubles + "12345678"));
  const NpyArray array = read_npy(path);
  CHECK(array.values.size() == 6);
  REQUIRE(array.warnings.size() == 1);
  CHECK(array.warnings[0] == "'" + path.string() + "': 8 bytes after the npy array's 6 elements were ignored");
  std::vector<std::string> warnings;
  CHECK(load_images(path, &warnings).rows() == 2);
  CHECK(warnings == array.warnings);
  CHECK(load_images(path).cols() == 3);  // no list given: the warning is dropped, the load succeeds
}

TEST_CASE("IDX: a gzip bomb fails at once, before decompressing", "[io][idx][malformed][short]") {
  // A 1 KB file whose header claims 5,000,000 images of 28 x 28 (3.9 GB); it
  // decompressed for a minute and grew to 530 MB before.
  const auto bomb = temp_path("bomb.idx.gz");
  write_bytes(bomb, gzip(idx_file({5000000, 28, 28}, std::string(1 << 20, '\0'))));
  auto start = std::chrono::steady_clock::now();
  CHECK(input_error([&] { load_images(bomb); }) ==
        "'" + bomb.string() + "': IDX header claims 5000000 x 28 x 28 values, more than the limit of 1073741824");
  CHECK(seconds_since(start) < 1.0);
  // Under the limit but more than 1032 times the compressed size.
  write_bytes(bomb, gzip(idx_file({1000000, 28, 28}, std::string(1 << 20, '\0'))));
  const auto gz_size = fs::file_size(bomb);
  start = std::chrono::steady_clock::now();
  CHECK(input_error([&] { load_images(bomb); }) ==
        fmt::format("'{}': IDX header claims 1000000 x 28 x 28 = 784000000 values, more than a gzip file of {} bytes "
                    "can hold (at most 1032:1)", bomb.string(), gz_size));
  CHECK(seconds_since(start) < 1.0);
  // A raw file is checked against its size before any data is read.
  const auto raw_claim = temp_path("claim.idx");
  write_bytes(raw_claim, idx_file({500000, 28, 28}, std::string(1000, '\0')));
  CHECK(input_error([&] { load_images(raw_claim); }) ==
        "'" + raw_claim.string() + "': truncated IDX file: header claims 500000 x 28 x 28 = 392000000 values, file holds 1000");
  // The limit is a parameter.
  const auto small = temp_path("small.idx");
  write_bytes(small, idx_file({3, 2, 2}, std::string(12, '\x7f')));
  CHECK(read_idx(small, 12).values.size() == 12);
  CHECK(input_error([&] { read_idx(small, 11); }) ==
        "'" + small.string() + "': IDX header claims 3 x 2 x 2 values, more than the limit of 11");
}

TEST_CASE("IDX: wrong dimensions, negative sizes and trailing bytes are errors", "[io][idx][malformed][short]") {
  const std::string twelve(12, '\x7f');
  const auto path = temp_path("bad.idx"), gz_path = temp_path("bad.idx.gz");
  // Declared 2-D (read as 3 images of 4 pixels before): images need 3 dimensions.
  write_bytes(path, idx_file({3, 4}, twelve));
  CHECK(input_error([&] { load_images(path); }) ==
        "'" + path.string() + "': IDX images must have 3 dimensions (images, rows, columns), not 2");
  write_bytes(path, idx_file({12}, twelve));
  CHECK(input_error([&] { load_images(path); }) ==
        "'" + path.string() + "': IDX images must have 3 dimensions (images, rows, columns), not 1 (a label file?)");
  // A size with the sign bit set (-1 as the signed 32-bit integer IDX stores).
  write_bytes(path, idx_file({3, 0xffffffffu, 4}, twelve));
  CHECK(input_error([&] { load_images(path); }) ==
        "'" + path.string() + "': IDX size 4294967295 of dimension 1 is negative as a signed 32-bit integer");
  // Bytes after the array, raw and compressed (silently ignored before).
  write_bytes(path, idx_file({3, 2, 2}, twelve + "abc"));
  CHECK(input_error([&] { load_images(path); }) ==
        "'" + path.string() + "': 3 bytes after the IDX array of 3 x 2 x 2 values");
  write_bytes(gz_path, gzip(idx_file({3, 2, 2}, twelve + "abc")));
  CHECK(input_error([&] { load_images(gz_path); }) ==
        "'" + gz_path.string() + "': data after the IDX array of 3 x 2 x 2 values");
  write_bytes(gz_path, gzip(idx_file({12}, std::string(12, '\x03'))) + "x");  // after the gzip member
  CHECK_THROWS_AS(load_labels(gz_path.string(), 12), InputError);
  // A damaged gzip checksum is reported as such.
  std::string zipped = gzip(idx_file({3, 2, 2}, twelve));
  zipped[zipped.size() - 6] ^= 0x55;
  write_bytes(gz_path, zipped);
  CHECK(input_error([&] { load_images(gz_path); }) == "'" + gz_path.string() + "': corrupt gzip data (CRC-32 checksum mismatch)");
  // The valid forms still read.
  write_bytes(gz_path, gzip(idx_file({3, 2, 2}, twelve)));
  CHECK(load_images(gz_path).rows() == 3);
  write_bytes(path, idx_file({12}, std::string(12, '\x03')));
  CHECK(load_labels(path.string(), 12) == std::vector<int>(12, 3));
}
