"""Reference results (results/<chapter>.json and .ipynb, book/results.md) and how the book
shows them.

A record is written by a chapter's own last cell (save_results in the set-up cell). The
committed ones in results/ are reference runs: full profile, from a committed state, with the
executed notebook that the web book renders while it is current. The suite's nbmake runs write
quick-profile records, which test_standalone.py checks with the same rules (tests/records.py),
so every CI run exercises the pipeline.
"""
import ast
import copy
import json
import sys

import nbformat
import pytest
from conftest import ROOT
from records import MODEL_CHAPTERS, REFERENCE_MARKER, RESULTS, dlmath_results, problems, results_spec


def reference_cell(chapter):
    nb = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and
             c.source.startswith(REFERENCE_MARKER)]
    assert len(cells) == 1, f"{chapter} has {len(cells)} reference-run cells, not one"
    return cells[0]


def test_the_model_chapters_are_the_four():
    assert MODEL_CHAPTERS == ["activations", "gradient_descent", "loss_functions",
                              "recursive_networks"]
    assert {e["chapter"] for e in results_spec()} == set(MODEL_CHAPTERS)
    assert sorted(dlmath_results.CPU_BUDGET_MINUTES) == MODEL_CHAPTERS
    assert sorted(dlmath_results.GPU_GOAL_SECONDS) == MODEL_CHAPTERS
    assert dlmath_results.model_chapters() == MODEL_CHAPTERS


def test_results_holds_reference_runs_of_model_chapters_only():
    names = sorted(p.name for p in RESULTS.iterdir())
    allowed = {"README.md"} | {f"{c}.{x}" for c in MODEL_CHAPTERS for x in ("json", "ipynb")}
    assert set(names) <= allowed, f"unexpected files in results/: {set(names) - allowed}"


