# %% [markdown]
# # Figure 5 from Python
#
# The paper's Figure 5 with the `waddington` module: (A) the bifurcation
# diagram of the reduced two-memory flow in n at T = 700, (B) its phase
# portrait at n = 20 with trajectories, (C, D) the full network with two
# memories trained from the same start as the reduced flow, at n = 20 and
# n = 40, drawn over the phase portraits. Run it as a script (it writes PNGs
# to $WADDINGTON_EXAMPLE_OUT, default ./figure5_out) or cell by cell in
# Jupyter / VS Code. C and D need the paper200 images ($WADDINGTON_DATA).
#
#     PYTHONPATH=build/python /usr/bin/python3 examples/figure5.py

# %%
import os
import pathlib

import matplotlib
if not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import waddington as w
import waddington.plot as wp

out = pathlib.Path(os.environ.get("WADDINGTON_EXAMPLE_OUT", "figure5_out"))
out.mkdir(parents=True, exist_ok=True)
root = pathlib.Path(__file__).resolve().parents[1] if "__file__" in globals() else pathlib.Path.cwd()
data = pathlib.Path(os.environ.get("WADDINGTON_DATA", root.parent / "shared" / "data"))
images = data / "paper200" / "paper200_images.npy"

# %% [markdown]
# ## A: the bifurcation diagram in n (the CLI's `waddington continue --param n --n-range 1:60 --T 700`)

# %%
diagram = w.continue_diagram(param="n", n_range=(1, 60), T=700)
print(diagram.brief())
print(diagram.to_pandas("special_points")[["type", "n", "alpha", "ell", "where"]].to_string(index=False))
fig = wp.diagram(diagram, title="Figure 5A: bifurcation diagram in n at T = 700")
fig.savefig(out / "figure5A_diagram.png", dpi=110)

# %% [markdown]
# ## B: the phase portrait at n = 20, with trajectories from a few starts
# (`waddington phase-portrait --n 20 --T 700 --alpha-range 0:1 --start 0.45,0 --start ...`)

# %%
starts = [(0.45, 0.0), (0.55, -0.5), (0.3, 0.6), (0.7, 0.2)]
portrait = w.phase_portrait(n=20, T=700, alpha_range=(0, 1), start=starts)
print(portrait.fixed_points.brief())
fig = wp.phase_portrait(portrait, title="Figure 5B: phase portrait at n = 20, T = 700")
fig.tight_layout()
fig.savefig(out / "figure5B_portrait.png", dpi=110)

# %% [markdown]
# ## C, D: the full network (two memories on samples 21 and 81) against the reduced flow
#
# Both start at alpha = 0.45, ell = 0; the full trainer's memories are
# expressed in (alpha, ell) every epoch (compare/compare.hpp).

# %%
if images.exists():
    for letter, n in (("C", 20), ("D", 40)):
        run = w.compare(images=str(images), pair=(21, 81), n=n, T=700, start=(0.45, 0.0))
        print(f"n = {n}:", run.brief())
        p = w.phase_portrait(n=n, T=700, alpha_range=(0, 1))
        fig = wp.phase_portrait(p, title=f"Figure 5{letter}: full network vs reduced flow, n = {n}")
        ax = fig.axes[0]
        c = run.columns()
        ax.plot(c["ell_reduced"], c["alpha_reduced"], color="#1f4e9c", lw=2.5, label="reduced flow")
        ax.plot(c["ell_full"], c["alpha_full"], color="#d62728", lw=1.2, ls="--", label="full network (mean)")
        ax.scatter([0.0], [0.45], marker="x", s=80, color="black", zorder=5, label="start")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
        fig.tight_layout()
        fig.savefig(out / f"figure5{letter}_full_vs_reduced_n{n}.png", dpi=110)
else:
    print(f"no paper200 images at {images}: C and D skipped (set WADDINGTON_DATA)")

# %% [markdown]
# ## Beyond Figure 5: where the folds of A move in the (n, T_r) plane
#
# The two folds of A continued in (n, T) (`waddington fold-curve`), over the
# map of the number of stable equilibria; the dotted lines are T_r = 0.893
# (Figure 5's T = 700) and 0.957.

# %%
folds = w.fold_curves()
print(folds.brief())
fig = wp.fold_curve_map(folds, title="Fold curves and stable counts in the (n, T_r) plane")
fig.tight_layout()
fig.savefig(out / "fold_curves.png", dpi=110)

# %% [markdown]
# ## The numbers behind A as numpy and pandas

# %%
branches = diagram.to_pandas()
print(branches.groupby("branch")[["n", "alpha"]].agg(["min", "max"]).round(4).to_string())
plt.close("all")
print(f"wrote {sorted(p.name for p in out.glob('*.png'))}")
