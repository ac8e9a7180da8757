"""Read labelled pages in the WCXB layout: ``html/NNNN.html(.gz)``, ``ground-truth/NNNN.json``, ``metadata.json``.

The data itself is never bundled: point to it with a path or the ``LINESIFT_DATA`` environment
variable (``datasets/download_wcxb.py`` fetches the public development split).
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_ENV = "LINESIFT_DATA"


@dataclass(frozen=True)
class Page:
    """One labelled page: its HTML and the human-reviewed main content.

    ``dataset`` names the labelled set the page comes from (its folder's name), so that training
    on several sets can weigh them and report on each.
    """

    page_id: str
    html: str
    main_content: str
    page_type: str
    domain: str
    url: str | None = None
    dataset: str = ""


def resolve_data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return ``path``, or ``$LINESIFT_DATA`` when ``path`` is None, checked to be a WCXB-layout folder."""
    if path is None:
        path = os.environ.get(DATA_ENV)
        if not path:
            raise FileNotFoundError(
                f"no data directory given: pass one, or set {DATA_ENV} to a WCXB-layout folder "
                "(see datasets/README.md for how to download one)"
            )
    directory = Path(path)
    if not (directory / "html").is_dir() or not (directory / "ground-truth").is_dir():
        raise FileNotFoundError(
            f"{directory} is not a WCXB-layout folder: it needs html/ and ground-truth/ subfolders"
        )
    return directory


def _read_html(path: Path) -> str:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return raw.decode("utf-8", errors="replace")


def load_wcxb(path: str | os.PathLike[str] | None = None, *, limit: int | None = None) -> Iterator[Page]:
    """Yield the pages of a WCXB-layout folder in file order (at most ``limit`` of them).

    A page whose ground truth has no ``main_content`` (two pages of the dev split) gets an empty
    one, as the benchmark's own evaluator treats it.
    """
    directory = resolve_data_dir(path)
    metadata_path = directory / "metadata.json"
    files = json.loads(metadata_path.read_text())["files"] if metadata_path.exists() else {}
    truth_paths = sorted((directory / "ground-truth").glob("*.json"))
    for count, truth_path in enumerate(truth_paths):
        if limit is not None and count >= limit:
            return
        page_id = truth_path.stem
        html_path = next(
            (p for p in (directory / "html" / f"{page_id}.html.gz", directory / "html" / f"{page_id}.html") if p.exists()),
            None,
        )
        if html_path is None:
            continue
        truth = json.loads(truth_path.read_text())
        ground_truth = truth.get("ground_truth", {})
        meta = files.get(page_id, {})
        yield Page(
            page_id=page_id,
            html=_read_html(html_path),
            main_content=ground_truth.get("main_content") or "",
            page_type=meta.get("page_type", "unknown"),
            domain=meta.get("domain") or _domain_of(truth.get("url")),
            url=truth.get("url"),
            dataset=Path(os.path.abspath(directory)).name,  # a link's own name, as --dataset-weight names it
        )


def _domain_of(url: str | None) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or "unknown" if url else "unknown"


def sample_pages(pages: Sequence[Page], count: int | None, random_state: int = 0) -> list[Page]:
    """A seeded sample of ``count`` pages, in their original order (all of them for None or 0).

    >>> sample_pages(list(range(10)), 3) == sorted(sample_pages(list(range(10)), 3))
    True
    """
    if not count or count >= len(pages):
        return list(pages)
    chosen = np.random.RandomState(random_state).choice(len(pages), size=count, replace=False)
    return [pages[i] for i in sorted(chosen)]
