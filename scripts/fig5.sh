#!/usr/bin/env bash
# README command 1: the paper's Figure 5A bifurcation diagram (the Figure 5
# pair of digits, AA = 753.2249, AB = 494.0239, BB = 719.7008, T = 700, i.e.
# T_r = 0.893, n from 1 to 60). Sets up and builds the CLI only (the
# `waddington` target: no tests, no benchmarks), then writes fig5/ with
# branches.csv, special_points.csv, run.json and fig5.png, and prints the
# folds. Idempotent: every output is rewritten atomically.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/build.sh" --target waddington
cd "$root"
build/waddington continue --param n --n-range 1:60 --T 700 --out fig5 --plot fig5/fig5.png "$@"
echo "fig5: wrote $root/fig5/{branches.csv,special_points.csv,run.json,fig5.png}" >&2
