"""The index compares: each store's headline figures beside the median store and the
thresholds, on a hand-made reports folder written the way the runner and the notebooks do."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_wxshop
from wxshop.batch.runner import JobResult
from wxshop.errors import ParamsError
from wxshop.report import index as ix
from wxshop.report.i18n import t

SCRIPT_STORE = "<script>alert(1)"  # a folder name is data: it must come out escaped

# store → notebook (or notebook-item) → headline; None means the report failed
STORES: dict[str, dict[str, dict | None]] = {
    "a": {
        "store_overview": {"customers": 100, "orders": 150, "gmv": 30000.0, "aov": 200.0,
                           "spend_per_buyer": 300.0,
                           "frequency": 1.5, "repurchase_rate": 0.30, "refund_rate": 0.02},
        "user_profiling": {"return_rate": 0.40, "customers": 999},
        "ab_test-exp1": {"decision": "ship"},
        "ab_test-exp2": {"decision": "keep_running"},
    },
    "b": {
        "store_overview": {"customers": 50, "orders": 60, "gmv": 7200.0, "aov": 120.0,
                           "spend_per_buyer": 144.0,
                           "repurchase_rate": 0.20, "refund_rate": 0.05},
        "product_selection": {"gross_margin": 0.45},
        "ab_test-exp1": {"decision": "dont_ship"},
        "private_domain": {"friend_add_rate": 0.38, "session_open_rate": 0.42},
    },
    "c": {
        "store_overview": {"customers": 300, "orders": 400, "gmv": 60000.0, "aov": 150.0,
                           "spend_per_buyer": 200.0,
                           "repurchase_rate": 0.25, "refund_rate": None},
        "product_selection": {"gross_margin": None},  # no costs: JSON null
        "ab_test-exp1": None,  # failed: its headline is not read
    },
    SCRIPT_STORE: {
        "store_overview": {"customers": 10, "orders": 10, "gmv": 900.0, "aov": None},
    },
    "broken": {"store_overview": None},
}


def write_reports(reports: Path, stores: dict = STORES) -> Path:
    """Status files as runner.JobResult writes them, JSON as Report.save writes them."""
    for store, jobs in stores.items():
        folder = reports / store
        folder.mkdir(parents=True)
        for name, headline in jobs.items():
            notebook, _, item = name.partition("-")
            if headline is None:
                result = JobResult(store, notebook, "failed", 1.0, error="ValueError: boom", cell=4,
                                   item=item)
            else:
                result = JobResult(store, notebook, "ok", 1.0, html=f"{name}.html", item=item)
                (folder / f"{name}.html").write_text("<html></html>", encoding="utf-8")
                (folder / f"{name}.json").write_text(
                    json.dumps({"schema": 1, "store": store, "notebook": name, "headline": headline},
                               ensure_ascii=False), encoding="utf-8")
            (folder / f"{name}.status.json").write_text(
                json.dumps(result.to_dict(), ensure_ascii=False), encoding="utf-8")
    return reports


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    return write_reports(tmp_path / "reports")


def _values(reports: Path) -> dict[str, dict[str, float | None]]:
    stores, _, _ = ix.collect(reports)
    return {s["name"]: ix.store_figures(s["headlines"]) for s in stores}


def _row(table: pd.DataFrame, store: str, figure: str) -> dict:
    rows = table[(table["store"] == store) & (table["figure"] == figure)].to_dict(orient="records")
    assert len(rows) == 1
    return rows[0]


# ---- the logic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, want",
    [
        ([3.0, 1.0, 2.0], 2.0),  # odd
        ([4.0, 1.0, 3.0, 2.0], 2.5),  # even: mean of the middle two
        ([None, 5.0, float("nan"), 1.0], 3.0),  # missing figures ignored
        ([None, float("nan")], None),
        ([], None),
    ],
)
def test_median(values, want):
    assert ix.median(values) == want


def test_difference_relative_absolute_and_missing():
    assert ix.difference(220.0, 200.0, "cny") == pytest.approx(0.10)
    assert ix.difference(90, 100, "int") == pytest.approx(-0.10)
    assert ix.difference(0.331, 0.30, "share") == pytest.approx(0.031)
    assert ix.difference(2, 1.5, "count") == 0.5
    assert ix.difference(None, 1.0, "cny") is None
    assert ix.difference(1.0, None, "cny") is None
    assert ix.difference(5.0, 0.0, "int") is None  # no relative difference to a zero median


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_format_difference(lang):
    tr = ix.Translator(lang)
    pp = "个百分点" if lang == "zh" else "pp"
    assert ix.format_difference(0.12, "cny", tr) == "+12%"
    assert ix.format_difference(-0.2, "int", tr) == "-20%"
    assert ix.format_difference(0.004, "int", tr) == "±0%"
    assert ix.format_difference(0.031, "share", tr) == f"+3.1 {pp}"
    assert ix.format_difference(-0.05, "share", tr) == f"-5.0 {pp}"
    assert ix.format_difference(0.0, "share", tr) == f"±0.0 {pp}"
    assert ix.format_difference(1.0, "count", tr) == "+1"
    assert ix.format_difference(-0.5, "count", tr) == "-0.5"
    assert ix.format_difference(None, "cny", tr) == "—"


def test_marks_follow_the_direction_and_count_equality_as_met():
    at_least = ix.Threshold(150.0, "higher", "playbook")
    at_most = ix.Threshold(0.05, "lower", "house")
    assert [ix.mark(v, at_least) for v in (149.99, 150.0, 151.0)] == ["bad", "good", "good"]
    assert [ix.mark(v, at_most) for v in (0.04, 0.05, 0.06)] == ["good", "good", "bad"]
    assert ix.mark(None, at_least) is None
    assert ix.mark(200.0, None) is None


def test_figures_read_from_each_report_json(reports):
    values = _values(reports)
    assert set(values) == {"a", "b", "c", SCRIPT_STORE, "broken"}
    a = values["a"]
    assert (a["customers"], a["aov"], a["repurchase_rate"], a["refund_rate"]) == (100, 200.0, 0.30, 0.02)
    assert a["return_rate"] == 0.40  # user profiling
    assert a["gross_margin"] is None  # no product selection report
    assert (a["experiments"], a["experiments_shipped"]) == (2, 1)
    assert (values["b"]["experiments"], values["b"]["experiments_shipped"]) == (1, 0)
    assert values["b"]["gross_margin"] == 0.45
    c = values["c"]
    assert c["refund_rate"] is None and c["gross_margin"] is None  # JSON null
    assert c["experiments"] is None  # its only A/B report failed
    assert values[SCRIPT_STORE]["aov"] is None
    assert all(v is None for v in values["broken"].values())
    # the private-domain report: only b has one; the others show no number
    assert (values["b"]["friend_add_rate"], values["b"]["session_open_rate"]) == (0.38, 0.42)
    assert all(v["session_open_rate"] is None and v["friend_add_rate"] is None
               for store, v in values.items() if store != "b")


def test_compare_medians_differences_and_marks(reports):
    table = ix.compare(_values(reports))
    assert list(table.columns) == ["store", "figure", "value", "median", "stores_with_figure",
                                   "difference", "mark"]
    assert len(table) == 5 * len(ix.FIGURES)
    # aov: a 200, b 120, c 150 (the script store's is null, broken has none) → odd, 150
    aov = {s: _row(table, s, "aov") for s in ("a", "b", "c", SCRIPT_STORE, "broken")}
    assert {r["median"] for r in aov.values()} == {150.0}
    assert aov["a"]["stores_with_figure"] == 3
    assert aov["a"]["difference"] == pytest.approx(200 / 150 - 1)
    assert aov["b"]["difference"] == pytest.approx(-0.2)
    assert aov["c"]["difference"] == 0
    # the playbook's 150 CNY line is on 客单价 (per buyer), not on 笔单价 (per order)
    assert all(pd.isna(aov[s]["mark"]) for s in aov)
    per_buyer = {s: _row(table, s, "spend_per_buyer") for s in ("a", "b", "c", SCRIPT_STORE)}
    assert [per_buyer[s]["mark"] for s in ("a", "b", "c")] == ["good", "bad", "good"]  # ≥ 150 CNY
    assert pd.isna(per_buyer[SCRIPT_STORE]["mark"])  # missing is NaN in a frame
    assert pd.isna(aov["broken"]["difference"]) and pd.isna(aov["broken"]["value"])
    # customers: 100, 50, 300, 10 → even, (50 + 100) / 2
    cust = _row(table, "a", "customers")
    assert (cust["median"], cust["stores_with_figure"]) == (75.0, 4)
    assert cust["difference"] == pytest.approx(100 / 75 - 1)
    assert pd.isna(cust["mark"])  # no threshold
    # repurchase: .30 .20 .25 → .25; differences in share points
    rep = {s: _row(table, s, "repurchase_rate") for s in ("a", "b", "c")}
    assert rep["a"]["median"] == 0.25
    assert rep["a"]["difference"] == pytest.approx(0.05)
    assert rep["b"]["difference"] == pytest.approx(-0.05)
    assert all(pd.isna(r["mark"]) for r in rep.values())  # no built-in threshold
    # refund: .02 .05 (c null) → .035
    assert _row(table, "b", "refund_rate")["median"] == pytest.approx(0.035)
    # counts: experiments 2 and 1 → 1.5
    exp = _row(table, "a", "experiments")
    assert (exp["median"], exp["difference"]) == (1.5, 0.5)
    # a figure one store has: its median is that store's; a has no value and no mark
    open_rate = _row(table, "a", "session_open_rate")
    assert open_rate["median"] == 0.42 and open_rate["stores_with_figure"] == 1
    assert pd.isna(open_rate["mark"])
    # the playbook's lines: 会话打开率 ≥ 50% (b misses it), 好友添加率 ≥ 25% (b meets it)
    assert _row(table, "b", "session_open_rate")["mark"] == "bad"
    assert _row(table, "b", "friend_add_rate")["mark"] == "good"
    # a figure nobody has: no median, no mark
    margin = _row(table, "a", "activity_conversion")
    assert pd.isna(margin["median"]) and margin["stores_with_figure"] == 0
    assert pd.isna(margin["mark"])


def test_compare_on_exact_frame():
    fig = (ix.Figure("aov", "store_overview", ix._field("aov"), "kpi.aov", "cny", "higher", "def.aov"),)
    got = ix.compare({"x": {"aov": 100.0}, "y": {"aov": 300.0}},
                     {"aov": ix.Threshold(150.0, "higher", "playbook")}, figures=fig)
    want = pd.DataFrame({
        "store": ["x", "y"], "figure": ["aov", "aov"], "value": [100.0, 300.0], "median": [200.0, 200.0],
        "stores_with_figure": [2, 2], "difference": [-0.5, 0.5], "mark": ["bad", "good"],
    })
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


# ---- thresholds: one table, overridable ------------------------------------------------------


def test_builtin_thresholds_are_the_playbooks():
    assert ix.THRESHOLDS == {
        "spend_per_buyer": ix.Threshold(150.0, "higher", "playbook"),
        "friend_add_rate": ix.Threshold(0.25, "higher", "playbook"),  # 好友添加率 above 25% is good
        "session_open_rate": ix.Threshold(0.50, "higher", "playbook"),
        "activity_conversion": ix.Threshold(0.14, "higher", "playbook"),  # 9% → 14% after optimising
        "d1_retention": ix.Threshold(0.15, "higher", "playbook"),  # 8% → 15% after onboarding work
        "invited_share": ix.Threshold(0.60, "higher", "playbook"),  # a good fission programme
    }
    for key, th in ix.THRESHOLDS.items():
        assert ix.FIGURES_BY_KEY[key].better == th.better


def _project_with(tmp_path: Path, yaml_text: str) -> Path:
    (tmp_path / "params").mkdir(parents=True, exist_ok=True)
    (tmp_path / "params" / "defaults.yaml").write_text("lang: zh\n" + yaml_text, encoding="utf-8")
    return tmp_path


def test_thresholds_overridable_from_defaults_yaml(tmp_path):
    root = _project_with(tmp_path, "index_thresholds:\n  repurchase_rate: 0.25\n  refund_rate: 0.04\n"
                                   "  aov: 180\n  session_open_rate: null\n")
    th = ix.load_thresholds(root)
    assert th == {
        **{k: v for k, v in ix.THRESHOLDS.items() if k not in ("session_open_rate",)},
        "spend_per_buyer": ix.Threshold(150.0, "higher", "playbook"),
        "aov": ix.Threshold(180.0, "higher", "house"),
        "repurchase_rate": ix.Threshold(0.25, "higher", "house"),
        "refund_rate": ix.Threshold(0.04, "lower", "house"),
    }
    table = ix.compare(_values(write_reports(tmp_path / "reports")), th)
    assert [_row(table, s, "aov")["mark"] for s in ("a", "b", "c")] == ["good", "bad", "bad"]
    assert [_row(table, s, "repurchase_rate")["mark"] for s in ("a", "b", "c")] == ["good", "bad", "good"]
    assert [_row(table, s, "refund_rate")["mark"] for s in ("a", "b")] == ["good", "bad"]
    assert pd.isna(_row(table, "c", "refund_rate")["mark"])  # c has no refund rate


def test_command_line_overrides_win_and_the_playbook_value_stays_playbook(tmp_path):
    root = _project_with(tmp_path, "index_thresholds: {spend_per_buyer: 120}\n")
    assert ix.load_thresholds(root)["spend_per_buyer"].source == "house"
    assert ix.load_thresholds(root, {"spend_per_buyer": 150})["spend_per_buyer"] == ix.Threshold(
        150.0, "higher", "playbook")
    assert ix.load_thresholds(_project_with(tmp_path / "p2", "")) == ix.THRESHOLDS


def test_the_repo_defaults_keep_the_builtin_table():
    assert ix.load_thresholds(Path(__file__).resolve().parents[2]) == ix.THRESHOLDS


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"frequency": 2}, "takes no threshold"),
        ({"experiments": 1}, "takes no threshold"),
        ({"refund_rate": 5}, "0.05 for 5%"),
        ({"aov": "high"}, "needs a number"),
        ([150], "expected a mapping"),
    ],
)
def test_bad_threshold_settings_are_refused(bad, message):
    with pytest.raises(ParamsError, match=re.escape(message)):
        ix.merge_thresholds(bad)


# ---- the page --------------------------------------------------------------------------------


def _cmp_table(html: str) -> str:
    return html.split('<table class="cmp">', 1)[1].split("</table>", 1)[0]


def _row_html(table_html: str, row_class: str) -> str:
    return table_html.split(f'<tr class="{row_class}">', 1)[1].split("</tr>", 1)[0]


def _store_row(table_html: str, store: str) -> str:
    """A store's row after its name (and its ✗/⚠ flag, if any)."""
    return re.split(rf'<th class="store">{re.escape(store)}(?: <span class="flag [^<]*</span>)?</th>',
                    table_html, maxsplit=1)[1].split("</tr>", 1)[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_shows_median_row_thresholds_and_legend(reports, lang):
    html = ix.build_index(reports, lang=lang).read_text(encoding="utf-8")
    table = _cmp_table(html)
    for key in ("index.median_row", "index.threshold_row", "index.legend", "index.legend_good",
                "index.legend_bad", "index.legend_missing", "index.source.playbook", "index.compare"):
        assert t(key, lang) in html, key
    median = _row_html(table, "ref median")
    assert "¥150.00" in median and "75" in median and "25.0%" in median and "1.5" in median
    assert t("index.median_n", lang, n=3) in median
    threshold = _row_html(table, "ref threshold")
    assert "≥ ¥150.00" in threshold and "≥ 50.0%" in threshold
    # store a: value, difference and mark in one cell
    row_a = _store_row(table, "a")
    assert re.search(r"¥300\.00 <span class=\"mark good\"[^>]*>✓</span><br><small>\+50%</small>", row_a)
    assert f"+5.0 {'个百分点' if lang == 'zh' else 'pp'}" in row_a
    row_b = _store_row(table, "b")
    assert re.search(r"¥144\.00 <span class=\"mark bad\"[^>]*>✗</span><br><small>-28%</small>", row_b)
    # the chat open rate has a threshold; stores without a private-domain report show a dash
    open_col = [f.key for f in ix.FIGURES].index("session_open_rate")
    row_b_cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', row_b, flags=re.S)
    assert row_b_cells[open_col].startswith("42.0%") and "✗" in row_b_cells[open_col]
    for store in ("a", "c"):
        row = _store_row(table, store)
        cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', row, flags=re.S)
        assert len(cells) == len(ix.FIGURES)
        assert cells[open_col] == "—"
    assert t("notebook.private_domain", lang) in html  # the legend names the report behind each figure
    assert ("店铺对比" in html) == (lang == "zh")


def test_page_marks_house_thresholds_from_defaults(tmp_path):
    root = _project_with(tmp_path, "index_thresholds: {refund_rate: 0.04}\n")
    html = ix.build_index(write_reports(tmp_path / "reports"), lang="en",
                          thresholds=ix.load_thresholds(root)).read_text(encoding="utf-8")
    assert "≤ 4.0%" in _row_html(_cmp_table(html), "ref threshold")
    assert t("index.source.house", "en") in html


def test_page_keeps_links_and_failures(reports):
    html = ix.build_index(reports, lang="en").read_text(encoding="utf-8")
    for href in ("a/store_overview.html", "a/ab_test-exp1.html", "a/ab_test-exp2.html",
                 "b/product_selection.html"):
        assert f'href="{href}"' in html
    assert 'href="broken/' not in html and 'href="c/ab_test-exp1.html"' not in html
    failures = html.split('id="failures"', 1)[1]
    assert "broken" in failures and "ValueError: boom" in failures and "exp1" in failures
    assert "2 failed" in html


def test_store_names_are_escaped(reports):
    html = ix.build_index(reports, lang="zh").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_page_loads_nothing_from_the_network_and_fits_a_phone(reports):
    html = ix.build_index(reports, lang="zh").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, flags=re.I)
    # nothing imported; the one url() is the page's own Chinese glyphs, a data: URI
    assert not re.search(r"@import|url\((?!data:font/woff2;base64,)", html)
    assert html.count("url(data:font/woff2;base64,") == 1
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.search(r"\.scroll\s*\{[^}]*overflow-x:\s*auto", html)
    # every table sits in a box that scrolls sideways
    assert html.count("<table") == html.count('<div class="scroll"><table')


