"""examples/figure5.py runs (Agg backend) and writes its figures."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_figure5_example(tmp_path, paper200):
    env = dict(os.environ, MPLBACKEND="Agg", WADDINGTON_EXAMPLE_OUT=str(tmp_path),
               WADDINGTON_DATA=str(paper200.parents[1]))
    env.pop("DISPLAY", None)
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "figure5.py")], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == ["figure5A_diagram.png", "figure5B_portrait.png", "figure5C_full_vs_reduced_n20.png",
                     "figure5D_full_vs_reduced_n40.png", "fold_curves.png"]
    assert all((tmp_path / n).stat().st_size > 20000 for n in names)
    assert "7 branches" in done.stdout
