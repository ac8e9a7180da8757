"""``linesift label``, ``train`` and ``evaluate`` on a site's pages, called in-process through ``main(argv)``."""

import io
import json
import shutil

from linesift.cli import main

SELECTOR = "article h1, article .post-body"


def _run(argv):
    out = io.StringIO()
    status = main(argv, out=out)
    return status, out.getvalue()


def test_label_writes_label_probability_text_and_marks_doubtful_lines(samples):
    status, out = _run(["label", str(samples / "site-example" / "compost-heap.html"), "--margin", "0.5"])
    rows = out.splitlines()
    assert status == 0 and rows[2] == "label\tprobability\ttext"
    label, probability, text = rows[3].split("\t")
    assert label in {"content", "boilerplate"} and 0 <= float(probability.rstrip("?")) <= 1 and text
    assert any(row.split("\t")[1].endswith("?") for row in rows[3:])


def test_label_then_train_on_the_labelled_files(samples, tmp_path):
    for name in ("compost-heap", "winter-mulch"):
        shutil.copy(samples / "site-example" / f"{name}.html", tmp_path)
        status, _ = _run(["label", str(tmp_path / f"{name}.html"), "--out", str(tmp_path / f"{name}.tsv")])
        assert status == 0
    status, out = _run(["train", "--data", str(tmp_path), "--out", str(tmp_path / "model.joblib")])
    assert status == 0 and "2 pages: precision" in out and (tmp_path / "model.joblib").exists()


def test_train_with_a_content_selector_writes_a_model_and_its_card(samples, tmp_path):
    model = tmp_path / "site.joblib"
    status, out = _run(["train", "--data", str(samples / "site-example"), "--content-selector", SELECTOR,
                        "--out", str(model)])
    assert status == 0 and "cross-validated on your pages" in out and "5 pages: precision" in out
    card = json.loads(model.with_suffix(".json").read_text())
    assert card["name"] == "site" and card["data"]["pages"] == 5 and card["cross_validation"]["folds"] == 5

    status, out = _run(["evaluate", "--model", str(model), "--trust-model", "--data", str(samples / "site-example"),
                        "--content-selector", SELECTOR, "--per-page"])
    assert status == 0 and out.startswith("page\tlines\tline_accuracy\tprecision\trecall\tf1\n")
    assert "compost-heap\t" in out and "line accuracy" in out.splitlines()[-1]


def test_adapting_prints_the_default_and_the_adapted_scores(samples, tmp_path, monkeypatch):
    monkeypatch.delenv("LINESIFT_DATA", raising=False)
    status, out = _run(["train", "--data", str(samples / "site-example"), "--content-selector", SELECTOR,
                        "--base", "default", "--out", str(tmp_path / "m.joblib")])
    before, after = out.split("adapted (")
    assert status == 0 and "before adapting, default on your pages" in before and "5 pages: precision" in before
    assert "extra trees per booster" in after and "5 pages: precision" in after
    card = json.loads((tmp_path / "m.json").read_text())
    assert card["adapted_from"]["model"] == "default-html" and "0" in card["adapted_from"]["leave_one_page_out_f1"]


def test_pages_without_labels_are_refused(samples, tmp_path, capsys):
    shutil.copy(samples / "site-example" / "compost-heap.html", tmp_path)
    status, _ = _run(["train", "--data", str(tmp_path), "--out", str(tmp_path / "m.joblib")])
    assert status == 2 and "content selector" in capsys.readouterr().err
