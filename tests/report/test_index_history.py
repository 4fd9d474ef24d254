"""The index as a weekly dashboard: each store's change since the previous batch run (from the
small history kept in ``reports/index_history.json``) and the stores with failures or warnings
first, on hand-made reports folders written the way the runner and the notebooks write them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from wxshop.batch.runner import JobResult
from wxshop.report import history as hi
from wxshop.report import index as ix
from wxshop.report.i18n import t

T0 = dt.datetime(2025, 3, 3, 9, 0, 0)
OVERVIEW = {"customers": 100, "orders": 150, "gmv": 30000.0, "aov": 200.0, "spend_per_buyer": 300.0,
            "repurchase_rate": 0.30, "refund_rate": 0.05}


def write_run(reports: Path, stores: dict[str, dict[str, dict | None]], when: dt.datetime,
              warnings: dict[str, list[str]] | None = None) -> Path:
    """One batch's reports: store → notebook[-item] → headline (None: the report failed), written
    at ``when`` (the JSON's generated_at); ``warnings``: store → texts of its red banners."""
    for store, jobs in stores.items():
        folder = reports / store
        folder.mkdir(parents=True, exist_ok=True)
        for name, headline in jobs.items():
            notebook, _, item = name.partition("-")
            for stale in (folder / f"{name}.html", folder / f"{name}.json"):
                stale.unlink(missing_ok=True)  # as the runner's mark() does before a job
            if headline is None:
                result = JobResult(store, notebook, "failed", 1.0, error="ValueError: boom", item=item)
            else:
                result = JobResult(store, notebook, "ok", 1.0, html=f"{name}.html", item=item)
                (folder / f"{name}.html").write_text("<html></html>", encoding="utf-8")
                record = {"schema": 1, "store": store, "notebook": name, "headline": headline,
                          "generated_at": when.isoformat(),
                          "warnings": [{"text": w} for w in (warnings or {}).get(store, [])]}
                (folder / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            (folder / f"{name}.status.json").write_text(json.dumps(result.to_dict()), encoding="utf-8")
    return reports


def runs(reports: Path) -> list[dict]:
    return json.loads((reports / hi.HISTORY_FILE).read_text(encoding="utf-8"))["runs"]


def cell(html: str, store: str, figure: str) -> str:
    """The comparison table's cell of a store's figure."""
    table = html.split('<table class="cmp">', 1)[1].split("</table>", 1)[0]
    row = table.split(f'data-store="{store}"', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="num"[^>]*>.*?</td>', row, flags=re.S)
    assert len(cells) == len(ix.FIGURES)
    return cells[[f.key for f in ix.FIGURES].index(figure)]


def change(html: str, store: str, figure: str) -> tuple[str, str] | None:
    """(text, title) of the change shown under a figure, None when there is none."""
    m = re.search(r'<small class="chg" title="([^"]*)">(.*?)<span class="sr">', cell(html, store, figure))
    return (m[2], m[1]) if m else None


def page(reports: Path, lang: str = "en") -> str:
    return ix.build_index(reports, lang=lang).read_text(encoding="utf-8")


def store_order(html: str, table: str) -> list[str]:
    part = html.split('<table class="cmp">' if table == "cmp" else 'id="reports"', 1)[1].split("</table>")[0]
    return re.findall(r'<tr[^>]*data-store="([^"]*)"', part)


# ---- change since the previous run -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_second_run_shows_each_figures_change_in_its_unit(tmp_path, lang):
    reports = write_run(tmp_path / "reports", {
        "a": {"store_overview": OVERVIEW, "ab_test-e1": {"decision": "ship"}},
        "b": {"store_overview": {**OVERVIEW, "gmv": 5000.0}},
    }, T0)
    first = page(reports, lang)
    assert change(first, "a", "gmv") is None  # no earlier run: nothing shown
    assert [sorted(r["stores"]) for r in runs(reports)] == [["a", "b"]]
    write_run(reports, {
        "a": {"store_overview": {**OVERVIEW, "customers": 90, "gmv": 30200.5, "refund_rate": 0.031},
              "ab_test-e1": {"decision": "ship"}, "ab_test-e2": {"decision": "keep_running"}},
        "b": {"store_overview": {**OVERVIEW, "gmv": 5000.0}},
    }, T0 + dt.timedelta(days=7))
    html = page(reports, lang)
    history = runs(reports)
    assert len(history) == 2
    when = history[0]["run_at"][:16].replace("T", " ")
    pp = "个百分点" if lang == "zh" else "pp"
    assert change(html, "a", "gmv")[0] == "▲ +¥200.50"
    assert change(html, "a", "customers")[0] == "▼ -10"
    assert change(html, "a", "refund_rate")[0] == f"▼ -1.9 {pp}"
    assert change(html, "a", "experiments")[0] == "▲ +1"
    assert change(html, "a", "orders")[0] == "= 0"
    assert change(html, "b", "gmv")[0] == "= ¥0.00"
    title = change(html, "a", "gmv")[1]
    assert title == t("index.change_title", lang, when=when, value="¥30,000.00")
    assert ("vs previous run on" in title) == (lang == "en")
    # sorting reads the value, never the change
    assert 'data-v="30200.5"' in cell(html, "a", "gmv")
    assert change(html, "a", "friend_add_rate") is None  # no value now, none before


def test_writing_the_index_again_appends_no_run_and_keeps_the_comparison(tmp_path):
    reports = write_run(tmp_path / "reports", {"a": {"store_overview": OVERVIEW}}, T0)
    page(reports)
    write_run(reports, {"a": {"store_overview": {**OVERVIEW, "gmv": 31000.0}}}, T0 + dt.timedelta(days=7))
    shown = change(page(reports), "a", "gmv")
    before = (reports / hi.HISTORY_FILE).read_text(encoding="utf-8")
    again = page(reports)  # `wxshop index`: the page again, no new batch
    assert (reports / hi.HISTORY_FILE).read_text(encoding="utf-8") == before
    assert change(again, "a", "gmv") == shown == ("▲ +¥1,000.00", shown[1])
    assert len(runs(reports)) == 2


def test_a_batch_of_one_notebook_records_that_notebook_only(tmp_path):
    reports = write_run(tmp_path / "reports", {"a": {"store_overview": OVERVIEW,
                                                     "user_profiling": {"return_rate": 0.40}}}, T0)
    page(reports)
    write_run(reports, {"a": {"user_profiling": {"return_rate": 0.35}}}, T0 + dt.timedelta(days=1))
    html = page(reports)
    last = runs(reports)[-1]
    assert last["stores"] == {"a": {"return_rate": 0.35}}
    assert list(last["written"]["a"]) == ["user_profiling"]
    assert change(html, "a", "return_rate")[0] == "▼ -5.0 pp"
    assert change(html, "a", "gmv") is None  # the overview is the one already recorded: nothing before it


def test_a_failed_report_keeps_the_last_good_value_for_next_time(tmp_path):
    """A failed report records nothing: the next good run compares with the last run that had
    the figure (and says when that was), not with an empty or wrong value."""
    reports = write_run(tmp_path / "reports", {
        "a": {"store_overview": OVERVIEW, "ab_test-e1": {"decision": "ship"},
              "ab_test-e2": {"decision": "ship"}},
        "b": {"store_overview": OVERVIEW}}, T0)
    page(reports)
    week2 = T0 + dt.timedelta(days=7)
    write_run(reports, {"a": {"store_overview": None, "ab_test-e1": {"decision": "ship"},
                              "ab_test-e2": None},  # e1 written again, e2 failed
                        "b": {"store_overview": {**OVERVIEW, "gmv": 1.0}}}, week2)
    html = page(reports)
    second = runs(reports)[-1]
    assert "a" not in second["stores"] and "a" not in second["written"]  # nothing of a recorded
    assert cell(html, "a", "gmv").endswith(">—</td>") and change(html, "a", "gmv") is None
    assert change(html, "a", "experiments") is None  # 1 of 2 tests written: no change from bad data
    write_run(reports, {"a": {"store_overview": {**OVERVIEW, "gmv": 33000.0},
                              "ab_test-e2": {"decision": "ship"}},
                        "b": {"store_overview": {**OVERVIEW, "gmv": 2.0}}}, T0 + dt.timedelta(days=14))
    html = page(reports)
    history = runs(reports)
    assert len(history) == 3
    first_run = history[0]["run_at"][:16].replace("T", " ")
    assert change(html, "a", "gmv") == ("▲ +¥3,000.00", t("index.change_title", "en", when=first_run,
                                                         value="¥30,000.00"))
    assert change(html, "a", "experiments")[0] == "= 0"  # 2 tests, as in the first run
    assert change(html, "b", "gmv")[0] == "▲ +¥1.00"  # b: the run just before


def test_the_history_keeps_the_last_runs_only():
    history = hi.History()
    for week in range(hi.KEEP_RUNS + 3):
        written = (T0 + dt.timedelta(days=7 * week)).isoformat()
        current = {"s": {"store_overview": (written, {"gmv": float(week)})}}
        assert hi.record(history, current, now=T0 + dt.timedelta(days=7 * week, hours=1))
    assert len(history.runs) == hi.KEEP_RUNS == 12
    assert [r["stores"]["s"]["gmv"] for r in history.runs] == [float(w) for w in range(3, 15)]
    prev = hi.previous(history, "s", "gmv", "store_overview", (T0 + dt.timedelta(days=98)).isoformat())
    assert prev == hi.Previous(13.0, (T0 + dt.timedelta(days=91, hours=1)).isoformat())


def test_reports_whose_run_fell_out_of_the_history_are_not_recorded_again():
    history, keep = hi.History(), 3
    old = {"s": {"store_overview": ("2025-01-01T00:00:00", {"gmv": 1.0})}}
    assert hi.record(history, old, keep=keep)
    for week in range(keep):  # another store's weekly runs push s's run out
        assert hi.record(history, {**old, "t": {"store_overview": (f"2025-02-0{week + 1}T00:00:00", {})}},
                         keep=keep)
    assert len(history.runs) == keep and all("s" not in r["stores"] for r in history.runs)
    assert not hi.record(history, old, keep=keep)  # the same reports: still known, nothing new
    assert hi.previous(history, "s", "gmv", "store_overview", "2025-01-01T00:00:00") is None


@pytest.mark.parametrize("text, reason", [
    ("{\"schema\": 1, \"runs\": [", "not-json"),
    ("\xff\xfe garbage", "not-json"),
    (json.dumps({"schema": 1, "runs": [{"run_at": "2025-03-03T09:00:00", "written": {},
                                        "stores": {"a": {"gmv": "13800138000"}}}]}), "not-history"),
    ("[1, 2, 3]", "not-history"),
])
def test_a_damaged_history_is_set_aside_and_the_page_says_so(tmp_path, text, reason):
    reports = write_run(tmp_path / "reports", {"a": {"store_overview": OVERVIEW}}, T0)
    damaged = reports / hi.HISTORY_FILE
    damaged.write_bytes(text.encode("latin-1") if reason == "not-json" and "\xff" in text else text.encode())
    original = damaged.read_bytes()
    html = page(reports)
    aside = list(reports.glob(f"index_history.{reason}.*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == original  # kept, not lost
    assert len(runs(reports)) == 1  # a new history, with this run
    note = html.split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert aside[0].name in note and t(f"index.history_problem.{reason}", "en") in note
    assert "a" in store_order(html, "cmp")
    assert 'role="alert"' not in page(reports)  # said once; the new history reads fine


# ---- stores with failures or warnings first --------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_failed_stores_come_first_then_warned_then_the_rest(tmp_path, lang):
    reports = write_run(tmp_path / "reports", {
        "a_fine": {"store_overview": OVERVIEW},
        "b_warned": {"store_overview": OVERVIEW},
        "c_fine": {"store_overview": OVERVIEW},
        "d_failed": {"store_overview": OVERVIEW, "growth": None},
        "e_warned": {"store_overview": OVERVIEW},
        "f_failed": {"store_overview": None},
    }, T0, warnings={"b_warned": ["5% rejected"], "e_warned": ["a date in 2062"]})
    html = page(reports, lang)
    want = ["d_failed", "f_failed", "b_warned", "e_warned", "a_fine", "c_fine"]
    assert store_order(html, "cmp") == want
    assert store_order(html, "reports") == want
    failed_flag = f"✗ {t('index.flag.failed', lang)}</span>"
    warned_flag = f"⚠ {t('index.flag.warned', lang)}</span>"
    for store in want:  # a symbol and a word beside the name, in both tables
        flags = re.findall(rf'<th[^>]*>{store}(?: <span class="flag [^"]+"[^>]*>([^<]*)</span>)?</th>', html)
        assert len(flags) == 2, store
        expected = failed_flag if "failed" in store else warned_flag if "warned" in store else ""
        assert all((f + "</span>" if f else "") == expected for f in flags), (store, flags)


# ---- nothing personal in the history ---------------------------------------------------------


DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")


def test_the_history_holds_store_ids_dates_and_numbers_only(tmp_path):
    headline = {**OVERVIEW, "top_customer": "13800138000", "note": "张三 VIP", "frequency": 1.5}
    reports = write_run(tmp_path / "reports", {"s1": {"store_overview": headline,
                                                      "private_domain": {"friend_add_rate": 0.3}}}, T0)
    page(reports)
    write_run(reports, {"s1": {"store_overview": {**headline, "gmv": 1.0}}}, T0 + dt.timedelta(days=1))
    page(reports)
    text = (reports / hi.HISTORY_FILE).read_text(encoding="utf-8")
    assert "13800138000" not in text and "张三" not in text
    data = json.loads(text)
    assert set(data) == {"schema", "runs"} and len(data["runs"]) == 2
    figures = {f.key for f in ix.FIGURES}
    notebooks = {f.notebook for f in ix.FIGURES}
    for run in data["runs"]:
        assert set(run) == {"run_at", "stores", "written"} and DATE.fullmatch(run["run_at"])
        assert set(run["stores"]) <= {"s1"} and set(run["written"]) <= {"s1"}
        for values in run["stores"].values():
            assert set(values) <= figures
            assert all(type(v) is float for v in values.values())
        for written in run["written"].values():
            assert set(written) <= notebooks and all(DATE.fullmatch(w) for w in written.values())
    assert data["runs"][0]["stores"]["s1"]["gmv"] == 30000.0
    assert "frequency" not in data["runs"][0]["stores"]["s1"]  # only the index's figures
