"""Turn the lines of one document into a feature matrix, every column computed for all lines at once.

Three groups, documented in ``docs/features.md``:

* text features of the line itself (length, words, punctuation, stop words, cue phrases);
* context: the same for neighbouring lines, rolling means, runs of short lines, repeats, the
  position relative to the page and to "You May Also Like"-style openers;
* DOM features (HTML only): link density, tag, landmarks, class/id cue tokens, depth, the size and
  link density of enclosing elements, and lines that share a tag path (cards of one template).

Bump :data:`FEATURE_VERSION` whenever a column changes: models record it and refuse to load with
another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from linesift.cues import BLOCK_OPENERS, CLASS_CUES, STOP_WORDS, TEXT_CUES, compile_cues
from linesift.lines import ANCESTOR_LEVELS, CONTEXT_NAMES, Lines, text_lines, tree_lines

FEATURE_VERSION = 1

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_TERMINAL = re.compile(r"[.!?。！？:;\"'”’)\]]$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_BULLET = re.compile(r"^[-*•·▪►»>|]\s")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w+")
_TEXT_CUE_PATTERNS = compile_cues(TEXT_CUES)
_CLASS_CUE_PATTERNS = compile_cues(CLASS_CUES)
_SHORT_WORDS = 5
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
    """A document's feature matrix with its column names, and the template cluster of each line."""

    matrix: np.ndarray
    names: list[str]
    clusters: np.ndarray


def shift(values: np.ndarray, offset: int, fill: float = -1.0) -> np.ndarray:
    """``values`` moved by ``offset`` lines (the value of line ``i + offset`` at ``i``), padded with ``fill``."""
    result = np.full_like(values, fill, dtype=np.float64)
    if offset > 0:
        result[:-offset] = values[offset:]
    elif offset < 0:
        result[-offset:] = values[:offset]
    else:
        result[:] = values
    return result


def rolling_mean(values: np.ndarray, half_width: int) -> np.ndarray:
    """Mean of ``values`` over the window ``[i - half_width, i + half_width]`` clipped to the document."""
    count = len(values)
    cumulative = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
    index = np.arange(count)
    low = np.clip(index - half_width, 0, count)
    high = np.clip(index + half_width + 1, 0, count)
    return (cumulative[high] - cumulative[low]) / np.maximum(high - low, 1)


def run_lengths(flags: np.ndarray) -> np.ndarray:
    """Length of the run of equal consecutive ``flags`` that each line belongs to."""
    if len(flags) == 0:
        return np.zeros(0)
    starts = np.flatnonzero(np.concatenate(([True], flags[1:] != flags[:-1])))
    lengths = np.diff(np.concatenate((starts, [len(flags)])))
    return np.repeat(lengths, lengths).astype(np.float64)


def lines_since(flags: np.ndarray, cap: float = 1000.0) -> np.ndarray:
    """For each line, how many lines back the last flagged line is (``cap`` when there is none)."""
    index = np.arange(len(flags))
    last = np.maximum.accumulate(np.where(flags, index, -1)) if len(flags) else index
    return np.where(last >= 0, index - last, cap).astype(np.float64)


