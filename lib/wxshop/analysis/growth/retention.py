"""New-user retention (新用户留存): how many new users open the mini-program again n days after
they registered, overall, per acquisition channel (or another customers column) and per
registration cohort.

Definition shared by every function here:

- day 0 = the calendar day of the customer's ``registered_at`` (wall clock as recorded); day n
  = day 0 + n calendar days;
- a new user is *retained on day n* (n = 1: 次日留存) when they have a ``visit`` event (the
  customer opening the mini-program) on calendar day n; other events (view, share, pay …) do
  not count, nor does a visit on another day;
- counted new users (``registered``): customers registered on or after the first day the events
  table covers (the day of its first ``ts``, any event); customers registered earlier were not
  tracked from day 0. Customers without ``registered_at`` or ``customer_id`` are left out (a
  ``customer_id`` listed twice counts once, its first row); events of customers missing from
  ``customers`` and events without ``ts`` are ignored;
- for day n: ``dn_eligible`` = counted new users whose day n is on or before the last day the
  events cover (day of the last ``ts``: their day n is observed); ``dn_returned`` = those of
  them with a visit on day n; ``dn`` = dn_returned ÷ dn_eligible (share 0–1; NaN with 0
  eligible). When the events hold no ``visit`` at all (:func:`has_visits` False) retention
  cannot be measured: every ``dn`` is NaN (``dn_returned`` 0).

Conventions: :mod:`wxshop.analysis.growth`; a missing group label is ``"—"`` (``paid.UNKNOWN``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wxshop.analysis.paid import NO_DAY, UNKNOWN, check_days, day_numbers, require_columns
from wxshop.data.schema import CUSTOMER_ID

__all__ = ["FREQS", "REFERENCE_D1", "has_visits", "retention", "retention_by_cohort"]

REFERENCE_D1: tuple[float, float] = (0.08, 0.15)
"""The playbook's 新用户次日留存 (day-1 retention of new users): 8% before → 15% after the
onboarding changes (shares 0–1)."""

FREQS = {"M": "month (YYYY-MM)", "W": "ISO week (YYYY-Www)"}
VISIT = "visit"
REGISTERED_AT = "registered_at"


def _retention_days(days: int | Sequence[int], what: str) -> tuple[int, ...]:
    """``days`` as a tuple of distinct whole numbers ≥ 1 (a single int allowed); ValueError otherwise."""
    if isinstance(days, int | np.integer) and not isinstance(days, bool):
        days = (days,)
    try:
        out = tuple(check_days(f"{what}: each of days", d) for d in days)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{what}: days must be whole numbers of days ≥ 1, got {days!r}") from err
    if not out or len(set(out)) != len(out):
        raise ValueError(f"{what}: days must hold one or more distinct days, got {days!r}")
    return out


def _retention_counted(
    customers: pd.DataFrame, events: pd.DataFrame, days: tuple[int, ...], by: str | None, what: str
) -> tuple[np.ndarray, pd.Series | None, np.ndarray, np.ndarray, bool]:
    """Per counted new user: day-0 number, group label (None without ``by``), eligible and
    returned (customer × day, bool), and whether the events hold any visit."""
    columns = list(dict.fromkeys([CUSTOMER_ID, REGISTERED_AT, *([by] if by else [])]))
    require_columns(customers, columns, what)
    require_columns(events, [CUSTOMER_ID, "ts", "event"], what)
    table = customers[columns].dropna(subset=[CUSTOMER_ID]).drop_duplicates(CUSTOMER_ID)
    reg = day_numbers(table[REGISTERED_AT])
    ids = pd.Index(table[CUSTOMER_ID].astype("str"))
    ev_day = day_numbers(events["ts"])
    dated = ev_day != NO_DAY
    visit = (events["event"] == VISIT).fillna(False).to_numpy(bool)
    n = np.asarray(days, np.int64)
    if dated.any():
        first, last = int(ev_day[dated].min()), int(ev_day[dated].max())
        keep = (reg != NO_DAY) & (reg >= first)
        eligible = keep[:, None] & (reg[:, None] + n[None, :] <= last)
    else:
        keep = np.zeros(reg.size, bool)
        eligible = np.zeros((reg.size, n.size), bool)
    code = ids.get_indexer(events.loc[visit & dated, CUSTOMER_ID].astype("str"))
    known = code >= 0
    code = code[known]
    offset = ev_day[visit & dated][known] - reg[code]
    returned = np.zeros(eligible.shape, bool)
    for j, d in enumerate(n):  # one pass per day asked for, not per row
        returned[code[offset == d], j] = True
    returned &= eligible
    label = table[by].reset_index(drop=True)[keep] if by else None
    return reg[keep], label, eligible[keep], returned[keep], bool(visit.any())


def _retention_groups(label: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Group code per customer and the group names: largest group first, then name, ``"—"``
    (missing or blank) last."""
    text = label.astype("str")
    text = text.where(text.str.strip() != "", UNKNOWN).fillna(UNKNOWN)
    code, names = pd.factorize(text.to_numpy(dtype=object))
    names = np.asarray(names, dtype=object).astype(str)
    size = np.bincount(code, minlength=names.size)
    order = np.lexsort((names, -size, names == UNKNOWN))
    renumber = np.empty(names.size, np.int64)
    renumber[order] = np.arange(names.size)
    return renumber[code], names[order]


