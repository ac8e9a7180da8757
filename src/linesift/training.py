"""Build training sets from labelled pages, cross-validate by domain, and fit models.

A page becomes one or more *documents*: its HTML (for the HTML model) or a plain-text rendering
(for the text model, one per renderer). Lines are labelled by :func:`linesift.alignment.align`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import GroupKFold

from linesift._input import load_lines
from linesift.alignment import align
from linesift.datasets import Page
from linesift.evaluation import WordScores, macro_average, word_scores
from linesift.features import FEATURE_VERSION, featurize
from linesift.model import LineClassifier
from linesift.renderings import render
from linesift.selection import kept_lines
from linesift.storage import LinesiftModel

#: Renderers whose text trains the text model (see :mod:`linesift.renderings`).
TEXT_RENDERERS = ("linesift", "html-text", "inscriptis")
#: Candidate floors of the page thresholds (:mod:`linesift.selection`) searched on validation folds.
THRESHOLDS = np.round(np.arange(0.05, 0.81, 0.05), 2)


T = TypeVar("T")


def progress_bar(items: Sequence[T], description: str, *, enabled: bool = True, unit: str = "page") -> Iterable[T]:
    """``items`` with a progress bar when ``enabled`` and tqdm (the ``train`` extra) is installed."""
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return items
    return tqdm(items, desc=description, unit=unit)


@dataclass
class LabelledDocument:
    """One document's features, labels and line texts, tagged with its page and input."""

    page: Page
    source: str
    texts: list[str]
    matrix: np.ndarray
    clusters: np.ndarray
    labels: np.ndarray
    names: list[str] = field(repr=False, default_factory=list)
    markup: list[str] = field(repr=False, default_factory=list)


def source_mode(source: str) -> str:
    """The model a ``source`` (``"html"`` or ``"text:<renderer>"``) trains: ``"html"`` or ``"text"``."""
    return "html" if source == "html" else "text"


def document_text(page: Page, source: str) -> tuple[str, str]:
    """The input a page gives for ``source`` and its mode (see :func:`source_mode`)."""
    if source_mode(source) == "html":
        return page.html, "html"
    return render(page.html, source.removeprefix("text:")), "text"


def label_document(page: Page, source: str) -> LabelledDocument:
    """Cut one page's input into lines, featurize them and label them against the ground truth."""
    document, mode = document_text(page, source)
    lines = load_lines(document, mode=mode)  # type: ignore[arg-type]
    features = featurize(lines)
    return LabelledDocument(
        page=page,
        source=source,
        texts=lines.texts,
        matrix=features.matrix,
        clusters=features.clusters,
        labels=align(lines.texts, page.main_content),
        names=features.names,
        markup=features.markup,
    )


def label_documents(
    pages: Sequence[Page], sources: Sequence[str], *, n_jobs: int = 1, progress: bool = False
) -> list[LabelledDocument]:
    """:func:`label_document` for every page and source, in parallel when ``n_jobs > 1``."""
    tasks = [(page, source) for page in pages for source in sources]
    iterator = progress_bar(tasks, "labelling lines", enabled=progress, unit="doc")
    return list(Parallel(n_jobs=n_jobs, batch_size=8)(delayed(label_document)(page, source) for page, source in iterator))


@dataclass
class Rows:
    """The lines of many documents stacked: the arguments of :meth:`LineClassifier.fit`."""

    matrix: np.ndarray
    labels: np.ndarray
    doc_ids: np.ndarray
    clusters: np.ndarray
    texts: list[str]
    markup: list[str]


def stack(documents: Sequence[LabelledDocument]) -> Rows:
    """Rows of all documents: features, labels, document ids, template clusters, line texts and markup."""
    return Rows(
        matrix=np.vstack([d.matrix for d in documents]),
        labels=np.concatenate([d.labels for d in documents]).astype(np.int64),
        doc_ids=np.concatenate([np.full(len(d.texts), i) for i, d in enumerate(documents)]),
        clusters=np.concatenate([d.clusters for d in documents]),
        texts=[text for d in documents for text in d.texts],
        markup=[tokens for d in documents for tokens in d.markup],
    )


def default_classifier(mode: str) -> LineClassifier:
    """The classifier of the bundled ``mode`` model.

    Both score each line's words and those of its nearest headings (:mod:`linesift.lexical`).
    Domain-grouped cross-validation on wcxb-dev gained 0.011 word F1 with the line's words on text
    and 0.0004 on HTML; with the heading columns too, HTML gained 0.0034 (0.8732 against 0.8698)
    and text 0.0014 (0.8460 against 0.8446). The HTML model also scores each line's class and id
    tokens: 0.8744 against 0.8732.

    Each context stage averages two boosters, trained on 2-fold and on 5-fold out-of-fold
    probabilities (:class:`~linesift.model.BoosterBag`): text 0.8477 against 0.8460, HTML 0.8756
    against 0.8744.
    """
    return LineClassifier(lexical=True, markup_words=mode == "html", n_splits=(2, 5))


