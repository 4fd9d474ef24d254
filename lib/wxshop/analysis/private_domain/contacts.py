"""From 企业微信 contact to first purchase to repeat: does adding a customer on WeChat Work lead
to buying?

Definitions shared by every function here:

- contact: one row of the ``contacts`` table (a ``contact_id`` added by a ``staff_id`` at
  ``added_at``); the same person added by two staff members is two contacts;
- linked contact: one with a ``customer_id`` (missing or blank = unlinked). An unlinked contact
  cannot be traced to orders, so it counts as a contact that did not buy;
- paid order: ``status == "paid"`` (every order without a status column) with a
  ``customer_id`` and an ``ordered_at`` (:func:`wxshop.analysis.paid.paid_mask`); orders after
  the end of day ``end`` are ignored;
- windows are timestamps: "in (a, a + n days]" = after instant a and no later than n × 24 hours
  after it; "complete follow-up" = the window ends no later than midnight after ``end``
  (``added_at + days ≤ end + 1 day``: added on day ``end − days`` or earlier);
- days to first purchase: calendar days, day of the order − day of ``added_at`` (0 = the
  same day, after the add);
- shares 0–1; a share with an empty denominator is NaN; a missing ``add_source`` or
  ``staff_id`` shows as ``"—"``.

:func:`events_between` and :func:`paid_between` count events (orders, touches) of each
customer inside a window per row; the cadence and the holdout modules count with them too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.paid import (
    UNKNOWN,
    DateLike,
    check_days,
    paid_mask,
    period_end_day,
    require_columns,
    timestamps,
)
from wxshop.data.codes import positions
from wxshop.data.schema import CUSTOMER_ID, ORDERED_AT

__all__ = [
    "FUNNEL_BY", "FUNNEL_COLUMNS", "ROUTES", "added_before_first_order", "contact_funnel", "events_between",
    "linked_ids", "nanoseconds", "paid_between",
]

ADDED_AT = "added_at"
FUNNEL_BY = ("add_source", "staff_id")
FUNNEL_COLUMNS = ("contacts", "linked", "buyer_before", "new_after", "first_purchase_rate", "repeat_after",
                  "repeat_rate", "median_days_to_first")
ROUTES = ("added_first", "bought_first", "not_bought")
_DAY_NS = 86_400 * 10**9
_INT_MIN, _INT_MAX = np.iinfo(np.int64).min, np.iinfo(np.int64).max


def linked_ids(values: pd.Series) -> pd.Series:
    """Ids as text (pandas ``str`` dtype, surrounding spaces removed); missing or blank = missing.

    Examples
    --------
    >>> linked_ids(pd.Series(["a ", "", None, 7])).tolist()
    ['a', nan, nan, '7']
    """
    text = values.astype("string").str.strip()
    return text.mask(text == "").astype("str")


def nanoseconds(values: pd.Series | np.ndarray) -> np.ndarray:
    """Timestamps as int64 nanoseconds since 1970 (wall clock); NaT stays the int64 minimum.

    Examples
    --------
    >>> nanoseconds(pd.Series(pd.to_datetime(["1970-01-02", None]))).tolist() == [86400 * 10**9, -2**63]
    True
    """
    if isinstance(values, pd.Series):
        values = timestamps(values).to_numpy()
    return np.asarray(values).astype("datetime64[ns]").astype(np.int64)


def events_between(event_ids: pd.Series, event_at: np.ndarray, ids: pd.Series, lo: np.ndarray,
                   hi: np.ndarray, *, closed: str = "right") -> tuple[np.ndarray, np.ndarray]:
    """Per query row i: how many events of customer ``ids[i]`` fall in its window, and the time
    of the first of them.

    Window: ``lo[i] < t ≤ hi[i]`` (``closed="right"``) or ``lo[i] ≤ t < hi[i]`` (``"left"``);
    ``lo`` NaT = no lower bound, ``hi`` NaT = no upper bound. ``event_at``, ``lo``, ``hi`` are
    int64 nanoseconds (:func:`nanoseconds`). Events with a missing id or time are ignored; a
    query with a missing id has none. Ids compare as text.

    Returns
    -------
    count (int64 per query row) and first (int64 ns of the first event in the window, NaT's
    int64 minimum when count is 0).

    Examples
    --------
    >>> t = lambda *s: nanoseconds(pd.Series(pd.to_datetime(list(s))))
    >>> n, first = events_between(pd.Series(["a", "a", "b"]), t("2025-01-02", "2025-01-05", "2025-01-02"),
    ...     pd.Series(["a", "a", "c"]), t("2025-01-01", "2025-01-02", "2025-01-01"),
    ...     t("2025-01-10", "2025-01-10", "2025-01-10"))
    >>> n.tolist(), pd.to_datetime(first[:2]).strftime("%m-%d").tolist()
    ([2, 1, 0], ['01-02', '01-05'])
    """
    if closed not in ("right", "left"):
        raise ValueError(f"closed must be 'right' or 'left', got {closed!r}")
    e_id = linked_ids(pd.Series(event_ids).reset_index(drop=True))
    e_at = np.asarray(event_at, np.int64)
    keep = e_id.notna().to_numpy(bool) & (e_at != _INT_MIN)
    e_id, e_at = e_id[keep], e_at[keep]
    among = pd.Index(pd.unique(e_id), dtype="str")
    e_code = positions(e_id, among)
    q_code = positions(linked_ids(pd.Series(ids).reset_index(drop=True)), among)
    lo = np.asarray(lo, np.int64)  # NaT is already the int64 minimum: no lower bound
    hi = np.asarray(hi, np.int64)
    hi = np.where(hi == _INT_MIN, _INT_MAX, hi)
    # times → dense ranks, so that (customer, time) fits one sortable int64 key
    stamps, rank = np.unique(np.concatenate([e_at, lo, hi]), return_inverse=True)
    width = stamps.size + 1
    rank_e, rank_lo, rank_hi = np.split(rank.astype(np.int64), [e_at.size, e_at.size + lo.size])
    key = e_code * width + rank_e
    order = np.argsort(key, kind="stable")
    key, at = key[order], e_at[order]
    found = q_code >= 0
    q = np.where(found, q_code, 0) * width
    side = "right" if closed == "right" else "left"
    start = np.searchsorted(key, q + rank_lo, side=side)
    count = np.searchsorted(key, q + rank_hi, side=side) - start
    count = np.where(found, np.maximum(count, 0), 0).astype(np.int64)
    if not at.size:
        return count, np.full(count.size, _INT_MIN, np.int64)
    first = np.where(count > 0, at[np.minimum(start, at.size - 1)], _INT_MIN)
    return count, first.astype(np.int64)


def paid_between(orders: pd.DataFrame, ids: pd.Series, lo: np.ndarray, hi: np.ndarray, *,
                 end: DateLike | None, closed: str = "right",
                 what: str = "paid_between") -> tuple[np.ndarray, np.ndarray]:
    """:func:`events_between` over the paid orders (``orders``: customer_id, ordered_at[, status])
    up to the end of day ``end`` (``None``: every order): per query row the number of paid orders
    of ``ids[i]`` in the window and the first one's time (int64 ns).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a"], "status": ["paid", "refunded", "paid"],
    ...     "ordered_at": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-02-01"])})
    >>> lo = nanoseconds(pd.Series(pd.to_datetime(["2025-01-01"])))
    >>> paid_between(orders, pd.Series(["a"]), lo, lo + 40 * 86400 * 10**9, end="2025-01-31")[0].tolist()
    [1]
    """
    require_columns(orders, (CUSTOMER_ID, ORDERED_AT), what)
    at = nanoseconds(orders[ORDERED_AT])
    keep = paid_mask(orders).to_numpy(bool, copy=True)
    if end is not None:
        keep &= at < (period_end_day(end) + 1) * _DAY_NS
    return events_between(orders[CUSTOMER_ID][keep], at[keep], ids, lo, hi, closed=closed)


def _contacts_frame(contacts: pd.DataFrame, what: str, by: str | None = None) -> pd.DataFrame:
    """customer_id (text, NA = unlinked), added (int64 ns) and group of each contact with an
    ``added_at``."""
    require_columns(contacts, ("contact_id", ADDED_AT, *([by] if by else [])), what)
    added = nanoseconds(contacts[ADDED_AT])
    ids = (linked_ids(contacts[CUSTOMER_ID]) if CUSTOMER_ID in contacts.columns
           else pd.Series(pd.NA, index=contacts.index, dtype="str"))
    group = linked_ids(contacts[by]).fillna(UNKNOWN) if by else pd.Series("all", index=contacts.index)
    frame = pd.DataFrame({CUSTOMER_ID: ids.to_numpy(), "added": added, "group": group.to_numpy()})
    return frame.loc[added != _INT_MIN].reset_index(drop=True)


def contact_funnel(contacts: pd.DataFrame, orders: pd.DataFrame, *, end: DateLike, days: int = 90,
                   by: str | None = None) -> pd.DataFrame:
    """Contacts → first purchase → repeat, over the contacts whose ``days``-day follow-up is complete.

    Parameters
    ----------
    contacts : contact_id, added_at[, customer_id, staff_id, add_source].
    orders : customer_id, ordered_at[, status]; paid orders up to the end of day ``end`` count.
    end : the last day of data (inclusive).
    days : follow-up window n in days (whole number ≥ 1).
    by : None (one row ``"all"``), ``"add_source"`` or ``"staff_id"`` (one row per value, ``"—"``
        for a missing one).

    Returns
    -------
    One row per group (index named ``by``, or ``"group"``), sorted by contacts (most first)
    then name. Over the contact rows with ``added_at + days ≤ end + 1 day``:

    - ``contacts``: count; ``linked``: those with a customer_id (count);
    - ``buyer_before``: linked contacts whose customer has a paid order at or before ``added_at``;
    - ``new_after``: of the others, those with a paid order in (added_at, added_at + n days];
      unlinked contacts are counted as not buying (they cannot be traced);
    - ``first_purchase_rate`` = new_after ÷ (contacts − buyer_before) (share);
    - ``repeat_after``: linked contacts with ≥ 2 paid orders in (added_at, added_at + n days]
      (earlier buyers included); ``repeat_rate`` = repeat_after ÷ linked (share);
    - ``median_days_to_first``: median over the new_after contacts of the calendar days from
      ``added_at`` to their first paid order after it (days).

    Examples
    --------
    >>> contacts = pd.DataFrame({"contact_id": ["c1", "c2", "c3", "c4"], "customer_id": ["a", "b", "c", None],
    ...     "added_at": pd.to_datetime(["2025-01-01 10:00"] * 3 + ["2025-01-02 09:00"])})
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "ordered_at": pd.to_datetime(["2024-12-01", "2025-01-05", "2025-01-06", "2025-01-03"])})
    >>> print(contact_funnel(contacts, orders, end="2025-03-31", days=30).T.to_string())
    group                      all
    contacts              4.000000
    linked                3.000000
    buyer_before          1.000000
    new_after             1.000000
    first_purchase_rate   0.333333
    repeat_after          1.000000
    repeat_rate           0.333333
    median_days_to_first  2.000000
    """
    what = "contact_funnel"
    days = check_days(f"{what}: days", days)
    if by is not None and by not in FUNNEL_BY:
        raise ValueError(f"{what}: by must be None or one of {', '.join(FUNNEL_BY)}, got {by!r}")
    frame = _contacts_frame(contacts, what, by)
    limit = (period_end_day(end) + 1 - days) * _DAY_NS  # added_at + days ≤ end + 1 day
    frame = frame.loc[frame["added"].to_numpy() <= limit].reset_index(drop=True)
    ids, added = frame[CUSTOMER_ID], frame["added"].to_numpy(np.int64)
    linked = ids.notna().to_numpy(bool)
    before = paid_between(orders, ids, np.full(added.size, _INT_MIN), added, end=end, what=what)[0] > 0
    after, first = paid_between(orders, ids, added, added + days * _DAY_NS, end=end, what=what)
    new = ~before & (after > 0)
    wait = np.where(new, first // _DAY_NS - added // _DAY_NS, np.nan)
    per = pd.DataFrame({"group": frame["group"], "contacts": 1, "linked": linked, "buyer_before": before,
                        "new_after": new, "repeat_after": linked & (after >= 2), "wait": wait})
    out = per.groupby("group", sort=True).agg(
        contacts=("contacts", "sum"), linked=("linked", "sum"), buyer_before=("buyer_before", "sum"),
        new_after=("new_after", "sum"), repeat_after=("repeat_after", "sum"),
        median_days_to_first=("wait", "median"))
    if by is None:
        out = out.reindex(pd.Index(["all"], dtype="str"))
    counts = ["contacts", "linked", "buyer_before", "new_after", "repeat_after"]
    out[counts] = out[counts].fillna(0).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        open_ = out["contacts"] - out["buyer_before"]  # contacts that had not bought yet
        out["first_purchase_rate"] = out["new_after"] / open_.where(open_ > 0)
        out["repeat_rate"] = out["repeat_after"] / out["linked"].where(out["linked"] > 0)
    out["median_days_to_first"] = out["median_days_to_first"].astype(float)
    out = out.reset_index(names="name").sort_values(["contacts", "name"], ascending=[False, True])
    out.index = pd.Index(out.pop("name").to_numpy(), dtype="str", name=by or "group")
    return out[list(FUNNEL_COLUMNS)]


def added_before_first_order(contacts: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Were linked contacts added before their customer first bought, or after (the 包裹卡 /
    package-card route: buy first, then add the staff member)?

    Over the linked contact rows (a customer_id and an ``added_at``) and every paid order
    given:

    - ``added_first``: the customer's first paid order is after ``added_at``;
    - ``bought_first``: the first paid order is at or before ``added_at``;
    - ``not_bought``: the customer has no paid order.

    Returns
    -------
    Index ``route`` (the three above); columns ``contacts`` (count), ``share`` = contacts ÷
    linked contacts, ``share_of_buyers`` = contacts ÷ (added_first + bought_first) for the two
    routes with a purchase (NaN for ``not_bought``). Shares 0–1, NaN with an empty denominator.

    Examples
    --------
    >>> contacts = pd.DataFrame({"contact_id": ["c1", "c2", "c3", "c4"], "customer_id": ["a", "b", "c", None],
    ...     "added_at": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01"])})
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...     "ordered_at": pd.to_datetime(["2024-12-01", "2025-01-05", "2025-01-03"])})
    >>> print(added_before_first_order(contacts, orders).to_string())
                  contacts     share  share_of_buyers
    route
    added_first          1  0.333333              0.5
    bought_first         1  0.333333              0.5
    not_bought           1  0.333333              NaN
    """
    what = "added_before_first_order"
    frame = _contacts_frame(contacts, what)
    frame = frame.loc[frame[CUSTOMER_ID].notna().to_numpy(bool)]
    ids, added = frame[CUSTOMER_ID], frame["added"].to_numpy(np.int64)
    n = added.size
    at_or_before = paid_between(orders, ids, np.full(n, _INT_MIN), added, end=None, what=what)[0] > 0
    ever = paid_between(orders, ids, np.full(n, _INT_MIN), np.full(n, _INT_MAX), end=None, what=what)[0] > 0
    counts = np.array([int((ever & ~at_or_before).sum()), int(at_or_before.sum()), int((~ever).sum())])
    buyers = counts[0] + counts[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = counts / n if n else np.full(3, np.nan)
        of_buyers = np.append(counts[:2] / buyers if buyers else np.full(2, np.nan), np.nan)
    return pd.DataFrame({"contacts": counts.astype(np.int64), "share": share, "share_of_buyers": of_buyers},
                        index=pd.Index(list(ROUTES), dtype="str", name="route"))
