"""Charts made for a phone: the size they are drawn at, the smallest text they may hold, the
palette, long labels wrapped to the figure, the description read out in place of the picture, and
the PNG a report shows.

A chart is drawn :data:`PHONE_WIDTH_PX` CSS pixels wide (a 390 px phone less the page's margins)
and shown at that width, so a text of ``s`` points renders at ``s × 96 / 72`` CSS pixels; every
text is at least :data:`MIN_TEXT_PT` points, which is :data:`MIN_TEXT_PX` (11) CSS pixels. The PNG
holds :data:`RENDER_SCALE` image pixels per CSS pixel, sharp on 2×–3× phone screens.

The palette is Okabe & Ito's (2008) colour-blind-safe set; ``tests/report/test_charts_phone.py``
checks its colours stay apart under simulated deuteranopia, protanopia and tritanopia.
"""

from __future__ import annotations

import base64
import io
import re
import weakref
from typing import Any

CSS_DPI = 96  # CSS pixels per inch
PHONE_WIDTH_PX = 360  # the width a chart is drawn for and shown at, CSS px
RENDER_SCALE = 2  # PNG pixels per CSS pixel
RENDER_DPI = CSS_DPI * RENDER_SCALE
MIN_TEXT_PX = 11  # the smallest chart text on the screen, CSS px
MIN_TEXT_PT = MIN_TEXT_PX * 72 / CSS_DPI  # = 8.25 pt at the width the chart is shown
FIG_WIDTH_IN = PHONE_WIDTH_PX / CSS_DPI  # 3.75 in
TEXT_PT = {"base": 10.0, "title": 10.5, "label": 9.5, "tick": 9.0, "legend": 9.0, "note": 8.5}

# Okabe & Ito, "Color Universal Design" (2008): bluish green first (close to WeChat's green), then
# blue, orange, vermillion, sky blue; grey (index 5) marks what is not significant or a reference.
PALETTE = ["#009E73", "#0072B2", "#E69F00", "#D55E00", "#56B4E9", "#999999", "#CC79A7"]
SEQUENTIAL = "Greens"  # heat maps: one hue, read by lightness alone

_DESCRIPTIONS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def rc_params() -> dict[str, Any]:
    """matplotlib settings for phone-sized charts (applied by ``plots.setup_theme``)."""
    from cycler import cycler

    return {
        "figure.figsize": (FIG_WIDTH_IN, 2.9),
        "figure.dpi": CSS_DPI,
        "figure.constrained_layout.use": True,
        "font.size": TEXT_PT["base"],
        "axes.titlesize": TEXT_PT["title"],
        "axes.labelsize": TEXT_PT["label"],
        "xtick.labelsize": TEXT_PT["tick"],
        "ytick.labelsize": TEXT_PT["tick"],
        "legend.fontsize": TEXT_PT["legend"],
        "legend.title_fontsize": TEXT_PT["legend"],
        "legend.frameon": False,
        "axes.prop_cycle": cycler(color=PALETTE),
    }


def describe(fig: Any, text: str) -> None:
    """Attach the description a screen reader (and the page's ``alt``) gives for ``fig``."""
    _DESCRIPTIONS[fig] = text


def description(fig: Any) -> str:
    """What :func:`describe` attached to ``fig`` ("" when nothing was)."""
    return _DESCRIPTIONS.get(fig, "")


def phone_height(rows: int, per_row: float = 0.26, extra: float = 1.2, least: float = 2.4) -> float:
    """A figure height (inches) for ``rows`` rows of labels (bars, heat-map rows) at phone size.

    >>> phone_height(10)
    3.8
    """
    return round(max(least, per_row * rows + extra), 2)


_BREAK_AFTER = re.compile(r"(?<=[\s，、；：。（）/·,;:(])|(?<=[\u3000-\u9fff\uff00-\uffef])")


def _pieces(text: str) -> list[str]:
    """Where a label may break: after a space or punctuation, or between Chinese characters.

    >>> _pieces("GMV（元） by month")
    ['GMV（', '元', '）', ' ', 'by ', 'month']
    """
    parts = [p for p in _BREAK_AFTER.split(text) if p]
    out: list[str] = []
    for part in parts:  # also after a space inside a Latin run
        out.extend(p for p in re.split(r"(?<= )", part) if p)
    return out if len(out) > 1 else [text]


