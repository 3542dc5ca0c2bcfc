"""The module's results equal the CLI's to the last digit: the same library
call, written by the same writers (byte-identical CSVs), and the numpy
columns agree with the CSV text when formatted as the writer formats them."""
import numpy as np
import pytest

import waddington as w


def read(path):
    return path.read_text()


def csv_rows(text):
    lines = text.strip().split("\n")
    header = lines[0].split(",")
    return header, [line.split(",") for line in lines[1:]]


def test_figure5_diagram_equals_cli(cli, tmp_path):
    cli("continue", "--param", "n", "--from", 1, "--to", 60, "--T", 700, "--out", tmp_path)
    d = w.continue_diagram(param="n", window=(1, 60), T=700)
    assert d.complete, d.warnings
    assert d.to_csv("branches") == read(tmp_path / "branches.csv")
    assert d.to_csv("special_points") == read(tmp_path / "special_points.csv")
    # The numpy columns themselves, printed as branches.csv prints them (%.12g).
    header, rows = csv_rows(read(tmp_path / "branches.csv"))
    cols = d.columns("branches")
    assert len(rows) == len(cols["n"]) > 100
    for name in ("n", "T", "alpha", "alpha_B", "ell", "Tr"):
        k = header.index(name)
        assert [f"{v:.12g}" for v in cols[name]] == [r[k] for r in rows], name
    assert list(cols["stability"]) == [r[header.index("stability")] for r in rows]
    assert [str(b) for b in cols["branch"]] == [r[0] for r in rows]
    header, rows = csv_rows(read(tmp_path / "special_points.csv"))
    sp = d.special_points
    assert list(sp["type"]) == [r[0] for r in rows]
    assert [f"{v:.12g}" for v in sp["n"]] == [r[header.index("n")] for r in rows]
    assert len(d.folds["n"]) == 2


@pytest.mark.parametrize("n", [20, 40])
def test_fixed_points_equal_cli(cli, tmp_path, n):
    cli("fixed-points", "--n", n, "--T", 700, "--out", tmp_path)
    fp = w.fixed_points(n=n, T=700)
    assert fp.to_csv() == read(tmp_path / "fixed_points.csv")
    header, rows = csv_rows(read(tmp_path / "fixed_points.csv"))
    cols = fp.columns()
    assert len(rows) == len(fp) >= 3
    for name in ("alpha", "alpha_B", "ell", "eig1"):
        k = header.index(name)
        # reduced_models/formats.cpp prints these with {:.10g} (number())
        assert [f"{v:.10g}" for v in cols[name]] == [r[k] for r in rows], name
    assert list(cols["stability"]) == [r[header.index("stability")] for r in rows]
    table = cli("fixed-points", "--n", n, "--T", 700).stdout
    assert fp.report() == table


def test_synthetic_training_equals_cli(cli, tmp_path):
    args = dict(memories=20, epochs=4, seed=3, n=20, T=600, rate=0.01)
    cli("train", "--synthetic", *[x for k, v in args.items() for x in (f"--{k}", v)], "--out", tmp_path)
    seen = []
    r = w.train(synthetic=True, progress=lambda e, total, cost, acc: seen.append((e, total)), **args)
    assert r.complete
    assert seen == [(e, 4) for e in range(5)]
    assert np.array_equal(r.memories, np.load(tmp_path / "memories.npy"))
    assert np.array_equal(r.labels, np.load(tmp_path / "labels.npy"))
    assert r.to_csv() == read(tmp_path / "metrics.csv")
    assert r.memories.shape == (20, 784) and not r.memories.flags.owndata  # a view of the result


