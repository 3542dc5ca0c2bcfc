#!/usr/bin/env bash
# README command 2: set up, build and run the whole test suite. Arguments go
# to ctest, e.g. `-L short` for the short tests only, `-R test_reduced_` for one layer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j "$(nproc)" "$@"
