"""Retrain on a new site: turn a person's labels into line labels, train or adapt a model, score it.

Three ways to say what is content, each turned into one label per line by :func:`load_labelled`:

* a WCXB-layout folder (``html/``, ``ground-truth/``): lines are labelled by alignment;
* labelled-lines files ``NAME.tsv`` (what ``linesift label`` writes, corrected by hand), read
  together with the page ``NAME.html`` (or ``.htm``, ``.txt``) beside them;
* HTML pages plus a CSS selector for the content: lines inside selected elements are content.

:func:`train` fits on the user's pages alone, or *adapts* a base model: refits its classifier on
a sample of the base training data plus the user's pages, which carry a larger share of the weight.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO, Union

import numpy as np
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from linesift._input import Document, InputMode, decode, load_lines, looks_like_html
from linesift.api import Extractor, default_extractor
from linesift.datasets import Page, load_wcxb, resolve_data_dir
from linesift.evaluation import WordScores, macro_average, word_scores
from linesift.features import FEATURE_VERSION, featurize
from linesift.lines import Lines, text_lines
from linesift.model import LineClassifier
from linesift.selection import kept_lines
from linesift.storage import BUNDLED_MODELS, LinesiftModel, load_model
from linesift.training import (
    SOURCES, LabelledDocument, best_threshold, default_classifier, document_probabilities, kept_text, label_documents,
    progress_bar, stack,
)

logger = logging.getLogger(__name__)

#: Share of the training weight that the user's pages carry when adapting (the base data has the rest).
DEFAULT_USER_SHARE = 0.2
#: Base pages sampled to adapt on (a 1-minute refit on 2 cores); all 1,358 wcxb-dev pages have 4.2 times the lines.
DEFAULT_BASE_PAGES = 300
#: Fits on fewer lines than this use one thread (see :func:`fit_documents`).
THREADED_LINES = 20_000
#: ``linesift label`` marks lines whose probability is this close to the page's threshold with ``?``.
REVIEW_MARGIN = 0.2
#: Suffixes of the page a labelled-lines file ``NAME.tsv`` is read with, in order of preference.
PAGE_SUFFIXES = (".html", ".htm", ".txt")
_SELECTED = "linesiftselected"
_LABELS = {"content": True, "boilerplate": False}
_PROBABILITY = re.compile(r"^[01](?:\.\d*)?\??$")
_HEADER_MODE = re.compile(r"\bmode=(html|text)\b")
#: Labelled pages: a folder (see :func:`load_labelled`) or documents already labelled.
Data = Union[str, os.PathLike, Sequence[LabelledDocument]]


@dataclass(frozen=True)
class PageScores:
    """One page's word-level precision, recall and F1 (the WCXB metric) and line-level accuracy."""

    page_id: str
    lines: int
    line_accuracy: float
    precision: float
    recall: float
    f1: float


@dataclass
class Evaluation:
    """Scores of every page, and their macro average over pages."""

    pages: list[PageScores]

    def summary(self) -> PageScores:
        """Macro average over pages (``lines`` is the total)."""
        if not self.pages:
            raise ValueError("no pages were scored")
        words = macro_average(WordScores(p.precision, p.recall, p.f1) for p in self.pages)
        accuracy = float(np.mean([p.line_accuracy for p in self.pages]))
        return PageScores("all", sum(p.lines for p in self.pages), accuracy, words.precision, words.recall, words.f1)

    def as_dict(self) -> dict[str, object]:
        """Rounded plain numbers, overall and per page, for a model card or JSON."""
        def plain(scores: PageScores) -> dict[str, object]:
            return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(scores).items()}

        return {"overall": plain(self.summary()), "pages": [plain(p) for p in self.pages]}


@dataclass
class TrainingResult:
    """A trained model, its cross-validated scores on the user's pages, and the base model's there."""

    model: LinesiftModel
    cross_validation: Evaluation | None
    base_scores: Evaluation | None = None


