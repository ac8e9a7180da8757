"""Run one system over one input, pinned to one CPU core, in a process of its own.

Started by run.py as ``python benchmarks/worker.py SYSTEM INPUT PAGES OUT``: PAGES is a JSONL file
of ``{"page_id", "path"}`` (HTML) or ``{"page_id", "text"}`` records, OUT a JSONL file that gets
one record per page as soon as it is done, so that a run that crashes can be resumed after the
page that killed it. Exit code 0: all pages done; 3: the system could not be built.
"""

from __future__ import annotations

import argparse
import faulthandler
import itertools
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from loaders import read_html
from systems import Extract, system_for

UNAVAILABLE_EXIT = 3
# Past the per-page alarm, a hard watchdog ends the process: the alarm cannot interrupt C code.
HARD_TIMEOUT_MARGIN_S = 15


class PageTimeout(BaseException):
    """Raised by the alarm; a BaseException so that libraries' ``except Exception`` cannot swallow it."""


def _on_alarm(signum: int, frame: object) -> NoReturn:
    raise PageTimeout


def _pages(path: Path, skip: set[str]) -> Iterator[dict[str, str]]:
    """Page records not in ``skip``, read one at a time so that they do not count as the system's memory."""
    with path.open() as lines:
        for line in lines:
            record = json.loads(line)
            if record["page_id"] not in skip:
                yield record


def _document(record: dict[str, str]) -> str:
    return record["text"] if "text" in record else read_html(Path(record["path"]))


def _peak_rss_kb() -> int | None:
    """This process's peak resident memory (VmHWM), in KiB.

    Unlike ``ru_maxrss``, VmHWM starts afresh at exec, so it does not inherit the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _call(extract: Extract, document: str, timeout_s: int) -> tuple[str, str, str | None, float]:
    """Call ``extract`` under the alarm; return text, status, error and CPU seconds of the call."""
    faulthandler.dump_traceback_later(timeout_s + HARD_TIMEOUT_MARGIN_S, exit=True)
    signal.alarm(timeout_s)
    start = time.process_time()
    try:
        text, status, error = extract(document) or "", "ok", None
    except PageTimeout:
        text, status, error = "", "timeout", f"over {timeout_s} s"
    except Exception as exc:  # any failure of the system scores as empty output
        text, status, error = "", "error", f"{type(exc).__name__}: {exc}"[:300]
    finally:
        signal.alarm(0)
        faulthandler.cancel_dump_traceback_later()
    return str(text), status, error, time.process_time() - start


def main() -> int:
    """Parse arguments, build the system, and extract every page not yet in the output file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("system")
    parser.add_argument("input")
    parser.add_argument("pages", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--timeout", type=int, default=30)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    signal.signal(signal.SIGALRM, _on_alarm)
    system = system_for(args.system, args.input)
    try:
        if system is None:
            raise ValueError(f"no system {args.system!r} for input {args.input!r}")
        extract = system.build()
    except Exception as exc:
        print(json.dumps({"unavailable": f"{type(exc).__name__}: {exc}"}), file=sys.stderr)
        return UNAVAILABLE_EXIT

    done = set()
    if args.out.exists():
        done = {json.loads(line)["page_id"] for line in args.out.read_text().splitlines() if line}
    pages = _pages(args.pages, done)
    first = next(pages, None)
    if first is None:
        return 0
    if not done:
        # One untimed call first: lazy one-time set-up (models, stop lists) is not per-page cost.
        _call(extract, _document(first), args.timeout)
    with args.out.open("a") as out:
        for record in itertools.chain([first], pages):
            document = _document(record)
            text, status, error, cpu_s = _call(extract, document, args.timeout)
            result = {"page_id": record["page_id"], "status": status, "cpu_s": cpu_s, "peak_rss_kb": _peak_rss_kb(), "text": text}
            if error:
                result["error"] = error
            out.write(json.dumps(result) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
