"""``linesift batch``: stream crawls (WARC, JSONL, folders) through worker processes into one JSONL.gz per input.

The main process reads records and writes results in order; workers, each holding the models
once (the library keeps its predictions to one OpenMP thread itself), extract chunks of pages. At most a few chunks per worker
are in flight, and workers are replaced after a number of chunks, so memory stays flat however
long the input. Each output is written under a temporary name and renamed when complete, so
``--resume`` can skip every input whose output exists.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from linesift.batch import Record, extract_records
from linesift.readers import input_stem, read_input

#: Pages sent to a worker at once: enough to make the cost of pickling a task small against
#: extracting it (about 30 ms a page), few enough to keep the progress bar moving.
CHUNK_PAGES = 16
#: Chunks queued per worker: keeps every worker busy while the main process writes, and bounds
#: the pages held in memory to ``jobs * IN_FLIGHT_PER_JOB * CHUNK_PAGES``.
IN_FLIGHT_PER_JOB = 3
#: Chunks a worker extracts before it is replaced (2,000 pages): whatever a worker's heap grows
#: by over odd pages is given back, at the cost of loading the models again (about 3 s, 3 % of
#: the 1-2 minutes a worker takes for those pages). At 500 chunks, no worker of a 10,000-page
#: run with 2 jobs was replaced and peak RSS grew 10.9 % from 1,000 to 10,000 pages; at 125,
#: 5.4 %, at the same pages/s (benchmarks/stream.py, JSONL).
TASKS_PER_CHILD = 125


class _ChunkResult(NamedTuple):
    """What a worker sends back for a chunk: its JSON lines, encoded, and how many pages and failures they hold."""

    lines: bytes
    pages: int
    failed: int


@dataclass(frozen=True)
class BatchSummary:
    """What a batch did: inputs done and skipped, pages extracted and failed, and the seconds it took."""

    inputs: int
    skipped: int
    pages: int
    failed: int
    seconds: float

    @property
    def pages_per_second(self) -> float:
        """Pages a second over the whole run."""
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        return (
            f"{self.inputs} inputs ({self.skipped} skipped as done), {self.pages} pages, "
            f"{self.failed} failed, {self.pages_per_second:.1f} pages/s"
        )


def add_parser(commands: Any) -> None:
    """Register the ``batch`` subcommand on the ``add_subparsers()`` object of the main parser."""
    batch = commands.add_parser("batch", help="extract crawls (WARC, JSONL, folders) into one JSONL.gz per input")
    batch.add_argument("inputs", nargs="+", metavar="INPUT",
                       help=".warc/.warc.gz, .jsonl/.jsonl.gz files, folders of .html/.html.gz/.txt, or pages")
    batch.add_argument("--out", required=True, help="folder for the outputs, one NAME.jsonl.gz per input")
    batch.add_argument("--jobs", type=int, default=1, help="worker processes (default: %(default)s)")
    batch.add_argument("--resume", action="store_true", help="skip inputs whose output already exists")
    batch.add_argument("--id-field", default="id", help="JSONL field of the document id (default: %(default)s)")
    batch.add_argument("--url-field", default="url", help="JSONL field of the URL (default: %(default)s)")
    batch.add_argument("--content-field", default="content",
                       help="JSONL field of the HTML or text (default: %(default)s)")
    batch.add_argument("--with-lines", action="store_true", help="also write every line with label and probability")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``linesift batch`` from parsed arguments; the summary goes to stderr. Returns 0."""
    summary = run_batch(
        args.inputs, args.out, jobs=args.jobs, resume=args.resume, with_lines=args.with_lines,
        id_field=args.id_field, url_field=args.url_field, content_field=args.content_field,
    )
    print(f"linesift: {summary}", file=sys.stderr)
    return 0


def output_path(out_dir: str | Path, input_path: str | Path) -> Path:
    """Where the output of one input goes: ``OUT/NAME.jsonl.gz``, NAME the input's name without its suffix."""
    return Path(out_dir) / f"{input_stem(input_path)}.jsonl.gz"


def run_batch(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    jobs: int = 1,
    resume: bool = False,
    with_lines: bool = False,
    id_field: str = "id",
    url_field: str = "url",
    content_field: str = "content",
    progress: bool = True,
) -> BatchSummary:
    """Extract every record of ``inputs`` into ``out_dir``, one JSONL.gz per input, with ``jobs`` processes.

    Each output line is a :class:`linesift.batch.PageResult` as JSON, in input order. Raises
    ``ValueError`` before doing anything if an input is missing or two inputs would share an output.
    """
    if jobs < 1:
        raise ValueError(f"--jobs must be 1 or more, not {jobs}")
    outputs = [output_path(out_dir, path) for path in inputs]
    missing = [str(path) for path in inputs if not Path(path).exists()]
    if missing:
        raise ValueError(f"no such input: {', '.join(missing)}")
    if len(set(outputs)) < len(outputs):
        raise ValueError("two inputs share a name and so an output file; rename one or run them into separate --out folders")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    todo = [(path, output) for path, output in zip(inputs, outputs) if not (resume and output.exists())]
    fields = {"id_field": id_field, "url_field": url_field, "content_field": content_field}
    started = time.monotonic()
    pages = failed = 0
    bar = _progress(len(todo), enabled=progress)
    pool = _pool(jobs) if jobs > 1 else None
    writer = _Writer(todo)
    pending: deque[tuple[int, Future[_ChunkResult] | None]] = deque()
    limit = jobs * IN_FLIGHT_PER_JOB
    try:
        for index, chunk in _chunks(todo, fields):
            pending.append((index, _submit(pool, chunk, with_lines)))
            while len(pending) > limit or (pending and _done(pending[0][1])):
                written, failures = writer.take(*pending.popleft(), bar=bar)
                pages, failed = pages + written, failed + failures
        while pending:
            written, failures = writer.take(*pending.popleft(), bar=bar)
            pages, failed = pages + written, failed + failures
    finally:
        bar.close()
        writer.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return BatchSummary(len(todo), len(inputs) - len(todo), pages, failed, time.monotonic() - started)


