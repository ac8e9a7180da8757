"""Where linesift's time goes, stage by stage, on one core.

Usage (from the repository root)::

    PYTHONPATH=src OMP_NUM_THREADS=1 python3 benchmarks/profile_stages.py --data ../shared/datasets/wcxb-dev --pages 100
    PYTHONPATH=src OMP_NUM_THREADS=1 python3 benchmarks/profile_stages.py --data ../shared/datasets/wcxb-dev --mode text

Runs the pipeline of :meth:`linesift.Extractor.classify` stage by stage (decoding and parsing;
the walk that cuts the parsed tree into lines, :func:`linesift.lines.tree_lines`; features, the word
and markup scorers, the trees' inputs (:mod:`linesift.trees`), the trees of each stage, the context
columns, selection) and prints each stage's CPU milliseconds per page and share of the total. ``--mode
text`` runs on html-text renderings of the pages (``pip install html-text``). ``--cprofile N``
also prints the N functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from loaders import load_pages, read_html

from linesift import _input
from linesift._input import load_lines
from linesift.api import default_extractor
from linesift.context import context_features
from linesift.features import featurize
from linesift.lexical import markup_columns, word_columns
from linesift.lines import Lines, tree_lines
from linesift.model import COMPILE_AFTER_ROWS
from linesift.selection import decide


class Stopwatch:
    """CPU seconds summed per stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.process_time() - start

    def timed(self, name: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self.stage(name):
            return function(*args, **kwargs)


def classify(document: str, mode: str, watch: Stopwatch) -> None:
    """One page through the pipeline, each stage timed (the steps of ``LineClassifier.predict_proba``)."""
    extractor = default_extractor()
    lines = watch.timed("input and lines", load_lines, document, mode=mode)
    if not len(lines):
        return
    model = extractor.html_model if lines.is_html else extractor.text_model
    classifier = model.classifier
    features = watch.timed("features", featurize, lines)
    X = features.matrix.astype(np.float64)
    doc_ids = np.zeros(len(X), dtype=np.int64)
    if classifier.lexical:
        scores = watch.timed("word scorer", classifier.words_.decision_function, lines.texts)
        X = np.hstack((X, watch.timed("word columns", word_columns, scores, lines.texts, doc_ids)))
    if classifier.markup_words:
        scores = watch.timed("markup scorer", classifier.markup_words_.decision_function, features.markup)
        X = np.hstack((X, watch.timed("markup columns", markup_columns, scores, doc_ids)))
    stages = classifier._stage_predictor(len(X))
    inputs = watch.timed("tree inputs", stages.inputs, X)
    probability = watch.timed("trees stage 1", stages.predict_proba, 0, inputs)
    for number in range(1, len(classifier.stages_)):
        context = watch.timed("context columns", context_features, probability[:, -1], doc_ids, features.clusters)
        context = watch.timed("tree inputs", stages.inputs, context, start=X.shape[1])
        probability = watch.timed(f"trees stage {number + 1}", stages.predict_proba, number, np.hstack((inputs, context)))
    watch.timed("selection", decide, probability[:, -1], lines.texts, floor=model.floor, beta=model.beta)


def main(argv: list[str] | None = None) -> int:
    """Profile ``--pages`` pages and print the time per stage."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="WCXB-layout folder")
    parser.add_argument("--pages", type=int, default=100, help="first N pages (default: %(default)s)")
    parser.add_argument("--mode", choices=("html", "text"), default="html", help="HTML, or html-text renderings")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the top N functions")
    args = parser.parse_args(argv)
    documents = [read_html(page.html_path) for page in load_pages(args.data, args.pages)]
    if args.mode == "text":
        from linesift.renderings import render

        documents = [render(document, "html-text") for document in documents]
    classify(documents[0], args.mode, Stopwatch())  # models loaded, caches warm: not per-page cost
    for model in (default_extractor().html_model, default_extractor().text_model):
        model.classifier._stage_predictor(COMPILE_AFTER_ROWS)  # trees compiled, as after the first pages
    watch = Stopwatch()
    profiler = cProfile.Profile() if args.cprofile else None

    def walk(root: Any) -> Lines:
        return watch.timed("walk", tree_lines, root)

    start = time.process_time()
    if profiler:
        profiler.enable()
    # The walk timed on its own inside "input and lines"; the rest of that stage is decoding and parsing.
    with mock.patch.object(_input, "tree_lines", walk):
        for document in documents:
            classify(document, args.mode, watch)
    if profiler:
        profiler.disable()
    total = time.process_time() - start
    if "walk" in watch.seconds:
        watch.seconds["decode and parse"] = watch.seconds.pop("input and lines") - watch.seconds["walk"]
    pages = len(documents)
    print(f"{pages} pages ({args.mode}): {1000 * total / pages:.2f} ms CPU per page, {pages / total:.1f} pages/s")
    for name, seconds in sorted(watch.seconds.items(), key=lambda item: -item[1]):
        print(f"  {name:<18} {1000 * seconds / pages:8.2f} ms/page  {100 * seconds / total:5.1f} %")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
