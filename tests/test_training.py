"""A small end-to-end training run: label, cross-validate by domain, fit, save, load, use."""

import json

import numpy as np

import linesift
from linesift.datasets import load_wcxb
from linesift.labels import label_documents
from linesift.model import LineClassifier
from linesift.storage import save_model, write_model_card
from linesift.training import train


def test_small_training_run_round_trips(tiny_wcxb, tmp_path):
    pages = list(load_wcxb(tiny_wcxb))
    result = train(pages, mode="html", classifier=LineClassifier(max_iter=10, n_splits=2), folds=3)
    model = result.model
    assert 0.0 <= model.floor <= 1.0 and len(result.probabilities) == len(pages)
    assert model.card["cross_validation"]["grouped_by"] == "domain"
    assert len(model.card["data"]["sites"]) == 3
    save_model(model, tmp_path / "tiny.joblib")
    loaded = linesift.load_model(tmp_path / "tiny.joblib", trusted=True)
    extractor = linesift.Extractor(html_model=loaded)
    assert "More than two hundred volunteers" in extractor.extract(pages[0].html)


def test_cross_validation_never_scores_a_page_with_its_own_domain(tiny_wcxb, monkeypatch):
    import linesift.training as training

    seen = []
    real_fit = training.fit_classifier

    def recording_fit(documents, fitting):
        seen.append({d.page.domain for d in documents})
        return real_fit(documents, fitting)

    monkeypatch.setattr(training, "fit_classifier", recording_fit)
    documents = label_documents(list(load_wcxb(tiny_wcxb)), ["html"])
    training.cross_validate(documents, training.Fitting(LineClassifier(max_iter=5, n_splits=2)), folds=3)
    assert len(seen) == 3 and all(len(domains) == 2 for domains in seen)


def test_folds_fitted_in_parallel_score_as_those_fitted_one_by_one(tiny_wcxb):
    import linesift.training as training

    documents = label_documents(list(load_wcxb(tiny_wcxb)), ["html"])
    fitting = training.Fitting(LineClassifier(max_iter=5, n_splits=2))
    one_by_one = training.cross_validate(documents, fitting, folds=3)
    side_by_side = training.cross_validate(documents, fitting, folds=3, n_jobs=2)
    assert len(one_by_one) == len(documents)
    for sequential, parallel in zip(one_by_one, side_by_side, strict=True):
        np.testing.assert_allclose(parallel, sequential)


def test_word_share_weights_give_every_document_the_same_total(tiny_wcxb):
    from linesift.training import word_share_weights

    documents = label_documents(list(load_wcxb(tiny_wcxb)), ["html"])
    weights = word_share_weights(documents)
    sizes = [len(d.texts) for d in documents]
    totals = [part.sum() for part in np.split(weights, np.cumsum(sizes)[:-1])]
    assert np.isclose(weights.mean(), 1.0)
    assert np.allclose(totals, totals[0])
    first = weights[: sizes[0]]
    words = np.array([max(len(text.split()), 1) for text in documents[0].texts])
    assert np.allclose(first / first.sum(), words / words.sum())


def test_pages_of_several_sets_train_one_model_weighed_per_set(tiny_wcxb, tmp_path, monkeypatch):
    import shutil

    import linesift.training as training

    other = tmp_path / "other-set"
    shutil.copytree(tiny_wcxb, other)
    for path in [*other.glob("*/*.htm*"), *other.glob("*/*.json")]:
        if path.name != "metadata.json":
            path.rename(path.with_name("b" + path.name))
    metadata = json.loads((other / "metadata.json").read_text())
    (other / "metadata.json").write_text(json.dumps({"files": {"b" + k: v for k, v in metadata["files"].items()}}))
    pages = list(load_wcxb(tiny_wcxb)) + list(load_wcxb(other))
    assert {page.dataset for page in pages} == {tiny_wcxb.name, "other-set"}
    weights_seen = []
    real_fit = LineClassifier.fit

    def recording_fit(self, X, y, **kwargs):
        weights_seen.append(kwargs["sample_weight"])
        return real_fit(self, X, y, **kwargs)

    monkeypatch.setattr(LineClassifier, "fit", recording_fit)
    result = training.train(pages, classifier=LineClassifier(max_iter=5, n_splits=2), folds=0,
                            dataset_weights={"other-set": 3.0})
    data = result.model.card["data"]
    assert data["pages_per_dataset"] == {tiny_wcxb.name: 6, "other-set": 6}
    assert result.model.card["dataset_weights"] == {"other-set": 3.0}
    weights = weights_seen[-1]
    half = len(weights) // 2  # the two sets hold the same pages, one after the other
    assert np.isclose(weights.mean(), 1.0) and np.allclose(weights[half:], 3 * weights[:half])
    card = tmp_path / "card.md"
    write_model_card(card, result.model.card)
    assert f"12 pages (other-set 6, {tiny_wcxb.name} 6)" in card.read_text()
    assert "each page of a set weighing: other-set 3.0" in card.read_text()


def test_dataset_weights_must_name_a_set_the_pages_come_from(tiny_wcxb):
    import pytest

    with pytest.raises(ValueError, match="which no page comes from; the pages come from"):
        train(list(load_wcxb(tiny_wcxb)), folds=0, dataset_weights={"fundus": 2.0})
    with pytest.raises(ValueError, match="must be positive"):
        train(list(load_wcxb(tiny_wcxb)), folds=0, dataset_weights={tiny_wcxb.name: 0.0})


def test_page_ids_shared_by_two_sets_are_refused(tiny_wcxb, tmp_path):
    import shutil

    import pytest

    shutil.copytree(tiny_wcxb, tmp_path / "copy")
    with pytest.raises(ValueError, match="0000.*both"):
        train(list(load_wcxb(tiny_wcxb)) + list(load_wcxb(tmp_path / "copy")), folds=0)
