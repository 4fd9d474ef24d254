"""Fission (裂变): how many new buyers come through invitations, how deep the invitation
chains run, and whether invited customers are worth as much as organic ones.

Definitions shared by every function here:

- buyer: a customer with at least one paid order (:func:`wxshop.analysis.paid.paid_orders`:
  ``status == "paid"``, with a ``customer_id`` and an ``ordered_at``); window: every order given;
- invited: the customer's ``inviter_id`` in ``customers`` is present (not missing, not blank);
  a buyer missing from ``customers`` counts as not invited (organic);
- first paid day: calendar day of the buyer's first paid order; "the first ``days`` days" are
  that day and the ``days − 1`` days after it;
- money in CNY rounded to the fen; shares 0–1; a ratio with an empty denominator is NaN.

With no paid orders the frame-returning functions return empty frames with their columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.growth.compare import welch
from wxshop.analysis.paid import PaidOrders, check_days, paid_orders, require_columns, timestamps
from wxshop.data.schema import AMOUNT, CUSTOMER_ID, ORDERED_AT

__all__ = ["chain_depth", "invitation_share", "invitee_value", "k_factor", "new_customer_share",
           "top_inviters"]

INVITER_ID = "inviter_id"
MAX_ROUNDS = 100  # chain_depth: depth levels followed before the rest is called a cycle
PERIODS = {"M": "month", "Q": "quarter", "Y": "year"}
VALUE_COLUMNS = ["customers", "mean_gmv", "median_gmv", "repeat_rate",
                 "diff_mean", "diff_ci_low", "diff_ci_high", "p_value"]


def _fission_buyers(orders: pd.DataFrame, what: str, amount: bool = False) -> PaidOrders | None:
    """The paid orders up to the day of the last order given (any status); None without any."""
    require_columns(orders, [CUSTOMER_ID, ORDERED_AT, *([AMOUNT] if amount else [])], what)
    last = timestamps(orders[ORDERED_AT]).max()
    if pd.isna(last):
        return None
    paid = paid_orders(orders, last, what, amount=amount)
    return paid if paid.n else None


def _fission_table(customers: pd.DataFrame, what: str) -> tuple[pd.Index, pd.Series]:
    """Customer ids (first row of each, as text) and their inviter ids (missing or blank: NaN)."""
    require_columns(customers, [CUSTOMER_ID, INVITER_ID], what)
    table = customers[[CUSTOMER_ID, INVITER_ID]].dropna(subset=[CUSTOMER_ID])
    table = table.drop_duplicates(CUSTOMER_ID)
    inviter = table[INVITER_ID].astype("str").str.strip()
    inviter = inviter.where(inviter != "").reset_index(drop=True)
    return pd.Index(table[CUSTOMER_ID].astype("str"), name=CUSTOMER_ID), inviter


def _fission_inviter_of(customers: pd.DataFrame, buyers: pd.Index, what: str) -> pd.Series:
    """Each buyer's inviter id (NaN when not invited or not in ``customers``), in buyer order."""
    ids, inviter = _fission_table(customers, what)
    at = ids.get_indexer(buyers.astype("str"))
    return inviter.reindex(at).where(at >= 0).reset_index(drop=True).astype("str")


