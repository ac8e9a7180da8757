"""Record readers for crawls: WARC files, JSONL dumps and folders of pages, each read lazily.

Every reader yields :class:`linesift.batch.Record` objects and never raises on bad data inside a
file: an unreadable record (a corrupt WARC record, a line that is not JSON) becomes a record that
carries its error, so the batch accounts for it and goes on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING

from linesift.batch import Record

if TYPE_CHECKING:
    from linesift._input import InputMode

#: Content types of WARC responses that are pages; images, scripts, PDFs and the rest are skipped.
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
#: File endings of folder members that are read, and the mode each is read in.
FOLDER_SUFFIXES: dict[str, InputMode] = {".html": "html", ".htm": "html", ".html.gz": "html", ".htm.gz": "html", ".txt": "text", ".txt.gz": "text"}
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


def read_warc(path: str | Path) -> Iterator[Record]:
    """Yield the HTML responses of a WARC file (gzipped or plain), with the charset of their HTTP headers.

    Requests, metadata and non-HTML responses are skipped. A record whose payload cannot be read
    gives a record carrying the error; a file that cannot be read past some point gives one such
    record for its remainder and ends.

    Examples
    --------
    >>> list(read_warc("no-such.warc"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    FileNotFoundError: [Errno 2] No such file or directory: ...
    """
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        records = iter(ArchiveIterator(stream))
        position = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except Exception as error:  # the stream itself is damaged: nothing after this point can be read
                yield Record(f"{path}#{position}", None, None, error=f"{type(error).__name__}: {error}")
                return
            position += 1
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                continue
            record_id = record.rec_headers.get_header("WARC-Record-ID") or f"{path}#{position}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            mode: InputMode = "text" if content_type.lower().startswith("text/plain") else "auto"
            try:
                content = record.content_stream().read()
            except Exception as error:  # a damaged payload (bad chunking or compression): this record only
                yield Record(record_id, url, None, mode=mode, error=f"{type(error).__name__}: {error}")
                continue
            yield Record(record_id, url, content, mode=mode, encoding=_charset(content_type))


def _charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    message = Message()
    message["Content-Type"] = content_type
    charset = message.get_param("charset")
    return charset.strip() if isinstance(charset, str) and charset.strip() else None


def read_jsonl(
    path: str | Path, *, id_field: str = "id", url_field: str = "url", content_field: str = "content"
) -> Iterator[Record]:
    """Yield one record per line of a JSONL file (gzipped if it ends in ``.gz``).

    A missing id becomes ``PATH:LINE``; a missing URL ``None``; a line that is not a JSON object,
    or lacks ``content_field``, a record carrying the error. Blank lines are skipped.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            fallback_id = f"{path}:{number}"
            try:
                item = json.loads(line)
            except ValueError as error:
                yield Record(fallback_id, None, None, error=f"{type(error).__name__}: {error}")
                continue
            if not isinstance(item, dict):
                yield Record(fallback_id, None, None, error="ValueError: the line is not a JSON object")
                continue
            record_id, url = item.get(id_field), item.get(url_field)
            record_id = fallback_id if record_id is None else str(record_id)
            url = None if url is None else str(url)
            if content_field not in item:
                missing = f"KeyError: no field {content_field!r}; name the content field with --content-field"
                yield Record(record_id, url, None, error=missing)
                continue
            yield Record(record_id, url, item[content_field])


def read_folder(path: str | Path) -> Iterator[Record]:
    """Yield the .html, .htm, .txt files of a folder and its subfolders (gzipped too), in sorted order.

    Each record's id is the file's path relative to the folder; ``.txt`` files are read as text.
    """
    root = Path(path)
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        mode = _folder_mode(file.name)
        if mode is None:
            continue
        record_id = file.relative_to(root).as_posix()
        try:
            data = gzip.decompress(file.read_bytes()) if file.name.endswith(".gz") else file.read_bytes()
        except (OSError, EOFError) as error:
            yield Record(record_id, None, None, mode=mode, error=f"{type(error).__name__}: {error}")
            continue
        yield Record(record_id, None, data, mode=mode)


def _folder_mode(name: str) -> InputMode | None:
    lowered = name.lower()
    return next((mode for suffix, mode in FOLDER_SUFFIXES.items() if lowered.endswith(suffix)), None)


def read_input(
    path: str | Path, *, id_field: str = "id", url_field: str = "url", content_field: str = "content"
) -> Iterator[Record]:
    """Records of one input, read by its kind: a folder, a WARC file, a JSONL file, or a single page.

    Raises ``ValueError`` naming the accepted kinds for anything else.
    """
    path = Path(path)
    name = path.name.lower()
    if path.is_dir():
        return read_folder(path)
    if name.endswith(WARC_SUFFIXES):
        return read_warc(path)
    if name.endswith(JSONL_SUFFIXES):
        return read_jsonl(path, id_field=id_field, url_field=url_field, content_field=content_field)
    mode = _folder_mode(name)
    if mode is not None:
        return iter([Record(path.name, None, gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes(), mode=mode)])
    raise ValueError(
        f"cannot tell how to read {path}: give a folder, a WARC ({', '.join(WARC_SUFFIXES)}), "
        f"JSONL ({', '.join(JSONL_SUFFIXES)}) or page ({', '.join(FOLDER_SUFFIXES)}) file"
    )


def input_stem(path: str | Path) -> str:
    """The name of an input without its reader's suffix, to name its output: ``crawl.warc.gz`` gives ``crawl``.

    >>> input_stem("crawls/CC-1.warc.gz"), input_stem("dump.jsonl"), input_stem("pages/")
    ('CC-1', 'dump', 'pages')
    """
    name = Path(path).name
    for suffix in sorted((*WARC_SUFFIXES, *JSONL_SUFFIXES, *FOLDER_SUFFIXES), key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return name
