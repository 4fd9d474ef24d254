"""Reading one export file as it is, before any header is mapped or value typed.

:func:`read_source` reads a CSV (UTF-8 with or without BOM, UTF-16, GBK/GB18030; comma or
tab separated), the first sheet of an XLSX workbook, or a Parquet file, and returns a
:class:`Source`: the frame under the file's own headers (text for CSV and XLSX, the stored
types for Parquet) and the source line of every row, so a rejected row can be found in
the file. Rows with every cell empty are dropped and not counted. A file that cannot be
read raises :class:`~wxshop.errors.DataError` naming the file and the fix.

Faults of a few rows do not stop a CSV file: a row with more fields than the header (a value
with an unquoted comma) is set aside in ``Source.malformed`` with its line and reason, so the
loader counts it among the rejected rows, and rows below a value that spans lines (a quoted
newline) keep the line they start on. A UTF-8 file with a line in another encoding (a row
pasted from a GBK file) is refused naming the line and byte, rather than read as GB18030.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wxshop.data.text import TEXT_DTYPE, unique_names
from wxshop.errors import DataError

_SNIFF_BYTES = 1 << 16
_CHUNK = 1 << 22  # bytes read at a time when counting lines or finding a byte that is not UTF-8
_WIDE = re.compile(r"Expected \d+ fields in line \d+, saw \d+")  # pandas: a row wider than the header
_FIRST_LINE = 2  # line of the first data row: the header is line 1
_HEAD_ROWS = 40  # the header is looked for among the first rows (title lines above it)
# a row whose first cell starts with one of these ends the data (a totals row or block)
TOTALS = ("合计", "总计", "汇总", "总交易单数")


@dataclass
class Source:
    """A file as read, before header mapping: its frame and the source line of each row."""

    frame: pd.DataFrame  # source headers; text for CSV/XLSX, native types for Parquet
    line: np.ndarray  # source line of each row
    skipped: int = 0  # lines above the header (titles) and at the end (totals, summaries)
    # rows set aside, not in ``frame``: (source line, reason), e.g. a row wider than the header
    malformed: list[tuple[int, str]] = field(default_factory=list)


def header_row(rows: list[list[object]], fingerprint: tuple[str, ...] = ()) -> int:
    """Which of the first rows is the header: the first holding most of the ``fingerprint``
    headers, else the first as wide as the table (title lines above a header are narrow).

    Examples
    --------
    >>> header_row([["店铺订单导出"], [], ["订单号", "金额", "时间"], ["1", "2", "3"]])
    2
    """
    def cells(row):
        return [str(v).replace("\ufeff", "").strip() for v in row if v is not None and str(v).strip()]

    if fingerprint:
        need = math.ceil(0.6 * len(fingerprint))
        wanted = {f.lower() for f in fingerprint}
        for i, row in enumerate(rows):
            if sum(c.lower() in wanted for c in cells(row)) >= need:
                return i
    widths = [len(cells(r)) for r in rows]
    if not widths or max(widths) == 0:
        return 0
    need = max(2, math.ceil(0.6 * max(widths))) if max(widths) > 1 else 1
    return next(i for i, w in enumerate(widths) if w >= need)


def head_rows(path: Path, label: str) -> list[list[object]]:
    """The first rows of a CSV or XLSX file (a Parquet file: its column names), to find the
    header and recognise the export."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            return [list(pq.read_schema(path).names)]
        except Exception:  # a damaged file: reading it says so, with the fix
            return []
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:
            return []
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()
            rows = sheet.iter_rows(values_only=True)
            return [list(r) for _, r in zip(range(_HEAD_ROWS), rows, strict=False)]
        finally:
            book.close()
    encoding, sep = _sniff_encoding(path, label)
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    lines = text.splitlines()[:_HEAD_ROWS]
    return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep)]


def headers_of(path: Path, label: str, fingerprint: tuple[str, ...] = ()) -> list[str]:
    """The header names of a file, below any title lines."""
    rows = head_rows(path, label)
    if not rows:
        return []
    row = rows[header_row(rows, fingerprint)]
    return [str(v).replace("\ufeff", "").strip() for v in row if v is not None and str(v).strip()]


