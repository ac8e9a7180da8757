"""Benchmark linesift against peer extractors and line filters: accuracy, speed, memory.

Usage (from the repository root, after ``pip install -e .[bench]``)::

    python3 benchmarks/run.py --data ../shared/datasets/wcxb-dev [--systems a,b] [--inputs html] [--limit N]

Each system runs on each input it takes (``html``, ``text:html-text``, ``text:inscriptis``) in a
worker process of its own, one after another. Results go to ``OUT/<system>__<input>.json``; a run
of some systems replaces only their files, and the report (``RESULTS.md`` beside ``OUT`` and
``OUT/f1_vs_speed.png``) is rebuilt from every result file in ``OUT``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

import report
import scoring
from loaders import BenchPage, detect_layout, is_wcxb_dev, load_pages, read_html
from runner import WorkerOutcome, run_system
from systems import ALL_NAMES, INPUTS, package_versions, renderer_of, slug, system_for
from tqdm import tqdm

DEFAULT_OUT = Path(__file__).with_name("results")
CV_FILE = "linesift-cv.jsonl"
CV_SOURCE = f"cross-validated predictions ({CV_FILE})"
HELD_OUT_SOURCE = "a model that saw no page of this set ({})"
BUNDLED_SOURCE = "bundled model (may have seen these pages)"
DIRECT_SOURCE = "direct call"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="WCXB-layout folder, or *.html + expected.json")
    parser.add_argument("--systems", default=",".join(ALL_NAMES), help=f"comma-separated, from: {', '.join(ALL_NAMES)}; empty: only rebuild the report")
    parser.add_argument("--inputs", default=",".join(INPUTS), help=f"comma-separated, from: {', '.join(INPUTS)}")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder (default: benchmarks/results)")
    parser.add_argument("--report", type=Path, help="Markdown report (default: RESULTS.md beside --out)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per page before it counts as a timeout")
    parser.add_argument("--linesift-cv", type=Path, help=f"linesift's cross-validated outputs (default: OUT/{CV_FILE})")
    args = parser.parse_args(argv)
    args.systems = _choices(args.systems, ALL_NAMES, parser, "system")
    args.inputs = _choices(args.inputs, INPUTS, parser, "input")
    return args


def _choices(value: str, allowed: tuple[str, ...], parser: argparse.ArgumentParser, what: str) -> list[str]:
    chosen = [item.strip() for item in value.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in allowed]
    if unknown:
        parser.error(f"unknown {what}(s): {', '.join(unknown)}; choose from {', '.join(allowed)}")
    return chosen


def machine_info() -> dict[str, object]:
    """CPU model, core count, OS and Python version, for the report."""
    cpu = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        cpu = models[0] if models else cpu
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def _write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(record) + "\n" for record in records))


def prepare_input(input_name: str, pages: list[BenchPage], data_dir: Path, inputs_dir: Path) -> tuple[Path, int]:
    """Write the worker's page file for ``input_name``; return it and the count of failed renderings.

    Renderings are cached: they are reused while the data folder and page list are unchanged.
    Raises ImportError when the renderer is not installed.
    """
    path = inputs_dir / f"{input_name.replace(':', '-')}.jsonl"
    renderer = renderer_of(input_name)
    if renderer is None:
        _write_jsonl(path, [{"page_id": page.page_id, "path": str(page.html_path.resolve())} for page in pages])
        return path, 0
    meta_path = path.with_suffix(".meta.json")
    key = {"data": str(data_dir.resolve()), "page_ids": [page.page_id for page in pages]}
    if path.exists() and meta_path.exists() and json.loads(meta_path.read_text())["key"] == key:
        return path, json.loads(meta_path.read_text())["failures"]
    from linesift.renderings import render

    records, failures = [], 0
    for page in tqdm(pages, desc=f"rendering with {renderer}", unit="page", mininterval=2):
        try:
            text = render(read_html(page.html_path), renderer)
        except ImportError:
            raise
        except Exception:  # a page the renderer cannot read is given as empty text
            text, failures = "", failures + 1
        records.append({"page_id": page.page_id, "text": text})
    _write_jsonl(path, records)
    meta_path.write_text(json.dumps({"key": key, "failures": failures}))
    return path, failures


def load_cv(path: Path) -> dict[tuple[str, str], str]:
    """linesift's cross-validated outputs, keyed by (input, page_id)."""
    records = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {(record["input"], record["page_id"]): record["text"] for record in records}


