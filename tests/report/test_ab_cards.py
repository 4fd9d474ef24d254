"""The A/B report's first screen answers "ship or not?": 4–6 key-figure cards (decision, primary
lift with its interval, the p-value the decision used, users with the sample-ratio check, days of
assignment with the way to the target sample, guardrails), each figure the analysis' own, and the
share card they link to. Small hand-made tests first, then the shared demo batch (``demo_project``
in conftest.py): every A/B report in both languages, its cards checked against its JSON."""

from __future__ import annotations

import html
import json
import re

import nbformat
import numpy as np
import pytest
from PIL import Image

from conftest import DEMO_REPORTS, DEMO_STORE, EXTRA_STORES, ROOT, SAMPLE, demo_report_names, run_on_pool
from wxshop.ab.analysis import ABConfig, analyse_counts
from wxshop.ab.inputs import arms_from_summary
from wxshop.report import document as rp
from wxshop.report.i18n import Translator, t
from wxshop.report.views import ab as abview
from wxshop.report.views.ab_format import fmt_p, fmt_rel

EN = Translator("en")
CARD = re.compile(r'<div class="wx-card"><div class="k">(.*?)</div><div class="v">(.*?)</div>'
                  r'(?:<div class="t">(?:<span class="(good|bad)">[✓✗]</span> )?(.*?)</div>)?</div>')


def _arm(users: int, conversions: int, revenue: float | None = None, sd: float = 60.0) -> dict:
    """Dashboard counts of one arm; revenue per user with standard deviation ``sd`` when given."""
    out: dict = {"users": users, "conversions": conversions}
    if revenue is not None:
        out |= {"revenue_sum": revenue * users, "revenue_sumsq": (sd ** 2 + revenue ** 2) * users}
    return out


def _analyse(summary: dict, config: ABConfig, days: float | None = 14):
    return analyse_counts(arms_from_summary(summary), dict.fromkeys(summary, 1), config, days=days)


def _shown(c: abview.Cards) -> dict[str, tuple[str, str | None, bool | None]]:
    """name → (value as shown, note, mark) as Report.cards shows them."""
    spec = dict(c.spec)
    return {name: (rp.format_value(c.values[name], spec[name], "en"), *c.notes.get(name, (None, None)))
            for name in spec}


# ---------------------------------------------------------------- the cards of hand-made tests


def test_a_clear_win_with_a_safe_guardrail_reads_ship():
    a = _analyse({"control": _arm(5000, 500, 20.0), "treatment": _arm(5000, 600, 22.0)},
                 ABConfig(guardrails=("revenue_per_user",)))
    c = abview.cards(a, EN)
    assert [n for n, _ in c.spec] == [n for n, _ in abview.CARDS]  # all six, in order
    shown = _shown(c)
    primary = a.metrics[(a.metrics["role"] == "primary")].iloc[0]
    assert shown["ab_decision"] == ("Ship", "treatment vs control", None)
    interval = f"{fmt_rel(primary['rel_ci_low'])} to {fmt_rel(primary['rel_ci_high'])}"
    assert shown["ab_lift"] == ("+20.0%", f"Conversion, 95% CI {interval}", None)
    assert shown["ab_p_value"] == (fmt_p(a.decisions["treatment"].p_value), "significant: p < α = 0.05", True)
    assert shown["ab_users"] == ("10,000", "split as planned, p = 1.0000", True)
    # not at the target sample, but a significant result does not wait for it: no ✗
    days = int(a.power.iloc[0]["days_remaining"])
    assert shown["ab_days"] == ("14 days", f"about {days:,} more days to target sample", None)
    assert shown["ab_guardrails"] == ("Passed", "Revenue per user", True)


def test_a_harmed_or_unchecked_guardrail_is_marked():
    harmed = _analyse({"control": _arm(5000, 500, 20.0), "treatment": _arm(5000, 600, 14.0)},
                      ABConfig(guardrails=("revenue_per_user",)))
    assert harmed.decision.decision == "dont_ship"
    assert _shown(abview.cards(harmed, EN))["ab_guardrails"] == ("Harmed", "Revenue per user", False)
    assert _shown(abview.cards(harmed, EN))["ab_decision"][0] == "Don't ship"
    # counts without orders cannot give AOV, the default guardrail: not checked, never "Ship"
    unchecked = _analyse({"control": _arm(5000, 500), "treatment": _arm(5000, 600)}, ABConfig())
    shown = _shown(abview.cards(unchecked, EN))
    assert shown["ab_decision"][0] == "Inconclusive"
    assert shown["ab_guardrails"] == ("Unchecked", "AOV (per order)", False)


def test_without_guardrails_five_cards():
    a = _analyse({"control": _arm(5000, 500), "treatment": _arm(5000, 600)}, ABConfig(guardrails=()))
    c = abview.cards(a, EN)
    assert [n for n, _ in c.spec] == ["ab_decision", "ab_lift", "ab_p_value", "ab_users", "ab_days"]
    assert "ab_guardrails" not in c.values


