"""A small end-to-end training run: label, cross-validate by domain, fit, save, load, use."""

import numpy as np

import linesift
from linesift.datasets import load_wcxb
from linesift.labels import label_documents
from linesift.model import LineClassifier
from linesift.storage import save_model
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
