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
        extraction, error = None, record.error
        if error is None:
            try:
                if record.content is None:
                    raise TypeError("the record has no content")
                extraction = extractor.run(record.content, mode=record.mode, encoding=record.encoding, url=record.url)
            except Exception as failure:  # one bad page must not end a long batch; the reason is kept
                error = f"{type(failure).__name__}: {failure}"
        # Built outside the handler, so a paused batch keeps no traceback (and its frames) alive.
        yield PageResult(record.id, record.url, extraction, error, with_lines)
