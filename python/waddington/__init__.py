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
                                           "samples_to_reconstruct", "mean_max_alpha", "mean_samples_to_reconstruct")}


MemoryAnalysis.to_dict = _analysis_to_dict