def _retention_rows(cell: np.ndarray, cells: int, eligible: np.ndarray, returned: np.ndarray,
                    days: tuple[int, ...], measurable: bool) -> pd.DataFrame:
    """``registered`` and, per day n, ``dn_eligible``, ``dn_returned``, ``dn`` of each cell."""
    out = {"registered": np.bincount(cell, minlength=cells).astype(np.int64)}
    for j, d in enumerate(days):
        e = np.bincount(cell, weights=eligible[:, j], minlength=cells).astype(np.int64)
        r = np.bincount(cell, weights=returned[:, j], minlength=cells).astype(np.int64)
        out[f"d{d}_eligible"], out[f"d{d}_returned"] = e, r
        out[f"d{d}"] = np.divide(r, e, out=np.full(cells, np.nan), where=(e > 0) & measurable)
    return pd.DataFrame(out)


def has_visits(events: pd.DataFrame) -> bool:
    """Whether ``events`` holds any ``visit`` event (the customer opening the mini-program).

    Retention is measured from visits only; without them every retention rate is NaN and the
    report says that retention cannot be measured from this export.

    Examples
    --------
    >>> has_visits(pd.DataFrame({"event": ["view", "visit"]})), has_visits(pd.DataFrame({"event": ["pay"]}))
    (True, False)
    """
    require_columns(events, ["event"], "has_visits")
    return bool((events["event"] == VISIT).fillna(False).any())


def retention(
    customers: pd.DataFrame, events: pd.DataFrame, days: int | Sequence[int] = (1, 7, 30),
    by: str | None = None,
) -> pd.DataFrame:
    """Day-n retention of new users, overall or per group.

    Parameters
    ----------
    customers : customer_id, registered_at[, ``by``].
    events : customer_id, ts, event; the window is what the table covers (first to last ``ts`` day).
    days : the days n after registration (whole numbers ≥ 1, distinct), e.g. ``(1, 7, 30)``.
    by : optional customers column to group by, e.g. ``"acquisition_channel"``; a missing or
        blank label groups as ``"—"``.

    Returns
    -------
    One row without ``by``; with it one row per group, largest ``registered`` first, then name,
    ``"—"`` last (no rows when no new user counts). Columns: [``group``], ``registered``, then per
    n: ``dn_eligible``, ``dn_returned`` (counts of new users) and ``dn`` = dn_returned ÷
    dn_eligible (share 0–1, NaN with 0 eligible or without visits); definitions in the module.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "acquisition_channel": ["社群", "社群", None],
    ...     "registered_at": pd.to_datetime(["2025-03-01 09:00", "2025-03-01 23:00", "2025-02-20 10:00"])})
    >>> events = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "event": ["visit", "visit", "view", "visit"],
    ...     "ts": pd.to_datetime(["2025-03-01 09:00", "2025-03-02 08:00", "2025-03-02 12:00",
    ...                           "2025-03-08 22:00"])})
    >>> print(retention(customers, events, days=(1, 7)).to_string(index=False))
     registered  d1_eligible  d1_returned  d1  d7_eligible  d7_returned  d7
              2            2            1 0.5            2            1 0.5
    >>> retention(customers, events, days=1, by="acquisition_channel")["group"].tolist()
    ['社群']
    """
    days = _retention_days(days, "retention")
    _, label, eligible, returned, measurable = _retention_counted(customers, events, days, by, "retention")
    if by is None:
        return _retention_rows(np.zeros(len(eligible), np.int64), 1, eligible, returned, days, measurable)
    code, names = _retention_groups(label) if len(label) else (np.zeros(0, np.int64), np.zeros(0, str))
    out = _retention_rows(code, names.size, eligible, returned, days, measurable)
    out.insert(0, "group", pd.array(names, dtype="str"))
    return out


