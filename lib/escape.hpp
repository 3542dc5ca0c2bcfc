#pragma once
// Text taken from a file (or a path, or a command-line value) as it may appear
// in an error message: printable ASCII kept, everything else escaped, so that a
// message stays on one line however hostile the file.
#include <cstddef>
#include <string>
#include <string_view>

namespace waddington {

// `text` with backslash, control and non-ASCII bytes written as \\, \n, \r,
// \t or \xNN. At most `max_bytes` bytes of `text` are shown; a longer text is
// cut and ends in "..." followed by its length, e.g. "<f8AAAA...(100000 bytes)".
inline std::string escape_for_message(std::string_view text, std::size_t max_bytes = 64) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::size_t shown = text.size() <= max_bytes ? text.size() : max_bytes;
  out.reserve(shown + 16);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c >= 0x20 && c < 0x7f) out += char(c);
    else out += {'\\', 'x', kHex[c >> 4], kHex[c & 0xf]};
  }
  if (shown < text.size()) out += "...(" + std::to_string(text.size()) + " bytes)";
  return out;
}

// A file path as it appears in messages: escaped, long paths kept whole.
inline std::string escape_path_for_message(std::string_view path) { return escape_for_message(path, 4096); }

}  // namespace waddington
