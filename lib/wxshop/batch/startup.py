"""Process start-up of batch processes: leave out an import that costs more than a small report.

papermill and nbconvert import nbformat, which imports jsonschema; when ``rfc3987_syntax`` is
installed (jsonschema's ``format-nongpl`` extra, which Jupyter's own packages ask for),
jsonschema builds some 35 Earley parsers of it at import time to check the ``iri`` string
format: 1.3 s of CPU in every process that imports nbformat (jsonschema issue #1428). No
notebook schema uses that format, and jsonschema checks formats only when asked. So batch
processes (the ``wxshop`` command, its worker processes, a Dask job's process) make that
import fail fast, as if the package were absent: jsonschema then leaves the two ``iri``
checkers out and everything else is unchanged.
"""

from __future__ import annotations

import sys

SKIPPED = "rfc3987_syntax"


def skip_iri_checker() -> None:
    """Make ``import rfc3987_syntax`` fail in this process (a None entry in ``sys.modules``),
    unless it is imported already. Call before anything imports nbformat or jsonschema."""
    sys.modules.setdefault(SKIPPED, None)
