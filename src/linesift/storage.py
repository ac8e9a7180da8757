"""Save and load models with their card; verify bundled models before unpickling them.

A model file is a joblib pickle, and unpickling runs code. The bundled models are therefore
checked against the SHA-256 recorded in ``models/checksums.json`` before loading, and any other
file is loaded only when the caller says it trusts it (``trusted=True``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import sklearn

from linesift.features import FEATURE_VERSION, check_feature_names
from linesift.model import LineClassifier

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: Names of the models shipped in ``linesift/models``, by input mode.
BUNDLED_MODELS = {"html": "default-html", "text": "default-text"}
#: SHA-256 of each bundled model file, written by ``training/train.py``; a mismatch means the file
#: was altered after it was built, and it is not loaded.
BUNDLED_CHECKSUMS_FILE = "checksums.json"


class ModelError(RuntimeError):
    """A model cannot be used: wrong feature version, tampered file, or an untrusted path."""


@dataclass
class LinesiftModel:
    """A fitted :class:`LineClassifier` plus what it needs to be used safely: mode, feature names, card."""

    classifier: LineClassifier
    mode: str
    feature_names: list[str]
    feature_version: int = FEATURE_VERSION
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        """Floor of the page thresholds: no line below this probability is kept (see :mod:`linesift.selection`)."""
        return float(self.classifier.threshold)


def save_model(model: LinesiftModel, path: str | os.PathLike[str]) -> str:
    """Write ``model`` to ``path`` (joblib, compressed) and its card beside it; return the file's SHA-256."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path, compress=3)
    digest = file_sha256(path)
    card = {
        **model.card,
        "mode": model.mode,
        "feature_version": model.feature_version,
        "scikit_learn_version": sklearn.__version__,
        "threshold": model.threshold,
        "sha256": digest,
    }
    path.with_suffix(".json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return digest


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
    if model.feature_version != FEATURE_VERSION:
        raise ModelError(
            f"{source} was trained on feature version {model.feature_version}, but this linesift computes "
            f"version {FEATURE_VERSION}; retrain it with `linesift train --data DIR --out MODEL`"
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


@lru_cache(maxsize=None)
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


def load_model(path: str | os.PathLike[str], *, trusted: bool = False, mode: str = "html") -> LinesiftModel:
    """Load a bundled model by name (see :func:`list_models`) or a model file you trust.

    Model files are pickles and can run code when loaded: a path is loaded only with
    ``trusted=True``. Bundled models are verified by checksum instead. ``"default"`` is the
    bundled model for ``mode``, as the CLI's ``--base default``:

    >>> load_model("default", mode="text").mode
    'text'
    """
    name = BUNDLED_MODELS.get(mode, "default-html") if str(path) == "default" else str(path)
    if name in BUNDLED_MODELS.values():
        return _bundled(name)
    if not trusted:
        raise ModelError(
            f"refusing to load {name!r}: model files are pickles that can run code. Pass trusted=True "
            f"(CLI: --trust-model) if you made it yourself, or use a bundled model: {', '.join(list_models())}"
        )
    if not Path(name).exists():
        raise FileNotFoundError(f"no model file at {name!r}; bundled models: {', '.join(list_models())}")
    return _unpickle(repr(name), name)


def default_model(mode: str) -> LinesiftModel:
    """The bundled model for ``"html"`` or ``"text"`` input."""
    return _bundled(BUNDLED_MODELS[mode])
