"""The line classifier: gradient-boosted trees in stages, each later stage seeing its neighbours.

Stage one scores each line from its own features and those of nearby lines. Each context stage
adds the previous stage's probabilities of the neighbours, windows, the page and the line's
template cluster (:mod:`linesift.context`). A context stage is trained on *out-of-fold*
probabilities of the stage before, so that it learns from probabilities as noisy as those it
will see on new pages. One context stage is the default: with two, domain-grouped text
cross-validation on wcxb-dev scored word F1 0.817 against 0.820 for one.

With a tuple ``n_splits`` a context stage is a small bag (:class:`BoosterBag`): one booster per
entry, each trained on the out-of-fold probabilities of its own split, their probabilities
averaged (see :func:`linesift.training.default_classifier` for what it gained).

With ``lexical=True`` stage one also sees a :class:`~linesift.lexical.WordScorer`'s score of the
line's words, of its neighbours' words and of its nearest heading-like lines, out of fold in
training for the same reason. With ``markup_words=True`` (HTML) a second scorer does the same for the
class and id tokens of each line's ancestors. With ``page_types=True`` stage one also sees the
probabilities of its page's type (article, forum, listing ...; :mod:`linesift.page_types`), out of
fold in training too.

Why gradient boosting: on the first 300 wcxb-dev pages (domain-grouped 5-fold, HTML input, word
F1 at each model's best fixed threshold, before page thresholds) logistic regression scored 0.916,
a 100-tree random forest 0.931, one-stage gradient boosting 0.936 and the two stages 0.939
(``python training/compare_models.py --data DIR --limit 300``). Boosting needs no feature scaling,
and the stages' trees, compiled by :mod:`linesift.trees`, predict a page's lines in a few
milliseconds.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from linesift._threads import small_inputs_on_one_thread
from linesift.context import context_features
from linesift.lexical import WordScorer, markup_columns, word_columns
from linesift.page_types import UNKNOWN, PageTypeClassifier, line_words, page_vectors
from linesift.trees import BoosterStages, CompiledStages, compile_stages, same_versions, tree_versions

#: Rows a classifier predicts through scikit-learn before its trees are compiled (:mod:`linesift.trees`).
#: Compiling the bundled models' trees takes about 40 ms, what the compiled trees save on about
#: 2,000 rows (7 wcxb-dev pages); a classifier fitted for one prediction, as adapting to a site
#: fits several for each left-out page, is not worth compiling.
COMPILE_AFTER_ROWS = 2_000


@dataclass
class _Compiled:
    """A classifier's compiled trees (None until it has predicted :data:`COMPILE_AFTER_ROWS` rows),
    the :func:`~linesift.trees.tree_versions` they follow, and the rows predicted since."""

    versions: list[tuple[object, int]]
    rows: int = 0
    stages: CompiledStages | BoosterStages | None = None


#: Each classifier's :class:`_Compiled`, kept beside it, not in it: predicting changes no attribute,
#: and a saved model holds only its boosters.
_COMPILED: weakref.WeakKeyDictionary[LineClassifier, _Compiled] = weakref.WeakKeyDictionary()


class BoosterBag:
    """The boosters of one context stage, each fitted on the out-of-fold probabilities of its own
    split; it predicts their mean."""

    def __init__(self, boosters: Sequence[HistGradientBoostingClassifier]) -> None:
        self.boosters = list(boosters)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """The boosters' mean class probabilities."""
        return np.mean([booster.predict_proba(X) for booster in self.boosters], axis=0)


class PagePredictMixin:
    """``predict`` for line classifiers whose ``predict_proba`` takes a page's context beside ``X``."""

    classes_: np.ndarray
    predict_proba: Callable[..., np.ndarray]

    def predict(
        self,
        X: np.ndarray,
        *,
        doc_ids: np.ndarray | None = None,
        clusters: np.ndarray | None = None,
        texts: Sequence[str] | None = None,
        markup: Sequence[str] | None = None,
    ) -> np.ndarray:
        """The most probable class of each row.

        linesift itself keeps lines by each page's threshold (:func:`linesift.selection.decide`),
        not by this cut; it serves the scikit-learn contract.
        """
        probability = self.predict_proba(X, doc_ids=doc_ids, clusters=clusters, texts=texts, markup=markup)
        return self.classes_[np.argmax(probability, axis=1)]


