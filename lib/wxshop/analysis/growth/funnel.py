"""The behaviour funnel of a mini-program shop from its ``events`` table: events reaching each
step (view → add_to_cart → checkout → pay, :data:`wxshop.data.schema.FUNNEL_STEPS`; rows with
another ``event`` are ignored), time per step, by channel, category or SKU, and view to pay.

Conventions: :mod:`wxshop.analysis.growth`; a missing group label is ``"—"`` (``paid.UNKNOWN``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.paid import UNKNOWN, require_columns, timestamps
from wxshop.data.schema import CUSTOMER_ID, FUNNEL_STEPS, SKU_ID

__all__ = ["FUNNEL_COLUMNS", "MAX_STEP_GAP", "STEP_TIME_COLUMNS", "VIEW_TO_PAY_COLUMNS", "funnel_by",
           "funnel_steps", "step_times", "view_to_pay"]

FUNNEL_COLUMNS = ["step", "events", "customers", "step_conversion", "from_view", "drop_off"]
STEP_TIME_COLUMNS = ["from_step", "to_step", "pairs", "median_seconds", "p80_seconds"]
VIEW_TO_PAY_COLUMNS = ["gender", "category", "customers", "pairs", "median_hours", "p80_hours"]
MAX_STEP_GAP = pd.Timedelta(days=1)  # default longest gap between two steps of one path
_FUNNEL_NSTEPS = len(FUNNEL_STEPS)


def _funnel_step_codes(events: pd.DataFrame, what: str) -> np.ndarray:
    """Step index 0–3 of each event row, -1 for a row whose event is not a step."""
    require_columns(events, [CUSTOMER_ID, "event"], what)
    return pd.Index(FUNNEL_STEPS).get_indexer(events["event"]).astype(np.int64)


def _funnel_empty(columns: list[str]) -> pd.DataFrame:
    """An empty frame with ``columns``: labels str, counts int64, the rest float64."""
    kinds = dict.fromkeys(("group", "step", "from_step", "to_step", "gender", "category"), "str")
    kinds |= dict.fromkeys(("events", "customers", "pairs"), "int64")
    return pd.DataFrame({c: pd.Series([], dtype=kinds.get(c, "float64")) for c in columns})


def funnel_steps(events: pd.DataFrame, by: pd.Series | None = None) -> pd.DataFrame:
    """Events and customers reaching each funnel step, with the step-to-step conversion.

    Parameters
    ----------
    events : customer_id, event[, ts, sku_id]; one row per tracked event.
    by : optional group label of each events row (e.g. the customer's channel): a Series
        aligned with ``events`` by index, or an array of the same length. Missing labels are
        grouped under ``"—"`` (:data:`~wxshop.analysis.paid.UNKNOWN`).

    Definitions
    -----------
    Counts are EVENT counts: each session emits one event per step it reaches, so the ratio of
    two steps' counts is the share of sessions that went on. With n(s) the events of step s:

    - events = n(s); customers = distinct non-missing customer_id with an event of step s;
    - step_conversion = n(s) / n(previous step), NaN for ``view`` and when the previous step
      has no events (0–1; above 1 only when a later step is tracked more than an earlier one);
    - from_view = n(s) / n(view), NaN without views; drop_off = 1 − step_conversion.

    Every step event in ``events`` counts (filter the window before calling).

    Returns
    -------
    Four rows per group (every step, zero counts included), steps in funnel order. Columns:
    [``group``], ``step``, ``events``, ``customers``, ``step_conversion``, ``from_view``,
    ``drop_off``. Groups are ordered by their view events (descending), then label, ``"—"``
    last. No step events: an empty frame with these columns.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c", "a"],
    ...                    "event": ["view", "add_to_cart", "view", "add_to_cart", "view", "pay"]})
    >>> print(funnel_steps(ev).to_string(index=False))
           step  events  customers  step_conversion  from_view  drop_off
           view       3          3              NaN   1.000000       NaN
    add_to_cart       2          2         0.666667   0.666667  0.333333
       checkout       0          0         0.000000   0.000000  1.000000
            pay       1          1              NaN   0.333333       NaN
    """
    step = _funnel_step_codes(events, "funnel_steps")
    keep = step >= 0
    if not keep.any():
        return _funnel_empty(FUNNEL_COLUMNS if by is None else ["group", *FUNNEL_COLUMNS])
    gcode, labels = np.zeros(int(keep.sum()), np.int64), None
    if by is not None:
        if isinstance(by, pd.Series) and not by.index.equals(events.index):
            by = by.reindex(events.index)
        by = pd.Series(np.asarray(by, dtype=object))
        if len(by) != len(events):
            raise ValueError(f"funnel_steps: by has {len(by)} labels for {len(events)} events")
        gcode, labels = pd.factorize(by.fillna(UNKNOWN).to_numpy()[keep])
    cust, ngroups = pd.factorize(events[CUSTOMER_ID].to_numpy()[keep])[0], int(gcode.max()) + 1
    cell = gcode * _FUNNEL_NSTEPS + step[keep]
    n = np.bincount(cell, minlength=ngroups * _FUNNEL_NSTEPS).reshape(ngroups, _FUNNEL_NSTEPS)
    seen = pd.DataFrame({"cell": cell, "c": cust})[cust >= 0].drop_duplicates()
    who = np.bincount(seen["cell"].to_numpy(), minlength=n.size).reshape(n.shape)
    if labels is not None:  # by view events (descending), then label; UNKNOWN last
        lab = pd.Index(labels).astype(str)
        order = pd.DataFrame({"u": lab == UNKNOWN, "v": -n[:, 0], "label": lab}).sort_values(
            ["u", "v", "label"], kind="stable").index.to_numpy()
        n, who, labels = n[order], who[order], pd.Index(labels)[order]
    nf = n.astype(float)
    prev = np.column_stack([np.full(ngroups, np.nan), nf[:, :-1]])
    conv = np.divide(nf, prev, out=np.full_like(nf, np.nan), where=prev > 0)
    from_view = np.divide(nf, nf[:, :1], out=np.full_like(nf, np.nan), where=nf[:, :1] > 0)
    out = pd.DataFrame({"step": pd.Series(np.tile(FUNNEL_STEPS, ngroups), dtype="str"),
                        "events": n.ravel().astype(np.int64), "customers": who.ravel().astype(np.int64),
                        "step_conversion": conv.ravel(), "from_view": from_view.ravel(),
                        "drop_off": 1.0 - conv.ravel()})
    if labels is not None:
        out.insert(0, "group", np.repeat(labels.to_numpy(), _FUNNEL_NSTEPS))
    return out


def _funnel_keyed(events: pd.DataFrame, what: str) -> pd.DataFrame:
    """Step events: step index ``s``, time ``t``, customer code ``c``, row position ``r`` and an int
    key ``k`` per customer (× sku_id when the column exists), sorted by ``t``; rows missing any
    are left out."""
    step = _funnel_step_codes(events, what)
    require_columns(events, ["ts"], what)
    df = pd.DataFrame({"s": step, "t": timestamps(events["ts"]).to_numpy(),
                       "c": pd.factorize(events[CUSTOMER_ID].to_numpy())[0], "r": np.arange(len(events))})
    df["k"] = df["c"]
    if SKU_ID in events.columns:
        sku = pd.factorize(events[SKU_ID].to_numpy())[0]
        df["k"] = np.where(sku >= 0, df["c"].to_numpy() * (int(sku.max(initial=-1)) + 1) + sku, -1)
    return df[(df["s"] >= 0) & (df["k"] >= 0) & df["t"].notna()].sort_values("t", kind="stable")


def step_times(events: pd.DataFrame, max_gap: pd.Timedelta = MAX_STEP_GAP) -> pd.DataFrame:
    """Time taken by each funnel transition (view→add_to_cart, add_to_cart→checkout,
    checkout→pay).

    Parameters
    ----------
    events : customer_id, ts, event[, sku_id].
    max_gap : longest time between a step and the next one that still counts as one path.

    Definitions
    -----------
    Each event of the later step is matched to the LATEST event of the previous step by the same
    customer and sku_id (customer only when there is no sku_id column) at or before it and at
    most ``max_gap`` earlier (``pd.merge_asof``, backward, tolerance ``max_gap``). Unmatched
    events do not count; two later events may match one earlier event. Events without
    customer_id, ts or (when the column exists) sku_id are left out.

    - pairs = matched later-step events;
    - median_seconds, p80_seconds = median and 80th percentile (linear interpolation) of
      ts(later) − ts(earlier) over the pairs, in seconds; NaN without pairs.

    Returns
    -------
    Three rows in funnel order; columns ``from_step``, ``to_step``, ``pairs``,
    ``median_seconds``, ``p80_seconds``. No step events: an empty frame with these columns.

    Examples
    --------
    >>> ev = pd.DataFrame({"customer_id": ["a"] * 4 + ["b"] * 2,
    ...                    "ts": pd.to_datetime(["2025-01-01 10:00:00", "2025-01-01 10:00:30",
    ...                                          "2025-01-01 10:01:30", "2025-01-01 10:02:00",
    ...                                          "2025-01-01 11:00:00", "2025-01-01 11:02:00"]),
    ...                    "event": ["view", "add_to_cart", "checkout", "pay", "view", "add_to_cart"]})
    >>> print(step_times(ev).to_string(index=False))
      from_step     to_step  pairs  median_seconds  p80_seconds
           view add_to_cart      2            75.0        102.0
    add_to_cart    checkout      1            60.0         60.0
       checkout         pay      1            30.0         30.0
    """
    df = _funnel_keyed(events, "step_times")
    if df.empty:
        return _funnel_empty(STEP_TIME_COLUMNS)
    df = df.assign(key=df["k"] * _FUNNEL_NSTEPS + df["s"])
    later = df.loc[df["s"] > 0, ["key", "t", "s"]]
    earlier = pd.DataFrame({"key": df["key"] + 1, "t0": df["t"]})  # relabelled to the next step
    paired = pd.merge_asof(later, earlier, left_on="t", right_on="t0", by="key", direction="backward",
                           tolerance=max_gap).dropna(subset=["t0"])
    grouped = (paired["t"] - paired["t0"]).dt.total_seconds().groupby(paired["s"])
    idx = pd.RangeIndex(1, _FUNNEL_NSTEPS)  # the later step of each transition
    return pd.DataFrame({"from_step": pd.Series(FUNNEL_STEPS[:-1], dtype="str"),
                         "to_step": pd.Series(FUNNEL_STEPS[1:], dtype="str"),
                         "pairs": grouped.size().reindex(idx, fill_value=0).to_numpy().astype(np.int64),
                         "median_seconds": grouped.median().reindex(idx).to_numpy(dtype=float),
                         "p80_seconds": grouped.quantile(0.8).reindex(idx).to_numpy(dtype=float)})


def _funnel_lookup(keys: pd.Series, table: pd.DataFrame | None, key: str, column: str,
                   what: str) -> pd.Series:
    """``table[column]`` of each of ``keys`` (first row of a duplicated key), missing → UNKNOWN."""
    if table is None:
        raise KeyError(f"{what} table is missing (it needs columns {key}, {column})")
    require_columns(table, [key, column], what)
    ref = table.dropna(subset=[key]).drop_duplicates(key).set_index(key)[column]
    return keys.map(ref).fillna(UNKNOWN)


def funnel_by(events: pd.DataFrame, customers: pd.DataFrame | None = None,
              products: pd.DataFrame | None = None, dimension: str = "channel", *,
              top: int = 10) -> pd.DataFrame:
    """:func:`funnel_steps` by acquisition channel, product category or SKU.

    Parameters
    ----------
    events : customer_id, event[, sku_id].
    customers : customer_id, acquisition_channel (for ``dimension="channel"``).
    products : sku_id, category (for ``dimension="category"``).
    dimension : ``"channel"`` (the customer's acquisition_channel; a customer not in
        ``customers`` or without one is ``"—"``), ``"category"`` (the SKU's category;
        an SKU not in ``products`` is ``"—"``) or ``"sku"`` (sku_id: the ``top`` SKUs by
        view events, ties by sku_id; events of other SKUs are dropped).
    top : number of SKUs kept at ``dimension="sku"``.

    Returns
    -------
    ``funnel_steps(events, by=labels)``: columns ``group``, ``step``, ``events``,
    ``customers``, ``step_conversion``, ``from_view``, ``drop_off``. KeyError when the
    needed table or column is missing.

    Examples
    --------
    >>> ev = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...                    "event": ["view", "add_to_cart", "view", "view"]})
    >>> cu = pd.DataFrame({"customer_id": ["a", "b"], "acquisition_channel": ["社群", "朋友圈"]})
    >>> got = funnel_by(ev, customers=cu, dimension="channel")
    >>> carts = got[got["step"] == "add_to_cart"]
    >>> print(carts[["group", "events", "step_conversion"]].to_string(index=False))
    group  events  step_conversion
      朋友圈       0              0.0
       社群       1              1.0
        —       0              0.0
    """
    what = f"funnel_by(dimension={dimension!r})"
    require_columns(events, [CUSTOMER_ID, "event"], what)
    if dimension == "channel":
        return funnel_steps(events, by=_funnel_lookup(events[CUSTOMER_ID], customers, CUSTOMER_ID,
                                                      "acquisition_channel", what + ": customers"))
    if dimension not in ("category", "sku"):
        raise ValueError(f"funnel_by: dimension must be 'channel', 'category' or 'sku', not {dimension!r}")
    require_columns(events, [SKU_ID], what)
    if dimension == "category":
        return funnel_steps(events, by=_funnel_lookup(events[SKU_ID], products, SKU_ID, "category",
                                                      what + ": products"))
    views = events.loc[events["event"] == FUNNEL_STEPS[0], SKU_ID].value_counts().sort_index()
    keep = events[SKU_ID].isin(views.sort_values(ascending=False, kind="stable").index[:top]).to_numpy()
    return funnel_steps(events[keep], by=events.loc[keep, SKU_ID])


def view_to_pay(events: pd.DataFrame, customers: pd.DataFrame | None = None,
                products: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hours from a customer's first view of a SKU to their first pay of it, by gender × category.

    Parameters
    ----------
    events : customer_id, ts, event[, sku_id] (without sku_id: per customer, any SKU).
    customers : customer_id[, gender]; products : sku_id[, category]. Optional.

    Definitions
    -----------
    For each (customer, sku_id) with a view: hours = (first pay at or after the FIRST view −
    first view) / 1 h. Pairs with no such pay are not counted. Groups: the customer's gender
    and the SKU's category; a dimension whose table or column is absent is ``"—"`` for every
    pair, as is a missing label.

    - customers = distinct customers among the group's pairs; pairs = counted pairs;
    - median_hours, p80_hours = median and 80th percentile (linear interpolation) of hours.

    Returns
    -------
    One row per (gender, category) with pairs, sorted by gender then category. Columns
    ``gender``, ``category``, ``customers``, ``pairs``, ``median_hours``, ``p80_hours``. No pair:
    an empty frame with these columns.

    Examples
    --------
    >>> ev = pd.DataFrame({"customer_id": ["a", "a", "a", "a", "b"],
    ...                    "ts": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 09:00", "2025-01-01 11:00",
    ...                                          "2025-01-02 08:00", "2025-01-01 08:00"]),
    ...                    "event": ["view", "view", "pay", "pay", "view"], "sku_id": ["s1"] * 5})
    >>> print(view_to_pay(ev).to_string(index=False))
    gender category  customers  pairs  median_hours  p80_hours
         —        —          1      1           3.0        3.0
    """
    df = _funnel_keyed(events, "view_to_pay")
    views = df[df["s"] == 0].drop_duplicates("k")  # the first view per key
    pays = df.loc[df["s"] == _FUNNEL_NSTEPS - 1, ["k", "t"]].rename(columns={"t": "t1"})
    paired = pd.merge_asof(views, pays, left_on="t", right_on="t1", by="k",
                           direction="forward").dropna(subset=["t1"]).reset_index(drop=True)
    if paired.empty:
        return _funnel_empty(VIEW_TO_PAY_COLUMNS)
    hit = events.iloc[paired["r"].to_numpy()].reset_index(drop=True)  # the first view of each pair
    out = pd.DataFrame({"gender": UNKNOWN, "category": UNKNOWN, "c": paired["c"],
                        "h": (paired["t1"] - paired["t"]).dt.total_seconds() / 3600.0})
    if customers is not None and "gender" in customers.columns:
        out["gender"] = _funnel_lookup(hit[CUSTOMER_ID], customers, CUSTOMER_ID, "gender", "view_to_pay")
    if products is not None and "category" in products.columns and SKU_ID in hit.columns:
        out["category"] = _funnel_lookup(hit[SKU_ID], products, SKU_ID, "category", "view_to_pay")
    grouped = out.astype({"gender": "str", "category": "str"}).groupby(["gender", "category"])
    out = grouped.agg(customers=("c", "nunique"), pairs=("h", "size"), median_hours=("h", "median"))
    out["p80_hours"] = grouped["h"].quantile(0.8)
    return out.reset_index().astype({"customers": "int64", "pairs": "int64"})[VIEW_TO_PAY_COLUMNS]
