"""Pages per CPU second of the batch path against one call per page, in the same process.

Usage (from the repository root)::

    OMP_NUM_THREADS=1 python3 benchmarks/batch_speed.py --data ../shared/datasets/wcxb-dev --pages 200

``linesift batch``, the Dask functions and :meth:`linesift.Extractor.extract_many` go through
:func:`linesift.batch.extract_records`, which predicts several pages at once
(:meth:`linesift.Extractor.run_many`); the speed benchmark (``run.py``) calls
:func:`linesift.extract` once per page, as a peer is called. This script times both on the same
documents, HTML and html-text renderings (``pip install html-text``), alternating them ``--rounds``
times, and checks that they keep the same lines.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from loaders import load_pages, read_html

from linesift.api import default_extractor
from linesift.batch import Record, extract_records


def cpu_seconds(run: Callable[[], list[str]]) -> tuple[float, list[str]]:
    """CPU seconds of ``run()`` and what it returned."""
    start = time.process_time()
    texts = run()
    return time.process_time() - start, texts


def main(argv: list[str] | None = None) -> int:
    """Time both paths on each input and print pages/s and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a WCXB-layout or simple-layout folder")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    import html_text

    htmls = [read_html(page.html_path) for page in load_pages(args.data, args.pages)]
    inputs = {"html": htmls, "text:html-text": [html_text.extract_text(html) for html in htmls]}
    extractor = default_extractor()
    extractor.extract(htmls[0], mode="html")  # loads both models before timing
    for name, documents in inputs.items():
        mode = "html" if name == "html" else "text"
        records = [Record(str(index), None, document, mode=mode) for index, document in enumerate(documents)]
        def one_call_per_page(documents: list[str] = documents, mode: str = mode) -> list[str]:
            return [extractor.run(document, mode=mode).text for document in documents]

        def batch(records: list[Record] = records) -> list[str]:
            return [result.text for result in extract_records(records, extractor=extractor)]

        for round_number in range(1, args.rounds + 1):
            one_by_one, expected = cpu_seconds(one_call_per_page)
            batched, texts = cpu_seconds(batch)
            if texts != expected:
                raise SystemExit(f"{name}: the batch path kept other lines than one call per page")
            print(f"{name} round {round_number}: one call per page {len(documents) / one_by_one:.1f} pages/s, "
                  f"batch {len(documents) / batched:.1f} pages/s ({one_by_one / batched:.2f}x)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
