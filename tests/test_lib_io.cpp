// Data I/O: .npy (v1/v2/v3 headers, dtypes, shapes), IDX (gzip and raw),
// labels (files and blocks:K), sample selection, and bad files. The test
// files are written byte by byte (io_test_files.hpp), independently of the
// library's writer. Malformed and hostile files: test_lib_io_malformed.cpp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/idx.hpp"
#include "lib/npy.hpp"
#include "io_test_files.hpp"
#include "test_support.hpp"

using namespace waddington;
using namespace waddington::testing;
namespace fs = std::filesystem;

TEST_CASE("npy reader: versions 1-3, dtypes and shapes", "[io][npy][short]") {
  const std::vector<double> values = {0.5, -1.0, 2.25, 3.0, -0.125, 7.0};
  for (int version : {1, 2, 3}) {
    const auto path = temp_path("v" + std::to_string(version) + ".npy");
    write_bytes(path, npy_file(version, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", raw(values)));
    const NpyArray array = read_npy(path);
    CHECK(array.dtype == NpyDtype::kFloat64);
    CHECK(array.shape == std::vector<std::size_t>{2, 3});
    CHECK(array.values == values);
  }
  const auto f4 = temp_path("f4.npy");
  write_bytes(f4, npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }",
                           raw(std::vector<float>{0.5f, -1.f, 2.25f, 3.f, -0.125f, 7.f})));
  const Eigen::MatrixXd images = load_images(f4);
  REQUIRE(images.rows() == 2);
  REQUIRE(images.cols() == 3);
  CHECK(images(0, 2) == 2.25);  // C order: row 0 is 0.5, -1, 2.25
  CHECK(images(1, 0) == 3.0);

  const auto u1 = temp_path("u1.npy");
  write_bytes(u1, npy_file(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }",
                           raw(std::vector<std::uint8_t>{0, 255, 51, 102})));
  const Eigen::MatrixXd scaled = load_images(u1);
  CHECK(scaled(0, 0) == -1.0);
  CHECK(scaled(0, 1) == 1.0);
  CHECK(scaled(1, 0) == Approx(51.0 / 255 * 2 - 1));

  const auto i8 = temp_path("i8.npy");
  write_bytes(i8, npy_file(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }",
                           raw(std::vector<std::int64_t>{3, 0, 9, 3})));
  CHECK(load_labels(i8.string(), 4) == std::vector<int>{3, 0, 9, 3});
}

TEST_CASE("npy writer round trip through the reader", "[io][npy][short]") {
  Eigen::MatrixXd m(3, 5);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j) m(i, j) = 10 * i + j + 0.25;
  const auto path = temp_path("round.npy");
  write_npy(path, m);
  const NpyArray array = read_npy(path);
  REQUIRE(array.shape == std::vector<std::size_t>{3, 5});
  CHECK(array.values[7] == m(1, 2));  // C order
  CHECK(load_images(path) == m);
  CHECK((fs::file_size(path) - 15 * 8) % 64 == 0);  // the header is padded to a multiple of 64 bytes
}

TEST_CASE("IDX images and labels, gzip and raw, match each other", "[io][idx][short]") {
  std::vector<std::uint8_t> pixels(3 * 2 * 2);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = std::uint8_t(i * 20);
  const std::string file = idx_images(3, 2, 2, pixels);
  const auto raw_path = temp_path("images.idx"), gz_path = temp_path("images.idx.gz");
  write_bytes(raw_path, file);
  write_bytes(gz_path, gzip(file));
  const Eigen::MatrixXd a = load_images(raw_path), b = load_images(gz_path);
  REQUIRE(a.rows() == 3);
  REQUIRE(a.cols() == 4);
  CHECK(a == b);
  CHECK(a(1, 3) == Approx(140.0 / 255 * 2 - 1));
  const auto labels_path = temp_path("labels.idx.gz");
  write_bytes(labels_path, gzip(std::string("\0\0\x08\x01", 4) + big_endian(3) + std::string{7, 0, 7}));
  CHECK(load_labels(labels_path.string(), 3) == std::vector<int>{7, 0, 7});
  CHECK_THROWS_AS(load_labels(labels_path.string(), 4), InputError);
}

