#include "lib/npz.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>

#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "lib/escape.hpp"

namespace waddington {
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50, kCentralHeader = 0x02014b50, kEndOfCentral = 0x06054b50;
// A fixed DOS date and time (1980-01-01 00:00) so that equal arrays give equal archives.
constexpr std::uint16_t kDosTime = 0, kDosDate = (0 << 9) | (1 << 5) | 1;

void put16(std::string& out, std::uint32_t v) {
  out.push_back(char(v & 0xff));
  out.push_back(char((v >> 8) & 0xff));
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}
std::uint32_t get16(const std::string& in, std::size_t at) {
  return std::uint32_t(static_cast<unsigned char>(in[at])) | std::uint32_t(static_cast<unsigned char>(in[at + 1])) << 8;
}
std::uint32_t get32(const std::string& in, std::size_t at) { return get16(in, at) | get16(in, at + 2) << 16; }

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
  throw InputError(fmt::format("'{}': {}", escape_path_for_message(file.string()), what));
}

}  // namespace

std::uint32_t crc32(const std::string& bytes) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::string npz_bytes(const std::vector<NpzEntry>& entries) {
  std::string out, central;
  for (const NpzEntry& e : entries) {
    const std::string name = e.name + ".npy";
    if (e.bytes.size() >= std::numeric_limits<std::uint32_t>::max() || name.size() > 0xffff)
      throw InputError(fmt::format("npz entry '{}' is too large for a ZIP without ZIP64", e.name));
    const std::uint32_t offset = std::uint32_t(out.size()), crc = crc32(e.bytes), size = std::uint32_t(e.bytes.size());
    auto common = [&](std::string& h) {  // version needed .. name length: the same in both headers
      put16(h, 20);  // version needed to extract: 2.0
      put16(h, 0);   // flags
      put16(h, 0);   // method: stored
      put16(h, kDosTime);
      put16(h, kDosDate);
      put32(h, crc);
      put32(h, size);  // compressed size
      put32(h, size);  // uncompressed size
      put16(h, std::uint32_t(name.size()));
      put16(h, 0);  // extra field length
    };
    put32(out, kLocalHeader);
    common(out);
    out += name;
    out += e.bytes;
    put32(central, kCentralHeader);
    put16(central, 20);  // version made by: 2.0, MS-DOS attributes
    common(central);
    put16(central, 0);  // comment length
    put16(central, 0);  // disk number
    put16(central, 0);  // internal attributes
    put32(central, 0);  // external attributes
    put32(central, offset);
    central += name;
  }
  if (out.size() + central.size() >= std::numeric_limits<std::uint32_t>::max() || entries.size() > 0xffff)
    throw InputError("npz archive is too large for a ZIP without ZIP64");
  const std::uint32_t central_offset = std::uint32_t(out.size());
  out += central;
  put32(out, kEndOfCentral);
  put16(out, 0);  // this disk
  put16(out, 0);  // disk with the central directory
  put16(out, std::uint32_t(entries.size()));
  put16(out, std::uint32_t(entries.size()));
  put32(out, std::uint32_t(central.size()));
  put32(out, central_offset);
  put16(out, 0);  // comment length
  return out;
}

void write_npz(const fs::path& file, const std::vector<NpzEntry>& entries) { write_file_atomic(file, npz_bytes(entries)); }

std::map<std::string, NpyArray> read_npz(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot open file");
  const std::string zip((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (zip.size() < 22) fail(file, "not an .npz archive (too short)");
  // The end-of-central-directory record is the last 22 bytes plus a comment of up to 64 KiB.
  std::size_t end = std::string::npos;
  for (std::size_t at = zip.size() - 22;; --at) {
    if (get32(zip, at) == kEndOfCentral) { end = at; break; }
    if (at == 0 || zip.size() - at > 22 + 0xffff) break;
  }
  if (end == std::string::npos) fail(file, "not an .npz archive (no ZIP end record)");
  const std::size_t count = get16(zip, end + 10), central_size = get32(zip, end + 12);
  std::size_t at = get32(zip, end + 16);
  if (at + central_size > end) fail(file, "corrupt ZIP central directory");
  std::map<std::string, NpyArray> arrays;
  for (std::size_t i = 0; i < count; ++i) {
    if (at + 46 > end || get32(zip, at) != kCentralHeader) fail(file, "corrupt ZIP central directory");
    const std::uint32_t flags = get16(zip, at + 8), method = get16(zip, at + 10), crc = get32(zip, at + 16);
    const std::uint32_t size = get32(zip, at + 20), raw_size = get32(zip, at + 24);
    const std::size_t name_len = get16(zip, at + 28), extra_len = get16(zip, at + 30), comment_len = get16(zip, at + 32);
    const std::size_t local = get32(zip, at + 42);
    if (at + 46 + name_len > end) fail(file, "corrupt ZIP central directory");
    std::string name = zip.substr(at + 46, name_len);
    at += 46 + name_len + extra_len + comment_len;
    if (flags & 1) fail(file, fmt::format("entry '{}' is encrypted", escape_for_message(name)));
    if (method != 0 || size != raw_size)
      fail(file, fmt::format("entry '{}' is compressed (only stored entries are read; save with numpy.savez)",
                             escape_for_message(name)));
    if (local + 30 > zip.size() || get32(zip, local) != kLocalHeader) fail(file, "corrupt ZIP local header");
    const std::size_t data = local + 30 + get16(zip, local + 26) + get16(zip, local + 28);
    if (data + size > zip.size()) fail(file, fmt::format("entry '{}' is truncated", escape_for_message(name)));
    std::string bytes = zip.substr(data, size);
    if (crc32(bytes) != crc) fail(file, fmt::format("entry '{}' fails its CRC-32 check", escape_for_message(name)));
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) name.resize(name.size() - 4);
    arrays[name] = read_npy_bytes(bytes, file.string() + ":" + name);
  }
  return arrays;
}

}  // namespace waddington
