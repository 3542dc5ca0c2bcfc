#include "lib/data_dir.hpp"

#include <cstdlib>

namespace waddington {

std::string data_dir() {
  if (const char* env = std::getenv("WADDINGTON_DATA"); env && *env) return env;
  return std::string(WADDINGTON_SOURCE_DIR) + "/../shared/data";
}

}  // namespace waddington
