"""waddington: the toolkit's libraries from Python, numpy in and out.

Every function maps its keywords onto the library's Options (the keyword of a
CLI option is its name without "--", with "-" written "_"; defaults are the
CLI's) and returns the library's result: numpy columns (``columns()``),
``to_csv()`` (the CLI's own writers, byte for byte), ``to_dict()`` (its
run.json summary) and ``to_pandas()``. Bad input raises ValueError with the
CLI's one-line message; long calls release the GIL and stop on Ctrl-C.

    import waddington as w
    fp = w.fixed_points(n=20, T=700)
    d = w.continue_diagram(param="n", n_range=(1, 60), T=700)  # Figure 5A
    d = w.continue_diagram(param="T", n=30)                     # T_r 0.8:1.15, the CLI's default
    r = w.train(images, labels, memories=100, epochs=10, seed=1)
    e = w.continue_problem(lambda x, p: x**3 - p*x, [0.0], -1.0, window=(-1, 1))

Plots: ``waddington.plot`` (needs matplotlib).
"""
from ._core import (__version__, git_revision, fixed_points, continue_diagram, fold_curves, phase_portrait,
                    compare, eigencheck, transition_line, train, analyze, continue_problem,
                    FixedPoints, Diagram, Branch, FoldCurves, PhasePortrait, Comparison, Eigencheck, Training,
                    MemoryAnalysis, EngineResult, EngineBranch, TransitionLine)

__all__ = ["fixed_points", "continue_diagram", "fold_curves", "phase_portrait", "compare", "eigencheck", "transition_line", "train",
           "analyze", "continue_problem"]


def _to_pandas(self, *table):
    """The result's table (see columns()) as a pandas DataFrame."""
    import pandas as pd
    return pd.DataFrame(self.columns(*table))


for _cls in (FixedPoints, Diagram, Branch, FoldCurves, Comparison, Eigencheck, Training, TransitionLine):
    _cls.to_pandas = _to_pandas


def _engine_to_pandas(self):
    """All branches' rows as a DataFrame: branch, p, x0..x{d-1}, stability."""
    import pandas as pd
    frames = []
    for b in self.branches:
        df = pd.DataFrame(b.x, columns=[f"x{i}" for i in range(b.x.shape[1])])
        df.insert(0, "p", b.p)
        df.insert(0, "branch", b.id)
        df["stability"] = b.stability
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


EngineResult.to_pandas = _engine_to_pandas


def _analysis_to_dict(self):
    return {k: getattr(self, k) for k in ("alpha", "alpha_by_class", "max_alpha", "span_residual",
                                           "samples_to_reconstruct", "mean_max_alpha", "reconstructible",
                                           "mean_samples_to_reconstruct")}


MemoryAnalysis.to_dict = _analysis_to_dict
# The CLI's names (analyze: alphabar.npy, memories.csv samples_needed).
MemoryAnalysis.alphabar = property(lambda self: self.alpha_by_class, doc="K x C: per-class sums of alpha (alphabar)")
MemoryAnalysis.samples_needed = property(lambda self: self.samples_to_reconstruct,
                                         doc="K: samples needed to reconstruct each memory (-1: not reconstructible)")


def _analysis_to_pandas(self):
    """One row per memory: memory, dominant_alphabar, max_alpha, samples_needed, span_residual."""
    import numpy as np
    import pandas as pd
    alphabar = np.asarray(self.alpha_by_class)
    return pd.DataFrame({"memory": np.arange(alphabar.shape[0]),
                         "dominant_alphabar": alphabar.argmax(axis=1) if alphabar.size else np.zeros(0, int),
                         "max_alpha": np.asarray(self.max_alpha),
                         "samples_needed": np.asarray(self.samples_to_reconstruct),
                         "span_residual": np.asarray(self.span_residual)})


MemoryAnalysis.to_pandas = _analysis_to_pandas


def _portrait_to_pandas(self, table="velocity"):
    """A table of the portrait: "velocity" (alpha, ell, dalpha, dell on the grid), "trajectories",
    "memory_nullclines", "label_nullclines", "flow_lines" (curve, alpha, ell) or "fixed_points"."""
    import numpy as np
    import pandas as pd
    if table == "velocity":
        return pd.DataFrame(self.velocity)
    if table == "fixed_points":
        return self.fixed_points.to_pandas()
    if table not in ("trajectories", "memory_nullclines", "label_nullclines", "flow_lines"):
        raise ValueError(f"table '{table}': expected velocity, fixed_points, trajectories, memory_nullclines, "
                         "label_nullclines or flow_lines")
    frames = [pd.DataFrame({"curve": i, "alpha": np.asarray(c)[:, 0], "ell": np.asarray(c)[:, 1]})
              for i, c in enumerate(getattr(self, table)) if len(c)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["curve", "alpha", "ell"])


def _portrait_to_dict(self):
    return {"parameters": self.parameters, "window": self.window, "dead_regions": self.dead_regions,
            "fixed_points": self.fixed_points.to_dict(), "memory_nullclines": self.memory_nullclines,
            "label_nullclines": self.label_nullclines, "trajectories": self.trajectories,
            "velocity": self.velocity}


PhasePortrait.to_pandas = _portrait_to_pandas
PhasePortrait.to_dict = _portrait_to_dict


def _engine_to_dict(self):
    return {"complete": self.complete, "warnings": list(self.warnings), "evaluations": self.evaluations,
            "branches": [{"id": b.id, "found_from": b.found_from, "ends": list(b.ends), "p": b.p, "x": b.x,
                          "stability": b.stability} for b in self.branches],
            "special_points": self.special_points}


EngineResult.to_dict = _engine_to_dict