def invitation_share(customers: pd.DataFrame, orders: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """New buyers per period of their first paid order, and the share of them invited.

    Per calendar period (``freq``: ``"M"`` month ``YYYY-MM``, ``"Q"`` quarter ``YYYY-Qn``,
    ``"Y"`` year ``YYYY``; the first column is named ``month`` / ``quarter`` / ``year``), every
    period from the first to the last one listed:

    - ``new_customers``: buyers whose first paid order falls in the period (count; customers
      with no paid order are not new customers);
    - ``invited``: those of them with an inviter (count);
    - ``share``: invited ÷ new_customers (0–1; NaN in a period without new customers).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...                           "inviter_id": [None, "a", "a", "b"]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "b"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-02", "2025-03-09",
    ...                                   "2025-03-10"]),
    ...     "status": ["paid", "paid", "paid", "cancelled", "paid"]})
    >>> print(invitation_share(customers, orders).to_string(index=False))
      month  new_customers  invited  share
    2025-01              2        1    0.5
    2025-02              0        0    NaN
    2025-03              1        1    1.0
    """
    if freq not in PERIODS:
        raise ValueError(f"invitation_share: freq must be one of {', '.join(PERIODS)}, got {freq!r}")
    name = PERIODS[freq]
    paid = _fission_buyers(orders, "invitation_share")
    if paid is None:
        return pd.DataFrame({name: pd.Series(dtype="str"), "new_customers": pd.Series(dtype=np.int64),
                             "invited": pd.Series(dtype=np.int64), "share": pd.Series(dtype=float)})
    invited = _fission_inviter_of(customers, paid.ids, "invitation_share").notna().to_numpy(bool)
    first, _ = paid.first_last_day()
    month = first.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)  # since 1970-01
    key = month // {"M": 1, "Q": 3, "Y": 12}[freq]
    lo = int(key.min())
    new = np.bincount(key - lo).astype(np.int64)
    inv = np.bincount(key - lo, weights=invited, minlength=new.size).astype(np.int64)
    periods = np.arange(lo, lo + new.size)
    if freq == "M":
        label = np.datetime_as_string(periods.astype("datetime64[M]"), unit="M")
    elif freq == "Q":
        label = [f"{1970 + p // 4}-Q{p % 4 + 1}" for p in periods]  # one per period, not per row
    else:
        label = (1970 + periods).astype(str)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(new > 0, inv / np.where(new > 0, new, 1), np.nan)
    return pd.DataFrame({name: pd.array(label, dtype="str"), "new_customers": new, "invited": inv,
                         "share": share})


def new_customer_share(
    customers: pd.DataFrame, orders: pd.DataFrame, days: int = 90
) -> dict[str, int | float]:
    """The invited share of the last ``days`` days' new buyers.

    The window is the ``days`` calendar days ending with the day of the last order given (that
    day included). Keys: ``new_customers`` = buyers whose first paid order falls in the window;
    ``invited`` = those of them with an inviter; ``share`` = invited ÷ new_customers (0–1; NaN
    without new customers).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "inviter_id": [None, "a", None]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c"], "status": ["paid"] * 3,
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-03-30", "2025-03-31"])})
    >>> new_customer_share(customers, orders, days=30)
    {'new_customers': 2, 'invited': 1, 'share': 0.5}
    """
    days = check_days("days", days)
    paid = _fission_buyers(orders, "new_customer_share")
    if paid is None:
        return {"new_customers": 0, "invited": 0, "share": float("nan")}
    first, _ = paid.first_last_day()
    last_day = int(timestamps(orders[ORDERED_AT]).max().normalize().to_datetime64().astype("datetime64[D]")
                   .astype(np.int64))
    new = first > last_day - days
    invited = _fission_inviter_of(customers, paid.ids, "new_customer_share").notna().to_numpy(bool)
    n, k = int(new.sum()), int((new & invited).sum())
    return {"new_customers": n, "invited": k, "share": k / n if n else float("nan")}


