"""Cut a document into lines: plain text by its line breaks, HTML into the visible text of its blocks.

The result is columnar (:class:`Lines`): one list or array per attribute, so that
:mod:`linesift.features` can compute every feature for all lines of a page at once.
HTML lines also carry their DOM context (tag, ancestors, class/id tokens, link text).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from lxml import etree

#: Elements that end the current line and start a new one. Everything else is inline and merged.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frame h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li "
    "main menu nav noframes ol option p pre section summary table tbody td tfoot th thead tr ul "
    "button label select textarea".split()
)
#: Elements whose text is never shown as page text.
SKIPPED_TAGS = frozenset("script style noscript template head svg math object embed canvas iframe select".split())
#: Landmarks recorded as "inside X" flags, in this order (the columns of ``Lines.inside``).
CONTEXT_TAGS = (
    ("list", frozenset({"ul", "ol", "li", "dl", "menu"})),
    ("table", frozenset({"table"})),
    ("heading", frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})),
    ("figure", frozenset({"figure", "figcaption"})),
    ("aside", frozenset({"aside"})),
    ("nav", frozenset({"nav"})),
    ("footer", frozenset({"footer"})),
    ("header", frozenset({"header"})),
    ("form", frozenset({"form", "button", "label", "textarea"})),
    ("article", frozenset({"article"})),
    ("main", frozenset({"main"})),
    ("code", frozenset({"pre", "code"})),
    ("blockquote", frozenset({"blockquote"})),
)
CONTEXT_NAMES = tuple(name for name, _ in CONTEXT_TAGS)
#: How many enclosing elements keep text counters for ``Lines.ancestor_*`` (level 1 is the line's block).
ANCESTOR_LEVELS = 4

_TOKEN = re.compile(r"[a-z0-9]{2,}")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@dataclass
class Elements:
    """The elements of an HTML page that the walk entered (skipped ones aside), numbered in document order.

    Element ``i``'s descendants are numbered ``i + 1`` to ``ends[i] - 1``, so a line lies inside
    element ``i`` when ``i <= Lines.line_elements < ends[i]``. ``parents`` is -1 for the root.
    """

    tags: list[str]
    tokens: list[tuple[str, ...]]
    parents: np.ndarray
    ends: np.ndarray


@dataclass
class Lines:
    """The lines of one document, column by column.

    ``positions`` locate each line in the input: the 0-based line number for text, the source
    line of the enclosing element for HTML. DOM columns are empty for plain text: for HTML,
    ``line_elements`` is the innermost element around each line and ``block_ancestors`` its
    innermost :data:`ANCESTOR_LEVELS` blocks (-1 where it has fewer), both numbers in ``elements``.
    """

    texts: list[str]
    positions: np.ndarray
    is_html: bool
    line_elements: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    blank_before: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    tags: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    class_tokens: list[frozenset[str]] = field(default_factory=list)
    link_chars: np.ndarray = field(default_factory=lambda: np.zeros(0))
    depth: np.ndarray = field(default_factory=lambda: np.zeros(0))
    inside: np.ndarray = field(default_factory=lambda: np.zeros((0, len(CONTEXT_TAGS)), dtype=bool))
    ancestor_chars: np.ndarray = field(default_factory=lambda: np.zeros((0, ANCESTOR_LEVELS)))
    ancestor_link_chars: np.ndarray = field(default_factory=lambda: np.zeros((0, ANCESTOR_LEVELS)))
    ancestor_lines: np.ndarray = field(default_factory=lambda: np.zeros((0, ANCESTOR_LEVELS)))
    block_ancestors: np.ndarray = field(default_factory=lambda: np.zeros((0, ANCESTOR_LEVELS), dtype=np.int64))
    elements: Elements | None = None

    def __len__(self) -> int:
        return len(self.texts)


def text_lines(text: str) -> Lines:
    """Split plain text at line breaks, keeping non-blank lines, their line numbers and blank-line gaps."""
    raw = text.splitlines()
    texts: list[str] = []
    positions: list[int] = []
    blank_before: list[bool] = []
    previous_blank = True
    for number, line in enumerate(raw):
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            continue
        texts.append(stripped)
        positions.append(number)
        blank_before.append(previous_blank)
        previous_blank = False
    return Lines(
        texts=texts,
        positions=np.asarray(positions, dtype=np.int64),
        is_html=False,
        blank_before=np.asarray(blank_before, dtype=bool),
    )


def _class_tokens(element: etree._Element) -> tuple[str, ...]:
    classes, ids = element.get("class"), element.get("id")
    if not classes and not ids:
        return ()
    return _tokens_of(f"{classes or ''} {ids or ''}")


# The elements of a template repeat their class attributes within a page and across a site's pages:
# each distinct attribute is cut into tokens once (the last 4,096 kept: about 2.5 MB).
@functools.lru_cache(maxsize=1 << 12)
def _tokens_of(names: str) -> tuple[str, ...]:
    """The lower-cased runs of two or more ASCII letters and digits in a class and id attribute."""
    return tuple(_TOKEN.findall(names.lower()))


#: The attributes that :func:`_is_hidden` reads, wherever they are (their elements may be hidden).
_HIDING_ATTRIBUTES = etree.XPath("//@hidden | //@aria-hidden | //@style")


def _is_hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _hidden_elements(root: etree._Element) -> set[etree._Element]:
    """The hidden elements of ``root``'s tree, found from one compiled XPath query for their attributes.

    lxml returns the same Python object for an element while one is referenced, so the walk
    finds them by identity: a set lookup per element instead of three attribute reads. Selecting
    the attributes took 0.7 ms a wcxb-dev page, selecting the elements by a predicate on them
    0.9-1.4 (docs/speed.md).
    """
    return {element for element in {value.getparent() for value in _HIDING_ATTRIBUTES(root)} if _is_hidden(element)}


#: Enclosing elements whose text counters a line adds to: enough for ``ANCESTOR_LEVELS`` blocks,
#: which nest inline elements between them.
_COUNTED_ELEMENTS = 4 * ANCESTOR_LEVELS


class _OpenElement(NamedTuple):
    """An element on the walk's stack, with the context it passes down to the lines inside it.

    ``block_tag`` is the tag of the innermost enclosing block ("body" outside any), ``path_parts``
    the innermost six blocks' tags and first two class tokens (``"div.post.entry"``, outermost
    first: a line's template path is them joined by "/"), and ``block_ids`` the numbers of the
    innermost :data:`ANCESTOR_LEVELS` blocks, innermost first, -1 where there are fewer. Each is
    built when a block opens, so recording a line only reads them. ``counted`` holds the indices
    (in the order opened) of the innermost :data:`_COUNTED_ELEMENTS` open elements, its own last:
    the elements whose text counters a line inside it adds to.
    """

    tag: str
    tokens: frozenset[str]
    inside: tuple[bool, ...]
    block_tag: str
    path_parts: tuple[str, ...]
    block_ids: tuple[int, ...]
    counted: tuple[int, ...]


#: Blocks in a line's template path (:attr:`Lines.paths`).
_PATH_BLOCKS = 6


#: The column of ``Lines.inside`` that each landmark tag sets, for itself and every line inside it.
_CONTEXT_COLUMN = {tag: column for column, (_, group) in enumerate(CONTEXT_TAGS) for tag in group}
_ROOT_CONTEXT = _OpenElement("", frozenset(), (False,) * len(CONTEXT_TAGS), "body", (), (-1,) * ANCESTOR_LEVELS, ())


class _Walker:
    """Collects block lines during one walk over a parsed tree; see :func:`tree_lines`.

    Each open element carries its inherited context (class tokens, landmarks, enclosing blocks),
    so recording a line costs the same at any depth.
    """

    def __init__(self) -> None:
        self.stack: list[_OpenElement] = []
        self.parts: list[str] = []
        self.part_link_chars = 0
        self.link_depth = 0
        self.current_position = 0
        self.opened = 0
        self.texts: list[str] = []
        self.positions: list[int] = []
        self.tags: list[str] = []
        self.paths: list[str] = []
        self.class_tokens: list[frozenset[str]] = []
        self.link_chars: list[int] = []
        self.text_link_chars: list[int] = []
        self.depth: list[int] = []
        self.inside: list[tuple[bool, ...]] = []
        self.ancestors: list[tuple[int, ...]] = []
        self.counted: list[tuple[int, ...]] = []
        self.element_tags: list[str] = []
        self.element_tokens: list[tuple[str, ...]] = []
        self.element_parents: list[int] = []
        self.element_ends: list[int] = []

    def add_text(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            if self.link_depth:
                self.part_link_chars += len(text.strip())

    def flush(self) -> None:
        """End the current line: record it with the context of the innermost open block."""
        if not self.parts:
            return
        text = " ".join("".join(self.parts).split())
        link_chars = self.part_link_chars
        self.parts = []
        self.part_link_chars = 0
        if not text:
            return
        context = self.stack[-1] if self.stack else _ROOT_CONTEXT
        self.texts.append(text)
        self.positions.append(self.current_position)
        self.tags.append(context.block_tag)
        self.paths.append("/".join(context.path_parts))
        self.class_tokens.append(context.tokens)
        self.link_chars.append(min(link_chars, len(text)))
        self.text_link_chars.append(link_chars)
        self.depth.append(len(self.stack))
        self.inside.append(context.inside)
        self.ancestors.append(context.block_ids)
        self.counted.append(context.counted)

    def open(self, element: etree._Element, tag: str) -> None:
        is_block = tag in BLOCK_TAGS
        if is_block or tag == "br":
            self.flush()
            self.current_position = element.sourceline or self.current_position
            if tag == "br":
                return
        parent = self.stack[-1] if self.stack else _ROOT_CONTEXT
        own_tokens = _class_tokens(element)
        index = self.opened
        self.opened += 1
        self.element_tags.append(tag)
        self.element_tokens.append(own_tokens)
        self.element_parents.append(parent.counted[-1] if parent.counted else -1)
        self.element_ends.append(index + 1)
        inside = parent.inside
        column = _CONTEXT_COLUMN.get(tag)
        if column is not None and not inside[column]:
            inside = inside[:column] + (True,) + inside[column + 1 :]
        tokens = parent.tokens.union(own_tokens) if own_tokens else parent.tokens
        counted = parent.counted[1 - _COUNTED_ELEMENTS :] + (index,)
        if is_block:
            self.stack.append(_OpenElement(
                tag, tokens, inside, tag,
                parent.path_parts[1 - _PATH_BLOCKS :] + (f"{tag}.{'.'.join(own_tokens[:2])}",),
                (index, *parent.block_ids[: ANCESTOR_LEVELS - 1]),
                counted,
            ))
        else:
            self.stack.append(_OpenElement(
                tag, tokens, inside, parent.block_tag, parent.path_parts, parent.block_ids, counted
            ))
        if tag == "a":
            self.link_depth += 1
        if tag == "pre":
            self._add_preformatted(element)

    def close(self, tag: str, tail: str | None) -> None:
        """End the innermost open element, then add the text that follows it."""
        if tag != "br":
            if self.parts and tag in BLOCK_TAGS:
                self.flush()
            if tag == "a":
                self.link_depth -= 1
            self.element_ends[self.stack.pop().counted[-1]] = self.opened
        if tail:
            self.add_text(tail)

    def _add_preformatted(self, element: etree._Element) -> None:
        """Keep the line breaks of ``<pre>``: each of its lines becomes one line."""
        for line in "".join(element.itertext()).splitlines():
            self.add_text(line)
            self.flush()

    def result(self) -> Lines:
        # Each element's characters, link characters and lines, summed over the lines that count
        # it (an extra last entry of 0 for the ancestors a line lacks, index -1).
        sizes = np.fromiter(map(len, self.counted), dtype=np.int64, count=len(self.counted))
        counters = np.fromiter(itertools.chain.from_iterable(self.counted), dtype=np.int64, count=int(sizes.sum()))
        line_chars = np.fromiter(map(len, self.texts), dtype=np.float64, count=len(self.texts))
        text_link_chars = np.asarray(self.text_link_chars, dtype=np.float64)
        chars = np.bincount(counters, weights=np.repeat(line_chars, sizes), minlength=self.opened + 1)
        link = np.bincount(counters, weights=np.repeat(text_link_chars, sizes), minlength=self.opened + 1)
        counts = np.bincount(counters, minlength=self.opened + 1).astype(np.float64)
        ancestors = np.asarray(self.ancestors, dtype=np.int64).reshape(-1, ANCESTOR_LEVELS)
        return Lines(
            texts=self.texts,
            positions=np.asarray(self.positions, dtype=np.int64),
            is_html=True,
            line_elements=np.fromiter((counted[-1] if counted else -1 for counted in self.counted), dtype=np.int64,
                                      count=len(self.counted)),
            blank_before=np.zeros(len(self.texts), dtype=bool),
            tags=self.tags,
            paths=self.paths,
            class_tokens=self.class_tokens,
            link_chars=np.asarray(self.link_chars, dtype=np.float64),
            depth=np.asarray(self.depth, dtype=np.float64),
            inside=np.asarray(self.inside, dtype=bool).reshape(-1, len(CONTEXT_TAGS)),
            ancestor_chars=chars[ancestors],
            ancestor_link_chars=link[ancestors],
            ancestor_lines=counts[ancestors],
            block_ancestors=ancestors,
            elements=Elements(
                tags=self.element_tags,
                tokens=self.element_tokens,
                parents=np.asarray(self.element_parents, dtype=np.int64),
                ends=np.asarray(self.element_ends, dtype=np.int64),
            ),
        )


def tree_lines(root: etree._Element) -> Lines:
    """Walk a parsed tree without recursion (deep nesting is safe) and return its block lines.

    ``<noscript>`` and hidden elements are skipped, as a browser running scripts shows them,
    unless they hold more words than the rest of the page. Such a page is revealed by its
    scripts: Discourse forums serve their posts in ``<noscript>``, React streams a page into a
    ``<div hidden>``, others fade in a ``visibility:hidden`` body. The second walk then keeps
    them, as script-less scrapers see the page. On wcxb-dev the second walk runs on 68 of the
    1,358 pages (19 of them forums); 23 of those gave fewer than 10 lines without it.
    """
    lines, unseen_words = _walk(root, reveal=False)
    if unseen_words > sum(len(text.split()) for text in lines.texts):
        lines, _ = _walk(root, reveal=True)
    return lines


def _walk(root: etree._Element, *, reveal: bool) -> tuple[Lines, int]:
    """The lines of ``root``, and how many words ``<noscript>`` and hidden elements held unless ``reveal``."""
    walker = _Walker()
    skipped: etree._Element | None = None
    unseen_words = 0
    hidden = set() if reveal else _hidden_elements(root)
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag
        if not isinstance(tag, str):
            if event == "end":
                walker.add_text(element.tail)
            continue
        tag = tag.lower()
        if event == "start":
            unseen = not reveal and (tag == "noscript" or element in hidden)
            if unseen or (tag in SKIPPED_TAGS and tag != "noscript"):
                walk.skip_subtree()
                skipped = element
                if unseen:
                    unseen_words += len("".join(element.itertext()).split())
            else:
                walker.open(element, tag)
                if tag == "pre":
                    walk.skip_subtree()
                elif text := element.text:
                    walker.add_text(text)
        elif skipped is not None and element is skipped:
            skipped = None
            walker.add_text(element.tail)
        else:
            walker.close(tag, element.tail)
    walker.flush()
    return walker.result(), unseen_words
