"""Rebuild the bundled models and print their domain-grouped cross-validated scores.

    python training/train.py --data ../shared/datasets/wcxb-dev [--data ../shared/datasets/fundus ...]

Several ``--data`` folders train one model on all their pages, folds split by domain across
them; ``--dataset-weight fundus=2`` makes each page of a set count that many times.
For each mode (HTML input; plain text rendered by three converters) this labels every page's
lines, runs 5-fold cross-validation with folds split by domain, prints the benchmark's word-level
F1 (macro over pages) overall, per page type and per input, fits the final model on all pages
with the floor and beta of page thresholds (:mod:`linesift.selection`) that scored best on the folds, and
writes it with its model card to ``src/linesift/models``. The out-of-fold kept text of every page
goes to ``benchmarks/results/linesift-cv.jsonl``, so that the benchmark scores linesift only with
models that never saw the page's domain; the line probabilities stored with each page feed
``training/error_report.py``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import sklearn

import linesift
from linesift.datasets import Page, load_wcxb, resolve_data_dir
from linesift.labels import LabelledDocument
from linesift.model import LineClassifier
from linesift.scoring import kept_text
from linesift.storage import BUNDLED_CHECKSUMS_FILE, BUNDLED_MODELS, LinesiftModel, save_model
from linesift.training import TrainingResult, default_classifier, train

ROOT = Path(__file__).resolve().parents[1]
LIMITS = (
    "Page types with few training pages (collection, listing, product) score lowest. Chinese and Japanese "
    "characters count as one word each; Thai and other scripts written without spaces still count each unbroken "
    "run as one word, so their short and long lines are told apart less well. Languages the training sets lack "
    "rely on the multilingual cue lists and on layout features."
)
#: Attribution of wcxb-dev, whose metadata.json names none; the other sets' come from theirs.
WCXB_ATTRIBUTION = (
    "WCXB — Web Content eXtraction Benchmark v1.0, development split (Murrough Foley, 2026), "
    "https://github.com/Murrough-Foley/web-content-extraction-benchmark, CC-BY-4.0 (attribution required)"
)
#: Sets whose licence forbids training a model that ships in an MIT package, or gives none.
VALIDATION_ONLY = {"dragnet": "AGPL-3.0", "cleaneval": "no licence stated"}
#: The sets the bundled models train on (folders of ``../shared/datasets``): every licensed set but
#: readability, whose labels (an algorithm's reviewed output) paid nothing when held out of the
#: leave-one-source-out models (dragnet 0.839 without it, 0.837 with; cleaneval 0.940, 0.943).
SHIPPED_SETS = ("wcxb-dev", "fundus", "magic-html")
#: Per mode, how many times each page of a shipped set counts when ``--dataset-weight`` is not given
#: (sets absent from ``--data`` are passed over). Fundus and magic-html counting twice raised the
#: leave-one-source-out HTML scores of both (fundus 0.954 to 0.955, magic-html 0.800 to 0.804, each
#: set scored by a model trained on the other two, at the rebuilt bundled model's floor). The text model weighted alike scored fundus's
#: html-text renderings 0.919 against 0.921 and magic-html's 0.749 against 0.743: mixed, so unweighted.
SHIPPED_WEIGHTS: dict[str, dict[str, float]] = {"html": {"fundus": 2.0, "magic-html": 2.0}}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", help="WCXB-layout folder; repeat to train on several "
                        "(default: the bundled models' sets in ../shared/datasets: " + ", ".join(SHIPPED_SETS) + ")")
    parser.add_argument("--dataset-weight", action="append", default=[], metavar="NAME=WEIGHT",
                        help="weigh every page of the set NAME (its folder's name) WEIGHT times; repeatable "
                             "(default: SHIPPED_WEIGHTS, for the sets given)")
    parser.add_argument("--out-dir", default=str(ROOT / "src" / "linesift" / "models"), help="where models and cards go")
    parser.add_argument("--modes", default="html,text", help="comma-separated: html, text")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages (quick runs)")
    parser.add_argument("--n-jobs", type=int, default=2,
                        help="processes for labelling lines and fitting the cross-validation folds")
    parser.add_argument("--max-iter", type=int, default=LineClassifier().max_iter, help="boosting rounds per stage")
    parser.add_argument("--context-stages", type=int, default=LineClassifier().context_stages,
                        help="stages that see the previous stage's probabilities of the neighbours")
    parser.add_argument("--page-types", action="store_true",
                        help="give stage one each page's type probabilities (linesift.page_types; measured in "
                             "docs/features.md, off in the bundled models)")
    parser.add_argument("--every-source", action="store_true",
                        help="train the text model on every rendering of each page, not one in turn (3x slower)")
    parser.add_argument("--cv-out", default=str(ROOT / "benchmarks" / "results" / "linesift-cv.jsonl"))
    return parser.parse_args(argv)


def dataset_weights(pairs: list[str]) -> dict[str, float]:
    """``["fundus=2"]`` as ``{"fundus": 2.0}``.

    >>> dataset_weights(["fundus=2", "magic-html=0.5"])
    {'fundus': 2.0, 'magic-html': 0.5}
    """
    weights = {}
    for pair in pairs:
        name, _, weight = pair.partition("=")
        try:
            weights[name] = float(weight)
        except ValueError:
            raise SystemExit(f"--dataset-weight takes NAME=WEIGHT, such as fundus=2, not {pair!r}") from None
    return weights


def mode_weights(mode: str, pairs: list[str], datasets: set[str]) -> dict[str, float]:
    """The set weights a ``mode`` model trains with: ``pairs`` if any, else :data:`SHIPPED_WEIGHTS` for ``datasets``.

    >>> mode_weights("html", [], {"wcxb-dev", "fundus"})
    {'fundus': 2.0}
    >>> mode_weights("text", ["fundus=3"], {"fundus"})
    {'fundus': 3.0}
    """
    if pairs:
        return dataset_weights(pairs)
    return {name: weight for name, weight in SHIPPED_WEIGHTS.get(mode, {}).items() if name in datasets}


def load_training_pages(folders: list[str], limit: int | None) -> tuple[list[Page], list[str]]:
    """Every page of every folder (the first ``limit`` of each), and each set's attribution.

    Refuses the sets that may only measure (:data:`VALIDATION_ONLY`): a model trained on them
    could not ship.
    """
    pages, attributions = [], []
    for folder in folders:
        data = resolve_data_dir(folder)
        metadata = json.loads((data / "metadata.json").read_text()) if (data / "metadata.json").exists() else {}
        name = data.resolve().name
        if name in VALIDATION_ONLY:
            raise SystemExit(f"{name} may only measure a model ({VALIDATION_ONLY[name]}): "
                             "leave it out of --data and score on it with training/leave_one_source_out.py")
        pages.extend(load_wcxb(data, limit=limit))
        attributions.append(WCXB_ATTRIBUTION if name == "wcxb-dev" else
                            f"{name}: {metadata.get('attribution') or 'see its README'} ({metadata.get('license', 'licence unknown')})")
    return pages, attributions


def print_scores(mode: str, result: TrainingResult) -> None:
    """The cross-validated table: overall, per page type and per input."""
    cv = result.cross_validation
    assert cv is not None, "training/train.py always cross-validates"
    domains = len({d.page.domain for d in result.documents})
    print(f"\n{mode} input — domain-grouped {domains}-domain CV, page-threshold floor {result.model.floor}, beta {result.model.beta}")
    print(f"{'group':<24}{'pages':>7}{'precision':>11}{'recall':>9}{'F1':>8}")
    groups = (("all", lambda p: "all"), ("dataset", lambda p: p.dataset), ("page type", lambda p: p.page_type),
              ("input", lambda p: p.source))
    for label, key in groups:
        for name, scores in cv.groups(key).items():
            count = sum(1 for page in cv.pages if key(page) == name)
            print(f"{name:<24}{count:>7}{scores.precision:>11.3f}{scores.recall:>9.3f}{scores.f1:>8.3f}")
        if label != "input":
            print("-" * 59)


def write_cv_records(path: Path, documents: Sequence[LabelledDocument], probabilities: Sequence[np.ndarray],
                     model: LinesiftModel) -> None:
    """Replace the kept texts (and line probabilities) of ``documents`` in the JSONL file ``path``, lines kept by
    ``model``'s floor and beta; the records of the other mode than ``model``'s stay.

    The benchmark (``benchmarks/run.py --linesift-cv``) scores linesift from this file.
    """
    floor, beta, text = model.floor, model.beta, model.mode == "text"
    kept = []
    if path.exists():
        kept = [line for line in path.read_text().splitlines() if json.loads(line)["input"].startswith("text") != text]
    records = [
        json.dumps({"page_id": d.page.page_id, "input": d.source, "text": kept_text(d, p, floor, beta),
                    "threshold": floor, "beta": beta, "probabilities": np.round(p, 3).tolist()}, ensure_ascii=False)
        for d, p in zip(documents, probabilities)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept + records) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    default_data = [str(ROOT.parent / "shared" / "datasets" / name) for name in SHIPPED_SETS]
    pages, attributions = load_training_pages(args.data or default_data, args.limit)
    datasets = {page.dataset for page in pages}
    out_dir = Path(args.out_dir)
    checksums_path = out_dir / BUNDLED_CHECKSUMS_FILE
    cv_out = Path(args.cv_out)
    for mode in args.modes.split(","):
        classifier = default_classifier(mode).set_params(max_iter=args.max_iter, context_stages=args.context_stages,
                                                         page_types=args.page_types)
        card = {
            "name": BUNDLED_MODELS[mode],
            "linesift_version": linesift.__version__,
            "python_version": platform.python_version(),
            "training_data": "; ".join(attributions),
            "training_command": "python training/train.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "limits": LIMITS,
        }
        weights = mode_weights(mode, args.dataset_weight, datasets)
        result = train(pages, mode=mode, classifier=classifier, folds=args.folds, n_jobs=args.n_jobs,
                       every_source=args.every_source, dataset_weights=weights, progress=True, card=card)
        print_scores(mode, result)
        checksums = json.loads(checksums_path.read_text()) if checksums_path.exists() else {}
        model_path = out_dir / f"{BUNDLED_MODELS[mode]}.joblib"
        checksums[BUNDLED_MODELS[mode]] = save_model(result.model, model_path)
        checksums_path.write_text(json.dumps(checksums, indent=2, sort_keys=True) + "\n")
        write_cv_records(cv_out, result.documents, result.probabilities, result.model)
    print(f"\nmodels in {out_dir}; out-of-fold texts in {cv_out}; scikit-learn {sklearn.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
