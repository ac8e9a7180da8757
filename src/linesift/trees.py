"""Predict the fitted boosters fast: every tree of a stage walked in one compiled loop, same probabilities.

scikit-learn's ``HistGradientBoostingClassifier`` predicts tree by tree, each tree a call from
Python (with its own OpenMP region), and a page is three boosters of 120 trees: on 200 wcxb-dev
pages the stages took 11.7-14.7 ms a page, a fifth of the HTML path. :class:`CompiledStages`
copies the trees into scikit-learn's own compiled tree layout (:class:`sklearn.tree._tree.Tree`)
and walks all trees of a stage in one call of the compiled loop that
``GradientBoostingClassifier`` predicts with: 3.9-5.1 ms a page, on one thread whatever the
machine's OpenMP settings (``docs/speed.md``). Compiling the bundled HTML model takes about
40 ms; :class:`linesift.model.LineClassifier` compiles once it has predicted enough rows to gain.

The probabilities are the same to the last bit. That loop compares float32 values, where the
boosters compare float64 features with float64 thresholds; so each feature is first replaced by
its bin: how many of the thresholds that any tree puts on its column lie below it, a small integer
that float32 holds exactly, and each threshold by its own bin plus one half. ``value <= threshold``
and ``bin <= threshold's bin + 0.5`` then decide alike, and the leaf values are added in the
boosters' own order from their own baseline. Categorical features and models with more than two
classes are left to scikit-learn's own prediction; rows must be finite, as
:class:`linesift.model.LineClassifier` checks (a NaN would not take the boosters' missing-value
branch).

The layout and the loop are scikit-learn internals (``sklearn.tree._tree``,
``sklearn.ensemble._gradient_boosting``): :func:`compile_stages` returns None when they are not
as expected, and the classifier then predicts as scikit-learn does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

#: The compiled tree layout's marker of a leaf's children.
_LEAF = -1


class _Fitted:
    """Holds a compiled tree where the compiled loop expects an estimator (it reads ``tree_``)."""

    __slots__ = ("tree_",)

    def __init__(self, tree: object) -> None:
        self.tree_ = tree


def _supported(booster: HistGradientBoostingClassifier) -> bool:
    """Whether ``booster`` is a fitted binary classifier with trees, none of them on categorical features."""
    predictors = getattr(booster, "_predictors", None)
    return (
        predictors is not None
        and len(predictors) > 0
        and getattr(booster, "n_trees_per_iteration_", 0) == 1
        and all(not predictor.nodes["is_categorical"].any() for (predictor,) in predictors)
    )


class CompiledStages:
    """The trees of a classifier's stages, ready for :meth:`predict_proba`.

    ``stages`` holds, per stage, the boosters whose probabilities it averages (one, or a
    :class:`linesift.model.BoosterBag`'s). Every stage reads the same leading columns (the line's
    features), so a row's bins of those columns are computed once for all stages
    (:meth:`inputs`), and a later stage adds the bins of its context columns.
    """

    def __init__(self, stages: Sequence[Sequence[HistGradientBoostingClassifier]]) -> None:
        from sklearn.ensemble._gradient_boosting import predict_stages
        from sklearn.tree._tree import NODE_DTYPE, Tree

        self._predict_stages = predict_stages
        n_columns = max(booster.n_features_in_ for boosters in stages for booster in boosters)
        predictors = [predictor for boosters in stages for booster in boosters for (predictor,) in booster._predictors]
        nodes = np.concatenate([predictor.nodes for predictor in predictors])
        leaf = nodes["is_leaf"].astype(bool)
        layout = np.zeros(len(nodes), dtype=NODE_DTYPE)
        layout["left_child"] = np.where(leaf, _LEAF, nodes["left"].astype(np.int64))
        layout["right_child"] = np.where(leaf, _LEAF, nodes["right"].astype(np.int64))
        layout["feature"] = np.where(leaf, -2, nodes["feature_idx"])
        layout["threshold"] = -2.0
        self.thresholds = [np.zeros(0)] * n_columns
        for column in np.unique(nodes["feature_idx"][~leaf]):
            split = ~leaf & (nodes["feature_idx"] == column)
            self.thresholds[column] = np.unique(nodes["num_threshold"][split])
            layout["threshold"][split] = np.searchsorted(self.thresholds[column], nodes["num_threshold"][split]) + 0.5
        self.used_columns = np.flatnonzero([len(values) > 0 for values in self.thresholds])
        values = np.where(leaf, nodes["value"], 0.0).astype(np.float64)
        starts = np.cumsum([len(predictor.nodes) for predictor in predictors])[:-1]
        trees = iter(
            _Fitted(_tree(tree_layout, tree_values, int(predictor.nodes["depth"].max()), n_columns, Tree))
            for predictor, tree_layout, tree_values in zip(predictors, np.split(layout, starts), np.split(values, starts))
        )
        single_leaf = np.zeros(1, dtype=NODE_DTYPE)
        single_leaf[["left_child", "right_child", "feature", "threshold"]] = (_LEAF, _LEAF, -2, -2.0)
        zero = _Fitted(_tree(single_leaf, np.zeros(1), 0, n_columns, Tree))
        self.trees = []
        for boosters in stages:
            # (rounds, boosters); a shorter booster is padded with single leaves of value 0, which add nothing.
            compiled = np.full((max(len(booster._predictors) for booster in boosters), len(boosters)), zero, dtype=object)
            for column, booster in enumerate(boosters):
                for round_ in range(len(booster._predictors)):
                    compiled[round_, column] = next(trees)
            self.trees.append(compiled)
        self.losses = [[booster._loss for booster in boosters] for boosters in stages]
        self.baselines = [
            np.array([float(np.ravel(booster._baseline_prediction)[0]) for booster in boosters]) for boosters in stages
        ]

    def inputs(self, X: np.ndarray, start: int = 0) -> np.ndarray:
        """What the compiled trees read of ``X``, the columns ``start, start + 1, ...`` of a stage's
        input: each value's bin (float32, C order), how many thresholds on its column lie below it."""
        columns = np.ascontiguousarray(np.asarray(X, dtype=np.float64).T)
        binned = np.zeros(columns.shape, dtype=np.float32)
        for column in self.used_columns[(self.used_columns >= start) & (self.used_columns < start + len(columns))]:
            binned[column - start] = np.searchsorted(self.thresholds[column], columns[column - start])
        return np.ascontiguousarray(binned.T)

    def predict_proba(self, stage: int, inputs: np.ndarray) -> np.ndarray:
        """Class probabilities of stage ``stage`` for rows of :meth:`inputs`: the mean of its boosters'."""
        raw = np.empty((len(inputs), len(self.baselines[stage])))
        raw[:] = self.baselines[stage]
        self._predict_stages(self.trees[stage], inputs, 1.0, raw)
        probabilities = [loss.predict_proba(raw[:, [k]]) for k, loss in enumerate(self.losses[stage])]
        return probabilities[0] if len(probabilities) == 1 else np.mean(probabilities, axis=0)


