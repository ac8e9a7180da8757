"""Training: the one path from labelled documents to a model, for the bundled models and for users' sites.

:func:`train` labels the pages (:mod:`linesift.labels`), cross-validates (each document scored
by a model that never saw its domain, or its page on a single site), picks the floor and beta of the
page thresholds that score best on those folds, and fits the final model on every document.
*Adapting* a model to a site needs only the site's pages: the base model's boosting continues on
them (:mod:`linesift.site`), with the number of extra trees that scores best leave one page out.
With the base model's training data at hand, the same path can instead refit the base classifier
on a sample of that data plus the user's pages, which carry a set share of the weight.
``training/train.py`` builds the bundled models with it; ``linesift train`` calls it too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from linesift._defaults import DEFAULT_BASE_PAGES, DEFAULT_USER_SHARE
from linesift._progress import progress_bar
from linesift.datasets import Page, load_wcxb, resolve_data_dir, sample_pages
from linesift.evaluation import Evaluation
from linesift.features import FEATURE_VERSIONS
from linesift.labels import (
    SOURCES,
    LabelledDocument,
    check_mode,
    label_documents,
    load_labelled,
    one_source_per_page,
    stacked_rows,
)
from linesift.model import LineClassifier
from linesift.scoring import best_cut, document_probabilities, score_documents, score_model
from linesift.site import adapt_to_site
from linesift.storage import DEFAULT_FLOOR, LinesiftModel, ModelError, load_model

#: Fits on fewer lines than this use one thread: on a busy 2-core machine, OpenMP threads waiting
#: on each other made 5 pages (250 lines) take 57 s instead of 2.4 s.
THREADED_LINES = 20_000
#: Labelled pages: a folder (see :func:`linesift.labels.load_labelled`), pages with ground truth
#: (labelled by alignment), or documents already labelled.
Data = str | os.PathLike | Sequence[LabelledDocument] | Sequence[Page]


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

    >>> default_classifier("html").markup_words, default_classifier("text").markup_words
    (True, False)
    """
    return LineClassifier(lexical=True, markup_words=check_mode(mode) == "html", n_splits=(2, 5))


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


@dataclass
class Fitting:
    """How :func:`fit_classifier` fits: the settings that :func:`train` passes to every fit.

    ``grouped_by`` (``"domain"`` or ``"page"``) keeps the user's documents of one domain, or of
    one page, in one out-of-fold split of stage one; base documents are always grouped by domain.
    ``word_weights`` weighs lines by :func:`word_share_weights`; without it every line counts
    once. ``user_share`` is the share of the weight the user's documents carry when base
    documents are added; ``every_source`` trains on every source of each page, not
    :func:`one_source_per_page`. ``dataset_weights`` multiplies the weight of every page of a
    labelled set (:attr:`linesift.datasets.Page.dataset`) by its value; sets not named keep 1.
    """

    classifier: LineClassifier
    grouped_by: str = "domain"
    word_weights: bool = True
    user_share: float = DEFAULT_USER_SHARE
    every_source: bool = False
    base: Sequence[LabelledDocument] = field(default=(), repr=False)
    dataset_weights: Mapping[str, float] = field(default_factory=dict)


