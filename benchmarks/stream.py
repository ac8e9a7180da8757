"""Stream wcxb-dev pages, repeated, through ``linesift batch`` as JSONL and as WARC; print pages/s and peak RSS.

The documents are split into inputs of ``--step`` documents each; since ``linesift batch`` renames
an output only when its input is complete, the peak RSS of the process tree (main process and
workers, summed, sampled every 0.1 s) is read both when the first output appears (``--step``
documents done) and at the end. Flat memory means the two peaks are within 10 %; two jobs should
run at least 1.7 times as fast as one.

    python benchmarks/stream.py --data ../shared/datasets/wcxb-dev --docs 10000
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

import psutil
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]


def write_inputs(pages: list[Path], folder: Path, *, docs: int, step: int, kind: str) -> list[Path]:
    """``docs`` documents cycled from ``pages``, in files of ``step`` documents, as JSONL or WARC."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = cycle(pages)
    paths = []
    for number, start in enumerate(range(0, docs, step)):
        batch = list(islice(sources, min(step, docs - start)))
        if kind == "jsonl":
            path = folder / f"part-{number:03d}.jsonl"
            with open(path, "w", encoding="utf-8") as handle:
                for index, page in enumerate(batch, start=start):
                    content = _read(page).decode("utf-8", errors="replace")
                    handle.write(json.dumps({"id": f"{index}", "url": f"https://x.example/{page.name}", "content": content}) + "\n")
        else:
            path = folder / f"part-{number:03d}.warc.gz"
            with open(path, "wb") as stream:
                writer = WARCWriter(stream, gzip=True)
                for page in batch:
                    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                    writer.write_record(writer.create_warc_record(
                        f"https://x.example/{page.name}", "response", payload=io.BytesIO(_read(page)), http_headers=headers))
        paths.append(path)
    return paths


def _read(page: Path) -> bytes:
    return gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of ``process`` and all its descendants, in bytes."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # a worker that just ended
            continue
    return total


def run(inputs: list[Path], out: Path, jobs: int) -> dict[str, float]:
    """Run ``linesift batch`` on ``inputs``; return pages/s and the peak RSS at the first output and at the end."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "linesift.cli", "batch", *map(str, inputs), "--out", str(out), "--jobs", str(jobs)]
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    process = psutil.Process(child.pid)
    peak = first_peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(process))
        if not first_peak and any(out.glob("*.jsonl.gz")):
            first_peak = peak
        time.sleep(0.1)
    stderr = child.stderr.read() if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"linesift batch failed:\n{stderr}")
    summary = stderr.strip().splitlines()[-1]
    rate = float(re.search(r"([\d.]+) pages/s", summary).group(1))
    return {"pages_per_s": rate, "first_peak_mb": first_peak / 2**20, "peak_mb": peak / 2**20, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a WCXB-layout folder (its html/ pages are used)")
    parser.add_argument("--docs", type=int, default=10_000, help="documents streamed (default: %(default)s)")
    parser.add_argument("--step", type=int, default=1_000, help="documents per input file (default: %(default)s)")
    parser.add_argument("--kinds", default="jsonl,warc", help="input formats (default: %(default)s)")
    parser.add_argument("--jobs", default="1,2", help="worker counts to compare (default: %(default)s)")
    args = parser.parse_args()
    pages = sorted((Path(args.data) / "html").glob("*.html*"))
    if not pages:
        raise SystemExit(f"no pages in {args.data}/html: give a WCXB-layout folder")
    with tempfile.TemporaryDirectory() as scratch:
        for kind in args.kinds.split(","):
            inputs = write_inputs(pages, Path(scratch) / kind, docs=args.docs, step=args.step, kind=kind)
            rates = {}
            for jobs in map(int, args.jobs.split(",")):
                result = run(inputs, Path(scratch) / f"out-{kind}-{jobs}", jobs)
                rates[jobs] = result["pages_per_s"]
                growth = result["peak_mb"] / result["first_peak_mb"] - 1 if result["first_peak_mb"] else float("nan")
                print(f"{kind} --jobs {jobs}: {result['pages_per_s']:.1f} pages/s; peak RSS {result['first_peak_mb']:.0f} MB "
                      f"at {args.step:,} documents, {result['peak_mb']:.0f} MB at {args.docs:,} ({growth:+.1%}); "
                      f"{result['summary']}", flush=True)
            if 1 in rates and 2 in rates:
                print(f"{kind}: 2 jobs run {rates[2] / rates[1]:.2f}x as fast as 1", flush=True)


if __name__ == "__main__":
    main()