def word_share_weights(documents: Sequence[LabelledDocument]) -> np.ndarray:
    """One training weight per line: every document weighs the same, shared among its lines by words.

    This is the benchmark's own weighting (word F1 averaged over pages), so the loss no longer
    favours long pages and short link lines. Domain-grouped cross-validation on wcxb-dev gained
    0.0025 word F1 on HTML (collections +0.015, products +0.025) and 0.001 on text. Weighting each
    word by one over its page's content words instead (at least 20), as word F1 itself weighs an
    error, lost in the same cross-validation: 0.869 against 0.874 on HTML, 0.831 against 0.846 on
    text, as pages with little content came to dominate the loss. Weights are scaled to a mean of 1,
    so that the boosters' regularization keeps its meaning.
    """
    shares = []
    for document in documents:
        words = np.asarray([max(len(text.split()), 1) for text in document.texts], dtype=float)
        shares.append(words / words.sum() if len(words) else words)
    weights = np.concatenate(shares)
    return weights / weights.mean() if len(weights) else weights


def fit_classifier(
    documents: Sequence[LabelledDocument],
    *,
    classifier: LineClassifier | None = None,
) -> LineClassifier:
    """Fit a fresh copy of ``classifier`` (by default :func:`default_classifier` of the documents' mode)
    on ``documents``, lines weighted by :func:`word_share_weights`; stage-one folds are grouped by domain."""
    from sklearn.base import clone

    model = clone(classifier) if classifier is not None else default_classifier(source_mode(documents[0].source))
    rows = stack(documents)
    domains = np.concatenate([np.full(len(d.texts), d.page.domain, dtype=object) for d in documents])
    domain_ids = np.unique(domains, return_inverse=True)[1].reshape(-1)
    return model.fit(
        rows.matrix, rows.labels, doc_ids=rows.doc_ids, clusters=rows.clusters, groups=domain_ids,
        texts=rows.texts, markup=rows.markup, sample_weight=word_share_weights(documents),
    )


def document_probabilities(classifier: LineClassifier, document: LabelledDocument) -> np.ndarray:
    """Probability of content for each line of one document."""
    if not len(document.texts):
        return np.zeros(0)
    return classifier.predict_proba(
        document.matrix, clusters=document.clusters, texts=document.texts, markup=document.markup
    )[:, 1]


def kept_text(document: LabelledDocument, probabilities: np.ndarray, threshold: float) -> str:
    """The document's kept lines (:func:`linesift.selection.kept_lines`, floor ``threshold``), one per line."""
    keep = kept_lines(probabilities, document.texts, threshold)
    return "\n".join(text for text, kept in zip(document.texts, keep) if kept)


def scores_at(
    documents: Sequence[LabelledDocument], probabilities: Sequence[np.ndarray], threshold: float
) -> list[WordScores]:
    """Word-level scores of each document, lines kept as :func:`kept_text` keeps them."""
    return [word_scores(kept_text(d, p, threshold), d.page.main_content) for d, p in zip(documents, probabilities)]


@dataclass
class CrossValidation:
    """Out-of-fold probabilities for every document, and the floor of page thresholds that scores best on them."""

    documents: list[LabelledDocument]
    probabilities: list[np.ndarray]
    threshold: float

    def scores(self, threshold: float | None = None) -> list[WordScores]:
        """Word-level scores of every document at ``threshold`` (the chosen one by default)."""
        return scores_at(self.documents, self.probabilities, self.threshold if threshold is None else threshold)

    def summary(self, by: Callable[[LabelledDocument], str]) -> dict[str, WordScores]:
        """Macro-averaged scores per group of documents (e.g. per source or per page type)."""
        groups: dict[str, list[WordScores]] = {}
        for document, score in zip(self.documents, self.scores()):
            groups.setdefault(by(document), []).append(score)
        return {name: macro_average(values) for name, values in sorted(groups.items())}


def one_source_per_page(documents: Sequence[LabelledDocument]) -> list[LabelledDocument]:
    """Keep one source of each page, taking the sources in turn from page to page.

    Three renderings of one page teach the model little more than one, at three times the
    training cost (``train.py --every-source``: text word F1 0.8468 against 0.8460 in domain-grouped
    cross-validation on wcxb-dev); in turn, every renderer still supplies a third of the pages.
    """
    sources = sorted({d.source for d in documents})
    pages = {page_id: rank for rank, page_id in enumerate(dict.fromkeys(d.page.page_id for d in documents))}
    return [d for d in documents if sources.index(d.source) == pages[d.page.page_id] % len(sources)]


