"""Read benchmark pages from the two supported layouts into one shape.

* WCXB layout (``html/``, ``ground-truth/``, ``metadata.json``): read with
  :func:`linesift.datasets.load_wcxb`; the ``with``/``without`` snippets come straight from each
  ``ground-truth/NNNN.json`` because the loader does not carry them.
* Simple layout: a folder of ``*.html`` files plus ``expected.json`` mapping each file stem to the
  expected text, or to ``{"text": ..., "page_type": ...}``.

Pages carry the path of their HTML, not the HTML: the worker processes read it themselves, so a
peer system's worker never imports linesift (which would inflate its memory and start-up).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

WCXB_DEV_TITLE = "# WCXB development split"


@dataclass(frozen=True)
class BenchPage:
    """One page to extract and score."""

    page_id: str
    html_path: Path
    expected: str
    page_type: str
    with_snippets: tuple[str, ...] = field(default=())
    without_snippets: tuple[str, ...] = field(default=())


def read_html(path: Path) -> str:
    """Decode an ``.html`` or ``.html.gz`` file as UTF-8, as linesift's WCXB loader does."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def detect_layout(data_dir: Path) -> str:
    """Return ``"wcxb"`` or ``"simple"`` for ``data_dir``, or raise if it is neither."""
    if (data_dir / "html").is_dir() and (data_dir / "ground-truth").is_dir():
        return "wcxb"
    if (data_dir / "expected.json").is_file():
        return "simple"
    raise FileNotFoundError(
        f"{data_dir} is neither a WCXB-layout folder (html/, ground-truth/) "
        "nor a simple one (*.html plus expected.json)"
    )


def is_wcxb_dev(data_dir: Path) -> bool:
    """Whether ``data_dir`` is the WCXB dev split that linesift's cross-validation covers."""
    readme = data_dir / "README.md"
    titled = readme.is_file() and readme.read_text(errors="replace").startswith(WCXB_DEV_TITLE)
    return detect_layout(data_dir) == "wcxb" and (titled or data_dir.resolve().name == "wcxb-dev")


def load_pages(data_dir: Path, limit: int | None = None) -> list[BenchPage]:
    """Load the pages of ``data_dir`` (either layout), the first ``limit`` in file order."""
    if detect_layout(data_dir) == "wcxb":
        return _load_wcxb(data_dir, limit)
    return _load_simple(data_dir, limit)


def _load_wcxb(data_dir: Path, limit: int | None) -> list[BenchPage]:
    from linesift.datasets import load_wcxb

    pages = []
    for page in load_wcxb(data_dir, limit=limit):
        truth = json.loads((data_dir / "ground-truth" / f"{page.page_id}.json").read_text())
        ground_truth = truth.get("ground_truth", {})
        gz_path = data_dir / "html" / f"{page.page_id}.html.gz"
        pages.append(
            BenchPage(
                page_id=page.page_id,
                html_path=gz_path if gz_path.exists() else data_dir / "html" / f"{page.page_id}.html",
                expected=page.main_content,
                page_type=page.page_type,
                with_snippets=_snippets(ground_truth.get("with")),
                without_snippets=_snippets(ground_truth.get("without")),
            )
        )
    return pages


def _snippets(value: object) -> tuple[str, ...]:
    """Snippet lists as stored in WCXB ground truth (a list of strings, or absent)."""
    if not isinstance(value, list):
        return ()
    return tuple(s for s in value if isinstance(s, str) and s.strip())


def _load_simple(data_dir: Path, limit: int | None) -> list[BenchPage]:
    expected = json.loads((data_dir / "expected.json").read_text())
    pages = []
    for html_path in sorted(data_dir.glob("*.html")):
        if limit is not None and len(pages) >= limit:
            break
        entry = expected.get(html_path.stem)
        if entry is None:
            continue
        if isinstance(entry, str):
            entry = {"text": entry}
        pages.append(
            BenchPage(
                page_id=html_path.stem,
                html_path=html_path,
                expected=entry.get("text", ""),
                page_type=entry.get("page_type", "unknown"),
            )
        )
    return pages
