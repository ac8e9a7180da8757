"""Turn extracted texts and timings into the numbers reported: accuracy, snippet rates, speed."""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

from loaders import BenchPage

from linesift.evaluation import WordScores, macro_average, word_scores

# Typographic variants that ground truth and extractors spell differently.
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def _as_dict(scores: WordScores) -> dict[str, float]:
    return {"precision": scores.precision, "recall": scores.recall, "f1": scores.f1}


def normalize(text: str) -> str:
    """Text as compared for snippets: NFKC, lower case, straight quotes, plain hyphens, single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_FOLD).lower()).strip()


def _snippet_rate(snippets: Iterable[str], output: str, *, present: bool) -> float:
    """Share of ``snippets`` found in ``output`` (``present``), or absent from it (not ``present``)."""
    snippets = [normalize(s) for s in snippets]
    return sum((s in output) == present for s in snippets) / len(snippets)


def accuracy(pages: list[BenchPage], texts: Mapping[str, str]) -> dict[str, object]:
    """Word P/R/F1 macro-averaged over pages and per page type, and the snippet rates.

    Snippet rates are averaged over the pages that have such snippets (the same macro average as
    the word scores); ``None`` when no page has any (e.g. the simple layout).
    """
    per_page = {page.page_id: word_scores(texts.get(page.page_id, ""), page.expected) for page in pages}
    by_type: dict[str, list[WordScores]] = defaultdict(list)
    for page in pages:
        by_type[page.page_type].append(per_page[page.page_id])
    with_rates, without_rates = [], []
    for page in pages:
        output = normalize(texts.get(page.page_id, ""))
        if page.with_snippets:
            with_rates.append(_snippet_rate(page.with_snippets, output, present=True))
        if page.without_snippets:
            without_rates.append(_snippet_rate(page.without_snippets, output, present=False))
    return {
        "scores": _as_dict(macro_average(per_page.values())),
        "by_page_type": {
            page_type: {"pages": len(scores), **_as_dict(macro_average(scores))}
            for page_type, scores in sorted(by_type.items())
        },
        "snippets": {
            "with_found": statistics.fmean(with_rates) if with_rates else None,
            "with_pages": len(with_rates),
            "without_absent": statistics.fmean(without_rates) if without_rates else None,
            "without_pages": len(without_rates),
        },
    }


def speed(cpu_seconds: list[float], peak_rss_kb: int | None) -> dict[str, float | None]:
    """Pages per CPU-second on one core, median and 95th-percentile ms per page, peak memory."""
    total = sum(cpu_seconds)
    ordered = sorted(cpu_seconds)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1] if ordered else None  # nearest rank
    return {
        "pages_per_second": len(cpu_seconds) / total if total > 0 else None,
        "median_ms": 1000 * statistics.median(ordered) if ordered else None,
        "p95_ms": 1000 * p95 if p95 is not None else None,
        "cpu_seconds": total,
        "peak_rss_mb": peak_rss_kb / 1024 if peak_rss_kb else None,
    }
