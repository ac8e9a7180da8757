"""Error analysis: render every page's lines coloured by their label and by linesift's decision.

    python training/error_report.py --data ../shared/datasets/wcxb-dev --out error-report

Writes ``error-report/index.html`` (open it in a browser): per page type, the mean word F1 and
where the wrong words are (kept boilerplate, dropped content) by line kind, then the worst pages
of each type, each linked to a page that shows all its lines. A line's *label* is what
:func:`linesift.alignment.align` derives from the human-reviewed main content; its *decision*
is the model's.

Decisions come from the out-of-fold probabilities that ``training/train.py`` writes to
``benchmarks/results/linesift-cv.jsonl`` (models that never saw the page's domain), for every
page that file covers; otherwise from the bundled model (``--model`` to use another), which
flatters the pages it was trained on, so the report says which source each page used.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from linesift._progress import progress_bar
from linesift.datasets import load_wcxb, resolve_data_dir
from linesift.evaluation import WordScores, macro_average, word_scores, words
from linesift.labels import SOURCES, LabelledDocument, label_documents
from linesift.scoring import document_probabilities, kept_text
from linesift.selection import Decision, decide
from linesift.storage import LinesiftModel, default_model, load_model

ROOT = Path(__file__).resolve().parents[1]
#: Row colours: (label, decision) → CSS background.
COLOURS = {(1, 1): "#d9f2d9", (0, 0): "#eeeeee", (0, 1): "#ffd8a8", (1, 0): "#ffb3b3"}
OUTCOMES = {(1, 1): "kept content", (0, 0): "dropped boilerplate", (0, 1): "kept boilerplate", (1, 0): "dropped content"}


@dataclass
class PageReport:
    """One document's lines with labels and decisions, and its word scores; ``floor`` and ``beta`` are the model's cut."""

    document: LabelledDocument
    probabilities: np.ndarray
    floor: float
    beta: float
    decided_by: str

    @cached_property
    def decision(self) -> Decision:
        """The page's kept lines and its own threshold (:func:`linesift.selection.decide`)."""
        return decide(self.probabilities, self.document.texts, floor=self.floor, beta=self.beta)

    @property
    def threshold(self) -> float:
        return self.decision.threshold

    @property
    def decisions(self) -> np.ndarray:
        return self.decision.keep.astype(int)

    @cached_property
    def scores(self) -> WordScores:
        return word_scores(kept_text(self.document, self.probabilities, self.floor, self.beta), self.document.page.main_content)

    @property
    def file_name(self) -> str:
        return f"{self.document.page.page_id}-{self.document.source.replace(':', '-')}.html"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "wcxb-dev"), help="WCXB-layout folder")
    parser.add_argument("--out", default="error-report", help="folder for index.html and the page reports")
    parser.add_argument("--mode", choices=sorted(SOURCES), default="html")
    parser.add_argument("--cv", default=str(ROOT / "benchmarks" / "results" / "linesift-cv.jsonl"),
                        help="out-of-fold probabilities written by training/train.py (used where present)")
    parser.add_argument("--model", default=None, help="model file for pages the --cv file lacks (bundled by default)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=15, help="pages listed per page type")
    parser.add_argument("--n-jobs", type=int, default=2)
    return parser.parse_args(argv)


def read_out_of_fold(path: Path) -> tuple[dict[tuple[str, str], list[float]], dict[str, tuple[float, float]]]:
    """Per-line probabilities by (page id, input), and the floor and beta of each mode, from train.py's file."""
    probabilities: dict[tuple[str, str], list[float]] = {}
    thresholds: dict[str, tuple[float, float]] = {}
    if not path.exists():
        return probabilities, thresholds
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if "probabilities" in record:
            probabilities[(record["page_id"], record["input"])] = record["probabilities"]
            thresholds["text" if record["input"].startswith("text") else "html"] = (record["threshold"], record.get("beta", 1.0))
    return probabilities, thresholds


def build_reports(
    documents: Iterable[LabelledDocument], out_of_fold: dict[tuple[str, str], list[float]], cut: tuple[float, float] | None,
    model: LinesiftModel,
) -> list[PageReport]:
    """Pair each document with out-of-fold probabilities where they fit its lines, else the model's."""
    reports = []
    for document in documents:
        stored = out_of_fold.get((document.page.page_id, document.source))
        if stored is not None and cut is not None and len(stored) == len(document.texts):
            reports.append(PageReport(document, np.asarray(stored), *cut, "out-of-fold"))
        else:
            probabilities = document_probabilities(model.classifier, document)
            reports.append(PageReport(document, probabilities, model.floor, model.beta, "model"))
    return reports


def line_kinds(document: LabelledDocument) -> list[str]:
    """A coarse class of each line for the error table: its tag group in HTML, its length in text."""
    if document.source == "html":
        columns = [index for index, name in enumerate(document.names) if name.startswith("tag_")]
        tags = document.matrix[:, columns]
        return [
            f"tag group {document.names[columns[best]].removeprefix('tag_')}" if present else "other tag"
            for best, present in zip(np.argmax(tags, axis=1), tags.max(axis=1) > 0)
        ]
    counts = [len(words(text)) for text in document.texts]
    return ["1-4 words" if count < 5 else "5-14 words" if count < 15 else "15+ words" for count in counts]


def error_words(reports: Iterable[PageReport]) -> dict[str, dict[str, int]]:
    """Words on wrongly decided lines, by line kind and outcome."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for report in reports:
        wrong = np.flatnonzero(report.document.labels != report.decisions)
        if not len(wrong):
            continue
        kinds = line_kinds(report.document)
        for index in wrong:
            outcome = OUTCOMES[(int(report.document.labels[index]), int(report.decisions[index]))]
            table[kinds[index]][outcome] += len(words(report.document.texts[index]))
    return table


def page_html(report: PageReport) -> str:
    """All lines of one document as a table, coloured by (label, decision)."""
    page = report.document.page
    rows = []
    lines = zip(report.document.texts, report.document.labels, report.decisions, report.probabilities)
    for index, (text, label, decision, p) in enumerate(lines):
        key = (int(label), int(decision))
        rows.append(
            f'<tr style="background:{COLOURS[key]}"><td>{index}</td><td>{OUTCOMES[key]}</td>'
            f'<td><meter value="{p:.3f}"></meter> {p:.2f}</td><td>{html.escape(text)}</td></tr>'
        )
    scores = report.scores
    legend = " ".join(f'<span style="background:{COLOURS[k]};padding:2px 6px">{v}</span>' for k, v in OUTCOMES.items())
    return (
        f"<!doctype html><meta charset=utf-8><title>{page.page_id} {report.document.source}</title>"
        "<style>body{font:14px sans-serif}td{padding:2px 6px;vertical-align:top}</style>"
        f"<h1>{page.page_id} · {html.escape(page.page_type)} · {html.escape(page.domain)} · {report.document.source}</h1>"
        f"<p>word F1 {scores.f1:.3f} (precision {scores.precision:.3f}, recall {scores.recall:.3f}); page threshold "
        f"{report.threshold:.2f} (floor {report.floor}, beta {report.beta}); decisions {report.decided_by}; <a href='{html.escape(page.url or '')}'>original URL</a></p>"
        f"<p>{legend}</p><table><tr><th>line</th><th>label → decision</th><th>probability</th><th>text</th></tr>"
        + "\n".join(rows) + "</table>"
    )


def index_html(reports: list[PageReport], worst: int) -> str:
    """Per page type: mean F1, wrong words by line kind, and links to the worst pages."""
    by_type: dict[str, list[PageReport]] = defaultdict(list)
    for report in reports:
        by_type[report.document.page.page_type].append(report)
    sources = Counter(report.decided_by for report in reports)
    sections = [
        "<!doctype html><meta charset=utf-8><title>linesift error report</title>"
        "<style>body{font:14px sans-serif}td,th{padding:2px 8px;text-align:left}</style>"
        f"<h1>linesift error report</h1><p>{len(reports)} documents; macro word F1 "
        f"{macro_average(r.scores for r in reports).f1:.3f}; decisions: "
        + ", ".join(f"{count} {name}" for name, count in sorted(sources.items())) + "</p>"
    ]
    for page_type, group in sorted(by_type.items()):
        table = error_words(group)
        error_rows = "".join(
            f"<tr><td>{html.escape(kind)}</td><td>{counts['kept boilerplate']}</td><td>{counts['dropped content']}</td></tr>"
            for kind, counts in sorted(table.items(), key=lambda item: -sum(item[1].values()))
        )
        ranked = sorted(group, key=lambda r: r.scores.f1)[:worst]
        page_rows = "".join(
            f"<tr><td><a href='pages/{r.file_name}'>{r.document.page.page_id}</a></td><td>{html.escape(r.document.page.domain)}</td>"
            f"<td>{r.document.source}</td><td>{r.scores.f1:.3f}</td><td>{r.scores.precision:.3f}</td><td>{r.scores.recall:.3f}</td></tr>"
            for r in ranked
        )
        sections.append(
            f"<h2>{html.escape(page_type)}: {len(group)} documents, F1 {macro_average(r.scores for r in group).f1:.3f}</h2>"
            "<table><tr><th>line kind</th><th>words kept wrongly</th><th>words dropped wrongly</th></tr>"
            f"{error_rows}</table><h3>worst {len(ranked)}</h3><table><tr><th>page</th><th>domain</th>"
            f"<th>input</th><th>F1</th><th>precision</th><th>recall</th></tr>{page_rows}</table>"
        )
    return "\n".join(sections)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pages = list(load_wcxb(resolve_data_dir(args.data), limit=args.limit))
    out_of_fold, thresholds = read_out_of_fold(Path(args.cv))
    model = load_model(args.model, trusted=True) if args.model else default_model(args.mode)
    documents = label_documents(pages, SOURCES[args.mode], n_jobs=args.n_jobs, progress=True)
    reports = build_reports(documents, out_of_fold, thresholds.get(args.mode), model)
    out = Path(args.out)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for report in progress_bar(reports, "writing pages", unit="doc"):
        (out / "pages" / report.file_name).write_text(page_html(report), encoding="utf-8")
    (out / "index.html").write_text(index_html(reports, args.worst), encoding="utf-8")
    print(f"{len(reports)} documents; open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