def test_paper200_training_from_arrays_equals_cli(cli, tmp_path, paper200):
    args = ["--memories", 10, "--epochs", 3, "--seed", 7, "--n", 20, "--Tr", 0.9, "--digits", "1,4"]
    cli("train", "--images", paper200, "--labels", "blocks:20", *args, "--out", tmp_path)
    images = np.load(paper200)[0]
    labels = np.repeat(np.arange(10), 20)
    r = w.train(images, labels, memories=10, epochs=3, seed=7, n=20, Tr=0.9, digits=[1, 4])
    assert np.array_equal(r.memories, np.load(tmp_path / "memories.npy"))
    assert np.array_equal(r.labels, np.load(tmp_path / "labels.npy"))
    assert r.to_csv() == read(tmp_path / "metrics.csv")
    assert r.parameters["selected_rows"] == list(range(20, 40)) + list(range(80, 100))
    # the same from the file, as the CLI reads it
    f = w.train(str(paper200), "blocks:20", memories=10, epochs=3, seed=7, n=20, Tr=0.9, digits="1,4")
    assert np.array_equal(f.memories, r.memories)
    a = w.analyze(r.memories, images[20:40], "blocks:20")
    assert a.alpha.shape == (10, 20)


BAD = [
    (["fixed-points", "--n", "-3"], "fixed_points", dict(n=-3)),
    (["fixed-points", "--seed-alpha", "0"], "fixed_points", dict(seed_alpha=0)),
    (["fixed-points", "--chart", "2"], "fixed_points", dict(chart=2)),
    (["fixed-points", "--Tr", "-1"], "fixed_points", dict(Tr=-1)),
    (["continue", "--param", "x"], "continue_diagram", dict(param="x")),
    (["continue", "--from", "60", "--to", "1"], "continue_diagram", dict(window=(60, 1))),
    (["continue", "--n", "3"], "continue_diagram", dict(n=3)),
    (["continue", "--ds-max", "0"], "continue_diagram", dict(ds_max=0)),
    (["fold-curve", "--n-range", "5:2"], "fold_curves", dict(n_range="5:2")),
    (["train", "--synthetic", "--epochs", "-1"], "train", dict(synthetic=True, epochs=-1)),
    (["train", "--synthetic", "--bound", "box"], "train", dict(synthetic=True, bound="box")),
    (["train", "--synthetic", "--rate", "0"], "train", dict(synthetic=True, rate=0)),
]


@pytest.mark.parametrize("args,function,keywords", BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_input_same_message_as_cli(cli, args, function, keywords):
    done = cli(*args, check=False)
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().split("\n")[-1]
    assert line.startswith("waddington: error: ")
    with pytest.raises(ValueError) as e:
        getattr(w, function)(**keywords)
    assert str(e.value) == line[len("waddington: error: "):]


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="unexpected keyword argument 'seed_alfa'.*seed_alpha"):
        w.fixed_points(seed_alfa=10)
    with pytest.raises(TypeError, match="'n'"):
        w.fixed_points(n="twenty")


def test_to_pandas_and_to_dict():
    fp = w.fixed_points(n=20, T=700)
    df = fp.to_pandas()
    assert list(df.columns[:4]) == ["alpha", "alpha_B", "ell", "stability"]
    assert (df["stability"] == "stable").sum() == fp.count("stable")
    assert fp.to_dict()["fixed_points"][0]["alpha"] == fp.alpha[0]
    d = w.continue_diagram(window=(10, 30))
    assert len(d.to_pandas("special_points")) == len(d.special_points["n"])
    assert d.to_dict()["complete"] is True


def test_transition_line_equals_cli(cli, tmp_path, paper200):
    cli("transition-line", "--images", paper200, "--pair", "20,21", "--n-list", "2,5,10,20,30", "--out", tmp_path)
    t = w.transition_line(images=str(paper200), pair=(20, 21), n_list=[2, 5, 10, 20, 30])
    assert t.to_csv() == read(tmp_path / "transition.csv")
    header, rows = csv_rows(read(tmp_path / "transition.csv"))
    assert [f"{v:.6f}" for v in t.columns()["T_star"]] == [r[header.index("T_star")] for r in rows]
    with pytest.raises(ValueError, match="^--images is required$"):
        w.transition_line(pair=(20, 21))
