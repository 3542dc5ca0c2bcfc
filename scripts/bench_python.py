#!/usr/bin/env python3
"""Overhead of a call through the Python module against the library call it makes.

    PYTHONPATH=build/python /usr/bin/python3 scripts/bench_python.py [--repeats R]

For fixed_points (n = 20 and 40, T = 700) and the Figure 5 diagram
(continue_diagram(param="n", n_range=(1, 60), T=700)): the best wall time of
the Python call (keywords -> Options, set-up, the library call without the
GIL, the result object) against the library's own time of the same call
(Summary::seconds, measured inside find_fixed_points / bifurcation_diagram),
and the cost of turning the result into numpy columns and a DataFrame.
On demand only (not in the test suite); the machine may be shared, so
quote the ratio with that caveat.
"""
import argparse
import time

import waddington as w
from waddington import _core


def best(repeats, call):
    wall, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        wall = min(wall, time.perf_counter() - start)
    return wall, result


def timed(repeats, call):
    t = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        t = min(t, time.perf_counter() - start)
    return t


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    rows = []
    fig5 = dict(param="n", n_range=(1, 60), T=700)
    cases = [("fixed_points(n=20, T=700)", "fixed_points", dict(n=20, T=700), args.repeats),
             ("fixed_points(n=40, T=700)", "fixed_points", dict(n=40, T=700), args.repeats),
             ("continue_diagram(param='n', n_range=(1, 60), T=700)", "continue_diagram", fig5,
              max(3, args.repeats // 5))]
    print(f"{'call':<52} {'python (ms)':>12} {'library (ms)':>13} {'ratio':>7} {'overhead (ms)':>14}"
          f" {'columns (ms)':>13} {'pandas (ms)':>12}")
    for name, function, keywords, repeats in cases:
        # Interleaved, one Python call then one library call, so that a change
        # of the machine's load hits both; the best of each.
        wall, lib = float("inf"), float("inf")
        for _ in range(repeats):
            t, result = best(1, lambda: getattr(w, function)(**keywords))
            wall = min(wall, t)
            lib = min(lib, _core._library_seconds(function, 1, **keywords))
        table = ("branches",) if isinstance(result, w.Diagram) else ()
        cols = timed(repeats, lambda: result.columns(*table))
        frame = timed(repeats, lambda: result.to_pandas(*table))
        rows.append((name, wall, lib))
        print(f"{name:<52} {wall * 1e3:>12.3f} {lib * 1e3:>13.3f} {wall / lib:>7.3f} {(wall - lib) * 1e3:>14.3f}"
              f" {cols * 1e3:>13.3f} {frame * 1e3:>12.3f}")
    print(f"best of {args.repeats} (diagram: {max(3, args.repeats // 5)}) interleaved calls each;"
          " library = the same call timed in C++")


if __name__ == "__main__":
    main()
