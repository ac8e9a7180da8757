"""linesift's speed against a peer's, page by page in one process: a ratio the machine's load shifts less.

Usage (from the repository root)::

    python3 benchmarks/paired_speed.py --data ../shared/datasets/wcxb-dev [--peer trafilatura] [--limit N] [--rounds 1]

``benchmarks/run.py`` times each system over all pages in a worker of its own, one after the
other, so a stretch of load from other processes on a shared machine falls on one system and not
the other (the same code gave trafilatura 12.0 and 15.7 pages/s in two runs of 2026-12-07). Here
both extract each page in turn, in one process pinned to one core, the order swapped from page
to page, and each call's CPU time is summed per system: whatever slows the machine down slows
both alike. Both are built as the benchmark builds them (``systems.system_for``), linesift with
``linesift.extract`` on the bundled HTML model. The figures go to
``benchmarks/results/paired-speed.json``, from which ``benchmarks/run.py`` puts them in RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path

from loaders import load_pages, read_html
from run import DEFAULT_OUT
from systems import Extract, system_for
from tqdm import tqdm
from worker import _call, _on_alarm


def _time_alternately(extractors: dict[str, Extract], documents: list[str], peer: str, rounds: int,
                      timeout_s: int) -> tuple[dict[str, float], dict[str, int], list[float]]:
    """CPU seconds and failed calls per system, each page extracted by each in turn (the order swapped
    page by page), and the peer's time over linesift's in each round."""
    for extract in extractors.values():
        _call(extract, documents[0], timeout_s)  # models and caches loaded: not per-page cost
    seconds = dict.fromkeys(extractors, 0.0)
    failures = dict.fromkeys(extractors, 0)
    round_ratios = []
    names = list(extractors)
    for _ in range(rounds):
        in_round = dict.fromkeys(extractors, 0.0)
        for number, document in enumerate(tqdm(documents, desc="pages", unit="page", mininterval=2)):
            for name in names if number % 2 == 0 else names[::-1]:
                _, status, _, spent = _call(extractors[name], document, timeout_s)
                in_round[name] += spent
                failures[name] += status != "ok"
        round_ratios.append(in_round[peer] / in_round["linesift"])
        for name, spent in in_round.items():
            seconds[name] += spent
    return seconds, failures, round_ratios


def main(argv: list[str] | None = None) -> int:
    """Time linesift and the peer on the same pages, alternately, and print and save their pages/s."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="WCXB-layout folder, or *.html + expected.json")
    parser.add_argument("--peer", default="trafilatura", help="an HTML system of benchmarks/systems.py (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="first N pages (default: every page; a part is no sample: on the "
                        "first 300 wcxb-dev pages trafilatura ran at 1.7 times its speed on the rest in benchmarks/run.py)")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the pages (default: %(default)s)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per call before it counts as failed")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / "paired-speed.json")
    args = parser.parse_args(argv)
    if args.peer == "linesift":
        parser.error("--peer names the system to time against linesift: pick another, such as trafilatura")
    systems = {name: system_for(name, "html") for name in ("linesift", args.peer)}
    missing = [name for name, system in systems.items() if system is None]
    if missing:
        parser.error(f"no HTML system named {', '.join(missing)} in benchmarks/systems.py")
    extractors = {name: system.build() for name, system in systems.items() if system is not None}
    documents = [read_html(page.html_path) for page in load_pages(args.data, args.limit)]
    if not documents:
        parser.error(f"no labelled pages in {args.data}")
    # Each call timed as the benchmark's workers time it (worker._call): CPU seconds, under the per-page alarm.
    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        seconds, failures, round_ratios = _time_alternately(extractors, documents, args.peer, args.rounds, args.timeout)
    finally:
        signal.signal(signal.SIGALRM, previous_handler)
    calls = len(documents) * args.rounds
    speeds = {name: calls / spent for name, spent in seconds.items()}
    ratio = speeds["linesift"] / speeds[args.peer]
    for name in extractors:
        print(f"{name:>12}: {speeds[name]:6.1f} pages/s ({failures[name]} failed calls)")
    print(f"linesift runs at {ratio:.2f}x {args.peer}'s pages/s (rounds: {', '.join(f'{r:.2f}x' for r in round_ratios)})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "peer": args.peer, "data": args.data.resolve().name, "pages": len(documents), "rounds": args.rounds,
        "pages_per_second": speeds, "failed_calls": failures, "ratio": ratio, "round_ratios": round_ratios,
        "run_on": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": shlex.join(["python3", "benchmarks/paired_speed.py", *(argv if argv is not None else sys.argv[1:])]),
    }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # the command's own process only: a caller of main() keeps its cores
    sys.exit(main())
