"""The generic continuation engine from Python: textbook problems whose
branches and special points are known in closed form."""
import numpy as np
import pytest

import waddington as w


def pitchfork(x, p):
    return np.array([p * x[0] - x[0] ** 3])


def test_pitchfork_branch_point_and_switch():
    r = w.continue_problem(pitchfork, [0.0], -1.0, window=(-1, 1), ds=0.02, ds_max=0.05)
    assert r.complete, r.warnings
    sp = r.special_points
    bp = [i for i, t in enumerate(sp["type"]) if t == "branch_point"]
    assert bp and abs(sp["p"][bp[0]]) < 1e-8 and abs(sp["x"][bp[0], 0]) < 1e-8
    assert len(r.branches) == 2  # the trivial branch and the switched parabola x^2 = p
    trivial, parabola = r.branches
    assert np.all(np.abs(trivial.x[:, 0]) < 1e-12)
    assert np.allclose(parabola.x[:, 0] ** 2, parabola.p, atol=1e-9)
    assert parabola.x[:, 0].min() < -0.99 and parabola.x[:, 0].max() > 0.99  # both halves
    # stability: x = 0 stable for p < 0, unstable for p > 0; the parabola is stable
    assert all(trivial.stable[trivial.p < -0.05]) and not any(trivial.stable[trivial.p > 0.05])
    assert all(parabola.stable[parabola.p > 0.05])
    df = r.to_pandas()
    assert set(df["branch"]) == {0, 1}


@pytest.mark.parametrize("with_jacobian", [False, True])
def test_fold_with_and_without_jacobian(with_jacobian):
    F = lambda x, p: np.array([x[0] ** 2 - p, x[1] - x[0]])  # noqa: E731  fold at p = 0, x = 0
    J = lambda x, p: np.array([[2 * x[0], 0.0, -1.0], [-1.0, 1.0, 0.0]])  # noqa: E731
    r = w.continue_problem(F, [-1.0, -1.0], 1.0, window=(-0.5, 2), jacobian=J if with_jacobian else None)
    sp = r.special_points
    folds = [i for i, t in enumerate(sp["type"]) if t == "fold"]
    assert len(folds) == 1
    assert abs(sp["p"][folds[0]]) < 1e-9 and np.allclose(sp["x"][folds[0]], 0, atol=1e-6)
    assert sp["normal_form"][folds[0]] != 0
    b = r.branches[0]
    assert b.p.max() == pytest.approx(2) and b.x[:, 0].min() < -1.4 and b.x[:, 0].max() > 1.4


def test_python_errors_pass_through():
    def bad(x, p):
        raise RuntimeError("boom in F")
    with pytest.raises(RuntimeError, match="boom in F"):
        w.continue_problem(bad, [0.0], 0.0, window=(-1, 1))
    with pytest.raises(ValueError, match="must return a 1-D array of 1 numbers"):
        w.continue_problem(lambda x, p: np.zeros(3), [0.0], 0.0, window=(-1, 1))
    with pytest.raises(ValueError, match="p0 = 5 is outside the window"):
        w.continue_problem(pitchfork, [0.0], 5.0, window=(-1, 1))