class LineClassifier(PagePredictMixin, ClassifierMixin, BaseEstimator):
    """Staged line classifier following the scikit-learn estimator contract.

    Parameters
    ----------
    max_iter, learning_rate, max_leaf_nodes, l2_regularization
        Passed to every stage's :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
    context_stages
        Stages after the first that see the previous stage's probabilities of the neighbours
        (0: one stage, lines judged alone).
    n_splits
        Folds for the out-of-fold probabilities that train each context stage; a tuple trains one
        booster per entry, each on the probabilities of its own split, and averages them.
    lexical
        Add stage-one columns from a linear model over each line's hashed words
        (:mod:`linesift.lexical`); ``fit`` and ``predict_proba`` then need ``texts``.
    markup_words
        Add stage-one columns from a linear model over each line's hashed class and id tokens
        (:func:`linesift.lexical.markup_columns`); ``fit`` and ``predict_proba`` then need ``markup``.
    page_types
        Add stage-one columns: the probabilities of the page's type, from a
        :class:`~linesift.page_types.PageTypeClassifier` fitted on the pages' known types (``fit``
        then takes ``page_types``, and ``fit`` and ``predict_proba`` need ``texts``).
    lexical_splits
        Folds for the out-of-fold word and markup scores (and page types) that train stage one.
    random_state
        Seed for every stage.

    Attributes
    ----------
    stages_ : list of HistGradientBoostingClassifier or BoosterBag
        The fitted stages, first to last; a context stage is a :class:`BoosterBag` when
        ``n_splits`` is a tuple of several entries.
    words_ : WordScorer
        The fitted word model, when ``lexical``.
    markup_words_ : WordScorer
        The fitted class-token model, when ``markup_words``.
    page_typer_ : PageTypeClassifier or None
        The fitted page-type model, when ``page_types``; None where the training rows held fewer
        than two known page types (then no page-type columns are added).
    n_iter_ : int
        Boosting rounds of each stage (``max_iter``: early stopping is off, so that every stage
        of a bag sees the same number of trees).

    Rows of one document must be consecutive; pass ``doc_ids`` (one id per row) so that context
    never crosses documents, and ``clusters`` (template ids per row) where known. Without
    ``doc_ids`` the rows of one call are one document, as :mod:`linesift.api` passes one page, and
    ``fit`` then splits its out-of-fold probabilities by row (or by ``groups``). Context makes a
    row's probability depend on the rows around it, so predictions of a subset or a reordering of
    the rows differ: the classifier reads pages, not independent rows.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.zeros((20, 2)), np.ones((20, 2))]
    >>> y = np.r_[np.zeros(20, int), np.ones(20, int)]
    >>> model = LineClassifier(max_iter=5, n_splits=2).fit(X, y, doc_ids=np.repeat([0, 1, 2, 3], 10))
    >>> model.predict([[0, 0], [1, 1]]).tolist()
    [0, 1]
    """

    def __init__(
        self,
        *,
        max_iter: int = 120,
        learning_rate: float = 0.1,
        max_leaf_nodes: int = 31,
        l2_regularization: float = 1.0,
        context_stages: int = 1,
        n_splits: int | tuple[int, ...] = 2,
        lexical: bool = False,
        markup_words: bool = False,
        page_types: bool = False,
        lexical_splits: int = 5,
        random_state: int = 0,
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.context_stages = context_stages
        self.n_splits = n_splits
        self.lexical = lexical
        self.markup_words = markup_words
        self.page_types = page_types
        self.lexical_splits = lexical_splits
        self.random_state = random_state

    def __setstate__(self, state: dict) -> None:
        # Models saved before page types existed load as models without them.
        state.setdefault("page_types", False)
        super().__setstate__(state)

    def _booster(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state,
        )

    @small_inputs_on_one_thread
    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        doc_ids: np.ndarray | None = None,
        clusters: np.ndarray | None = None,
        groups: np.ndarray | None = None,
        sample_weight: np.ndarray | None = None,
        texts: Sequence[str] | None = None,
        markup: Sequence[str] | None = None,
        page_types: Sequence[str] | None = None,
    ) -> LineClassifier:
        """Fit every stage. ``groups`` (e.g. domains) keep related documents in one out-of-fold split.

        ``texts`` (one line's text per row) are needed when ``lexical`` or ``page_types``, ``markup``
        (one line's class and id tokens per row, :attr:`linesift.features.Features.markup`) when
        ``markup_words``, and ``page_types`` (the page type of each row's document, ``"unknown"``
        where not known) when ``page_types``.
        """
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if doc_ids is None and groups is None:
            groups = np.arange(len(X))  # one document, unknown pages: out-of-fold splits go by row
        doc_ids, clusters = self._defaults(len(X), doc_ids, clusters)
        folds = doc_ids if groups is None else groups
        if self.page_types:
            texts = self._check_strings(texts, len(X), "texts", "weighs its page summaries by words (page_types=True)")
            types = self._check_strings(page_types, len(X), "page_types", "learns page types (page_types=True)")
            X = self._fit_page_types(X, doc_ids, folds, texts, types)
        if self.lexical:
            texts = self._check_strings(texts, len(X), "texts", "scores the words of each line (lexical=True)")
            scorer = self._word_scorer()
            scores = self._out_of_fold_scores(scorer, texts, y, folds, sample_weight)
            self.words_ = scorer.fit(texts, y, sample_weight=sample_weight)
            X = np.hstack((X, word_columns(scores, texts, doc_ids)))
        if self.markup_words:
            markup = self._check_strings(markup, len(X), "markup", "scores the class tokens of each line (markup_words=True)")
            scorer = self._markup_scorer()
            scores = self._out_of_fold_scores(scorer, markup, y, folds, sample_weight)
            self.markup_words_ = scorer.fit(markup, y, sample_weight=sample_weight)
            X = np.hstack((X, markup_columns(scores, doc_ids)))
        splits = np.atleast_1d(self.n_splits).tolist()
        inputs = X
        self.stages_ = [self._booster().fit(inputs, y, sample_weight=sample_weight)]
        for _ in range(self.context_stages):
            split_inputs = []
            for n_splits in splits:
                out_of_fold = self._out_of_fold_probability(inputs, y, doc_ids, groups, sample_weight, n_splits)
                split_inputs.append(np.hstack((X, context_features(out_of_fold, doc_ids, clusters))))
            boosters = [self._booster().fit(rows, y, sample_weight=sample_weight) for rows in split_inputs]
            self.stages_.append(boosters[0] if len(boosters) == 1 else BoosterBag(boosters))
            inputs = split_inputs[0]
        self.n_iter_ = self.stages_[0].n_iter_
        return self

    def _out_of_fold_probability(
        self,
        X: np.ndarray,
        y: np.ndarray,
        doc_ids: np.ndarray,
        groups: np.ndarray | None,
        sample_weight: np.ndarray | None,
        n_splits: int,
    ) -> np.ndarray:
        folds = groups if groups is not None else doc_ids
        n_splits = min(n_splits, len(np.unique(folds)))
        if n_splits < 2:
            return self.stages_[-1].predict_proba(X)[:, -1]
        probability = np.zeros(len(X))
        for train, test in GroupKFold(n_splits=n_splits).split(X, y, folds):
            if len(np.unique(y[train])) < 2:
                probability[test] = float(y[train][0] == self.classes_[-1])
                continue
            weight = None if sample_weight is None else np.asarray(sample_weight)[train]
            booster = self._booster().fit(X[train], y[train], sample_weight=weight)
            probability[test] = booster.predict_proba(X[test])[:, -1]
        return probability

    def _fit_page_types(
        self, X: np.ndarray, doc_ids: np.ndarray, folds: np.ndarray, texts: list[str], types: list[str]
    ) -> np.ndarray:
        """Fit ``page_typer_`` on the documents of known type; ``X`` with their out-of-fold type probabilities."""
        vectors, index = page_vectors(X, doc_ids, line_words(texts))
        first = np.unique(index, return_index=True)[1]
        page_type = np.asarray(types, dtype=object)[first]
        page_fold = np.asarray(folds)[first]
        known = page_type != UNKNOWN
        if len(set(page_type[known])) < 2:
            self.page_typer_ = None
            return X
        self.page_typer_ = PageTypeClassifier().fit(vectors[known], page_type[known])
        probability = self.page_typer_.predict_proba(vectors)
        n_splits = min(self.lexical_splits, len(np.unique(page_fold[known])))
        if n_splits >= 2:
            rows = np.flatnonzero(known)
            for train, test in GroupKFold(n_splits=n_splits).split(rows, groups=page_fold[known]):
                if len(set(page_type[rows[train]])) < 2:
                    continue
                fold_typer = PageTypeClassifier().fit(vectors[rows[train]], page_type[rows[train]])
                columns = np.searchsorted(self.page_typer_.classes_, fold_typer.classes_)
                probability[rows[test]] = 0.0
                probability[np.ix_(rows[test], columns)] = fold_typer.predict_proba(vectors[rows[test]])
        return np.hstack((X, probability[index]))

    def _page_type_columns(self, X: np.ndarray, doc_ids: np.ndarray, texts: Sequence[str] | None) -> np.ndarray:
        """``X`` with the fitted page-type model's probabilities of each row's page, when it has one."""
        typer = self.page_typer_ if self.page_types else None
        if typer is None:
            return X
        texts = self._check_strings(texts, len(X), "texts", "weighs its page summaries by words (page_types=True)")
        vectors, index = page_vectors(X, doc_ids, line_words(texts))
        return np.hstack((X, typer.predict_proba(vectors)[index]))

    def _word_scorer(self) -> WordScorer:
        return WordScorer(random_state=self.random_state)

    def _markup_scorer(self) -> WordScorer:
        return WordScorer(ngram_range=(1, 1), random_state=self.random_state)

    def _out_of_fold_scores(
        self, scorer: WordScorer, texts: list[str], y: np.ndarray, groups: np.ndarray, sample_weight: np.ndarray | None
    ) -> np.ndarray:
        n_splits = min(self.lexical_splits, len(np.unique(groups)))
        scorer = clone(scorer)
        if n_splits < 2:
            return scorer.fit(texts, y, sample_weight=sample_weight).decision_function(texts)
        scores = np.zeros(len(texts))
        for train, test in GroupKFold(n_splits=n_splits).split(texts, y, groups):
            weight = None if sample_weight is None else np.asarray(sample_weight)[train]
            scorer.fit([texts[i] for i in train], y[train], sample_weight=weight)
            scores[test] = scorer.decision_function([texts[i] for i in test])
        return scores

    @staticmethod
    def _check_strings(strings: Sequence[str] | None, count: int, name: str, why: str) -> list[str]:
        if strings is None or len(strings) != count:
            raise ValueError(
                f"this classifier {why}: pass {name}=, one string per row "
                f"({count} rows, got {'none' if strings is None else len(strings)})"
            )
        return list(strings)

    @staticmethod
    def _defaults(
        count: int, doc_ids: np.ndarray | None, clusters: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        doc_ids = np.zeros(count, dtype=np.int64) if doc_ids is None else np.asarray(doc_ids)
        clusters = np.arange(count) if clusters is None else np.asarray(clusters)
        return doc_ids, clusters

    @small_inputs_on_one_thread
    def predict_proba(
        self,
        X: np.ndarray,
        *,
        doc_ids: np.ndarray | None = None,
        clusters: np.ndarray | None = None,
        texts: Sequence[str] | None = None,
        markup: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Class probabilities per row, columns ordered as ``classes_`` (``texts`` and ``markup`` as in :meth:`fit`)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        doc_ids, clusters = self._defaults(len(X), doc_ids, clusters)
        X = self._stage_one_inputs(X, doc_ids, texts, markup)
        stages = self._stage_predictor(len(X))
        inputs = stages.inputs(X)
        probability = stages.predict_proba(0, inputs)
        if len(X) == 0:
            return probability
        for number in range(1, len(self.stages_)):
            context = stages.inputs(context_features(probability[:, -1], doc_ids, clusters), start=X.shape[1])
            probability = stages.predict_proba(number, np.hstack((inputs, context)))
        return probability

    def _stage_predictor(self, rows: int) -> CompiledStages | BoosterStages:
        """What predicts the stages for ``rows`` more rows: their trees compiled for fast prediction
        (:mod:`linesift.trees`) once this classifier has predicted :data:`COMPILE_AFTER_ROWS` rows,
        and again after any booster changed; before that, or where they cannot be compiled, the
        boosters themselves."""
        boosters = [stage.boosters if isinstance(stage, BoosterBag) else [stage] for stage in self.stages_]
        versions = tree_versions(boosters)
        entry = _COMPILED.get(self)
        if entry is None or not same_versions(entry.versions, versions):
            entry = _COMPILED[self] = _Compiled(versions)
        entry.rows += rows
        if entry.stages is None and entry.rows >= COMPILE_AFTER_ROWS:
            entry.stages = compile_stages(boosters) or BoosterStages(self.stages_)
        return entry.stages or BoosterStages(self.stages_)

    def _stage_one_inputs(
        self, X: np.ndarray, doc_ids: np.ndarray, texts: Sequence[str] | None, markup: Sequence[str] | None
    ) -> np.ndarray:
        """``X`` with the page types and the fitted word and markup scorers' columns, as stage one sees it."""
        X = self._page_type_columns(X, doc_ids, texts)
        if self.lexical:
            texts = self._check_strings(texts, len(X), "texts", "scores the words of each line (lexical=True)")
            X = np.hstack((X, word_columns(self.words_.decision_function(texts), texts, doc_ids)))
        if self.markup_words:
            markup = self._check_strings(markup, len(X), "markup", "scores the class tokens of each line (markup_words=True)")
            X = np.hstack((X, markup_columns(self.markup_words_.decision_function(markup), doc_ids)))
        return X

    @small_inputs_on_one_thread
    def continued(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        extra_trees: int,
        learning_rate: float = 0.1,
        doc_ids: np.ndarray | None = None,
        clusters: np.ndarray | None = None,
        texts: Sequence[str] | None = None,
        markup: Sequence[str] | None = None,
    ) -> LineClassifier:
        """A copy of this fitted classifier whose every booster grows ``extra_trees`` more trees on these rows.

        Boosting continues from the fitted trees (scikit-learn's ``warm_start``): the new trees
        correct what the model gets wrong on the rows given, a few pages of one site, and the
        fitted trees, word and markup scorers stay as they are. Each context stage continues on
        the continued stage one's probabilities. This is how a model adapts to a site without its
        training data (:mod:`linesift.site`).
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        y = np.asarray(y)
        if not np.array_equal(np.unique(y), self.classes_):
            raise ValueError(f"continuing needs rows of every class {self.classes_.tolist()}; got {np.unique(y).tolist()}")
        doc_ids, clusters = self._defaults(len(X), doc_ids, clusters)
        adapted = copy.deepcopy(self)
        inputs = adapted._stage_one_inputs(X, doc_ids, texts, markup)
        stage_inputs = inputs
        for number, stage in enumerate(adapted.stages_):
            if number:
                probability = adapted.stages_[number - 1].predict_proba(stage_inputs)[:, -1]
                stage_inputs = np.hstack((inputs, context_features(probability, doc_ids, clusters)))
            for booster in stage.boosters if isinstance(stage, BoosterBag) else [stage]:
                booster.set_params(warm_start=True, max_iter=booster.n_iter_ + extra_trees, learning_rate=learning_rate)
                booster.fit(stage_inputs, y)
                booster.set_params(warm_start=False)
        return adapted