def test_index_command_reads_thresholds_from_defaults(tmp_path):
    root = _project_with(tmp_path, "index_thresholds: {repurchase_rate: 0.26}\n")
    write_reports(root / "reports")
    proc = run_wxshop("index", "--lang", "en", cwd=root, env={"WXSHOP_HOME": str(root)})
    assert proc.returncode == 0, proc.stderr
    html = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "≥ 26.0%" in _row_html(_cmp_table(html), "ref threshold")


def test_index_command_refuses_a_bad_threshold(tmp_path):
    root = _project_with(tmp_path, "index_thresholds: {refund_rate: 5}\n")
    write_reports(root / "reports")
    proc = run_wxshop("index", cwd=root, env={"WXSHOP_HOME": str(root)})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "refund_rate" in proc.stderr


def test_an_empty_or_damaged_status_file_is_a_failure_not_a_success(tmp_path):
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "store_overview.html").write_text("<html></html>")
    (folder / "store_overview.status.json").write_text("")  # a full disk wrote 0 bytes
    (folder / "user_profiling.status.json").write_text('{"store": "shop", "notebook": "use')
    page = ix.build_index(tmp_path, lang="zh").read_text(encoding="utf-8")
    assert "全部报告生成成功" not in page and page.count("状态文件损坏") >= 2
    assert 'href="shop/store_overview.html"' not in page
    assert not list(tmp_path.glob(".index.html.*"))
