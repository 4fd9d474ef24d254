"""ruff over lib/, tests/ and the notebooks (house style, see pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ruff_clean():
    ruff = Path(sys.executable).parent / "ruff"
    proc = subprocess.run(
        [str(ruff), "check", "--output-format", "concise", "lib", "tests", "notebooks", "tools"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
