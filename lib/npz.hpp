#pragma once
// NumPy .npz archives (numpy.savez): a ZIP file whose entries are .npy files.
// The writer stores its entries uncompressed (ZIP method 0, each with its
// CRC-32), which numpy.load reads like any .npz; the reader reads such
// archives (stored entries only; a compressed one is a clear error).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "lib/npy.hpp"

namespace waddington {

struct NpzEntry {
  std::string name;   // the array's name in numpy.load(...)[name], without ".npy"
  std::string bytes;  // a whole .npy file (npy_bytes)
};

// The CRC-32 (ZIP, IEEE 802.3 polynomial) of `bytes`.
std::uint32_t crc32(const std::string& bytes);

// The bytes of an .npz archive holding `entries` in order (ZIP, stored, no ZIP64:
// each entry and the whole archive must stay under 4 GiB; InputError otherwise).
std::string npz_bytes(const std::vector<NpzEntry>& entries);

// Writes an .npz archive atomically.
void write_npz(const std::filesystem::path& file, const std::vector<NpzEntry>& entries);

// Reads every array of an .npz archive with stored entries, by name. Throws
// InputError naming the file for anything else (not a ZIP, a compressed or
// encrypted entry, a CRC mismatch, a malformed .npy inside).
std::map<std::string, NpyArray> read_npz(const std::filesystem::path& file);

}  // namespace waddington
