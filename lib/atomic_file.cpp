#include "lib/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "lib/errors.hpp"

namespace waddington {
namespace fs = std::filesystem;

namespace {
fs::path temporary_sibling(const fs::path& path) {
  return path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
}
}  // namespace

void write_file_atomic(const fs::path& path, const std::function<void(std::ostream&)>& writer) {
  const fs::path tmp = temporary_sibling(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw EnvironmentError(fmt::format("cannot write '{}'", path.string()));
    writer(out);
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw EnvironmentError(fmt::format("failed while writing '{}' (disk full?)", path.string()));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw EnvironmentError(fmt::format("cannot move '{}' into place: {}", path.string(), ec.message()));
  }
}

void write_file_atomic(const fs::path& path, std::string_view contents) {
  write_file_atomic(path, [&](std::ostream& out) { out.write(contents.data(), std::streamsize(contents.size())); });
}

void ensure_writable_directory(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw EnvironmentError(fmt::format("output path '{}' exists and is not a directory", dir.string()));
  fs::create_directories(dir, ec);
  if (ec) throw EnvironmentError(fmt::format("cannot create output directory '{}': {}", dir.string(), ec.message()));
  const fs::path probe = dir / fmt::format(".write-probe-{}", ::getpid());
  {
    std::ofstream out(probe);
    if (!out) throw EnvironmentError(fmt::format("output directory '{}' is not writable", dir.string()));
  }
  fs::remove(probe, ec);
}

}  // namespace waddington
