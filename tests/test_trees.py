"""Compiled trees predict exactly what scikit-learn's boosters predict, and follow the boosters when they change."""

import pickle
from pathlib import Path

import numpy as np
import pytest

from linesift._input import load_lines
from linesift.api import default_extractor
from linesift.features import featurize
from linesift.model import _COMPILED, LineClassifier
from linesift.trees import BoosterStages, CompiledStages, compile_stages

SAMPLES = Path(__file__).parent.parent / "datasets" / "samples"


@pytest.fixture(autouse=True)
def compile_at_once(monkeypatch):
    """Classifiers compile their trees on their first prediction, however few its rows."""
    monkeypatch.setattr("linesift.model.COMPILE_AFTER_ROWS", 0)


def _without_compiled_trees(model: LineClassifier, X: np.ndarray, **kwargs) -> np.ndarray:
    """``model``'s probabilities as scikit-learn's own prediction gives them."""
    entry = _COMPILED[model]
    compiled, entry.stages = entry.stages, BoosterStages(model.stages_)
    try:
        return model.predict_proba(X, **kwargs)
    finally:
        entry.stages = compiled


def _fitted(rows: int = 400, seed: int = 0, **params) -> tuple[LineClassifier, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 4))
    X[:, 3] = rng.integers(0, 3, size=rows)  # few distinct values: thresholds that rows fall on exactly
    y = ((X[:, 0] + 0.5 * X[:, 3] + rng.normal(scale=0.5, size=rows)) > 0.5).astype(int)
    model = LineClassifier(max_iter=15, **params).fit(X, y, doc_ids=np.repeat(np.arange(rows // 20), 20))
    return model, X, np.repeat(np.arange(rows // 20), 20)


@pytest.mark.parametrize("params", [{"n_splits": 2}, {"n_splits": (2, 3)}, {"context_stages": 2}, {"context_stages": 0}])
def test_compiled_trees_give_the_boosters_probabilities_to_the_bit(params):
    model, X, doc_ids = _fitted(**params)
    compiled = model.predict_proba(X, doc_ids=doc_ids)
    assert isinstance(_COMPILED[model].stages, CompiledStages)
    assert np.array_equal(compiled, _without_compiled_trees(model, X, doc_ids=doc_ids))


@pytest.mark.parametrize("name", ["river-cleanup.html", "river-cleanup.txt", "river-cleanup.zh.txt"])
def test_bundled_models_predict_the_sample_pages_alike_both_ways(name):
    lines = load_lines((SAMPLES / name).read_text(encoding="utf-8"))
    extractor = default_extractor()
    model = (extractor.html_model if lines.is_html else extractor.text_model).classifier
    features = featurize(lines)
    kwargs = {"clusters": features.clusters, "texts": lines.texts, "markup": features.markup}
    compiled = model.predict_proba(features.matrix, **kwargs)
    assert isinstance(_COMPILED[model].stages, CompiledStages)
    assert np.array_equal(compiled, _without_compiled_trees(model, features.matrix, **kwargs))


def test_compiled_trees_follow_a_refit_and_continued_boosting():
    model, X, doc_ids = _fitted()
    model.predict_proba(X, doc_ids=doc_ids)
    first = _COMPILED[model].stages
    y = (X[:, 1] > 0).astype(int)
    adapted = model.continued(X, y, extra_trees=5, doc_ids=doc_ids)
    assert np.array_equal(adapted.predict_proba(X, doc_ids=doc_ids), _without_compiled_trees(adapted, X, doc_ids=doc_ids))
    model.fit(X, y, doc_ids=doc_ids)
    refitted = model.predict_proba(X, doc_ids=doc_ids)
    assert _COMPILED[model].stages is not first
    assert np.array_equal(refitted, _without_compiled_trees(model, X, doc_ids=doc_ids))


def test_compiled_trees_change_no_attribute_and_are_not_saved_with_the_model():
    model, X, doc_ids = _fitted()
    before = pickle.dumps(model)
    expected = model.predict_proba(X, doc_ids=doc_ids)
    assert isinstance(_COMPILED[model].stages, CompiledStages)
    assert pickle.dumps(model) == before
    loaded = pickle.loads(before)
    assert loaded not in _COMPILED
    assert np.array_equal(loaded.predict_proba(X, doc_ids=doc_ids), expected)


def test_boosters_that_cannot_be_compiled_are_left_to_scikit_learn():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=200), rng.integers(0, 4, size=200)]
    y = rng.integers(0, 3, size=200)
    multiclass = HistGradientBoostingClassifier(max_iter=3).fit(X, y)
    categorical = HistGradientBoostingClassifier(max_iter=3, categorical_features=[1]).fit(X, y % 2)
    assert compile_stages([[multiclass]]) is None
    assert compile_stages([[categorical]]) is None


def test_a_classifier_is_compiled_once_it_has_predicted_enough_rows(monkeypatch):
    monkeypatch.setattr("linesift.model.COMPILE_AFTER_ROWS", 1000)
    model, X, doc_ids = _fitted()
    first = model.predict_proba(X, doc_ids=doc_ids)
    assert _COMPILED[model].stages is None and _COMPILED[model].rows == len(X)
    model.predict_proba(X, doc_ids=doc_ids)
    model.predict_proba(X, doc_ids=doc_ids)
    assert isinstance(_COMPILED[model].stages, CompiledStages)
    assert np.array_equal(model.predict_proba(X, doc_ids=doc_ids), first)
