"""The share card keeps every text inside its tile (wxshop.report.sharecard): a long value, change
line or note is set smaller, then cut with "…", never drawn across the gap to the next tile."""

from __future__ import annotations

import numpy as np
from PIL import Image

from wxshop.report.sharecard import WIDTH, share_card

LONG = "护栏指标：退款率、客诉率、毛利率均未受损，另加一段很长的说明文字让它远远超过卡片的宽度" * 2


def _gap_ink(path) -> int:
    """Dark pixels in the white gap between the left and right tiles (x 0.49–0.51 of the card),
    across the tiles' rows."""
    pixels = np.asarray(Image.open(path).convert("L"))
    lo, hi = int(0.492 * WIDTH) + 2, int(0.508 * WIDTH) - 2
    rows = slice(int(0.15 * pixels.shape[0]), int(0.55 * pixels.shape[0]))
    return int((pixels[rows, lo:hi] < 160).sum())


def test_long_texts_stay_in_their_tile(tmp_path):
    change = "30 天环比 ▲ 12.3% · 同比 ▼ 2.0%" * 3
    figures = [("很长的指标名称" * 4, "¥123,456,789,012.34", LONG, True, change)] * 6
    card = share_card(tmp_path / "c.png", title="店铺概览：" + "很长的店铺名" * 10, subtitle="demo",
                      figures=figures, findings=["复购率 68.5%"], heading="要点与行动", footer="wxshop")
    assert _gap_ink(card) == 0


def test_the_gap_check_sees_text_across_tiles(tmp_path):
    """The same measure finds ink when a text does cross the gap (a figure-wide line drawn there)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(10.8, 13.5), dpi=100)
    fig.text(0.3, 0.6, "■" * 40, fontsize=14, va="top")
    fig.savefig(tmp_path / "bad.png", dpi=100, facecolor="white")
    plt.close(fig)
    assert _gap_ink(tmp_path / "bad.png") > 0