def read_source(
    path: Path, label: str, fingerprint: tuple[str, ...] = (), stop_at: tuple[str, ...] = ()
) -> Source:
    """Read a CSV (UTF-8 or GBK), XLSX or Parquet file as it is; ``label`` names it in errors.

    Title lines above the header are skipped (the header is the first row holding most of
    ``fingerprint``, else the first row as wide as the table); a row whose first cell starts
    with ``stop_at`` or :data:`TOTALS` ends the data (totals rows, a WeChat Pay bill's
    summary block); a backtick WeChat Pay puts before every value is removed.

    Examples
    --------
    >>> from wxshop.paths import sample_data_dir
    >>> source = read_source(sample_data_dir() / "orders.csv", "orders.csv")
    >>> print(list(source.frame.columns)[:3], source.line[:3].tolist())
    ['order_id', 'customer_id', 'ordered_at'] [2, 3, 4]
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _read_parquet(path, label)
    if suffix == ".xlsx":
        return _tidy(_read_xlsx(path, label, fingerprint), stop_at)
    if suffix in (".csv", ".txt", ".tsv"):
        rows = head_rows(path, label)
        at = header_row(rows, fingerprint) if rows else 0
        if any(str(r[0]).startswith("`") for r in rows[at + 1:at + 4] if r):
            return _tidy(_read_ticked(path, label, at), stop_at)
        return _tidy(_read_csv(path, label, at), stop_at)
    raise DataError(
        f"{label}: cannot read {suffix or 'files without an extension'}.",
        file=label,
        fix="export it as CSV (UTF-8), XLSX or Parquet.",
    )


def _sniff_encoding(path: Path, label: str) -> tuple[str, str]:
    """Encoding and delimiter from the first bytes: UTF-8 (BOM or not), UTF-16, GB18030."""
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip():
        raise DataError(f"{label}: the file is empty.", file=label, fix="export it again.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    else:
        encodings = ["utf-8-sig", "gb18030"]  # gb18030 is a superset of GBK/GB2312
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            if encoding == "utf-8-sig":
                _refuse_mixed_text(head, label)
            continue
        first = text.lstrip("\ufeff").split("\n", 1)[0]
        sep = "\t" if "\t" in first and "," not in first else ","
        return encoding, sep
    raise _neither(label)


def _neither(label: str) -> DataError:
    return DataError(
        f"{label}: the text is neither UTF-8 nor GBK, so it cannot be read.",
        file=label,
        fix="save it again as CSV (UTF-8), or as .xlsx.",
    )


def _refuse_mixed_text(source: Path | bytes, label: str) -> None:
    """Raise when a byte that is not UTF-8 follows non-ASCII UTF-8 text (a BOM counts): a UTF-8
    file with a line in another encoding, which read as GB18030 would garble the UTF-8 text. A
    file that is ASCII up to that byte is a GBK file: nothing is raised. ``source`` is a file,
    or the first bytes of one (whose last character may be cut short)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines, seen = 0, 0, False
    with open(source, "rb") if isinstance(source, Path) else io.BytesIO(source) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(chunk, final=not chunk and isinstance(source, Path))
            except UnicodeDecodeError as exc:
                before = (pending + chunk)[:exc.start]
                if not seen and before.isascii():
                    return
                at = offset - len(pending) + exc.start
                line = lines + before.count(b"\n") + 1
                raise DataError(
                    f"{label}: line {line} is not UTF-8 text (byte 0x{exc.object[exc.start]:02X}"
                    f" at byte offset {at}), though the text before it is UTF-8.",
                    file=label,
                    fix=f"save the file again as UTF-8 (CSV UTF-8) in the program that made it,"
                        f" or retype line {line} (text pasted from a GBK file is the usual cause).",
                ) from None
            if not chunk:
                return
            seen = seen or not text.isascii()
            lines += chunk.count(b"\n")
            offset += len(chunk)


def _file_text(path: Path, label: str, encoding: str) -> str:
    """The whole file as text, in ``encoding`` or else (from UTF-8) GB18030."""
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8-sig":
            raise _neither(label) from None
        _refuse_mixed_text(path, label)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise _neither(label) from None


def _tidy(source: Source, stop_at: tuple[str, ...]) -> Source:
    """Without the backtick prefixes and what follows a totals row."""
    frame = source.frame
    if not len(frame.columns) or not len(frame):
        return source
    ticked = [c for c in frame.columns if frame[c].str.startswith("`", na=False).any()]
    if ticked:
        frame = frame.assign(**{c: frame[c].str.removeprefix("`") for c in ticked})
    first = frame.iloc[:, 0].str.strip().str.removeprefix("`")
    stops = first.str.startswith(tuple(stop_at) + TOTALS, na=False).to_numpy()
    if stops.any():
        end = int(np.argmax(stops))
        cut = int(source.line[end])  # rows set aside below the totals row are summary lines too
        malformed = [m for m in source.malformed if m[0] < cut]
        skipped = source.skipped + len(frame) - end + len(source.malformed) - len(malformed)
        return Source(frame.iloc[:end].reset_index(drop=True), source.line[:end], skipped,
                      malformed)
    return Source(frame, source.line, source.skipped, source.malformed)