def fit_classifier(documents: Sequence[LabelledDocument], fitting: Fitting) -> LineClassifier:
    """Fit a fresh copy of ``fitting.classifier`` on ``documents`` plus ``fitting.base``.

    With base documents the user's carry ``user_share`` of the weight, given by copying them
    (frequency weights): a share rather than a fixed weight keeps the user's pages as influential
    whether the base data has 300 pages or 1,300, and whether the user labelled 2 pages or 20.
    Copies only add ``user_share / (1 - user_share)`` more lines, while ``sample_weight`` makes
    scikit-learn bin each feature by weighted percentiles (6.8 s against 0.3 s on 17,000 lines,
    docs/retraining.md), which is why user fits default to ``word_weights=False``.
    """
    user = list(documents) if fitting.every_source else one_source_per_page(documents)
    base = list(fitting.base) if fitting.every_source else one_source_per_page(fitting.base)
    copies = 1
    if base and user:
        base_lines, user_lines = sum(len(d.texts) for d in base), max(sum(len(d.texts) for d in user), 1)
        copies = max(1, round(fitting.user_share / (1.0 - fitting.user_share) * base_lines / user_lines))
    training = [*base, *(user * copies)]
    keys = [f"domain:{d.page.domain}" for d in base] + [_group_key(d, fitting.grouped_by) for d in user] * copies
    sizes = [len(d.texts) for d in training]
    groups = np.unique(np.repeat(np.asarray(keys, dtype=object), sizes), return_inverse=True)[1].reshape(-1)
    rows = len(groups)
    with threadpool_limits(limits=1 if rows < THREADED_LINES else None, user_api="openmp"):
        X, y, context = stacked_rows(training)
        if getattr(fitting.classifier, "page_types", False):
            context["page_types"] = np.repeat([d.page.page_type for d in training], sizes).tolist()
        return clone(fitting.classifier).fit(X, y, groups=groups, sample_weight=_weights(training, fitting), **context)


def _weights(documents: Sequence[LabelledDocument], fitting: Fitting) -> np.ndarray | None:
    """The lines' training weights: word shares (when ``fitting.word_weights``) times their set's weight, mean 1."""
    weights = word_share_weights(documents) if fitting.word_weights else None
    if not fitting.dataset_weights:
        return weights
    scale = np.repeat([fitting.dataset_weights.get(d.page.dataset, 1.0) for d in documents],
                      [len(d.texts) for d in documents])
    weights = scale if weights is None else weights * scale
    return weights / weights.mean() if len(weights) else weights


def _group_key(document: LabelledDocument, grouped_by: str) -> str:
    return f"domain:{document.page.domain}" if grouped_by == "domain" else f"page:{document.page.page_id}"


def fit_classifiers(
    training_sets: Sequence[Sequence[LabelledDocument]], fitting: Fitting, *, n_jobs: int = 1,
    progress: bool = False, description: str = "fits",
) -> list[LineClassifier]:
    """:func:`fit_classifier` on each of ``training_sets``, ``n_jobs`` fits at a time, each in its own process.

    Fits are independent, so the folds of a cross-validation and the final fit can share the cores:
    with ``n_jobs=2``, five folds and the final fit run as three rounds of two fits, not six in a row.
    Each process gets its own copy of its documents: rebuilding the bundled HTML model (1,869 pages),
    the two workers held up to 5.3 GB each beside the main process's 5.5 GB.
    """
    fitted = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(fit_classifier)(documents, fitting)
                                                           for documents in training_sets)
    return list(progress_bar(fitted, description, enabled=progress, unit="fit", total=len(training_sets)))


def fold_splits(documents: Sequence[LabelledDocument], fitting: Fitting, folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, test) indices of ``folds`` folds of ``documents``, grouped as ``fitting.grouped_by``."""
    keys = np.asarray([_group_key(d, fitting.grouped_by) for d in documents], dtype=object)
    return list(GroupKFold(n_splits=folds).split(np.zeros(len(documents)), groups=keys))


def out_of_fold(documents: Sequence[LabelledDocument], splits: Sequence[tuple[np.ndarray, np.ndarray]],
                models: Sequence[LineClassifier]) -> list[np.ndarray]:
    """Each document's line probabilities from the model of the fold that held it out."""
    probabilities: list[np.ndarray] = [np.zeros(0)] * len(documents)
    for (_, test), model in zip(splits, models, strict=True):
        for i in test:
            probabilities[i] = document_probabilities(model, documents[i])
    return probabilities


def cross_validate(
    documents: Sequence[LabelledDocument], fitting: Fitting, *, folds: int, n_jobs: int = 1, progress: bool = False
) -> list[np.ndarray]:
    """Out-of-fold probabilities of every document, in ``folds`` folds grouped as ``fitting.grouped_by``.

    Each document is scored by a model fitted on the other folds' documents (plus the base ones);
    ``n_jobs`` folds are fitted at a time.
    """
    splits = fold_splits(documents, fitting, folds)
    models = fit_classifiers([[documents[i] for i in train] for train, _ in splits], fitting, n_jobs=n_jobs,
                             progress=progress, description="cross-validation folds")
    return out_of_fold(documents, splits, models)


