"""Matplotlib pictures of waddington results, styled like the CLI's gnuplot ones.

    import waddington as w, waddington.plot as wp
    d = w.continue_diagram(param="n", n_range=(1, 60), T=700)
    fig = wp.diagram(d)                      # Figure 5A: n vs alpha and vs ell
    fig = wp.phase_portrait(w.phase_portrait(n=20, T=700, start=(0.45, 0)))
    fig = wp.fold_curve_map(w.fold_curves())

matplotlib is imported here only (the module itself does not need it).
"""
import numpy as np
import matplotlib.pyplot as plt

STABLE = "#1f4e9c"          # stable, also to splitting (K = 2)
STABLE_MANIFOLD = "#ff8c00"  # stable on the symmetric manifold only (the memories split)
UNSTABLE = "#d62728"
MARKERS = {  # type -> (label, matplotlib style), as plots/bifurcation_diagram.cpp
    "fold": ("fold (saddle-node)", dict(marker="o", s=45, color="black")),
    "boundary": ("boundary (ell = ±1, alpha = 0 or 1)", dict(marker="s", s=30, color="#2ca02c")),
    "branch_point": ("branch point (incl. symmetry-breaking)", dict(marker="^", s=55, color="#9467bd")),
    "cusp": ("cusp", dict(marker="D", s=45, color="#ff7f0e")),
}
FIXED_POINT_COLOURS = {"stable": "#2ca02c", "saddle": "#ff7f0e", "unstable": "#d62728", "unknown": "#7f7f7f"}


def _runs(mask):
    """Consecutive runs of True in mask as (start, stop) index pairs."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(int), [0]))))
    return list(zip(edges[::2], edges[1::2]))


def _branch_lines(ax, x, y, stable, stable_k2):
    """One branch: segments by stability, each segment drawn with its neighbour row so lines join."""
    kinds = np.where(stable_k2, 0, np.where(stable, 1, 2))
    styles = [dict(color=STABLE, lw=2.2, ls="-"), dict(color=STABLE_MANIFOLD, lw=2.6, ls="-"),
              dict(color=UNSTABLE, lw=1.6, ls="--")]
    for k, style in enumerate(styles):
        for a, b in _runs(kinds == k):
            ax.plot(x[a:min(b + 1, len(x))], y[a:min(b + 1, len(y))], **style)


def diagram(result, fig=None, title=None):
    """Figure 5A: the parameter against alpha (left) and ell (right), from continue_diagram()."""
    fig = fig or plt.figure(figsize=(12, 4.8))
    axes = fig.subplots(1, 2)
    p = result.parameter
    sp = result.special_points
    present = set()  # the kinds drawn (0 stable, 1 stable on the manifold only, 2 unstable): only those in the legend
    for ax, y in zip(axes, ("alpha", "ell")):
        for b in result.branches:
            c = b.columns()
            stable = np.array(c["stability"]) == "stable"
            present.update(np.where(np.asarray(c["stable_k2"], dtype=bool), 0, np.where(stable, 1, 2)).tolist())
            _branch_lines(ax, c[p], c[y], stable, c["stable_k2"])
        types = np.array(sp["type"])
        for t, (label, style) in MARKERS.items():
            sel = types == t
            if sel.any():
                ax.scatter(sp[p][sel], sp[y][sel], label=label, zorder=3, **style)
        ax.set_xlabel(p)
        ax.set_ylabel(y)
        ax.set_xlim(*result.window)
        ax.grid(color="#dddddd")
    axes[0].set_title("memory: alpha = alpha_A")
    axes[1].set_title("label: ell")
    axes[1].set_ylim(-1.05, 1.05)
    handles = [plt.Line2D([], [], color=STABLE, lw=2.2, label="stable (also to splitting)"),
               plt.Line2D([], [], color=STABLE_MANIFOLD, lw=2.6, label="stable on the manifold, unstable to splitting"),
               plt.Line2D([], [], color=UNSTABLE, lw=1.6, ls="--", label="saddle / unstable")]
    handles = [h for k, h in enumerate(handles) if k in present]
    h, l = axes[0].get_legend_handles_labels()
    fig.legend(handles + h, [x.get_label() for x in handles] + l, loc="lower center", ncol=4, fontsize=8, frameon=False)
    pars = result.parameters
    fixed = f"T={pars['T']:g}" if p == "n" else f"n={pars['n']:g}"
    fig.suptitle(title or f"Bifurcation diagram in {p} at {fixed} ({result.brief().split(':', 1)[-1].strip()})",
                 fontsize=10)
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    return fig


def phase_portrait(portrait, ax=None, title=None):
    """Figure 5B-D: ell (x) against alpha (y) with flow, nullclines, fixed points and trajectories."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 5.5))
    for line in portrait.flow_lines:
        ax.plot(line[:, 1], line[:, 0], color="#b0b0b0", lw=0.8)
    v = portrait.velocity
    if len(v["alpha"]):
        norm = np.hypot(v["dalpha"], v["dell"])
        norm[norm == 0] = 1
        ax.quiver(v["ell"], v["alpha"], v["dell"] / norm, v["dalpha"] / norm, color="#909090", width=0.002,
                  scale=40, zorder=1)
    for i, line in enumerate(portrait.memory_nullclines):
        ax.plot(line[:, 1], line[:, 0], color="#7b3294", lw=2.5, label="memory nullcline" if i == 0 else None)
    for i, line in enumerate(portrait.label_nullclines):
        ax.plot(line[:, 1], line[:, 0], color="#f28e2b", lw=2.5, label="label nullcline" if i == 0 else None)
    for i, line in enumerate(portrait.trajectories):
        ax.plot(line[:, 1], line[:, 0], color="black", lw=1.5, ls="--", label="trajectories" if i == 0 else None)
    fp = portrait.fixed_points.columns()
    st = np.array(fp["stability"])
    lo, hi = portrait.window
    inside = (fp["alpha"] >= lo) & (fp["alpha"] <= hi)
    for s, colour in FIXED_POINT_COLOURS.items():
        sel = (st == s) & inside
        if sel.any():
            ax.scatter(fp["ell"][sel], fp["alpha"][sel], s=70, color=colour, zorder=4, label=s, edgecolor="black")
    ax.set_xlim(-1, 1)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("label λ (ell)")
    ax.set_ylabel("memory α (alpha_A)")
    ax.grid(color="#eeeeee")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure


