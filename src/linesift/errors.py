"""The exceptions linesift raises for input it cannot read and models it cannot use.

Kept apart from the modules that raise them, so that the command line can catch them without
importing numpy, lxml or scikit-learn (``linesift --help`` stays fast).

>>> issubclass(InputTooLarge, InputError) and issubclass(InputError, ValueError)
True
"""


class InputError(ValueError):
    """The document cannot be read as text or HTML; the message says why and what to do."""


class InputTooLarge(InputError):
    """The document exceeds a limit (size, tags, lines, text or time); the message names the parameter to raise."""


class ModelError(RuntimeError):
    """A model cannot be used: wrong feature version, tampered file, or an untrusted path."""
