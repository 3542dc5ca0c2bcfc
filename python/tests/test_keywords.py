"""Every keyword is a CLI option of today (python/keywords.cpp is the one table):
when an option is renamed in apps/, this test names the keyword to update."""
import re

import pytest

from waddington import _core

COMMANDS = {  # module function -> CLI subcommand
    "fixed_points": "fixed-points",
    "continue_diagram": "continue",
    "fold_curves": "fold-curve",
    "phase_portrait": "phase-portrait",
    "compare": "compare",
    "eigencheck": "eigencheck",
    "train": "train",
    "transition_line": "transition-line",
}
PYTHON_ONLY = {("continue_diagram", "--window")}  # --from/--to as one (from, to)


def cli_options(cli, command):
    text = cli(command, "--help").stdout
    return set(re.findall(r"^\s+(?:-\w,)?(--[\w-]+)", text, flags=re.M))


@pytest.mark.parametrize("function", sorted(COMMANDS))
def test_keywords_are_cli_options(cli, function):
    options = cli_options(cli, COMMANDS[function])
    table = _core._keywords(function)
    assert table, function
    missing = [(k, o) for k, o in table if o not in options and (function, o) not in PYTHON_ONLY]
    assert not missing, f"{function}: options no longer in `waddington {COMMANDS[function]} --help`: {missing}"
    for keyword, option in table:
        assert keyword == option[2:].replace("-", "_")
