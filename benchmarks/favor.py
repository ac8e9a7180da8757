"""What ``--favor precision`` and ``--favor recall`` cost and buy: word P/R/F1 of each preset on labelled pages.

Usage (from the repository root; about a minute a folder at ``--limit 300`` on a busy core)::

    OMP_NUM_THREADS=1 python benchmarks/favor.py ../shared/datasets/dragnet ../shared/datasets/cleaneval --limit 300

Each page's line probabilities are computed once; every preset then keeps lines by
:func:`linesift.selection.decide`, as :class:`linesift.Extractor` does, and the kept text is scored
against the page's reference with the benchmark's macro-averaged word scores. The bundled HTML
model saw wcxb-dev, fundus and magic-html, so its scores there are optimistic; dragnet and
cleaneval, which may only measure, are pages it never saw.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loaders import load_pages, read_html

from linesift.api import Extractor
from linesift.evaluation import macro_average, word_scores
from linesift.output import Extraction
from linesift.selection import decide

PRESETS = (None, "precision", "recall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", type=Path, help="folders in the WCXB layout")
    parser.add_argument("--limit", type=int, default=300, help="pages per folder, first by id (default: %(default)s)")
    args = parser.parse_args()
    extractor = Extractor(threshold=0.0)  # every line kept: the probabilities, before any preset's cut
    print("data\tpages\tpreset\tprecision\trecall\tf1")
    for folder in args.data:
        pages = load_pages(folder, limit=args.limit)
        runs: list[tuple[Extraction, str]] = [
            (extractor.run(read_html(page.html_path), mode="html"), page.expected) for page in pages
        ]
        for preset in PRESETS:
            scores = []
            for result, expected in runs:
                probabilities = [line.probability for line in result.lines]
                texts = [line.text for line in result.lines]
                keep = decide(probabilities, texts, floor=extractor.html_model.floor,
                              beta=extractor.html_model.beta, favor=preset).keep
                scores.append(word_scores("\n".join(t for t, k in zip(texts, keep) if k), expected))
            total = macro_average(scores)
            print(f"{folder.name}\t{len(pages)}\t{preset or 'default'}\t{total.precision:.3f}\t{total.recall:.3f}\t"
                  f"{total.f1:.3f}", flush=True)


if __name__ == "__main__":
    main()
