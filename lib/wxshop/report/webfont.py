"""Chinese text on any screen: each page embeds the glyphs it uses.

A report opened on a desktop without Chinese system fonts (a Linux box, a bare Windows Server,
a container) would draw every Chinese character of its text as an empty box (tofu); its charts
are fine, they carry their own font. So when a page is written, the characters its text uses
that a Latin font may lack (code points from U+2000: punctuation such as “” — …, arrows, CJK,
full-width forms) are cut out of Noto Sans CJK SC, the font the package already brings for the
charts (``mplfonts``, SIL OFL), into a WOFF2 subset embedded in the page as a ``data:`` URI under
the family :data:`FAMILY`. The page's font stacks name the system's Chinese fonts first, then
:data:`FAMILY`, then the generic family: a phone or desktop with its own Chinese font keeps it,
any other gets the embedded glyphs. A report page's subset is 30–80 KB.

Cutting the subset reads the 16 MB font, about 0.6 s a page; the same set of characters is
cut once per process.
"""

from __future__ import annotations

import base64
import functools
import html as html_lib
import io
import re

from fontTools import subset
from fontTools.ttLib import TTFont

from wxshop.report.plots import cjk_font_path

__all__ = ["FAMILY", "FIRST", "embed", "font_face", "page_characters", "woff2_subset"]

FAMILY = "wxCJK"
FIRST = 0x2000  # general punctuation and everything above it: what a Latin-only font may lack

_CODE = re.compile(r"<(style|script)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# attributes a reader sees: a search box's placeholder, a tooltip, a picture's or region's name
_SHOWN = re.compile(r"""\s(?:placeholder|title|alt|aria-label)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def page_characters(page: str) -> str:
    """The characters from :data:`FIRST` up that ``page`` shows: its text and the attributes a
    reader sees (placeholder, title, alt, aria-label); other markup, styles, scripts and
    attribute values such as ``data:`` pictures left out; entities read; sorted.

    >>> page_characters('<style>p{content:"样"}</style><p title="题" data-x="略">'
    ...                 '客单价 &ldquo;¥150&rdquo; → 好</p><input placeholder="筛选">')
    '“”→价单好客筛选题'
    """
    code_free = _CODE.sub(" ", page)
    shown = " ".join(a or b for a, b in _SHOWN.findall(code_free))
    text = html_lib.unescape(_TAG.sub(" ", code_free) + " " + shown)
    return "".join(sorted({c for c in text if ord(c) >= FIRST}))


@functools.lru_cache(maxsize=1)
def _webfont_cmap() -> frozenset[int]:
    return frozenset(TTFont(cjk_font_path(), lazy=True).getBestCmap())


@functools.lru_cache(maxsize=64)
def woff2_subset(characters: str) -> bytes:
    """A WOFF2 font with the glyphs of ``characters`` the CJK font has (no hinting, no layout
    features: text is set glyph by glyph), or empty bytes when it has none of them."""
    wanted = sorted({ord(c) for c in characters} & _webfont_cmap())
    if not wanted:
        return b""
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.name_IDs = [0, 1, 2]  # copyright, family, style: the licence notice travels with it
    options.notdef_outline = True
    font = TTFont(cjk_font_path(), lazy=True)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=wanted)
    cutter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def font_face(characters: str) -> str:
    """The ``@font-face`` rule of :data:`FAMILY` for ``characters``; empty when none needs it.

    >>> rule = font_face("客单价")
    >>> rule.startswith('@font-face{font-family:"wxCJK";src:url(data:font/woff2;base64,'), len(rule) < 20_000
    (True, True)
    >>> font_face("abc")
    ''
    """
    data = woff2_subset("".join(c for c in characters if ord(c) >= FIRST))
    if not data:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    return (f'@font-face{{font-family:"{FAMILY}";src:url(data:font/woff2;base64,{encoded}) format("woff2");'
            "font-display:block}")


def embed(page: str) -> str:
    """``page`` with the ``@font-face`` of its own characters in a ``<style>`` at the end of its
    ``<head>`` (a page without a head, or needing no glyph, is returned as it is)."""
    rule = font_face(page_characters(page))
    if not rule or "</head>" not in page:
        return page
    return page.replace("</head>", f'<style id="wx-font">{rule}</style>\n</head>', 1)
