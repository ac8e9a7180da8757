"""The prefiltered cue search finds on every line exactly what one scan of each cue pattern over the page finds.

:func:`linesift.text_stats.cue_columns` runs a category's pattern only on the lines that hold one
of its word leads or triggers; the bundled models were trained on the page-wide scan, so the two
must agree to the line, on pages of every language the labelled sets hold. The same holds for the
columns once computed by page-wide patterns and now from code points and line ends (capitalised
words, terminal punctuation, ellipses, bullets, addresses).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
import pytest

from linesift._input import load_lines
from linesift.cues import TEXT_CUES, cue_prefilter
from linesift.text_stats import (
    _CJK_CUE_PATTERNS,
    _TEXT_CUE_PATTERNS,
    CJK_CHARACTERS,
    line_counts,
    lower_same_length,
    text_columns,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "datasets" / "samples"
SHARED = ROOT.parent / "shared"

CRAFTED = [
    "Amazon Echo Show 8",
    "$179.99",
    "$2.99 shipping",
    "Free shipping on orders over 50 €",
    "© 2024 Example Media. All rights reserved.",
    "» Home",
    "Next page »",
    "Older posts «",
    "Share this: Facebook, X, no-comments",
    "Don't miss: you may also like",
    "Posted on Jan 3, 2024 by Ana",
    "12 comments",
    "Log in | Sign up",
    "İstanbul'da Haberler",
    "こちらもおすすめ",
    "相关阅读",
    "Junho (152)",
    "Plain paragraph text with nothing of a cue in it at all.",
    # Prices cut by a line break, next to the words of the same category.
    "Only 5",
    "$ reviews: 4 stars",
    "in stock 3",
    "€ 12 quantity",
]


def _page_scan(texts: list[str]) -> dict[str, np.ndarray]:
    """Cue columns as the bundled models' features were computed: each category's pattern over the whole page."""
    lengths = np.array([len(text) for text in texts])
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    lowered = lower_same_length("\n".join(texts))
    has_cjk = re.search(f"[{CJK_CHARACTERS}]", lowered) is not None
    columns = {}
    for name, pattern in _TEXT_CUE_PATTERNS.items():
        matches = line_counts(pattern, lowered, starts)
        if has_cjk and name in _CJK_CUE_PATTERNS:
            matches += line_counts(_CJK_CUE_PATTERNS[name], lowered, starts)
        columns[f"cue_{name}"] = np.minimum(matches, 1.0)
    return columns


def _assert_same_cues(texts: list[str], where: str) -> None:
    found = text_columns(texts, is_html=True)
    for name, expected in _page_scan(texts).items():
        wrong = np.flatnonzero(found[name] != expected)
        assert not wrong.size, f"{where}: {name} differs on {[texts[line] for line in wrong[:3]]}"


def test_crafted_lines_in_every_order():
    for shift in range(len(CRAFTED)):
        _assert_same_cues(CRAFTED[shift:] + CRAFTED[:shift], f"crafted, shifted by {shift}")


@pytest.mark.parametrize(
    "path", sorted(path for path in SAMPLES.glob("*") if path.suffix in (".html", ".txt")), ids=lambda path: path.name
)
def test_sample_pages(path):
    lines = load_lines(path.read_bytes(), mode="html" if path.suffix == ".html" else "text")
    _assert_same_cues(lines.texts, path.name)


@pytest.mark.parametrize("source", ["fundus", "magic-html"])
def test_labelled_pages_of_many_languages(source):
    folder = SHARED / "datasets" / source / "html"
    if not folder.is_dir():
        pytest.skip(f"../shared/datasets/{source} is not present")
    for path in sorted(folder.glob("*.html.gz"))[:120]:
        _assert_same_cues(
            load_lines(gzip.decompress(path.read_bytes()), mode="html", max_seconds=None).texts, path.name
        )


#: The page-wide patterns the bundled models' columns were computed with (feature versions 9 and 10).
_FORMER_PATTERNS = {
    "terminal_punctuation": re.compile(r"[.!?。！？:;\"'”’)\]]$", re.MULTILINE),
    "ends_with_ellipsis": re.compile(r"(?:\.\.\.|…)[ \t]*$", re.MULTILINE),
    "starts_with_bullet": re.compile(r"^[-*•·▪►»>|][ \t]", re.MULTILINE),
    "has_url": re.compile(r"https?://|www\.|\S@[^\s.@]+\.\w", re.IGNORECASE),
}
_CAPITALISED = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]")
LINE_ENDS = [
    "The end.", "Wait...", "Wait…", "Read more …", "- first item", "-no space", "• bullet", "> quoted", "| cell",
    "Contact: ana@example.org", "mail me at a@b", "HTTPS://EXAMPLE.COM", "see WWW.example.com", "httpſ://odd",
    "«Über» Ärger_Öl ÉCOLE", "ΑΘΗΝΑ Ελλάδα και Σπάρτη", "Москва и Санкт-Петербург", "x", "…", "İstanbul'da",
    "l'Été 2024: A B", "_Underscore Start", "9Lives and 3D", "東京のニュース Tokyo",
]


def _assert_same_line_columns(texts: list[str], where: str) -> None:
    lengths = np.array([len(text) for text in texts])
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined = "\n".join(texts)
    found = text_columns(texts, is_html=True)
    expected = {name: np.minimum(line_counts(pattern, joined, starts), 1.0) if name == "has_url" else
                line_counts(pattern, joined, starts) for name, pattern in _FORMER_PATTERNS.items()}
    expected["capitalised_share"] = line_counts(_CAPITALISED, joined, starts) / np.maximum(found["words"], 1.0)
    for name, values in expected.items():
        wrong = np.flatnonzero(found[name] != values)
        assert not wrong.size, f"{where}: {name} differs on {[texts[line] for line in wrong[:3]]}"


def test_line_end_and_address_columns_match_the_former_page_patterns():
    for shift in range(len(LINE_ENDS)):
        _assert_same_line_columns(LINE_ENDS[shift:] + LINE_ENDS[:shift], f"crafted, shifted by {shift}")
    for path in sorted(path for path in SAMPLES.glob("*") if path.suffix in (".html", ".txt")):
        lines = load_lines(path.read_bytes(), mode="html" if path.suffix == ".html" else "text")
        _assert_same_line_columns(lines.texts, path.name)


def test_every_category_is_prefiltered_and_line_crossing_fragments_are_scanned_apart():
    crossing = {name for name, fragments in TEXT_CUES.items() if any("\\s" in fragment for fragment in fragments)}
    prefilters = {name: cue_prefilter(fragments) for name, fragments in TEXT_CUES.items()}
    assert None not in prefilters.values()
    assert {name for name, prefilter in prefilters.items() if prefilter.spanning is not None} == crossing == {"commerce"}


WORD_TEXTS = [
    "Free shipping, on orders over $50!", "相关文章 列表: 视频・動画", "İstanbul'da ÇOK güzel", "snake_case x2 ٣٤ ½ Ⅻ",
    "ΑΘΗΝΑ Ελλάδα", "한국어 뉴스", "emoji 😀 and\u00a0nbsp", "", " ", "a", "lone \ud800 surrogate", "ﬁne ẞtraße",
]


def test_word_counts_are_the_regular_expressions_matches():
    # Counted on code points, they must equal the patterns' matches that the models were trained on.
    from linesift.evaluation import word_counts as benchmark_word_counts
    from linesift.text_stats import WORD_PATTERN, word_counts

    pages = [WORD_TEXTS[shift:] + WORD_TEXTS[:shift] for shift in range(len(WORD_TEXTS))]
    pages += [load_lines(path.read_bytes(), mode="html" if path.suffix == ".html" else "text").texts
              for path in sorted(SAMPLES.glob("*")) if path.suffix in (".html", ".txt")]
    for texts in pages:
        assert word_counts(texts).tolist() == [len(re.findall(WORD_PATTERN, text)) for text in texts]
        assert word_counts(texts, split_cjk=False).tolist() == [len(re.findall(r"\w+", text)) for text in texts]
        assert benchmark_word_counts(texts).tolist() == [len(re.findall(r"\w+", text.lower())) for text in texts]