def selector_lines(html: str, selector: str) -> tuple[Lines, np.ndarray]:
    """The lines of an HTML page and, for each, whether it lies inside an element ``selector`` matches.

    lxml matches CSS only with the extra ``cssselect`` package, so the selector is matched with
    BeautifulSoup, whose ``select`` (soupsieve) comes with linesift's dependencies. Matched elements
    get a marker class; the page is serialized and cut into lines as usual, and a line is content
    when the marker is among the class tokens of the elements around it. The marker is then removed
    and the page cut again for the features. Select block elements (``article .body``, ``h1``): a
    line is as wide as its block, so an inline element selected inside a paragraph marks nothing.
    Going through BeautifulSoup changes no line: on 300 wcxb-dev pages the feature matrices were
    identical to those of the original HTML.
    """
    from bs4 import BeautifulSoup
    from soupsieve import SelectorSyntaxError

    soup = BeautifulSoup(html, "lxml")
    try:
        selected = soup.select(selector)
    except SelectorSyntaxError as error:
        raise ValueError(f"invalid CSS selector {selector!r}: {error}") from None
    classes = [element.get("class") for element in selected]
    for element, original in zip(selected, classes):
        element["class"] = [*(original or []), _SELECTED]
    marked = load_lines(str(soup), mode="html")
    for element, original in zip(selected, classes):
        if original is None:
            del element["class"]
        else:
            element["class"] = original
    labels = np.fromiter((_SELECTED in tokens for tokens in marked.class_tokens), dtype=bool, count=len(marked))
    return load_lines(str(soup), mode="html"), labels


def write_labels(
    document: Document, out: TextIO, *, extractor: Extractor | None = None, mode: InputMode = "auto",
    margin: float = REVIEW_MARGIN,
) -> int:
    """Write each line's predicted label, probability and text as TSV, for a person to correct.

    A ``?`` after the probability marks the least confident lines (within ``margin`` of the
    page's threshold): check those first. Returns how many lines are marked.
    """
    extractor = extractor or default_extractor()
    text = decode(bytes(document)) if isinstance(document, (bytes, bytearray)) else str(document)
    resolved = ("html" if looks_like_html(text) else "text") if mode == "auto" else mode
    lines = extractor.classify(text, mode=resolved)
    threshold = extractor.page_threshold(
        np.array([line.probability for line in lines]), [line.text for line in lines], mode=resolved
    )
    out.write(f"# linesift labels mode={resolved} threshold={threshold:.2f}\n# Correct the first column (content or "
              "boilerplate); keep every line, in order. '?' marks doubtful ones.\nlabel\tprobability\ttext\n")
    marked = 0
    for line in lines:
        doubtful = abs(line.probability - threshold) < margin
        marked += doubtful
        out.write(f"{line.label}\t{line.probability:.3f}{'?' if doubtful else ''}\t{line.text}\n")
    return marked


def read_labels(path: str | os.PathLike[str]) -> tuple[list[str], np.ndarray, str | None]:
    """Texts, labels and input mode (when the header records it) of a labelled-lines file.

    Rows are ``label<TAB>text`` or ``label<TAB>probability<TAB>text``, a label being ``content``
    or ``boilerplate``; ``#`` lines and the ``label`` header are skipped.
    """
    texts: list[str] = []
    labels: list[bool] = []
    mode = None
    for number, row in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if row.startswith("#"):
            found = _HEADER_MODE.search(row)
            mode = mode or (found.group(1) if found else None)
            continue
        if not row.strip() or row.startswith("label\t"):
            continue
        parts = row.split("\t", 2)
        label = parts[0].strip().lower()
        if label not in _LABELS or len(parts) < 2:
            raise ValueError(f"{path}:{number}: expected 'content' or 'boilerplate', a tab, the line: {row[:60]!r}")
        text = parts[2] if len(parts) == 3 and _PROBABILITY.match(parts[1].strip()) else row.split("\t", 1)[1]
        texts.append(text.strip())
        labels.append(_LABELS[label])
    return texts, np.asarray(labels, dtype=bool), mode


def labelled_document(lines: Lines, labels: np.ndarray, *, page_id: str, site: str, mode: str) -> LabelledDocument:
    """Featurize a page's lines for the ``mode`` model and attach the given labels.

    HTML lines become linesift's plain-text rendering for the text model (same lines, same labels).
    The page's expected content, for word-level scores, is its content lines.
    """
    if mode == "text" and lines.is_html:
        lines = text_lines("\n".join(lines.texts))
    if mode == "html" and not lines.is_html:
        raise ValueError(f"{page_id}: the html model learns from HTML pages; this one is plain text (use mode='text')")
    if len(labels) != len(lines):
        raise ValueError(f"{page_id}: {len(labels)} labels for {len(lines)} lines")
    features = featurize(lines)
    content = "\n".join(text for text, label in zip(lines.texts, labels) if label)
    page = Page(page_id=page_id, html="", main_content=content, page_type="unknown", domain=site)
    return LabelledDocument(page=page, source="html" if lines.is_html else "text:linesift", texts=lines.texts,
                            matrix=features.matrix, clusters=features.clusters, labels=np.asarray(labels, dtype=bool),
                            names=features.names, markup=features.markup)


