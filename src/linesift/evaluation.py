"""Scores: the WCXB benchmark's word-level metric, so that every score in the project is computed one way.

Texts are compared as bags of lower-cased ``\\w+`` tokens (counts kept); precision, recall and F1
are computed per page and averaged over pages (macro average). :class:`Evaluation` is the one
score type of training, cross-validation and ``linesift evaluate``: one :class:`PageScores` per
scored document, summarized overall or per group.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

import numpy as np

from linesift import text_stats

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens of ``text``, the unit of the benchmark's metric."""
    return _WORD.findall(text.lower())


def word_counts(texts: Sequence[str]) -> np.ndarray:
    """Words of each line, counted as the benchmark counts them (``\\w+`` tokens of the lower-cased text).

    >>> word_counts(["Share this", "İstanbul", ""]).tolist()
    [2.0, 2.0, 0.0]
    """
    return text_stats.word_counts(list(map(str.lower, texts)), split_cjk=False)


@dataclass(frozen=True)
class WordScores:
    """Word-level precision, recall and F1 of one extraction."""

    precision: float
    recall: float
    f1: float


def word_scores(predicted: str, expected: str) -> WordScores:
    """Score ``predicted`` against ``expected`` as bags of words.

    Two empty texts agree perfectly; an empty text against a non-empty one scores zero.

    >>> word_scores("the cat sat", "the cat sat down").recall
    0.75
    """
    predicted_bag = Counter(words(predicted))
    expected_bag = Counter(words(expected))
    if not predicted_bag and not expected_bag:
        return WordScores(1.0, 1.0, 1.0)
    overlap = sum((predicted_bag & expected_bag).values())
    precision = overlap / sum(predicted_bag.values()) if predicted_bag else 0.0
    recall = overlap / sum(expected_bag.values()) if expected_bag else 0.0
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return WordScores(precision, recall, f1)


class _Scored(Protocol):
    @property
    def precision(self) -> float: ...
    @property
    def recall(self) -> float: ...
    @property
    def f1(self) -> float: ...


def macro_average(scores: Iterable[_Scored]) -> WordScores:
    """Mean precision, recall and F1 over pages (the benchmark's macro average).

    >>> macro_average([WordScores(1.0, 0.5, 0.5), WordScores(0.0, 0.5, 0.0)]).f1
    0.25
    """
    scores = list(scores)
    if not scores:
        raise ValueError("macro_average needs at least one page's scores")
    count = len(scores)
    return WordScores(
        sum(s.precision for s in scores) / count,
        sum(s.recall for s in scores) / count,
        sum(s.f1 for s in scores) / count,
    )


@dataclass(frozen=True)
class PageScores:
    """One scored document: its word-level precision, recall and F1 (the WCXB metric) and line accuracy.

    ``source`` is the input it was scored on (``"html"``, ``"text:<renderer>"``); ``lines`` its
    line count; ``dataset`` the labelled set it comes from.
    """

    page_id: str
    lines: int
    line_accuracy: float
    precision: float
    recall: float
    f1: float
    source: str = "html"
    page_type: str = "unknown"
    dataset: str = ""


def page_scores(
    texts: Sequence[str], keep: np.ndarray, labels: np.ndarray, expected: str, **about: str
) -> PageScores:
    """Score the kept lines ``keep`` of one document against its expected content and line labels.

    ``about`` gives the :class:`PageScores` fields that name the document (``page_id``, ``source``,
    ``page_type``, ``dataset``):

    >>> scores = page_scores(["Menu", "The cat sat."], np.array([False, True]), np.array([False, True]),
    ...                      "The cat sat.", page_id="p1")
    >>> scores.f1, scores.line_accuracy
    (1.0, 1.0)
    """
    words = word_scores("\n".join(text for text, kept in zip(texts, keep) if kept), expected)
    accuracy = float(np.mean(np.asarray(keep) == np.asarray(labels))) if len(keep) else 1.0
    return PageScores(lines=len(keep), line_accuracy=accuracy, precision=words.precision, recall=words.recall,
                      f1=words.f1, **about)


@dataclass
class Evaluation:
    """Scores of every document, and their macro averages over documents, overall or per group.

    >>> evaluation = Evaluation([PageScores("a", 3, 1.0, 1.0, 1.0, 1.0), PageScores("b", 2, 0.5, 0.5, 0.5, 0.5)])
    >>> evaluation.summary().f1, evaluation.summary().lines
    (0.75, 5)
    """

    pages: list[PageScores]

    def summary(self, pages: Sequence[PageScores] | None = None) -> PageScores:
        """Macro average over ``pages`` (all of them by default); ``lines`` is the total."""
        pages = self.pages if pages is None else pages
        if not pages:
            raise ValueError("no pages were scored")
        words = macro_average(pages)
        accuracy = float(np.mean([p.line_accuracy for p in pages]))
        return PageScores("all", sum(p.lines for p in pages), accuracy, words.precision, words.recall, words.f1,
                          source="all", page_type="all", dataset="all")

    def groups(self, by: Callable[[PageScores], str]) -> dict[str, PageScores]:
        """Macro averages per group of documents, e.g. ``by=lambda p: p.page_type``, sorted by name."""
        grouped: dict[str, list[PageScores]] = {}
        for page in self.pages:
            grouped.setdefault(by(page), []).append(page)
        return {name: self.summary(pages) for name, pages in sorted(grouped.items())}

    def as_dict(self, *, per_page: bool = True) -> dict[str, object]:
        """Rounded plain numbers for a model card or JSON: overall, per page type, per source, per set, per page."""

        def plain(scores: PageScores) -> dict[str, object]:
            return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(scores).items()
                    if k not in ("page_id", "source", "page_type", "dataset") or v != "all"}

        table: dict[str, object] = {
            "overall": plain(self.summary()),
            "page_type": {name: plain(s) for name, s in self.groups(lambda p: p.page_type).items()},
            "source": {name: plain(s) for name, s in self.groups(lambda p: p.source).items()},
        }
        if len({p.dataset for p in self.pages}) > 1:
            table["dataset"] = {name: plain(s) for name, s in self.groups(lambda p: p.dataset).items()}
        if per_page:
            table["pages"] = [plain(p) for p in self.pages]
        return table
