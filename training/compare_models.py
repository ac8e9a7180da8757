"""Compare classifier choices on the same domain-grouped folds, to justify the one linesift uses.

    python training/compare_models.py --data ../shared/datasets/wcxb-dev --limit 400

Candidates: logistic regression (scaled features), a random forest, one-stage gradient boosting,
and linesift's two-stage gradient boosting. Each is scored with the benchmark's word-level F1
(macro over pages) with page thresholds (:mod:`linesift.selection`) at its best floor on the folds,
on HTML input.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from linesift.datasets import load_wcxb
from linesift.evaluation import macro_average, word_scores
from linesift.labels import label_documents
from linesift.model import LineClassifier
from linesift.scoring import FLOORS, kept_text

CANDIDATES = {
    "logistic regression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
    "random forest": RandomForestClassifier(n_estimators=100, min_samples_leaf=5, n_jobs=2, random_state=0),
    "gradient boosting, one stage": LineClassifier(context_stages=0),
    "gradient boosting, two stages (linesift)": LineClassifier(),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    documents = label_documents(list(load_wcxb(args.data, limit=args.limit)), ["html"], n_jobs=2, progress=True)
    matrix = np.vstack([d.matrix for d in documents])
    labels = np.concatenate([d.labels for d in documents]).astype(np.int64)
    doc_ids = np.concatenate([np.full(len(d.texts), i) for i, d in enumerate(documents)])
    clusters = np.concatenate([d.clusters for d in documents])
    domains = np.asarray([d.page.domain for d in documents], dtype=object)[doc_ids]
    print(f"{len(documents)} pages, {len(labels)} lines, {args.folds} domain-grouped folds")
    for name, estimator in CANDIDATES.items():
        started = time.perf_counter()
        probability = np.zeros(len(labels))
        for train, test in GroupKFold(n_splits=args.folds).split(matrix, labels, domains):
            model = clone(estimator)
            if isinstance(model, LineClassifier):
                model.fit(matrix[train], labels[train], doc_ids=doc_ids[train], clusters=clusters[train])
                probability[test] = model.predict_proba(matrix[test], doc_ids=doc_ids[test], clusters=clusters[test])[:, 1]
            else:
                model.fit(matrix[train], labels[train])
                probability[test] = model.predict_proba(matrix[test])[:, 1]
        per_document = [probability[doc_ids == i] for i in range(len(documents))]
        best = max(
            (macro_average(word_scores(kept_text(d, p, t), d.page.main_content) for d, p in zip(documents, per_document)).f1, t)
            for t in FLOORS
        )
        print(f"{name:<42} word F1 {best[0]:.3f} at floor {best[1]:.2f}  ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
