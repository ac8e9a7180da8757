"""linesift: keep the main content of a web page, line by line, with a trained classifier.

>>> import linesift
>>> sorted(linesift.list_models())
['default-html', 'default-text']

The public names are imported on first use (:func:`__getattr__`): scikit-learn, which the models
need, takes about a second to import, and ``import linesift`` should not make every caller wait for it.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linesift._input import Limits
    from linesift.api import BatchResult, Extraction, Extractor, Line, Request, classify, clean_text, extract
    from linesift.errors import InputError, InputTooLarge, ModelError
    from linesift.evaluation import Evaluation, PageScores
    from linesift.storage import LinesiftModel, list_models, load_model
    from linesift.training import TrainingResult, evaluate, train

#: The module that defines each public name.
_MODULE_OF = {
    "InputError": "linesift.errors",
    "InputTooLarge": "linesift.errors",
    "Limits": "linesift._input",
    "Evaluation": "linesift.evaluation",
    "PageScores": "linesift.evaluation",
    "TrainingResult": "linesift.training",
    "evaluate": "linesift.training",
    "train": "linesift.training",
    "BatchResult": "linesift.api",
    "Extraction": "linesift.api",
    "Extractor": "linesift.api",
    "Line": "linesift.api",
    "Request": "linesift.api",
    "classify": "linesift.api",
    "clean_text": "linesift.api",
    "extract": "linesift.api",
    "LinesiftModel": "linesift.storage",
    "ModelError": "linesift.errors",
    "list_models": "linesift.storage",
    "load_model": "linesift.storage",
}

__all__ = [
    "BatchResult",
    "Evaluation",
    "Extraction",
    "Extractor",
    "InputError",
    "InputTooLarge",
    "Limits",
    "Line",
    "LinesiftModel",
    "ModelError",
    "PageScores",
    "Request",
    "TrainingResult",
    "classify",
    "clean_text",
    "evaluate",
    "extract",
    "list_models",
    "load_model",
    "train",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    """Import the module that defines the public ``name`` on first use, and keep the name here."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'linesift' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
