"""The reference runs in the web book: the results page's table, each model chapter's top line,
and the executed reference notebooks handed to the build.

A model chapter's reference run is `results/<chapter>.ipynb` (the executed notebook) with its
record `results/<chapter>.json`, both written by `make results`. It is *current* when its code
cells and their metadata hash as the chapter's do (jupyter-cache's key, which MyST-NB uses to
find executed notebooks): then, at the start of the build, it goes into the build's
jupyter-cache and the page shows its outputs. Otherwise the chapter is executed at build time in
the quick profile, and its top line says so.

The directive's body is a YAML list, one entry per model and metric:

    - chapter: activations              # results/activations.json
      model: LeNet-5 on MNIST, test error
      metric: metrics.mnist_test_error  # a dotted key of the record
      format: percent:2                 # percent:<digits> or seconds
      goal: {max: 0.007}                # or {min: ...}: the issue's goal; optional
      time: train_seconds.mnist         # optional: the training time shown beside it
      anchors: LeNet-5 paper, 0.95%     # MyST text

A chapter whose file does not exist yet shows "pending". The numbers are never typed by
hand: they come from the files, which the chapters' own code writes (`make results`).
"""
import json
import os
import pathlib
import re

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
REFERENCE_MARKER = "# dlmath reference run"
# Whole notebook, set-up cell to last cell, TensorFlow on 2 CPU cores (issue 14), minutes.
CPU_BUDGET_MINUTES = {"activations": 45, "gradient_descent": 60, "loss_functions": 45,
                      "recursive_networks": 15}


def model_chapters():
    """Chapters with a reference-run cell, in name order."""
    return sorted(md.stem for md in (ROOT / "book").glob("*.md")
                  if REFERENCE_MARKER in md.read_text(encoding="utf-8"))


def code_key(nb):
    """jupyter-cache's hash of a notebook: its code cells with their metadata, and kernelspec."""
    from jupyter_cache.cache.main import JupyterCacheBase

    nb = nb.copy()
    nb.cells = [cell.copy() for cell in nb.cells]
    for cell in nb.cells:  # nbclient's timing metadata is not code
        cell.metadata = {k: v for k, v in cell.metadata.items() if k != "execution"}
    return JupyterCacheBase.create_hashed_notebook(None, nb)[1]


def chapter_key(chapter):
    import jupytext

    return code_key(jupytext.read(ROOT / "book" / f"{chapter}.md"))


def reference_status(chapter):
    """('current' | 'stale' | 'missing', record or None) of a chapter's reference run."""
    import nbformat

    run, record_path = RESULTS / f"{chapter}.ipynb", RESULTS / f"{chapter}.json"
    if not (run.is_file() and record_path.is_file()):
        return "missing", None
    record = json.loads(record_path.read_text(encoding="utf-8"))
    same = code_key(nbformat.read(run, as_version=4)) == chapter_key(chapter)
    return ("current" if same else "stale"), record


def run_facts(record):
    """'full profile on <device> (<backend>), <date>, <minutes> min, commit <sha>'."""
    return (f"{record['profile']} profile on {record['device']} ({record['backend']}), "
            f"{record['date'][:10]}, {record['notebook_seconds'] / 60:.0f} min for the whole "
            f"notebook, commit `{record['git_commit'][:10]}`")


def top_line(chapter):
    """The line at the top of a model chapter: which run the page shows."""
    status, record = reference_status(chapter)
    if status == "current":
        return (f"```{{note}}\n**This page shows the reference run**: {run_facts(record)}. "
                f"Its numbers and figures are the chapter's results "
                f"(all chapters: {{ref}}`results`).\n```\n")
    why = ("No reference run is stored yet." if status == "missing" else
           f"The stored reference run (commit `{record['git_commit'][:10]}`) is stale: the "
           "chapter's code has changed since it ran.")
    profile = os.environ.get("DLMATH_PROFILE", "quick") or "quick"
    return (f"```{{warning}}\n**This page was executed when the book was built, in the "
            f"{profile} profile.** " + ("Its numbers come from small subsets and few epochs: "
            "they only show that the code runs, not what the models achieve. "
            if profile == "quick" else "") + f"{why}\n```\n")


