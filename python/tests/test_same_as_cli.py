"""The module's results equal the CLI's to the last digit: the same library
call, written by the same writers (byte-identical CSVs), and the numpy
columns agree with the CSV text when formatted as the writer formats them."""
import json

import numpy as np
import pytest

import waddington as w


def read(path):
    return path.read_text()


def untimed(summary):
    """A summary without its wall times (keys ending in "seconds"), which differ from run to run."""
    if isinstance(summary, dict):
        return {k: untimed(v) for k, v in summary.items() if not k.endswith("seconds")}
    if isinstance(summary, list):
        return [untimed(v) for v in summary]
    return summary


def csv_rows(text):
    lines = text.strip().split("\n")
    header = lines[0].split(",")
    return header, [line.split(",") for line in lines[1:]]


def test_figure5_diagram_equals_cli(cli, tmp_path):
    done = cli("continue", "--param", "n", "--n-range", "1:60", "--T", 700, "--out", tmp_path)
    d = w.continue_diagram(param="n", n_range=(1, 60), T=700)
    assert d.complete, d.warnings
    assert d.to_csv("branches") == read(tmp_path / "branches.csv")
    assert d.to_csv("special_points") == read(tmp_path / "special_points.csv")
    assert d.report() == done.stdout
    # the same window as text, as window=(A, B), and as the default (n: 1:60)
    for same in (w.continue_diagram(param="n", n_range="1:60", T=700), w.continue_diagram(window=(1, 60), T=700),
                 w.continue_diagram(T=700)):
        assert same.window == (1, 60) and same.to_csv("branches") == d.to_csv("branches")
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


def test_diagram_in_T_default_window_equals_cli(cli, tmp_path):
    # --param T: the default window is T_r 0.8:1.15 (times N = 784), not n's 1:60
    cli("continue", "--param", "T", "--n", 30, "--out", tmp_path)
    d = w.continue_diagram(param="T", n=30)
    assert d.window == pytest.approx((0.8 * 784, 1.15 * 784))
    assert d.to_csv("branches") == read(tmp_path / "branches.csv")
    assert d.to_csv("special_points") == read(tmp_path / "special_points.csv")
    assert w.continue_diagram(param="T", n=30, Tr_range=(0.8, 1.15)).to_csv("branches") == d.to_csv("branches")
    cli("continue", "--param", "T", "--n", 30, "--T-range", "650:750", "--out", tmp_path / "T")
    t = w.continue_diagram(param="T", n=30, T_range=(650, 750))
    assert t.window == (650, 750) and t.to_csv("branches") == read(tmp_path / "T" / "branches.csv")


def test_k2_system_equals_cli(cli, tmp_path):
    # --system k2: the asymmetric branches of the two-memory system from every symmetry-breaking point
    cli("continue", "--system", "k2", "--param", "T", "--n", 30, "--out", tmp_path)
    d = w.continue_diagram(system="k2", param="T", n=30)
    assert d.k2["complete"] and d.k2["brief"].startswith("K = 2 system: 2 asymmetric branches")
    assert d.to_csv("k2_branches") == read(tmp_path / "k2_branches.csv")
    header, rows = csv_rows(read(tmp_path / "k2_branches.csv"))
    cols = d.columns("k2_branches")
    for name in ("T", "alpha1", "ell1", "alpha2", "ell2"):
        assert [f"{v:.12g}" for v in cols[name]] == [r[header.index(name)] for r in rows], name
    assert w.continue_diagram(T=700).k2 is None


def test_fold_curves_default_window_equals_cli(cli, tmp_path):
    args = ["--n-range", "10:40", "--map-cells", "20,10", "--map-check-rows", 2]
    done = cli("fold-curve", *args, "--out", tmp_path)
    f = w.fold_curves(n_range=(10, 40), map_cells=[20, 10], map_check_rows=2)
    assert f.to_csv("curves") == read(tmp_path / "fold_curves.csv")
    assert f.to_csv("map") == read(tmp_path / "region_map.csv")
    assert f.report() == done.stdout
    assert untimed(f.to_dict()) == untimed(json.loads(read(tmp_path / "run.json"))["summary"])
    assert f.columns("map")["Tr"].min() == pytest.approx(0.8) and f.columns("map")["Tr"].max() == pytest.approx(1.15)


