"""Site adaptation without the base model's data: boosting continued on a few pages of the site.

A model adapted to a site needs to learn what that site's templates do (its menus, "related
posts" blocks, product tabs), not to relearn what every page shares. :class:`SiteAdaptedClassifier`
keeps the base classifier and a copy of it whose boosters grew a few more trees on the user's
labelled pages (:meth:`linesift.model.LineClassifier.continued`), so adapting needs only those
pages and takes seconds. How many trees pay is chosen leave one page out
by :func:`adapt_to_site`. The continued trees see only the base model's feature columns, where a
site's template shows as a class-token *score* learnt elsewhere; so the adapted model also keeps
a memory of the labelled lines. On HTML, each class-token set that holds at least two labelled
lines moves a line's log-odds by that set's smoothed log-odds of content (``(content + 1) /
(boilerplate + 1)``); on plain text, which has no markup, a line whose text (case and digits
aside) was labelled takes the share of content among those labelled lines. Measured on 11
held-out wcxb-dev sites with ``benchmarks/adaptation.py`` (see ``docs/retraining.md``).

The copy is used only on pages that look like the labelled ones: at least ``min_known_share`` of
their lines carry class and id tokens (HTML) or a text (case and digits aside) seen on the
labelled pages, as a site's template lines do. Other pages get the base classifier's
probabilities unchanged, so an adapted model is no worse than its base elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
    min_markup_lines
        Labelled lines a class-token set needs before its content rate moves the probabilities
        of lines that carry it.
    memory
        Whether the labelled lines' class-token sets (HTML) or texts (plain text) move the
        probabilities; without it only the continued trees adapt.

    Attributes
    ----------
    adapted_ : LineClassifier
        The base classifier continued on the labelled lines (``base`` itself with no extra trees).
    known_markup_, known_texts_ : frozenset of str
        Class-token sets and texts of the labelled lines (empty ones left out).
    markup_log_odds_ : dict of str to float
        Smoothed log-odds of content of each class-token set with ``min_markup_lines`` labelled lines.
    text_content_shares_ : dict of str to float
        Share of content lines among the labelled lines of each text (as ``known_texts_``).

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
        self, base: LineClassifier, *, extra_trees: int = 20, learning_rate: float = 0.1, min_known_share: float = 0.2,
        min_markup_lines: int = 2, memory: bool = True,
    ) -> None:
        self.base = base
        self.extra_trees = extra_trees
        self.learning_rate = learning_rate
        self.min_known_share = min_known_share
        self.min_markup_lines = min_markup_lines
        self.memory = memory

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
        ) if self.extra_trees else self.base
        self.classes_ = self.base.classes_
        self.n_features_in_ = self.base.n_features_in_
        self.known_markup_ = frozenset(markup or ()) - {""}
        self.known_texts_ = frozenset(_text_keys(texts or ())) - {""}
        content = np.asarray(y) == self.classes_[-1]
        self.markup_log_odds_ = _markup_log_odds(markup or [], content, self.min_markup_lines)
        self.text_content_shares_ = _content_shares(_text_keys(texts or ()), content)
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
        probability = of(self.base)
        if like_site.any():
            adapted = of(self.adapted_) if self.adapted_ is not self.base else probability.copy()
            if self.memory and markup is not None and any(markup):
                adapted = _shifted(adapted, np.array([self.markup_log_odds_.get(m, 0.0) for m in markup]))
            elif self.memory and texts is not None:
                remembered = np.array([self.text_content_shares_.get(key, np.nan) for key in _text_keys(texts)])
                known = ~np.isnan(remembered)
                adapted[known] = np.column_stack([1 - remembered[known], remembered[known]])
            probability[like_site] = adapted[like_site]
        return probability


def _label_counts(keys: Sequence[str], content: np.ndarray) -> dict[str, list[int]]:
    """Each non-empty key's labelled lines: [boilerplate, content]."""
    counts: dict[str, list[int]] = {}
    for key, is_content in zip(keys, content):
        if key:
            counts.setdefault(key, [0, 0])[int(is_content)] += 1
    return counts


def _markup_log_odds(markup: Sequence[str], content: np.ndarray, min_lines: int) -> dict[str, float]:
    """Each class-token set with ``min_lines`` labelled lines: log of (content + 1) / (boilerplate + 1)."""
    return {tokens: float(np.log((kept + 1) / (dropped + 1)))
            for tokens, (dropped, kept) in _label_counts(markup, content).items() if dropped + kept >= min_lines}


def _content_shares(keys: Sequence[str], content: np.ndarray) -> dict[str, float]:
    """Each non-empty key's share of content among the lines that carry it."""
    return {key: kept / (dropped + kept) for key, (dropped, kept) in _label_counts(keys, content).items()}


def _shifted(probability: np.ndarray, log_odds: np.ndarray) -> np.ndarray:
    """Two-column class probabilities with ``log_odds`` added to each row's log-odds of the last class."""
    positive = np.clip(probability[:, -1], 1e-6, 1 - 1e-6)
    moved = 1.0 / (1.0 + np.exp(-(np.log(positive / (1 - positive)) + log_odds)))
    return np.column_stack([1 - moved, moved])


#: Extra trees per booster tried when adapting a model to a site (0: no extra trees).
ADAPT_TREES = (0, 10, 20, 40)


def continue_on_site(documents: Sequence[LabelledDocument], base: LineClassifier, *,
                     extra_trees: int, memory: bool = True) -> SiteAdaptedClassifier:
    """``base`` adapted to the site of ``documents``: boosting continued on their lines, which it remembers."""
    X, y, context = stacked_rows(one_source_per_page(documents))
    return SiteAdaptedClassifier(base, extra_trees=extra_trees, memory=memory).fit(X, y, **context)


@dataclass(frozen=True)
class SiteAdaptation:
    """A classifier adapted to a site, its extra trees, and the leave-one-page-out scores that chose them."""

    classifier: SiteAdaptedClassifier
    extra_trees: int
    tree_scores: dict[int, Evaluation]
    scores: Evaluation


def adapt_to_site(
    documents: Sequence[LabelledDocument], base: LinesiftModel, *, candidates: Sequence[int] = ADAPT_TREES,
    progress: bool = False,
) -> SiteAdaptation:
    """Adapt ``base`` to a site with the trees that score best leave one page out; needs no other data.

    Each candidate number of extra trees continues the base classifier's boosting on all pages
    but one and scores that page (``tree_scores``; with 0, the base classifier); the best mean
    word F1 wins, ties going to fewer trees. The classifier fitted on every page with that many
    trees remembers the pages' lines too; ``scores`` are its own leave-one-page-out scores,
    memory included. The trees are chosen without the memory: on two pages, a memory of one page
    scored on the other chose worse (newegg.com 0.732 with 20 trees, 0.648 with none chosen so).
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

    def left_out_scores(trees: int, memory: bool) -> Evaluation:
        probabilities = [
            document_probabilities(continue_on_site(others, base.classifier, extra_trees=trees, memory=memory)
                                   if others and (trees or memory) else base.classifier, page)
            for page, others in folds
        ]
        return score_documents(pages, probabilities, base.floor, base.beta)

    tree_scores = {trees: left_out_scores(trees, memory=False) for trees in
                   progress_bar(list(candidates), "adapting, leave one page out", enabled=progress, unit="setting")}
    best = max(candidates, key=lambda trees: (round(tree_scores[trees].summary().f1, 3), -trees))
    return SiteAdaptation(continue_on_site(pages, base.classifier, extra_trees=best), best, tree_scores,
                          left_out_scores(best, memory=True))