def group_mean(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the lines of each line's group (``groups`` are small integers)."""
    sums = np.bincount(groups, weights=values)
    counts = np.bincount(groups)
    return (sums / np.maximum(counts, 1))[groups]


def _text_columns(texts: list[str]) -> dict[str, np.ndarray]:
    """Per-line statistics of the text alone; the one loop over lines in the module."""
    rows = []
    for text in texts:
        lowered = text.lower()
        words = _WORD.findall(lowered)
        word_count = len(words)
        letters = sum(ch.isalpha() for ch in text)
        uppers = sum(ch.isupper() for ch in text)
        digits = sum(ch.isdigit() for ch in text)
        spaces = text.count(" ")
        punctuation = len(text) - letters - digits - spaces
        cjk = len(_CJK.findall(text))
        capitalised = sum(word[:1].isupper() for word in _WORD.findall(text))
        rows.append(
            (
                len(text),
                word_count,
                sum(map(len, words)) / word_count if word_count else 0.0,
                uppers / letters if letters else 0.0,
                capitalised / word_count if word_count else 0.0,
                float(text[:1].isupper()),
                digits / len(text),
                punctuation / len(text),
                cjk / len(text),
                sum(word in STOP_WORDS for word in words) / word_count if word_count else 0.0,
                float(bool(_TERMINAL.search(text))),
                float(bool(_ELLIPSIS.search(text))),
                float(text.endswith(":")),
                float(bool(_BULLET.match(text))),
                float(bool(_URL.search(lowered))),
                text.count("|") + text.count("·") + text.count("•"),
                *(float(bool(pattern.search(lowered))) for pattern in _TEXT_CUE_PATTERNS.values()),
            )
        )
    names = [
        "chars", "words", "mean_word_length", "upper_share", "capitalised_share", "starts_upper",
        "digit_share", "punctuation_share", "cjk_share", "stop_share", "terminal_punctuation",
        "ends_with_ellipsis", "ends_with_colon", "starts_with_bullet", "has_url", "separators",
        *(f"cue_{name}" for name in _TEXT_CUE_PATTERNS),
    ]
    table = np.asarray(rows, dtype=np.float64).reshape(len(texts), len(names))
    return {name: table[:, column] for column, name in enumerate(names)}


def _normalised_ids(texts: list[str]) -> np.ndarray:
    """Small integer per distinct text, ignoring case and digits, to count repeats within the page."""
    keys = [re.sub(r"\d+", "0", text.lower()) for text in texts]
    return np.unique(np.asarray(keys, dtype=object), return_inverse=True)[1].reshape(-1)


def _context_columns(columns: dict[str, np.ndarray], lines: Lines) -> dict[str, np.ndarray]:
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
        "relative_position": index / max(count - 1, 1),
        "log_lines_before": np.log1p(index),
        "log_lines_after": np.log1p(count - 1 - index),
        "log_document_lines": np.full(count, np.log1p(count)),
        "blank_before": lines.blank_before.astype(np.float64),
        "blank_after": shift(lines.blank_before.astype(np.float64), 1, fill=1.0),
        "short_run": np.log1p(run_lengths(short)),
        "is_short": short.astype(np.float64),
        "log_repeats": np.log1p(np.bincount(text_ids)[text_ids] - 1),
        "chars_share_of_longest": columns["chars"] / max(columns["chars"].max(), 1.0),
        "log_distance_to_longest": np.log1p(np.abs(index - np.argmax(columns["chars"]))) * np.sign(index - np.argmax(columns["chars"])),
        "document_mean_log_words": np.full(count, log_words.mean()),
        "words_minus_document_mean": log_words - log_words.mean(),
        "any_cue": any_cue.astype(np.float64),
    }
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
    return context


def _dom_columns(columns: dict[str, np.ndarray], lines: Lines) -> tuple[dict[str, np.ndarray], np.ndarray]:
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
    joined_tokens = [" ".join(tokens) for tokens in lines.class_tokens]
    for name, pattern in _CLASS_CUE_PATTERNS.items():
        dom[f"class_{name}"] = np.fromiter((bool(pattern.search(t)) for t in joined_tokens), dtype=np.float64, count=count)
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
    dom["log_distance_to_h1"] = np.log1p(np.abs(index - first_h1)) * np.sign(index - first_h1) if first_h1 >= 0 else np.zeros(count)
    return dom, clusters


def featurize(lines: Lines) -> Features:
    """Compute the feature matrix of one document (``len(lines)`` rows; columns depend on HTML or text)."""
    if not len(lines):
        placeholder = featurize(_placeholder(lines.is_html))
        return Features(matrix=placeholder.matrix[:0], names=placeholder.names, clusters=placeholder.clusters[:0])
    columns = _text_columns(lines.texts)
    columns.update(_context_columns(columns, lines))
    if lines.is_html:
        dom, clusters = _dom_columns(columns, lines)
        columns.update(dom)
    else:
        clusters = np.arange(len(lines))
    del columns["chars"], columns["words"]
    names = list(columns)
    matrix = np.column_stack([columns[name] for name in names])
    return Features(matrix=matrix.astype(np.float32), names=names, clusters=clusters.astype(np.int64))



def _placeholder(is_html: bool) -> Lines:
    """A one-line document, to learn the column names when a document has no lines."""
    if is_html:
        from lxml import html

        return tree_lines(html.document_fromstring("<p>x</p>"))
    return text_lines("x")
