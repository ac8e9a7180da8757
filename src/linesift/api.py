"""The public calls: one pipeline, input → lines → features → model → kept lines.

:class:`Extractor` holds the loaded models for repeated use; the module-level functions use a
shared default extractor with the bundled models. :meth:`Extractor.run` gives the whole result
(:class:`linesift.output.Extraction`); the other calls are views of it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

import numpy as np

from linesift._input import INPUT_MODES, Document, InputMode, Limits, read_page
from linesift.features import Features, featurize
from linesift.lines import Lines
from linesift.metadata import page_language, page_title
from linesift.output import Extraction, Label, Line
from linesift.selection import FAVOR_BETAS, Favor, decide
from linesift.storage import (
    LinesiftModel,
    ModelError,
    default_model,
    list_models,
    load_model,
)

__all__ = [
    "BatchResult", "Extraction", "Extractor", "Label", "Limits", "Line", "Request", "classify", "clean_text", "extract",
]

#: Pages whose lines :meth:`Extractor.run_many` predicts in one call. The boosters pay a fixed cost per
#: tree and call, so 8 pages at once cost 3 ms a page less than one by one, with the same
#: probabilities; 32 at once gained nothing more (``docs/speed.md``).
PAGES_PER_PREDICTION = 8


class Request(NamedTuple):
    """One document for :meth:`Extractor.run_many`, with what :meth:`Extractor.run` takes beside it.

    >>> Request("<p>Hello</p>", mode="html").mode
    'html'
    """

    document: Document
    mode: InputMode = "auto"
    encoding: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """What :meth:`Extractor.extract_many` gives for one document: its text, or why it failed.

    ``error`` is ``None`` on success, else ``"ErrorType: message"`` (and ``text`` is empty).
    """

    doc_id: str
    text: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the document was extracted."""
        return self.error is None


def check_threshold(threshold: object, name: str = "threshold") -> float | None:
    """``threshold`` as a float in [0, 1], or ``None``; a ``TypeError``/``ValueError`` saying what is expected otherwise."""
    if threshold is None:
        return None
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number from 0 to 1, or None, not {type(threshold).__name__} {threshold!r}")
    value = float(threshold)
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number from 0 to 1, not {threshold!r}")
    return value


def _model(model: LinesiftModel | str | None, mode: Literal["html", "text"]) -> LinesiftModel:
    if model is None:
        return default_model(mode)
    if isinstance(model, str):
        if model not in list_models():
            raise ValueError(f"{mode}_model {model!r} is not a bundled model; pass one of {sorted(list_models())} "
                             "or a model from linesift.load_model(path, trusted=True)")
        model = load_model(model)
    if not isinstance(model, LinesiftModel):
        raise TypeError(f"{mode}_model must be a LinesiftModel (from linesift.load_model) or a bundled name, "
                        f"not {type(model).__name__}")
    if model.mode != mode:
        raise ModelError(f"the {mode}_model given was trained for {model.mode!r} input; pass it as {model.mode}_model")
    return model


