"""The library limits OpenMP to one thread for small inputs, without environment variables."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info

from linesift import _threads
from linesift.model import LineClassifier


def _openmp_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "openmp"}


def test_small_inputs_run_on_one_thread() -> None:
    with _threads.threads_for(_threads.THREADED_ROWS - 1):
        assert _openmp_threads() == {1}


def test_large_inputs_keep_the_configured_pool() -> None:
    before = _openmp_threads()
    with _threads.threads_for(_threads.THREADED_ROWS):
        assert _openmp_threads() == before


def test_prediction_by_the_boosters_runs_on_one_thread_and_restores_the_pool(monkeypatch) -> None:
    # Compiled trees run no OpenMP; boosters that cannot be compiled are predicted by scikit-learn.
    monkeypatch.setattr("linesift.model.compile_stages", lambda stages: None)
    seen = []
    model = LineClassifier(max_iter=3, context_stages=0).fit(np.r_[np.zeros((10, 2)), np.ones((10, 2))], np.r_[[0] * 10, [1] * 10])
    before = _openmp_threads()
    booster = model.stages_[0]
    original = booster.predict_proba
    monkeypatch.setattr(booster, "predict_proba", lambda X: seen.append(_openmp_threads()) or original(X))
    model.predict_proba(np.ones((4, 2)))
    assert seen == [{1}]
    assert _openmp_threads() == before
