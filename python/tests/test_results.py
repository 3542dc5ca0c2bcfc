"""Every result object loads into pandas and into plain dicts (issue 14), and
bad arrays are refused as the CLI refuses bad files."""
import warnings

import numpy as np
import pytest

import waddington as w


def test_memory_analysis_tables():
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, size=(6, 20))
    memories = images[:2] * 0.5 + images[2:4] * 0.25  # in the span of the samples
    a = w.analyze(memories, images, np.array([0, 0, 1, 1, 2, 2]))
    df = a.to_pandas()
    assert list(df.columns) == ["memory", "dominant_alphabar", "max_alpha", "samples_needed", "span_residual"]
    assert len(df) == 2
    np.testing.assert_allclose(np.asarray(a.alpha) @ images, memories, atol=1e-10)
    assert np.array_equal(np.asarray(a.alphabar), np.asarray(a.alpha_by_class))
    assert list(a.samples_needed) == list(a.samples_to_reconstruct)
    assert set(a.to_dict()) >= {"alpha", "mean_max_alpha"}


def test_phase_portrait_tables():
    p = w.phase_portrait(n=20, T=700, start=[(0.45, 0.0)], duration=2000, rate=0.005)
    v = p.to_pandas()
    assert list(v.columns) == ["alpha", "ell", "dalpha", "dell"] and len(v) > 0
    t = p.to_pandas("trajectories")
    assert list(t.columns) == ["curve", "alpha", "ell"] and len(t) > 1
    assert len(p.to_pandas("memory_nullclines")) > 0
    assert len(p.to_pandas("fixed_points")) == 3
    d = p.to_dict()
    assert d["fixed_points"] == p.fixed_points.to_dict()
    with pytest.raises(ValueError, match="table 'nope'"):
        p.to_pandas("nope")


def test_engine_result_dict():
    r = w.continue_problem(lambda x, p: np.array([p * x[0] - x[0] ** 3]), [0.0], -1.0, window=(-1, 1))
    d = r.to_dict()
    assert d["complete"] and len(d["branches"]) == len(r.branches)
    assert "branch_point" in list(d["special_points"]["type"])


def test_non_finite_arrays_are_refused():
    images = np.zeros((20, 784))
    images[3, 5] = np.nan
    with pytest.raises(ValueError, match="images: the images contain NaN or infinite values"):
        w.train(images, "blocks:2", memories=2, epochs=1)
    with pytest.raises(ValueError, match="memories: the memories contain NaN"):
        w.analyze(np.full((2, 784), np.inf), np.ones((2, 784)), np.array([0, 1]))


def test_bytes_after_an_npy_array_are_a_warning(tmp_path):
    # As the CLI prints "waddington: warning: ...": one UserWarning per file and problem.
    x = np.where(np.random.default_rng(3).random((2, 784)) < 0.5, 1.0, -1.0)
    f = tmp_path / "trailing.npy"
    np.save(f, x)
    with open(f, "ab") as out:
        out.write(b"\0" * 16)
    with pytest.warns(UserWarning, match="16 bytes after the npy array's 1568 elements were ignored"):
        fp = w.fixed_points(images=str(f), pair="0,1", n=20, Tr=0.9)
    assert len(fp.to_dict()["fixed_points"]) >= 1
    clean = tmp_path / "clean.npy"
    np.save(clean, x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.fixed_points(images=str(clean), pair="0,1", n=20, Tr=0.9)
