"""Turn the lines of one document into a feature matrix, every column computed for all lines at once.

Three groups, documented in ``docs/features.md``:

* text features of the line itself (length, words, punctuation, stop words, cue phrases:
  :mod:`linesift.text_stats`);
* neighbourhood: the same for neighbouring lines, rolling means, runs of short lines, repeats, the
  position relative to "You May Also Like"-style openers and (HTML only) to the page's top and
  bottom, and (text only) how much of the line's vocabulary the rest of the page shares
  (:mod:`linesift.topics`);
* DOM features (HTML only): link density, tag, landmarks, class/id cue tokens, depth, the size and
  link density of enclosing elements, the page's main container as readability would find it
  (:mod:`linesift.containers`), and lines that share a tag path (cards of one template).

Bump a mode's :data:`FEATURE_VERSIONS` whenever one of its columns changes, or what its models take
beside these columns (version 6: the line texts, for :mod:`linesift.lexical`; version 7: its heading columns;
version 8: each line's class and id tokens, :attr:`Features.markup`; version 9: CJK characters
count as words, in the word counts, the word scorers and the topic words, and the cues hold Chinese,
Japanese and Korean phrases; version 10, HTML only: the main container columns of
:mod:`linesift.containers`): models record it and refuse to load with another.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from linesift._arrays import group_mean, lines_since, rolling_mean, run_lengths, shift
from linesift.containers import CONTAINER_NAMES, container_columns
from linesift.cues import BLOCK_OPENERS, CLASS_CUES, TEXT_CUES
from linesift.lines import ANCESTOR_LEVELS, CONTEXT_NAMES, Lines
from linesift.text_stats import text_columns
from linesift.topics import TOPIC_NAMES, prefix_repeated, topic_columns

#: The version of each mode's columns. Text models stay at version 9 while the HTML columns move on:
#: a change to one mode's columns leaves models of the other mode, a user's own included, usable.
FEATURE_VERSIONS: dict[str, int] = {"html": 11, "text": 9}

#: Lines of fewer words than this are short: runs of them are menus, tags and link lists.
_SHORT_WORDS = 5
#: Columns computed for text input only: with them, domain-grouped CV on wcxb-dev scored word F1
#: 0.825 against 0.821 on text but 0.860 against 0.863 on HTML, whose DOM columns already mark blocks.
TEXT_ONLY_COLUMNS = ("more_link", "prefix_repeated", *TOPIC_NAMES)
#: Columns computed for HTML input only: where the line sits in the page. A text dump is often cut
#: (no menu above the article, no footer below the teasers), and there absolute position misleads:
#: see ``docs/features.md`` for the measurement.
HTML_ONLY_COLUMNS = ("relative_position", "log_lines_before", "log_lines_after")
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

#: The index of each grouped tag's group in :data:`_TAG_GROUPS` (no tag is in two: tests/test_features.py).
_TAG_GROUP_INDEX = {tag: index for index, members in enumerate(_TAG_GROUPS.values()) for tag in members}


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


_DIGITS = re.compile(r"\d+")


def _normalised_ids(texts: list[str]) -> np.ndarray:
    """Small integer per distinct text, ignoring case and digits, to count repeats within the page."""
    keys = _DIGITS.sub("0", "\n".join(texts).lower()).split("\n")
    return np.unique(np.asarray(keys, dtype=object), return_inverse=True)[1].reshape(-1)


def _position_columns(index: np.ndarray) -> dict[str, np.ndarray]:
    """Where each line sits in the page, from its top and from its bottom."""
    count = len(index)
    return {
        "relative_position": index / max(count - 1, 1),
        "log_lines_before": np.log1p(index),
        "log_lines_after": np.log1p(count - 1 - index),
    }


def _densest_window(log_words: np.ndarray) -> int:
    """The first line whose 21-line window holds the most words (log-scaled).

    Windows of equal words tie only up to floating-point rounding, which differs between numpy
    builds: on a fresh install one sample page's densest line moved by one. Rounded to nine
    decimals, ties are exact and the first window wins on every platform.
    """
    return int(np.argmax(np.round(rolling_mean(log_words, 10), 9)))


#: Neighbour columns of :func:`_neighbour_columns`: these values of the lines at each offset.
_NEIGHBOUR_VALUES = ("log_words", "terminal_punctuation", "stop_share", "ends_with_ellipsis", "any_cue", "blank_before")
#: Window means of :func:`_neighbour_columns`, by prefix.
_WINDOW_MEANS = ("log_words_mean", "terminal_mean", "stop_share_mean", "short_mean", "ellipsis_mean", "cue_mean")


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
        **({} if lines.is_html else {"prefix_repeated": prefix_repeated(lines.texts)}),
        "chars_share_of_longest": columns["chars"] / max(columns["chars"].max(), 1.0),
        "log_distance_to_longest": _signed_log_distance(index, int(np.argmax(columns["chars"]))),
        "document_mean_log_words": np.full(count, log_words.mean()),
        "words_minus_document_mean": log_words - log_words.mean(),
        "any_cue": any_cue.astype(np.float64),
        "words_rank": np.argsort(np.argsort(columns["words"], kind="stable"), kind="stable") / max(count - 1, 1),
        "log_distance_to_densest": _signed_log_distance(index, _densest_window(log_words)),
    }
    if not lines.is_html:
        context.update(topic_columns(lines.texts, text_ids, columns["words"]))
    for name in BLOCK_OPENERS:
        opener = (columns[f"cue_{name}"] > 0) & (columns["words"] <= 6)
        context[f"log_lines_since_{name}_opener"] = np.log1p(lines_since(opener))
    # Shifted and averaged as one float64 matrix (the flags promote), a column per value: one array
    # operation per offset and window.
    neighbour_values = np.column_stack((log_words, columns["terminal_punctuation"], columns["stop_share"],
                                        columns["ends_with_ellipsis"], any_cue, lines.blank_before))
    for offset in _NEIGHBOUR_OFFSETS:
        shifted = shift(neighbour_values, offset)
        for column, name in enumerate(_NEIGHBOUR_VALUES):
            context[f"{name}_at_{offset:+d}"] = shifted[:, column]
    # Truncated snippets and cue lines come in blocks: teasers, link lists, footers.
    window_values = np.column_stack((log_words, columns["terminal_punctuation"], columns["stop_share"], short,
                                     columns["ends_with_ellipsis"], any_cue))
    for half_width in _WINDOWS:
        means = rolling_mean(window_values, half_width)
        for column, name in enumerate(_WINDOW_MEANS):
            context[f"{name}_{half_width}"] = means[:, column]
    return context


#: Each category of :data:`CLASS_CUES` as one pattern of its fragments: a search finds whether a token
#: holds any of them in one C-level scan (13 µs a new token with ``any(fragment in token ...)``).
_CLASS_CUE_PATTERNS = tuple(re.compile("|".join(map(re.escape, fragments))) for fragments in CLASS_CUES.values())


# Class cues are plain substrings without spaces (cues.py), so a set of tokens holds one exactly
# when one of its tokens does; tokens recur across the lines and pages of a site, and a token's
# categories are looked up once: 16,384 tokens hold about 2 MB.
@functools.lru_cache(maxsize=1 << 14)
def _class_cue_bits(token: str) -> int:
    """Bit ``i`` set when ``token`` holds a fragment of the ``i``-th category of :data:`CLASS_CUES`."""
    return sum(1 << bit for bit, pattern in enumerate(_CLASS_CUE_PATTERNS) if pattern.search(token))


def _token_set_bits(tokens: Iterable[str]) -> int:
    """The union of :func:`_class_cue_bits` over a set of class and id tokens."""
    return functools.reduce(operator.or_, map(_class_cue_bits, tokens), 0)


#: Class cue categories that name a page's content, and those that name its chrome, as bits of
#: :func:`_class_cue_bits`: an element's class and id score its block in :mod:`linesift.containers`.
_CATEGORY_BITS = {name: 1 << bit for bit, name in enumerate(CLASS_CUES)}
_CONTENT_BITS = _CATEGORY_BITS["content"] | _CATEGORY_BITS["docs"]
_CHROME_BITS = functools.reduce(operator.or_, (_CATEGORY_BITS[name] for name in (
    "nav", "footer", "sidebar", "share", "related", "comment", "ad", "cookie", "newsletter", "modal")))


def _class_sign(tokens: tuple[str, ...]) -> int:
    """1 when an element's own class and id tokens name content, -1 chrome, 0 neither or both."""
    bits = _token_set_bits(tokens)
    return bool(bits & _CONTENT_BITS) - bool(bits & _CHROME_BITS)


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
    # The groups share no tag: one dict lookup per line, not a sort of the tags per group (np.isin).
    tag_group = np.fromiter(map(_TAG_GROUP_INDEX.get, lines.tags, itertools.repeat(-1)), dtype=np.int64, count=count)
    for group_index, group in enumerate(_TAG_GROUPS):
        dom[f"tag_{group}"] = (tag_group == group_index).astype(np.float64)
    for column, name in enumerate(CONTEXT_NAMES):
        dom[f"inside_{name}"] = lines.inside[:, column].astype(np.float64)
    # Lines of one template share their token sets: look each distinct set up once, as the union
    # of its tokens' cue categories (_class_cue_bits).
    token_sets, token_set_index = np.unique(np.asarray(markup, dtype=object), return_inverse=True)
    set_bits = (_token_set_bits(tokens.split()) for tokens in token_sets)
    cue_bits = np.fromiter(set_bits, dtype=np.int64, count=len(token_sets))[token_set_index.reshape(-1)]
    for bit, name in enumerate(CLASS_CUES):
        dom[f"class_{name}"] = ((cue_bits >> bit) & 1).astype(np.float64)
    for level in range(ANCESTOR_LEVELS):
        ancestor_chars = np.maximum(lines.ancestor_chars[:, level], 1.0)
        dom[f"ancestor{level + 1}_char_share"] = lines.ancestor_chars[:, level] / document_chars
        dom[f"ancestor{level + 1}_link_share"] = lines.ancestor_link_chars[:, level] / ancestor_chars
        dom[f"ancestor{level + 1}_log_lines"] = np.log1p(lines.ancestor_lines[:, level])
        dom[f"ancestor{level + 1}_chars_per_line"] = np.log1p(ancestor_chars / np.maximum(lines.ancestor_lines[:, level], 1.0))
    dom.update(container_columns(lines, chars, _class_sign))
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


@functools.lru_cache(maxsize=2)
def feature_names(mode: Literal["html", "text"]) -> tuple[str, ...]:
    """The columns of :func:`featurize` for ``"html"`` or ``"text"`` input, in matrix order.

    The one list that fixes the column order: models record it, and a model built for other
    columns is refused when it loads (:func:`check_feature_names`).

    >>> len(feature_names("html")), len(feature_names("text"))
    (185, 111)
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
        *(() if is_html else TOPIC_NAMES),
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
        *CONTAINER_NAMES,
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
    columns = text_columns(lines.texts, is_html=lines.is_html)
    columns.update(_neighbour_columns(columns, lines))
    if lines.is_html:
        joined: dict[frozenset[str], str] = {}
        markup = [joined.get(tokens) or joined.setdefault(tokens, " ".join(sorted(tokens))) for tokens in lines.class_tokens]
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
