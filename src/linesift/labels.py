"""Label sources: every way of saying which lines of a page are content, turned into labelled documents.

* a WCXB-layout folder (``html/``, ``ground-truth/``): lines are labelled by alignment with the
  ground truth (:func:`linesift.alignment.align`), one document per page and *source* (its HTML,
  or a plain-text rendering of it for the text model);
* labelled-lines files ``NAME.tsv`` (what ``linesift label`` writes, corrected by hand), read
  together with the page ``NAME.html`` (or ``.htm``, ``.txt``) beside them;
* HTML pages plus a CSS selector for the content: lines inside selected elements are content.

:func:`load_labelled` picks the source a folder holds; :mod:`linesift.training` fits on the result.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from joblib import Parallel, delayed

from linesift._defaults import REVIEW_MARGIN
from linesift._input import Document, InputMode, decode, load_lines
from linesift._progress import progress_bar
from linesift.alignment import align
from linesift.api import Extractor, default_extractor
from linesift.datasets import Page, load_wcxb
from linesift.features import featurize
from linesift.lines import Lines, text_lines
from linesift.renderings import RENDERERS, render

logger = logging.getLogger(__name__)

#: Input modes a model is trained for.
MODES = ("html", "text")
#: Sources (inputs made from each page) that train each mode's model: the HTML, or its text
#: renderings by every renderer of :mod:`linesift.renderings`.
SOURCES = {"html": ("html",), "text": tuple(f"text:{renderer}" for renderer in RENDERERS)}
#: Suffixes of the page a labelled-lines file ``NAME.tsv`` is read with, in order of preference.
PAGE_SUFFIXES = (".html", ".htm", ".txt")
_SELECTED = "linesiftselected"
_LABELS = {"content": True, "boilerplate": False}
_PROBABILITY = re.compile(r"^[01](?:\.\d*)?\??$")
_HEADER_MODE = re.compile(r"\bmode=(html|text)\b")


def check_mode(mode: str) -> str:
    """``mode`` if a model can be trained for it, else a :class:`ValueError` naming the allowed ones.

    >>> check_mode("text")
    'text'
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(map(repr, MODES))}, not {mode!r}")
    return mode


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
    """The model a ``source`` (``"html"`` or ``"text:<renderer>"``) trains: ``"html"`` or ``"text"``.

    >>> source_mode("text:inscriptis")
    'text'
    """
    return "html" if source == "html" else "text"


def document_text(page: Page, source: str) -> tuple[str, str]:
    """The input a page gives for ``source`` and its mode (see :func:`source_mode`)."""
    if source_mode(source) == "html":
        return page.html, "html"
    return render(page.html, source.removeprefix("text:")), "text"


def label_document(page: Page, source: str) -> LabelledDocument:
    """Cut one page's input into lines, featurize them and label them against the ground truth."""
    document, mode = document_text(page, source)
    lines = load_lines(document, mode="html" if mode == "html" else "text")
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
    labelled = Parallel(n_jobs=n_jobs, batch_size=8, return_as="generator")(
        delayed(label_document)(page, source) for page, source in tasks)
    return list(progress_bar(labelled, "labelling lines", enabled=progress, unit="doc", total=len(tasks)))


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
        element["class"] = " ".join([*(original or []), _SELECTED])
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
    result = (extractor or default_extractor()).run(document, mode=mode)
    lines, resolved, threshold = result.lines, result.mode, result.threshold
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


def one_source_per_page(documents: Sequence[LabelledDocument]) -> list[LabelledDocument]:
    """Keep one source of each page, taking the sources in turn from page to page.

    Three renderings of one page teach the model little more than one, at three times the
    training cost (``train.py --every-source``: text word F1 0.8468 against 0.8460 in domain-grouped
    cross-validation on wcxb-dev); in turn, every renderer still supplies a third of the pages.
    """
    sources = sorted({d.source for d in documents})
    pages = {page_id: rank for rank, page_id in enumerate(dict.fromkeys(d.page.page_id for d in documents))}
    return [d for d in documents if sources.index(d.source) == pages[d.page.page_id] % len(sources)]


def stacked_rows(documents: Sequence[LabelledDocument]) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """The rows of ``documents`` one after another: features, labels, and what the classifiers take beside them."""
    return np.vstack([d.matrix for d in documents]), np.concatenate([d.labels for d in documents]).astype(np.int64), {
        "doc_ids": np.concatenate([np.full(len(d.texts), i) for i, d in enumerate(documents)]),
        "clusters": np.concatenate([d.clusters for d in documents]),
        "texts": [text for d in documents for text in d.texts],
        "markup": [tokens for d in documents for tokens in d.markup],
    }
