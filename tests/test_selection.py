"""Kept lines: each page's own threshold, and the API's use of it."""

import numpy as np
import pytest

import linesift
from linesift.evaluation import word_counts
from linesift.selection import kept_lines, page_threshold


def expected_f1(keep: np.ndarray, probabilities: np.ndarray, weights: np.ndarray) -> float:
    """The ratio-of-expectations word F1 that :mod:`linesift.selection` maximises."""
    return 2 * (weights * probabilities)[keep].sum() / (weights[keep].sum() + (weights * probabilities).sum())


@pytest.mark.parametrize("seed", range(20))
def test_page_threshold_beats_every_fixed_threshold_on_expected_f1(seed):
    rng = np.random.default_rng(seed)
    probabilities = rng.beta(0.5, 0.8, size=40)
    weights = rng.integers(1, 60, size=40).astype(float)
    best = expected_f1(probabilities >= page_threshold(probabilities, weights, floor=0.0), probabilities, weights)
    for fixed in np.linspace(0.0, 1.0, 41):
        assert best >= expected_f1(probabilities >= fixed, probabilities, weights) - 1e-12


@pytest.mark.parametrize("floor", [0.0, 0.1, 0.3, 0.7])
def test_page_threshold_lies_between_the_floor_and_one_half(floor):
    rng = np.random.default_rng(1)
    for _ in range(20):
        probabilities = rng.random(30) ** rng.uniform(0.3, 3.0)
        threshold = page_threshold(probabilities, rng.integers(0, 40, size=30).astype(float), floor)
        assert floor <= threshold <= max(floor, 0.5)


def test_an_unsure_page_keeps_its_likely_lines_where_a_fixed_threshold_keeps_none():
    texts = ["Leather jacket with zip pockets and a quilted lining.", "Free returns", "Sign in"]
    probabilities = np.array([0.3, 0.08, 0.02])
    assert not (probabilities >= 0.35).any()
    assert kept_lines(probabilities, texts, floor=0.1).tolist() == [True, False, False]


def test_a_beta_below_one_cuts_higher_for_precision():
    rng = np.random.default_rng(2)
    for _ in range(20):
        probabilities, weights = rng.random(30), rng.integers(1, 40, size=30).astype(float)
        cuts = [page_threshold(probabilities, weights, floor=0.0, beta=beta) for beta in (0.5, 0.7, 1.0, 2.0)]
        assert cuts == sorted(cuts, reverse=True)


def test_best_cut_scores_at_least_every_candidate_and_drops_likely_boilerplate(tiny_wcxb):
    from linesift.datasets import load_wcxb
    from linesift.evaluation import macro_average
    from linesift.labels import label_documents
    from linesift.scoring import BETAS, FLOORS, best_cut, score_documents

    documents = label_documents(list(load_wcxb(tiny_wcxb)), ["html"])
    probabilities = [np.where(d.labels == 1, 0.95, 0.55) for d in documents]

    def f1(floor: float, beta: float) -> float:
        return macro_average(score_documents(documents, probabilities, floor, beta).pages).f1

    floor, beta = best_cut(documents, probabilities)
    assert all(f1(floor, beta) >= f1(float(f), b) for f in FLOORS for b in BETAS)
    assert f1(floor, beta) == 1.0 and f1(0.05, 1.0) < 1.0


def test_a_page_without_words_falls_back_to_the_floor():
    assert page_threshold(np.array([0.9, 0.2]), word_counts(["—", "…"]), floor=0.25) == 0.25
    assert page_threshold(np.zeros(0), np.zeros(0), floor=0.25) == 0.25


def test_word_counts_count_benchmark_tokens():
    assert word_counts(["Hello, world!", "", "état-major 2024"]).tolist() == [2.0, 0.0, 3.0]


def test_classify_labels_follow_the_page_threshold(samples):
    extractor = linesift.Extractor()
    lines = extractor.classify((samples / "river-cleanup.txt").read_text(), mode="text")
    probabilities = np.array([line.probability for line in lines])
    model = extractor.text_model
    expected = kept_lines(probabilities, [line.text for line in lines], model.floor, model.beta)
    assert [line.is_content for line in lines] == expected.tolist()
