"""Charts draw Chinese with the font that comes from pip (no system fonts, no font cache)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from wxshop.report import plots  # noqa: E402


def _missing_glyph_warnings(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.fixture
def themed():
    with plt.rc_context():
        plots.setup_theme()
        yield


@pytest.mark.parametrize(
    "text",
    [
        "复购率与客单价（元）",  # CJK ideographs and full-width brackets
        "环比 −12.5%",  # U+2212 minus sign, also drawn on negative ticks below
        "客单价 ¥1,234.50 / ￥",  # yen signs, half and full width
    ],
    ids=["ideographs", "minus", "yen"],
)
def test_chinese_chart_has_no_missing_glyphs(themed, text):
    fig, ax = plt.subplots()
    ax.plot([-3, -1, 2], [-0.5, 0.25, 1.0], label=text)
    ax.set_title(text)
    ax.set_xlabel("月份")
    ax.set_ylabel(text)
    ax.set_xticks([-3, -1, 2], ["一月", "二月", "三月"])
    ax.legend()
    assert plt.rcParams["axes.unicode_minus"]  # negative y ticks are drawn with U+2212
    assert _missing_glyph_warnings(fig) == []


def test_chart_without_the_theme_would_miss_glyphs():
    """The check above can fail: matplotlib's own font has no Chinese."""
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("复购率")
        assert any("CJK UNIFIED IDEOGRAPH" in m for m in _missing_glyph_warnings(fig))


def test_default_font_is_the_packaged_cjk_font(themed):
    path = plots.cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and path.parent.parent.name == plots.CJK_FONT_PACKAGE
    family = plt.rcParams["font.family"][0]
    # The package's file is registered under the family the theme asks for first; a machine
    # with the same family installed system-wide may resolve to its copy, which is as good.
    files = {f.fname for f in font_manager.fontManager.ttflist if f.name == family}
    assert str(path) in files
    resolved = font_manager.findfont(font_manager.FontProperties(), fallback_to_default=False)
    assert str(resolved) in files
    font = font_manager.get_font(resolved)
    for char in "复购率¥−":
        assert font.get_char_index(ord(char)) != 0, char


def test_registration_is_idempotent(themed):
    plots.setup_theme()
    plots.setup_theme()
    path = str(plots.cjk_font_path())
    # One entry per name matplotlib knows the file by, however often the theme is set up.
    names = [f.name for f in font_manager.fontManager.ttflist if f.fname == path]
    assert names and len(names) == len(set(names))


def test_fresh_font_cache_still_draws_chinese(tmp_path):
    """A brand-new MPLCONFIGDIR (cache built without the font) and a lazy import: the font is
    registered by setup_theme, not found through matplotlib's cache."""
    script = textwrap.dedent(
        """
        import io, warnings
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager
        from wxshop.report import plots
        path = str(plots.cjk_font_path())
        assert not any(f.fname == path for f in font_manager.fontManager.ttflist), "registered on import"
        plots.setup_theme()
        fig, ax = plt.subplots()
        ax.set_title("复购率 ¥ −1")
        ax.plot([-1, 1])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        assert not missing, missing
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MPLCONFIGDIR": str(tmp_path)})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
