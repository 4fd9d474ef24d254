"""`wxshop run` writes the private-domain report (05_private_domain) for the demo store in both
languages, its figures recover what the generator planted, the index reads 好友添加率 and 会话打开率
from it; and a store with none of the private-domain tables gets the one-page report saying what
data unlocks it and where to export it (the shared demo batch, ``demo_project`` in conftest.py)."""

from __future__ import annotations

import json
import math
import re

import nbformat
import pytest

from conftest import DEMO_REPORTS, DEMO_STORE, ROOT, run_on_pool
from wxshop.data.schema import PRIVATE_TABLES
from wxshop.report.i18n import Translator
from wxshop.report.views.private_domain import KPIS

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")
NB = "private_domain"
NOTEBOOK = ROOT / "notebooks" / "05_private_domain.ipynb"


def _json(project, reports="reports", store=DEMO_STORE):
    return json.loads((project / reports / store / f"{NB}.json").read_text(encoding="utf-8"))


def _truth(project):
    truth = json.loads((project / "data" / "demo" / DEMO_STORE / "truth.json").read_text(encoding="utf-8"))
    return truth["private_domain"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_with_every_section_in_both_languages(demo_project, lang):
    reports = DEMO_REPORTS[lang]
    assert (demo_project / reports / DEMO_STORE / f"{NB}.html").stat().st_size > 20_000
    data = _json(demo_project, reports)
    head = data["headline"]
    assert data["lang"] == lang and data["skipped"] == []
    assert head["private_tables"] == list(PRIVATE_TABLES)
    for name, _kind in KPIS:  # the demo has every table and a holdout: every key figure is a number
        assert head[name] is not None and math.isfinite(head[name]), name
    assert {"staff_weekly", "staff_leaderboard", "contact_funnel", "leaving_by_group_type", "member_survival",
            "replenishment", "new_member_conversion", "scorecard", "cadence", "holdout",
            "content"} <= set(data["tables"])
    assert 1 <= len(data["findings"]) <= 5
    if lang == "en":
        assert not any(CJK.search(f) for f in data["findings"])


def test_report_figures_recover_the_planted_truths(demo_project):
    """On the report's own windows (90 days; the holdout over its whole year)."""
    head, tables = (_json(demo_project)[k] for k in ("headline", "tables"))
    truth = _truth(demo_project)
    # 好友添加率 over the new buyers of 90 days (about 3,000: a standard error near 0.9 points)
    assert head["friend_add_rate"] == pytest.approx(truth["friend_add_rate"], abs=0.03)
    # the holdout's interval holds the planted intention-to-treat effect
    low, high = head["touch_effect_interval"]
    assert low <= truth["touch_effect"] <= high
    # each group type's leaving rate, within three standard errors of a Poisson count (and 0.3 points)
    planted = truth["groups"]["by_type"]
    rows = {r["group_type"]: r for r in tables["leaving_by_group_type"]}
    for group_type, spec in planted.items():
        row, mu = rows[group_type], spec["leave_rate_planted"]
        if row["member_days"] < 1_000:  # a type whose groups emptied before the window
            continue
        tolerance = max(0.003, 3 * math.sqrt(mu / row["member_days"]))
        assert row["daily_rate"] == pytest.approx(mu, abs=tolerance), group_type
    # the 1v1 open rate cannot be read from the mixed headline; the staff table holds 1v1 and 群发
    assert 0 < head["session_open_rate"] < 1


def test_the_index_shows_friend_add_and_chat_open_rates(demo_project):
    page = (demo_project / "reports" / "index.html").read_text(encoding="utf-8")
    head = _json(demo_project)["headline"]
    tr = Translator("zh")
    assert tr("kpi.friend_add_rate") in page and tr("kpi.session_open_rate") in page
    assert f"{100 * head['friend_add_rate']:.1f}%" in page
    assert f"{100 * head['session_open_rate']:.1f}%" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_store_without_private_tables_gets_one_page(lang, tmp_path, warm_pool):
    data = tmp_path / "orders_only"
    data.mkdir()
    for table in ("orders", "customers"):
        (data / f"{table}.csv").write_bytes((ROOT / "data" / "sample" / f"{table}.csv").read_bytes())
    out = tmp_path / "out.ipynb"
    run_on_pool(warm_pool, NOTEBOOK, out, ROOT, store="bare", data_dir=str(data), lang=lang,
                report_dir=str(tmp_path / "r"))
    report = json.loads((tmp_path / "r" / f"{NB}.json").read_text(encoding="utf-8"))
    tr = Translator(lang)
    assert report["headline"]["private_tables"] == []
    assert [s["table"] for s in report["skipped"]] == list(PRIVATE_TABLES)
    assert report["findings"] == [tr("finding.private_none")]
    html = "\n".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(out, as_version=4).cells
                     if c.cell_type == "code" for o in c.get("outputs", []))
    assert tr("private.unlock_title") in html
    for table in PRIVATE_TABLES:  # each table: what it unlocks and where to export it
        assert tr(f"private.unlock.{table}") in html, table
        assert tr(f"private.where.{table}").replace("&", "&amp;") in html, table
    for section in ("private.headline", "private.staff", "private.community", "private.cadence",
                    "private.content"):
        assert tr(section) not in html, section  # nothing else but the page and the data quality
    assert "report.skipped" not in html and tr("report.findings") in html


# A store with some of the tables: each present table's sections and figures, the others skipped.
PARTIAL = {
    "contacts": (["contacts"], ["friend_add_rate"]),
    "group_daily": (["group_daily"], ["daily_leaving_rate"]),
    "members": (["groups", "group_members"], ["daily_leaving_rate", "replenishment_rate"]),
    "touches_posts": (["touches", "posts"], ["session_open_rate", "moments_interaction"]),
}


@pytest.mark.parametrize("name", list(PARTIAL))
def test_a_store_with_some_private_tables(name, tmp_path, warm_pool):
    tables, figures = PARTIAL[name]
    data = tmp_path / name
    data.mkdir()
    for table in ("orders", "customers", *tables):
        (data / f"{table}.csv").write_bytes((ROOT / "data" / "sample" / f"{table}.csv").read_bytes())
    out = tmp_path / "out.ipynb"
    run_on_pool(warm_pool, NOTEBOOK, out, ROOT, store=name, data_dir=str(data), lang="en",
                report_dir=str(tmp_path / "r"))
    report = json.loads((tmp_path / "r" / f"{NB}.json").read_text(encoding="utf-8"))
    head = report["headline"]
    assert head["private_tables"] == [t for t in PRIVATE_TABLES if t in tables]
    for figure in figures:
        assert head[figure] is not None and 0 < head[figure] < 1, figure
    assert head["touch_effect"] is None  # no holdout in the sample
    missing = {s["table"] for s in report["skipped"]}
    assert missing and not missing & set(tables)
    assert 1 <= len(report["findings"]) <= 5 and not any(CJK.search(f) for f in report["findings"])