TEST_CASE("bad files: one clear InputError, no huge allocation", "[io][bad][short]") {
  std::vector<std::uint8_t> pixels(10 * 28 * 28, 128);
  const std::string full = idx_images(10, 28, 28, pixels);
  const auto truncated = temp_path("truncated.idx"), truncated_gz = temp_path("truncated.idx.gz");
  write_bytes(truncated, full.substr(0, full.size() / 2));
  write_bytes(truncated_gz, gzip(full.substr(0, full.size() / 2)));
  CHECK_THROWS_WITH(load_images(truncated), Catch::Contains("truncated IDX"));
  CHECK_THROWS_WITH(load_images(truncated_gz), Catch::Contains("truncated IDX"));
  // A gzip stream cut in the middle.
  const std::string zipped = gzip(full);
  const auto cut_gz = temp_path("cut.gz");
  write_bytes(cut_gz, zipped.substr(0, zipped.size() / 2));
  CHECK_THROWS_AS(load_images(cut_gz), InputError);
  // An IDX header claiming 4e9 x 4e9 images.
  const auto huge_idx = temp_path("huge.idx");
  write_bytes(huge_idx, std::string("\0\0\x08\x03", 4) + big_endian(0xffffffff) + big_endian(0xffffffff) + big_endian(0xffff) + "abc");
  CHECK_THROWS_AS(load_images(huge_idx), InputError);

  const auto huge = temp_path("huge.npy");
  write_bytes(huge, npy_file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", raw(std::vector<double>(4, 1.0))));
  CHECK_THROWS_WITH(load_images(huge), Catch::Contains("claims 1000000000000 elements"));
  const auto overflow = temp_path("overflow.npy");
  write_bytes(overflow, npy_file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999, 99999999999), }", ""));
  CHECK_THROWS_AS(load_images(overflow), InputError);
  const auto long_header = temp_path("long_header.npy");
  write_bytes(long_header, std::string("\x93NUMPY\x02\x00\xff\xff\xff\x7f", 12) + "{}");
  CHECK_THROWS_WITH(load_images(long_header), Catch::Contains("header length"));

  const auto magic = temp_path("magic.bin");
  write_bytes(magic, "PK\x03\x04 not an image file at all");
  CHECK_THROWS_WITH(load_images(magic), Catch::Contains("wrong magic"));
  const auto fortran = temp_path("fortran.npy");
  write_bytes(fortran, npy_file(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", raw(std::vector<double>(4, 1.0))));
  CHECK_THROWS_WITH(load_images(fortran), Catch::Contains("Fortran"));
  const auto big_endian_npy = temp_path("be.npy");
  write_bytes(big_endian_npy, npy_file(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }", raw(std::vector<double>(4, 1.0))));
  CHECK_THROWS_WITH(load_images(big_endian_npy), Catch::Contains("unsupported npy dtype"));
  CHECK_THROWS_WITH(load_images(temp_path("absent.npy")), Catch::Contains("no such file"));
  // Every message names the file and is one line.
  try {
    load_images(huge);
  } catch (const InputError& e) {
    const std::string message = e.what();
    CHECK(message.find(huge.string()) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("labels from blocks:K and sample selection", "[io][select][short]") {
  CHECK(load_labels("blocks:2", 6) == std::vector<int>{0, 0, 1, 1, 2, 2});
  CHECK_THROWS_AS(load_labels("blocks:4", 6), InputError);   // not whole blocks
  CHECK_THROWS_AS(load_labels("blocks:1", 11), InputError);  // more than 10 classes
  CHECK_THROWS_AS(load_labels("blocks:x", 6), InputError);
  CHECK_THROWS_AS(load_labels("blocks:0", 6), InputError);

  const Eigen::Index s = 30;
  Eigen::MatrixXd images(s, 2);
  for (Eigen::Index i = 0; i < s; ++i) images.row(i) << double(i), -double(i);
  const std::vector<int> labels = load_labels("blocks:10", s);

  SelectionOptions first;
  first.digits = {2, 0};
  first.per_class = 3;
  const Dataset a = select_samples(images, labels, first);
  CHECK(a.source_rows == std::vector<Eigen::Index>{0, 1, 2, 20, 21, 22});
  CHECK(a.labels == std::vector<int>{0, 0, 0, 2, 2, 2});
  CHECK(a.images(3, 0) == 20.0);
  CHECK(a.class_counts()[2] == 3);

  SelectionOptions random = first;
  random.random_sample = true;
  random.seed = 7;
  const Dataset b = select_samples(images, labels, random), c = select_samples(images, labels, random);
  CHECK(b.source_rows == c.source_rows);  // seeded
  CHECK(b.source_rows != a.source_rows);
  for (std::size_t i = 0; i < b.source_rows.size(); ++i)
    CHECK(labels[std::size_t(b.source_rows[i])] == b.labels[i]);
  random.seed = 8;
  CHECK(select_samples(images, labels, random).source_rows != b.source_rows);

  SelectionOptions bad;
  bad.digits = {11};
  std::string why;
  CHECK_FALSE(bad.IsValid(&why));
  CHECK(why == "digit 11 is not a class in 0..9");
  bad.digits = {1, 1};
  CHECK_FALSE(bad.IsValid(&why));
  CHECK(SelectionOptions{}.IsValid(&why));
  SelectionOptions too_many;
  too_many.per_class = 11;
  CHECK_THROWS_WITH(select_samples(images, labels, too_many), Catch::Contains("class 0 has 10 samples"));

  CHECK(parse_int_list("1,3-5", "x") == std::vector<int>{1, 3, 4, 5});
  CHECK_THROWS_AS(parse_int_list("1,,2", "x"), InputError);
  CHECK_THROWS_AS(parse_int_list("5-1", "x"), InputError);
}

TEST_CASE("the real MNIST test set and paper200 load as documented", "[io][data][short]") {
  const auto images_file = waddington::testing::require_data("mnist/t10k-images-idx3-ubyte.gz");
  const Eigen::MatrixXd images = load_images(images_file);
  REQUIRE(images.rows() == 10000);
  REQUIRE(images.cols() == 784);
  CHECK(images.minCoeff() == -1.0);
  CHECK(images.maxCoeff() == 1.0);
  const auto labels = load_labels((waddington::testing::data_dir() / "mnist/t10k-labels-idx1-ubyte.gz").string(), 10000);
  Dataset all;
  all.labels = labels;
  CHECK(all.class_counts() == std::vector<int>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});

  const Eigen::MatrixXd paper = load_images(waddington::testing::require_data("paper200/paper200_images.npy"));
  REQUIRE(paper.rows() == 200);
  REQUIRE(paper.cols() == 784);
  CHECK(paper.row(21).squaredNorm() == Approx(753.2249).margin(1e-3));
  CHECK(paper.row(21).dot(paper.row(81)) == Approx(494.0239).margin(1e-3));
  CHECK(paper.row(81).squaredNorm() == Approx(719.7008).margin(1e-3));
}