def k_factor(customers: pd.DataFrame, orders: pd.DataFrame) -> dict[str, float | int]:
    """How much buying the invitations bring, over every paid order given.

    Keys: ``customers`` = buyers (customers with a paid order); ``invitees`` = buyers with an
    inviter; ``inviters`` = distinct inviter ids of those invitees (customers who invited at
    least one customer who bought; the inviter need not have bought); ``k_factor`` = invitees ÷
    customers, successful invitations per buying customer; ``invited_share`` = invitees ÷
    customers, the same ratio read as the share of buyers who came by invitation (0–1);
    ``invitees_per_inviter`` = invitees ÷ inviters. Ratios are NaN with an empty denominator.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...                           "inviter_id": [None, "a", "a", "x"]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "status": ["paid"] * 3 + ["refunded"],
    ...                        "ordered_at": pd.to_datetime(["2025-01-05"] * 4)})
    >>> k = k_factor(customers, orders)
    >>> k["inviters"], k["invitees"], k["customers"], round(k["k_factor"], 3), k["invitees_per_inviter"]
    (1, 2, 3, 0.667, 2.0)
    """
    paid = _fission_buyers(orders, "k_factor")
    inviter = (_fission_inviter_of(customers, paid.ids, "k_factor") if paid is not None
               else pd.Series([], dtype="str"))
    invitees = int(inviter.notna().sum())
    inviters = int(inviter.nunique())
    buyers = len(inviter)
    share = invitees / buyers if buyers else float("nan")
    return {"inviters": inviters, "invitees": invitees, "customers": buyers, "k_factor": share,
            "invited_share": share,
            "invitees_per_inviter": invitees / inviters if inviters else float("nan")}