@pytest.mark.parametrize("n", [20, 40])
def test_fixed_points_equal_cli(cli, tmp_path, n):
    cli("fixed-points", "--n", n, "--T", 700, "--out", tmp_path)
    fp = w.fixed_points(n=n, T=700)
    assert fp.to_csv() == read(tmp_path / "fixed_points.csv")
    header, rows = csv_rows(read(tmp_path / "fixed_points.csv"))
    assert header[-3:] == ["n", "T", "Tr"] and float(rows[0][-3]) == n
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
    assert fp.report().startswith("# T = 700 (T_r = 0.8929), n = %d, k = 2 identical memories" % n)
    # --alpha-range and the search grid, by their CLI names
    args = ["--alpha-range", "0:1", "--search-alpha-cells", 20, "--search-ell-cells", 10, "--memories-identical", 1]
    narrow = w.fixed_points(n=n, T=700, alpha_range=(0, 1), search_alpha_cells=20, search_ell_cells=10,
                            memories_identical=1)
    assert narrow.report() == cli("fixed-points", "--n", n, "--T", 700, *args).stdout
    assert all(narrow.alpha >= 0)


def test_summaries_equal_cli_json(cli):
    # to_dict() is the summary `--format json` prints (with the effective temperature)
    fp = w.fixed_points(n=20, T=700)
    assert untimed(fp.to_dict()) == untimed(json.loads(cli("fixed-points", "--n", 20, "--T", 700, "--format", "json").stdout))
    assert fp.temperature == fp.to_dict()["temperature"] and fp.temperature["memories_identical"] == 2
    # to_csv() is fixed_points.csv, which `--format csv` prints too (n, T, Tr included)
    assert fp.to_csv() == cli("fixed-points", "--n", 20, "--T", 700, "--format", "csv").stdout
    d = w.continue_diagram(n_range=(10, 30))
    assert untimed(d.to_dict()) == untimed(json.loads(cli("continue", "--n-range", "10:30", "--format", "json").stdout))


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
    cols = r.columns()  # metrics.csv's per-class counts, predicted_d included: each sample predicted once
    predicted = sum(np.asarray(cols[f"predicted_{d}"]) for d in range(10))
    assert list(predicted) == [r.parameters["num_samples"]] * 5
    assert all((np.asarray(cols[f"predicted_{d}"]) >= np.asarray(cols[f"correct_{d}"])).all() for d in range(10))


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
    (["fixed-points", "--search-alpha-cells", "0"], "fixed_points", dict(search_alpha_cells=0)),
    (["fixed-points", "--chart", "2"], "fixed_points", dict(chart=2)),
    (["fixed-points", "--Tr", "-1"], "fixed_points", dict(Tr=-1)),
    (["fixed-points", "--alpha-range", "1:0"], "fixed_points", dict(alpha_range=(1, 0))),
    (["fixed-points", "--alpha-range", "0"], "fixed_points", dict(alpha_range="0")),
    (["continue", "--param", "x"], "continue_diagram", dict(param="x")),
    (["continue", "--n-range", "60:1"], "continue_diagram", dict(n_range=(60, 1))),
    (["continue", "--n-range", "1:x"], "continue_diagram", dict(n_range="1:x")),
    (["continue", "--from", "60", "--to", "1"], "continue_diagram", dict(window=(60, 1))),
    (["continue", "--n", "3"], "continue_diagram", dict(n=3)),
    (["continue", "--param", "T", "--T", "700"], "continue_diagram", dict(param="T", T=700)),
    (["continue", "--Tr-range", "0.8:1"], "continue_diagram", dict(Tr_range=(0.8, 1))),
    (["continue", "--param", "T", "--n-range", "1:60"], "continue_diagram", dict(param="T", n_range=(1, 60))),
    (["continue", "--param", "T", "--T-range", "600:700", "--Tr-range", "0.8:1"], "continue_diagram",
     dict(param="T", T_range=(600, 700), Tr_range=(0.8, 1))),
    (["continue", "--system", "k3"], "continue_diagram", dict(system="k3")),
    (["continue", "--system", "k2", "--method", "grid"], "continue_diagram", dict(system="k2", method="grid")),
    (["continue", "--system", "k2", "--memories-identical", "1"], "continue_diagram",
     dict(system="k2", memories_identical=1)),
    (["continue", "--start", "0.5"], "continue_diagram", dict(start="0.5")),
    (["continue", "--alpha-range", "1:-1"], "continue_diagram", dict(alpha_range=(1, -1))),
    (["continue", "--ds-max", "0"], "continue_diagram", dict(ds_max=0)),
    (["continue", "--search-values", "0"], "continue_diagram", dict(search_values=0)),
    (["fold-curve", "--n-range", "5:2"], "fold_curves", dict(n_range="5:2")),
    (["fold-curve", "--n", "20"], "fold_curves", dict(n=20)),
    (["fold-curve", "--Tr-range", "1:0.5"], "fold_curves", dict(Tr_range=(1, 0.5))),
    (["fold-curve", "--map-check-rows", "-1"], "fold_curves", dict(map_check_rows=-1)),
    (["eigencheck", "--memories-identical", "2"], "eigencheck", dict(memories_identical=2)),
    (["transition-line", "--images", "x.npy", "--n-range", "2:40:1", "--n-step", "2"], "transition_line",
     dict(images="x.npy", n_range="2:40:1", n_step=2)),
    (["transition-line", "--images", "x.npy", "--n-range", "40:2"], "transition_line", dict(images="x.npy", n_range=(40, 2))),
    (["transition-line", "--images", "x.npy", "--n-step", "0"], "transition_line", dict(images="x.npy", n_step=0)),
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


