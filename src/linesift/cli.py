"""Command line: ``linesift extract``, ``linesift label``, ``linesift train``, ``linesift evaluate``.

A thin shell over the public API: every subcommand parses its arguments and calls library functions.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from linesift import __version__
from linesift._defaults import DEFAULT_BASE_PAGES, DEFAULT_USER_SHARE, REVIEW_MARGIN
from linesift._extract_cli import FORMATS, Writer, error_record, inputs, read, render
from linesift.errors import InputError, ModelError

if TYPE_CHECKING:  # the library proper loads in the subcommands: ``linesift --help`` imports no scikit-learn
    from linesift.api import Extractor
    from linesift.evaluation import Evaluation

#: Library wording in messages, and the command line's for the same thing.
_CLI_WORDING = (
    (re.compile(r"\bmode='(html|text)'"), r"--mode \1"),
    (re.compile(r"\btrusted=True \(CLI: --trust-model\)"), "--trust-model"),
    (re.compile(r"\btrusted=True\b"), "--trust-model"),
    (re.compile(r"\buser_share\b"), "--user-share"),
    (re.compile(r"\bcontent_selector\b"), "--content-selector"),
)
_MODE_HELP = "input type: auto detects HTML, html or text forces it (default: %(default)s)"


def _probability(value: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="linesift", description="Keep the main content of web pages, line by line.")
    parser.add_argument("--version", action="version", version=f"linesift {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="print the main content of HTML or text files (stdin if none)")
    extract.add_argument("files", nargs="*", help="HTML or text files (.gz too), or folders to walk; '-' or nothing "
                                                  "reads stdin")
    extract.add_argument("--format", choices=FORMATS, default="text",
                         help="text: kept lines; markdown: kept lines with headings, lists, tables and code; json: an "
                              "object per file (an array for several) with title, language and text; jsonl: one such "
                              "object a line; tsv: label, probability, text of every line (default: %(default)s)")
    extract.add_argument("--lines", action="store_true", help="json/jsonl: add every line with its label and probability")
    extract.add_argument("--mode", choices=("auto", "html", "text"), default="auto", help=_MODE_HELP)
    extract.add_argument("--glob", default="*", help="files to take from folders, e.g. '*.html.gz' (default: every "
                                                     "file, hidden ones skipped)")
    extract.add_argument("--output-dir", type=Path, help="write one file per input here (NAME.txt, .md, .json or "
                                                         ".tsv, keeping folders' layout) instead of stdout")
    extract.add_argument("--model", help="model file for this input type (default: the bundled one)")
    extract.add_argument("--trust-model", action="store_true", help="allow loading --model (model files are pickles)")
    extract.add_argument("--threshold", type=_probability,
                         help="fixed probability from 0 to 1 from which a line is content (default: each page's own)")
    extract.add_argument("--favor", choices=("precision", "recall"),
                         help="move each page's threshold up (precision: less boilerplate) or down (recall: less "
                              "content lost); see the README for what each costs")

    train = commands.add_parser("train", help="train a model on labelled pages, or adapt the default model to them")
    _add_data_arguments(train)
    train.add_argument("--out", required=True, help="model file to write (a JSON card is written beside it)")
    train.add_argument("--mode", choices=("html", "text"), default="html",
                       help="train on the HTML of the pages, or on their text (default: %(default)s)")
    train.add_argument("--base", help="adapt this model ('default', a bundled name, or a file with --trust-model) "
                                      "instead of training on your pages alone")
    train.add_argument("--base-data", help="refit --base on this WCXB-layout folder (its training data) plus your "
                                           "pages, instead of continuing its boosting on your pages (minutes, not seconds)")
    train.add_argument("--trust-model", action="store_true", help="allow loading --base from a file")
    train.add_argument("--base-pages", type=int, default=DEFAULT_BASE_PAGES,
                       help="with --base-data: base pages sampled to refit on; 0: all (slower) (default: %(default)s)")
    train.add_argument("--user-share", type=float, default=DEFAULT_USER_SHARE,
                       help="with --base-data: share of the training weight your pages carry (default: %(default)s)")
    train.add_argument("--folds", type=int, help="cross-validation folds on your pages, at most one per page (default: "
                                                 "5 alone, 0 with --base-data: each fold refits on the base data; "
                                                 "adapting without it always scores leave one page out)")
    train.add_argument("--n-jobs", type=int, default=1,
                       help="processes for labelling lines and fitting the cross-validation folds")

    evaluate = commands.add_parser("evaluate", help="word-level P/R/F1 and line accuracy of a model on labelled pages")
    _add_data_arguments(evaluate)
    evaluate.add_argument("--model", help="model file or bundled name (default: the bundled one)")
    evaluate.add_argument("--trust-model", action="store_true", help="allow loading --model")
    evaluate.add_argument("--mode", choices=("html", "text"), default="html",
                          help="score on the HTML, or on text rendered by linesift")
    evaluate.add_argument("--per-page", action="store_true", help="also print each page's scores")
    evaluate.add_argument("--n-jobs", type=int, default=1, help="processes for labelling lines")

    label = commands.add_parser("label", help="write a page's lines with predicted labels, to correct and train on")
    label.add_argument("file", help="HTML or text file")
    label.add_argument("--out", help="TSV file to write (default: stdout); train reads NAME.tsv beside NAME.html")
    label.add_argument("--mode", choices=("auto", "html", "text"), default="auto", help=_MODE_HELP)
    label.add_argument("--model", help="model file for this input type (default: the bundled one)")
    label.add_argument("--trust-model", action="store_true", help="allow loading --model (model files are pickles)")
    label.add_argument("--margin", type=_probability, default=REVIEW_MARGIN,
                       help="mark with ? the lines this close to the threshold (default: %(default)s)")
    from linesift.batch_cli import add_parser as add_batch_parser

    add_batch_parser(commands)
    return parser


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True,
                        help="a WCXB-layout folder, a folder of NAME.tsv labels (from `linesift label`) beside their "
                             "pages, or HTML pages with --content-selector")
    parser.add_argument("--content-selector", help="CSS selector of the content on these pages, e.g. 'article .body'")


def _extractor(args: argparse.Namespace) -> Extractor:
    from linesift.api import Extractor
    from linesift.storage import load_model

    threshold, favor = getattr(args, "threshold", None), getattr(args, "favor", None)
    if not getattr(args, "model", None):
        return Extractor(threshold=threshold, favor=favor)
    model = load_model(args.model, trusted=args.trust_model)
    if model.mode == "html":
        return Extractor(html_model=model, threshold=threshold, favor=favor)
    return Extractor(text_model=model, threshold=threshold, favor=favor)


def _extract(args: argparse.Namespace, out: TextIO) -> int:
    """Write each input's result; an input that cannot be read or extracted is reported and skipped.

    Every input is accounted for: failures go to stderr (and, in json and jsonl, get a record
    with ``"error"``), and a last line on stderr says ``N documents, M failed``.
    """
    if args.favor and args.threshold is not None:
        raise ValueError("--favor moves each page's own threshold; pass --favor or --threshold, not both")
    extractor = _extractor(args)
    sources = list(inputs(args.files, args.glob))
    if not sources:
        raise InputError(f"no file under {', '.join(args.files)} matches --glob {args.glob!r}")
    many = len(sources) > 1
    writer = Writer(out, args.format, out_dir=args.output_dir, many=many)
    failures = 0
    for source in sources:
        try:
            result = extractor.run(read(source), mode=args.mode)
        except Exception as error:  # report this input and go on with the next one
            failures += 1
            reason = _cli_message(error)
            print(f"linesift: {source.label}: {reason}", file=sys.stderr)
            if args.format in ("json", "jsonl"):
                writer.write(source, error_record(source.label, reason, args.format))
            continue
        writer.write(source, render(result, args.format, label=source.label, with_lines=args.lines, many=many))
    writer.close()
    where = f", written to {args.output_dir}" if args.output_dir else ""
    print(f"{len(sources)} document{'s' if many else ''}{where}, {failures} failed", file=sys.stderr)
    return 1 if failures else 0


def _cli_message(error: BaseException) -> str:
    """The error's message in the command line's wording; the type is named for other than input errors."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return _reword(str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}")


