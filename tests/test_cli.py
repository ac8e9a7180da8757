"""The command line, called in-process through ``main(argv)``."""

import io
import json

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
    status, out = _run(["extract", "--format", "json", str(samples / "river-cleanup.txt")])
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
