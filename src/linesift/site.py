"""Site adaptation without the base model's data: boosting continued on a few pages of the site.

A model adapted to a site needs to learn what that site's templates do (its menus, "related
posts" blocks, product tabs), not to relearn what every page shares. :class:`SiteAdaptedClassifier`
keeps the base classifier and a copy of it whose boosters grew a few more trees on the user's
labelled pages (:meth:`linesift.model.LineClassifier.continued`), so adapting needs only those
pages and takes seconds. How many trees pay is chosen leave one page out by
:func:`adapt_to_site`.

The copy is used only on pages that look like the labelled ones: at least ``min_known_share`` of
their lines carry class and id tokens (HTML) or a text (case and digits aside) seen on the
labelled pages, as a site's template lines do. Other pages get the base classifier's
probabilities unchanged, so an adapted model is no worse than its base elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from linesift._progress import progress_bar
from linesift.evaluation import Evaluation
from linesift.labels import LabelledDocument, one_source_per_page, stacked_rows
from linesift.model import LineClassifier, PagePredictMixin
from linesift.scoring import document_probabilities, score_documents
from linesift.storage import LinesiftModel

_DIGITS = re.compile(r"\d+")


def _text_keys(texts: Sequence[str]) -> list[str]:
    """A line's text as the site memory knows it: lower case, digits as 0, outer spaces gone."""
    return [_DIGITS.sub("0", text.lower().strip()) for text in texts]


