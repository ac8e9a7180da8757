"""Extraction speed on a busy machine: linesift beside a CPU-bound process pinned to one core.

Usage (from the repository root)::

    PYTHONPATH=src python3 benchmarks/loaded.py --data ../shared/datasets/wcxb-dev --limit 60

A busy process (a Python loop) is pinned to core 0; linesift then extracts the same pages in fresh
processes that may use every core, with the environment as it is (no thread
variables: what a new user gets) and with ``OMP_NUM_THREADS=1``, twice each (in the order A B B A;
the faster run of each counts). An OpenMP pool spread over
every core waits on the busy one at each of the model's many small parallel regions, so the
ratio of the two throughputs shows whether linesift limits its own threads (target: within 1.25x).
``--fit`` times fitting a small :class:`linesift.model.LineClassifier` on the pages' features the same way.
The figures go to ``benchmarks/results/loaded-extract.json`` (or ``loaded-fit.json``), from which
``benchmarks/run.py`` puts them in RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from run import DEFAULT_OUT

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _busy() -> subprocess.Popen[bytes]:
    """A process that keeps core 0 busy until it is ended."""
    code = "import os\nif hasattr(os, 'sched_setaffinity'): os.sched_setaffinity(0, {0})\nwhile True: pass\n"
    return subprocess.Popen([sys.executable, "-c", code])


def _child(data: Path, limit: int, fit: bool) -> dict[str, float]:
    """Extract (or fit on) ``limit`` pages in this process; wall and CPU seconds of the timed part."""
    sys.path.insert(0, str(Path(__file__).parent))
    import numpy as np
    from loaders import load_pages, read_html

    from linesift.api import default_extractor

    documents = [read_html(page.html_path) for page in load_pages(data, limit)]
    extractor = default_extractor()
    extractor.extract(documents[0])
    if fit:
        from linesift._input import load_lines
        from linesift.features import featurize
        from linesift.model import LineClassifier

        pages = [featurize(load_lines(document, mode="html")) for document in documents]
        X = np.vstack([page.matrix for page in pages])
        y = (X[:, 0] > np.median(X[:, 0])).astype(int)
        doc_ids = np.repeat(np.arange(len(pages)), [len(page.matrix) for page in pages])
        work = lambda: LineClassifier(max_iter=30).fit(X, y, doc_ids=doc_ids)
    else:
        work = lambda: [extractor.extract(document) for document in documents]
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "pages": len(documents)}


def _run(data: Path, limit: int, fit: bool, env: dict[str, str]) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", "--data", str(data), "--limit", str(limit)] + (["--fit"] if fit else [])
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run both settings beside the busy process and print their throughputs and ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="WCXB-layout folder")
    parser.add_argument("--limit", type=int, default=60, help="pages (default: %(default)s)")
    parser.add_argument("--fit", action="store_true", help="time a small fit instead of extraction")
    parser.add_argument("--out", type=Path, help="results file (default: benchmarks/results/loaded-extract.json, "
                        "or loaded-fit.json with --fit)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.data, args.limit, args.fit)))
        return 0
    default_env = {key: value for key, value in os.environ.items() if key not in THREAD_VARIABLES}
    one_thread_env = {**default_env, **dict.fromkeys(THREAD_VARIABLES, "1")}
    busy = _busy()
    try:
        # A B B A: each setting runs early and late, so that a change in the machine's other load
        # falls on both; the faster run of each counts.
        settings = {"default": default_env, "OMP_NUM_THREADS=1": one_thread_env}
        runs = [(name, _run(args.data, args.limit, args.fit, settings[name])) for name in [*settings, *reversed(settings)]]
        results = {name: min((result for run_name, result in runs if run_name == name), key=lambda r: r["wall_s"])
                   for name in settings}
    finally:
        busy.kill()
        busy.wait()
    what = "fit" if args.fit else "extract"
    for name, result in results.items():
        rate = result["pages"] / result["wall_s"]
        print(f"{what} {name:>18}: {result['wall_s']:7.2f} s wall, {result['cpu_s']:7.2f} s CPU, {rate:6.1f} pages/s")
    ratio = results["default"]["wall_s"] / results["OMP_NUM_THREADS=1"]["wall_s"]
    print(f"default is {ratio:.2f}x the wall time of OMP_NUM_THREADS=1 beside a busy core (target: <= 1.25)")
    out = args.out or DEFAULT_OUT / f"loaded-{what}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"loaded": what, "settings": results, "ratio": ratio,
                               "run_on": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                               "command": shlex.join(["python3", "benchmarks/loaded.py", *(argv or sys.argv[1:])])},
                              indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
