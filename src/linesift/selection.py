"""Kept lines: the last step of the pipeline, from each line's probability to the page's text.

One fixed threshold treats a page the model is sure of and a page it hesitates over alike. The
benchmark scores word F1 page by page, and the cut that maximises a page's *expected* word F1
lies at half that F1: a line raises the expected F1 when its probability exceeds F1 / 2. So each
page gets its own threshold, half the best expected word F1 its probabilities promise, and never
below the model's floor (its ``threshold``, chosen on validation folds). A confident page cuts near
0.5; a page of collection cards or product details, where no line is sure, keeps more of its
likely lines instead of almost none. A model may maximise an expected F-beta instead (its
``beta``, chosen on validation folds with the floor): below 1 it trades recall for precision,
which pays where a model trained on some sources meets pages of others.

The expected F1 of keeping a set ``K`` of lines, with ``w`` a line's words and ``p`` its
probability, is taken as the ratio of expectations ``2 Σ_K w·p / (Σ_K w + Σ_all w·p)``. On the
domain-grouped cross-validation of wcxb-dev this rule scored word F1 0.870 against 0.865 for the
best fixed threshold on HTML, and 0.845 against 0.838 on text, from the same probabilities.

Cuts chosen per page with the answers in hand (the best of 49 thresholds for each page) would
score 0.924 on HTML and 0.905 on text from those probabilities, so the choice of cut matters. A
learned choice was measured and left out: a gradient-boosted regressor predicting each candidate
cut's word F1 (or its gain over this rule) from the page's probability quantiles, the share of
words each cut keeps and its expected F1, in domain-grouped folds over pages, scored 0.865 and
0.869 on HTML against 0.874 for this rule, and 0.842 and 0.841 on text against 0.846. What
separates a good cut from a bad one is not in the shape of the probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from linesift.evaluation import word_counts

#: ``favor=`` presets: the factor each applies to the model's beta, the F-beta whose expected value
#: the page's cut maximises.
FAVOR_BETAS = {"precision": 0.5, "recall": 2.0}
Favor = Literal["precision", "recall"]


def page_threshold(probabilities: np.ndarray, word_counts: np.ndarray, floor: float, *, beta: float = 1.0) -> float:
    """The probability from which a page's lines are kept: half its best expected word F1, at least ``floor``.

    A page the model is sure of cuts near 0.5; an unsure one lower, down to the floor:

    >>> round(page_threshold(np.array([0.95, 0.9, 0.1]), np.array([50.0, 40.0, 30.0]), floor=0.1), 3)
    0.473
    >>> round(page_threshold(np.array([0.3, 0.2, 0.05]), np.array([50.0, 40.0, 30.0]), floor=0.1), 3)
    0.201
    >>> page_threshold(np.array([0.3, 0.05, 0.05]), np.array([5.0, 40.0, 30.0]), floor=0.15)
    0.15

    With ``beta``, the expected F-beta ``(1 + b²) Σ_K w·p / (Σ_K w + b² Σ_all w·p)`` is maximised
    instead, whose cut lies at F-beta / (1 + b²); the floor scales by 2 / (1 + b²) alike. Beta
    0.5 favours precision (a higher cut), 2 recall (a lower one).
    """
    weighted = word_counts * probabilities
    expected_content = weighted.sum()
    scale = 1 + beta * beta
    floor = floor * 2 / scale
    if expected_content <= 0:
        return float(floor)
    order = np.argsort(-probabilities, kind="stable")
    best = np.max(scale * np.cumsum(weighted[order]) / (np.cumsum(word_counts[order]) + beta * beta * expected_content))
    return float(max(floor, best / scale))


@dataclass(frozen=True)
class Decision:
    """Which lines of one page are kept, and the threshold they were kept from."""

    keep: np.ndarray
    threshold: float


def decide(
    probabilities: np.ndarray,
    texts: Sequence[str],
    *,
    floor: float,
    beta: float = 1.0,
    fixed_threshold: float | None = None,
    favor: Favor | None = None,
) -> Decision:
    """The one keep/drop rule: lines at or above the page's threshold are content.

    The threshold is ``fixed_threshold`` when given, else the page's own :func:`page_threshold`
    with ``floor`` and ``beta``, the model's floor and F-beta (both chosen on validation folds);
    ``favor`` multiplies that beta by its :data:`FAVOR_BETAS` preset:

    >>> decision = decide(np.array([0.95, 0.9, 0.1]), ["a b c", "d e", "f"], floor=0.1)
    >>> decision.keep.tolist(), round(decision.threshold, 3)
    ([True, True, False], 0.477)
    >>> decide(np.array([0.95, 0.3]), ["a", "b"], floor=0.1, fixed_threshold=0.2).keep.tolist()
    [True, True]
    >>> [round(decide(np.array([0.95, 0.9, 0.1]), ["a b c", "d e", "f"], floor=0.1, favor=f).threshold, 3)
    ...  for f in ("precision", "recall")]
    [0.752, 0.194]
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if fixed_threshold is not None:
        threshold = float(fixed_threshold)
    else:
        beta = beta if favor is None else beta * FAVOR_BETAS[favor]
        threshold = page_threshold(probabilities, word_counts(texts), floor, beta=beta)
    return Decision(keep=probabilities >= threshold, threshold=threshold)


def kept_lines(probabilities: np.ndarray, texts: Sequence[str], floor: float, beta: float = 1.0) -> np.ndarray:
    """Which lines of one page to keep (booleans), by the page's own :func:`page_threshold`."""
    return decide(probabilities, texts, floor=floor, beta=beta).keep
