"""What an extraction gives back: classified lines, the page's title and threshold, and their renderings.

:class:`Extraction` is the one result object of :meth:`linesift.Extractor.run`; plain text,
markdown and a JSON-ready dict are views of it, so every output format tells the same story.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Label = Literal["content", "boilerplate"]
_HEADINGS = {f"h{level}": "#" * level for level in range(1, 7)}
_LIST_ITEMS = frozenset({"li", "dt", "dd"})
_CELLS = frozenset({"td", "th"})


@dataclass(frozen=True)
class Line:
    """One classified line of a document.

    ``position`` is the 0-based line number in the input for text, and the source line of the
    enclosing HTML element for HTML. ``tag`` is the HTML block the line sits in (``"p"``,
    ``"h2"``, ``"li"``...), empty for text.
    """

    text: str
    label: Label
    probability: float
    position: int
    tag: str = ""

    @property
    def is_content(self) -> bool:
        """Whether the line was kept as main content."""
        return self.label == "content"


@dataclass(frozen=True)
class Extraction:
    """One document's result: every line with its label, the page's threshold, title and language.

    ``text`` is what :func:`linesift.extract` returns (kept lines, one per line; the title is not
    added, as WCXB's ``main_content`` leaves it out). ``title`` and ``language`` are ``None`` when
    the page gives none; ``url`` is what the caller passed.

    >>> page = Extraction(lines=(Line("Rain due", "content", 0.9, 1, "h1"), Line("It will rain.", "content", 0.8, 2, "p")),
    ...                   mode="html", threshold=0.45, title="Rain due")
    >>> print(page.to_markdown())
    # Rain due
    <BLANKLINE>
    It will rain.
    """

    lines: tuple[Line, ...]
    mode: Literal["html", "text"]
    threshold: float
    title: str | None = None
    language: str | None = None
    url: str | None = None

    @property
    def text(self) -> str:
        """The kept lines in input order, one per line."""
        return "\n".join(line.text for line in self.lines if line.is_content)

    @property
    def content(self) -> tuple[Line, ...]:
        """The kept lines."""
        return tuple(line for line in self.lines if line.is_content)

    def to_markdown(self) -> str:
        """The kept lines as markdown: headings, list items, table rows and ``<pre>`` code blocks kept.

        The title is the top heading, unless a kept line already says it.
        """
        blocks: list[str] = []
        kept = self.content
        if self.title and not any(line.text.casefold() == self.title.casefold() for line in kept):
            blocks.append(f"# {self.title}")
        previous = ""
        for line in kept:
            kind = _kind(line.tag)
            if kind == "code" and previous == "code":
                blocks[-1] = blocks[-1][: -len("\n```")] + f"\n{line.text}\n```"
            elif kind == "code":
                blocks.append(f"```\n{line.text}\n```")
            elif kind in ("item", "row") and kind == previous:
                blocks[-1] += "\n" + _render(line)
            elif kind == "row":
                blocks.append(_render(line) + "\n| --- |")
            else:
                blocks.append(_render(line))
            previous = kind
        return "\n\n".join(blocks)

    def to_dict(self, *, with_lines: bool = False) -> dict[str, Any]:
        """A JSON-ready dict: title, url, language, mode, threshold, text; every line too with ``with_lines``."""
        record: dict[str, Any] = {"title": self.title}
        if self.url is not None:
            record["url"] = self.url
        if self.language is not None:
            record["language"] = self.language
        record.update(mode=self.mode, threshold=round(self.threshold, 4), text=self.text)
        if with_lines:
            record["lines"] = [
                {"text": line.text, "label": line.label, "probability": round(line.probability, 4),
                 "position": line.position, "tag": line.tag}
                for line in self.lines
            ]
        return record

    def to_json(self, *, with_lines: bool = False, indent: int | None = None) -> str:
        """:meth:`to_dict` as a JSON string (non-ASCII characters kept as they are)."""
        return json.dumps(self.to_dict(with_lines=with_lines), ensure_ascii=False, indent=indent)


def _kind(tag: str) -> str:
    if tag in _LIST_ITEMS:
        return "item"
    if tag in _CELLS:
        return "row"
    if tag == "pre":
        return "code"
    return "heading" if tag in _HEADINGS else "paragraph"


def _render(line: Line) -> str:
    if line.tag in _HEADINGS:
        return f"{_HEADINGS[line.tag]} {line.text}"
    if line.tag in _LIST_ITEMS:
        return f"- {line.text}"
    if line.tag in _CELLS:
        return "| " + line.text.replace("|", "\\|") + " |"
    return line.text
