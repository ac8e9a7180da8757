"""Plain-text renderings of HTML pages, to train and test the text model on the dumps users hold.

Users' text comes from many converters; training on more than one keeps the text model from
learning one converter's habits. ``html-text`` and ``inscriptis`` are optional (``pip install
linesift[train]``).
"""

from __future__ import annotations

from collections.abc import Callable

from linesift._input import load_lines

RENDERERS = ("linesift", "html-text", "inscriptis")


def _linesift(html: str) -> str:
    return "\n".join(load_lines(html, mode="html").texts)


def _html_text(html: str) -> str:
    import html_text

    return html_text.extract_text(html)


def _inscriptis(html: str) -> str:
    import inscriptis

    return inscriptis.get_text(html)


_FUNCTIONS: dict[str, Callable[[str], str]] = {
    "linesift": _linesift,
    "html-text": _html_text,
    "inscriptis": _inscriptis,
}


def render(html: str, renderer: str) -> str:
    """Render ``html`` as plain text with one of :data:`RENDERERS`."""
    try:
        function = _FUNCTIONS[renderer]
    except KeyError:
        raise ValueError(f"unknown renderer {renderer!r}; choose one of {', '.join(RENDERERS)}") from None
    try:
        return function(html)
    except ImportError as error:
        raise ImportError(f"the {renderer} renderer needs its package: pip install 'linesift[train]' ({error})") from error
