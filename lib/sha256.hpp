#pragma once
// SHA-256 checksums (OpenSSL's libcrypto), as `sha256sum` prints them.
#include <filesystem>
#include <string>
#include <string_view>

namespace waddington {

// The lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

// The lowercase hex SHA-256 of a file's contents. Throws EnvironmentError when
// it cannot be read.
std::string sha256_file(const std::filesystem::path& file);

}  // namespace waddington