def evaluate(
    name: str,
    input_name: str,
    pages: list[BenchPage],
    outcome: WorkerOutcome,
    cv: dict[tuple[str, str], str],
    cv_source: str = CV_SOURCE,
) -> dict[str, object]:
    """Score one system/input: accuracy from its outputs (or linesift's CV file), speed from its worker."""
    page_ids = [page.page_id for page in pages]
    cv_covers = all((input_name, page_id) in cv for page_id in page_ids)
    if name == "linesift" and cv and cv_covers:
        texts, source = {page_id: cv[(input_name, page_id)] for page_id in page_ids}, cv_source
    elif outcome.unavailable:
        texts, source = None, None
    else:
        texts = {page_id: record["text"] for page_id, record in outcome.records.items()}
        source = DIRECT_SOURCE
        if name == "linesift":
            source = f"{BUNDLED_SOURCE}; {CV_FILE} lacks some of these pages" if cv else BUNDLED_SOURCE
    statuses = [record["status"] for record in outcome.records.values()]
    timed = [record["cpu_s"] for record in outcome.records.values() if record["cpu_s"] is not None]
    peaks = [record["peak_rss_kb"] for record in outcome.records.values() if record.get("peak_rss_kb")]
    system = system_for(name, input_name)
    result: dict[str, object] = {
        "system": name,
        "input": input_name,
        "versions": system.versions() if system else {},
        "status": "unavailable" if outcome.unavailable else "ok",
        "error": outcome.unavailable,
        "accuracy_source": source,
        "failures": sum(status in ("error", "crash") for status in statuses),
        "timeouts": statuses.count("timeout"),
        "worker_restarts": outcome.restarts,
        "speed": None if outcome.unavailable else scoring.speed(timed, max(peaks, default=None)),
    }
    if texts is None:
        result.update(scores=None, by_page_type=None, snippets=None)
    else:
        result.update(scoring.accuracy(pages, texts))
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the chosen systems on the chosen inputs, write their result files, rebuild the report."""
    args = parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    out_dir: Path = args.out
    raw_dir = out_dir / "raw"
    pages = load_pages(args.data, args.limit)
    if not pages:
        print(f"no pages found in {args.data}", file=sys.stderr)
        return 1
    wcxb_dev = is_wcxb_dev(args.data)
    cv_path = args.linesift_cv or out_dir / CV_FILE
    # Another set's predictions come only from a file named on purpose (training/leave_one_source_out.py).
    cv = load_cv(cv_path) if (wcxb_dev or args.linesift_cv) and cv_path.exists() else {}
    cv_source = CV_SOURCE if wcxb_dev and not args.linesift_cv else HELD_OUT_SOURCE.format(cv_path.name)
    context = {
        "command": shlex.join(["python3", "benchmarks/run.py", *argv]),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "data": {"name": args.data.resolve().name, "layout": detect_layout(args.data), "pages": len(pages), "wcxb_dev": wcxb_dev},
    }
    page_ids = [page.page_id for page in pages]
    for input_name in args.inputs:
        names = [name for name in args.systems if system_for(name, input_name)]
        if not names:
            continue
        renderer = renderer_of(input_name)
        try:
            pages_path, render_failures = prepare_input(input_name, pages, args.data, raw_dir / "inputs")
            input_error = None
        except ImportError as error:
            pages_path, render_failures, input_error = None, 0, f"renderer {renderer} unavailable: {error}"
        for name in names:
            if pages_path is None:
                outcome = WorkerOutcome({}, input_error, 0)
            else:
                stem = raw_dir / slug(name, input_name)
                outcome = run_system(name, input_name, pages_path, page_ids, stem.with_suffix(".jsonl"), stem.with_suffix(".log"), args.timeout)
            result = evaluate(name, input_name, pages, outcome, cv, cv_source)
            renderer_version = package_versions((renderer,)) if renderer else None
            # Other processes on the machine slow the timed core down (shared caches, SMT siblings).
            load = round(os.getloadavg()[0], 2)
            result.update(context, renderer=renderer_version, render_failures=render_failures, load_1min_after=load)
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / f"{slug(name, input_name)}.json").write_text(json.dumps(result, indent=2) + "\n")
            print(report.one_line(result), file=sys.stderr)
    report_path = args.report or out_dir.parent / "RESULTS.md"
    report.write_report(out_dir, report_path, focus=context["data"])
    print(f"wrote {report_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
