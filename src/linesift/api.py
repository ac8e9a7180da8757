"""The public calls: one pipeline, input → lines → features → model → kept lines.

:class:`Extractor` holds the loaded models for repeated use; the module-level functions use a
shared default extractor with the bundled models.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from linesift._input import MAX_INPUT_CHARS, MAX_LINES, MAX_SECONDS, MAX_TAGS, MAX_TEXT_CHARS, Document, InputMode, load_lines
from linesift.features import featurize
from linesift.lines import Lines
from linesift.selection import decide
from linesift.storage import LinesiftModel, ModelError, default_model

Label = Literal["content", "boilerplate"]


@dataclass(frozen=True)
class Line:
    """One classified line of a document.

    ``position`` is the 0-based line number in the input for text, and the source line of the
    enclosing HTML element for HTML.
    """

    text: str
    label: Label
    probability: float
    position: int

    @property
    def is_content(self) -> bool:
        """Whether the line was kept as main content."""
        return self.label == "content"


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


class Extractor:
    """Classify lines of HTML or text with a pair of loaded models, for repeated use.

    Parameters
    ----------
    html_model, text_model
        Models for HTML and plain-text input; the bundled ones by default.
    threshold
        A fixed probability from which a line is content, on every page. By default each page
        gets its own threshold, half the best word F1 its probabilities promise and never below
        the model's ``threshold`` (:mod:`linesift.selection`).
    max_chars, max_tags, max_lines, max_text_chars, max_seconds
        Limits on each document (see ``docs/limits.md``); beyond one, :class:`linesift.InputTooLarge`
        is raised rather than the input cut.

    Examples
    --------
    >>> extractor = Extractor()
    >>> lines = extractor.classify("Share and Follow\\n\\nThe minister said on Monday that the new law would take effect next year.")
    >>> [line.label for line in lines]
    ['boilerplate', 'content']
    """

    def __init__(
        self,
        *,
        html_model: LinesiftModel | None = None,
        text_model: LinesiftModel | None = None,
        threshold: float | None = None,
        max_chars: int = MAX_INPUT_CHARS,
        max_tags: int = MAX_TAGS,
        max_lines: int = MAX_LINES,
        max_text_chars: int = MAX_TEXT_CHARS,
        max_seconds: float | None = MAX_SECONDS,
    ) -> None:
        self.html_model = html_model or default_model("html")
        self.text_model = text_model or default_model("text")
        for mode, model in (("html", self.html_model), ("text", self.text_model)):
            if model.mode != mode:
                raise ModelError(f"the {mode}_model given was trained for {model.mode!r} input")
        self.threshold = threshold
        self.max_chars = max_chars
        self.max_tags = max_tags
        self.max_lines = max_lines
        self.max_text_chars = max_text_chars
        self.max_seconds = max_seconds

    def _probabilities(self, lines: Lines) -> np.ndarray:
        if not len(lines):
            return np.zeros(0)
        model = self.html_model if lines.is_html else self.text_model
        features = featurize(lines)
        return model.classifier.predict_proba(
            features.matrix, clusters=features.clusters, texts=lines.texts, markup=features.markup
        )[:, 1]

    def page_threshold(self, probabilities: np.ndarray, texts: Sequence[str], *, mode: Literal["html", "text"]) -> float:
        """The probability from which the lines ``texts`` of one page, read as ``mode``, are content."""
        model = self.html_model if mode == "html" else self.text_model
        return decide(probabilities, texts, floor=model.threshold, fixed_threshold=self.threshold).threshold

    def classify(self, document: Document, *, mode: InputMode = "auto", encoding: str | None = None) -> list[Line]:
        """Every line of ``document`` with its label and probability of being content, in input order."""
        lines = load_lines(
            document,
            mode=mode,
            encoding=encoding,
            max_chars=self.max_chars,
            max_tags=self.max_tags,
            max_lines=self.max_lines,
            max_text_chars=self.max_text_chars,
            max_seconds=self.max_seconds,
        )
        probabilities = self._probabilities(lines)
        model = self.html_model if lines.is_html else self.text_model
        keep = decide(probabilities, lines.texts, floor=model.threshold, fixed_threshold=self.threshold).keep
        return [
            Line(text=text, label="content" if kept else "boilerplate", probability=float(p), position=int(pos))
            for text, p, kept, pos in zip(lines.texts, probabilities, keep, lines.positions)
        ]

    def extract(self, document: Document, *, mode: InputMode = "auto", encoding: str | None = None) -> str:
        """The main content of ``document``: kept lines in input order, one per line."""
        return "\n".join(line.text for line in self.classify(document, mode=mode, encoding=encoding) if line.is_content)

    def extract_many(
        self, documents: Iterable[tuple[str, Document]], *, mode: InputMode = "auto"
    ) -> Iterator[BatchResult]:
        """Extract ``(doc_id, document)`` pairs lazily: exactly one :class:`BatchResult` per pair, in order.

        A document that fails, for whatever reason, gives a result carrying the error instead of
        ending the batch, so every id is accounted for.
        """
        for doc_id, document in documents:
            try:
                result = BatchResult(doc_id=doc_id, text=self.extract(document, mode=mode))
            except Exception as error:  # one bad page must not end a long batch; the reason is kept
                result = BatchResult(doc_id=doc_id, text="", error=f"{type(error).__name__}: {error}")
            # Yielded outside the handler, so a paused batch keeps no traceback (and its frames) alive.
            yield result


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The shared extractor with the bundled models, loaded on first use."""
    return Extractor()


def extract(html: Document, url: str | None = None) -> str:
    """Main content of an HTML page (or of text: the input type is detected), one block per line.

    ``url``, when given, is added to an error as a note (Python 3.11+), to tell which page failed.
    """
    try:
        return default_extractor().extract(html)
    except (ValueError, TypeError) as error:
        # A note keeps the exception's own type and arguments (re-raising type(error)(message)
        # fails for exceptions such as UnicodeDecodeError); notes exist from Python 3.11.
        if url is not None and hasattr(error, "add_note"):
            error.add_note(f"while extracting {url}")
        raise


def clean_text(text: str) -> str:
    """Kept lines of a plain-text dump, verbatim but for surrounding whitespace, in order, one per line."""
    return default_extractor().extract(text, mode="text")


def classify(document: Document, *, mode: InputMode = "auto") -> list[Line]:
    """Each line of ``document`` (HTML or text) with its label, probability and position."""
    return default_extractor().classify(document, mode=mode)