@pytest.mark.parametrize("path", sorted(RESULTS.glob("*.json")), ids=lambda p: p.stem)
def test_reference_run_is_valid(path):
    record = json.loads(path.read_text(encoding="utf-8"))
    assert problems(record, path.stem, reference=True) == []
    run = path.with_suffix(".ipynb")
    assert run.is_file(), f"results/{run.name}, the executed notebook of the record, is missing"
    assert run.stat().st_size < 3_000_000, f"results/{run.name} is over 3 MB"
    nb = nbformat.read(run, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "\n".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "dlmath: profile 'full'" in text, f"results/{run.name} did not run the full profile"
    assert not [o for o in outputs if o.get("output_type") == "error"], f"{run.name} has errors"


@pytest.mark.parametrize("chapter", MODEL_CHAPTERS)
def test_reference_cell_is_a_copy_of_the_results_file(chapter):
    """The notebook carries the file's record (it must stand alone); `make sync` copies it."""
    cell = reference_cell(chapter)
    assignment = cell.source.split("REFERENCE = ", 1)[1]
    path = RESULTS / f"{chapter}.json"
    if path.is_file():
        assert ast.literal_eval(assignment) == json.loads(path.read_text(encoding="utf-8")), (
            f"the reference cell of {chapter} differs from {path.name}: run `make sync`")
        assert cell.metadata.get("tags") == ["hide-input"]
    else:
        assert assignment.split("#")[0].strip() == "None", (
            f"{chapter} has reference data but no results/{chapter}.json")
        assert cell.metadata.get("tags") == ["remove-cell"]


def valid_record(chapter="activations"):
    """A made-up record that satisfies every rule for a reference run of `chapter`."""
    record = {"schema": 1, "chapter": chapter, "profile": "full",
              "date": "2026-11-26T10:00:00+00:00", "device": "NVIDIA H100 80GB HBM3",
              "gpu": True, "backend": "jax", "keras": "3.15.1",
              "versions": {"python": "3.12.3", "numpy": "2.1.0", "keras": "3.15.1",
                           "jax": "0.11.2"},
              "git_commit": "0123456789abcdef0123456789abcdef01234567",
              "notebook_seconds": 55.0, "train_seconds": {"mnist": 20.0},
              "metrics": {}, "curves": {"mnist_train": {"loss": [0.5, 0.2]}}, "details": {},
              "data": {"mnist": {"source": "mirror", "copy": "", "files": ["mnist.npz"]}}}
    for entry in results_spec():
        if entry["chapter"] == chapter:
            keys = entry["metric"].split(".")
            node = record
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node.setdefault(keys[-1], 0.5)
    return record


@pytest.mark.parametrize("breakage, expected", [
    (lambda r: r.update(profile="quick"), "full profile"),
    (lambda r: r.update(git_commit=r["git_commit"] + "-dirty"), "clean commit"),
    (lambda r: r.pop("device"), "device is missing"),
    (lambda r: r["metrics"].update(digits_test_accuracy=float("nan")), "finite number"),
    (lambda r: r["metrics"].pop("mnist_test_error"), "mnist_test_error is missing"),
    (lambda r: r["curves"]["mnist_train"].update(loss=[]), "curves.mnist_train.loss"),
    (lambda r: r.update(date="2026-11-26 10:00"), "no time zone"),
    (lambda r: r["data"]["mnist"].update(source="somewhere"), "data.mnist"),
    (lambda r: r["train_seconds"].update(mnist=99.0), "add up to more"),
])
def test_the_validator_rejects_a_broken_record(breakage, expected):
    record = valid_record()
    assert problems(record, "activations", reference=True) == []
    broken = copy.deepcopy(record)
    breakage(broken)
    assert any(expected in p for p in problems(broken, "activations", reference=True))


def test_the_results_table_shows_the_records():
    """The directive's table, from a made-up record and a pending chapter."""
    spec = results_spec()
    record = valid_record("activations")
    record["metrics"].update(digits_test_accuracy=0.9912, mnist_test_error=0.0081)
    record["train_seconds"].update(digits_ensemble=12.3)
    records = {chapter: None for chapter in MODEL_CHAPTERS} | {"activations": record}
    statuses = {chapter: "missing" for chapter in MODEL_CHAPTERS} | {"activations": "current"}
    text = "\n".join(dlmath_results.table_lines(spec, records, statuses))
    digits = next(line for line in text.splitlines() if "scikit-learn digits" in line)
    assert "| 99.1% | 12 s | ≥ 99.0% | yes |" in digits
    mnist = next(line for line in text.splitlines() if "MNIST, test error" in line)
    assert "| 0.81% | 20 s | ≤ 0.70% | **no** |" in mnist
    anchor = next(line for line in text.splitlines() if "listing 4.2, loss fixed (" in line)
    assert "(first — of its 100 epochs)" in anchor  # a pending chapter: no number to fill in
    records["gradient_descent"] = {**valid_record("gradient_descent"),
                                   "details": {"anchor_epochs": 7}}
    text_gd = "\n".join(dlmath_results.table_lines(spec, records, statuses))
    assert "(first 7 of its 100 epochs)" in text_gd  # the label's number comes from the record
    records["gradient_descent"] = None
    rnt = next(line for line in text.splitlines() if "RNTN, SST, 5 classes" in line)
    assert "| missing |" in rnt
    assert ("| current; full profile, 2026-11-26 | NVIDIA H100 80GB HBM3, Keras 3.15.1 on jax | "
            "1 min | 45 min | 60 s: 55 s measured | mnist: mirror | `0123456789` |") in text
    record.update(gpu=False, device="AMD EPYC, 2 cores", notebook_seconds=50 * 60.0)
    statuses["activations"] = "stale"
    text = "\n".join(dlmath_results.table_lines(spec, records, statuses))
    assert ("| **stale**: the code changed since; full profile, 2026-11-26 | AMD EPYC, 2 cores, "
            "Keras 3.15.1 on jax | 50 min (**over**) | 45 min | 60 s: not measured |") in text


@pytest.mark.xdist_group("book")
def test_the_pages_show_what_the_files_say(built_book):
    """Each model chapter says at the top which run it shows, and that is the run it shows: the
    reference run (its set-up cell printed the full profile, its numbers are the record's) when
    that run is current, else the build's own quick execution."""
    from bs4 import BeautifulSoup

    records = dlmath_results.load_records(MODEL_CHAPTERS)
    for chapter in MODEL_CHAPTERS:
        status, record = dlmath_results.reference_status(chapter)
        soup = BeautifulSoup((built_book / "book" / f"{chapter}.html").read_text(
            encoding="utf-8"), "html.parser")
        tables = [" ".join(t.get_text(" ").split()) for t in soup.select(".cell_output table")]
        assert any("this run" in t for t in tables), f"{chapter}: no results table in the outputs"
        text = " ".join(soup.get_text(" ").split())
        top = " ".join(soup.select_one(".admonition").get_text(" ").split())
        if status == "current":
            assert "This page shows the reference run" in top, (chapter, top)
            assert record["device"] in top and record["git_commit"][:10] in top, top
            assert "dlmath: profile 'full'" in text, f"{chapter} claims the reference run"
            for entry in results_spec():  # the reference's accuracies, as the chapter prints them
                if entry["chapter"] == chapter and entry["format"].startswith("percent"):
                    value = dlmath_results.lookup(record, entry["metric"])
                    if value is None and entry.get("gpu_only"):
                        continue
                    shown = dlmath_results.formatted(value, entry["format"]).rstrip("%")
                    assert shown in text, f"{chapter} does not show {entry['metric']} = {shown}"
        else:
            assert "This page was executed when the book was built" in top, (chapter, top)
            assert ("No reference run is stored yet" if status == "missing" else "is stale") in top
            assert "dlmath: profile 'full'" not in text or "full profile" in top, chapter
    page = BeautifulSoup((built_book / "book" / "results.html").read_text(encoding="utf-8"),
                         "html.parser")
    table = page.find("div", class_="dlmath-results").find("table")
    rows = [[" ".join(td.get_text(" ").replace("\u2019", "'").split()) for td in tr.find_all("td")]
            for tr in table.find_all("tr")]
    rows = [row for row in rows if row]  # the header row has th cells only
    spec = results_spec()
    assert len(rows) == len(spec)
    for entry, row in zip(spec, rows):
        record = records[entry["chapter"]]
        assert row[1] == " ".join(dlmath_results.filled(entry["model"], record).split()), row
        if record is None:
            assert row[2] == "missing", row
        elif entry.get("gpu_only") and not record["gpu"]:
            assert row[2] == "not measured (needs a GPU run)", row
        else:
            value = dlmath_results.lookup(record, entry["metric"])
            assert row[2] == dlmath_results.formatted(value, entry["format"]), row
    runs = page.find_all("div", class_="dlmath-results")[0].find_all("table")[1]
    run_text = " ".join(runs.get_text(" ").split())
    for chapter in MODEL_CHAPTERS:
        status, record = dlmath_results.reference_status(chapter)
        expected = {"current": "current;", "stale": "stale", "missing": "missing"}[status]
        row = next(" ".join(tr.get_text(" ").split()) for tr in runs.find_all("tr")
                   if chapter.replace("_", " ").capitalize() in tr.get_text())
        assert expected in row, (chapter, row, run_text)


def test_a_synced_record_leaves_its_run_current(tmp_path):
    """The trap: the reference cell is code, and the cache key hashes code. `make results` runs
    notebooks/<chapter>.ipynb (whose reference cell holds the previous record), then sync writes
    the new record into the chapter; unless it writes the same into results/<chapter>.ipynb, the
    run it has just made is stale at once. Checked on every model chapter's real notebooks."""
    import jupytext

    sys.path.insert(0, str(ROOT / "tools"))
    import sync

    for chapter in MODEL_CHAPTERS:
        chapter_nb = jupytext.read(ROOT / "book" / f"{chapter}.md")
        executed = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
        for cell in executed.cells:  # what nbclient adds to an executed notebook
            if cell.cell_type == "code":
                cell.metadata["execution"] = {"iopub.status.busy": "2026-12-01T10:00:00Z"}
                cell.outputs = [nbformat.v4.new_output("stream", text="dlmath: profile 'full'")]
        assert dlmath_results.code_key(executed) == dlmath_results.code_key(chapter_nb), (
            f"{chapter}: the paired notebook and the chapter hash differently")
        record = valid_record(chapter) | {"notebook_seconds": 1234.5}
        fake = tmp_path / f"{chapter}.json"
        fake.write_text(json.dumps(record), encoding="utf-8")
        assert sync.set_reference_cell(chapter_nb, chapter, fake)
        assert dlmath_results.code_key(executed) != dlmath_results.code_key(chapter_nb)
        assert sync.set_reference_cell(executed, chapter, fake)
        assert dlmath_results.code_key(executed) == dlmath_results.code_key(chapter_nb), (
            f"{chapter}: after sync, its reference run no longer matches the chapter")
        assert not sync.set_reference_cell(executed, chapter, fake)  # idempotent


def test_the_set_up_cell_shows_a_reference_run(tmp_path, monkeypatch):
    """The chapters' helpers with a reference record present (no GPU run exists yet to
    exercise them through a chapter), and save_results writing a record."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("DLMATH_RESULTS", str(tmp_path))
    monkeypatch.setenv("DLMATH_PROFILE", "quick")
    monkeypatch.setenv("DLMATH_GIT_COMMIT", "f" * 40)
    ns = {}
    exec(compile((ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8"),
                 "setup_cell", "exec"), ns)
    assert "No reference run is stored yet" in ns["reference_note"]("activations")
    ns["REFERENCE"] = valid_record("activations")
    ns["RESULTS"]["metrics"]["mnist_test_error"] = 0.088
    rows = [("MNIST, test error", "metrics.mnist_test_error", lambda v: f"{100 * v:.2f}%",
             "≤ 0.7%", ""),
            ("whole notebook", "notebook_seconds", lambda v: f"{v:.0f} s", "", "")]
    table = ns["results_table"]("activations", rows)
    assert "| this run (quick profile) | reference run (NVIDIA H100 80GB HBM3, 2026-11-26) |" in table
    assert "| MNIST, test error | 8.80% | 50.00% | ≤ 0.7% |" in table
    assert "| whole notebook | — | 55 s |" in table
    assert "Reference run: full profile on NVIDIA H100 80GB HBM3 (jax), 2026-11-26" in table
    ns["REFERENCE_RUN"] = True  # `make results` making a new reference run: nothing to compare
    table = ns["results_table"]("activations", rows)
    assert "| | this run (quick profile) | goal | anchors |" in table, table
    assert "This is a reference run" in table
    fig, ax = plt.subplots()
    assert not ns["plot_reference"](ax, "mnist_train.loss", color="C0")
    plt.close(fig)
    ns["REFERENCE_RUN"] = False
    fig, ax = plt.subplots()
    assert ns["plot_reference"](ax, "mnist_train.loss", color="C0")
    assert not ns["plot_reference"](ax, "no_such.curve")
    assert list(ax.lines[0].get_ydata()) == [0.5, 0.2] and ax.lines[0].get_linestyle() == "--"
    plt.close(fig)
    ns["RESULTS"]["train_seconds"]["mnist"] = 0.5
    ns["RESULTS"]["curves"]["mnist_train"] = {"loss": [0.3, 0.1]}
    ns["record_data"]("cifar10", "mirror", {"x": tmp_path / "cifar10_jpeg_q75.tar.gz"})
    ns["save_results"]("activations")
    record = json.loads((tmp_path / "activations.json").read_text(encoding="utf-8"))
    assert record["git_commit"] == "f" * 40 and record["profile"] == "quick"
    assert record["metrics"] == {"mnist_test_error": 0.088}
    assert record["data"]["cifar10"] == {"source": "mirror", "files": ["cifar10_jpeg_q75.tar.gz"],
                                         "copy": "JPEG copy, quality 75 (lossy pixels)"}
    assert [p for p in problems(record, "activations") if "is missing" not in p] == []


def test_a_chapter_shows_a_reference_record(tmp_path):
    """End to end, with a made-up record: the reference cell that tools/sync.py writes, run in
    the recursive-networks chapter (the quickest), shows the record's numbers beside this run's."""
    from nbclient import NotebookClient

    sys.path.insert(0, str(ROOT / "tools"))
    import sync

    record = valid_record("recursive_networks")
    keys = ("fine_all", "fine_root", "binary_all", "binary_root")
    record["metrics"] = {f"{kind}_{key}": 0.4 + 0.01 * i
                         for i, (kind, key) in enumerate((k, m) for k in ("average", "plain", "tensor")
                                                         for m in keys)}
    record["curves"] = {kind: {"objective": [2.0, 1.5], "dev_fine_root": [0.3, 0.4]}
                        for kind in ("average", "plain", "tensor")}
    record["train_seconds"] = {"average": 1.0, "plain": 2.0, "tensor": 3.0}
    fake = tmp_path / "recursive_networks.json"
    fake.write_text(json.dumps(record), encoding="utf-8")
    source, tags = sync.reference_cell("recursive_networks", fake)
    nb = nbformat.read(ROOT / "notebooks" / "recursive_networks.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(REFERENCE_MARKER))
    cell.source, cell.metadata["tags"] = source, tags
    for cell in nb.cells:  # live widgets are not under test here, and can stall nbclient (#312)
        if cell.cell_type == "code":
            cell.source = cell.source.replace("widgets.interact(", "(lambda *args, **kwargs: None)(")
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = "\n".join(output.get("data", {}).get("text/markdown", "") for c in nb.cells
                      if c.cell_type == "code" for output in c.outputs)
    assert "| RNTN, reference run (NVIDIA H100 80GB HBM3) | 48.0 | 49.0 | 50.0 | 51.0 |" in shown
    assert "Reference run: full profile on NVIDIA H100 80GB HBM3 (jax), 2026-11-26" in shown
    assert "the reference run's, 6 s" in shown
