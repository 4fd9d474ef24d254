"""docs/definitions.md: generated from the report strings, never stale, and defining every figure
a report records."""

from __future__ import annotations

import json

import pytest

from conftest import DEMO_REPORTS, ROOT
from wxshop.report import definitions
from wxshop.report.i18n import LANGS, t


def test_the_committed_page_is_the_generated_one():
    page = (ROOT / "docs" / "definitions.md").read_text(encoding="utf-8")
    assert page == definitions.markdown(), (
        "docs/definitions.md is stale: run `make definitions` and commit it")


def test_every_figure_has_a_name_formula_window_and_unit_in_both_languages():
    for report in definitions.REPORTS:
        names = [f.name for f in definitions.figures(report)]
        assert len(names) == len(set(names)), report
        for f in definitions.figures(report):
            for key in (f.label, f.formula, f.window, f.unit):
                assert all(t(key, lang).strip() for lang in LANGS), (report, f.name, key)
    page = definitions.markdown()
    for report in definitions.REPORTS:
        for f in definitions.figures(report):
            assert f"`{f.name}`" in page
            assert t(f.formula, "zh") in page and t(f.formula, "en") in page


def test_an_undefined_figure_is_caught():
    assert definitions.documented("user_profiling", "repurchase_rate")
    assert definitions.documented("ab_test", "treatment_b.rel_lift")
    assert not definitions.documented("user_profiling", "repurchase_rate_orders")
    with pytest.raises(ValueError, match="unknown report"):
        definitions.figures("loyalty_programme")


@pytest.mark.slow
def test_every_figure_the_demo_reports_record_is_defined(demo_project):
    seen = set()
    for folder in DEMO_REPORTS.values():
        for path in sorted((demo_project / folder).glob("*/*.json")):
            if path.name.endswith(".status.json"):
                continue
            record = json.loads(path.read_text(encoding="utf-8"))
            report = record["notebook"].split("-")[0]  # ab_test-<experiment>
            missing = [name for name in record["headline"] if not definitions.documented(report, name)]
            assert not missing, f"{path}: figures missing from docs/definitions.md: {missing}"
            seen.add(report)
            if report == "ab_test":
                metrics = {row["metric"] for row in record["tables"].get("metrics", [])}
                assert metrics <= set(definitions.AB_METRICS), metrics - set(definitions.AB_METRICS)
    assert seen == set(definitions.REPORTS)
