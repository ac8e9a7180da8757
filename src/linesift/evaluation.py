"""The WCXB benchmark's word-level metric, so that every score in the project is computed one way.

Texts are compared as bags of lower-cased ``\\w+`` tokens (counts kept); precision, recall and F1
are computed per page and averaged over pages (macro average).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens of ``text``, the unit of the benchmark's metric."""
    return _WORD.findall(text.lower())


def word_counts(texts: Sequence[str]) -> np.ndarray:
    """Words of each line, counted as the benchmark counts them (``\\w+`` tokens)."""
    return np.fromiter((len(words(text)) for text in texts), dtype=np.float64, count=len(texts))


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


def macro_average(scores: Iterable[WordScores]) -> WordScores:
    """Mean precision, recall and F1 over pages (the benchmark's macro average)."""
    scores = list(scores)
    if not scores:
        raise ValueError("macro_average needs at least one page's scores")
    count = len(scores)
    return WordScores(
        sum(s.precision for s in scores) / count,
        sum(s.recall for s in scores) / count,
        sum(s.f1 for s in scores) / count,
    )
