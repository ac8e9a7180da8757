"""Leave-one-source-out evaluation (training/leave_one_source_out.py) on tiny WCXB folders."""

import importlib
import json
from pathlib import Path

import pytest

from linesift.storage import load_model

TRAINING = Path(__file__).resolve().parents[1] / "training"


@pytest.fixture
def loso(monkeypatch: pytest.MonkeyPatch):
    """training/leave_one_source_out.py imported as a module."""
    monkeypatch.syspath_prepend(str(TRAINING))
    return importlib.import_module("leave_one_source_out")


def _datasets(root: Path, tiny_wcxb: Path, *names: str) -> Path:
    """A ``datasets`` folder under ``root`` holding the tiny set under each of ``names``."""
    datasets = root / "datasets"
    datasets.mkdir()
    for name in names:
        (datasets / name).symlink_to(tiny_wcxb, target_is_directory=True)
    return datasets


def test_bundled_sets_are_those_the_card_counts_pages_of(loso):
    bundled = load_model("default", mode="html")
    assert sorted(loso.bundled_sets(bundled)) == sorted(bundled.card["data"]["pages_per_dataset"])


def test_a_set_the_bundled_model_never_saw_is_scored_by_it_and_a_shipped_one_by_a_model_without_it(loso, tiny_wcxb,
                                                                                                  tmp_path):
    datasets = _datasets(tmp_path, tiny_wcxb, *("dragnet", "fundus", "magic-html"))
    out, models = tmp_path / "out", tmp_path / "models"
    assert loso.main(["--datasets", str(datasets), "--held-out", "dragnet,fundus", "--modes", "html",
                      "--out", str(out), "--models-dir", str(models), "--n-jobs", "1"]) == 0
    # Trained as the bundled HTML model is: magic-html's pages count twice (train.SHIPPED_WEIGHTS).
    assert sorted(path.name for path in models.glob("*.joblib")) == ["html--magic-html--magic-html=2.joblib"]
    for name in ("dragnet", "fundus"):
        records = [json.loads(line) for line in (out / name / "linesift-cv.jsonl").read_text().splitlines()]
        assert len(records) == 6 and {record["input"] for record in records} == {"html"}


def test_a_weight_given_for_the_held_out_set_is_passed_over_not_an_error(loso, tiny_wcxb, tmp_path):
    datasets = _datasets(tmp_path, tiny_wcxb, *("fundus", "magic-html"))
    models = tmp_path / "models"
    assert loso.main(["--datasets", str(datasets), "--held-out", "fundus", "--modes", "html", "--dataset-weight",
                      "fundus=3", "--out", str(tmp_path / "out"), "--models-dir", str(models), "--n-jobs", "1"]) == 0
    # Weights given replace the shipped ones, and fundus trains nothing here: magic-html counts once.
    assert sorted(path.name for path in models.glob("*.joblib")) == ["html--magic-html.joblib"]


def test_models_of_several_held_out_sets_train_side_by_side(loso, tiny_wcxb, tmp_path):
    datasets = _datasets(tmp_path, tiny_wcxb, *("fundus", "magic-html"))
    models = tmp_path / "models"
    args = loso.parse_args(["--datasets", str(datasets), "--models-dir", str(models), "--n-jobs", "2"])
    wanted = [loso.trained_on(name, ["fundus", "magic-html"]) for name in ("fundus", "magic-html")]
    loso.train_missing(wanted, "html", args)
    assert wanted == [["magic-html"], ["fundus"]]
    assert all(loso.model_path(sets, "html", args).exists() for sets in wanted)
    trained = load_model(loso.model_path(wanted[1], "html", args), trusted=True)
    assert trained.card["data"]["pages_per_dataset"] == {"fundus": 6}
