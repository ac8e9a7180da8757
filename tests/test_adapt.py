"""Retraining on a new site: labels from a CSS selector or a labelled-lines file, training, adapting, scoring."""

import io

import numpy as np
import pytest

import linesift
from linesift._input import load_lines
from linesift.datasets import sample_pages
from linesift.labels import labelled_document, load_labelled, read_labels, selector_lines, write_labels
from linesift.lines import text_lines
from linesift.model import LineClassifier
from linesift.site import ADAPT_TREES
from linesift.storage import save_model
from linesift.training import Fitting, default_classifier, fit_classifier

SELECTOR = "article h1, article .post-body"
SMALL = LineClassifier(max_iter=30)


@pytest.fixture(scope="module")
def site(samples):
    return samples / "site-example"


@pytest.fixture(scope="module")
def site_documents(site):
    return load_labelled(site, content_selector=SELECTOR)


@pytest.fixture(scope="module")
def site_extractor(site_documents):
    """An extractor whose models learnt the example site alone, so that these tests need no bundled model."""
    html = linesift.train(site_documents, classifier=SMALL).model
    text_documents = [labelled_document(text_lines("\n".join(d.texts)), d.labels, page_id=d.page.page_id,
                                        site="site-example", mode="text") for d in site_documents]
    text = linesift.train(text_documents, mode="text", classifier=SMALL).model
    return linesift.Extractor(html_model=html, text_model=text)


def test_selector_marks_the_lines_inside_selected_elements():
    html = ("<html><body><nav><p>Home</p></nav><article><h1>Title</h1><div class='body'><p>One.</p>"
            "<div><p>Two, nested.</p></div></div><p>Share this</p></article></body></html>")
    lines, labels = selector_lines(html, "article h1, article .body")
    assert dict(zip(lines.texts, labels.tolist())) == {
        "Home": False, "Title": True, "One.": True, "Two, nested.": True, "Share this": False}


def test_selector_leaves_the_lines_and_their_features_as_without_it():
    html = "<html><body><div class='a'><p>First line here.</p></div><p class='b'>Second.</p></body></html>"
    lines, labels = selector_lines(html, ".a")
    original = load_lines(html, mode="html")
    assert lines.texts == original.texts and lines.class_tokens == original.class_tokens and labels.tolist() == [True, False]


def test_invalid_selector_is_a_value_error():
    with pytest.raises(ValueError, match="invalid CSS selector"):
        selector_lines("<html><body><p>x</p></body></html>", "article >> p")


def test_site_example_is_labelled_by_its_content_selector(site_documents):
    assert len(site_documents) == 5
    page = next(d for d in site_documents if d.page.page_id == "compost-heap")
    content = [text for text, label in zip(page.texts, page.labels) if label]
    assert content[0] == "A compost heap that actually gets hot" and content[-1].startswith("I turn it once a week")
    assert page.page.domain == "site-example" and len(content) == 6


def test_selector_that_matches_nothing_is_refused(site):
    with pytest.raises(ValueError, match="matches no line"):
        load_labelled(site, content_selector=".no-such-class")


def test_training_on_the_site_alone_cross_validates_by_page_and_extracts_its_content(site, tmp_path):
    result = linesift.train(site, content_selector=SELECTOR, classifier=SMALL)
    assert [p.page_id for p in result.cross_validation.pages] == [
        "compost-heap", "pruning-roses", "rain-barrels", "tomato-seedlings", "winter-mulch"]
    assert result.cross_validation.summary().f1 > 0.9
    assert result.model.card["data"]["labels_from"] == f"CSS selector {SELECTOR!r}"
    save_model(result.model, tmp_path / "site.joblib")
    loaded = linesift.load_model(tmp_path / "site.joblib", trusted=True)
    text = linesift.Extractor(html_model=loaded).extract((site / "rain-barrels.html").read_bytes())
    assert "Making the water last" in text and "the runner beans survived" in text
    assert "You might also enjoy" not in text and "saved the courgettes" not in text


def test_labels_written_for_a_page_read_back_with_it(site, site_extractor, tmp_path):
    page = tmp_path / "rain-barrels.html"
    page.write_bytes((site / "rain-barrels.html").read_bytes())
    out = io.StringIO()
    write_labels(page.read_bytes(), out, extractor=site_extractor, margin=0.6)
    rows = out.getvalue().splitlines()
    assert rows[0].startswith("# linesift labels mode=html") and rows[2] == "label\tprobability\ttext"
    assert any(row.split("\t")[1].endswith("?") for row in rows[3:])
    (tmp_path / "rain-barrels.tsv").write_text(out.getvalue())
    [document] = load_labelled(tmp_path)
    assert document.texts[0] == "Skip to main content" and len(document.texts) == len(rows) - 3


def test_labels_file_formats_and_errors(tmp_path):
    path = tmp_path / "dump.tsv"
    path.write_text("# a comment\ncontent\t0.91\tA line\tcontaining a tab\nboilerplate\tMenu\nCONTENT\t0.5?\tLast\n")
    texts, labels, mode = read_labels(path)
    assert texts == ["A line\tcontaining a tab", "Menu", "Last"] and labels.tolist() == [True, False, True] and mode is None
    path.write_text("content\tfine\nmaybe\tnot fine\n")
    with pytest.raises(ValueError, match=r"dump.tsv:2"):
        read_labels(path)


