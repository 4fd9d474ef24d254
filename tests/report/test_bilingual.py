"""Every report reads in one language: in English no heading, table header or label carries
Chinese, and in Chinese no heading or table header is left in English (acronyms aside)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import DEMO_REPORTS, DEMO_STORE, demo_report_names

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")
# Chrome text the reports write themselves (data values such as product names are not checked).
CHROME_TAGS = {"h1", "h2", "h3", "th", "summary", "caption"}
# Headers that are the same in both languages: acronyms and method names.
SAME_IN_BOTH = {"CUPED", "GMV", "SKU", "ABC", "RFM", "A/B", "AOV"}


class _Chrome(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.texts: list[tuple[str, str]] = []
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in CHROME_TAGS:
            self.stack.append(tag)
            self._buf = []

    def handle_endtag(self, tag):
        if self.stack and tag == self.stack[-1]:
            self.stack.pop()
            text = " ".join("".join(self._buf).split())
            if text:
                self.texts.append((tag, text))

    def handle_data(self, data):
        if self.stack:
            self._buf.append(data)


def chrome_texts(html: str) -> list[tuple[str, str]]:
    body = html[html.find("<body") :]
    parser = _Chrome()
    parser.feed(re.sub(r"<style.*?</style>|<script.*?</script>", "", body, flags=re.S))
    return parser.texts


@pytest.fixture(scope="module")
def reports(demo_project):
    """demo_01's reports of the shared demo batch, in Chinese and in English."""
    return {lang: sorted((demo_project / DEMO_REPORTS[lang] / DEMO_STORE).glob("*.html"))
            for lang in ("zh", "en")}


def test_every_notebook_has_a_report_in_both_languages(reports):
    names = {p.name for p in reports["zh"]}
    assert names == {p.name for p in reports["en"]}
    assert names == {f"{name}.html" for name in demo_report_names()}
    assert "ab_test-exp_coupon.html" in names
    for path in reports["zh"] + reports["en"]:  # the scan sees the headings and table headers
        tags = {tag for tag, _ in chrome_texts(path.read_text(encoding="utf-8"))}
        assert {"h1", "h2", "th"} <= tags, path


def test_the_scan_catches_a_mixed_language_heading():
    html = ("<body><h2>关键发现</h2><h2>Key findings</h2>"
            "<table><tr><th>用户数</th><td>公众号</td></tr></table></body>")
    assert chrome_texts(html) == [("h2", "关键发现"), ("h2", "Key findings"), ("th", "用户数")]


def test_english_chrome_has_no_chinese(reports):
    bad = []
    for path in reports["en"]:
        for tag, text in chrome_texts(path.read_text(encoding="utf-8")):
            if CJK.search(text):
                bad.append(f"{path.name} <{tag}> {text}")
    assert not bad, "\n".join(bad[:30])


def test_chinese_chrome_is_chinese(reports):
    bad = []
    for path in reports["zh"]:
        for tag, text in chrome_texts(path.read_text(encoding="utf-8")):
            letters = re.sub(r"[^A-Za-z]+", " ", text).split()
            if not CJK.search(text) and text not in SAME_IN_BOTH and any(len(w) > 1 for w in letters):
                bad.append(f"{path.name} <{tag}> {text}")
    assert not bad, "\n".join(bad[:30])


def test_english_findings_and_decisions_have_no_chinese_chrome(reports):
    """The sentences are English; only data (the store's Chinese category names) may be Chinese."""
    text = next(p for p in reports["en"] if p.name == "ab_test-exp_coupon.html").read_text(encoding="utf-8")
    assert "Key findings" in text and "Overall decision" in text and "Contents" in text
    zh = next(p for p in reports["zh"] if p.name == "ab_test-exp_coupon.html").read_text(encoding="utf-8")
    assert "关键发现" in zh and "总体结论" in zh and "目录" in zh