def fold_curve_map(result, ax=None, title=None, report_Tr=(0.893, 0.957)):
    """The (n, T_r) plane: regions by number of stable equilibria, fold curves, cusps, from fold_curves()."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 5.5))
    m = result.columns("map")
    nn, nt = result.map_shape
    if nn * nt == len(m["n"]) and len(m["n"]):
        n = m["n"].reshape(nn, nt)
        tr = m["Tr"].reshape(nn, nt)
        stable = m["stable"].reshape(nn, nt)
        levels = np.arange(stable.min() - 0.5, stable.max() + 1.5)
        cs = ax.contourf(n, tr, stable, levels=levels, cmap="Pastel1", alpha=0.9)
        fig = ax.figure
        cb = fig.colorbar(cs, ax=ax, ticks=np.arange(stable.min(), stable.max() + 1))
        cb.set_label("stable equilibria")
    c = result.columns("curves")
    for k in np.unique(c["curve"]):
        sel = c["curve"] == k
        ax.plot(c["n"][sel], c["Tr"][sel], color="black", lw=2.5, label="fold (saddle-node) curves" if k == 0 else None)
    sp = result.columns("special_points")
    types = np.array(sp["type"])
    if (types == "cusp").any():
        ax.scatter(sp["n"][types == "cusp"], sp["Tr"][types == "cusp"], s=60, color="#ff7f0e", zorder=4, label="cusp")
    for tr in report_Tr:
        ax.axhline(tr, color="#555555", ls=":", lw=1)
    ax.set_xlabel("n")
    ax.set_ylabel("T_r = T / N")
    ax.grid(color="#bbbbbb")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure


def comparison(result, ax=None, title=None):
    """Figure 5C-D in time: alpha and ell of the full network (two memories) and the reduced flow per epoch."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    c = result.columns()
    ax.plot(c["epoch"], c["alpha_reduced"], color=STABLE, lw=2, label="alpha, reduced")
    ax.plot(c["epoch"], c["alpha_full"], color=STABLE, lw=1, ls="--", label="alpha, full (mean)")
    ax.plot(c["epoch"], c["ell_reduced"], color="#f28e2b", lw=2, label="ell, reduced")
    ax.plot(c["epoch"], c["ell_full"], color="#f28e2b", lw=1, ls="--", label="ell, full (mean)")
    ax.set_xlabel("epoch")
    ax.grid(color="#eeeeee")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure


def engine_branches(result, component=0, ax=None, title=None):
    """Branches of continue_problem(): p against x[component], stable solid, unstable dashed, special points."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 4.5))
    for b in result.branches:
        stable = b.stable
        x = b.x[:, component]
        for a, e in _runs(stable):
            ax.plot(b.p[a:e + 1], x[a:e + 1], color=STABLE, lw=2)
        for a, e in _runs(~stable):
            ax.plot(b.p[a:e + 1], x[a:e + 1], color=UNSTABLE, lw=1.5, ls="--")
    sp = result.special_points
    types = np.array(sp["type"])
    for t, (label, style) in MARKERS.items():
        sel = types == t
        if sel.any():
            ax.scatter(sp["p"][sel], sp["x"][sel, component], label=label, zorder=3, **style)
    ax.set_xlabel("p")
    ax.set_ylabel(f"x[{component}]")
    ax.grid(color="#eeeeee")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure
