#include "lib/idx.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <algorithm>
#include <fstream>
#include <limits>

#include "lib/errors.hpp"
#include "lib/escape.hpp"

namespace waddington {
namespace fs = std::filesystem;
namespace io = boost::iostreams;

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& problem) {
  throw InputError(fmt::format("'{}': {}", escape_path_for_message(file.string()), problem));
}

bool is_gzip(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in && magic[0] == 0x1f && magic[1] == 0x8b;
}

// Reads `count` bytes unless the stream ends first; returns how many were read.
std::size_t read_some(std::istream& in, char* out, std::size_t count) {
  in.read(out, std::streamsize(count));
  return std::size_t(in.gcount());
}

// The file being read: its stream, its size on disk and whether it is compressed.
struct Source {
  std::istream& in;
  std::uint64_t file_size;
  bool gzip;
};

// Reads the magic and the sizes; checks the claimed number of values against
// `max_values` and against what the file can hold, before anything is allocated.
IdxArray read_header(const fs::path& file, const Source& source, std::uint64_t max_values) {
  unsigned char magic[4];
  if (read_some(source.in, reinterpret_cast<char*>(magic), 4) != 4) fail(file, "truncated IDX header");
  if (magic[0] != 0 || magic[1] != 0) fail(file, "not an IDX file (wrong magic)");
  if (magic[2] != 0x08) fail(file, fmt::format("IDX element type 0x{:02x} is not unsigned byte", magic[2]));
  const int dims = magic[3];
  if (dims < 1 || dims > 4) fail(file, fmt::format("IDX file with {} dimensions is not supported", dims));
  IdxArray array;
  std::uint64_t count = 1;
  bool overflow = false;
  for (int d = 0; d < dims; ++d) {
    unsigned char b[4];
    if (read_some(source.in, reinterpret_cast<char*>(b), 4) != 4) fail(file, "truncated IDX header");
    const std::uint32_t size = (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
    if (size > std::uint32_t(std::numeric_limits<std::int32_t>::max()))
      fail(file, fmt::format("IDX size {} of dimension {} is negative as a signed 32-bit integer", size, d));
    array.shape.push_back(size);
    if (size != 0 && count > std::numeric_limits<std::uint64_t>::max() / size) overflow = true;
    count *= size;
  }
  const std::string claim = fmt::format("{}", fmt::join(array.shape, " x "));
  if (overflow || count > max_values)
    fail(file, fmt::format("IDX header claims {} values, more than the limit of {}", claim, max_values));
  // What can follow the header: the rest of a raw file exactly; at most
  // kDeflateMaxRatio bytes per byte of a compressed one (saturating).
  const std::uint64_t header_bytes = 4 + 4 * std::uint64_t(dims);
  const std::uint64_t rest = source.file_size - std::min(source.file_size, header_bytes);
  if (!source.gzip && count > rest)
    fail(file, fmt::format("truncated IDX file: header claims {} = {} values, file holds {}", claim, count, rest));
  if (!source.gzip && count < rest)
    fail(file, fmt::format("{} bytes after the IDX array of {} values", rest - count, claim));
  const std::uint64_t gzip_bound = source.file_size > std::numeric_limits<std::uint64_t>::max() / kDeflateMaxRatio
                                       ? std::numeric_limits<std::uint64_t>::max()
                                       : kDeflateMaxRatio * source.file_size;
  if (source.gzip && count > gzip_bound - std::min(gzip_bound, header_bytes))
    fail(file, fmt::format("IDX header claims {} = {} values, more than a gzip file of {} bytes can hold (at most {}:1)",
                           claim, count, source.file_size, kDeflateMaxRatio));
  return array;
}

IdxArray parse(const fs::path& file, const Source& source, std::uint64_t max_values) {
  IdxArray array = read_header(file, source, max_values);
  std::size_t count = 1;
  for (std::size_t size : array.shape) count *= size;
  // Chunked read: memory grows with the data actually present, never with the claim.
  constexpr std::size_t kChunk = 1 << 20;
  while (array.values.size() < count) {
    const std::size_t want = std::min(kChunk, count - array.values.size());
    const std::size_t old = array.values.size();
    array.values.resize(old + want);
    const std::size_t got = read_some(source.in, reinterpret_cast<char*>(array.values.data() + old), want);
    if (got < want)
      fail(file, fmt::format("truncated IDX file: header claims {} values, file holds {}", count, old + got));
  }
  // A compressed file must end here too; reading on also checks the gzip trailer.
  char extra;
  if (source.gzip && read_some(source.in, &extra, 1) != 0)
    fail(file, fmt::format("data after the IDX array of {} values", fmt::join(array.shape, " x ")));
  return array;
}

// What went wrong in a gzip stream, in words (Boost's what() says "iostream error").
std::string gzip_problem(const io::gzip_error& e) {
  switch (e.error()) {
    case io::gzip::bad_crc: return "CRC-32 checksum mismatch";
    case io::gzip::bad_length: return "length mismatch";
    case io::gzip::bad_header: return "bad gzip header";
    case io::gzip::bad_footer: return "truncated or bad gzip footer";
    default: break;
  }
  if (e.zlib_error_code() == io::zlib::data_error) return "invalid deflate data";
  if (e.zlib_error_code() == io::zlib::buf_error) return "truncated deflate data";
  return fmt::format("zlib error {}", e.zlib_error_code());
}

}  // namespace

IdxArray read_idx(const fs::path& file, std::uint64_t max_values) {
  std::error_code ec;
  const std::uint64_t file_size = fs::file_size(file, ec);
  if (ec) fail(file, "cannot read file");
  std::ifstream raw(file, std::ios::binary);
  if (!raw) fail(file, "cannot open file");
  try {
    if (!is_gzip(file)) return parse(file, Source{raw, file_size, false}, max_values);
    io::filtering_istream in;
    in.push(io::gzip_decompressor());
    in.push(raw);
    in.exceptions(std::ios::badbit);  // a gzip error surfaces as itself, not as a short read
    return parse(file, Source{in, file_size, true}, max_values);
  } catch (const io::gzip_error& e) {
    fail(file, fmt::format("corrupt gzip data ({})", gzip_problem(e)));
  } catch (const io::zlib_error& e) {
    fail(file, fmt::format("corrupt gzip data (zlib error {})", e.error()));
  } catch (const std::ios_base::failure& e) {
    fail(file, fmt::format("read error ({})", escape_for_message(e.what())));
  }
}

}  // namespace waddington