def _os_message(error: OSError) -> str:
    """``NAME: reason`` for a file the system refused (``reason`` alone when the message names it)."""
    if error.filename is None or error.strerror is None:
        return str(error)
    return f"{error.filename}: {error.strerror}"


def _reword(message: str) -> str:
    """``message`` with the library's wording (``mode='text'``) put as the command line's (``--mode text``)."""
    for pattern, replacement in _CLI_WORDING:
        message = pattern.sub(replacement, message)
    return message


def _train(args: argparse.Namespace, out: TextIO) -> int:
    from linesift.storage import save_model
    from linesift.training import train

    result = train(args.data, mode=args.mode, base=args.base, base_data=args.base_data, base_pages=args.base_pages,
                   content_selector=args.content_selector, user_share=args.user_share,
                   folds=args.folds, trusted=args.trust_model, n_jobs=args.n_jobs, progress=True)
    save_model(result.model, args.out)
    if result.base_scores is not None:
        out.write(f"before adapting, {args.base} on your pages:\n")
        _write_scores(result.base_scores, out, per_page=True)
    adapted = result.model.card.get("adapted_from", {})
    if result.cross_validation is None:
        out.write("not cross-validated: " + ("pass --folds 3 or more (each fold refits on the base data)\n" if args.base
                                             else "that needs 2 pages or more and --folds 2 or more\n"))
    elif "extra_trees" in adapted:
        out.write(f"adapted ({adapted['extra_trees']} extra trees per booster, the number that scored best, and your "
                  "labelled lines remembered), each of "
                  "your pages scored by a model adapted on the others:\n")
        _write_scores(result.cross_validation, out, per_page=True)
    else:
        out.write("cross-validated on your pages, each scored by a model that never saw it:\n")
        _write_scores(result.cross_validation, out, per_page=True)
    out.write(f"floor {result.model.floor:.2f}; model written to {args.out}, card to "
              f"{Path(args.out).with_suffix('.json')}\n")
    return 0


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from linesift.training import evaluate

    evaluation = evaluate(args.model, args.data, trusted=args.trust_model, mode=args.mode,
                          content_selector=args.content_selector, n_jobs=args.n_jobs, progress=True)
    if not evaluation.pages:
        out.write("no pages found\n")
        return 1
    _write_scores(evaluation, out, per_page=args.per_page)
    return 0