def _read_ticked(path: Path, label: str, at: int) -> Source:
    """A WeChat Pay bill: every value starts with a backtick and commas inside values are not
    quoted, so fields are split at ``,``` rather than at every comma."""
    encoding, _ = _sniff_encoding(path, label)
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":
            _refuse_mixed_text(path, label)
        text = path.read_bytes().decode("gb18030", errors="replace")
    lines = text.lstrip("\ufeff").splitlines()
    header = [h.strip() for h in lines[at].split(",")]
    width = len(header)
    rows, numbers = [], []
    for number, line in enumerate(lines[at + 1:], start=at + 2):
        if not line.strip():
            continue
        if line.startswith("`"):
            cells = line[1:].split(",`")
        else:  # a summary header or another untagged line: plain commas
            cells = line.split(",")
        cells = (cells + [""] * width)[:width] if len(cells) <= width else cells[: width - 1] + [
            ",`".join(cells[width - 1:])]
        rows.append(cells)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=unique_names(header), dtype=object).astype(TEXT_DTYPE)
    frame = frame.mask(frame.apply(lambda c: c.str.strip() == ""))
    source = _drop_blank_rows(frame, np.asarray(numbers, dtype=np.int64))
    source.skipped = at
    return source


def _read_csv(path: Path, label: str, skip: int = 0) -> Source:
    """The CSV below its header line ``skip`` (0-based, found by :func:`header_row`)."""
    encoding, sep = _sniff_encoding(path, label)
    # skip_blank_lines=False keeps line numbers; blank rows are removed below
    options = {"sep": sep, "dtype": str, "skiprows": skip, "skip_blank_lines": False}
    # The sample decoded, but a later byte may not: fall back from UTF-8 to GB18030.
    tries = [encoding] + (["gb18030"] if encoding == "utf-8-sig" else [])
    for encoding in tries:
        try:
            frame = pd.read_csv(path, encoding=encoding, **options)
            break
        except UnicodeDecodeError:
            if encoding == "utf-8-sig":
                _refuse_mixed_text(path, label)
            continue
        except pd.errors.EmptyDataError:
            raise DataError(
                f"{label}: the file is empty.", file=label, fix="export it again."
            ) from None
        except (pd.errors.ParserError, ValueError) as exc:
            detail = str(exc).strip().splitlines()[-1]
            if not _WIDE.search(detail):
                raise _unreadable(label, detail) from None
            return _read_ragged(path, label, encoding, options, detail)
    else:
        raise _neither(label)
    if not isinstance(frame.index, pd.RangeIndex):  # pandas took a wide first row's cell as index
        return _read_ragged(path, label, encoding, options, "")
    source = _drop_blank_rows(frame, _record_lines(path, encoding, sep, skip, len(frame)))
    source.skipped = skip
    return source


def _unreadable(label: str, detail: str) -> DataError:
    return DataError(
        f"{label}: not a readable CSV ({detail}).",
        file=label,
        fix="check that fields containing commas are quoted, or export as .xlsx.",
    )


def _line_count(path: Path, encoding: str) -> int:
    """The file's physical lines: its newlines, and a last line without one."""
    if encoding == "utf-16":  # a newline's bytes can be half of another character
        text = path.read_text(encoding=encoding)
        return text.count("\n") + bool(text and not text.endswith("\n"))
    count, last = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            count, last = count + chunk.count(b"\n"), chunk
    return count + bool(last and not last.endswith(b"\n"))


def _records(text: str, sep: str) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The physical lines of a CSV text and, for each record, its first and last line (from 1)
    and its number of fields (a blank line: none)."""
    lines = list(io.StringIO(text, newline=""))  # split at \n, \r\n and \r, as pandas does
    reader = csv.reader(lines, delimiter=sep)
    records, end = [], 0
    for fields in reader:
        records.append((end + 1, reader.line_num, len(fields)))
        end = reader.line_num
    return lines, records


def _record_lines(path: Path, encoding: str, sep: str, skip: int, n: int) -> np.ndarray:
    """The line each of the ``n`` rows below the header starts on. When the file has a line per
    row (the common case), counting its newlines says so; else a value spans lines (a quoted
    newline) and the rows' first lines are found by reading the file as CSV."""
    lines = np.arange(n, dtype=np.int64) + _FIRST_LINE + skip
    if _line_count(path, encoding) - skip - 1 == n:
        return lines
    try:
        _, records = _records(path.read_bytes().decode(encoding, errors="replace"), sep)
    except csv.Error:  # a field too long for the csv module: keep the row numbers
        return lines
    starts = [start for start, _, _ in records[skip + 1:]]
    return np.asarray(starts, dtype=np.int64) if len(starts) == n else lines