class Extractor:
    """Classify lines of HTML or text with a pair of loaded models, for repeated use.

    Parameters
    ----------
    html_model, text_model
        Models for HTML and plain-text input, or bundled names; the bundled ones by default.
    threshold
        A fixed probability from 0 to 1 from which a line is content, on every page. By default each
        page gets its own threshold, half the best word F1 its probabilities promise (or the model's
        F-beta's share) and never below the model's floor (:mod:`linesift.selection`).
    favor
        ``"precision"`` or ``"recall"``: move each page's threshold up or down, to the cut that
        maximises an expected F-beta of half or twice the model's beta (F0.5 or F2 for a model of
        beta 1). Not with a fixed ``threshold``.
    limits
        Limits on each document (:class:`linesift.Limits`, see ``docs/limits.md``); beyond one,
        :class:`linesift.InputTooLarge` is raised rather than the input cut.

    Examples
    --------
    >>> extractor = Extractor()
    >>> lines = extractor.classify("Share and Follow\\n\\nThe minister said on Monday that the new law would take "
    ...                            "effect next year, after a long debate in parliament over its cost to families.")
    >>> [line.label for line in lines]
    ['boilerplate', 'content']
    """

    def __init__(
        self,
        *,
        html_model: LinesiftModel | str | None = None,
        text_model: LinesiftModel | str | None = None,
        threshold: float | None = None,
        favor: Favor | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.html_model = _model(html_model, "html")
        self.text_model = _model(text_model, "text")
        self.threshold = check_threshold(threshold)
        if favor is not None and favor not in FAVOR_BETAS:
            raise ValueError(f"favor must be one of {sorted(FAVOR_BETAS)} or None, not {favor!r}")
        if favor is not None and self.threshold is not None:
            raise ValueError("favor moves each page's own threshold; pass favor or a fixed threshold, not both")
        self.favor = favor
        if limits is not None and not isinstance(limits, Limits):
            raise TypeError(f"limits must be a linesift.Limits, not {type(limits).__name__}")
        self.limits = limits or Limits()

    def _model_for(self, lines: Lines) -> LinesiftModel:
        return self.html_model if lines.is_html else self.text_model

    def _probabilities(self, pages: Sequence[tuple[Lines, Features]]) -> list[np.ndarray]:
        """Each page's line probabilities, from one prediction over all of them (pages of one mode, none empty)."""
        if not pages:
            return []
        counts = [len(lines) for lines, _ in pages]
        markup = [tokens for _, features in pages for tokens in features.markup]
        probabilities = self._model_for(pages[0][0]).classifier.predict_proba(
            np.vstack([features.matrix for _, features in pages]),
            doc_ids=np.repeat(np.arange(len(pages)), counts),
            clusters=np.concatenate([features.clusters for _, features in pages]),
            texts=[text for lines, _ in pages for text in lines.texts],
            markup=markup if markup else None,
        )[:, 1]
        return np.split(probabilities, np.cumsum(counts)[:-1])

    def run(
        self, document: Document, *, mode: InputMode = "auto", encoding: str | None = None, url: str | None = None
    ) -> Extraction:
        """Everything about ``document``: each line with its label and probability, the page's threshold, title and language.

        ``encoding`` is the charset to try first for bytes (e.g. from an HTTP header); ``url`` is
        kept in the result and added to an error as a note, to tell which page failed.
        """
        (result,) = self._run_chunk([Request(document, mode, encoding, url)])
        if isinstance(result, Exception):
            raise result
        return result

    def run_many(self, requests: Iterable[Request]) -> Iterator[Extraction | Exception]:
        """:meth:`run` for each request, lazily and in order: its extraction, or the exception that stopped it.

        The exception is given, not raised, so that one bad page does not end a batch. Pages are
        predicted :data:`PAGES_PER_PREDICTION` at a time, which is faster than one by one and
        gives the same result.

        >>> results = list(default_extractor().run_many([Request("Share this\\n\\nThe council met on Monday."),
        ...                                               Request(b"\\xff\\x00", mode="html")]))
        >>> [type(result).__name__ for result in results]
        ['Extraction', 'InputError']
        """
        requests = iter(requests)
        while chunk := list(itertools.islice(requests, PAGES_PER_PREDICTION)):
            yield from self._run_chunk(chunk)

    def _run_chunk(self, chunk: list[Request]) -> list[Extraction | Exception]:
        results: dict[int, Extraction | Exception] = {}
        pending: dict[int, tuple[Lines, str, Features]] = {}
        for index, request in enumerate(chunk):
            try:
                lines, text = self._read(request)
                if len(lines):
                    pending[index] = (lines, text, featurize(lines))
                else:
                    results[index] = self._extraction(lines, text, np.zeros(0), request.url)
            except Exception as error:  # kept as this page's result; the others go on
                results[index] = _noted(error, request.url)
        for is_html in (True, False):
            indices = [index for index, (lines, _, _) in pending.items() if lines.is_html == is_html]
            pages = [(pending[index][0], pending[index][2]) for index in indices]
            try:
                predicted: Sequence[np.ndarray | Exception] = self._probabilities(pages)
            except Exception:  # find the page that failed: predict each alone
                predicted = [self._probabilities_or_error(*page) for page in pages]
            for index, probabilities in zip(indices, predicted):
                lines, text, _ = pending[index]
                try:
                    if isinstance(probabilities, Exception):
                        raise probabilities
                    results[index] = self._extraction(lines, text, probabilities, chunk[index].url)
                except Exception as error:  # kept as this page's result; the others go on
                    results[index] = _noted(error, chunk[index].url)
        return [results[index] for index in range(len(chunk))]

    def _probabilities_or_error(self, lines: Lines, features: Features) -> np.ndarray | Exception:
        try:
            return self._probabilities([(lines, features)])[0]
        except Exception as error:  # returned to be reported as this page's result
            return error

    def _read(self, request: Request) -> tuple[Lines, str]:
        if request.url is not None and not isinstance(request.url, str):
            raise TypeError(f"url must be a str or None, not {type(request.url).__name__}")
        return read_page(request.document, mode=request.mode, encoding=request.encoding, limits=self.limits)

    def _extraction(self, lines: Lines, text: str, probabilities: np.ndarray, url: str | None) -> Extraction:
        model = self._model_for(lines)
        decision = decide(probabilities, lines.texts, floor=model.floor, beta=model.beta, fixed_threshold=self.threshold,
                          favor=self.favor)
        tags = lines.tags or [""] * len(lines)
        classified = tuple(
            Line(text=line, label="content" if kept else "boilerplate", probability=float(p), position=int(pos), tag=tag)
            for line, p, kept, pos, tag in zip(lines.texts, probabilities, decision.keep, lines.positions, tags)
        )
        return Extraction(
            lines=classified,
            mode="html" if lines.is_html else "text",
            threshold=decision.threshold,
            title=page_title(text, lines.texts, lines.tags) if lines.is_html else None,
            language=page_language(text) if lines.is_html else None,
            url=url,
        )

    def classify(self, document: Document, *, mode: InputMode = "auto", encoding: str | None = None) -> list[Line]:
        """Every line of ``document`` with its label and probability of being content, in input order.

        :meth:`run` gives the same lines with the page's threshold and mode.
        """
        return list(self.run(document, mode=mode, encoding=encoding).lines)

    def extract(self, document: Document, *, mode: InputMode = "auto", encoding: str | None = None) -> str:
        """The main content of ``document``: kept lines in input order, one per line."""
        return self.run(document, mode=mode, encoding=encoding).text

    def extract_many(
        self, documents: Iterable[tuple[str, Document]] | Mapping[str, Document], *, mode: InputMode = "auto"
    ) -> Iterator[BatchResult]:
        """Extract ``(doc_id, document)`` pairs (or a mapping's items) lazily: one :class:`BatchResult` per pair, in order.

        A document that fails, for whatever reason, gives a result carrying the error instead of
        ending the batch, so every id is accounted for. Documents are read
        :data:`PAGES_PER_PREDICTION` at a time (see :meth:`run_many`).
        """
        if mode not in INPUT_MODES:
            raise ValueError(f"mode must be one of {', '.join(map(repr, INPUT_MODES))}, not {mode!r}")
        if isinstance(documents, (str, bytes)):
            raise TypeError("extract_many takes (doc_id, document) pairs or a mapping of doc_id to document; "
                            "for one document call extract")
        pairs = iter(documents.items() if isinstance(documents, Mapping) else documents)
        while chunk := list(itertools.islice(pairs, PAGES_PER_PREDICTION)):
            valid = list(itertools.takewhile(lambda pair: isinstance(pair, tuple) and len(pair) == 2, chunk))
            outcomes = self.run_many([Request(document, mode) for _, document in valid])
            for (doc_id, _), outcome in zip(valid, outcomes):
                if isinstance(outcome, Exception):
                    yield BatchResult(doc_id=doc_id, text="", error=f"{type(outcome).__name__}: {outcome}")
                else:
                    yield BatchResult(doc_id=doc_id, text=outcome.text)
            if len(valid) < len(chunk):
                raise TypeError("extract_many takes (doc_id, document) pairs or a mapping; "
                                f"got {type(chunk[len(valid)]).__name__}")


def _noted(error: Exception, url: str | None) -> Exception:
    """``error`` with a note naming ``url``, to tell which page failed.

    A note keeps the exception's own type and arguments (re-raising ``type(error)(message)``
    fails for exceptions such as ``UnicodeDecodeError``); notes exist from Python 3.11.
    """
    if isinstance(url, str) and hasattr(error, "add_note"):
        error.add_note(f"while extracting {url}")
    return error


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The shared extractor with the bundled models, loaded on first use."""
    return Extractor()


def extract(html: Document, *, mode: InputMode = "auto", encoding: str | None = None, url: str | None = None) -> str:
    """Main content of an HTML page (or of text: the input type is detected), one block per line.

    ``url``, when given, is added to an error as a note (Python 3.11+), to tell which page failed.

    >>> extract("<html><body><nav><a href='/'>Home</a></nav><p>" + "The river rose after a week of rain. " * 6
    ...         + "</p></body></html>").startswith("The river rose")
    True
    """
    return default_extractor().run(html, mode=mode, encoding=encoding, url=url).text


def clean_text(text: Document, *, mode: InputMode = "text", encoding: str | None = None) -> str:
    """Kept lines of a plain-text dump, verbatim but for surrounding whitespace, in order, one per line.

    >>> clean_text("Share and Follow\\n\\nThe minister said on Monday that the new law would take effect next year, "
    ...            "after a long debate in parliament over its cost to families.")[:40]
    'The minister said on Monday that the new'
    """
    return default_extractor().run(text, mode=mode, encoding=encoding).text


def classify(document: Document, *, mode: InputMode = "auto", encoding: str | None = None) -> list[Line]:
    """Each line of ``document`` (HTML or text) with its label, probability and position.

    >>> [line.label for line in classify("Share and Follow\\n\\nThe minister said on Monday that the new law would "
    ...                                  "take effect next year, after a long debate in parliament over its cost to families.")]
    ['boilerplate', 'content']
    """
    return default_extractor().classify(document, mode=mode, encoding=encoding)