def cross_validate(
    documents: Sequence[LabelledDocument],
    *,
    classifier: LineClassifier | None = None,
    n_splits: int = 5,
    every_source: bool = False,
    progress: bool = False,
) -> CrossValidation:
    """Domain-grouped K-fold: each document is scored by a model that saw no page of its domain.

    Every document is scored; models train on the other folds' documents, all of them with
    ``every_source``, else :func:`one_source_per_page`.
    """
    select = list if every_source else one_source_per_page
    domains = np.asarray([d.page.domain for d in documents], dtype=object)
    probabilities: list[np.ndarray] = [np.zeros(0)] * len(documents)
    folds = list(GroupKFold(n_splits=n_splits).split(np.zeros(len(documents)), groups=domains))
    for train, test in progress_bar(folds, "cross-validation folds", enabled=progress, unit="fold"):
        model = fit_classifier(select([documents[i] for i in train]), classifier=classifier)
        for i in test:
            probabilities[i] = document_probabilities(model, documents[i])
    return CrossValidation(list(documents), probabilities, threshold=best_threshold(documents, probabilities))


def best_threshold(documents: Sequence[LabelledDocument], probabilities: Sequence[np.ndarray]) -> float:
    """The candidate floor (:data:`THRESHOLDS`) with the best macro word F1 on ``documents``.

    Ties (common on a few easy pages) go to the threshold nearest 0.5, the least extreme.
    """

    def f1(threshold: float) -> float:
        return macro_average(scores_at(documents, probabilities, threshold)).f1

    return float(max(THRESHOLDS, key=lambda t: (f1(float(t)), -abs(t - 0.5))))


def build_model(
    documents: Sequence[LabelledDocument],
    mode: str,
    *,
    threshold: float,
    classifier: LineClassifier | None = None,
    every_source: bool = False,
    card: dict[str, object] | None = None,
) -> LinesiftModel:
    """Fit on ``documents`` (see :func:`cross_validate` for ``every_source``); add mode, threshold and card."""
    fitted = fit_classifier(list(documents) if every_source else one_source_per_page(documents), classifier=classifier)
    fitted.set_params(threshold=threshold)
    return LinesiftModel(
        classifier=fitted,
        mode=mode,
        feature_names=documents[0].names,
        feature_version=FEATURE_VERSION,
        card=dict(card or {}),
    )


#: Sources (inputs made from each page) that train each mode's model.
SOURCES = {"html": ("html",), "text": tuple(f"text:{renderer}" for renderer in TEXT_RENDERERS)}


def scores_table(cv: CrossValidation) -> dict[str, dict[str, dict[str, float]]]:
    """Cross-validated word-level scores overall, per page type and per source, as plain numbers."""

    def plain(groups: dict[str, WordScores]) -> dict[str, dict[str, float]]:
        return {
            name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
            for name, s in groups.items()
        }

    return {
        "overall": plain(cv.summary(lambda d: "all")),
        "page_type": plain(cv.summary(lambda d: d.page.page_type)),
        "source": plain(cv.summary(lambda d: d.source)),
    }


def train(
    pages: Sequence[Page],
    mode: str,
    *,
    classifier: LineClassifier | None = None,
    n_splits: int = 5,
    n_jobs: int = 1,
    every_source: bool = False,
    progress: bool = False,
    card: dict[str, object] | None = None,
) -> tuple[LinesiftModel, CrossValidation]:
    """Cross-validate by domain on ``pages``, then fit the final ``mode`` model with the best threshold."""
    if mode not in SOURCES:
        raise ValueError(f"mode must be one of {', '.join(SOURCES)}, not {mode!r}")
    documents = label_documents(pages, SOURCES[mode], n_jobs=n_jobs, progress=progress)
    domains = {page.domain for page in pages}
    cv = cross_validate(
        documents, classifier=classifier, n_splits=min(n_splits, len(domains)), every_source=every_source, progress=progress
    )
    full_card = {
        **(card or {}),
        "sources": list(SOURCES[mode]),
        "pages": len(pages),
        "domains": len(domains),
        "lines": int(sum(len(d.texts) for d in documents)),
        "cross_validation": {"folds": min(n_splits, len(domains)), "grouped_by": "domain", **scores_table(cv)},
    }
    full_card["trained_on_every_source"] = every_source
    model = build_model(documents, mode, threshold=cv.threshold, classifier=classifier, every_source=every_source, card=full_card)
    return model, cv
