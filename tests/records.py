"""Run records: the rules a record written by save_results (the set-up cell) must satisfy.

Shared by test_results.py (committed reference runs) and test_standalone.py (the quick-profile
records that the suite's own nbmake runs write).
"""
import datetime
import math
import re
import sys

import yaml
from conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
import dlmath_results  # noqa: E402  (the results page's directive)

RESULTS = dlmath_results.RESULTS
REFERENCE_MARKER = dlmath_results.REFERENCE_MARKER
MODEL_CHAPTERS = dlmath_results.model_chapters()
BACKEND_PACKAGE = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def results_spec():
    """The entries of the dlmath-results directive in book/results.md."""
    text = (ROOT / "book" / "results.md").read_text(encoding="utf-8")
    body = re.search(r"```\{dlmath-results\}\n(.*?)```", text, re.S)
    assert body, "book/results.md has no dlmath-results directive"
    return yaml.safe_load(body.group(1))


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def curve_problems(curves, path="curves"):
    """Every leaf of the curves is a non-empty list of finite numbers."""
    if isinstance(curves, list):
        ok = curves and all(is_number(v) for v in curves)
        return [] if ok else [f"{path} is not a non-empty list of finite numbers"]
    if isinstance(curves, dict) and curves:
        return [p for key, value in curves.items() for p in curve_problems(value, f"{path}.{key}")]
    return [f"{path} is neither a list of numbers nor a non-empty dict"]


def problems(record, chapter, reference=False):
    """What is wrong with a run record, as a list of sentences (empty: valid).

    reference=True adds what a committed reference run needs: the full profile and a clean
    commit (any device: the project's reference runs are made on a 2-core CPU).
    """
    found = []
    required = {"schema": int, "chapter": str, "profile": str, "date": str, "device": str,
                "gpu": bool, "backend": str, "keras": str, "versions": dict, "git_commit": str,
                "notebook_seconds": (int, float), "train_seconds": dict, "metrics": dict,
                "curves": dict, "details": dict, "data": dict}
    for key, kind in required.items():
        if not isinstance(record.get(key), kind):
            found.append(f"{key} is missing or not a {kind}")
    if found:
        return found
    if record["schema"] != 1:
        found.append(f"schema {record['schema']} is not 1")
    if record["chapter"] != chapter:
        found.append(f"chapter {record['chapter']!r} is not {chapter!r}")
    if record["profile"] not in ("quick", "full"):
        found.append(f"profile {record['profile']!r} is neither quick nor full")
    try:
        date = datetime.datetime.fromisoformat(record["date"])
        if date.tzinfo is None or date > datetime.datetime.now(datetime.UTC):
            found.append(f"date {record['date']} has no time zone or lies in the future")
    except ValueError:
        found.append(f"date {record['date']!r} is not an ISO 8601 date and time")
    if not record["device"].strip():
        found.append("device is empty")
    if record["backend"] not in BACKEND_PACKAGE:
        found.append(f"backend {record['backend']!r} is not tensorflow, jax or torch")
    for package in ("python", "numpy", "keras", BACKEND_PACKAGE.get(record["backend"], "?")):
        if package not in record["versions"]:
            found.append(f"versions lacks {package}")
    if record["versions"].get("keras") != record["keras"]:
        found.append("keras and versions.keras disagree")
    if not re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown", record["git_commit"]):
        found.append(f"git_commit {record['git_commit']!r} is not a commit")
    if not is_number(record["notebook_seconds"]) or record["notebook_seconds"] <= 0:
        found.append("notebook_seconds is not a positive number")
    seconds = record["train_seconds"]
    if not seconds or not all(is_number(v) and v > 0 for v in seconds.values()):
        found.append("train_seconds is empty or holds a value that is not a positive number")
    elif sum(seconds.values()) > record["notebook_seconds"]:
        found.append("the training times add up to more than the whole notebook")
    if not record["metrics"] or not all(is_number(v) for v in record["metrics"].values()):
        found.append("metrics is empty or holds a value that is not a finite number")
    for entry in results_spec():
        if entry.get("gpu_only") and not record["gpu"]:
            continue  # a GPU goal: a CPU run does not measure it
        if entry["chapter"] == chapter and dlmath_results.lookup(record, entry["metric"]) is None:
            found.append(f"{entry['metric']} is missing (the results page shows it)")
    found += curve_problems(record["curves"])
    if not record["data"]:
        found.append("data names no data set")
    for name, data in record["data"].items():
        if data.get("source") not in ("mirror", "official") or not data.get("files"):
            found.append(f"data.{name} lacks its source (mirror or official) or its files")
        if name == "cifar10" and not data.get("copy"):
            found.append("data.cifar10 does not say which copy of CIFAR-10 was read")
    if reference:
        if record["profile"] != "full":
            found.append(f"a reference run must use the full profile, not {record['profile']!r}")
        if not re.fullmatch(r"[0-9a-f]{40}", record["git_commit"]):
            found.append(f"a reference run must name a clean commit, not {record['git_commit']!r}")
    return found
