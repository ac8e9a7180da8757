"""Command line: ``linesift extract``, ``linesift train``, ``linesift evaluate``.

A thin shell over the public API: every subcommand parses its arguments and calls library functions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from linesift._input import InputError
from linesift.api import Extractor
from linesift.storage import LinesiftModel, ModelError, load_model, save_model


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="linesift", description="Keep the main content of web pages, line by line.")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="print the main content of HTML or text files (stdin if none)")
    extract.add_argument("files", nargs="*", help="HTML or text files; '-' or nothing reads stdin")
    extract.add_argument("--format", choices=("text", "json", "tsv"), default="text",
                         help="text: kept lines; json: one object per file with every line; tsv: label, probability, text")
    extract.add_argument("--mode", choices=("auto", "html", "text"), default="auto", help="input type (default: detect)")
    extract.add_argument("--model", help="model file for this input type (default: the bundled one)")
    extract.add_argument("--trust-model", action="store_true", help="allow loading --model (model files are pickles)")
    extract.add_argument("--threshold", type=float, help="probability from which a line is content")

    train = commands.add_parser("train", help="train a model on a WCXB-layout folder")
    train.add_argument("--data", required=True, help="folder with html/ and ground-truth/")
    train.add_argument("--out", required=True, help="model file to write (a JSON card is written beside it)")
    train.add_argument("--mode", choices=("html", "text"), default="html")
    train.add_argument("--folds", type=int, default=5, help="domain-grouped cross-validation folds")
    train.add_argument("--n-jobs", type=int, default=1)

    evaluate = commands.add_parser("evaluate", help="word-level scores of a model on a WCXB-layout folder")
    evaluate.add_argument("--data", required=True, help="folder with html/ and ground-truth/")
    evaluate.add_argument("--model", help="model file (default: the bundled one)")
    evaluate.add_argument("--trust-model", action="store_true", help="allow loading --model")
    evaluate.add_argument("--mode", choices=("html", "text"), default="html",
                          help="score on the HTML, or on text rendered by linesift")
    evaluate.add_argument("--per-page", action="store_true", help="also print each page's scores")
    return parser


def _inputs(files: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    if not files or files == ["-"]:
        yield "<stdin>", sys.stdin.buffer.read()
        return
    for name in files:
        yield name, Path(name).read_bytes()


def _extractor(args: argparse.Namespace) -> Extractor:
    if not getattr(args, "model", None):
        return Extractor(threshold=getattr(args, "threshold", None))
    model: LinesiftModel = load_model(args.model, trusted=args.trust_model)
    key = "html_model" if model.mode == "html" else "text_model"
    return Extractor(**{key: model}, threshold=getattr(args, "threshold", None))


def _extract(args: argparse.Namespace, out: TextIO) -> int:
    extractor = _extractor(args)
    failures = 0
    for name, data in _inputs(args.files):
        try:
            lines = extractor.classify(data, mode=args.mode)
        except InputError as error:
            print(f"linesift: {name}: {error}", file=sys.stderr)
            failures += 1
            continue
        if args.format == "json":
            record = {"file": name, "lines": [
                {"text": l.text, "label": l.label, "probability": round(l.probability, 4), "position": l.position}
                for l in lines
            ]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif args.format == "tsv":
            out.writelines(f"{l.label}\t{l.probability:.4f}\t{l.text}\n" for l in lines)
        else:
            out.writelines(f"{l.text}\n" for l in lines if l.is_content)
    return 1 if failures else 0


def _train(args: argparse.Namespace, out: TextIO) -> int:
    from linesift.datasets import load_wcxb
    from linesift.training import scores_table, train

    pages = list(load_wcxb(args.data))
    model, cv = train(pages, args.mode, n_splits=args.folds, n_jobs=args.n_jobs, progress=True,
                      card={"training_data": str(Path(args.data).resolve())})
    save_model(model, args.out)
    overall = scores_table(cv)["overall"]["all"]
    out.write(f"cross-validated word F1 {overall['f1']:.3f} (threshold {cv.threshold}); model written to {args.out}\n")
    return 0


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from linesift.datasets import load_wcxb
    from linesift.evaluation import macro_average, word_scores
    from linesift.renderings import render

    extractor = _extractor(args)
    scores = []
    for page in load_wcxb(args.data):
        document = page.html if args.mode == "html" else render(page.html, "linesift")
        score = word_scores(extractor.extract(document, mode=args.mode), page.main_content)
        scores.append(score)
        if args.per_page:
            out.write(f"{page.page_id}\t{page.page_type}\t{score.precision:.3f}\t{score.recall:.3f}\t{score.f1:.3f}\n")
    if not scores:
        out.write("no pages found\n")
        return 1
    total = macro_average(scores)
    out.write(f"{len(scores)} pages: precision {total.precision:.3f}, recall {total.recall:.3f}, F1 {total.f1:.3f}\n")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    handlers = {"extract": _extract, "train": _train, "evaluate": _evaluate}
    try:
        return handlers[args.command](args, out)
    except (ModelError, FileNotFoundError, ImportError) as error:
        print(f"linesift: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
