"""Turn the lines of one document into a feature matrix, every column computed for all lines at once.

Three groups, documented in ``docs/features.md``:

* text features of the line itself (length, words, punctuation, stop words, cue phrases);
* neighbourhood: the same for neighbouring lines, rolling means, runs of short lines, repeats, the
  position relative to "You May Also Like"-style openers and (HTML only) to the page's top and
  bottom, and (text only) how much of the line's vocabulary the rest of the page shares;
* DOM features (HTML only): link density, tag, landmarks, class/id cue tokens, depth, the size and
  link density of enclosing elements, and lines that share a tag path (cards of one template).

Bump :data:`FEATURE_VERSION` whenever a column changes, or what a model takes beside these
columns (version 6: the line texts, for :mod:`linesift.lexical`; version 7: its heading columns;
version 8: each line's class and id tokens, :attr:`Features.markup`):
models record it and refuse to load with another.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from linesift._arrays import group_mean, lines_since, rolling_mean, run_lengths, shift
from linesift.cues import BLOCK_OPENERS, CLASS_CUES, MORE_LINK, STOP_WORDS, TEXT_CUES, compile_cues
from linesift.lines import ANCESTOR_LEVELS, CONTEXT_NAMES, Lines

FEATURE_VERSION = 8

# Patterns run over a page's lines joined by newlines, so ^ and $ are line anchors.
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]")
_TERMINAL = re.compile(r"[.!?。！？:;\"'”’)\]]$", re.MULTILINE)
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[ \t]*$", re.MULTILINE)
_BULLET = re.compile(r"^[-*•·▪►»>|][ \t]", re.MULTILINE)
# Anchored on the "@" (not on a run of non-spaces before it), so that a long line without spaces
# is scanned in linear time: ``\S+@`` made a 20,000-character line take seconds.
_URL = re.compile(r"https?://|www\.|\S@[^\s.@]+\.\w", re.IGNORECASE)
_TEXT_CUE_PATTERNS = compile_cues(TEXT_CUES)
_MORE_LINK = re.compile(MORE_LINK, re.MULTILINE)
_SHORT_WORDS = 5
# Topic words: three letters or more and not only digits (stop words are removed after matching).
_TOPIC_WORD = re.compile(r"\b(?!\d+\b)\w{3,}")
#: Lines this close count as the same block (a teaser's headline and its snippet), not as recurrence.
_TOPIC_WINDOW = 3
#: Half-width of the page's core: the block of lines with the most words.
_CORE_HALF_WIDTH = 10
_OVERLAP_NAMES = ("overlap_at_+1", "overlap_at_-1", "overlap_at_+2", "overlap_at_-2", "overlap_max_2")
_TOPIC_NAMES = ("recur_share", "recur_log", "core_share", "core_log", "log_topic_words", *_OVERLAP_NAMES)
#: Columns computed for text input only: with them, domain-grouped CV on wcxb-dev scored word F1
#: 0.825 against 0.821 on text but 0.860 against 0.863 on HTML, whose DOM columns already mark blocks.
TEXT_ONLY_COLUMNS = ("more_link", "prefix_repeated", *_TOPIC_NAMES)
#: Columns computed for HTML input only: where the line sits in the page. A text dump is often cut
#: (no menu above the article, no footer below the teasers), and there absolute position misleads:
#: see ``docs/features.md`` for the measurement.
HTML_ONLY_COLUMNS = ("relative_position", "log_lines_before", "log_lines_after")
#: Words that start a line and tell a teaser's snippet from the full text elsewhere on the page.
_PREFIX_WORDS = 4
_NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (2, 5, 15)
_TAG_GROUPS = {
    "p": ("p",),
    "h1": ("h1",),
    "h2_h6": ("h2", "h3", "h4", "h5", "h6"),
    "li": ("li",),
    "cell": ("td", "th"),
    "definition": ("dt", "dd"),
    "div": ("div", "section", "article", "main", "body"),
    "pre": ("pre",),
    "quote": ("blockquote",),
    "caption": ("figcaption", "caption"),
    "control": ("button", "label", "option", "select", "textarea", "summary", "legend"),
}


@dataclass
class Features:
    """A document's feature matrix with its column names, the template cluster of each line, and
    each line's markup: the class and id tokens of its ancestors, space-separated (empty for text)."""

    matrix: np.ndarray
    names: list[str]
    clusters: np.ndarray
    markup: list[str]


