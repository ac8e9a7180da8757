"""Scoring models on labelled documents: probabilities, the lines kept, word-level scores, the best cut.

Training cross-validates with these, adapting chooses its trees with them, and the benchmark and
the error report read kept text through :func:`kept_text`, so that every score keeps lines by the
one rule of :func:`linesift.selection.decide`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from linesift.evaluation import Evaluation, macro_average, page_scores
from linesift.labels import LabelledDocument
from linesift.selection import decide
from linesift.storage import DEFAULT_FLOOR, LinesiftModel

#: Candidate floors of the page thresholds (:mod:`linesift.selection`) searched on validation folds.
FLOORS = np.round(np.arange(0.05, 0.81, 0.05), 2)

#: Candidate betas of the pages' expected F-beta (:func:`linesift.selection.page_threshold`):
#: below 1 a page cuts higher, for precision.
BETAS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def document_probabilities(classifier: Any, document: LabelledDocument) -> np.ndarray:
    """Probability of content for each line of one document."""
    if not len(document.texts):
        return np.zeros(0)
    return classifier.predict_proba(
        document.matrix, clusters=document.clusters, texts=document.texts, markup=document.markup
    )[:, 1]


def kept_text(document: LabelledDocument, probabilities: np.ndarray, floor: float, beta: float = 1.0) -> str:
    """The document's kept lines (:func:`linesift.selection.decide` with ``floor`` and ``beta``), one per line."""
    keep = decide(probabilities, document.texts, floor=floor, beta=beta).keep
    return "\n".join(text for text, kept in zip(document.texts, keep) if kept)


def score_documents(
    documents: Sequence[LabelledDocument], probabilities: Sequence[np.ndarray], floor: float, beta: float = 1.0
) -> Evaluation:
    """Score each document as :func:`linesift.selection.decide` keeps its lines: words and line labels."""
    return Evaluation([
        page_scores(d.texts, decide(p, d.texts, floor=floor, beta=beta).keep, d.labels, d.page.main_content,
                    page_id=d.page.page_id, source=d.source, page_type=d.page.page_type,
                    dataset=d.page.dataset)
        for d, p in zip(documents, probabilities)
    ])


def score_model(model: Any, documents: Sequence[LabelledDocument],
                floor: float | None = None) -> Evaluation:
    """Score a model (or a bare classifier, with ``floor``) on labelled documents, by its own floor and beta."""
    classifier = model.classifier if isinstance(model, LinesiftModel) else model
    beta = model.beta if isinstance(model, LinesiftModel) else 1.0
    floor = model.floor if floor is None and isinstance(model, LinesiftModel) else floor
    probabilities = [document_probabilities(classifier, d) for d in documents]
    return score_documents(documents, probabilities, DEFAULT_FLOOR if floor is None else floor, beta)


def best_cut(documents: Sequence[LabelledDocument], probabilities: Sequence[np.ndarray]) -> tuple[float, float]:
    """The candidate floor (:data:`FLOORS`) and beta (:data:`BETAS`) with the best macro word F1 on ``documents``.

    Ties (common on a few easy pages) go to plain F1 (beta 1) and to the floor nearest 0.5, the
    least extreme.
    """

    def f1(cut: tuple[float, float]) -> float:
        return macro_average(score_documents(documents, probabilities, *cut).pages).f1

    cuts = [(float(floor), float(beta)) for beta in BETAS for floor in FLOORS]
    return max(cuts, key=lambda cut: (f1(cut), -abs(cut[1] - 1.0), -abs(cut[0] - 0.5)))
