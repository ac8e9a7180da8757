"""One gateway in: turn whatever the caller passed (text or HTML, ``str`` or ``bytes``) into :class:`Lines`.

Every public call goes through :func:`load_lines`, so that decoding, HTML detection and the input
limits are decided in one place.
"""

from __future__ import annotations

import re
from typing import Literal, Union

from bs4.dammit import UnicodeDammit
from lxml import etree, html

from linesift.lines import Lines, text_lines, tree_lines

#: What the public functions accept as a document.
Document = Union[str, bytes]
#: ``"auto"`` detects HTML; ``"html"`` and ``"text"`` force the mode.
InputMode = Literal["auto", "html", "text"]

#: Largest input accepted, in characters (HTML) or characters of text; larger input raises
#: :class:`InputTooLarge` rather than being cut silently. 20 MB is four times the largest
#: wcxb-dev page.
MAX_INPUT_CHARS = 20_000_000

_HTML_SIGNATURE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|table|tr|td|h[1-6]|section|article|img|meta|link|script)\b[^>]*>", re.IGNORECASE)
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"PK\x03\x04", b"RIFF", b"\x00\x00\x01\x00")


class InputError(ValueError):
    """The document cannot be read as text or HTML; the message says why and what to do."""


class InputTooLarge(InputError):
    """The document exceeds the size limit; raise ``max_chars`` or split the input."""


def decode(data: bytes, encoding: str | None = None) -> str:
    """Decode bytes by, in order: ``encoding`` if given, a BOM, a ``<meta charset>``, detection.

    Undecodable bytes become U+FFFD rather than failing the page.
    """
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:1024] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the input looks like binary data (an image, archive or PDF), not HTML or text")
    known = [encoding] if encoding else []
    dammit = UnicodeDammit(data, known_definite_encodings=known, is_html=True)
    if dammit.unicode_markup is None:
        return data.decode("utf-8", errors="replace")
    return dammit.unicode_markup


def looks_like_html(text: str) -> bool:
    """Guess whether ``text`` is HTML: a document signature, or several common tags near its start."""
    head = text[:4096]
    return bool(_HTML_SIGNATURE.search(head)) or len(_HTML_TAG.findall(head)) >= 3


def load_lines(
    document: Document,
    *,
    mode: InputMode = "auto",
    encoding: str | None = None,
    max_chars: int = MAX_INPUT_CHARS,
) -> Lines:
    """Decode ``document``, decide HTML or text, and cut it into lines."""
    if isinstance(document, (bytes, bytearray, memoryview)):
        text = decode(bytes(document), encoding)
    elif isinstance(document, str):
        text = document
    else:
        raise TypeError(f"expected the document as str or bytes, got {type(document).__name__}")
    if len(text) > max_chars:
        raise InputTooLarge(
            f"the document has {len(text):,} characters, over the limit of {max_chars:,}; "
            "pass a larger max_chars or split the input"
        )
    is_html = looks_like_html(text) if mode == "auto" else mode == "html"
    if not is_html:
        return text_lines(text)
    if not text.strip():
        return text_lines("")
    try:
        root = html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError):
        return text_lines("")
    return tree_lines(root)


def _parser() -> html.HTMLParser:
    # huge_tree lifts libxml2's depth and size limits: deep nesting is walked without recursion.
    return html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
