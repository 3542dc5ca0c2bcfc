#!/usr/bin/env bash
# Set-up (packages), configure and build in build/ (Release). Idempotent.
# Arguments go to `cmake --build`: `--target waddington` builds the CLI only;
# without arguments everything is built (libraries, CLI, tests, benchmarks).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j "$(nproc)" "$@" >&2