def test_labels_that_do_not_match_the_page_are_refused(site, tmp_path):
    lines, labels = selector_lines((site / "winter-mulch.html").read_text(), SELECTOR)
    (tmp_path / "winter-mulch.html").write_text((site / "winter-mulch.html").read_text())
    rows = [f"{'content' if label else 'boilerplate'}\t{text}" for text, label in zip(lines.texts, labels)]
    rows[3] = "boilerplate\tAn edited line"
    (tmp_path / "winter-mulch.tsv").write_text("\n".join(rows) + "\n")
    with pytest.raises(ValueError, match="labelled line 4 does not match"):
        load_labelled(tmp_path)


def test_labels_without_their_page_train_the_text_model(tmp_path):
    rows = ["boilerplate\tHome", "content\tThe river rose by a metre overnight, and the bridge was closed.",
            "boilerplate\tShare"]
    (tmp_path / "page.tsv").write_text("\n".join(rows) + "\n")
    [document] = load_labelled(tmp_path, mode="text")
    assert document.source == "text:linesift" and document.labels.tolist() == [False, True, False]
    with pytest.raises(ValueError, match="plain text"):
        load_labelled(tmp_path, mode="html")


def test_user_pages_are_copied_to_carry_their_share_of_the_weight(site_documents, monkeypatch):
    rows = []
    real_fit = LineClassifier.fit

    def recording_fit(self, X, y, **kwargs):
        rows.append(len(X))
        return real_fit(self, X, y, **kwargs)

    monkeypatch.setattr(LineClassifier, "fit", recording_fit)
    base, user = site_documents[:4], site_documents[4:]
    fit_classifier(user, Fitting(LineClassifier(max_iter=5), grouped_by="page", word_weights=False, user_share=0.5,
                                 base=base))
    base_lines, user_lines = sum(len(d.texts) for d in base), len(user[0].texts)
    copies = round(base_lines / user_lines)
    assert rows == [base_lines + copies * user_lines]


def test_sample_pages_is_seeded_and_keeps_order():
    pages = list(range(50))
    assert sample_pages(pages, 10) == sample_pages(pages, 10) == sorted(sample_pages(pages, 10))
    assert sample_pages(pages, None) == pages and len(sample_pages(pages, 10)) == 10


def test_adapting_refits_on_base_data_plus_the_users_pages(site, tiny_wcxb, tmp_path):
    base = linesift.train(tiny_wcxb, classifier=LineClassifier(max_iter=10), folds=0).model
    save_model(base, tmp_path / "base.joblib")
    result = linesift.train(site, content_selector=SELECTOR, base=str(tmp_path / "base.joblib"), trusted=True,
                            base_data=tiny_wcxb, base_pages=4, classifier=LineClassifier(max_iter=10), folds=2)
    adapted = result.model.card["adapted_from"]
    assert adapted["base_pages"] == 4 and adapted["user_share"] == 0.2
    assert result.model.floor == base.floor
    assert len(result.base_scores.pages) == len(result.cross_validation.pages) == 5


def test_adapting_the_default_model_needs_no_data_folder(site, monkeypatch, tmp_path):
    monkeypatch.delenv("LINESIFT_DATA", raising=False)
    monkeypatch.chdir(tmp_path)  # no ../shared beside the working directory either
    result = linesift.train(site, content_selector=SELECTOR, base="default")
    adapted = result.model.card["adapted_from"]
    assert adapted["method"].startswith("boosting continued on these pages") and adapted["extra_trees"] in ADAPT_TREES
    assert len(result.base_scores.pages) == len(result.cross_validation.pages) == 5
    # Each page scored by a model adapted on the other four beats the default model on it.
    assert result.cross_validation.summary().f1 > result.base_scores.summary().f1
    assert result.model.floor == linesift.load_model("default").floor


def test_adapting_the_default_text_model_on_labelled_text_dumps(site_documents, tmp_path, monkeypatch):
    monkeypatch.delenv("LINESIFT_DATA", raising=False)
    for document in site_documents:
        rows = [f"{'content' if label else 'boilerplate'}\t{text}" for text, label in zip(document.texts, document.labels)]
        (tmp_path / f"{document.page.page_id}.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = linesift.train(tmp_path, mode="text", base="default")
    assert result.model.mode == "text" and len(result.cross_validation.pages) == 5
    assert result.cross_validation.summary().f1 >= result.base_scores.summary().f1


def test_evaluate_scores_every_page(site, site_extractor, tiny_wcxb):
    evaluation = linesift.evaluate(site_extractor.html_model, site, content_selector=SELECTOR)
    assert len(evaluation.pages) == 5 and evaluation.summary().line_accuracy > 0.9
    on_wcxb = linesift.evaluate(site_extractor.html_model, tiny_wcxb)
    assert {p.page_id for p in on_wcxb.pages} == {f"{i:04d}" for i in range(6)}
    assert np.all([0 <= p.line_accuracy <= 1 for p in on_wcxb.pages])


def test_text_models_trained_and_adapted_by_default_score_the_line_words(tiny_wcxb, samples, tmp_path):
    base = linesift.train(tiny_wcxb, mode="text", classifier=default_classifier("text").set_params(max_iter=10),
                          folds=0).model
    assert base.classifier.lexical and base.classifier.words_.coef_.any()
    save_model(base, tmp_path / "base.joblib")
    result = linesift.train(tiny_wcxb, mode="text", base=str(tmp_path / "base.joblib"), trusted=True,
                            base_data=tiny_wcxb, base_pages=4, folds=2)
    assert result.model.classifier.lexical
    kept = linesift.Extractor(text_model=result.model).extract((samples / "river-cleanup.txt").read_text(), mode="text")
    assert "More than two hundred volunteers" in kept and "Subscribe" not in kept.splitlines()
