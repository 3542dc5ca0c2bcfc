#include "lib/idx.hpp"

#include <fmt/format.h>

#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <fstream>
#include <limits>

#include "lib/errors.hpp"

namespace waddington {
namespace fs = std::filesystem;
namespace io = boost::iostreams;

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& problem) {
  throw InputError(fmt::format("'{}': {}", file.string(), problem));
}

bool is_gzip(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in && magic[0] == 0x1f && magic[1] == 0x8b;
}

// Reads exactly `count` bytes unless the stream ends; returns how many were read.
std::size_t read_some(std::istream& in, char* out, std::size_t count) {
  in.read(out, std::streamsize(count));
  return std::size_t(in.gcount());
}

IdxArray parse(const fs::path& file, std::istream& in) {
  unsigned char magic[4];
  if (read_some(in, reinterpret_cast<char*>(magic), 4) != 4) fail(file, "truncated IDX header");
  if (magic[0] != 0 || magic[1] != 0) fail(file, "not an IDX file (wrong magic)");
  if (magic[2] != 0x08) fail(file, fmt::format("IDX element type 0x{:02x} is not unsigned byte", magic[2]));
  const int dims = magic[3];
  if (dims < 1 || dims > 4) fail(file, fmt::format("IDX file with {} dimensions is not supported", dims));
  IdxArray array;
  std::size_t count = 1;
  for (int d = 0; d < dims; ++d) {
    unsigned char b[4];
    if (read_some(in, reinterpret_cast<char*>(b), 4) != 4) fail(file, "truncated IDX header");
    const std::size_t size = (std::size_t(b[0]) << 24) | (std::size_t(b[1]) << 16) | (std::size_t(b[2]) << 8) | b[3];
    array.shape.push_back(size);
    if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) fail(file, "IDX dimensions overflow");
    count *= size;
  }
  // Chunked read: memory grows with the data actually present, never with the claim.
  constexpr std::size_t kChunk = 1 << 20;
  while (array.values.size() < count) {
    const std::size_t want = std::min(kChunk, count - array.values.size());
    const std::size_t old = array.values.size();
    array.values.resize(old + want);
    const std::size_t got = read_some(in, reinterpret_cast<char*>(array.values.data() + old), want);
    if (got < want)
      fail(file, fmt::format("truncated IDX file: header claims {} values, file holds {}", count, old + got));
  }
  return array;
}

}  // namespace

IdxArray read_idx(const fs::path& file) {
  std::ifstream raw(file, std::ios::binary);
  if (!raw) fail(file, "cannot open file");
  try {
    if (!is_gzip(file)) return parse(file, raw);
    io::filtering_istream in;
    in.push(io::gzip_decompressor());
    in.push(raw);
    return parse(file, in);
  } catch (const io::gzip_error& e) {
    fail(file, fmt::format("corrupt gzip data ({})", e.what()));
  } catch (const std::ios_base::failure& e) {
    fail(file, fmt::format("read error ({})", e.what()));
  }
}

}  // namespace waddington