def test_a_broken_split_shows_a_cross_on_the_users_card():
    a = _analyse({"control": _arm(5000, 500), "treatment": _arm(4000, 600)}, ABConfig(guardrails=()))
    assert a.srm.mismatch
    shown = _shown(abview.cards(a, EN))
    assert shown["ab_users"] == ("9,000", "sample ratio mismatch, p < 0.0001", False)
    assert shown["ab_decision"][0] == "Inconclusive"


def test_too_small_a_sample_shows_the_days_still_needed_with_a_cross():
    a = _analyse({"control": _arm(20000, 2000), "treatment": _arm(20000, 2010)}, ABConfig(guardrails=()))
    assert a.decision.decision == "keep_running"
    days = int(a.power.iloc[0]["days_remaining"])
    shown = _shown(abview.cards(a, Translator("zh")))
    assert shown["ab_decision"][0] == "继续实验"
    assert shown["ab_days"] == ("14 天", f"目标样本还需约 {days} 天", False)
    assert shown["ab_p_value"][1:] == ("不显著：p ≥ α = 0.05", False)


def test_without_assignment_days_the_users_needed_are_shown():
    a = _analyse({"control": _arm(5000, 500), "treatment": _arm(5000, 600)}, ABConfig(guardrails=()),
                 days=None)
    n = f"{int(np.ceil(a.power.iloc[0]['n_needed_control'])):,}"
    assert _shown(abview.cards(a, EN))["ab_days"] == ("—", f"target sample: about {n} users per arm", None)


def test_sequential_cards_use_the_always_valid_figures_the_decision_used():
    a = _analyse({"control": _arm(5000, 500), "treatment": _arm(5000, 600)},
                 ABConfig(guardrails=(), sequential=True))
    seq = a.sequential.iloc[0]
    shown = _shown(abview.cards(a, EN))
    assert shown["ab_p_value"][0] == fmt_p(seq["p_adjusted"]) == fmt_p(a.decisions["treatment"].p_value)
    interval = f"{fmt_rel(seq['rel_ci_low'])} to {fmt_rel(seq['rel_ci_high'])}"
    assert shown["ab_lift"][1] == f"Conversion, 95% CI {interval}"


def test_a_lift_without_a_relative_value_is_the_difference():
    a = _analyse({"control": _arm(5000, 0, 0.0, 0.0), "treatment": _arm(5000, 20, 1.0, 5.0)},
                 ABConfig(guardrails=(), primary_metric="revenue_per_user"))
    value, note, _ = _shown(abview.cards(a, EN))["ab_lift"]
    assert value == "+¥1.00" and note.startswith("Revenue per user, 95% CI +¥")


def test_several_variants_the_cards_describe_the_one_the_decision_is_about():
    a = _analyse({"control": _arm(5000, 500), "b": _arm(5000, 400), "c": _arm(5000, 510)},
                 ABConfig(guardrails=()))
    assert {t: d.decision for t, d in a.decisions.items()} == {"b": "dont_ship", "c": "inconclusive"}
    c = abview.cards(a, EN)
    assert c.variant == "c" and c.notes["ab_decision"] == ("c vs control", None)
    assert c.values["ab_lift"] == fmt_rel(a.decisions["c"].rel_lift)
    shipped = _analyse({"control": _arm(5000, 500), "b": _arm(5000, 600), "c": _arm(5000, 650)},
                       ABConfig(guardrails=()))
    assert abview.focus_variant(shipped) == shipped.decision.best_variant == "c"


# ---------------------------------------------------------------- Report.cards with notes


