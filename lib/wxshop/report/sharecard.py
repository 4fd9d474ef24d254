"""Share cards: one PNG per report (1080 × 1350, the 4:5 picture a WeChat chat or group shows
whole) with the report's headline figures and its first three findings, in the report's
language, for store owners to forward; and one for the index.

Drawn with matplotlib and the charts' Chinese font (:func:`wxshop.report.plots.setup_theme`), so
no browser or system font is needed. The report's cards link to it; the index links each store's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch

from wxshop.report import plots
from wxshop.report.chartfit import wrap_text

__all__ = ["HEIGHT", "WIDTH", "Figure", "share_card"]

WIDTH, HEIGHT = 1080, 1350  # pixels
_DPI = 100
_GOOD, _BAD, _GREY, _INK = "#07a35a", "#d93026", "#646a73", "#1f2329"

# (label, value as shown, playbook-line text or "", True / False / None: met, missed, no line[,
# change line, e.g. "30 天环比 ▲ 12.3% · 同比 ▼ 2.0%"])
Figure = tuple[str, str, str, "bool | None"] | tuple[str, str, str, "bool | None", str]
_TILE = 0.43  # a tile's width, share of the card's


def _fitted(fig: plt.Figure, x: float, y: float, text: str, size: float, width: float = _TILE - 0.03,
            least: float = 10, **style) -> None:
    """``text`` at (x, y) in figure coordinates, its font shrunk (down to ``least`` pt) and then
    its end cut with "…" until it is at most ``width`` (share of the card) wide."""
    artist = fig.text(x, y, text, fontsize=size, va="top", **style)
    renderer = fig.canvas.get_renderer()
    limit = width * fig.bbox.width
    while artist.get_window_extent(renderer).width > limit and artist.get_fontsize() > least:
        artist.set_fontsize(artist.get_fontsize() - 1)
    while artist.get_window_extent(renderer).width > limit and len(artist.get_text()) > 2:
        artist.set_text(artist.get_text()[:-2] + "…")


def _lines(fig: plt.Figure, text: str, size: float, width: float = 0.88, most: int = 4) -> list[str]:
    """``text`` broken into lines at most ``width`` (share of the card) wide in ``size`` pt,
    measured in the card's font (Chinese between characters, Latin at spaces); at most ``most``
    lines, the last ending in "…" when the text goes on."""
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(size=size)
    limit = width * fig.bbox.width

    def fits(line: str) -> bool:
        return renderer.get_text_width_height_descent(line, prop, ismath=False)[0] <= limit

    lines = wrap_text(text, fits).split("\n")
    if len(lines) > most:
        lines = lines[:most]
        while lines[-1] and not fits(lines[-1] + "…"):
            lines[-1] = lines[-1][:-1]
        lines[-1] += "…"
    return lines


def share_card(path: Path, *, title: str, subtitle: str, figures: Sequence[Figure],
               findings: Sequence[str], heading: str, footer: str) -> Path:
    """Write the card to ``path`` (PNG, :data:`WIDTH` × :data:`HEIGHT`): ``title`` and
    ``subtitle`` (store · period), up to six ``figures`` as tiles (the change against earlier
    periods where known, ✓ / ✗ against the playbook line where there is one; a text too long for
    its tile is set smaller, then cut), under ``heading`` the first three ``findings``, and
    ``footer``.

    >>> import tempfile
    >>> from PIL import Image
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = share_card(Path(tmp) / "c.png", title="店铺概览：demo", subtitle="demo · 2026-10",
    ...                      figures=[("客单价", "¥661.19", "手册线 ≥ ¥150.00", True)],
    ...                      findings=["复购率 68.5%"], heading="要点与行动", footer="wxshop")
    ...     print(Image.open(out).size)
    (1080, 1350)
    """
    plots.setup_theme()
    fig = plt.figure(figsize=(WIDTH / _DPI, HEIGHT / _DPI), dpi=_DPI)
    try:
        fig.patch.set_facecolor("white")
        _fitted(fig, 0.06, 0.955, title, 34, width=0.88, least=20, color=_INK)
        _fitted(fig, 0.06, 0.895, subtitle, 19, width=0.88, color=_GREY)
        top = 0.85
        for i, (label, value, line, met, *change) in enumerate(list(figures)[:6]):
            x, y = 0.06 + (i % 2) * 0.45, top - (i // 2) * 0.135
            fig.patches.append(FancyBboxPatch(
                (x, y - 0.12), _TILE, 0.12, boxstyle="round,pad=0,rounding_size=0.015",
                transform=fig.transFigure, facecolor="#f7f8fa", edgecolor="#e5e6eb", linewidth=1.5))
            _fitted(fig, x + 0.02, y - 0.012, label, 17, color=_GREY)
            _fitted(fig, x + 0.02, y - 0.038, value, 30, color=_INK)
            if change and change[0]:
                _fitted(fig, x + 0.02, y - 0.077, change[0], 13, color=_GREY)
            if line:
                mark = "✓ " if met else "✗ " if met is False else ""
                _fitted(fig, x + 0.02, y - 0.098, mark + line, 13,
                        color=_GOOD if met else _BAD if met is False else _GREY)
        rows = (min(len(figures), 6) + 1) // 2
        y = top - rows * 0.135 - 0.03
        fig.text(0.06, y, heading, fontsize=24, color=_INK, va="top")
        y -= 0.05
        for n, finding in enumerate(list(findings)[:3], start=1):
            for k, line in enumerate(_lines(fig, finding, 18, width=0.84)):  # the number takes the rest
                fig.text(0.06, y, (f"{n}. " if k == 0 else "    ") + line, fontsize=18, color=_INK, va="top")
                y -= 0.032
            y -= 0.012
        fig.text(0.06, 0.03, footer, fontsize=14, color=_GREY, va="bottom")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # readers never see half a card
        try:
            fig.savefig(tmp, dpi=_DPI, facecolor="white", format="png")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        plt.close(fig)
    return path