def add_top_line(app, docname, source):
    """source-read: put the top line under a model chapter's title."""
    chapter = pathlib.PurePosixPath(docname).name
    if chapter not in CPU_BUDGET_MINUTES or REFERENCE_MARKER not in source[0]:
        return
    lines = source[0].split("\n")
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines.insert(title + 1, "\n" + top_line(chapter))
    source[0] = "\n".join(lines)


def cache_executed(folder, nb, chapter):
    """Put an executed notebook of book/<chapter>.md into the jupyter-cache at folder, keyed
    by its code (nbclient's timing metadata dropped), where MyST-NB finds it for the chapter."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    get_cache(str(folder)).cache_notebook_bundle(
        CacheBundleIn(nb, str(ROOT / "book" / f"{chapter}.md")),
        check_validity=False, overwrite=True)


def cache_reference_runs(app):
    """builder-inited: put each current reference run into the build's jupyter-cache, where
    MyST-NB finds it by the chapter's code and takes its outputs instead of executing."""
    import nbformat

    # Chapters without a current reference run execute at build time in the quick profile
    # unless DLMATH_PROFILE says otherwise; the kernels inherit this.
    os.environ.setdefault("DLMATH_PROFILE", "quick")
    folder = app.config.nb_execution_cache_path or str(pathlib.Path(app.outdir).parent / ".jupyter_cache")
    for chapter in model_chapters():
        if reference_status(chapter)[0] != "current":
            continue
        cache_executed(folder, nbformat.read(RESULTS / f"{chapter}.ipynb", as_version=4),
                       chapter)


def lookup(record, key):
    """record['a']['b'] for the key 'a.b'; None when a part is missing."""
    for part in key.split("."):
        if not isinstance(record, dict) or part not in record:
            return None
        record = record[part]
    return record


def formatted(value, fmt):
    """A metric as the pages show it: 'percent:2' gives '0.59%', 'seconds' gives '41 s'."""
    if value is None:
        return "—"
    kind, _, digits = fmt.partition(":")
    if kind == "percent":
        return f"{100 * value:.{int(digits or 1)}f}%"
    if kind == "seconds":
        return f"{value:.0f} s"
    raise ValueError(f"unknown format {fmt!r}: use percent:<digits> or seconds")


def filled(text, record):
    """A label with each {a.b} replaced by record['a']['b'], so that a number in a label (an
    epoch count, say) comes from the run, never typed; '—' where the record lacks it."""
    def value(match):
        found = lookup(record, match.group(1)) if record else None
        return "—" if found is None else str(found)
    return re.sub(r"\{([A-Za-z_][\w.]*)\}", value, text)


def goal_text(goal, fmt):
    (op, bound), = goal.items()
    return {"min": "≥ ", "max": "≤ "}[op] + formatted(bound, fmt)


def goal_met(goal, value):
    (op, bound), = goal.items()
    return value >= bound if op == "min" else value <= bound


def page_link(chapter):
    """A short link to a chapter: 'gradient_descent' gives [Gradient descent](gradient_descent)."""
    return f"{{doc}}`{chapter.replace('_', ' ').capitalize()} <{chapter}>`"


def results_state():
    """The results files and their modification times: a page with the table, and the model
    chapters, are outdated when they change, or a file appears or goes (Sphinx's own
    dependencies must exist as files)."""
    return sorted((p.name, p.stat().st_mtime_ns) for p in RESULTS.glob("*.*"))


def outdated_results_pages(app, env, added, changed, removed):
    if getattr(env, "dlmath_results_state", None) != results_state():
        env.dlmath_results_state = results_state()
        chapters = {f"book/{c}" for c in model_chapters()} & set(env.found_docs)
        return sorted(getattr(env, "dlmath_results_docs", set()) | chapters)
    return []


def purge_results_page(app, env, docname):
    getattr(env, "dlmath_results_docs", set()).discard(docname)


def merge_results_pages(app, env, docnames, other):
    env.dlmath_results_docs = (getattr(env, "dlmath_results_docs", set())
                               | getattr(other, "dlmath_results_docs", set()))


def load_records(chapters):
    """{chapter: record or None} for the chapters named, read from results/<chapter>.json."""
    return {chapter: (json.loads((RESULTS / f"{chapter}.json").read_text(encoding="utf-8"))
                      if (RESULTS / f"{chapter}.json").is_file() else None)
            for chapter in chapters}