def _from_labels_file(path: Path, *, site: str, mode: str) -> LabelledDocument:
    """A labelled-lines file read with its page; without a page beside it, its lines are plain text."""
    texts, labels, recorded_mode = read_labels(path)
    page = next((path.with_suffix(s) for s in PAGE_SUFFIXES if path.with_suffix(s).exists()), None)
    if page is None:
        return labelled_document(text_lines("\n".join(texts)), labels, page_id=path.stem, site=site, mode=mode)
    lines = load_lines(page.read_bytes(), mode=recorded_mode or "auto")  # type: ignore[arg-type]
    differs = [i for i, (a, b) in enumerate(zip(lines.texts, texts)) if a != b][:1]
    if differs or len(texts) != len(lines):
        number = differs[0] + 1 if differs else min(len(texts), len(lines)) + 1
        raise ValueError(f"{path}: labelled line {number} does not match line {number} of {page.name}; keep every "
                         "line of the page, in order, and edit only the labels (or rerun `linesift label`)")
    return labelled_document(lines, labels, page_id=path.stem, site=site, mode=mode)


def load_labelled(
    data: str | os.PathLike[str], *, mode: str = "html", content_selector: str | None = None,
    sources: Sequence[str] | None = None, n_jobs: int = 1, progress: bool = False,
) -> list[LabelledDocument]:
    """Label the lines of every page in the folder ``data``, however its content was given.

    With ``content_selector``: the folder's ``*.html``/``*.htm`` pages, labelled by the selector.
    Else a WCXB-layout folder, aligned with its ground truth (``sources``: the inputs made of each
    page, by default its HTML or its linesift text). Else the folder's ``*.tsv`` labelled-lines
    files. Pages not in WCXB layout get the folder's name as their domain.
    """
    folder = Path(data)
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder at {str(folder)!r}")
    site = folder.resolve().name
    if content_selector:
        pages = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".html", ".htm"))
        documents = []
        for path in progress_bar(pages, "labelling pages", enabled=progress):
            lines, labels = selector_lines(decode(path.read_bytes()), content_selector)
            if not labels.any():
                logger.warning("%s: the selector %r matches no line", path.name, content_selector)
            documents.append(labelled_document(lines, labels, page_id=path.stem, site=site, mode=mode))
        if not any(d.labels.any() for d in documents):
            raise ValueError(f"the content selector {content_selector!r} matches no line of any .html page in {folder}")
        return documents
    if (folder / "html").is_dir() and (folder / "ground-truth").is_dir():
        chosen = sources or (("html",) if mode == "html" else ("text:linesift",))
        return label_documents(list(load_wcxb(folder)), chosen, n_jobs=n_jobs, progress=progress)
    files = sorted(folder.glob("*.tsv"))
    if not files:
        raise FileNotFoundError(f"{folder} holds no labels: give a WCXB-layout folder, labelled-lines files (NAME.tsv"
                                " beside NAME.html, from `linesift label`), or HTML pages and a content selector")
    return [_from_labels_file(path, site=site, mode=mode) for path in progress_bar(files, "reading labels", enabled=progress)]


def fit_documents(
    classifier: LineClassifier, base: Sequence[LabelledDocument], user: Sequence[LabelledDocument],
    user_share: float = DEFAULT_USER_SHARE,
) -> LineClassifier:
    """Fit a fresh copy on ``base`` and ``user`` documents, the user's lines carrying ``user_share`` of the weight.

    A share rather than a fixed weight keeps the user's pages as influential whether the base data
    has 300 pages or 1,300, and whether the user labelled 2 pages or 20. The weight is given by
    copying the user's documents (frequency weights): with ``sample_weight`` scikit-learn 1.9 bins
    each feature by 254 weighted percentiles, which took 15 s per booster on 5,000 lines, while
    copies only add ``user_share / (1 - user_share)`` more lines. For the same reason lines are not
    weighted by their share of the page's words, as :func:`linesift.training.fit_classifier` does
    for the bundled models (a gain of 0.0025 word F1 there). Stage one's folds keep a base
    domain together but split the user's site by page (copies stay together): when the model is
    used, the site's pages have been seen and only the page itself is new.
    """
    copies = 1
    if base and user:
        base_lines, user_lines = sum(len(d.texts) for d in base), max(sum(len(d.texts) for d in user), 1)
        copies = max(1, round(user_share / (1.0 - user_share) * base_lines / user_lines))
    documents = [*base, *(list(user) * copies)]
    rows = stack(documents)
    keys = [f"domain:{d.page.domain}" for d in base] + [f"page:{d.page.page_id}" for d in user] * copies
    sizes = [len(d.texts) for d in documents]
    groups = np.unique(np.repeat(np.asarray(keys, dtype=object), sizes), return_inverse=True)[1].reshape(-1)
    # Small fits run on one thread: on a busy 2-core machine, OpenMP threads waiting on each other
    # made 5 pages (250 lines) take 57 s instead of 2.4 s.
    with threadpool_limits(limits=1 if len(rows.matrix) < THREADED_LINES else None, user_api="openmp"):
        return clone(classifier).fit(rows.matrix, rows.labels, doc_ids=rows.doc_ids, clusters=rows.clusters,
                                     groups=groups, texts=rows.texts, markup=rows.markup)


