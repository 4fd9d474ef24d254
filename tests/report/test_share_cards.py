"""Share cards: every report with key figures writes a 1080 × 1350 PNG beside its HTML (headline
figures, ✓ / ✗ against the playbook lines, the first three findings, in the report's language),
linked from the report; the index writes one for the batch and links each store's (the shared
demo batch, ``demo_project`` in conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from conftest import DEMO_REPORTS, DEMO_STORE, demo_report_names

pytestmark = pytest.mark.slow
CARDED = demo_report_names()  # every report of a store, an A/B report per listed experiment too


def _ink(path) -> float:
    """Share of pixels that are not white: a blank card has none."""
    pixels = np.asarray(Image.open(path).convert("L"))
    return float((pixels < 200).mean())


@pytest.mark.parametrize("lang", list(DEMO_REPORTS))
@pytest.mark.parametrize("name", CARDED)
def test_every_report_with_key_figures_has_a_share_card(demo_project, lang, name):
    folder = demo_project / DEMO_REPORTS[lang] / DEMO_STORE
    card = folder / f"{name}.card.png"
    assert Image.open(card).size == (1080, 1350)
    assert 0.02 < _ink(card) < 0.5
    assert f'href="{name}.card.png"' in (folder / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CARDED)
def test_the_card_speaks_the_reports_language(demo_project, name):
    zh, en = (np.asarray(Image.open(demo_project / DEMO_REPORTS[lang] / DEMO_STORE / f"{name}.card.png")
                         .convert("L")) for lang in ("zh", "en"))
    assert (zh != en).mean() > 0.005


@pytest.mark.parametrize("lang", list(DEMO_REPORTS))
def test_the_index_has_a_card_and_links_every_stores(demo_project, lang):
    reports = demo_project / DEMO_REPORTS[lang]
    assert Image.open(reports / "index.card.png").size == (1080, 1350)
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="index.card.png"' in page
    for name in CARDED:
        assert f'class="card" href="{DEMO_STORE}/{name}.card.png"' in page, name
