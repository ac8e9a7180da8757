"""The word model and the stage-one columns it gives the line classifier."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier

from linesift._input import load_lines
from linesift.features import featurize
from linesift.lexical import N_MARKUP_COLUMNS, N_WORD_COLUMNS, WordScorer, analyse_words, markup_columns, word_columns
from linesift.model import LineClassifier
from linesift.text_stats import WORD_PATTERN
from linesift.training import default_classifier

CHROME = ["Free shipping and easy returns", "Subscribe to our newsletter", "Shipping and returns policy"]
PROSE = ["The council voted on Tuesday to close the bridge", "Residents said the river rose overnight",
         "The council said the bridge would reopen in spring"]


def test_word_scorer_scores_lines_by_the_words_it_learned():
    texts = CHROME * 10 + PROSE * 10
    labels = np.r_[np.zeros(30, int), np.ones(30, int)]
    scorer = WordScorer(n_features=2**12).fit(texts, labels)
    scores = scorer.decision_function(["Free returns on every order", "The council met on Tuesday"])
    assert scores[0] < 0 < scores[1]
    assert scorer.coef_.dtype == np.float32
    assert scorer.decision_function([]).shape == (0,)


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2), (1, 3)])
def test_word_analyser_finds_the_words_of_scikit_learns_analyser(ngram_range):
    # The bundled scorers' weights were learned on scikit-learn's words: the faster analyser must
    # find the same ones, the same number of times, in prose, markup, CJK and case-changing scripts.
    texts = ["Free shipping, on orders over $50!", "post entry-content hentry", "nav menu  main-menu", "",
             "相关文章 列表: 视频", "İstanbul'da ÇOK güzel", "snake_case and x2 y", "ΑΘΗΝΑ Ελλάδα", "a", "  "]
    reference = HashingVectorizer(ngram_range=ngram_range, token_pattern=WORD_PATTERN).build_analyzer()
    for text in texts:
        assert analyse_words(text, ngram_range) == reference(text), text


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2)])
def test_word_scorer_hashes_and_scores_as_scikit_learns_vectorizer(ngram_range):
    # The bundled scorers were fitted on HashingVectorizer's rows: scoring without building them
    # must give the same float64 sums, to the bit, and fitting the same weights.
    texts = CHROME * 3 + PROSE * 3 + ["", "Free shipping free shipping", "相关文章 列表", "İstanbul ÇOK", "a b a b"]
    labels = np.r_[np.zeros(9, int), np.ones(9, int), [0, 0, 1, 1, 0]]
    reference = HashingVectorizer(n_features=2**10, ngram_range=ngram_range, token_pattern=WORD_PATTERN,
                                  alternate_sign=False, binary=True)
    scorer = WordScorer(n_features=2**10, ngram_range=ngram_range).fit(texts, labels)
    expected = SGDClassifier(loss="log_loss", alpha=scorer.alpha, max_iter=scorer.max_iter, tol=None,
                             random_state=scorer.random_state).fit(reference.transform(texts), labels)
    assert np.array_equal(scorer.coef_, expected.coef_.ravel().astype(np.float32))
    unseen = ["Free returns on every order", "", "The council met on Tuesday", "Free returns on every order"]
    scores = scorer.decision_function(texts + unseen)
    assert np.array_equal(scores, reference.transform(texts + unseen) @ scorer.coef_ + scorer.intercept_)


def test_word_scorer_learns_chinese_words_inside_unspaced_lines():
    # Each line is one \\w+ run: only character tokens let "相关" in an unseen line carry weight.
    texts = ["相关文章列表", "相关新闻推荐", "相关视频", "市议会周一开会讨论预算", "居民周一参加会议", "议会通过预算"] * 5
    labels = np.r_[np.zeros(3, int), np.ones(3, int)].tolist() * 5
    scorer = WordScorer(n_features=2**12).fit(texts, labels)
    scores = scorer.decision_function(["相关图片", "会议讨论"])
    assert scores[0] < 0 < scores[1]


@pytest.mark.parametrize("texts", ["one string, not lines", np.zeros((6, 2)), [1, 2, 3, 4, 5, 6]])
def test_word_scorer_refuses_input_that_is_not_lines_of_text(texts):
    with pytest.raises(TypeError, match="sequence of strings"):
        WordScorer().fit(texts, np.r_[np.zeros(3, int), np.ones(3, int)])


def test_word_scorer_refuses_an_empty_fit_and_labels_that_do_not_match_the_lines():
    with pytest.raises(ValueError, match="at least one labelled line"):
        WordScorer().fit([], [])
    with pytest.raises(ValueError, match="3 lines but 2 labels"):
        WordScorer().fit(PROSE, [0, 1])


def test_word_scorer_declares_string_input_to_scikit_learn():
    tags = WordScorer().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_word_scorer_fitted_on_one_class_scores_every_line_as_that_class():
    scorer = WordScorer(n_features=2**8).fit(PROSE, np.ones(3, int))
    assert (scorer.decision_function(CHROME) > 0).all()


def test_word_columns_take_neighbours_within_each_document_only():
    scores = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    columns = word_columns(scores, PROSE[:2] + CHROME, np.array([0, 0, 1, 1, 1]))
    assert columns.shape == (5, N_WORD_COLUMNS)
    assert columns[:, :3].tolist() == [[1, 0, 2], [2, 1, 0], [3, 0, 4], [4, 3, 5], [5, 4, 0]]
    assert columns[:, 3].tolist() == [1.5, 1.5, 4, 4, 4]  # means over ±2 lines, clipped to the document


def test_word_columns_carry_the_nearest_heading_and_its_section():
    texts = ["Reviews", "Great shoes, they fit well and look sharp", "Verified purchase", "Comfortable all day long on my feet",
             "Soft and light on my feet every day"]
    scores = np.array([-2.0, 1.0, -3.0, 0.5, 1.5])
    columns = word_columns(scores, texts, np.zeros(5, int))[:, 5:]
    above, below, section = columns[:, 0:2], columns[:, 2:4], columns[:, 4:6]
    assert above[:, 0].tolist() == [0, -2, -2, -3, -3]  # the score of the heading-like line above
    assert np.allclose(above[1:, 1], np.log1p([1, 2, 1, 2]))
    assert below[:, 0].tolist() == [-3, -3, 0, 0, 0]
    assert section[:, 0].tolist() == [-0.5, -0.5, (-3 + 0.5 + 1.5) / 3, (-3 + 0.5 + 1.5) / 3, (-3 + 0.5 + 1.5) / 3]
    assert np.allclose(np.exp(section[:, 1]), [2, 2, 3, 3, 3])


def test_lexical_classifier_needs_the_line_texts_and_uses_their_words():
    rng = np.random.default_rng(0)
    y = np.tile([0, 1], 100)
    X = rng.normal(size=(200, 2))  # the features say nothing: only the words tell the classes apart
    texts = [PROSE[i % 3] if label else CHROME[i % 3] for i, label in enumerate(y)]
    doc_ids = np.repeat(np.arange(10), 20)
    model = LineClassifier(max_iter=10, lexical=True).fit(X, y, doc_ids=doc_ids, texts=texts)
    assert (model.predict(X, doc_ids=doc_ids, texts=texts) == y).mean() > 0.9
    with pytest.raises(ValueError, match="texts="):
        model.predict_proba(X)
    assert clone(model).get_params()["lexical"] is True


def test_both_bundled_models_score_words_and_the_html_model_class_tokens():
    assert default_classifier("text").lexical and default_classifier("html").lexical
    assert default_classifier("html").markup_words and not default_classifier("text").markup_words


def test_markup_lists_the_class_and_id_tokens_of_each_lines_ancestors():
    html = '<body><div class="post-body"><p id="lead">Story</p></div><aside class="related"><p>More</p></aside></body>'
    assert featurize(load_lines(html, mode="html")).markup == ["body lead post", "related"]
    assert featurize(load_lines("Story\nMore", mode="text")).markup == ["", ""]


def test_markup_columns_take_neighbours_within_each_document_only():
    columns = markup_columns(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([0, 0, 1, 1, 1]))
    assert columns.shape == (5, N_MARKUP_COLUMNS)
    assert columns[:, :3].tolist() == [[1, 0, 2], [2, 1, 0], [3, 0, 4], [4, 3, 5], [5, 4, 0]]
    assert columns[:, 3].tolist() == [1.5, 1.5, 4, 4, 4]


def test_markup_classifier_needs_each_lines_markup_and_learns_class_names():
    rng = np.random.default_rng(0)
    y = np.tile([0, 1], 100)
    X = rng.normal(size=(200, 2))  # only the class names tell the classes apart
    markup = ["entry content" if label else "related posts widget" for label in y]
    doc_ids = np.repeat(np.arange(10), 20)
    model = LineClassifier(max_iter=10, markup_words=True).fit(X, y, doc_ids=doc_ids, markup=markup)
    assert (model.predict(X, doc_ids=doc_ids, markup=markup) == y).mean() > 0.9
    with pytest.raises(ValueError, match="markup="):
        model.predict_proba(X)