def _signed_log_distance(index: np.ndarray, anchor: int) -> np.ndarray:
    """How far each line is from the line ``anchor``, log-scaled, negative before it."""
    return np.log1p(np.abs(index - anchor)) * np.sign(index - anchor)


def _line_counts(pattern: re.Pattern[str], joined: str, starts: np.ndarray) -> np.ndarray:
    """Number of matches of ``pattern`` that start in each line of ``joined``."""
    offsets = np.fromiter((match.start() for match in pattern.finditer(joined)), dtype=np.int64)
    return np.bincount(np.searchsorted(starts, offsets, side="right") - 1, minlength=len(starts)).astype(np.float64)


def _character_classes(joined: str, starts: np.ndarray) -> dict[str, np.ndarray]:
    """Per-line counts of letters, upper-case letters, digits, spaces, CJK and separator characters.

    Works on code points with numpy rather than ``str.isalpha`` per character (ten times faster on
    a typical page). Non-ASCII code points count as letters unless they are punctuation, symbols
    or emoji; upper case is recognised in Latin-1, Greek and Cyrillic.
    """
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    ascii_letter = ((codes >= 65) & (codes <= 90)) | ((codes >= 97) & (codes <= 122))
    non_ascii_symbol = (
        ((codes >= 0x2000) & (codes <= 0x2BFF))
        | ((codes >= 0x3000) & (codes <= 0x303F))
        | ((codes >= 0xFF00) & (codes <= 0xFF20))
        | (codes >= 0x1F000)
        | (codes == 0xD7)
        | (codes == 0xF7)
    )
    upper = (
        ((codes >= 65) & (codes <= 90))
        | ((codes >= 0xC0) & (codes <= 0xDE) & (codes != 0xD7))
        | ((codes >= 0x391) & (codes <= 0x3A9))
        | ((codes >= 0x410) & (codes <= 0x42F))
    )
    cjk = (
        ((codes >= 0x3040) & (codes <= 0x30FF))
        | ((codes >= 0x3400) & (codes <= 0x4DBF))
        | ((codes >= 0x4E00) & (codes <= 0x9FFF))
        | ((codes >= 0xAC00) & (codes <= 0xD7AF))
    )
    classes = {
        "letters": ascii_letter | ((codes >= 0xC0) & ~non_ascii_symbol),
        "uppers": upper,
        "digits": (codes >= 48) & (codes <= 57),
        "spaces": (codes == 32) | (codes == 0xA0),
        "cjk": cjk,
        "separators": (codes == ord("|")) | (codes == ord("·")) | (codes == ord("•")),
    }
    return {name: np.add.reduceat(flags.astype(np.float64), starts) for name, flags in classes.items()}


