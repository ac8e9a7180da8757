"""Score linesift on every labelled set with a model that saw no page of that set: the number users meet.

    python training/leave_one_source_out.py --datasets ../shared/datasets [--modes html] [--held-out fundus]

A set (a WCXB-layout folder under ``--datasets``) that the bundled model of a mode never saw is
scored with that model, the one users get; a set it was trained on is scored with a model of its
design trained on the shipped sets (``train.SHIPPED_SETS``) less that one. The kept text of every
held-out page is written in the benchmark's format to ``OUT/<set>/linesift-cv.jsonl``. With
``--peers`` the benchmark (``benchmarks/run.py``) then scores linesift from that file beside the peers on the same pages, into ``OUT/<set>/``, and
``benchmarks/RESULTS.md`` is rebuilt with a table of every set (when ``OUT`` is the default).
Trained models are kept in ``--models-dir`` and reused when the same sets (and ``--dataset-weight``
weights) train them again; missing ones train ``--n-jobs`` at a time, each in a process of its
own. They are not cross-validated: each takes the floor and beta of page thresholds of the bundled
model of its mode (chosen on that model's own folds).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from joblib import Parallel, delayed
from train import SHIPPED_SETS, load_training_pages, mode_weights, write_cv_records

from linesift.datasets import load_wcxb
from linesift.labels import SOURCES, label_documents
from linesift.scoring import document_probabilities, score_documents
from linesift.storage import LinesiftModel, load_model, save_model
from linesift.training import default_classifier, train

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "sources"
#: The renderings the text model is scored on beside the line filters (the HTML peers read the page itself).
PEER_TEXT_INPUTS = ("text:html-text", "text:inscriptis")
PEERS = "linesift,trafilatura,readability-lxml,resiliparse,justext,c4-lines,fineweb-gopher-lines,justext-lines"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets",
                        help="folder holding one WCXB-layout folder per labelled set")
    parser.add_argument("--held-out", help="comma-separated sets to score (default: every set)")
    parser.add_argument("--modes", default="html,text", help="comma-separated: html, text")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--models-dir", type=Path, default=Path("/tmp/linesift-sources"),
                        help="where trained models are kept and reused")
    parser.add_argument("--n-jobs", type=int, default=1,
                        help="processes for labelling lines, and models trained side by side")
    parser.add_argument("--peers", action="store_true", help="then run benchmarks/run.py on each set")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set (quick runs)")
    parser.add_argument("--dataset-weight", action="append", default=[], metavar="NAME=WEIGHT",
                        help="each page of set NAME counts WEIGHT times in training (repeatable; "
                             "default: train.SHIPPED_WEIGHTS, as the bundled models)")
    return parser.parse_args(argv)


def labelled_sets(root: Path) -> list[str]:
    """The WCXB-layout folders under ``root``, by name."""
    return sorted(p.name for p in root.iterdir() if (p / "html").is_dir() and (p / "ground-truth").is_dir())


def trained_on(held_out: str, sets: list[str]) -> list[str]:
    """The sets that train the model scored on ``held_out``: the bundled models' sets but it.

    >>> trained_on("fundus", ["cleaneval", "dragnet", "fundus", "readability", "wcxb-dev"])
    ['wcxb-dev']
    """
    return [name for name in sets if name != held_out and name in SHIPPED_SETS]


def bundled_sets(bundled: LinesiftModel) -> list[str]:
    """The sets a bundled model was trained on: the ``--data`` folders of its card's training command."""
    command = bundled.card["training_command"].split()
    return [Path(command[i + 1]).name for i, word in enumerate(command[:-1]) if word == "--data"] or list(SHIPPED_SETS)


def _weights(sets: list[str], mode: str, args: argparse.Namespace) -> dict[str, float]:
    # A weight for the held-out set (or another not training this model) does not apply here.
    return {name: weight for name, weight in mode_weights(mode, args.dataset_weight, set(sets)).items() if name in sets}


def model_path(sets: list[str], mode: str, args: argparse.Namespace) -> Path:
    """Where the ``mode`` model trained on ``sets`` is kept in ``--models-dir``."""
    weighted = "".join(f"--{name}={weight:g}" for name, weight in sorted(_weights(sets, mode, args).items()))
    return args.models_dir / f"{mode}--{'+'.join(sets)}{weighted}{f'--{args.limit}' if args.limit else ''}.joblib"


