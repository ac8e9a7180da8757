"""``linesift extract``'s files: which inputs a command line names, how each is read, where its output goes.

Directories are walked recursively (``--glob``), ``.gz`` files decompressed, and each record
rendered in the chosen format, to stdout with a boundary between files or one file per input
under ``--output-dir``.
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, TextIO

from linesift.errors import InputError
from linesift.output import Extraction

FORMATS = ("text", "markdown", "json", "jsonl", "tsv")
SUFFIXES = {"text": ".txt", "markdown": ".md", "json": ".json", "jsonl": ".json", "tsv": ".tsv"}
_GZIP_MAGIC = b"\x1f\x8b"


class Input(NamedTuple):
    """One input: the name to report it by, its file (``None`` for stdin) and its path under the folder named."""

    label: str
    path: Path | None
    relative: Path


def inputs(names: Sequence[str], pattern: str) -> Iterator[Input]:
    """The inputs ``names`` stand for: stdin for none or ``-``, every file matching ``pattern`` under a folder."""
    if not names or list(names) == ["-"]:
        yield Input("<stdin>", None, Path("stdin"))
        return
    for name in names:
        path = Path(name)
        if not path.is_dir():
            yield Input(name, path, Path(path.name))
            continue
        for found in sorted(path.rglob(pattern)):
            relative = found.relative_to(path)
            if found.is_file() and not any(part.startswith(".") for part in relative.parts):
                yield Input(str(found), found, relative)


def read(source: Input) -> bytes:
    """The bytes of one input, gzip-decompressed when they are gzip (``.gz`` or by signature)."""
    data = sys.stdin.buffer.read() if source.path is None else source.path.read_bytes()
    if not data.startswith(_GZIP_MAGIC):
        return data
    from linesift._input import MAX_INPUT_CHARS  # imported here: numpy and lxml stay out of ``--help``

    most = 4 * MAX_INPUT_CHARS  # bytes a compressed input may expand to: 4 for each character accepted
    try:
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        data = decompressor.decompress(data, most)
    except zlib.error as error:
        raise InputError(f"the input is damaged gzip ({error}); check the file or decompress it yourself") from None
    if not decompressor.eof and not decompressor.unconsumed_tail:
        raise InputError("the input is truncated gzip (damaged gzip: it ends early); check the file")
    if decompressor.unconsumed_tail:
        raise InputError(f"the input decompresses to more than {most:,} bytes; split it")
    return data


def output_path(out_dir: Path, source: Input, fmt: str, *, taken: Collection[Path] = ()) -> Path:
    """Where ``source``'s output goes: its path under the folder named, its suffix (and ``.gz``) replaced.

    When that path is ``taken`` (``page.html`` and ``page.txt`` side by side), the suffix is kept
    before the new one instead (``page.txt.md``).
    """
    relative = source.relative.with_suffix("") if source.relative.suffix == ".gz" else source.relative
    target = out_dir / relative.with_suffix(SUFFIXES[fmt])
    return out_dir / relative.with_name(relative.name + SUFFIXES[fmt]) if target in taken else target


def render(result: Extraction, fmt: str, *, label: str, with_lines: bool, many: bool) -> str:
    """One input's output in ``fmt``; with ``many``, tsv rows start with the file name."""
    if fmt == "text":
        return "".join(f"{line.text}\n" for line in result.content)
    if fmt == "markdown":
        markdown = result.to_markdown()
        return markdown + "\n" if markdown else ""
    if fmt == "tsv":
        lead = f"{label}\t" if many else ""
        return "".join(f"{lead}{line.label}\t{line.probability:.4f}\t{line.text}\n" for line in result.lines)
    record = {"file": label, **result.to_dict(with_lines=with_lines)}
    return json.dumps(record, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"


def error_record(label: str, reason: str, fmt: str) -> str:
    """The JSON record that stands for an input that failed."""
    return json.dumps({"file": label, "error": reason}, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"


class Writer:
    """Writes each input's output: to its own file under ``out_dir``, or to ``out`` with clear record boundaries.

    Several inputs to one stream: text and markdown put a ``==> NAME <==`` line before each
    (as ``head`` does), json makes one array of the records, jsonl one record a line.
    """

    def __init__(self, out: TextIO, fmt: str, *, out_dir: Path | None, many: bool) -> None:
        self.out, self.fmt, self.out_dir, self.many = out, fmt, out_dir, many
        self.count = 0
        self.written: set[Path] = set()

    def write(self, source: Input, rendered: str) -> None:
        if self.out_dir is not None:
            target = output_path(self.out_dir, source, self.fmt, taken=self.written)
            self.written.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rendered, encoding="utf-8")
        elif self.fmt == "json" and self.many:
            self.out.write(("[\n" if not self.count else ",\n") + rendered.rstrip("\n"))
        elif self.fmt in ("text", "markdown") and self.many:
            self.out.write(("" if not self.count else "\n") + f"==> {source.label} <==\n" + rendered)
        else:
            # Line by line, so that a reader that stops early (`| head`) is noticed at once.
            self.out.writelines(rendered.splitlines(keepends=True))
        self.count += 1

    def close(self) -> None:
        if self.out_dir is None and self.fmt == "json" and self.many:
            self.out.write("\n]\n" if self.count else "[]\n")