def _text_columns(texts: list[str], *, is_html: bool) -> dict[str, np.ndarray]:
    """Per-line statistics of the text alone, computed on the page's lines joined into one string."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined = "\n".join(texts)
    chars = lengths.astype(np.float64)
    classes = _character_classes(joined, starts)
    # Words never span lines (``\w`` does not match a newline): found line by line, each word is
    # then looked up with C-level maps rather than a match object per word (3x faster).
    per_line = [_WORD.findall(text) for text in texts]
    counts = np.fromiter(map(len, per_line), dtype=np.int64, count=len(texts))
    found = list(itertools.chain.from_iterable(per_line))
    word_line = np.repeat(np.arange(len(texts)), counts)
    word_lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    is_stop = np.fromiter(map(STOP_WORDS.__contains__, map(str.lower, found)), dtype=np.int64, count=len(found))
    words = counts.astype(np.float64)
    word_chars = np.bincount(word_line, weights=word_lengths, minlength=len(texts))
    stop_words = np.bincount(word_line, weights=is_stop, minlength=len(texts))
    per_word = np.maximum(words, 1.0)
    punctuation = chars - classes["letters"] - classes["digits"] - classes["spaces"]
    columns = {
        "chars": chars,
        "words": words,
        "mean_word_length": word_chars / per_word,
        "upper_share": classes["uppers"] / np.maximum(classes["letters"], 1.0),
        "capitalised_share": _line_counts(_CAPITALISED, joined, starts) / per_word,
        "starts_upper": np.fromiter((text[:1].isupper() for text in texts), dtype=np.float64, count=len(texts)),
        "digit_share": classes["digits"] / chars,
        "punctuation_share": np.maximum(punctuation, 0.0) / chars,
        "cjk_share": classes["cjk"] / chars,
        "stop_share": stop_words / per_word,
        "terminal_punctuation": _line_counts(_TERMINAL, joined, starts),
        "ends_with_ellipsis": _line_counts(_ELLIPSIS, joined, starts),
        "ends_with_colon": np.fromiter((text.endswith(":") for text in texts), dtype=np.float64, count=len(texts)),
        "starts_with_bullet": _line_counts(_BULLET, joined, starts),
        "has_url": np.minimum(_line_counts(_URL, joined, starts), 1.0),
        "separators": classes["separators"],
    }
    lowered = _lower_same_length(joined)
    for name, pattern in _TEXT_CUE_PATTERNS.items():
        columns[f"cue_{name}"] = np.minimum(_line_counts(pattern, lowered, starts), 1.0)
    if not is_html:
        columns["more_link"] = _line_counts(_MORE_LINK, lowered, starts)
    return columns


def _lower_same_length(text: str) -> str:
    """``text.lower()``, except characters whose lower case is longer (``İ``), so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _normalised_ids(texts: list[str]) -> np.ndarray:
    """Small integer per distinct text, ignoring case and digits, to count repeats within the page."""
    keys = [re.sub(r"\d+", "0", text.lower()) for text in texts]
    return np.unique(np.asarray(keys, dtype=object), return_inverse=True)[1].reshape(-1)


def _prefix_repeated(texts: list[str]) -> np.ndarray:
    """1 where another line starts with the same first words: a truncated snippet of a text shown in full."""
    split = [text.lower().split() for text in texts]
    prefixes = [" ".join(words[:_PREFIX_WORDS]) if len(words) >= _PREFIX_WORDS else "" for words in split]
    prefix_array = np.asarray(prefixes, dtype=object)
    prefix_ids = np.unique(prefix_array, return_inverse=True)[1].reshape(-1)
    shared = np.bincount(prefix_ids)[prefix_ids] > 1
    return (shared & (prefix_array != "")).astype(np.float64)


