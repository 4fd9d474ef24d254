"""Batch processes leave out jsonschema's iri checker (rfc3987_syntax): fast start, same notebooks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # two fresh interpreters

PROBE = """
import sys, time
t0 = time.process_time()
import {first}
import nbformat, papermill
seconds = time.process_time() - t0
nb = nbformat.read({path!r}, as_version=4)
nbformat.validate(nb)  # the notebook schema still checks
print(sys.modules.get("rfc3987_syntax", "absent") is None, round(seconds, 2))
"""


def _probe(first: str) -> tuple[bool, float]:
    code = PROBE.format(first=first, path=str(ROOT / "notebooks" / "00_store_overview.ipynb"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    skipped, seconds = out.stdout.split()
    return skipped == "True", float(seconds)


def test_importing_wxshop_batch_first_skips_the_iri_parsers_and_notebooks_still_validate():
    skipped, with_skip = _probe("wxshop.batch")
    assert skipped
    plain_skipped, plain = _probe("json")
    assert not plain_skipped
    print(f"nbformat + papermill import: {plain:.2f} s CPU plain, {with_skip:.2f} s after wxshop.batch")


def test_a_warm_kernel_imports_no_pandera_until_a_table_is_checked(tmp_path):
    """pandera (0.4 s) is imported when a file is checked, not with the loader: a report whose
    tables come from the cache never pays for it."""
    from wxshop.batch.kernels import WARM_MODULES

    code = (f"import sys; from wxshop.batch.kernels import warm; warm({WARM_MODULES!r}); "
            "print('pandera' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert out.stdout.strip() == "False"