# Wall-time goals for one H100 GPU (whole notebook), kept as goals until a GPU run exists.
GPU_GOAL_SECONDS = {"activations": 60, "gradient_descent": 240, "loss_functions": 150,
                    "recursive_networks": 180}


def table_lines(spec, records, statuses):
    """The page's two tables as MyST Markdown lines.

    An entry with `gpu_only: true` (a goal set for a GPU) shows "not measured" unless the
    reference run ran on a GPU.
    """
    lines = ["| chapter | model and metric | our reference | training | goal | met | anchors |",
             "|---|---|---|---|---|---|---|"]
    for entry in spec:
        record = records[entry["chapter"]]
        unmeasured = record is not None and entry.get("gpu_only") and not record["gpu"]
        value = lookup(record, entry["metric"]) if record and not unmeasured else None
        time = (lookup(record, entry["time"]) if record and entry.get("time") and not unmeasured
                else None)
        goal = entry.get("goal")
        shown = ("missing" if record is None else "not measured (needs a GPU run)" if unmeasured
                 else formatted(value, entry["format"]))
        met = ("" if goal is None or record is None or unmeasured else "—" if value is None
               else "yes" if goal_met(goal, value) else "**no**")
        lines.append(
            f"| {page_link(entry['chapter'])} | {filled(entry['model'], record)} | {shown} | "
            f"{'' if time is None else formatted(time, 'seconds')} | "
            f"{goal_text(goal, entry['format']) if goal else ''} | {met} | "
            f"{entry.get('anchors', '')} |")
    lines += ["", "| chapter | reference run | device, backend | whole notebook | "
              "budget, 2 CPU cores | goal, one H100 | data | commit |",
              "|---|---|---|---|---|---|---|---|"]
    for chapter, record in records.items():
        status = statuses[chapter]
        budget = f"{CPU_BUDGET_MINUTES[chapter]} min" if chapter in CPU_BUDGET_MINUTES else ""
        gpu_goal = f"{GPU_GOAL_SECONDS[chapter]} s" if chapter in GPU_GOAL_SECONDS else ""
        if record is None:
            lines.append(f"| {page_link(chapter)} | missing | | | {budget} | {gpu_goal}: not "
                         "measured | | |")
            continue
        minutes = record["notebook_seconds"] / 60
        within = ("" if record["gpu"] or chapter not in CPU_BUDGET_MINUTES else
                  " (within)" if minutes <= CPU_BUDGET_MINUTES[chapter] else " (**over**)")
        gpu_goal += (f": {record['notebook_seconds']:.0f} s measured" if record["gpu"]
                     else ": not measured")
        data = "; ".join(f"{name}: {d['source']}" + (f" ({d['copy']})" if d.get("copy") else "")
                         for name, d in sorted(record["data"].items()))
        state = "current" if status == "current" else "**stale**: the code changed since"
        lines.append(f"| {page_link(chapter)} | {state}; {record['profile']} profile, "
                     f"{record['date'][:10]} | {record['device']}, Keras {record['keras']} on "
                     f"{record['backend']} | {minutes:.0f} min{within} | {budget} | {gpu_goal} | "
                     f"{data} | `{record['git_commit'][:10]}` |")
    return lines


class ResultsTable(SphinxDirective):
    has_content = True

    def run(self):
        spec = yaml.safe_load("\n".join(self.content))
        chapters = list(dict.fromkeys(entry["chapter"] for entry in spec))
        self.env.dlmath_results_state = results_state()
        self.env.dlmath_results_docs = getattr(self.env, "dlmath_results_docs", set()) | {
            self.env.docname}
        container = nodes.container(classes=["dlmath-results"])
        statuses = {chapter: reference_status(chapter)[0] for chapter in chapters}
        self.state.nested_parse(StringList(table_lines(spec, load_records(chapters), statuses),
                                           source=self.env.docname),
                                self.content_offset, container)
        return [container]


def setup(app):
    app.add_directive("dlmath-results", ResultsTable)
    app.connect("builder-inited", cache_reference_runs)
    app.connect("source-read", add_top_line)
    app.connect("env-get-outdated", outdated_results_pages)
    app.connect("env-purge-doc", purge_results_page)
    app.connect("env-merge-info", merge_results_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