class SiteAdaptedClassifier(PagePredictMixin, ClassifierMixin, BaseEstimator):
    """A fitted line classifier and its copy adapted to one site, used on pages of that site.

    Parameters
    ----------
    base
        The fitted :class:`~linesift.model.LineClassifier` to adapt; it is not changed.
    extra_trees
        Trees each booster grows on the site's lines.
    learning_rate
        Of the extra trees.
    min_known_share
        A document counts as the site's when at least this share of its lines carries class
        tokens or a text seen on the labelled pages.

    Attributes
    ----------
    adapted_ : LineClassifier
        The base classifier continued on the labelled lines.
    known_markup_, known_texts_ : frozenset of str
        Class-token sets and texts of the labelled lines (empty ones left out).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.zeros((20, 2)), np.ones((20, 2))]
    >>> y = np.r_[np.zeros(20, int), np.ones(20, int)]
    >>> base = LineClassifier(max_iter=5, n_splits=2).fit(X, y, doc_ids=np.repeat([0, 1, 2, 3], 10))
    >>> texts = ["Menu"] * 20 + [f"Paragraph {i}" for i in range(20)]
    >>> site = SiteAdaptedClassifier(base, extra_trees=5).fit(X, y, texts=texts)
    >>> site.predict([[0, 0], [1, 1]], texts=["Menu", "Paragraph 99"]).tolist()
    [0, 1]
    """

    def __init__(
        self, base: LineClassifier, *, extra_trees: int = 20, learning_rate: float = 0.1, min_known_share: float = 0.2
    ) -> None:
        self.base = base
        self.extra_trees = extra_trees
        self.learning_rate = learning_rate
        self.min_known_share = min_known_share

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        doc_ids: np.ndarray | None = None,
        clusters: np.ndarray | None = None,
        texts: Sequence[str] | None = None,
        markup: Sequence[str] | None = None,
    ) -> SiteAdaptedClassifier:
        """Continue ``base`` on labelled lines of the site's pages and remember their templates."""
        check_is_fitted(self.base)
        self.adapted_ = self.base.continued(
            X, y, extra_trees=self.extra_trees, learning_rate=self.learning_rate,
            doc_ids=doc_ids, clusters=clusters, texts=texts, markup=markup,
        )
        self.classes_ = self.base.classes_
        self.n_features_in_ = self.base.n_features_in_
        self.known_markup_ = frozenset(markup or ()) - {""}
        self.known_texts_ = frozenset(_text_keys(texts or ())) - {""}
        return self

    def like_site(self, *, doc_ids: np.ndarray | None, texts: Sequence[str] | None, markup: Sequence[str] | None,
                  rows: int) -> np.ndarray:
        """Per row, whether its document looks like the labelled pages (see ``min_known_share``)."""
        check_is_fitted(self)
        known = np.zeros(rows, dtype=bool)
        if markup is not None:
            known |= np.fromiter(map(self.known_markup_.__contains__, markup), dtype=bool, count=rows)
        if texts is not None:
            known |= np.fromiter(map(self.known_texts_.__contains__, _text_keys(texts)), dtype=bool, count=rows)
        documents = np.zeros(rows, dtype=np.int64) if doc_ids is None else np.unique(doc_ids, return_inverse=True)[1]
        share = np.bincount(documents, weights=known) / np.maximum(np.bincount(documents), 1)
        return share[documents] >= self.min_known_share

    def predict_proba(
        self,
        X: np.ndarray,
        *,
        doc_ids: np.ndarray | None = None,
        clusters: np.ndarray | None = None,
        texts: Sequence[str] | None = None,
        markup: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Class probabilities per row: the adapted copy's on documents like the site's, ``base``'s elsewhere."""
        def of(classifier: LineClassifier) -> np.ndarray:
            return classifier.predict_proba(X, doc_ids=doc_ids, clusters=clusters, texts=texts, markup=markup)

        like_site = self.like_site(doc_ids=doc_ids, texts=texts, markup=markup, rows=len(X))
        if like_site.all():
            return of(self.adapted_)
        probability = of(self.base)
        if like_site.any():
            probability[like_site] = of(self.adapted_)[like_site]
        return probability


#: Extra trees per booster tried when adapting a model to a site (0: the base model unchanged).
ADAPT_TREES = (0, 10, 20, 40)


def continue_on_site(documents: Sequence[LabelledDocument], base: LineClassifier, *,
                     extra_trees: int) -> SiteAdaptedClassifier:
    """``base`` adapted to the site of ``documents``: boosting continued on their lines ."""
    X, y, context = stacked_rows(one_source_per_page(documents))
    return SiteAdaptedClassifier(base, extra_trees=extra_trees).fit(X, y, **context)


def adapt_to_site(
    documents: Sequence[LabelledDocument], base: LinesiftModel, *, candidates: Sequence[int] = ADAPT_TREES,
    progress: bool = False,
) -> tuple[LineClassifier | SiteAdaptedClassifier, int, dict[int, Evaluation]]:
    """Adapt ``base`` to a site with the trees that score best leave one page out; needs no other data.

    Each candidate number of extra trees adapts the base classifier on all pages but one and
    scores that page; the best mean word F1 wins (ties go to fewer trees, 0 keeping ``base``
    unchanged). Returns the classifier fitted on every page with that many trees, the number,
    and each candidate's leave-one-page-out scores. Over 11 held-out wcxb-dev sites adapted with
    2 pages each, this gained +0.165 word F1 on the sites' other pages (``benchmarks/adaptation.py``).
    """
    pages = one_source_per_page(documents)
    if len({d.page.page_id for d in pages}) < 2:
        raise ValueError("adapting needs at least two labelled pages: each is scored by a model adapted on the others")
    if len(np.unique(np.concatenate([d.labels for d in pages]))) < 2:
        raise ValueError("your labelled pages hold only content or only boilerplate lines: label both")
    # Each page with the pages that adapt the model scoring it; none where those hold one class only.
    folds = [(page, [d for d in pages if d is not page]) for page in pages]
    folds = [(page, others if len(np.unique(np.concatenate([d.labels for d in others]))) == 2 else [])
             for page, others in folds]
    scores = {}
    for trees in progress_bar(list(candidates), "adapting, leave one page out", enabled=progress, unit="setting"):
        probabilities = [
            document_probabilities(continue_on_site(others, base.classifier, extra_trees=trees)
                                   if trees and others else base.classifier, page)
            for page, others in folds
        ]
        scores[trees] = score_documents(pages, probabilities, base.floor, base.beta)
    best = max(candidates, key=lambda trees: (round(scores[trees].summary().f1, 3), -trees))
    classifier = continue_on_site(pages, base.classifier, extra_trees=best) if best else base.classifier
    return classifier, best, scores
