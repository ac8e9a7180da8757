"""The engine-independent core of batch extraction: records in, exactly one result per record out, in order.

The batch command (:mod:`linesift.batch_cli`) and the Dask functions (:mod:`linesift.dask`) both
map :func:`extract_records` over their share of the records, so every engine gives the same output.
:func:`page_result` is the one place that turns a record and the extractor's lines into a result.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the models and scikit-learn load on the first extraction, not on import
    from linesift._input import Document, InputMode
    from linesift.api import Extractor
    from linesift.output import Extraction


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
class PageResult:
    """What a batch gives for one record: its extraction, or the error that stopped it.

    ``error`` is ``None`` on success, else ``"ErrorType: message"`` and ``extraction`` is ``None``.
    ``with_lines`` says whether :meth:`to_dict` lists every line.

    Examples
    --------
    >>> PageResult(id="a", url=None, error="InputError: empty").to_dict()
    {'id': 'a', 'url': None, 'text': '', 'error': 'InputError: empty'}
    """

    id: str
    url: str | None
    extraction: Extraction | None = None
    error: str | None = None
    with_lines: bool = False

    @property
    def ok(self) -> bool:
        """Whether the record was extracted."""
        return self.error is None

    @property
    def text(self) -> str:
        """The kept lines, one per line (empty for a failed record)."""
        return "" if self.extraction is None else self.extraction.text

    def to_dict(self) -> dict[str, Any]:
        """The JSON line of the record: id, url and error beside :meth:`linesift.Extraction.to_dict`."""
        data: dict[str, Any] = {"id": self.id, "url": self.url}
        if self.extraction is not None:
            data.update(self.extraction.to_dict(with_lines=self.with_lines))
            data["url"] = self.url
        else:
            data["text"] = ""
        data["error"] = self.error
        return data


def extract_records(
    records: Iterable[Record], *, extractor: Extractor | None = None, with_lines: bool = False
) -> Iterator[PageResult]:
    """Extract ``records`` lazily: exactly one :class:`PageResult` per record, in order, errors carried not raised.

    Records are read and predicted :data:`linesift.api.PAGES_PER_PREDICTION` at a time
    (:meth:`linesift.Extractor.run_many`).

    Examples
    --------
    >>> records = [Record("1", None, "Share this\\n\\nThe council agreed on Monday to rebuild the old footbridge."),
    ...            Record("2", None, None, error="ArchiveLoadFailed: bad record")]
    >>> [(result.id, result.ok) for result in extract_records(records)]
    [('1', True), ('2', False)]
    """
    from linesift.api import PAGES_PER_PREDICTION, Request, default_extractor

    extractor = extractor or default_extractor()
    records = iter(records)
    while chunk := list(itertools.islice(records, PAGES_PER_PREDICTION)):
        outcomes = iter(extractor.run_many(
            [Request(record.content, record.mode, record.encoding, record.url)
             for record in chunk if record.error is None and record.content is not None]
        ))
        for record in chunk:
            if record.error is not None:
                yield PageResult(record.id, record.url, None, record.error, with_lines)
            elif record.content is None:
                yield PageResult(record.id, record.url, None, "TypeError: the record has no content", with_lines)
            else:
                outcome = next(outcomes)
                if isinstance(outcome, Exception):
                    yield PageResult(record.id, record.url, None, f"{type(outcome).__name__}: {outcome}", with_lines)
                else:
                    yield PageResult(record.id, record.url, outcome, None, with_lines)
