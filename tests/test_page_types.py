"""Page types as stage-one columns: page summaries, the type model, and how the classifier uses them."""

import pickle

import numpy as np
import pytest

from linesift.model import LineClassifier
from linesift.page_types import PageTypeClassifier, line_words, page_vectors


def _pages(rng, count=12, lines=15):
    """Pages whose first column tells their type apart ("article" high, "forum" low), labels by column two."""
    types = np.array(["article", "forum"] * (count // 2))
    X = rng.normal(size=(count * lines, 3))
    X[:, 0] += np.repeat(np.where(types == "article", 3.0, -3.0), lines)
    y = (X[:, 1] > 0).astype(int)
    doc_ids = np.repeat(np.arange(count), lines)
    texts = [f"line {i} of some words" for i in range(len(X))]
    return X, y, doc_ids, texts, np.repeat(types, lines).tolist()


def test_page_vectors_hold_means_word_weighted_means_and_log_lines():
    X = np.array([[1.0, 0.0], [3.0, 2.0], [10.0, 4.0]])
    vectors, index = page_vectors(X, np.array([0, 0, 1]), np.array([3.0, 1.0, 5.0]))
    assert index.tolist() == [0, 0, 1]
    assert np.allclose(vectors[0], [2.0, 1.0, 1.5, 0.5, np.log(3)])
    assert np.allclose(vectors[1], [10.0, 4.0, 10.0, 4.0, np.log(2)])


def test_line_words_count_whitespace_separated_words():
    assert line_words(["one two  three", "", "four"]).tolist() == [3.0, 0.0, 1.0]


def test_page_type_classifier_learns_types_from_page_vectors():
    rng = np.random.default_rng(0)
    types = np.array(["article", "forum", "listing"] * 30)
    vectors = rng.normal(size=(90, 4)) + np.where(types == "forum", 3.0, 0.0)[:, None]
    vectors[:, 1] += np.where(types == "listing", 3.0, 0.0)
    typer = PageTypeClassifier().fit(vectors, types)
    assert typer.classes_.tolist() == ["article", "forum", "listing"]
    probability = typer.predict_proba(np.array([[0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 3.0, 3.0], [0.0, 3.0, 0.0, 0.0]]))
    assert probability.argmax(axis=1).tolist() == [0, 1, 2]


def test_line_classifier_adds_one_column_per_page_type():
    X, y, doc_ids, texts, types = _pages(np.random.default_rng(0))
    model = LineClassifier(max_iter=5, n_splits=2, page_types=True)
    model.fit(X, y, doc_ids=doc_ids, texts=texts, page_types=types)
    assert model.page_typer_.classes_.tolist() == ["article", "forum"]
    assert model.stages_[0].n_features_in_ == X.shape[1] + 2
    probability = model.predict_proba(X[:15], texts=texts[:15])
    assert probability.shape == (15, 2) and np.allclose(probability.sum(axis=1), 1.0)


def test_pages_of_unknown_type_train_no_type_model():
    X, y, doc_ids, texts, _ = _pages(np.random.default_rng(1))
    model = LineClassifier(max_iter=5, n_splits=2, page_types=True)
    model.fit(X, y, doc_ids=doc_ids, texts=texts, page_types=["unknown"] * len(X))
    assert model.page_typer_ is None
    assert model.stages_[0].n_features_in_ == X.shape[1]
    assert model.predict_proba(X[:15], texts=texts[:15]).shape == (15, 2)


def test_page_types_are_asked_for_by_name():
    X, y, doc_ids, texts, _ = _pages(np.random.default_rng(2))
    with pytest.raises(ValueError, match="page_types="):
        LineClassifier(max_iter=5, page_types=True).fit(X, y, doc_ids=doc_ids, texts=texts)


def test_continued_boosting_keeps_the_page_type_columns():
    X, y, doc_ids, texts, types = _pages(np.random.default_rng(3))
    model = LineClassifier(max_iter=5, n_splits=2, page_types=True)
    model.fit(X, y, doc_ids=doc_ids, texts=texts, page_types=types)
    adapted = model.continued(X[:30], y[:30], extra_trees=2, doc_ids=doc_ids[:30], texts=texts[:30])
    assert adapted.stages_[0].n_iter_ == model.stages_[0].n_iter_ + 2
    assert adapted.predict_proba(X[:15], texts=texts[:15]).shape == (15, 2)


def test_models_saved_before_page_types_load_without_them():
    X, y, doc_ids, texts, _ = _pages(np.random.default_rng(4))
    model = LineClassifier(max_iter=3, n_splits=2).fit(X, y, doc_ids=doc_ids)
    del model.page_types  # as pickled by a linesift without the parameter
    restored = pickle.loads(pickle.dumps(model))
    assert restored.get_params()["page_types"] is False
    assert np.allclose(restored.predict_proba(X[:15]), LineClassifier(max_iter=3, n_splits=2).fit(
        X, y, doc_ids=doc_ids).predict_proba(X[:15]))
