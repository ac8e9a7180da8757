"""The staged classifier and the context columns its later stages see."""

import numpy as np
import pytest

from linesift.context import N_CONTEXT_FEATURES, barrier, context_features, main_segment
from linesift.model import BoosterBag, LineClassifier


def test_main_segment_is_the_run_with_the_largest_excess_probability():
    probability = np.array([0.1, 0.2, 0.9, 0.8, 0.4, 0.9, 0.1, 0.6, 0.1, 0.1])
    assert main_segment(probability, 0.5) == (2, 5)
    assert main_segment(probability, 0.3) == (2, 7)
    assert main_segment(np.array([0.1, 0.2]), 0.5) == (1, 1)


def test_barrier_is_the_deepest_dip_between_a_line_and_the_main_segment():
    probability = np.array([0.1, 0.4, 0.9, 0.9, 0.2, 0.6, 0.05, 0.7])
    start, end = main_segment(probability, 0.5)
    assert (start, end) == (2, 3)
    assert barrier(probability, start, end).tolist() == [0.4, 1.0, 1.0, 1.0, 1.0, 0.2, 0.2, 0.05]


def test_context_columns_stay_within_each_document():
    probability = np.array([0.9, 0.9, 0.1, 0.1, 0.1])
    doc_ids = np.array([0, 0, 1, 1, 1])
    columns = context_features(probability, doc_ids, np.arange(5))
    assert columns.shape == (5, N_CONTEXT_FEATURES)
    alone = context_features(probability[2:], doc_ids[2:], np.arange(3))
    assert np.allclose(columns[2:], alone)


@pytest.mark.parametrize("stages", [0, 1, 2])
def test_each_context_stage_is_fitted_and_used(stages):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    model = LineClassifier(max_iter=10, context_stages=stages, n_splits=2)
    model.fit(X, y, doc_ids=np.repeat(np.arange(10), 20))
    assert len(model.stages_) == stages + 1
    probability = model.predict_proba(X, doc_ids=np.repeat(np.arange(10), 20))
    assert probability.shape == (200, 2)
    assert (model.predict(X, doc_ids=np.repeat(np.arange(10), 20)) == y).mean() > 0.9


def test_a_tuple_of_splits_bags_one_booster_per_split_and_averages_them():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(int)
    doc_ids = np.repeat(np.arange(10), 20)
    bagged = LineClassifier(max_iter=10, n_splits=(2, 5)).fit(X, y, doc_ids=doc_ids)
    alone = [LineClassifier(max_iter=10, n_splits=n).fit(X, y, doc_ids=doc_ids) for n in (2, 5)]
    assert isinstance(bagged.stages_[1], BoosterBag) and len(bagged.stages_[1].boosters) == 2
    mean = np.mean([model.predict_proba(X, doc_ids=doc_ids) for model in alone], axis=0)
    assert np.allclose(bagged.predict_proba(X, doc_ids=doc_ids), mean)