def _read_ragged(path: Path, label: str, encoding: str, options: dict, detail: str) -> Source:
    """A CSV with rows wider than its header (a value with an unquoted comma): those rows are
    set aside with their line and width and the others read as usual. A file most of whose rows
    are wider is not a table of this header: :class:`~wxshop.errors.DataError`."""
    skip = options["skiprows"]
    try:
        lines, records = _records(_file_text(path, label, encoding), options["sep"])
    except csv.Error as exc:
        raise _unreadable(label, detail or str(exc)) from None
    width = records[skip][2] if len(records) > skip else 0
    data = records[skip + 1:]
    wide = [r for r in data if r[2] > width]
    if wide and not detail:
        detail = f"Expected {width} fields in line {wide[0][0]}, saw {wide[0][2]}"
    if not wide or 2 * len(wide) > sum(r[2] > 0 for r in data):
        raise _unreadable(label, detail or "rows wider than the header")
    drop = {i for start, end, _ in wide for i in range(start - 1, end)}
    kept = "".join(line for i, line in enumerate(lines) if i not in drop)
    good = [start for start, _, n in data if n <= width]
    try:
        frame = pd.read_csv(io.StringIO(kept), **options)
    except (pd.errors.ParserError, ValueError):
        raise _unreadable(label, detail) from None
    if len(frame) != len(good) or not isinstance(frame.index, pd.RangeIndex):
        raise _unreadable(label, detail)  # pandas and the csv module read the file differently
    source = _drop_blank_rows(frame, np.asarray(good, dtype=np.int64))
    source.skipped = skip
    source.malformed = [(start, f"row has {n} fields, the header has {width}")
                        for start, _, n in wide]
    return source


def _cell_text(value: object) -> object:
    """One Excel cell as text, as Excel would show it without formatting."""
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, label: str, fingerprint: tuple[str, ...] = ()) -> Source:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(
            f"{label}: cannot be opened as an Excel workbook ({type(exc).__name__}).",
            file=label,
            fix="open it in Excel or WPS and save it again as .xlsx, or export CSV.",
        ) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some exporters write wrong sheet dimensions
        rows, lines, header, head = [], [], None, []
        at = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                head.append(list(values))
                if len(head) < _HEAD_ROWS:
                    continue
                at = header_row(head, fingerprint)
                header = head[at]
                for k, later in enumerate(head[at + 1:], start=at + 2):
                    rows.append([_cell_text(v) for v in later])
                    lines.append(k)
                continue
            rows.append([_cell_text(v) for v in values])
            lines.append(number)
        if header is None and any(any(v is not None and str(v).strip() for v in r) for r in head):
            at = header_row(head, fingerprint)
            header = head[at]
            for k, later in enumerate(head[at + 1:], start=at + 2):
                rows.append([_cell_text(v) for v in later])
                lines.append(k)
    except Exception as exc:
        raise DataError(
            f"{label}: the first sheet cannot be read ({type(exc).__name__}).",
            file=label,
            fix="open it in Excel or WPS and save it again as .xlsx, or export CSV.",
        ) from None
    finally:
        book.close()
    if header is None:
        raise DataError(
            f"{label}: the first sheet is empty.",
            file=label,
            fix="put the table on the first sheet with the column names in the top row.",
        )
    width = max([len(header), *map(len, rows)])
    header = header + [None] * (width - len(header))
    rows = [row + [None] * (width - len(row)) for row in rows]
    names = [_cell_text(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
    frame = pd.DataFrame(rows, columns=unique_names(names), dtype=object).astype(TEXT_DTYPE)
    # Columns with neither a header nor data are spreadsheet debris.
    debris = [c for c, h in zip(frame.columns, header, strict=True) if h is None]
    frame = frame.drop(columns=[c for c in debris if frame[c].isna().all()])
    source = _drop_blank_rows(frame, np.asarray(lines, dtype=np.int64))
    source.skipped = at or 0
    return source


def _read_parquet(path: Path, label: str) -> Source:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # ArrowInvalid, OSError, ...
        raise DataError(
            f"{label}: cannot be read as Parquet ({type(exc).__name__}).",
            file=label,
            fix="write the file again, or export CSV/XLSX instead.",
        ) from None
    # ignore_metadata: a saved pandas index comes back as an ordinary column. split_blocks: the
    # columns are taken as they are, not copied into one block (1.4 s of the 1M-customer store's
    # orders and lines); self_destruct: Arrow lets a column go once it is converted.
    frame = table.to_pandas(ignore_metadata=True, split_blocks=True, self_destruct=True)
    del table
    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith("__index_level_")])
    return Source(frame, np.arange(len(frame), dtype=np.int64) + _FIRST_LINE)


def _drop_blank_rows(frame: pd.DataFrame, line: np.ndarray) -> Source:
    """Rows with every cell empty hold no data; they are not counted as read."""
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
        line = line[~blank]
    return Source(frame, line)
