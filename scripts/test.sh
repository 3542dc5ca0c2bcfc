#!/usr/bin/env bash
# README command 2: set up, build and run the whole test suite.
#   bash scripts/test.sh [CTEST ARGS...]          Release build in build/; e.g. `-L short` for the short
#                                                 tests only, `-R test_reduced_` for one layer
#   bash scripts/test.sh --asan [CTEST ARGS...]   the same suite under AddressSanitizer + UBSan,
#                                                 built in build-asan/ (CMake preset "asan")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == "--asan" ]]; then
  shift
  bash "$root/scripts/setup.sh"
  cd "$root"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$(nproc)" >&2
  ctest --preset asan -j "$(nproc)" "$@"
  exit
fi
bash "$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j "$(nproc)" "$@"