@dataclass
class TrainingResult:
    """A trained model, its cross-validated scores, and the base model's scores when adapting.

    ``documents`` are the labelled documents trained on, and ``probabilities`` their out-of-fold
    probabilities (empty without cross-validation).
    """

    model: LinesiftModel
    cross_validation: Evaluation | None
    base_scores: Evaluation | None = None
    documents: list[LabelledDocument] = field(default_factory=list, repr=False)
    probabilities: list[np.ndarray] = field(default_factory=list, repr=False)


def train(
    data: Data, *, mode: str = "html", content_selector: str | None = None, base: str | None = None,
    base_data: str | os.PathLike[str] | None = None, base_pages: int | None = DEFAULT_BASE_PAGES,
    user_share: float = DEFAULT_USER_SHARE, folds: int | None = None, classifier: LineClassifier | None = None,
    word_weights: bool | None = None, every_source: bool = False, dataset_weights: Mapping[str, float] | None = None,
    trusted: bool = False, n_jobs: int = 1, progress: bool = False, card: dict[str, object] | None = None,
) -> TrainingResult:
    """Train a ``mode`` model on the labelled pages ``data``, or adapt ``base`` to them.

    ``data`` is a folder (:func:`linesift.labels.load_labelled`, with ``content_selector``), pages
    with ground truth, or labelled documents. The model is cross-validated in ``folds`` folds
    (by default 5 alone, none when adapting: each fold is a full refit), grouped by domain when
    the pages span as many domains, else by page; the floor and beta of page thresholds that score
    best on the folds are kept. With ``base`` (``"default"``, a bundled name, or a model file with
    ``trusted=True``) the base model is adapted to the user's pages (:func:`adapt_to_site`; at
    least two pages) and scored leave one page out beside the base model; or, with ``base_data``
    (a WCXB-layout folder of the base model's training data), its classifier is refitted on
    ``base_pages`` pages sampled from it (None or 0: all) plus the user's pages, which carry
    ``user_share`` of the weight. Either keeps the base model's floor and beta. ``word_weights``
    (:func:`word_share_weights`; by default only for pages with ground truth, as the bundled
    models are trained), ``every_source`` and ``dataset_weights`` (pages from several labelled
    sets: each set's weight) are as in :class:`Fitting`. ``card`` adds fields to the model card.
    ``n_jobs`` processes label the pages and fit the folds and the final model side by side.
    """
    check_mode(mode)
    if not 0.0 < user_share < 1.0:
        raise ValueError(f"user_share must be between 0 and 1, not {user_share}")
    base_folder = _base_data_dir(base_data) if base and base_data is not None else None
    aligned = _is_pages(data)
    user = _documents(data, mode=mode, content_selector=content_selector, n_jobs=n_jobs, progress=progress)
    if not user:
        raise ValueError("no labelled pages to train on")
    _check_datasets(dataset_weights or {}, user)
    base_model = load_model(base, mode=mode, trusted=trusted) if base else None
    if base_model is not None and base_folder is None:
        return _adapted(user, base_model, str(base), data, content_selector, mode, card, progress)
    base_documents: list[LabelledDocument] = []
    if base_folder is not None:
        sampled = sample_pages(list(load_wcxb(base_folder)), base_pages)
        base_documents = label_documents(sampled, SOURCES[mode], n_jobs=n_jobs, progress=progress)
    folds = min((0 if base else 5) if folds is None else folds, len({d.page.page_id for d in user}))
    fitting = Fitting(
        classifier=classifier or (base_model.classifier if base_model else default_classifier(mode)),
        grouped_by="domain" if len({d.page.domain for d in user}) >= max(folds, 2) else "page",
        word_weights=aligned and not base if word_weights is None else word_weights,
        user_share=user_share, every_source=every_source, base=base_documents, dataset_weights=dict(dataset_weights or {}),
    )
    splits = fold_splits(user, fitting, folds) if folds >= 2 else []
    *fold_models, fitted = fit_classifiers([*([user[i] for i in train] for train, _ in splits), user], fitting,
                                           n_jobs=n_jobs, progress=progress,
                                           description="cross-validation folds and final fit" if splits else "fitting")
    probabilities = out_of_fold(user, splits, fold_models) if splits else []
    if base_model is not None:
        (floor, beta), floor_from = (base_model.floor, base_model.beta), f"the floor of {base}"
    elif probabilities:
        (floor, beta), floor_from = best_cut(user, probabilities), "the floor and beta that scored best on the validation folds"
    else:
        (floor, beta), floor_from = (DEFAULT_FLOOR, 1.0), "the default floor: not cross-validated"
    cv = score_documents(user, probabilities, floor, beta) if probabilities else None
    before = score_model(base_model, user) if base_model is not None else None
    full_card = _card(user, data, content_selector, fitting, mode, card)
    full_card["floor_from"] = floor_from
    if cv is not None:
        full_card["cross_validation"] = {"folds": folds, "grouped_by": fitting.grouped_by,
                                         **cv.as_dict(per_page=False)}
    if base_model is not None and before is not None:
        full_card["adapted_from"] = {"model": base_model.card.get("name", str(base)),
                                     "training_data": base_model.card.get("training_data"),
                                     "base_pages": len({d.page.page_id for d in base_documents}),
                                     "user_share": user_share, "base_model_on_user_pages": before.as_dict()["overall"]}
    model = LinesiftModel(classifier=fitted, mode=mode, feature_names=user[0].names, feature_version=FEATURE_VERSIONS[mode],
                          card=full_card, floor=floor, beta=beta)
    return TrainingResult(model=model, cross_validation=cv, base_scores=before, documents=user,
                          probabilities=probabilities)


