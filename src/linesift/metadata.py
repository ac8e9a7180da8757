"""Page metadata read cheaply from the decoded HTML: the title and the declared language.

Regular expressions over the head, not a second parse: the ``<title>``, ``og:title`` and
``<html lang>`` sit near the start, and the first ``h1`` comes from the lines already cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape

#: Characters searched for the head's metadata; heads with inline scripts and styles run long.
_HEAD_CHARS = 200_000
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def _clean(value: str) -> str:
    return _WHITESPACE.sub(" ", unescape(value)).strip()


def _og_title(head: str) -> str:
    for tag in _META.findall(head):
        attributes = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTRIBUTE.finditer(tag)}
        if attributes.get("property", attributes.get("name", "")).lower() == "og:title":
            return _clean(attributes.get("content", ""))
    return ""


def page_title(text: str, texts: Sequence[str] = (), tags: Sequence[str] = ()) -> str | None:
    """The page's title: its first ``h1`` when the ``<title>`` or ``og:title`` contains it, else ``og:title``, ``<title>``, ``h1``.

    A ``<title>`` often adds the site's name ("Story | Site"); the ``h1`` it contains is the
    story's own. ``texts`` and ``tags`` are the page's lines (:class:`linesift.lines.Lines`).

    >>> page_title("<title>Rain due | Courier</title>", ["Rain due", "Body"], ["h1", "p"])
    'Rain due'
    >>> page_title('<meta property="og:title" content="Rain &amp; wind">') is None, page_title("<title> A  B </title>")
    (False, 'A B')
    """
    head = text[:_HEAD_CHARS]
    match = _TITLE.search(head)
    title = _clean(match.group(1)) if match else ""
    og = _og_title(head)
    h1 = next((line for line, tag in zip(texts, tags) if tag == "h1"), "")
    if h1 and any(h1.casefold() in candidate.casefold() for candidate in (og, title) if candidate):
        return h1
    return og or title or h1 or None


def page_language(text: str) -> str | None:
    """The language the page declares in ``<html lang>`` (e.g. ``'en'``, ``'pt-br'``), lower-cased; ``None`` if none.

    Declared, not detected: a detector on short pages guesses, and the declaration is right on
    most pages that carry one.

    >>> page_language('<html lang="en-GB"><body>'), page_language("<p>no html tag</p>")
    ('en-gb', None)
    """
    match = _LANG.search(text[:_HEAD_CHARS])
    return match.group(1).replace("_", "-").lower() if match else None