def train_model(sets: list[str], mode: str, args: argparse.Namespace, *, n_jobs: int) -> None:
    """Train the ``mode`` model on ``sets`` and keep it at :func:`model_path`."""
    pages, attributions = load_training_pages([str(args.datasets / name) for name in sets], args.limit)
    card = {"training_data": "; ".join(attributions), "trained_for": "leave-one-source-out evaluation"}
    model = train(pages, mode=mode, classifier=default_classifier(mode), folds=0, n_jobs=n_jobs,
                  dataset_weights=_weights(sets, mode, args), progress=True, card=card).model
    args.models_dir.mkdir(parents=True, exist_ok=True)
    save_model(model, model_path(sets, mode, args))


def train_missing(models: list[list[str]], mode: str, args: argparse.Namespace) -> None:
    """Train the models of ``models`` (lists of sets) not yet in ``--models-dir``, ``--n-jobs`` at a time.

    Each model is one fit, independent of the others: on 2 cores two of them train side by side.
    """
    missing = [sets for sets in models if not model_path(sets, mode, args).exists()]
    workers = max(1, min(args.n_jobs, len(missing)))
    # One model at a time keeps the processes for labelling its pages.
    Parallel(n_jobs=workers)(delayed(train_model)(sets, mode, args, n_jobs=args.n_jobs if workers == 1 else 1)
                             for sets in missing)


def model_for(sets: list[str], mode: str, args: argparse.Namespace) -> LinesiftModel:
    """The ``mode`` model trained on ``sets``, from ``--models-dir`` when an earlier run made it."""
    path = model_path(sets, mode, args)
    if not path.exists():
        train_model(sets, mode, args, n_jobs=args.n_jobs)
    model = load_model(path, trusted=True)
    bundled = load_model("default", mode=mode)
    model.floor, model.beta = bundled.floor, bundled.beta
    model.card["floor_from"] = "the floor and beta of the bundled model"
    return model


def score_held_out(held_out: str, model: LinesiftModel, mode: str, args: argparse.Namespace) -> dict[str, float]:
    """Write the model's kept text of every page of ``held_out`` for the benchmark; return its word scores."""
    pages = list(load_wcxb(args.datasets / held_out, limit=args.limit))
    documents = label_documents(pages, SOURCES[mode], n_jobs=args.n_jobs, progress=True)
    probabilities = [document_probabilities(model.classifier, d) for d in documents]
    write_cv_records(args.out / held_out / "linesift-cv.jsonl", documents, probabilities, model)
    summary = score_documents(documents, probabilities, model.floor, model.beta).summary()
    return {"precision": summary.precision, "recall": summary.recall, "f1": summary.f1, "pages": len(pages)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sets = labelled_sets(args.datasets)
    held_out = args.held_out.split(",") if args.held_out else sets
    unknown = sorted(set(held_out) - set(sets))
    if unknown:
        raise SystemExit(f"no labelled set {', '.join(unknown)} in {args.datasets}; there are: {', '.join(sets)}")
    for mode in args.modes.split(","):
        bundled = load_model("default", mode=mode)
        seen = bundled_sets(bundled)
        train_missing([trained_on(name, sets) for name in held_out if name in seen], mode, args)
        for name in held_out:
            if name in seen:
                training_sets = trained_on(name, sets)
                model = model_for(training_sets, mode, args)
            else:
                training_sets, model = seen, bundled
            scores = score_held_out(name, model, mode, args)
            print(f"{mode} {name} ({scores['pages']} pages; trained on {'+'.join(training_sets)}): "
                  f"P {scores['precision']:.3f} R {scores['recall']:.3f} F1 {scores['f1']:.3f}", flush=True)
    if args.peers:
        inputs = ",".join(sorted({source for mode in args.modes.split(",")
                                  for source in (("html",) if mode == "html" else PEER_TEXT_INPUTS)}))
        for name in held_out:
            out = args.out / name
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--data", str(args.datasets / name),
                            "--systems", PEERS, "--inputs", inputs, "--out", str(out),
                            "--linesift-cv", str(out / "linesift-cv.jsonl"), "--report", str(out / "RESULTS.md")],
                           check=True)
        if args.out == DEFAULT_OUT:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--data", str(args.datasets / "wcxb-dev"),
                            "--systems", ""], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
