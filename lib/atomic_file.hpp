#pragma once
// Writing outputs so that nothing already written is lost or half-written:
// every file goes to a temporary sibling first and is renamed into place.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace waddington {

// Writes `contents` to `path` atomically (temporary file + rename).
// Throws EnvironmentError naming the path when it cannot be written.
void write_file_atomic(const std::filesystem::path& path, std::string_view contents);

// Same, with the contents produced by a callback writing to a binary stream.
void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(std::ostream&)>& writer);

// Creates `dir` (and parents) if needed and checks that it is writable, by
// creating and removing a probe file. Throws EnvironmentError otherwise. Call it
// before any long computation so that an unwritable --out fails at once.
void ensure_writable_directory(const std::filesystem::path& dir);

}  // namespace waddington