def wrap_text(text: str, fits: Any) -> str:
    """``text`` with line breaks so that each line ``fits(line)`` (greedy; one piece per line at
    worst). Existing line breaks are kept.

    >>> wrap_text("one two three", lambda line: len(line) <= 8)
    'one two\\nthree'
    """
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in _pieces(paragraph):
            if line and not fits((line + piece).rstrip()):
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        lines.append(line.rstrip())
    return "\n".join(lines)


def fit_texts(fig: Any) -> None:
    """Make every text of ``fig`` fit its width: wrap the figure's title and texts to the figure,
    each axis label to its axes (as laid out), y tick labels to 45 % of the figure, legend
    titles to the figure, and the entries of a legend still wider than the figure.
    Each line is measured in its own font."""
    from matplotlib.text import Text

    fig.canvas.draw()  # lays the figure out, so the axes' sizes are known
    renderer = fig.canvas.get_renderer()
    width_px = fig.get_figwidth() * fig.dpi

    def wrap(artist: Text, limit: float) -> None:
        text = artist.get_text()
        if not text:
            return
        prop = artist.get_fontproperties()

        def fits(line: str) -> bool:
            w, _, _ = renderer.get_text_width_height_descent(line, prop, ismath=False)
            return w <= limit

        artist.set_text(wrap_text(text, fits))

    for text in fig.texts:  # the title (suptitle) and notes
        wrap(text, 0.96 * width_px)
    for ax in fig.axes:
        box = ax.get_window_extent(renderer)
        titles = [getattr(ax, name, None) for name in ("title", "_left_title", "_right_title")]
        for artist in [t for t in titles if t is not None]:
            wrap(artist, 0.96 * width_px)
        wrap(ax.xaxis.label, max(box.width, 0.5 * width_px))
        wrap(ax.yaxis.label, max(box.height, 1.2 * fig.dpi))
        for label in ax.get_yticklabels():
            wrap(label, 0.45 * width_px)
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    for legend in [lg for lg in legends if lg is not None]:
        wrap(legend.get_title(), 0.96 * width_px)
        if legend.get_window_extent(renderer).width > width_px:
            for entry in legend.get_texts():
                wrap(entry, 0.8 * width_px)


def _undrawn_tick_labels(ax: Any) -> set[int]:
    """ids of ``ax``'s tick labels whose tick lies outside the view (matplotlib skips them)."""
    hidden: set[int] = set()
    for axis in (ax.xaxis, ax.yaxis):
        low, high = sorted(axis.get_view_interval())
        slack = 1e-9 * max(1.0, abs(high - low))
        for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
            if not low - slack <= tick.get_loc() <= high + slack:
                hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def texts(fig: Any) -> list[Any]:
    """Every text ``fig`` draws: visible, not blank, on a visible axes, and (for tick labels)
    at a tick inside the axis' view."""
    from matplotlib.text import Text

    hidden: set[int] = set()
    for ax in fig.axes:
        hidden |= _undrawn_tick_labels(ax)
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible()) and id(t) not in hidden]


def smallest_text_pt(fig: Any) -> float:
    """The smallest font size (points) among the texts ``fig`` draws."""
    sizes = [float(t.get_fontsize()) for t in texts(fig)]
    return min(sizes) if sizes else float("inf")


def phone_png(fig: Any) -> tuple[bytes, dict[str, Any]]:
    """``fig`` as the PNG a report shows, and the image metadata for the notebook output: its
    displayed size in CSS px, the description, the smallest text (pt) and the render DPI, which
    the page keeps so a test can compute each chart's smallest text in CSS px."""
    fit_texts(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=RENDER_DPI, facecolor="white")
    png = buffer.getvalue()
    width, height = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    return png, {
        "width": round(width / RENDER_SCALE),
        "height": round(height / RENDER_SCALE),
        "alt": description(fig),
        "min_text_pt": round(smallest_text_pt(fig), 2),
        "dpi": RENDER_DPI,
    }


def png_bundle(fig: Any, fallback: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The display data (PNG, and the description as plain text, which is also what a
    notebook comparison sees) and metadata for ``fig``; ``fallback`` when it has no description."""
    png, meta = phone_png(fig)
    meta["alt"] = meta["alt"] or fallback
    data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": meta["alt"]}
    return data, {"image/png": meta}
