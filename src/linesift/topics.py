"""Recurrence of a line's words across the page: what tells an article's text from teasers (text input).

An article's paragraphs keep returning to its subject's words, while a teaser under "You May
Also Like", a promo or an author bio is about something else; a teaser's snippet also starts like
a text shown in full elsewhere. HTML input does without these columns: its DOM columns already
mark where blocks start and end (``docs/features.md``).
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from linesift._arrays import shift
from linesift.cues import STOP_WORDS
from linesift.text_stats import CJK_CHARACTERS

# Topic words: three letters or more and not only digits (stop words are removed after matching),
# and in Chinese and Japanese, which have no spaces, every pair of adjacent characters.
_SPACED_WORD = rf"\b(?!\d+\b)[^\W{CJK_CHARACTERS}]{{3,}}"
_TOPIC_WORD = re.compile(rf"{_SPACED_WORD}|(?=([{CJK_CHARACTERS}]{{2}}))")
#: The topic words of a line without Chinese or Japanese characters: the first branch alone.
_SPACED_TOPIC_WORD = re.compile(_SPACED_WORD)
_CJK = re.compile(f"[{CJK_CHARACTERS}]")
#: Lines this close count as the same block (a teaser's headline and its snippet), not as recurrence.
_TOPIC_WINDOW = 3
#: Half-width of the page's core: the block of lines with the most words.
_CORE_HALF_WIDTH = 10
_OVERLAP_NAMES = ("overlap_at_+1", "overlap_at_-1", "overlap_at_+2", "overlap_at_-2", "overlap_max_2")
#: Columns of :func:`topic_columns`, in order.
TOPIC_NAMES = ("recur_share", "recur_log", "core_share", "core_log", "log_topic_words", *_OVERLAP_NAMES)
#: Words that start a line and tell a teaser's snippet from the full text elsewhere on the page.
_PREFIX_WORDS = 4


def prefix_repeated(texts: list[str]) -> np.ndarray:
    """1 where another line starts with the same first words: a truncated snippet of a text shown in full."""
    split = [text.lower().split() for text in texts]
    prefixes = [" ".join(words[:_PREFIX_WORDS]) if len(words) >= _PREFIX_WORDS else "" for words in split]
    prefix_array = np.asarray(prefixes, dtype=object)
    prefix_ids = np.unique(prefix_array, return_inverse=True)[1].reshape(-1)
    shared = np.bincount(prefix_ids)[prefix_ids] > 1
    return (shared & (prefix_array != "")).astype(np.float64)


def _topic_words(text: str) -> set[str]:
    """The distinct topic words of one lower-cased line (:data:`_TOPIC_WORD`)."""
    return {match.group(1) or match.group(0) for match in _TOPIC_WORD.finditer(text)}


def _topic_pairs(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (topic word id, line) pairs of a page, sorted by word and then by line.

    Lines are lower-cased together; on a page without Chinese or Japanese characters the topic
    words are the matches of the pattern's first branch, which ``findall`` lists without a match
    object per word.
    """
    joined = "\n".join(texts).lower()
    lowered = joined.split("\n")
    if _CJK.search(joined):
        per_line = [_topic_words(text) - STOP_WORDS for text in lowered]
    else:
        per_line = [set(words).difference(STOP_WORDS) for words in map(_SPACED_TOPIC_WORD.findall, lowered)]
    words = list(itertools.chain.from_iterable(per_line))
    ids = {word: number for number, word in enumerate(dict.fromkeys(words))}
    word_ids = np.fromiter(map(ids.__getitem__, words), dtype=np.int64, count=len(words))
    lines = np.repeat(np.arange(len(texts)), [len(line_words) for line_words in per_line])
    pairs = np.sort(word_ids * len(texts) + lines)
    return pairs // max(len(texts), 1), pairs % max(len(texts), 1)


def topic_columns(texts: list[str], text_ids: np.ndarray, words: np.ndarray) -> dict[str, np.ndarray]:
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
        return {name: np.zeros(count) for name in TOPIC_NAMES}
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