def _retention_cohorts(reg: np.ndarray, freq: str) -> tuple[np.ndarray, np.ndarray]:
    """Cohort code per day-0 number and the cohort labels, earliest first: ``YYYY-MM`` (``"M"``)
    or the ISO week ``YYYY-Www`` (``"W"``, weeks from Monday; the year is that of its Thursday).

    Examples
    --------
    >>> code, labels = _retention_cohorts(day_numbers(pd.Series(pd.to_datetime(
    ...     ["2024-12-30", "2025-01-05", "2026-01-01"]))), "W")
    >>> code.tolist(), labels.tolist()
    ([0, 0, 1], ['2025-W01', '2026-W01'])
    """
    if freq == "M":
        key = reg.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    else:
        key = reg - (reg + 3) % 7  # the Monday (1970-01-01 was a Thursday)
    periods, code = np.unique(key, return_inverse=True)
    if freq == "M":
        return code, np.datetime_as_string(periods.astype("datetime64[M]"), unit="M")
    thursday = (periods + 3).astype("datetime64[D]")
    year = thursday.astype("datetime64[Y]")
    week = (thursday - year.astype("datetime64[D]")).astype(np.int64) // 7 + 1
    labels = np.char.add(np.char.add(np.datetime_as_string(year, unit="Y"), "-W"),
                         np.char.zfill(week.astype(str), 2))
    return code, labels


def retention_by_cohort(
    customers: pd.DataFrame, events: pd.DataFrame, days: int | Sequence[int] = (1, 7, 30),
    freq: str = "M", by: str | None = None,
) -> pd.DataFrame:
    """Day-n retention of new users per registration period (cohort), optionally per group.

    A cohort is the calendar period of day 0: ``freq="M"`` month, ``cohort`` ``YYYY-MM``;
    ``freq="W"`` ISO week (Monday–Sunday), ``cohort`` ``YYYY-Www`` (ISO year and week number).
    Counts and rates as in :func:`retention` (definitions in the module), within each cohort
    (× group). Recent cohorts have few or no eligible new users for the longer days.

    Parameters
    ----------
    customers, events, days, by : as in :func:`retention`.
    freq : ``"M"`` (calendar month) or ``"W"`` (ISO week) of the registration day.

    Returns
    -------
    One row per cohort holding counted new users, earliest first; with ``by`` one row per
    cohort × group with new users, groups in the order of :func:`retention` (overall size).
    Columns: ``cohort``, [``group``], ``registered``, per n ``dn_eligible``, ``dn_returned``,
    ``dn``. Summed over the rows, the counts equal those of :func:`retention`.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "registered_at": pd.to_datetime(["2025-03-30", "2025-03-31", "2025-04-02"])})
    >>> events = pd.DataFrame({"customer_id": ["a", "a", "c", "c"], "event": ["visit"] * 4,
    ...     "ts": pd.to_datetime(["2025-03-30", "2025-03-31", "2025-04-02", "2025-04-03"])})
    >>> print(retention_by_cohort(customers, events, days=1).to_string(index=False))
     cohort  registered  d1_eligible  d1_returned  d1
    2025-03           2            2            1 0.5
    2025-04           1            1            1 1.0
    >>> retention_by_cohort(customers, events, days=1, freq="W")["cohort"].tolist()
    ['2025-W13', '2025-W14']
    """
    if freq not in FREQS:
        raise ValueError(f"retention_by_cohort: freq must be one of {', '.join(FREQS)}, got {freq!r}")
    days = _retention_days(days, "retention_by_cohort")
    reg, label, eligible, returned, measurable = _retention_counted(
        customers, events, days, by, "retention_by_cohort")
    pcode, cohorts = _retention_cohorts(reg, freq)
    gcode, names = (np.zeros(reg.size, np.int64), np.array([""])) if by is None or not reg.size \
        else _retention_groups(label)
    cells = cohorts.size * names.size
    out = _retention_rows(pcode * names.size + gcode, cells, eligible, returned, days, measurable)
    out.insert(0, "cohort", pd.array(np.repeat(cohorts, names.size), dtype="str"))
    if by is not None:
        out.insert(1, "group", pd.array(np.tile(names, cohorts.size), dtype="str"))
    return out[out["registered"] > 0].reset_index(drop=True)
