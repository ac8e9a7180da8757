"""linesift: keep the main content of a web page, line by line, with a trained classifier.

>>> import linesift
>>> sorted(linesift.list_models())
['default-html', 'default-text']
"""

import logging

from linesift._input import InputError, InputTooLarge
from linesift.training import evaluate, train
from linesift.api import BatchResult, Extractor, Line, classify, clean_text, extract
from linesift.storage import LinesiftModel, ModelError, list_models, load_model

__all__ = [
    "BatchResult",
    "Extractor",
    "InputError",
    "InputTooLarge",
    "Line",
    "LinesiftModel",
    "ModelError",
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
