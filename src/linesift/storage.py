"""Save and load models with their cards; verify bundled models before unpickling them.

A model file is a joblib pickle, and unpickling runs code. The bundled models are therefore
checked against the SHA-256 recorded in ``models/checksums.json`` before loading, and any other
file is loaded only when the caller says it trusts it (``trusted=True``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import sklearn

from linesift.errors import ModelError
from linesift.features import FEATURE_VERSIONS, check_feature_names
from linesift.model import LineClassifier

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: Names of the models shipped in ``linesift/models``, by input mode.
BUNDLED_MODELS = {"html": "default-html", "text": "default-text"}
#: Floor of the page thresholds of a model that was not cross-validated: no room for page
#: thresholds, which never cut above 0.5 (:mod:`linesift.selection`).
DEFAULT_FLOOR = 0.5
#: SHA-256 of each bundled model file, written by ``training/train.py``; a mismatch means the file
#: was altered after it was built, and it is not loaded.
BUNDLED_CHECKSUMS_FILE = "checksums.json"


@dataclass
class LinesiftModel:
    """A fitted :class:`LineClassifier` plus what it needs to be used safely: mode, feature names, floor, card.

    ``floor`` is the floor of the page thresholds: no line below this probability is kept, and
    ``beta`` the F-beta whose expected value each page's cut maximises (see
    :mod:`linesift.selection`); training picks both on validation folds.
    """

    classifier: LineClassifier
    mode: str
    feature_names: list[str]
    feature_version: int | None = None
    card: dict[str, Any] = field(default_factory=dict)
    floor: float = DEFAULT_FLOOR
    beta: float = 1.0

    def __post_init__(self) -> None:
        if self.feature_version is None:
            self.feature_version = FEATURE_VERSIONS.get(self.mode)

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Models pickled before ``floor`` existed kept it as their classifier's ``threshold``
        # parameter; models pickled before ``beta`` existed maximised expected F1.
        if "floor" not in state:
            state = {**state, "floor": float(vars(state["classifier"]).get("threshold", DEFAULT_FLOOR))}
        self.__dict__.update({"beta": 1.0, **state})


def save_model(model: LinesiftModel, path: str | os.PathLike[str]) -> str:
    """Write ``model`` to ``path`` (joblib, compressed) and its cards beside it; return the file's SHA-256.

    The JSON card (``.json``) holds the card's fields plus mode, versions, floor, beta and SHA-256;
    the readable card (``.md``) says the same for people (:func:`write_model_card`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path, compress=3)
    digest = file_sha256(path)
    card = {
        **model.card,
        "name": model.card.get("name", path.stem),
        "mode": model.mode,
        "feature_version": model.feature_version,
        "scikit_learn_version": sklearn.__version__,
        "python_version": model.card.get("python_version", platform.python_version()),
        "floor": model.floor,
        "beta": model.beta,
        "sha256": digest,
    }
    path.with_suffix(".json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    write_model_card(path.with_suffix(".md"), card)
    return digest


def write_model_card(path: str | os.PathLike[str], card: dict[str, Any]) -> None:
    """Write the human-readable model card of ``card`` (a JSON card, see :func:`save_model`) to ``path``."""
    data = card.get("data", {})
    pages_per_set = data.get("pages_per_dataset", {})
    per_set = f" ({_listed(pages_per_set)})" if len(pages_per_set) > 1 else ""
    set_weights = f"; each page of a set weighing: {_listed(card['dataset_weights'])}" if card.get("dataset_weights") else ""
    beta = card.get("beta", 1.0)
    cut = ("half the best word F1 its probabilities promise" if beta == 1.0 else
           f"the best expected word F-beta (beta {beta}) its probabilities promise, divided by 1 + beta²")
    lines = [
        f"# Model card: {card.get('name')}\n",
        f"- **Input**: {card.get('mode')} ({', '.join(data.get('sources', []))})",
        f"- **Feature version**: {card.get('feature_version')}; linesift {card.get('linesift_version')}, "
        f"scikit-learn {card.get('scikit_learn_version')}, Python {card.get('python_version')}",
        f"- **Classifier**: `{card.get('classifier')}`; each page's lines are kept from {cut}, "
        f"never below {card.get('floor')} ({card.get('floor_from', 'the default floor')}; "
        "`linesift.selection`)",
        f"- **Training data**: {card.get('training_data') or data.get('path')} — {data.get('pages')} pages{per_set}, "
        f"{len(data.get('sites', []))} domains, {data.get('lines')} lines, labels from {data.get('labels_from')}",
        f"- **Line weights**: {card.get('weights')}{set_weights}",
    ]
    if "adapted_from" in card:
        adapted = card["adapted_from"]
        if "extra_trees" in adapted:
            lines.append(f"- **Adapted from**: {adapted.get('model')}, each booster continued with "
                         f"{adapted['extra_trees']} trees on these pages (chosen leave one page out), their labelled lines "
                         "remembered by class tokens (HTML) or text (`linesift.site`)")
        else:
            lines.append(f"- **Adapted from**: {adapted.get('model')}, refitted on {adapted.get('base_pages')} of its "
                         f"training pages plus these pages, which carry {adapted.get('user_share')} of the weight")
    if "training_command" in card:
        lines.append(f"- **Built by**: `{card['training_command']}`")
    lines.append(f"- **SHA-256**: `{card.get('sha256')}`\n")
    cv = card.get("cross_validation")
    if cv:
        rows = [f"| {group} | {name} | {v['precision']:.4f} | {v['recall']:.4f} | {v['f1']:.4f} |"
                for group in ("dataset", "page_type", "source") for name, v in cv.get(group, {}).items()]
        overall = cv["overall"].get("all", cv["overall"])  # cards written before the one score type nest it
        rows.insert(0, f"| overall | all | {overall['precision']:.4f} | {overall['recall']:.4f} | {overall['f1']:.4f} |")
        lines += ["## Cross-validated scores\n",
                  f"{cv['folds']}-fold cross-validation, folds split by {cv['grouped_by']}; the benchmark's word-level "
                  "precision, recall and F1, macro-averaged over pages.\n",
                  "| group | name | precision | recall | F1 |", "|---|---|---|---|---|", *rows, ""]
    if card.get("limits"):
        lines += ["## Limits\n", f"{card['limits']}"]
    Path(path).write_text("\n".join(lines) + "\n")


def _listed(counts: dict[str, Any]) -> str:
    """``fundus 256, wcxb-dev 1358``: each set's name and number."""
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def list_models() -> list[str]:
    """Names of the bundled models, for :func:`load_model`."""
    return sorted(BUNDLED_MODELS.values())


def _check(model: object, source: str) -> LinesiftModel:
    if not isinstance(model, LinesiftModel):
        raise ModelError(f"{source} does not hold a linesift model")
    expected = FEATURE_VERSIONS.get(model.mode)
    if model.feature_version != expected:
        raise ModelError(
            f"{source} was trained on feature version {model.feature_version}, but this linesift computes "
            f"version {expected} for {model.mode} input; retrain it with `linesift train --data DIR --out MODEL`"
        )
    try:
        check_feature_names(model.feature_names, model.mode, source)  # type: ignore[arg-type]
    except ValueError as error:
        raise ModelError(str(error)) from None
    return model


def _models_folder() -> Traversable:
    """Where the bundled models live: ``linesift/models`` in the installed package."""
    return resources.files("linesift") / "models"


def _unpickle(source: str, handle: str | io.BytesIO) -> LinesiftModel:
    """Unpickle a model and check it; any failure becomes a :class:`ModelError` naming ``source``."""
    try:
        model = joblib.load(handle)
    except Exception as error:  # unpickling raises whatever the pickled classes raise
        raise ModelError(
            f"{source} could not be loaded ({type(error).__name__}: {error}); it may have been saved with "
            f"another scikit-learn than {sklearn.__version__} or be damaged"
        ) from error
    return _check(model, source)


@cache
def _bundled(name: str) -> LinesiftModel:
    """Load a bundled model, unpickling only bytes whose SHA-256 matches ``checksums.json``."""
    source = f"bundled model {name!r}"
    folder = _models_folder()
    try:
        checksums = json.loads((folder / BUNDLED_CHECKSUMS_FILE).read_text())
        data = (folder / f"{name}.joblib").read_bytes()
    except (OSError, ValueError) as error:
        raise ModelError(
            f"{source} or its {BUNDLED_CHECKSUMS_FILE} is missing or unreadable ({error}); reinstall linesift"
        ) from error
    expected = checksums.get(name) if isinstance(checksums, dict) else None
    if expected is None:
        raise ModelError(f"{BUNDLED_CHECKSUMS_FILE} records no checksum for {source}; reinstall linesift")
    # Hash and unpickle the same bytes, so the file cannot change between the check and the load.
    if hashlib.sha256(data).hexdigest() != expected:
        raise ModelError(
            f"{source} does not match its recorded SHA-256: the file was altered or corrupted; reinstall linesift"
        )
    return _unpickle(source, io.BytesIO(data))


def load_model(
    path: str | os.PathLike[str], *, trusted: bool = False, mode: str | None = None
) -> LinesiftModel:
    """Load a bundled model by name (see :func:`list_models`) or a model file you trust.

    Model files are pickles and can run code when loaded: a path is loaded only with
    ``trusted=True``. Bundled models are verified by checksum instead. ``"default"`` names the
    bundled model of ``mode`` (HTML's when no mode is given, as the CLI's ``--base default``); with ``mode`` given, a model trained for other input is a
    :class:`ModelError`.

    >>> load_model("default", mode="text").mode
    'text'
    """
    name = str(path)
    if mode is not None and mode not in BUNDLED_MODELS:
        raise ValueError(f"mode must be one of {', '.join(map(repr, BUNDLED_MODELS))}, not {mode!r}")
    if name == "default":
        name = BUNDLED_MODELS[mode or "html"]
    if name in BUNDLED_MODELS.values():
        return _check_mode(_bundled(name), mode, name)
    if not trusted:
        raise ModelError(
            f"refusing to load {name!r}: model files are pickles that can run code. Pass trusted=True "
            f"(CLI: --trust-model) if you made it yourself, or use a bundled model: {', '.join(list_models())}"
        )
    if not Path(name).exists():
        raise FileNotFoundError(f"no model file at {name!r}; bundled models: {', '.join(list_models())}")
    return _check_mode(_unpickle(repr(name), name), mode, name)


def _check_mode(model: LinesiftModel, mode: str | None, name: str) -> LinesiftModel:
    if mode is not None and model.mode != mode:
        raise ModelError(f"{name!r} was trained for {model.mode!r} input, not {mode!r}: use a {mode} model "
                         f"(bundled: {BUNDLED_MODELS[mode]})")
    return model


def default_model(mode: str) -> LinesiftModel:
    """The bundled model for ``"html"`` or ``"text"`` input."""
    return _bundled(BUNDLED_MODELS[mode])