def _chunks(todo: Sequence[tuple[str | Path, Path]], fields: dict[str, str]) -> Iterator[tuple[int, list[Record] | None]]:
    """``(input index, chunk of records)`` over all inputs, then ``(index, None)`` when an input ends."""
    for index, (path, _) in enumerate(todo):
        records = read_input(path, **fields)
        while chunk := list(islice(records, CHUNK_PAGES)):
            yield index, chunk
        yield index, None


def _submit(pool: Executor | None, chunk: list[Record] | None, with_lines: bool) -> Future[_ChunkResult] | None:
    if chunk is None:
        return None
    if pool is not None:
        return pool.submit(_extract_wired_chunk, *_to_wire(chunk), with_lines)
    done: Future[_ChunkResult] = Future()
    done.set_result(_extract_chunk(chunk, with_lines))
    return done


def _to_wire(chunk: list[Record]) -> tuple[list[Record], dict[int, bytes]]:
    """The chunk to send to a worker: its ``str`` contents taken out as UTF-8 bytes, by position.

    Pickling a page's ``str`` and unpickling it cost about 1.5 ms a page (non-ASCII text goes
    through the slow ``surrogatepass`` codec path), its UTF-8 bytes about 0.1 ms plus 0.5 ms to
    encode and decode: measured over 300 wcxb-dev pages. ``surrogatepass`` keeps any ``str`` exact.
    """
    wired, texts = [], {}
    for position, record in enumerate(chunk):
        if isinstance(record.content, str):
            texts[position] = record.content.encode("utf-8", "surrogatepass")
            record = replace(record, content=None)
        wired.append(record)
    return wired, texts


def _extract_wired_chunk(chunk: list[Record], texts: dict[int, bytes], with_lines: bool) -> _ChunkResult:
    """:func:`_extract_chunk` on a chunk from :func:`_to_wire`, its ``str`` contents put back first."""
    for position, data in texts.items():
        chunk[position] = replace(chunk[position], content=data.decode("utf-8", "surrogatepass"))
    return _extract_chunk(chunk, with_lines)


def _done(future: Future[Any] | None) -> bool:
    return future is None or future.done()


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes started fresh (spawn: no copy of the parent's threads or locks), recycled when they can be."""
    context = multiprocessing.get_context("spawn")
    if sys.version_info >= (3, 11):
        return ProcessPoolExecutor(jobs, mp_context=context, initializer=_load_models,
                                   max_tasks_per_child=TASKS_PER_CHILD)
    # Python 3.10 has no max_tasks_per_child: workers then live for the whole run.
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_load_models)


def _load_models() -> None:
    """Load the models once per worker, before its first chunk."""
    from linesift.api import default_extractor

    default_extractor()


def _extract_chunk(chunk: list[Record], with_lines: bool) -> _ChunkResult:
    """One chunk's results as UTF-8 JSON lines, their count and how many failed; made here, off the main process.

    Bytes, since they cross between processes far faster than ``str``. A line that cannot be UTF-8
    (a lone surrogate in an id or URL: the text never holds one) is written with ``\\u`` escapes.
    """
    lines, failed = [], 0
    for result in extract_records(chunk, with_lines=with_lines):
        failed += not result.ok
        data = result.to_dict()
        try:
            lines.append(json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except UnicodeEncodeError:
            lines.append(json.dumps(data).encode("ascii"))
    return _ChunkResult(b"\n".join(lines) + b"\n" if lines else b"", len(lines), failed)


class _Writer:
    """Writes each input's results to a temporary file, renamed to the output once the input has ended."""

    def __init__(self, todo: Sequence[tuple[str | Path, Path]]) -> None:
        self.todo = todo
        self.open: dict[int, tuple[Any, Path]] = {}

    def take(self, index: int, future: Future[_ChunkResult] | None, *, bar: Any) -> tuple[int, int]:
        """Write one chunk's results (or finish input ``index`` when ``future`` is None); return pages and failures."""
        output = self.todo[index][1]
        if index not in self.open:
            temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
            self.open[index] = (gzip.open(temporary, "wb"), temporary)
            bar.set_description_str(f"input {index + 1}/{len(self.todo)}")
        handle, temporary = self.open[index]
        if future is None:
            handle.close()
            os.replace(temporary, output)
            del self.open[index]
            return 0, 0
        result = future.result()
        handle.write(result.lines)
        bar.update(result.pages)
        return result.pages, result.failed

    def close(self) -> None:
        """Close and delete what an interrupted run left unfinished."""
        for handle, temporary in self.open.values():
            handle.close()
            temporary.unlink(missing_ok=True)
        self.open.clear()


def _progress(inputs: int, *, enabled: bool) -> Any:
    """A tqdm bar in pages on stderr, or a silent stand-in when tqdm is missing or progress is off."""
    try:
        from tqdm import tqdm
    except ImportError:
        enabled = False
    if enabled:
        return tqdm(unit=" pages", file=sys.stderr, desc=f"input 0/{inputs}", dynamic_ncols=True)
    return _Silent()


class _Silent:
    def update(self, count: int) -> None:
        """Do nothing."""

    def set_description_str(self, text: str) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""
