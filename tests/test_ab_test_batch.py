"""`wxshop run` on generated demo stores, the A/B reports: one report per experiment, in both
languages, with the planted effects recovered, the null experiment not called a win and the
planted sample-ratio mismatch flagged. The reports are those of the shared demo batch
(``demo_project`` in conftest.py)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import DEMO_STORES, EXTRA_STORES, add_store, new_project, run_wxshop

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")
NB = "ab_test"
EXPERIMENTS = ("exp_coupon", "exp_button", "exp_share_card")
STORES = DEMO_STORES


@pytest.fixture(scope="module")
def project(demo_project):
    """The shared demo batch (read-only): demo_01 with the committed YAML, in Chinese and in
    English into reports_en/, and small stores that list no experiments."""
    return demo_project


@pytest.fixture
def project_of_its_own(tmp_path):
    """An empty throw-away project (this module's ``project`` is the shared build)."""
    return new_project(tmp_path)


def _json(project, store, experiment, reports="reports"):
    path = project / reports / store / f"{NB}-{experiment}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _truth(project, store, experiment):
    truth = json.loads((project / "data" / "demo" / store / "truth.json").read_text(encoding="utf-8"))
    return truth["experiments"][experiment]


@pytest.mark.parametrize("experiment", EXPERIMENTS)
@pytest.mark.parametrize("store, reports", [("demo_01", "reports"),
                                            ("demo_01", "reports_en")])
def test_one_report_per_experiment_per_store(project, store, reports, experiment):
    html = project / reports / store / f"{NB}-{experiment}.html"
    assert html.stat().st_size > 10_000
    data = _json(project, store, experiment, reports)
    assert data["notebook"] == f"{NB}-{experiment}" and data["store"] == store
    assert data["lang"] == ("en" if reports == "reports_en" else "zh")
    assert data["parameters"]["experiment_id"] == experiment
    head = data["headline"]
    assert head["decision"] in {"ship", "dont_ship", "keep_running", "inconclusive"}
    assert head["users"] == sum(r["users"] for r in data["tables"]["arms"])
    dq = data["data_quality"]
    assert dq["rows_read"] == dq["rows_used"] + dq["rows_rejected"]


def test_a_store_without_experiments_gets_no_ab_report(project):
    for store in EXTRA_STORES:
        assert "experiments" not in (project / "params" / "stores" / f"{store}.yaml").read_text()
        assert (project / "reports" / store / "store_overview.html").is_file()  # it was in the run
        assert not list((project / "reports" / store).glob(f"{NB}*"))


def test_per_experiment_settings_from_the_yaml_reach_the_notebook(project):
    assert _json(project, "demo_01", "exp_coupon")["parameters"]["target_relative_mde"] == 0.2
    assert _json(project, "demo_01", "exp_button")["parameters"]["target_relative_mde"] == 0.05


@pytest.mark.parametrize("store", STORES)
def test_planted_coupon_lift_is_recovered(project, store):
    """The 95% interval of the conversion difference covers the planted causal difference, the
    lift is significant after Holm, and the coupon is not called harmful."""
    head = _json(project, store, "exp_coupon")["headline"]
    expected = _truth(project, store, "exp_coupon")["expected"]
    planted = expected["treatment"]["conversion"] - expected["control"]["conversion"]
    assert planted > 0
    assert head["treatment.ci_low"] <= planted <= head["treatment.ci_high"]
    assert head["treatment.p_adjusted"] < 0.05 and head["treatment.diff"] > 0
    assert head["decision"] in {"ship", "keep_running"}
    assert not head["srm_mismatch"]


@pytest.mark.parametrize("store", STORES)
def test_null_experiment_is_not_called_a_win(project, store):
    data = _json(project, store, "exp_button")
    head = data["headline"]
    assert _truth(project, store, "exp_button")["is_null"]
    assert head["decision"] != "ship" and head["best_variant"] is None
    primary = [r for r in data["tables"]["metrics"] if r["role"] == "primary"]
    assert {r["treatment"] for r in primary} == {"treatment", "treatment_b"}  # three arms, two comparisons
    assert not any(r["significant"] for r in primary)


@pytest.mark.parametrize("store, reports", [("demo_01", "reports"),
                                            ("demo_01", "reports_en")])
def test_planted_srm_is_flagged_with_a_red_banner_before_the_decision(project, store, reports):
    assert _truth(project, store, "exp_share_card")["has_srm"]
    data = _json(project, store, "exp_share_card", reports)
    head = data["headline"]
    assert head["srm_mismatch"] and head["srm_p_value"] < 0.001
    assert head["decision"] == "inconclusive"
    assert [w["key"] for w in data["warnings"]] == ["ab.srm_banner"]
    html = (project / reports / store / f"{NB}-exp_share_card.html").read_text(encoding="utf-8")
    banner = html.find('class="wx-banner"')
    decision = html.find("总体结论" if reports == "reports" else "Overall decision")
    assert 0 < banner < decision
    # experiments without planted SRM carry no banner
    coupon = (project / reports / store / f"{NB}-exp_coupon.html").read_text(encoding="utf-8")
    assert 'class="wx-banner"' not in coupon


def test_report_figures_equal_a_direct_analysis(project):
    """The JSON holds what the library computes on the same data (no figure is made up in the
    notebook)."""
    from wxshop.ab import analysis as abreport
    from wxshop.ab import outcomes as ex
    from wxshop.data.load import load_store

    data = load_store(project / "data" / "demo" / "demo_01", name="demo_01")
    outcome = ex.user_outcomes(data.experiments, data.orders, "exp_coupon", customers=data.customers,
                               order_items=data.order_items, products=data.products)
    config = abreport.ABConfig(target_relative_mde=0.2)
    analysis = abreport.analyse_users(outcome.users, ex.planned_split(outcome.variants), config,
                                      excluded={"multi_variant": outcome.multi_variant})
    head = _json(project, "demo_01", "exp_coupon")["headline"]
    primary = analysis.metrics.loc[analysis.metrics["role"] == "primary"].iloc[0]
    for key in ("diff", "ci_low", "ci_high", "rel_lift", "p_value", "p_adjusted"):
        assert head[f"treatment.{key}"] == pytest.approx(float(primary[key]), rel=1e-12), key
    assert head["srm_p_value"] == pytest.approx(analysis.srm.p_value, rel=1e-12)
    assert head["decision"] == analysis.decision.decision
    assert head["excluded_multi_variant"] == outcome.multi_variant
    assert head["users"] == len(outcome.users)


def test_english_report_reads_in_english(project):
    html = (project / "reports_en" / "demo_01" / f"{NB}-exp_coupon.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, flags=re.S)
    assert len(headings) >= 8
    assert not [h for h in headings if CJK.search(h)]
    assert "Overall decision" in html and "Action:" in html
    zh = (project / "reports" / "demo_01" / f"{NB}-exp_coupon.html").read_text(encoding="utf-8")
    assert "总体结论" in zh and "行动：" in zh
    # the demo stores carry item costs: the coupon test's gross profit per user is tested and defined
    assert "Other metrics:" in html and "Gross profit per user" in html
    assert "其他指标：" in zh and "人均毛利 = Σ（收入 − 商品成本 − 券与折扣成本）" in zh


def test_a_bad_setting_is_bad_input_exit_2_without_traceback(project_of_its_own):
    """On the committed sample store (it has exp_coupon), in a project of its own."""
    project = project_of_its_own
    add_store(project, "bad_alpha", yaml_extra="experiments:\n  exp_coupon: {alpha: 2}\n")
    proc = run_wxshop("run", "-n", NB, "-s", "bad_alpha", "--reports", "reports_bad", cwd=project,
                      env={"WXSHOP_HOME": str(project)})
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "alpha" in out and "Traceback" not in out