def _adapted(user: list[LabelledDocument], base_model: LinesiftModel, base: str, data: Data, selector: str | None,
             mode: str, card: dict[str, object] | None, progress: bool) -> TrainingResult:
    adaptation = adapt_to_site(user, base_model, progress=progress)
    before = score_model(base_model, one_source_per_page(user))
    fitting = Fitting(classifier=base_model.classifier, grouped_by="page", word_weights=False)
    full_card = _card(user, data, selector, fitting, mode, card)
    full_card["classifier"] = " ".join(repr(adaptation.classifier).split())
    full_card["floor_from"] = f"the floor of {base}"
    full_card["adapted_from"] = {
        "model": base_model.card.get("name", base), "training_data": base_model.card.get("training_data"),
        "method": "boosting continued on these pages, their lines remembered", "extra_trees": adaptation.extra_trees,
        "leave_one_page_out_f1": {str(t): round(e.summary().f1, 4) for t, e in adaptation.tree_scores.items()},
        "leave_one_page_out": adaptation.scores.as_dict()["overall"],
        "base_model_on_user_pages": before.as_dict()["overall"],
    }
    model = LinesiftModel(classifier=adaptation.classifier, mode=mode, feature_names=user[0].names,
                          feature_version=FEATURE_VERSIONS[mode], card=full_card, floor=base_model.floor,
                          beta=base_model.beta)
    return TrainingResult(model=model, cross_validation=adaptation.scores, base_scores=before, documents=user)


def _check_datasets(weights: Mapping[str, float], documents: Sequence[LabelledDocument]) -> None:
    """Refuse page ids that two sets share (folds and scores tell pages by id) and weights of sets not there."""
    first_set: dict[str, str] = {}
    for document in documents:
        page = document.page
        if first_set.setdefault(page.page_id, page.dataset) != page.dataset:
            raise ValueError(f"page id {page.page_id!r} is in both {first_set[page.page_id]} and {page.dataset}: "
                             "give the pages of each set ids of their own")
    known = sorted({d.page.dataset for d in documents})
    unknown = sorted(set(weights) - set(known))
    if unknown:
        raise ValueError(f"dataset weights name {', '.join(unknown)}, which no page comes from; "
                         f"the pages come from: {', '.join(known)}")
    negative = sorted(name for name, weight in weights.items() if not weight > 0)
    if negative:
        raise ValueError(f"dataset weights must be positive; {', '.join(negative)} is not")


