"""The command line, called in-process through ``main(argv)`` (and once as a process, for its pipe)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import linesift
from linesift.cli import main


def _run(argv):
    out = io.StringIO()
    status = main(argv, out=out)
    return status, out.getvalue()


def test_extract_prints_kept_lines(samples):
    status, out = _run(["extract", str(samples / "river-cleanup.html")])
    assert status == 0
    assert "More than two hundred volunteers" in out and "All rights reserved" not in out


def test_extract_json_lists_every_line(samples):
    status, out = _run(["extract", "--format", "json", "--lines", str(samples / "river-cleanup.txt")])
    record = json.loads(out)
    assert status == 0 and record["file"].endswith("river-cleanup.txt")
    assert {"text", "label", "probability", "position"} <= record["lines"][0].keys()


def test_extract_tsv_has_label_probability_text(samples):
    status, out = _run(["extract", "--format", "tsv", str(samples / "river-cleanup.txt")])
    label, probability, text = out.splitlines()[0].split("\t")
    assert status == 0 and label in {"content", "boilerplate"} and 0 <= float(probability) <= 1 and text


def test_extract_refuses_an_untrusted_model(samples, tmp_path):
    status, _ = _run(["extract", "--model", str(tmp_path / "x.joblib"), str(samples / "river-cleanup.txt")])
    assert status == 2


def test_evaluate_on_a_tiny_wcxb_folder(tiny_wcxb):
    status, out = _run(["evaluate", "--data", str(tiny_wcxb)])
    assert status == 0 and "pages: precision" in out


def test_a_closed_pipe_ends_extraction_quietly(tmp_path):
    dump = tmp_path / "long.txt"
    dump.write_text("".join(f"Paragraph {i} tells how volunteers cleaned the river bank.\n" for i in range(20000)))
    command = [sys.executable, "-m", "linesift.cli", "extract", "--format", "tsv", str(dump)]
    env = {**os.environ, "PYTHONPATH": str(Path(linesift.__file__).parents[1])}  # this linesift, not another install
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 1 and "Traceback" not in stderr
