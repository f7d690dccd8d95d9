"""The `dlmath-results` directive: the results page's table, built from results/*.json.

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
import pathlib

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

RESULTS = pathlib.Path(__file__).resolve().parent.parent / "results"


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
    """The results files and their modification times: a page with the table is outdated when
    they change, or a file appears or goes (Sphinx's own dependencies must exist as files)."""
    return sorted((p.name, p.stat().st_mtime_ns) for p in RESULTS.glob("*.json"))


def outdated_results_pages(app, env, added, changed, removed):
    if getattr(env, "dlmath_results_state", None) != results_state():
        return sorted(getattr(env, "dlmath_results_docs", set()))
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


def table_lines(spec, records):
    """The page's two tables as MyST Markdown lines."""
    lines = ["| chapter | model and metric | our reference | training | goal | met | anchors |",
             "|---|---|---|---|---|---|---|"]
    for entry in spec:
        record = records[entry["chapter"]]
        value = lookup(record, entry["metric"]) if record else None
        time = lookup(record, entry["time"]) if record and entry.get("time") else None
        goal = entry.get("goal")
        met = ("" if goal is None else "pending" if record is None else "—" if value is None
               else "yes" if goal_met(goal, value) else "**no**")
        lines.append(
            f"| {page_link(entry['chapter'])} | {entry['model']} | "
            f"{'pending' if record is None else formatted(value, entry['format'])} | "
            f"{'' if time is None else formatted(time, 'seconds')} | "
            f"{goal_text(goal, entry['format']) if goal else ''} | {met} | "
            f"{entry.get('anchors', '')} |")
    lines += ["", "| chapter | reference run | Keras, backend | data | commit |",
              "|---|---|---|---|---|"]
    for chapter, record in records.items():
        if record is None:
            lines.append(f"| {page_link(chapter)} | pending | | | |")
            continue
        data = "; ".join(f"{name}: {d['source']}" + (f" ({d['copy']})" if d.get("copy") else "")
                         for name, d in sorted(record["data"].items()))
        lines.append(f"| {page_link(chapter)} | {record['device']}, {record['date'][:10]} | "
                     f"{record['keras']} on {record['backend']} | {data} | "
                     f"`{record['git_commit'][:10]}` |")
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
        self.state.nested_parse(StringList(table_lines(spec, load_records(chapters)),
                                           source=self.env.docname),
                                self.content_offset, container)
        return [container]


def setup(app):
    app.add_directive("dlmath-results", ResultsTable)
    app.connect("env-get-outdated", outdated_results_pages)
    app.connect("env-purge-doc", purge_results_page)
    app.connect("env-merge-info", merge_results_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
