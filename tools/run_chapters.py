"""Execute the model chapters so that each writes its run record: what `make results` runs.

Usage: python tools/run_chapters.py [--profile full|quick] [--results DIR] [CHAPTER ...]

Each notebook (notebooks/<chapter>.ipynb; by default every chapter with a reference-run cell)
runs in a fresh kernel, in an empty temporary folder as a reader's copy would, with
DLMATH_PROFILE, DLMATH_RESULTS, DLMATH_GIT_COMMIT and DLMATH_REFERENCE_RUN set: its last cell,
save_results, writes DIR/<chapter>.json, and the executed notebook, with its outputs, goes to
DIR/<chapter>.ipynb. The web book renders a chapter from results/<chapter>.ipynb while that
notebook's code is the chapter's code (_ext/dlmath_results.py).

The repository's results/ folder holds reference runs only: the full profile, from a committed
state. A quick run, to try the pipeline, must go to another folder, for example
`make results PROFILE=quick RESULTS_DIR=$(mktemp -d)`. After a run into results/, this script
runs tools/sync.py, which copies each record into its chapter.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import sync  # tools/sync.py: the reference-cell marker, and the copy into the chapters
from sync import ROOT, model_chapters

MAX_NOTEBOOK_BYTES = 3_000_000  # an executed reference notebook the web book renders


def slim(nb):
    """Drop what the web book does not render and the cache key must not see: nbclient's timing
    metadata and the live widgets' state (their kernel-free forms are plain HTML outputs)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    return nb


def git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="full", choices=["full", "quick"])
    parser.add_argument("--results", default=str(ROOT / "results"))
    parser.add_argument("chapters", nargs="*")
    args = parser.parse_args(argv)
    chapters = args.chapters or model_chapters()
    unknown = sorted(set(chapters) - set(model_chapters()))
    if unknown:
        sys.exit(f"not a model chapter: {', '.join(unknown)}; the model chapters are "
                 f"{', '.join(model_chapters())}.")
    results = pathlib.Path(args.results).expanduser().resolve()
    into_repo = results == (ROOT / "results").resolve()
    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "book", "notebooks")
    if into_repo and args.profile != "full":
        sys.exit("results/ holds full-profile reference runs only; write a quick run elsewhere, "
                 "e.g. `make results PROFILE=quick RESULTS_DIR=$(mktemp -d)`.")
    if into_repo and dirty:
        sys.exit("book/ or notebooks/ has uncommitted changes: commit them first, so that the "
                 "reference run names the commit that made it.")

    import nbformat
    from nbclient import NotebookClient

    env = {"DLMATH_PROFILE": args.profile, "DLMATH_RESULTS": str(results),
           "DLMATH_GIT_COMMIT": commit + ("-dirty" if dirty else ""),
           "DLMATH_REFERENCE_RUN": "1"}
    if os.environ.get("DLMATH_DATA", "").strip():  # the notebooks run in a temporary folder
        env["DLMATH_DATA"] = str(pathlib.Path(os.environ["DLMATH_DATA"].strip()).expanduser().resolve())
    os.environ.update(env)  # the kernels inherit them
    results.mkdir(parents=True, exist_ok=True)
    failed = []
    for chapter in chapters:
        nb = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as alone:
            try:
                NotebookClient(nb, timeout=3600, kernel_name="python3",
                               resources={"metadata": {"path": alone}}).execute()
                outcome = f"wrote {results / (chapter + '.json')}"
            except Exception as err:  # report, then go on with the next chapter
                outcome = "FAILED: " + (str(err).strip().splitlines() or ["?"])[-1][:300]
                failed.append(chapter)
        if chapter in failed:  # keep the failed run for a look, out of results/
            (ROOT / "_build").mkdir(exist_ok=True)
            nbformat.write(nb, ROOT / "_build" / f"failed-{chapter}.ipynb")
        else:
            path = results / f"{chapter}.ipynb"
            nbformat.write(slim(nb), path)
            size = path.stat().st_size
            outcome += f" and {path.name} ({size / 1e6:.1f} MB)"
            if size > MAX_NOTEBOOK_BYTES:
                outcome += f"; OVER {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB: coarsen its figures' grids"
        print(f"{chapter}: {args.profile} profile, {time.perf_counter() - start:.0f} s; "
              f"{outcome}", flush=True)
    if into_repo and len(failed) < len(chapters):
        sync.main()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