def _is_pages(data: Data) -> bool:
    """Whether ``data`` holds ground truth to align with: pages, or a WCXB-layout folder."""
    if isinstance(data, (str, os.PathLike)):
        return (Path(data) / "html").is_dir() and (Path(data) / "ground-truth").is_dir()
    return bool(data) and isinstance(data[0], Page)


def _documents(data: Data, *, mode: str, content_selector: str | None, n_jobs: int,
               progress: bool) -> list[LabelledDocument]:
    if isinstance(data, (str, os.PathLike)):
        return load_labelled(data, mode=mode, content_selector=content_selector, sources=SOURCES[mode],
                             n_jobs=n_jobs, progress=progress)
    if data and isinstance(data[0], Page):
        return label_documents(data, SOURCES[mode], n_jobs=n_jobs, progress=progress)  # type: ignore[arg-type]
    return list(data)  # type: ignore[arg-type]


def _card(user: Sequence[LabelledDocument], data: Data, selector: str | None, fitting: Fitting, mode: str,
          extra: dict[str, object] | None) -> dict[str, object]:
    from linesift import __version__

    labels_from = f"CSS selector {selector!r}" if selector else "ground truth or labelled lines"
    return {
        "classifier": repr(fitting.classifier),
        "linesift_version": __version__,
        "data": {
            "path": str(Path(data).resolve()) if isinstance(data, (str, os.PathLike)) else None,
            "labels_from": labels_from,
            "sources": sorted({d.source for d in user}, key=list(SOURCES[mode]).index),
            "sites": sorted({d.page.domain for d in user}),
            "pages": len({d.page.page_id for d in user}),
            "pages_per_dataset": {name: len({d.page.page_id for d in user if d.page.dataset == name})
                                  for name in sorted({d.page.dataset for d in user})},
            "lines": int(sum(len(d.texts) for d in user)),
            "content_lines": int(sum(d.labels.sum() for d in user)),
        },
        "weights": ("every page weighs the same, shared among its lines by their words "
                    "(`linesift.training.word_share_weights`)" if fitting.word_weights else "every line counts once"),
        "trained_on_every_source": fitting.every_source,
        "dataset_weights": dict(fitting.dataset_weights),
        **(extra or {}),
    }


def _base_data_dir(base_data: str | os.PathLike[str]) -> Path:
    try:
        return resolve_data_dir(base_data)
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f"refitting the base model needs its training data, and {error}. Pass the wcxb-dev folder as "
            "--base-data DIR (Python: base_data=; datasets/README.md says how to download it), or leave it out "
            "to adapt the base model on your pages alone."
        ) from None


def evaluate(
    model: LinesiftModel | str | os.PathLike[str] | None, data: Data, *, mode: str = "html",
    content_selector: str | None = None, trusted: bool = False, n_jobs: int = 1, progress: bool = False,
) -> Evaluation:
    """Score ``model`` on labelled pages: word-level P/R/F1 and line accuracy, per page.

    ``model`` is a :class:`LinesiftModel`, a bundled name, ``"default"`` or a trusted path; None
    is the bundled model for ``mode``. On WCXB folders the line labels come from alignment with the
    ground truth, on the HTML or on its linesift text.
    """
    check_mode(mode)
    if model is None:
        model = "default"
    if not isinstance(model, LinesiftModel):
        model = load_model(model, trusted=trusted, mode=mode)
    elif model.mode != mode:
        raise ModelError(f"the model given was trained for {model.mode!r} input, not {mode!r}: pass mode={model.mode!r}")
    if isinstance(data, (str, os.PathLike)):
        documents = load_labelled(data, mode=model.mode, content_selector=content_selector, n_jobs=n_jobs,
                                  progress=progress)
    else:
        documents = _documents(data, mode=model.mode, content_selector=None, n_jobs=n_jobs, progress=progress)
    return score_model(model, documents)
