"""ruff lints the notebooks (it reads .ipynb directly) and the project's Python files."""
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ruff():
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([str(ruff), "check", "--no-cache", "notebooks", "tools", "tests", "_ext"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"ruff found problems (fix, or `ruff check --fix`):\n{done.stdout}"