def _write_scores(evaluation: Evaluation, out: TextIO, *, per_page: bool) -> None:
    if per_page:
        out.write("page\tlines\tline_accuracy\tprecision\trecall\tf1\n")
        for page in evaluation.pages:
            name = page.page_id if page.source in ("html", "text:linesift") else f"{page.page_id}:{page.source}"
            out.write(f"{name}\t{page.lines}\t{page.line_accuracy:.3f}\t{page.precision:.3f}\t"
                      f"{page.recall:.3f}\t{page.f1:.3f}\n")
    total = evaluation.summary()
    out.write(f"{len(evaluation.pages)} pages: precision {total.precision:.3f}, recall {total.recall:.3f}, "
              f"F1 {total.f1:.3f}, line accuracy {total.line_accuracy:.3f}\n")


def _label(args: argparse.Namespace, out: TextIO) -> int:
    from linesift.labels import write_labels

    data = Path(args.file).read_bytes()
    if not args.out:
        write_labels(data, out, extractor=_extractor(args), mode=args.mode, margin=args.margin)
        return 0
    with open(args.out, "w", encoding="utf-8") as handle:
        marked = write_labels(data, handle, extractor=_extractor(args), mode=args.mode, margin=args.margin)
    print(f"linesift: wrote {args.out}; {marked} doubtful line(s) marked '?': correct the labels, then "
          f"`linesift train --data {Path(args.out).parent} --out site.joblib`", file=sys.stderr)
    return 0


def _batch(args: argparse.Namespace, out: TextIO) -> int:
    from linesift.batch_cli import run

    return run(args, out)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    handlers = {"extract": _extract, "train": _train, "evaluate": _evaluate, "label": _label, "batch": _batch}
    try:
        return handlers[args.command](args, out)
    except OSError as error:  # a file that is missing, a folder, unreadable (BrokenPipeError below excepted)
        if isinstance(error, BrokenPipeError):
            return _closed_pipe()
        print(f"linesift: {_os_message(error)}", file=sys.stderr)
        return 2
    except (ModelError, ImportError, ValueError) as error:
        print(f"linesift: {_reword(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("linesift: interrupted", file=sys.stderr)
        return 130


def _closed_pipe() -> int:
    """The reader closed the pipe (`linesift extract page.html | head`): stop without a traceback.

    Python's documented recipe: point stdout at devnull, so the final flush cannot fail again.
    """
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1


if __name__ == "__main__":
    sys.exit(main())
