"""Words as evidence: a linear model over the hashed words and word pairs of each line.

The cue vocabularies (:mod:`linesift.cues`) name the words that mark chrome on any site
("share", "subscribe", "cookies"); pages hold many more that a person would not think to list
("shipping", "returns", "verified purchase", "trending now"). :class:`WordScorer` learns them
from the training lines: a logistic regression over hashed unigrams and bigrams, which needs no
vocabulary and stays a fixed size. Its score of a line and of the lines beside it become
stage-one columns of :class:`linesift.model.LineClassifier`, so that the trees weigh the words
against layout and context rather than trusting them alone.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn import config_context
from sklearn.base import BaseEstimator
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import normalize
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from linesift._arrays import group_mean, rolling_mean, shift
from linesift.context import document_slices
from linesift.text_stats import WORD_PATTERN, word_counts

#: Half widths of the windows over which :func:`word_columns` averages the word score.
_WINDOWS = (2, 5)
#: Lines of one to this many words count as headings ("Reviews", "Shipping & Returns").
_HEADING_WORDS = 4
#: Log distance given where a line has no heading-like line above (or below) it.
_NO_HEADING = np.log1p(1000.0)
#: Names of the columns :func:`word_columns` returns, in order.
WORD_COLUMN_NAMES = (
    "word_score", "word_score_at_-1", "word_score_at_+1",
    *(f"word_score_mean_{half_width}" for half_width in _WINDOWS),
    "heading_above_score", "heading_above_log_distance", "heading_below_score", "heading_below_log_distance",
    "section_mean_score", "section_log_lines",
)
N_WORD_COLUMNS = len(WORD_COLUMN_NAMES)
#: The value paired with each word for :class:`~sklearn.feature_extraction.FeatureHasher`.
_ONES = itertools.repeat(1.0)


class WordScorer(BaseEstimator):
    """Logistic regression over hashed word unigrams and bigrams of single lines.

    Parameters
    ----------
    n_features
        Hash buckets; the fitted weights take 4 bytes each.
    ngram_range
        Shortest and longest runs of words hashed: ``(1, 2)`` for prose, ``(1, 1)`` for class tokens,
        whose order means nothing.
    alpha
        L2 regularisation strength of the stochastic-gradient fit.
    max_iter
        Passes over the training lines.
    random_state
        Seed for the order of the passes.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,), float32
        Weight of each hash bucket; positive means content.
    intercept_ : float
        Score of a line with no words.

    Its input is text: one string per line, not a numeric matrix. A fit on lines of one class
    learns no word and scores every line as that class (a fold of a small site can hold only
    content); a fit on no lines is refused.

    >>> scorer = WordScorer(n_features=2**10).fit(["Share this", "The council met on Monday"], [0, 1])
    >>> bool(scorer.decision_function(["Share this"])[0] < scorer.decision_function(["The council met"])[0])
    True
    """

    def __init__(
        self,
        *,
        n_features: int = 2**18,
        ngram_range: tuple[int, int] = (1, 2),
        alpha: float = 1e-5,
        max_iter: int = 15,
        random_state: int = 0,
    ) -> None:
        self.n_features = n_features
        self.ngram_range = ngram_range
        self.alpha = alpha
        self.max_iter = max_iter
        self.random_state = random_state

    def _bucket_counts(self, texts: Iterable[str]) -> sparse.csr_array:
        """A row per text: the count of each hash bucket its words and word runs fall in, indices sorted.

        The buckets of ``HashingVectorizer(ngram_range=self.ngram_range, token_pattern=WORD_PATTERN,
        alternate_sign=False)``, with the words found by :func:`analyse_words` and handed to the
        hasher as ``(word, 1)`` pairs by ``zip``, not by a Python generator per word.
        """
        hasher = FeatureHasher(self.n_features, input_type="pair", alternate_sign=False)
        analyse = functools.partial(analyse_words, ngram_range=self.ngram_range)
        # The hasher's parameters are fixed here and its rows finite: checking them again on
        # every call cost about 0.5 ms a scorer and page (docs/speed.md).
        with config_context(skip_parameter_validation=True, assume_finite=True):
            return hasher.transform(zip(analyse(text), _ONES) for text in texts)

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        return tags

    def fit(self, texts: Sequence[str], y: np.ndarray, sample_weight: np.ndarray | None = None) -> WordScorer:
        """Learn a weight per hash bucket from lines ``texts`` labelled ``y`` (1: content)."""
        texts = _check_texts(texts)
        y = np.asarray(y)
        if not len(texts):
            raise ValueError("WordScorer.fit needs at least one labelled line; got none")
        if len(y) != len(texts):
            raise ValueError(f"WordScorer.fit got {len(texts)} lines but {len(y)} labels: pass one label per line")
        if len(np.unique(y)) < 2:
            self.coef_ = np.zeros(self.n_features, dtype=np.float32)
            self.intercept_ = 1.0 if len(y) and y[0] == 1 else -1.0
            return self
        linear = SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=self.max_iter, tol=None,
                               random_state=self.random_state)
        rows = self._bucket_counts(texts)
        rows.data.fill(1.0)
        linear.fit(normalize(rows), y, sample_weight=sample_weight)
        self.coef_ = linear.coef_.ravel().astype(np.float32)
        self.intercept_ = float(linear.intercept_[0])
        return self

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Log-odds of content for each line, from its words alone.

        Each distinct text is hashed once: the lines of one template share their markup, so an
        HTML page's few hundred lines hold a few dozen distinct token sets.
        """
        check_is_fitted(self)
        texts = _check_texts(texts)
        if not len(texts):
            return np.zeros(0)
        distinct, index = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        rows = self._bucket_counts(distinct)
        # Each row's distinct buckets weigh 1 / sqrt(their number) (binary, l2-normalised, as in
        # fit), summed in index order: the float64 sum of scikit-learn's sparse product, to the bit,
        # without building the normalised matrix.
        buckets = np.diff(rows.indptr)
        row_of = np.repeat(np.arange(len(distinct)), buckets)
        weights = (1.0 / np.sqrt(np.maximum(buckets, 1)))[row_of] * self.coef_[rows.indices].astype(np.float64)
        scores = np.bincount(row_of, weights=weights, minlength=len(distinct)) + self.intercept_
        return scores[index.reshape(-1)]


