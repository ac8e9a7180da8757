"""Page types as evidence for every line: how likely a page is an article, a forum thread, a listing ...

The same line means different things on different kinds of page. Readers' comments under a blog
post are boilerplate by the labels of news sets (fundus, dragnet, WCXB's articles), while the
posts of a forum thread, which look just like them, are its content; a long list of category
links is a listing page's content and an article page's sidebar. The line classifier cannot
tell these apart from a line and its neighbours alone. :class:`PageTypeClassifier` predicts a
page's type from a summary of all its lines (:func:`page_vectors`: the mean of every feature
column, plain and weighted by the lines' words, and the number of lines), and
:class:`~linesift.model.LineClassifier` with ``page_types=True`` gives every line its page's type
probabilities as extra columns.

The type model is small: 50 boosted rounds of 15 leaves, 1.5 ms a page. Measured on the 1,869
pages of wcxb-dev, fundus and magic-html (seven page types, 5 folds split by domain): it classified
82.2 % of pages right (log-loss 0.63); 200 rounds of 31 leaves 82.3 % (log-loss 0.84) in 7 ms a
page; a scaled logistic regression (C 0.1) 81.3 % (log-loss 0.68) in 0.2 ms. What the columns
gained is in ``docs/features.md`` ("Page types"): too little to be on by default.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier

from linesift.context import document_slices

#: The type of a page whose type is not known (a user's labelled page); such pages train no type.
UNKNOWN = "unknown"


def page_vectors(X: np.ndarray, doc_ids: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One row per document: its columns' means over lines, their means weighted by ``words``, and log lines.

    Rows of one document are consecutive, as the line classifier reads them. Also returns each
    row's document number (0 for the first document), to spread document values back over lines:

    >>> vectors, index = page_vectors(np.array([[1.0], [3.0], [5.0]]), np.array([7, 7, 2]), np.array([1.0, 3.0, 2.0]))
    >>> vectors.round(3).tolist(), index.tolist()
    ([[2.0, 2.5, 1.099], [5.0, 5.0, 0.693]], [0, 0, 1])
    """
    documents = document_slices(np.asarray(doc_ids))
    starts = np.array([rows.start for rows in documents])
    lines = np.array([rows.stop - rows.start for rows in documents], dtype=np.float64)
    index = np.repeat(np.arange(len(documents)), lines.astype(np.int64))
    word_totals = np.maximum(np.add.reduceat(words, starts), 1.0)
    means = np.add.reduceat(X, starts, axis=0) / lines[:, None]
    weighted = np.add.reduceat(X * (words / word_totals[index])[:, None], starts, axis=0)
    return np.hstack((means, weighted, np.log1p(lines)[:, None])), index


def line_words(texts: Sequence[str]) -> np.ndarray:
    """Whitespace-separated words of each line: the weights of :func:`page_vectors`."""
    return np.fromiter(map(len, map(str.split, texts)), dtype=np.float64, count=len(texts))


class PageTypeClassifier(ClassifierMixin, BaseEstimator):
    """Page-type probabilities from :func:`page_vectors`, by a small gradient-boosted classifier.

    ``classes_`` are the page types seen in training, sorted; :meth:`predict_proba` returns their
    probabilities in that order.

    >>> vectors = np.r_[np.full((40, 2), 2.0), np.full((40, 2), -2.0)]
    >>> typer = PageTypeClassifier().fit(vectors, np.array(["article"] * 40 + ["forum"] * 40))
    >>> typer.classes_.tolist(), bool(typer.predict_proba(np.array([[2.0, 2.0]]))[0, 0] > 0.5)
    (['article', 'forum'], True)
    """

    def __init__(self, max_iter: int = 50, max_leaf_nodes: int = 15, random_state: int = 0) -> None:
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.random_state = random_state

    def fit(self, vectors: np.ndarray, types: np.ndarray) -> PageTypeClassifier:
        """Fit on one vector and one type per page."""
        self.booster_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, max_leaf_nodes=self.max_leaf_nodes, random_state=self.random_state,
        ).fit(vectors, types)
        self.classes_ = self.booster_.classes_
        return self

    def predict_proba(self, vectors: np.ndarray) -> np.ndarray:
        """Probability of each of ``classes_`` for each page."""
        return self.booster_.predict_proba(vectors)
