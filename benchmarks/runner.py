"""Start worker processes, one system at a time, and survive their crashes and hangs.

Workers run one after another, never side by side, so that no system's timing shares the CPU
with another's. A worker that dies (segfault, out of memory, hard timeout) is restarted after the
page it was on, which is recorded as a crash or a timeout and scores as empty output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm
from worker import UNAVAILABLE_EXIT

WORKER = Path(__file__).with_name("worker.py")
MAX_RESTARTS = 10
POLL_S = (0.02, 0.5)  # first and longest wait between checks on a worker
# Keep numeric libraries on the one core the worker is pinned to.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass
class WorkerOutcome:
    """What the worker processes of one system/input left behind."""

    records: dict[str, dict]
    unavailable: str | None
    restarts: int


def _read_records(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    records = (json.loads(line) for line in path.read_text().splitlines() if line)
    return {record["page_id"]: record for record in records}


def _drop_partial_line(path: Path) -> None:
    """Cut a record the dead worker left half-written, so that every line is whole JSON."""
    if path.exists():
        data = path.read_bytes()
        path.write_bytes(data[: data.rfind(b"\n") + 1])


def _unavailable_reason(log_path: Path) -> str:
    for line in reversed(log_path.read_text(errors="replace").splitlines()):
        if line.startswith('{"unavailable"'):
            return json.loads(line)["unavailable"]
    return "the worker could not build the system (see the log)"


class _LineCounter:
    """Counts the lines of a growing file, reading only what was appended since the last call."""

    def __init__(self, path: Path) -> None:
        self.path, self.position, self.lines = path, 0, 0

    def refresh(self) -> int:
        if self.path.exists():
            with self.path.open("rb") as handle:
                handle.seek(self.position)
                chunk = handle.read()
            self.position += len(chunk)
            self.lines += chunk.count(b"\n")
        return self.lines


def _wait(process: subprocess.Popen, counter: _LineCounter, bar: tqdm) -> int:
    """Wait for ``process`` while moving ``bar``; return its exit code."""
    pause = POLL_S[0]
    while True:
        code = process.poll()
        bar.update(counter.refresh() - bar.n)
        if code is not None:
            return code
        time.sleep(pause)
        pause = min(2 * pause, POLL_S[1])


def run_system(
    system: str, input_name: str, pages_path: Path, page_ids: list[str], out_path: Path, log_path: Path, timeout_s: int
) -> WorkerOutcome:
    """Run ``system`` on every page of ``pages_path`` and collect one record per page."""
    out_path.unlink(missing_ok=True)
    log_path.unlink(missing_ok=True)
    env = {**os.environ, **SINGLE_THREAD_ENV}
    command = [sys.executable, str(WORKER), system, input_name, str(pages_path), str(out_path), "--timeout", str(timeout_s)]
    restarts, counter = 0, _LineCounter(out_path)
    with tqdm(total=len(page_ids), desc=f"{system} on {input_name}", unit="page", mininterval=2) as bar:
        while True:
            log_start = log_path.stat().st_size if log_path.exists() else 0
            with log_path.open("a") as log:
                code = _wait(subprocess.Popen(command, stdout=log, stderr=log, env=env), counter, bar)
            if code == UNAVAILABLE_EXIT:
                return WorkerOutcome({}, _unavailable_reason(log_path), restarts)
            _drop_partial_line(out_path)
            counter.position = min(counter.position, out_path.stat().st_size if out_path.exists() else 0)
            records = _read_records(out_path)
            missing = [page_id for page_id in page_ids if page_id not in records]
            if code == 0 or not missing:
                break
            restarts += 1
            hung = b"Timeout (" in log_path.read_bytes()[log_start:]
            lost = missing if restarts > MAX_RESTARTS else missing[:1]
            with out_path.open("a") as out:
                for page_id in lost:
                    reason = f"worker exited with code {code}"
                    record = {"page_id": page_id, "status": "timeout" if hung else "crash", "cpu_s": None, "text": "", "error": reason}
                    out.write(json.dumps(record) + "\n")
            if restarts > MAX_RESTARTS:
                break
        bar.update(counter.refresh() - bar.n)
    return WorkerOutcome(_read_records(out_path), None, restarts)
