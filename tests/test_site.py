"""Site adaptation without data: boosting continued on a few pages, used only on pages like them."""

import numpy as np
import pytest

from linesift.labels import load_labelled
from linesift.model import BoosterBag, LineClassifier
from linesift.scoring import document_probabilities, score_model
from linesift.site import SiteAdaptedClassifier, adapt_to_site
from linesift.storage import LinesiftModel
from linesift.training import Fitting, fit_classifier

SELECTOR = "article h1, article .post-body"


@pytest.fixture(scope="module")
def site_documents(samples):
    return load_labelled(samples / "site-example", content_selector=SELECTOR)


@pytest.fixture(scope="module")
def base():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    return LineClassifier(max_iter=10, n_splits=(2, 3)).fit(X, y, doc_ids=np.repeat(np.arange(10), 20)), X, y


def _boosters(classifier):
    return [b for stage in classifier.stages_ for b in (stage.boosters if isinstance(stage, BoosterBag) else [stage])]


def test_continuing_grows_every_booster_and_leaves_the_base_untouched(base):
    classifier, X, y = base
    before = classifier.predict_proba(X)
    flipped = 1 - y  # the site says the opposite of what the base learnt
    continued = classifier.continued(X, flipped, extra_trees=7)
    assert [b.n_iter_ for b in _boosters(continued)] == [b.n_iter_ + 7 for b in _boosters(classifier)]
    assert np.array_equal(classifier.predict_proba(X), before)
    assert np.mean(continued.predict(X) == flipped) > np.mean(classifier.predict(X) == flipped)


def test_continuing_needs_lines_of_both_classes(base):
    classifier, X, _ = base
    with pytest.raises(ValueError, match="every class"):
        classifier.continued(X, np.ones(len(X), int), extra_trees=5)


def test_pages_unlike_the_labelled_ones_keep_the_base_probabilities(base):
    classifier, X, y = base
    texts = ["Menu"] * 100 + [f"Paragraph {i}" for i in range(100)]
    site = SiteAdaptedClassifier(classifier, extra_trees=5).fit(X, 1 - y, texts=texts)
    elsewhere = [f"Another site {i}" for i in range(len(X))]
    assert np.array_equal(site.predict_proba(X, texts=elsewhere), classifier.predict_proba(X))
    assert not np.array_equal(site.predict_proba(X, texts=texts), classifier.predict_proba(X))
    mixed = site.like_site(doc_ids=np.repeat([0, 1], 100), texts=texts[:100] + elsewhere[:100], markup=None, rows=200)
    assert mixed[:100].all() and not mixed[100:].any()


def test_the_class_token_memory_moves_lines_of_labelled_template_blocks_only(base):
    classifier, X, y = base
    markup = ["related-posts"] * 100 + ["post-body"] * 100
    labels = np.r_[np.zeros(100, int), y[100:]]  # every related-posts line is boilerplate
    site = SiteAdaptedClassifier(classifier, extra_trees=0).fit(X, labels, markup=markup)
    assert site.adapted_ is classifier and site.markup_log_odds_["related-posts"] == pytest.approx(np.log(1 / 101))
    seen = site.predict_proba(X, markup=markup)[:, 1]
    before = classifier.predict_proba(X)[:, 1]
    assert (seen[:100] < before[:100]).all() and seen[:100].max() < 0.05
    unseen = ["related-posts"] * 100 + ["comment"] * 100
    assert np.allclose(site.predict_proba(X, markup=unseen)[100:, 1], before[100:])


def test_plain_text_lines_labelled_on_the_site_take_their_labels(base):
    classifier, X, y = base
    texts = ["Subscribe to our newsletter"] * 100 + [f"Paragraph {i}" for i in range(100)]
    labels = np.r_[np.zeros(100, int), y[100:]]
    site = SiteAdaptedClassifier(classifier, extra_trees=0).fit(X, labels, texts=texts)
    unseen = texts[:100] + [f"New paragraph {i}" for i in range(100)]
    probability = site.predict_proba(X, texts=unseen, markup=[""] * len(X))[:, 1]  # text documents carry no tokens
    assert (probability[:100] == 0.0).all()
    assert np.allclose(probability[100:], classifier.predict_proba(X)[100:, 1])
    forgetful = SiteAdaptedClassifier(classifier, extra_trees=0, memory=False).fit(X, labels, texts=texts)
    assert np.array_equal(forgetful.predict_proba(X, texts=texts), classifier.predict_proba(X))


def test_a_class_token_set_needs_two_labelled_lines_to_be_remembered(base):
    classifier, X, y = base
    markup = ["once"] + ["block"] * (len(X) - 1)
    site = SiteAdaptedClassifier(classifier, extra_trees=0).fit(X, y, markup=markup)
    assert set(site.markup_log_odds_) == {"block"}


def test_adapting_chooses_its_trees_leave_one_page_out(site_documents):
    base_documents, user = site_documents[:3], site_documents[3:]
    classifier = fit_classifier(base_documents, Fitting(LineClassifier(max_iter=10), grouped_by="page",
                                                        word_weights=False))
    base = LinesiftModel(classifier=classifier, mode="html", feature_names=list(user[0].names), floor=0.5)
    adaptation = adapt_to_site(user, base, candidates=(0, 5, 10))
    scores, adapted = adaptation.tree_scores, adaptation.classifier
    assert set(scores) == {0, 5, 10} and all(len(e.pages) == 2 for e in scores.values())
    assert scores[adaptation.extra_trees].summary().f1 == max(e.summary().f1 for e in scores.values())
    assert [p.f1 for p in scores[0].pages] == [p.f1 for p in score_model(base, user).pages]  # 0 trees: the base
    assert len(adaptation.scores.pages) == 2 and adapted.extra_trees == adaptation.extra_trees and adapted.memory
    assert len(document_probabilities(adapted, user[0])) == len(user[0].texts)
    with pytest.raises(ValueError, match="at least two labelled pages"):
        adapt_to_site(user[:1], base)