def score_documents(classifier: LineClassifier, documents: Sequence[LabelledDocument], threshold: float) -> Evaluation:
    """Score each document: kept words against its expected content, kept lines against its labels."""
    return Evaluation([_page_scores(d, document_probabilities(classifier, d), threshold) for d in documents])


def _page_scores(document: LabelledDocument, probabilities: np.ndarray, threshold: float) -> PageScores:
    words = word_scores(kept_text(document, probabilities, threshold), document.page.main_content)
    kept = kept_lines(probabilities, document.texts, threshold)
    accuracy = float(np.mean(kept == document.labels)) if len(kept) else 1.0
    name = document.page.page_id
    if document.source not in ("html", "text:linesift"):
        name += f":{document.source}"
    return PageScores(name, len(kept), accuracy, words.precision, words.recall, words.f1)


def sample_pages(pages: Sequence[Page], count: int | None, random_state: int = 0) -> list[Page]:
    """A seeded sample of ``count`` pages, in their original order (all of them for None or 0)."""
    if not count or count >= len(pages):
        return list(pages)
    chosen = np.random.RandomState(random_state).choice(len(pages), size=count, replace=False)
    return [pages[i] for i in sorted(chosen)]


def train(
    data: Data, *, mode: str = "html", content_selector: str | None = None, base: str | None = None,
    base_data: str | os.PathLike[str] | None = None, base_pages: int | None = DEFAULT_BASE_PAGES,
    user_share: float = DEFAULT_USER_SHARE, folds: int | None = None, classifier: LineClassifier | None = None,
    trusted: bool = False, n_jobs: int = 1, progress: bool = False,
) -> TrainingResult:
    """Train a ``mode`` model on the labelled pages in ``data``, or adapt ``base`` to them.

    Without ``base`` the model learns from the user's pages alone (seconds for a few pages), with
    the threshold that scores best on the cross-validation folds. With ``base`` (``"default"``, a
    bundled model's name, or a model file with ``trusted=True``) its classifier is refitted on
    ``base_pages`` pages sampled from ``base_data`` (a WCXB-layout folder, ``$LINESIFT_DATA`` by
    default; None or 0: all) plus the user's pages, which carry ``user_share`` of the weight; it
    keeps the base model's threshold, and the base model is scored on the user's pages to compare.
    The model is cross-validated on the user's pages in ``folds`` folds, each page scored by a
    model that never saw it: by default 5 alone, none when adapting (each fold is a full refit).
    """
    if not 0.0 < user_share < 1.0:
        raise ValueError(f"user_share must be between 0 and 1, not {user_share}")
    base_folder = _base_data_dir(base_data) if base else None
    user = _documents(data, mode=mode, content_selector=content_selector, sources=SOURCES[mode], n_jobs=n_jobs,
                      progress=progress)
    if not user:
        raise ValueError("no labelled pages to train on")
    base_model = _base_model(base, mode, trusted) if base else None
    estimator = classifier or (base_model.classifier if base_model else default_classifier(mode))
    base_documents: list[LabelledDocument] = []
    if base_folder is not None:
        base_documents = label_documents(sample_pages(list(load_wcxb(base_folder)), base_pages), SOURCES[mode],
                                         n_jobs=n_jobs, progress=progress)
    folds = min((0 if base else 5) if folds is None else folds, len({d.page.page_id for d in user}))
    # Folds split the pages of one site, but keep a domain together when the pages span enough domains.
    grouped_by = "domain" if len({d.page.domain for d in user}) >= max(folds, 2) else "page"
    keys = [d.page.domain if grouped_by == "domain" else d.page.page_id for d in user]
    order = {key: index for index, key in enumerate(dict.fromkeys(keys))}
    fold_of = np.asarray([order[key] % max(folds, 1) for key in keys])
    probabilities: list[np.ndarray] = [np.zeros(0)] * len(user)
    fitted = estimator
    # One task per cross-validation fold, then None: the final fit on every page.
    for fold in progress_bar([*range(folds if folds >= 2 else 0), None], "fitting models", enabled=progress, unit="fit"):
        if fold is None:
            fitted = fit_documents(estimator, base_documents, user, user_share)
            continue
        model = fit_documents(estimator, base_documents, [d for d, f in zip(user, fold_of) if f != fold], user_share)
        for index in np.flatnonzero(fold_of == fold):
            probabilities[index] = document_probabilities(model, user[index])
    if base_model is not None:
        threshold = base_model.threshold
    else:
        threshold = best_threshold(user, probabilities) if folds >= 2 else float(estimator.threshold)
    fitted.set_params(threshold=threshold)
    cv = Evaluation([_page_scores(d, p, threshold) for d, p in zip(user, probabilities)]) if folds >= 2 else None
    card: dict[str, object] = {"classifier": repr(estimator), "user_data": _describe(user, data, content_selector)}
    if cv is not None:
        card["cross_validation"] = {"folds": folds, "grouped_by": grouped_by, **cv.as_dict()}
    before = None
    if base_model is not None:
        before = score_documents(base_model.classifier, user, base_model.threshold)
        card["adapted_from"] = {"model": base_model.card.get("name", str(base)),
                                "training_data": base_model.card.get("training_data"),
                                "base_pages": len({d.page.page_id for d in base_documents}), "user_share": user_share,
                                "base_model_on_user_pages": before.as_dict()["overall"]}
    model = LinesiftModel(classifier=fitted, mode=mode, feature_names=user[0].names, feature_version=FEATURE_VERSION,
                          card=card)
    return TrainingResult(model=model, cross_validation=cv, base_scores=before)


