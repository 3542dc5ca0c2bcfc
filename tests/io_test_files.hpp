#pragma once
// Test files for the data readers, written byte by byte here, independently of
// the library's writers: .npy files with any header text, IDX files, gzip.
#include <unistd.h>

#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace waddington::testing {

// A fresh path in this process's temporary folder.
inline std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("waddington_test_io_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

// An .npy file of format `version` (1, 2 or 3) with the given header dict,
// padded as NumPy pads it, followed by `data`.
inline std::string npy_file(int version, const std::string& dict, const std::string& data) {
  std::string header = dict;
  const std::size_t prefix = version == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY", 6) + char(version) + '\0';
  const std::size_t len = header.size();
  bytes += char(len & 0xff);
  bytes += char((len >> 8) & 0xff);
  if (version > 1) bytes += std::string{char((len >> 16) & 0xff), char((len >> 24) & 0xff)};
  return bytes + header + data;
}

template <class T>
std::string raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

inline std::string big_endian(std::uint32_t v) {
  return std::string{char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}

// An IDX file of unsigned bytes with the given sizes (magic 0x0000 08 <dims>).
inline std::string idx_file(const std::vector<std::uint32_t>& sizes, const std::string& data) {
  std::string bytes = std::string("\0\0\x08", 3) + char(sizes.size());
  for (std::uint32_t s : sizes) bytes += big_endian(s);
  return bytes + data;
}

inline std::string idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                              const std::vector<std::uint8_t>& pixels) {
  return idx_file({count, rows, cols}, raw(pixels));
}

inline std::string gzip(const std::string& bytes) {
  std::ostringstream out;
  {
    boost::iostreams::filtering_ostream zip;
    zip.push(boost::iostreams::gzip_compressor());
    zip.push(out);
    zip.write(bytes.data(), std::streamsize(bytes.size()));
  }
  return out.str();
}

}  // namespace waddington::testing