#: A text of lower-case ASCII letters, digits and spaces only: class and id tokens
#: (:attr:`linesift.features.Features.markup`), whose words are those between its spaces.
_PLAIN_WORDS = re.compile(r"[a-z0-9 ]*")
_WORD = re.compile(WORD_PATTERN)


def analyse_words(text: str, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """The lower-cased words of ``text`` (:data:`linesift.text_stats.WORD_PATTERN`) and their runs of
    ``ngram_range`` words, as scikit-learn's word analyser finds them, at half its time or less.

    >>> analyse_words("Free shipping on orders")
    ['free', 'shipping', 'on', 'orders', 'free shipping', 'shipping on', 'on orders']
    >>> analyse_words("post entry-content", ngram_range=(1, 1))
    ['post', 'entry', 'content']
    """
    lowered = text.lower()
    words = lowered.split() if _PLAIN_WORDS.fullmatch(lowered) else _WORD.findall(lowered)
    shortest, longest = ngram_range
    grams = words if shortest == 1 else []
    for size in range(max(shortest, 2), min(longest, len(words)) + 1):
        grams = grams + list(map(" ".join, zip(*(words[start:] for start in range(size)))))
    return grams


def _check_texts(texts: Sequence[str]) -> Sequence[str]:
    """``texts`` itself when it is a sequence of strings; a ``TypeError`` that says what to pass otherwise."""
    if isinstance(texts, str) or not all(isinstance(text, str) for text in texts):
        raise TypeError(
            "WordScorer scores lines of text: pass a sequence of strings, one per line "
            f"(got {type(texts).__name__}{'' if isinstance(texts, str) else ' holding non-strings'})"
        )
    return texts


def _nearest_heading_before(is_heading: np.ndarray) -> np.ndarray:
    """Index of the last heading-like line strictly before each line (-1 where there is none)."""
    index = np.where(is_heading, np.arange(len(is_heading)), -1)
    return np.maximum.accumulate(shift(index, -1, fill=-1)).astype(np.int64)


def _heading_columns(values: np.ndarray, is_heading: np.ndarray) -> list[np.ndarray]:
    """Word score of the nearest heading-like line above and below, how far each is, and the mean
    score and size of the section between them."""
    count = len(values)
    above = _nearest_heading_before(is_heading)
    below = count - 1 - _nearest_heading_before(is_heading[::-1])[::-1]
    index = np.arange(count)
    section = np.cumsum(is_heading)
    columns = []
    for nearest, exists in ((above, above >= 0), (below, below < count)):
        columns.append(np.where(exists, values[np.clip(nearest, 0, count - 1)], 0.0))
        columns.append(np.where(exists, np.log1p(np.abs(nearest - index)), _NO_HEADING))
    columns.append(group_mean(values, section))
    columns.append(np.log(np.bincount(section)[section]))
    return columns


def word_columns(scores: np.ndarray, texts: Sequence[str], doc_ids: np.ndarray) -> np.ndarray:
    """Word-score columns for every row, document by document.

    Each line's score, those of the lines just before and after it (0 past the ends of its
    document) and the mean score over windows around it: a block of shop or teaser vocabulary
    outweighs one line of it. Then the headings: the score of the nearest heading-like line
    (one to four words) above and below, how far away each is, and the mean score and size of
    the section they bound. A paragraph under "Shipping & Returns" or "You May Also Like" reads
    like prose; its heading's words give it away.
    """
    counts = word_counts(texts)
    is_heading = (counts >= 1) & (counts <= _HEADING_WORDS)
    result = np.zeros((len(scores), N_WORD_COLUMNS))
    for rows in document_slices(doc_ids):
        values = scores[rows]
        columns = [values, shift(values, -1, fill=0.0), shift(values, 1, fill=0.0)]
        columns += [rolling_mean(values, half_width) for half_width in _WINDOWS]
        columns += _heading_columns(values, is_heading[rows])
        result[rows] = np.column_stack(columns)
    return result


#: Names of the columns :func:`markup_columns` returns, in order.
MARKUP_COLUMN_NAMES = ("markup_score", "markup_score_at_-1", "markup_score_at_+1", "markup_score_mean_5")
N_MARKUP_COLUMNS = len(MARKUP_COLUMN_NAMES)


def markup_columns(scores: np.ndarray, doc_ids: np.ndarray) -> np.ndarray:
    """Markup-score columns for every row: the line's, its neighbours' (0 past the ends of its
    document) and their mean over ±5 lines.

    The score comes from a :class:`WordScorer` over the class and id tokens of each line's
    ancestors (:attr:`linesift.features.Features.markup`): it learns the names that themes and
    shop or forum software give their blocks (``entry-content``, ``related-posts``,
    ``woocommerce-tabs``), far more of them than the hand-made cue lists hold.
    """
    result = np.zeros((len(scores), N_MARKUP_COLUMNS))
    for rows in document_slices(doc_ids):
        values = scores[rows]
        result[rows] = np.column_stack(
            (values, shift(values, -1, fill=0.0), shift(values, 1, fill=0.0), rolling_mean(values, 5))
        )
    return result