def _documents(data: Data, **options: object) -> list[LabelledDocument]:
    if isinstance(data, Sequence) and not isinstance(data, str):
        return list(data)
    return load_labelled(data, **options)  # type: ignore[arg-type]


def _describe(user: Sequence[LabelledDocument], data: Data, selector: str | None) -> dict[str, object]:
    from linesift import __version__

    return {
        "path": str(Path(data).resolve()) if isinstance(data, (str, os.PathLike)) else None,
        "labels_from": f"CSS selector {selector!r}" if selector else "ground truth or labelled lines",
        "sites": sorted({d.page.domain for d in user}),
        "pages": len({d.page.page_id for d in user}),
        "lines": int(sum(len(d.texts) for d in user)),
        "content_lines": int(sum(d.labels.sum() for d in user)),
        "linesift_version": __version__,
    }


def _base_model(base: str, mode: str, trusted: bool) -> LinesiftModel:
    model = load_model(BUNDLED_MODELS[mode] if base == "default" else base, trusted=trusted)
    if model.mode != mode:
        raise ValueError(f"the base model {base!r} was trained for {model.mode!r} input, not {mode!r}")
    return model


def _base_data_dir(base_data: str | os.PathLike[str] | None) -> Path:
    try:
        return resolve_data_dir(base_data)
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f"adapting a model refits it on its training data plus your pages, and that data was not found ({error}). "
            "Pass --base-data DIR (Python: base_data=) or set LINESIFT_DATA to the wcxb-dev folder "
            "(datasets/README.md says how to download it), or leave out --base to train on your pages alone."
        ) from None


def evaluate(
    model: LinesiftModel | str | os.PathLike[str] | None, data: Data, *, mode: str = "html",
    content_selector: str | None = None, trusted: bool = False, n_jobs: int = 1, progress: bool = False,
) -> Evaluation:
    """Score ``model`` on labelled pages: word-level P/R/F1 and line accuracy, per page.

    ``model`` is a :class:`LinesiftModel`, a bundled name or a trusted path; None is the bundled
    model for ``mode``. On WCXB folders the line labels come from alignment with the ground truth.
    """
    if model is None:
        model = load_model(BUNDLED_MODELS[mode])
    elif not isinstance(model, LinesiftModel):
        model = load_model(model, trusted=trusted)
    documents = _documents(data, mode=model.mode, content_selector=content_selector, n_jobs=n_jobs, progress=progress)
    return score_documents(model.classifier, documents, model.threshold)