def _topic_pairs(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (topic word id, line) pairs of a page, sorted by word and then by line."""
    ids: dict[str, int] = {}
    keys = [
        ids.setdefault(word, len(ids)) * len(texts) + line
        for line, text in enumerate(texts)
        for word in set(_TOPIC_WORD.findall(text.lower())) - STOP_WORDS
    ]
    pairs = np.sort(np.asarray(keys, dtype=np.int64))
    return pairs // max(len(texts), 1), pairs % max(len(texts), 1)


def _topic_columns(texts: list[str], text_ids: np.ndarray, words: np.ndarray) -> dict[str, np.ndarray]:
    """How much of each line's vocabulary the rest of the page shares, near and far.

    An article's paragraphs keep returning to its subject's words; a teaser under "You May Also
    Like", a promo or an author bio is about something else, however well written. Counted per
    distinct topic word of the line: the other lines that hold it further than
    :data:`_TOPIC_WINDOW` lines away (identical copies of the line do not count), and the other
    lines of the page's core that hold it (the block of ``2 * _CORE_HALF_WIDTH + 1`` lines with
    the most words). Near the line, the opposite holds: a teaser's headline, standfirst and
    snippet repeat each other's words, so the overlap with the lines at ±1 and ±2 is kept too.
    """
    count = len(texts)
    word_ids, line_of = _topic_pairs(texts)
    if not len(word_ids):
        return {name: np.zeros(count) for name in _TOPIC_NAMES}
    # Pairs are sorted by (word, line): the lines holding a word within the window are a range.
    keys = word_ids * (count + 2 * _TOPIC_WINDOW + 1) + line_of
    near = np.searchsorted(keys, keys + _TOPIC_WINDOW, side="right")
    near -= np.searchsorted(keys, keys - _TOPIC_WINDOW, side="left")
    copies = np.bincount(text_ids)[text_ids] - 1
    elsewhere = np.maximum(np.bincount(word_ids)[word_ids] - near - copies[line_of], 0)
    cumulative = np.concatenate(([0.0], np.cumsum(words)))
    index = np.arange(count)
    low = np.clip(index - _CORE_HALF_WIDTH, 0, count)
    high = np.clip(index + _CORE_HALF_WIDTH + 1, 0, count)
    centre = int(np.argmax(cumulative[high] - cumulative[low]))
    in_core = (line_of >= low[centre]) & (line_of < high[centre])
    core_others = np.maximum(np.bincount(word_ids, weights=in_core)[word_ids] - in_core, 0)
    topic_words = np.bincount(line_of, minlength=count).astype(np.float64)
    per_word = np.maximum(topic_words, 1.0)

    def mean_per_line(values: np.ndarray) -> np.ndarray:
        return np.bincount(line_of, weights=values, minlength=count) / per_word

    columns = {
        "recur_share": mean_per_line((elsewhere > 0).astype(np.float64)),
        "recur_log": mean_per_line(np.log1p(elsewhere)),
        "core_share": mean_per_line((core_others > 0).astype(np.float64)),
        "core_log": mean_per_line(np.log1p(core_others)),
        "log_topic_words": np.log1p(topic_words),
    }
    for offset in (1, 2):
        # A pair (word, line) whose word also sits ``offset`` lines further down.
        found = np.searchsorted(keys, keys + offset)
        shared_below = (found < len(keys)) & (keys[np.minimum(found, len(keys) - 1)] == keys + offset)
        shared = np.bincount(line_of, weights=shared_below, minlength=count)
        smaller = np.minimum(topic_words, shift(topic_words, offset, fill=0.0))
        below = np.divide(shared, smaller, out=np.zeros(count), where=smaller > 0)
        columns[f"overlap_at_+{offset}"] = below
        columns[f"overlap_at_-{offset}"] = shift(below, -offset, fill=0.0)
    columns["overlap_max_2"] = np.max([columns[name] for name in _OVERLAP_NAMES[:-1]], axis=0)
    return columns


def _position_columns(index: np.ndarray) -> dict[str, np.ndarray]:
    """Where each line sits in the page, from its top and from its bottom."""
    count = len(index)
    return {
        "relative_position": index / max(count - 1, 1),
        "log_lines_before": np.log1p(index),
        "log_lines_after": np.log1p(count - 1 - index),
    }


def _neighbour_columns(columns: dict[str, np.ndarray], lines: Lines) -> dict[str, np.ndarray]:
    count = len(lines)
    index = np.arange(count, dtype=np.float64)
    log_words = np.log1p(columns["words"])
    log_chars = np.log1p(columns["chars"])
    short = columns["words"] < _SHORT_WORDS
    text_ids = _normalised_ids(lines.texts)
    any_cue = np.zeros(count, dtype=bool)
    for name in TEXT_CUES:
        any_cue |= columns[f"cue_{name}"] > 0
    context: dict[str, np.ndarray] = {
        "log_chars": log_chars,
        "log_words": log_words,
        **(_position_columns(index) if lines.is_html else {}),
        "log_document_lines": np.full(count, np.log1p(count)),
        "blank_before": lines.blank_before.astype(np.float64),
        "blank_after": shift(lines.blank_before.astype(np.float64), 1, fill=1.0),
        "short_run": np.log1p(run_lengths(short)),
        "is_short": short.astype(np.float64),
        "log_repeats": np.log1p(np.bincount(text_ids)[text_ids] - 1),
        **({} if lines.is_html else {"prefix_repeated": _prefix_repeated(lines.texts)}),
        "chars_share_of_longest": columns["chars"] / max(columns["chars"].max(), 1.0),
        "log_distance_to_longest": _signed_log_distance(index, int(np.argmax(columns["chars"]))),
        "document_mean_log_words": np.full(count, log_words.mean()),
        "words_minus_document_mean": log_words - log_words.mean(),
        "any_cue": any_cue.astype(np.float64),
        "words_rank": np.argsort(np.argsort(columns["words"], kind="stable"), kind="stable") / max(count - 1, 1),
        "log_distance_to_densest": _signed_log_distance(index, int(np.argmax(rolling_mean(log_words, 10)))),
    }
    if not lines.is_html:
        context.update(_topic_columns(lines.texts, text_ids, columns["words"]))
    for name in BLOCK_OPENERS:
        opener = (columns[f"cue_{name}"] > 0) & (columns["words"] <= 6)
        context[f"log_lines_since_{name}_opener"] = np.log1p(lines_since(opener))
    for offset in _NEIGHBOUR_OFFSETS:
        for name, values in (
            ("log_words", log_words),
            ("terminal_punctuation", columns["terminal_punctuation"]),
            ("stop_share", columns["stop_share"]),
            ("ends_with_ellipsis", columns["ends_with_ellipsis"]),
            ("any_cue", any_cue.astype(np.float64)),
            ("blank_before", lines.blank_before.astype(np.float64)),
        ):
            context[f"{name}_at_{offset:+d}"] = shift(values, offset)
    for half_width in _WINDOWS:
        context[f"log_words_mean_{half_width}"] = rolling_mean(log_words, half_width)
        context[f"terminal_mean_{half_width}"] = rolling_mean(columns["terminal_punctuation"], half_width)
        context[f"stop_share_mean_{half_width}"] = rolling_mean(columns["stop_share"], half_width)
        context[f"short_mean_{half_width}"] = rolling_mean(short.astype(np.float64), half_width)
        # Truncated snippets and cue lines come in blocks: teasers, link lists, footers.
        context[f"ellipsis_mean_{half_width}"] = rolling_mean(columns["ends_with_ellipsis"], half_width)
        context[f"cue_mean_{half_width}"] = rolling_mean(any_cue.astype(np.float64), half_width)
    return context


def _dom_columns(
    columns: dict[str, np.ndarray], lines: Lines, markup: list[str]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    count = len(lines)
    chars = np.maximum(columns["chars"], 1.0)
    document_chars = max(chars.sum(), 1.0)
    link_share = lines.link_chars / chars
    dom: dict[str, np.ndarray] = {
        "link_share": link_share,
        "log_depth": np.log1p(lines.depth),
        "relative_depth": lines.depth / max(lines.depth.max(), 1.0),
        "document_link_share": np.full(count, lines.link_chars.sum() / document_chars),
        "link_share_mean_2": rolling_mean(link_share, 2),
        "link_share_mean_5": rolling_mean(link_share, 5),
        "link_share_at_-1": shift(link_share, -1),
        "link_share_at_+1": shift(link_share, 1),
    }
    tags = np.asarray(lines.tags, dtype=object)
    for group, members in _TAG_GROUPS.items():
        dom[f"tag_{group}"] = np.isin(tags, members).astype(np.float64)
    for column, name in enumerate(CONTEXT_NAMES):
        dom[f"inside_{name}"] = lines.inside[:, column].astype(np.float64)
    # Lines of one template share their token sets: match each distinct set once. Class cues are
    # plain substrings (cues.py), and ``in`` finds them in half the time of one regex per category.
    token_sets, token_set_index = np.unique(np.asarray(markup, dtype=object), return_inverse=True)
    for name, fragments in CLASS_CUES.items():
        has_cue = (any(fragment in tokens for fragment in fragments) for tokens in token_sets)
        dom[f"class_{name}"] = np.fromiter(has_cue, dtype=np.float64, count=len(token_sets))[token_set_index.reshape(-1)]
    for level in range(ANCESTOR_LEVELS):
        ancestor_chars = np.maximum(lines.ancestor_chars[:, level], 1.0)
        dom[f"ancestor{level + 1}_char_share"] = lines.ancestor_chars[:, level] / document_chars
        dom[f"ancestor{level + 1}_link_share"] = lines.ancestor_link_chars[:, level] / ancestor_chars
        dom[f"ancestor{level + 1}_log_lines"] = np.log1p(lines.ancestor_lines[:, level])
        dom[f"ancestor{level + 1}_chars_per_line"] = np.log1p(ancestor_chars / np.maximum(lines.ancestor_lines[:, level], 1.0))
    clusters = np.unique(np.asarray(lines.paths, dtype=object), return_inverse=True)[1].reshape(-1)
    cluster_sizes = np.bincount(clusters)[clusters].astype(np.float64)
    dom["cluster_log_lines"] = np.log1p(cluster_sizes)
    dom["cluster_char_share"] = group_mean(chars, clusters) * cluster_sizes / document_chars
    dom["cluster_mean_log_words"] = group_mean(np.log1p(columns["words"]), clusters)
    dom["cluster_mean_link_share"] = group_mean(link_share, clusters)
    dom["cluster_mean_terminal"] = group_mean(columns["terminal_punctuation"], clusters)
    h1_lines = np.flatnonzero(dom["tag_h1"] > 0)
    first_h1 = h1_lines[0] if len(h1_lines) else -1
    index = np.arange(count, dtype=np.float64)
    dom["has_h1"] = np.full(count, float(first_h1 >= 0))
    dom["log_distance_to_h1"] = _signed_log_distance(index, first_h1) if first_h1 >= 0 else np.zeros(count)
    return dom, clusters


#: Neighbour columns of :func:`_neighbour_columns`: these values of the lines at each offset.
_NEIGHBOUR_VALUES = ("log_words", "terminal_punctuation", "stop_share", "ends_with_ellipsis", "any_cue", "blank_before")
#: Window means of :func:`_neighbour_columns`, by prefix.
_WINDOW_MEANS = ("log_words_mean", "terminal_mean", "stop_share_mean", "short_mean", "ellipsis_mean", "cue_mean")


@functools.lru_cache(maxsize=2)
def feature_names(mode: Literal["html", "text"]) -> tuple[str, ...]:
    """The columns of :func:`featurize` for ``"html"`` or ``"text"`` input, in matrix order.

    The one list that fixes the column order: models record it, and a model built for other
    columns is refused when it loads (:func:`check_feature_names`).

    >>> len(feature_names("html")), len(feature_names("text"))
    (177, 111)
    >>> feature_names("text")[:3]
    ('mean_word_length', 'upper_share', 'capitalised_share')
    """
    if mode not in ("html", "text"):
        raise ValueError(f"mode must be 'html' or 'text', not {mode!r}")
    is_html = mode == "html"
    text = (
        "mean_word_length", "upper_share", "capitalised_share", "starts_upper", "digit_share",
        "punctuation_share", "cjk_share", "stop_share", "terminal_punctuation", "ends_with_ellipsis",
        "ends_with_colon", "starts_with_bullet", "has_url", "separators",
        *(f"cue_{name}" for name in TEXT_CUES),
        *(() if is_html else ("more_link",)),
    )
    neighbourhood = (
        "log_chars", "log_words", *(HTML_ONLY_COLUMNS if is_html else ()), "log_document_lines",
        "blank_before", "blank_after", "short_run", "is_short", "log_repeats",
        *(() if is_html else ("prefix_repeated",)),
        "chars_share_of_longest", "log_distance_to_longest", "document_mean_log_words",
        "words_minus_document_mean", "any_cue", "words_rank", "log_distance_to_densest",
        *(() if is_html else _TOPIC_NAMES),
        *(f"log_lines_since_{name}_opener" for name in BLOCK_OPENERS),
        *(f"{name}_at_{offset:+d}" for offset in _NEIGHBOUR_OFFSETS for name in _NEIGHBOUR_VALUES),
        *(f"{name}_{half_width}" for half_width in _WINDOWS for name in _WINDOW_MEANS),
    )
    if not is_html:
        return text + neighbourhood
    dom = (
        "link_share", "log_depth", "relative_depth", "document_link_share", "link_share_mean_2",
        "link_share_mean_5", "link_share_at_-1", "link_share_at_+1",
        *(f"tag_{group}" for group in _TAG_GROUPS),
        *(f"inside_{name}" for name in CONTEXT_NAMES),
        *(f"class_{name}" for name in CLASS_CUES),
        *(f"ancestor{level + 1}_{what}" for level in range(ANCESTOR_LEVELS)
          for what in ("char_share", "link_share", "log_lines", "chars_per_line")),
        "cluster_log_lines", "cluster_char_share", "cluster_mean_log_words", "cluster_mean_link_share",
        "cluster_mean_terminal", "has_h1", "log_distance_to_h1",
    )
    return text + neighbourhood + dom


def check_feature_names(names: Sequence[str], mode: Literal["html", "text"], source: str) -> None:
    """Raise ``ValueError`` naming the differences when ``names`` are not :func:`feature_names` ``(mode)``.

    >>> check_feature_names(feature_names("text"), "text", "this model")
    >>> check_feature_names(["chars"], "text", "this model")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: this model was built for other feature columns than this linesift computes for text input: ...
    """
    expected = feature_names(mode)
    if tuple(names) == expected:
        return
    missing = [name for name in expected if name not in names]
    extra = [name for name in names if name not in expected]
    details = [f"missing {', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}" if missing else "",
               f"unknown {', '.join(extra[:8])}{' ...' if len(extra) > 8 else ''}" if extra else "",
               "" if missing or extra else "the same columns in another order"]
    raise ValueError(
        f"{source} was built for other feature columns than this linesift computes for {mode} input: "
        f"{'; '.join(detail for detail in details if detail)}; retrain it with `linesift train --data DIR --out MODEL`"
    )


def featurize(lines: Lines) -> Features:
    """Compute the feature matrix of one document: ``len(lines)`` rows, the columns :func:`feature_names`.

    >>> from linesift.lines import text_lines
    >>> features = featurize(text_lines("Home\\n\\nThe council approved the budget on Monday."))
    >>> features.matrix.shape
    (2, 111)
    """
    names = feature_names("html" if lines.is_html else "text")
    if not len(lines):
        return Features(matrix=np.zeros((0, len(names)), dtype=np.float32), names=list(names),
                        clusters=np.zeros(0, dtype=np.int64), markup=[])
    columns = _text_columns(lines.texts, is_html=lines.is_html)
    columns.update(_neighbour_columns(columns, lines))
    if lines.is_html:
        markup = [" ".join(sorted(tokens)) for tokens in lines.class_tokens]
        dom, clusters = _dom_columns(columns, lines, markup)
        columns.update(dom)
    else:
        markup = [""] * len(lines)
        clusters = np.arange(len(lines))
    del columns["chars"], columns["words"]
    if len(columns) != len(names):
        raise AssertionError(f"featurize computed {sorted(set(columns) - set(names))} beyond feature_names()")
    matrix = np.column_stack([columns[name] for name in names])
    return Features(matrix=matrix.astype(np.float32), names=list(names), clusters=clusters.astype(np.int64), markup=markup)
