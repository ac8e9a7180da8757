"""The engine-independent core of batch extraction: records in, exactly one result per record out, in order.

The batch command (:mod:`linesift.batch_cli`) and the Dask functions (:mod:`linesift.dask`) both
map :func:`extract_records` over their share of the records, so every engine gives the same output.
:func:`page_result` is the one place that turns a record and the extractor's lines into a result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the models and scikit-learn load on the first extraction, not on import
    from linesift._input import Document, InputMode
    from linesift.api import Extractor, Line


@dataclass(frozen=True)
class Record:
    """One document to extract: its id, URL and content, as a reader found it.

    ``encoding`` is a charset declared outside the content (an HTTP header); ``error`` is set by a
    reader that could not read the record (a corrupt WARC record), and is carried to the result.

    Examples
    --------
    >>> Record("a", "https://example.org/", "<p>Hello</p>", mode="html").mode
    'html'
    """

    id: str
    url: str | None
    content: Document | None
    mode: InputMode = "auto"
    encoding: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class LineResult:
    """One line of a page in a batch result: its text, label and probability of being content."""

    text: str
    label: str
    probability: float


@dataclass(frozen=True)
class PageResult:
    """What a batch gives for one record: its kept text, or the error that stopped it.

    ``error`` is ``None`` on success, else ``"ErrorType: message"`` and ``text`` is empty.
    ``lines`` holds every line when asked for (``with_lines=True``), else ``None``.

    Examples
    --------
    >>> PageResult(id="a", url=None, mode="text", text="Hello").to_dict()
    {'id': 'a', 'url': None, 'mode': 'text', 'text': 'Hello', 'error': None}
    """

    id: str
    url: str | None
    mode: str
    text: str
    error: str | None = None
    lines: tuple[LineResult, ...] | None = None

    @property
    def ok(self) -> bool:
        """Whether the record was extracted."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict; ``lines`` only when they were asked for."""
        data: dict[str, Any] = {"id": self.id, "url": self.url, "mode": self.mode, "text": self.text, "error": self.error}
        if self.lines is not None:
            data["lines"] = [
                {"text": line.text, "label": line.label, "probability": round(line.probability, 4)} for line in self.lines
            ]
        return data


def page_result(record: Record, lines: list[Line] | None, error: str | None, *, with_lines: bool) -> PageResult:
    """Build the result of one record from the extractor's ``lines`` (or the ``error``): the one place to grow it."""
    if error is not None or lines is None:
        return PageResult(id=record.id, url=record.url, mode=record.mode, text="", error=error or "no lines")
    return PageResult(
        id=record.id,
        url=record.url,
        mode=record.mode,
        text="\n".join(line.text for line in lines if line.is_content),
        lines=tuple(LineResult(line.text, line.label, line.probability) for line in lines) if with_lines else None,
    )


def extract_records(
    records: Iterable[Record], *, extractor: Extractor | None = None, with_lines: bool = False
) -> Iterator[PageResult]:
    """Extract ``records`` lazily: exactly one :class:`PageResult` per record, in order, errors carried not raised.

    Examples
    --------
    >>> records = [Record("1", None, "Share this\\n\\nThe council agreed on Monday to rebuild the old footbridge."),
    ...            Record("2", None, None, error="ArchiveLoadFailed: bad record")]
    >>> [(result.id, result.ok) for result in extract_records(records)]
    [('1', True), ('2', False)]
    """
    from linesift.api import default_extractor

    extractor = extractor or default_extractor()
    for record in records:
        lines, error = None, record.error
        if error is None:
            try:
                if record.content is None:
                    raise TypeError("the record has no content")
                lines = extractor.classify(record.content, mode=record.mode, encoding=record.encoding)
            except Exception as failure:  # one bad page must not end a long batch; the reason is kept
                error = f"{type(failure).__name__}: {failure}"
        # Built outside the handler, so a paused batch keeps no traceback (and its frames) alive.
        yield page_result(record, lines, error, with_lines=with_lines)