class Stage(Protocol):
    """A fitted stage: a booster, or a bag of them (:class:`linesift.model.BoosterBag`)."""

    def predict_proba(self, X: np.ndarray) -> np.ndarray: ...


class BoosterStages:
    """The stages predicted by scikit-learn itself, with the interface of :class:`CompiledStages`."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = stages

    def inputs(self, X: np.ndarray, start: int = 0) -> np.ndarray:
        """``X`` as it is: the boosters read the values themselves."""
        return X

    def predict_proba(self, stage: int, inputs: np.ndarray) -> np.ndarray:
        """Class probabilities of stage ``stage`` (a booster or a bag of them) for rows of ``inputs``."""
        return self.stages[stage].predict_proba(inputs)


def _tree(layout: np.ndarray, values: np.ndarray, depth: int, n_columns: int, tree_type: type) -> object:
    """A compiled tree of one output from its nodes (``sklearn.tree._tree.NODE_DTYPE``) and their values."""
    tree = tree_type(n_columns, np.array([1], dtype=np.intp), 1)
    tree.__setstate__({"max_depth": depth, "node_count": len(layout), "nodes": np.ascontiguousarray(layout),
                       "values": values.reshape(-1, 1, 1)})
    return tree


def compile_stages(stages: Sequence[Sequence[HistGradientBoostingClassifier]]) -> CompiledStages | None:
    """:class:`CompiledStages` of ``stages``, or None where a booster or this scikit-learn does not allow it."""
    if not all(_supported(booster) for boosters in stages for booster in boosters):
        return None
    try:
        return CompiledStages(stages)
    except (ImportError, AttributeError, KeyError, TypeError, ValueError):
        return None


def tree_versions(stages: Sequence[Sequence[HistGradientBoostingClassifier]]) -> list[tuple[object, int]]:
    """What identifies the trees of ``stages`` now: each booster's list of trees and its length.

    A refit gives a booster a new list, and continued boosting (``warm_start``) lengthens it, so
    compiled trees are current while every entry is the same list of the same length.
    """
    return [(booster._predictors, len(booster._predictors)) for boosters in stages for booster in boosters]


def same_versions(old: Sequence[tuple[object, int]], new: Sequence[tuple[object, int]]) -> bool:
    """Whether two :func:`tree_versions` name the same trees."""
    return len(old) == len(new) and all(a is b and m == n for (a, m), (b, n) in zip(old, new))
