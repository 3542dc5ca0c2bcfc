#!/usr/bin/env bash
# Installs the Debian packages waddington needs, only those missing. Idempotent.
set -euo pipefail
packages=(g++ cmake make pkg-config git libeigen3-dev libboost-dev libboost-iostreams-dev
          libceres-dev libfmt-dev catch2 libcli11-dev nlohmann-json3-dev libssl-dev
          gnuplot-nox
          auto-07p gfortran  # AUTO-07p: the engine's comparison test (tests/test_cont_auto_compare.cpp)
          libopenmpi-dev openmpi-bin  # MPI: optional sweep back end (sweep_mpi/)
          pybind11-dev python3-dev python3-numpy python3-pytest python3-pandas python3-matplotlib)  # python/
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