PORTRAIT_BAD = [
    (["--start", "0.5"], dict(start="0.5")),
    (["--start", "0.5,0", "--start", "0.5;0"], dict(start=["0.5,0", "0.5;0"])),
    (["--rate", "0"], dict(rate=0)),
    (["--duration", "-5"], dict(duration=-5)),
    (["--alpha-range", "0:0"], dict(alpha_range=(0, 0))),
]


@pytest.mark.parametrize("args,keywords", PORTRAIT_BAD, ids=[" ".join(b[0]) for b in PORTRAIT_BAD])
def test_bad_phase_portrait_same_message_as_cli(cli, tmp_path, args, keywords):
    done = cli("phase-portrait", "--plot", tmp_path / "p.png", *args, check=False)
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().split("\n")[-1]
    with pytest.raises(ValueError) as e:
        w.phase_portrait(**keywords)
    assert "waddington: error: " + str(e.value) == line


def test_bad_compare_same_message_as_cli(cli, paper200):
    args = ["--images", paper200, "--pair", "21,81"]
    for extra, keywords in ((["--memories-identical", "2"], dict(memories_identical=2)),
                            (["--start", "0.45"], dict(start="0.45"))):
        done = cli("compare", *args, *extra, check=False)
        assert done.returncode == 2, done.stderr
        with pytest.raises(ValueError) as e:
            w.compare(images=str(paper200), pair=(21, 81), **keywords)
        assert "waddington: error: " + str(e.value) == done.stderr.strip().split("\n")[-1]


def test_phase_portrait_starts_and_time():
    one = w.phase_portrait(n=20, T=700, start=(0.45, 0.0), cells=60, flow_lines=0)
    two = w.phase_portrait(n=20, T=700, start=[(0.45, 0.0), "0.3,0.6"], cells=60, flow_lines=0)
    assert len(one.trajectories) == 1 and len(two.trajectories) == 2
    assert np.array_equal(one.trajectories[0], two.trajectories[0])
    assert one.window == (0, 1)  # the CLI's default --alpha-range 0:1
    short = w.phase_portrait(n=20, T=700, start=(0.45, 0.0), duration=100, rate=0.005, cells=60, flow_lines=0)
    assert len(short.trajectories[0]) < len(one.trajectories[0])  # time = duration x rate: 0.5 against 50


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="unexpected keyword argument 'seed_alfa'.*search_alpha_cells"):
        w.fixed_points(seed_alfa=10)
    for old in ("seed_alpha", "alpha_min", "seed_values", "trajectories", "t_max", "grid", "epochs"):
        with pytest.raises(TypeError, match=f"unexpected keyword argument '{old}'"):
            (w.continue_diagram if old == "seed_values" else
             w.phase_portrait if old in ("trajectories", "t_max", "grid", "epochs") else w.fixed_points)(**{old: 1})
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
    cli("transition-line", "--images", paper200, "--pair", "20,21", "--n-range", "2:10", "--n-step", 4,
        "--out", tmp_path / "range")
    r = w.transition_line(images=str(paper200), pair=(20, 21), n_range=(2, 10), n_step=4)
    assert list(r.columns()["n"]) == [2, 6, 10]
    assert r.to_csv() == read(tmp_path / "range" / "transition.csv")
    header, rows = csv_rows(read(tmp_path / "transition.csv"))
    assert [f"{v:.6f}" for v in t.columns()["T_star"]] == [r[header.index("T_star")] for r in rows]
    with pytest.raises(ValueError, match="^--images is required$"):
        w.transition_line(pair=(20, 21))
