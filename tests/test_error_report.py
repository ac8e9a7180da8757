"""The error-analysis report (training/error_report.py) on a tiny WCXB folder."""

import importlib
import json
from pathlib import Path

import numpy as np
import pytest

from linesift.datasets import load_wcxb
from linesift.labels import label_documents

TRAINING = Path(__file__).resolve().parents[1] / "training"


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch):
    """training/error_report.py imported as a module."""
    monkeypatch.syspath_prepend(str(TRAINING))
    return importlib.import_module("error_report")


def test_report_colours_every_line_and_links_every_worst_page(report, tiny_wcxb, tmp_path):
    assert report.main(["--data", str(tiny_wcxb), "--out", str(tmp_path / "out"), "--cv", str(tmp_path / "none.jsonl"),
                        "--n-jobs", "1"]) == 0
    index = (tmp_path / "out" / "index.html").read_text()
    pages = sorted((tmp_path / "out" / "pages").glob("*.html"))
    assert len(pages) == 6
    assert "article: 6 documents" in index and "6 model" in index
    assert all(f"pages/{page.name}" in index for page in pages)
    lines = label_documents(list(load_wcxb(tiny_wcxb, limit=1)), ["html"])[0].texts
    first = pages[0].read_text()
    assert first.count("<tr style=") == len(lines)


def test_out_of_fold_probabilities_are_used_where_they_fit_the_lines(report, tiny_wcxb, tmp_path):
    documents = label_documents(list(load_wcxb(tiny_wcxb)), ["html"])
    stored = {"page_id": documents[0].page.page_id, "input": "html", "threshold": 0.5, "text": "",
              "probabilities": [0.0] * len(documents[0].texts)}
    wrong_length = {**stored, "page_id": documents[1].page.page_id, "probabilities": [0.0]}
    cv = tmp_path / "cv.jsonl"
    cv.write_text(json.dumps(stored) + "\n" + json.dumps(wrong_length) + "\n")
    out_of_fold, thresholds = report.read_out_of_fold(cv)
    from linesift.storage import default_model

    reports = report.build_reports(documents[:2], out_of_fold, thresholds["html"], default_model("html"))
    assert [r.decided_by for r in reports] == ["out-of-fold", "model"]
    assert not reports[0].decisions.any() and reports[0].scores.f1 == 0.0
    assert np.array_equal(reports[1].probabilities >= reports[1].threshold, reports[1].decisions.astype(bool))
