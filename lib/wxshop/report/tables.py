"""Tables that fit a phone: each table :meth:`Report.table <wxshop.report.document.Report.table>`
shows sits in a box of its own that scrolls sideways, its first column pinned, and the table as
shown is written beside the report as a CSV the page links to.

The page (``templates/report/index.html.j2``) styles the box: ``.wx-scroll`` scrolls sideways
with a shadow on its right edge while columns wait to the right, the first column of a
``.wx-pin`` table stays at the box's left edge, and a short inline script unhides the swipe hint
above a table wider than its box (without the script the shadow is the hint). Printed, the whole
table shows uncut and the hint and link are left out.

The CSV holds the cells exactly as the page shows them (translated headers, formatted figures,
"—" for a missing value), read back from the table's own markup, so it can never hold a column,
an identifier or a digit the reader did not see; unformatted figures stay in the report's JSON.
It is written through :mod:`wxshop.csvsafe` (a cell a spreadsheet would run gets a leading
``'``), UTF-8 with a BOM for Excel and WPS, to a temporary file of this process renamed when
whole. Its name, ``<notebook>.tables/<nn>-<columns>.csv``, is the table's place in the report and
its first column names: the same on every run, so the links in the page and the notebook never
change between runs.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from wxshop.csvsafe import safe_frame

__all__ = ["SCROLL_CONTAINERS", "SCROLL_SELECTOR", "TABLE_CLASSES", "clear_csvs", "csv_folder",
           "csv_name", "shown_cells", "table_box", "write_csv"]

# The deliberate sideways-scrolling boxes of wxshop's pages: anything wider than the screen must
# sit inside one of these (tests/report/test_tables_browser.py and the other page tests import it).
SCROLL_CONTAINERS: tuple[str, ...] = (
    ".wx-scroll",  # a table of Report.table (this module)
    ".scroll",  # a table of the index page (templates/index.html.j2)
    # code (only with --with-code) and plain-text output (templates/report/index.html.j2)
    ".jp-InputArea-editor",
    ".highlight",
    ".jp-RenderedText",
    ".jp-OutputArea-output pre",
)
SCROLL_SELECTOR = ", ".join(SCROLL_CONTAINERS)
# the classes of the <table> itself: the page's table styles, and its first column pinned
TABLE_CLASSES = "wx-table wx-pin"
# at most this many column names make a CSV's name, cut to SLUG_CHARS characters
SLUG_COLUMNS = 3
SLUG_CHARS = 40
_CSV_NAME = re.compile(r"^\d{2,}-[a-z0-9-]+\.csv$")


def csv_folder(report_dir: Path, notebook: str) -> Path:
    """The folder of a report's table CSVs, beside its HTML and JSON.

    Examples
    --------
    >>> csv_folder(Path("reports/s1"), "store_overview").as_posix()
    'reports/s1/store_overview.tables'
    """
    return Path(report_dir) / f"{notebook}.tables"


def csv_name(number: int, columns: Iterable[object]) -> str:
    """``<nn>-<slug>.csv``: the table's place in the report (from 1) and its first column names
    (the data's own names, not the translated headers, so both languages name a file alike),
    lower-case ASCII letters and digits joined by ``-``; ``table`` when none are left.

    Examples
    --------
    >>> csv_name(3, ["metric", "value", "definition", "extra"])
    '03-metric-value-definition.csv'
    >>> csv_name(12, ["GMV share", "渠道"]), csv_name(1, [])
    ('12-gmv-share.csv', '01-table.csv')
    """
    words = [re.sub(r"[^a-z0-9]+", "-", str(c).lower()).strip("-") for c in list(columns)[:SLUG_COLUMNS]]
    slug = "-".join(w for w in words if w)[:SLUG_CHARS].strip("-") or "table"
    return f"{number:02d}-{slug}.csv"


class _BodyCells(HTMLParser):
    """The text of every cell of the <tbody> rows of one table, row by row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("td", "th") and self.rows:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def shown_cells(markup: str) -> list[list[str]]:
    """The body cells of a table's markup (``DataFrame.to_html``) as the page shows their text.

    Examples
    --------
    >>> shown_cells("<table><thead><tr><th>a</th></tr></thead>"
    ...             "<tbody><tr><td>&lt;b&gt; 1</td><td>—</td></tr></tbody></table>")
    [['<b> 1', '—']]
    """
    parser = _BodyCells()
    parser.feed(markup)
    parser.close()
    return parser.rows


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    """Write ``rows`` under ``headers`` as a spreadsheet-safe CSV (UTF-8 with BOM) at ``path``,
    through a temporary file of this process renamed when whole; returns ``path``."""
    frame = safe_frame(pd.DataFrame(rows, columns=range(len(headers)), dtype=object))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        frame.to_csv(tmp, index=False, header=[str(h) for h in headers], encoding="utf-8-sig")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def clear_csvs(folder: Path) -> None:
    """Remove an earlier run's table CSVs from ``folder`` (only files named as :func:`csv_name`
    names them), so a report with fewer tables than last time leaves none of the old ones."""
    if folder.is_dir():
        for path in folder.glob("*.csv"):
            if _CSV_NAME.match(path.name):
                path.unlink(missing_ok=True)


def table_box(markup: str, href: str, headers: list[str], tr: Callable[..., str]) -> str:
    """The table's markup in its scrolling box, with the swipe hint above it (hidden until the
    page's script finds the table wider than its box) and the link to its CSV (``href``,
    relative to the report page) below. ``tr`` is the report's translator.

    Examples
    --------
    >>> from wxshop.report.i18n import Translator
    >>> box = table_box("<table></table>", "nb.tables/01-a.csv", ["<a>"], Translator("en"))
    >>> 'class="wx-scroll" role="region" tabindex="0" aria-label="Table: &lt;a&gt;"' in box
    True
    """
    label = tr("tables.region", columns=", ".join(headers[:SLUG_COLUMNS]))
    return (
        '<div class="wx-tablebox">'
        f'<p class="wx-scroll-hint" hidden>{html.escape(tr("tables.hint"))}</p>'
        f'<div class="wx-scroll" role="region" tabindex="0" aria-label="{html.escape(label)}">'
        f"{markup}</div>"
        f'<p class="wx-table-csv"><a href="{html.escape(quote(href))}" download type="text/csv">'
        f'{html.escape(tr("tables.csv"))}</a></p></div>'
    )