def chain_depth(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers per depth of the invitation chain (all customers in the table, bought or not).

    ``depth`` 0 = not invited; 1 = invited by a depth-0 customer or by an ``inviter_id`` that
    is not in the table; d + 1 = invited by a depth-d customer. ``customers`` = count per depth.
    Depths are found level by level (round d settles every customer whose inviter has depth
    d − 1), for at most 100 rounds; customers still unsettled then (in an inviter cycle, such
    as a customer who invited themself, below one, or more than 100 levels deep) get depth −1,
    listed last. A customer id listed twice counts once (its first row).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "x", "y"],
    ...                           "inviter_id": [None, "a", "b", None, "y", "x"]})
    >>> print(chain_depth(customers).to_string(index=False))
     depth  customers
         0          2
         1          1
         2          1
        -1          2
    """
    ids, inviter = _fission_table(customers, "chain_depth")
    if len(ids) == 0:
        return pd.DataFrame({"depth": pd.Series(dtype=np.int64), "customers": pd.Series(dtype=np.int64)})
    invited = inviter.notna().to_numpy(bool)
    parent = ids.get_indexer(inviter.fillna(""))
    parent[~invited] = -1
    depth = np.where(invited, np.where(parent < 0, 1, -1), 0)
    for _ in range(MAX_ROUNDS):  # rounds over depth levels, not rows
        todo = (depth < 0) & (depth[np.maximum(parent, 0)] >= 0) & (parent >= 0)
        if not todo.any():
            break
        depth[todo] = depth[parent[todo]] + 1
    levels, counts = np.unique(depth, return_counts=True)
    order = np.lexsort((levels, levels < 0))  # -1 last
    return pd.DataFrame({"depth": levels[order], "customers": counts[order]}).astype(np.int64)


def invitee_value(customers: pd.DataFrame, orders: pd.DataFrame, days: int = 90) -> pd.DataFrame:
    """What invited and organic buyers spend in their first ``days`` days.

    Only buyers whose window is complete count: their first paid day is at least ``days`` days
    before the day of the last order in the data (any status), so the ``days`` days from the
    first paid day (that day included) all lie before the last day, which may be partly
    covered. Rows ``invited`` and ``organic`` (index ``group``):

    - ``customers``: such buyers (count);
    - ``mean_gmv``, ``median_gmv``: paid ``amount`` per buyer in their first ``days`` days
      (CNY; a missing amount counts 0);
    - ``repeat_rate``: share of them with paid orders on ≥ 2 different days in those days;
    - on the ``invited`` row only (NaN on ``organic``): ``diff_mean`` = mean GMV invited −
      organic (CNY), ``diff_ci_low`` / ``diff_ci_high`` its 95% confidence interval and
      ``p_value`` the two-sided p of Welch's t-test (unequal variances,
      ``scipy.stats.ttest_ind(equal_var=False)``); NaN unless both groups have ≥ 2 buyers.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "e"],
    ...                           "inviter_id": [None, None, "a", "a", "b"]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c", "d", "e", "e"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-02", "2025-01-03",
    ...         "2025-01-03", "2025-01-04", "2025-01-04", "2025-02-01"]),
    ...     "amount": [10.0, 20.0, 50.0, 5.0, 5.0, 40.0, 8.0, 99.0]})
    >>> print(invitee_value(customers, orders, days=7)[["customers", "mean_gmv", "repeat_rate"]])
             customers  mean_gmv  repeat_rate
    group
    invited          3     19.33          0.0
    organic          2     40.00          0.5
    """
    days = check_days("days", days)
    paid = _fission_buyers(orders, "invitee_value", amount=True)
    if paid is None:
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c == "customers" else float)
                             for c in VALUE_COLUMNS}, index=pd.Index([], dtype="str", name="group"))
    invited = _fission_inviter_of(customers, paid.ids, "invitee_value").notna().to_numpy(bool)
    first, gmv, active = paid.opening(days)
    complete = first <= paid.end_day - days
    rows = {}
    for group, member in (("invited", invited), ("organic", ~invited)):
        take = complete & member
        values = gmv[take]
        rows[group] = {"customers": int(take.sum()),
                       "mean_gmv": values.mean() if values.size else np.nan,
                       "median_gmv": np.median(values) if values.size else np.nan,
                       "repeat_rate": (active[take] >= 2).mean() if values.size else np.nan}
    a, b = gmv[complete & invited], gmv[complete & ~invited]
    w = welch(a, b)
    test = {"diff_mean": w["diff"], "diff_ci_low": w["low"], "diff_ci_high": w["high"],
            "p_value": w["p_value"]}
    out = pd.DataFrame.from_dict(rows, orient="index").assign(**{c: [v, np.nan] for c, v in test.items()})
    money = ["mean_gmv", "median_gmv", "diff_mean", "diff_ci_low", "diff_ci_high"]
    out[money] = out[money].round(2)
    return out.astype({"customers": np.int64}).rename_axis("group")[VALUE_COLUMNS]


def top_inviters(customers: pd.DataFrame, orders: pd.DataFrame, n: int = 20, days: int = 90) -> pd.DataFrame:
    """The inviters who brought the most buyers, over every paid order given.

    Per inviter id: ``invitees`` = buyers it invited (count); ``invitee_gmv`` = those buyers'
    paid ``amount`` in their first ``days`` days each (CNY; recent invitees' windows may still
    be running). Most invitees first, then highest GMV, then inviter id; the top ``n`` rows.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "e"],
    ...                           "inviter_id": [None, "a", "a", "b", "z"]})
    >>> orders = pd.DataFrame({"customer_id": ["b", "c", "c", "d", "e"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-06-01", "2025-01-04",
    ...                                   "2025-01-05"]),
    ...     "amount": [10.0, 20.0, 500.0, 30.0, 30.0]})
    >>> print(top_inviters(customers, orders, n=2).to_string(index=False))
    inviter_id  invitees  invitee_gmv
             a         2         30.0
             b         1         30.0
    """
    days = check_days("days", days)
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise ValueError(f"top_inviters: n must be a whole number ≥ 0, got {n!r}")
    paid = _fission_buyers(orders, "top_inviters", amount=True)
    if paid is None:
        return pd.DataFrame({INVITER_ID: pd.Series(dtype="str"), "invitees": pd.Series(dtype=np.int64),
                             "invitee_gmv": pd.Series(dtype=float)})
    inviter = _fission_inviter_of(customers, paid.ids, "top_inviters")
    _, gmv, _ = paid.opening(days)
    code, names = pd.factorize(inviter)  # -1 = not invited
    has = code >= 0
    out = pd.DataFrame({
        INVITER_ID: pd.array(np.asarray(names, dtype=object), dtype="str"),
        "invitees": np.bincount(code[has], minlength=len(names)).astype(np.int64),
        "invitee_gmv": np.round(np.bincount(code[has], weights=gmv[has], minlength=len(names)), 2),
    })
    out = out.sort_values(["invitees", "invitee_gmv", INVITER_ID], ascending=[False, False, True])
    return out.head(int(n)).reset_index(drop=True)