def test_report_cards_show_notes_and_keep_playbook_lines(tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(rp, "_html", shown.append)
    r = rp.Report("s", "ab_test-x", "en", report_dir=tmp_path)
    r.cards({"ab_decision": "Ship", "ab_users": 1234, "spend_per_buyer": 99.0},
            [("ab_decision", "text"), ("ab_users", "int"), ("spend_per_buyer", "cny")],
            {"ab_decision": ("b vs <control>", None), "ab_users": ("split as planned", True),
             "spend_per_buyer": ("never shown: the playbook's line wins", True)})
    page = shown[-1]
    assert '<div class="v">Ship</div><div class="t">b vs &lt;control&gt;</div>' in page
    assert ('<div class="v">1,234</div><div class="t"><span class="good">✓</span> split as planned</div>'
            in page)
    assert '<span class="bad">✗</span> playbook line ≥ ¥150.00' in page and "never shown" not in page
    assert 'href="ab_test-x.card.png"' in page
    r.key_findings(["Overall decision: Ship"])
    r.save()
    card = Image.open(r.card_path)
    assert card.size == (1080, 1350)


# ---------------------------------------------------------------- the demo batch

AB_REPORTS = [name for name in demo_report_names() if name.startswith("ab_test-")]


def _cards(page: str) -> list[tuple[str, str, str | None, str | None]]:
    """(name, value, good / bad / None, note) of every key-figure card on the page."""
    assert page.count('class="wx-cards"') == 1, "one block of key-figure cards"
    return [(html.unescape(k), html.unescape(v), mark or None, html.unescape(note) if note else None)
            for k, v, mark, note in CARD.findall(page)]


def _focus(head: dict) -> str:
    """The variant the cards describe, from the JSON: among the variants decided as the whole
    experiment is, the one with the largest primary difference (the rule of focus_variant)."""
    decisions = head["analysis"]["decisions"]
    same = [v for v in head["analysis"]["treatments"] if decisions[v]["decision"] == head["decision"]]
    return max(same, key=lambda v: decisions[v]["diff"])


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(DEMO_REPORTS))
@pytest.mark.parametrize("name", AB_REPORTS)
def test_demo_ab_cards_agree_with_the_report_json(demo_project, lang, name):
    folder = demo_project / DEMO_REPORTS[lang] / DEMO_STORE
    record = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    head = record["headline"]
    cards = _cards((folder / f"{name}.html").read_text(encoding="utf-8"))
    labels = [t(f"kpi.{n}", lang) for n, _ in abview.CARDS]
    assert [c[0] for c in cards] == labels  # the demo experiments have a guardrail (AOV): six cards
    by = {n: c[1:] for (n, _), c in zip(abview.CARDS, cards, strict=True)}
    v = _focus(head)
    decided = head["analysis"]["decisions"][v]
    primary = next(r for r in record["tables"]["metrics"] if r["role"] == "primary" and r["treatment"] == v)
    tr = Translator(lang)

    assert by["ab_decision"] == (t(f"decision.{head['decision']}", lang), None,
                                 tr("ab.card.versus", variant=v, control=head["control"]))
    assert by["ab_lift"][0] == fmt_rel(head[f"{v}.rel_lift"]) == fmt_rel(primary["rel_lift"])
    assert all(fmt_rel(primary[end]) in by["ab_lift"][2] for end in ("rel_ci_low", "rel_ci_high"))
    assert by["ab_p_value"][0] == fmt_p(head[f"{v}.p_adjusted"]) == fmt_p(decided["p_value"])
    assert by["ab_p_value"][1] == ("good" if head[f"{v}.p_adjusted"] < 0.05 else "bad")
    assert by["ab_users"][0] == f"{head['users']:,}"
    assert by["ab_users"][1] == ("bad" if head["srm_mismatch"] else "good")
    assert by["ab_days"][0] == tr("ab.card.days", days=f"{head['analysis']['days']:,.0f}")
    status = ("harmed" if decided["harmed_guardrails"] else "unproven" if decided["unproven_guardrails"]
              else "ok")
    assert by["ab_guardrails"][:2] == (tr(f"ab.card.guardrails_{status}"),
                                       "good" if status == "ok" else "bad")


@pytest.mark.slow
def test_demo_ab_cards_tell_the_planted_stories(demo_project):
    """exp_coupon: a significant lift; exp_share_card: the planted broken split is a ✗."""
    folder = demo_project / DEMO_REPORTS["en"] / DEMO_STORE
    coupon = {c[0]: c[1:] for c in _cards((folder / "ab_test-exp_coupon.html").read_text("utf-8"))}
    assert coupon["Adjusted p-value"][1] == "good" and coupon["Primary metric lift"][0].startswith("+")
    share = {c[0]: c[1:] for c in _cards((folder / "ab_test-exp_share_card.html").read_text("utf-8"))}
    assert share["Users analysed"][1] == "bad"
    assert share["Users analysed"][2].startswith("sample ratio mismatch")
    assert share["Decision"][0] == "Inconclusive"


@pytest.mark.slow
def test_stores_listing_no_experiment_have_no_ab_report_or_card(demo_project):
    reports = demo_project / DEMO_REPORTS["zh"]
    for store in EXTRA_STORES:
        assert (reports / store / "store_overview.card.png").is_file()  # the store was in the run
        assert not list((reports / store).glob("ab_test*"))
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert not any(f'href="{store}/ab_test' in page for store in EXTRA_STORES)


@pytest.mark.slow
def test_no_experiments_table_no_cards_and_no_share_card(tmp_path, warm_pool):
    """A store without an experiments table: the report says there is nothing to analyse, shows
    no cards (there is no figure to show) and writes no share card."""
    data = tmp_path / "orders_only"
    data.mkdir()
    (data / "orders.csv").write_bytes((SAMPLE / "orders.csv").read_bytes())
    out = tmp_path / "out.ipynb"
    run_on_pool(warm_pool, ROOT / "notebooks" / "03_ab_test.ipynb", out, ROOT, store="orders_only",
                data_dir=str(data), lang="en", report_dir=str(tmp_path / "r"))
    record = json.loads((tmp_path / "r" / "ab_test-exp_coupon.json").read_text(encoding="utf-8"))
    assert record["findings"] == [t("ab.no_source", "en")]
    outputs = json.dumps([o for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"
                          for o in c.outputs])
    assert "wx-cards" not in outputs and "Traceback" not in outputs
    assert not (tmp_path / "r" / "ab_test-exp_coupon.card.png").exists()
