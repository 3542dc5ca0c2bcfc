"""Shared fixtures: the CLI binary (WADDINGTON_CLI, set by CTest; else build/waddington
next to the module) and the data folder (WADDINGTON_DATA, default ../shared/data)."""
import os
import pathlib
import subprocess

import pytest

import waddington

ROOT = pathlib.Path(__file__).resolve().parents[2]


def cli_path():
    path = os.environ.get("WADDINGTON_CLI")
    if path:
        return pathlib.Path(path)
    return pathlib.Path(waddington.__file__).resolve().parents[2] / "waddington"


@pytest.fixture(scope="session")
def cli():
    path = cli_path()
    if not path.exists():
        pytest.fail(f"the CLI binary {path} is missing: build the target waddington (or set WADDINGTON_CLI)")

    def run(*args, check=True):
        done = subprocess.run([str(path), *map(str, args)], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"waddington {' '.join(map(str, args))} failed ({done.returncode}): {done.stderr}")
        return done
    return run


@pytest.fixture(scope="session")
def paper200():
    data = pathlib.Path(os.environ.get("WADDINGTON_DATA", ROOT.parent / "shared" / "data"))
    path = data / "paper200" / "paper200_images.npy"
    if not path.exists():
        pytest.skip(f"no paper200 images at {path} (set WADDINGTON_DATA)")
    return path
