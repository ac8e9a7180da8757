"""Statistics of each line's own text, for every line of a page at once.

Length, words, letter case, digits, punctuation, CJK share, stop words, line endings, bullets,
URLs and the cue phrases of :mod:`linesift.cues`: the first column group of
:mod:`linesift.features`. The patterns run once over the page's lines joined by newlines, and
their matches are counted per line with ``np.bincount``, rather than one pass per line; a cue
pattern runs only on the lines that its prefilter lets through (:func:`cue_columns`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np

from linesift.cues import CJK_TEXT_CUES, MORE_LINK, STOP_WORDS, TEXT_CUES, compile_cues, cue_prefilter

#: Code point ranges (inclusive) of Chinese characters and Japanese kana: scripts written without
#: spaces between words.
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
#: The same ranges as a regular-expression character class body.
CJK_CHARACTERS = "".join(f"{chr(low)}-{chr(high)}" for low, high in _CJK_RANGES)
#: A word: a run of word characters, except that each CJK character is a word of its own, so that
#: a Chinese paragraph is many words rather than one (``\w+`` runs to the next punctuation mark).
#: Korean keeps its spaces between words and needs no such rule.
WORD_PATTERN = rf"[{CJK_CHARACTERS}]|[^\W{CJK_CHARACTERS}]+"
# Patterns run over a page's lines joined by newlines, so ^ and $ are line anchors.
_WORD = re.compile(WORD_PATTERN)
#: Characters that end a sentence or a quotation, as a line's last character.
TERMINAL_CHARACTERS = frozenset(".!?。！？:;\"'”’)]")
#: Characters that open a bulleted line when a space or tab follows them.
BULLET_CHARACTERS = frozenset("-*•·▪►»>|")
#: Whether each ASCII character is a word character (``\w``): ``str.isalnum()`` or the underscore.
_ASCII_WORD = np.array([chr(code).isalnum() or code == ord("_") for code in range(128)])
# Anchored on the "@" (not on a run of non-spaces before it), so that a long line without spaces
# is scanned in linear time: ``\S+@`` made a 20,000-character line take seconds.
_URL = re.compile(r"https?://|www\.|\S@[^\s.@]+\.\w", re.IGNORECASE)
#: What a line needs to hold for :data:`_URL` to match in it (lower-cased).
_URL_PARTS = ("http", "www.", "@")
_TEXT_CUE_PATTERNS = compile_cues(TEXT_CUES)
_CJK_CUE_PATTERNS = compile_cues(CJK_TEXT_CUES)
_CUE_PREFILTERS = {name: cue_prefilter(fragments) for name, fragments in TEXT_CUES.items()}
_CUE_WORD_LEADS = tuple(prefilter.word_leads if prefilter else () for prefilter in _CUE_PREFILTERS.values())
#: Every word lead, longest first: a match of :data:`_ANY_LEAD` is the longest lead a word starts with.
_LEADS = tuple(sorted({lead for leads in _CUE_WORD_LEADS for lead in leads}, key=lambda lead: (-len(lead), lead)))
_ANY_LEAD = re.compile("|".join(map(re.escape, _LEADS)))
#: The cue categories of each lead: those with a lead that it starts with. The leads a word starts
#: with are prefixes of one another, so the longest one's categories are the word's.
_LEAD_BITS = {lead: sum(1 << bit for bit, leads in enumerate(_CUE_WORD_LEADS) if lead.startswith(leads)) for lead in _LEADS}
_MORE_LINK = re.compile(MORE_LINK, re.MULTILINE)


def line_counts(pattern: re.Pattern[str], joined: str, starts: np.ndarray) -> np.ndarray:
    """Number of matches of ``pattern`` that start in each line of ``joined``."""
    offsets = np.fromiter((match.start() for match in pattern.finditer(joined)), dtype=np.int64)
    return np.bincount(np.searchsorted(starts, offsets, side="right") - 1, minlength=len(starts)).astype(np.float64)


def word_counts(texts: Sequence[str], *, split_cjk: bool = True) -> np.ndarray:
    """Words of each text: runs of word characters (``\\w+``), a CJK character counting as one word
    unless ``split_cjk`` is False.

    The matches of :data:`WORD_PATTERN` (of ``\\w+`` without ``split_cjk``) in each text, counted
    on the code points of all texts at once with numpy instead of a regular-expression scan per
    text: the starts of runs of word characters, plus each CJK character.

    >>> word_counts(["Free shipping, on orders!", "相关文章 list", ""]).tolist()
    [4.0, 5.0, 0.0]
    >>> word_counts(["相关文章 list"], split_cjk=False).tolist()
    [2.0]
    """
    if not len(texts):
        return np.zeros(0)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    # A newline after each text (never a word character) ends its runs and keeps the last start in range.
    codes = np.frombuffer(("\n".join(texts) + "\n").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    in_words = _word_characters(codes)
    counts = np.zeros(len(texts), dtype=np.int64)
    if split_cjk:
        cjk = np.zeros(len(codes), dtype=bool)
        for low, high in _CJK_RANGES:
            cjk |= (codes >= low) & (codes <= high)
        in_words &= ~cjk
        counts += np.add.reduceat(cjk, starts, dtype=np.int64)
    run_starts = in_words.copy()
    run_starts[1:] &= ~in_words[:-1]
    counts += np.add.reduceat(run_starts, starts, dtype=np.int64)
    return counts.astype(np.float64)


def _word_characters(codes: np.ndarray) -> np.ndarray:
    """Whether each code point is a word character of regular expressions (``\\w``): ``str.isalnum()`` or ``_``.

    From a table for ASCII, and by ``str.isalnum`` once per distinct code point beyond.
    """
    result = np.zeros(len(codes), dtype=bool)
    is_ascii = codes < 128
    result[is_ascii] = _ASCII_WORD[codes[is_ascii]]
    beyond = np.flatnonzero(~is_ascii)
    if len(beyond):
        distinct, index = np.unique(codes[beyond], return_inverse=True)
        alphanumeric = np.fromiter(map(str.isalnum, map(chr, distinct.tolist())), dtype=bool, count=len(distinct))
        result[beyond] = alphanumeric[index.reshape(-1)]
    return result


def character_classes(joined: str, starts: np.ndarray) -> dict[str, np.ndarray]:
    """Per-line counts of letters, upper-case letters, digits, spaces, CJK and separator characters.

    Works on code points with numpy rather than ``str.isalpha`` per character (ten times faster on
    a typical page). Non-ASCII code points count as letters unless they are punctuation, symbols
    or emoji; upper case is recognised in Latin-1, Greek and Cyrillic, and ``capitalised`` counts
    the upper-case letters that start a word.
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
    classes["capitalised"] = upper & ~_after_word_character(codes, upper)
    return {name: np.add.reduceat(flags.astype(np.float64), starts) for name, flags in classes.items()}


def _after_word_character(codes: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Whether the code point before each of ``where`` is a word character (``\\w``); False elsewhere.

    An upper-case letter not after a word character starts a capitalised word (``(?<!\\w)[A-Z]``):
    looked up (:func:`_word_characters`) for the few positions asked only.
    """
    result = np.zeros(len(codes), dtype=bool)
    positions = np.flatnonzero(where)
    positions = positions[positions > 0]
    result[positions] = _word_characters(codes[positions - 1])
    return result


def _flags(values: Iterable[bool]) -> np.ndarray:
    return np.fromiter(values, dtype=np.float64)


def _url_lines(joined: str, lowered: str, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """1.0 for each line holding a web or e-mail address (:data:`_URL`), else 0.0.

    No match spans a line break, so each line is searched alone, and only lines that hold a part
    every match needs: a third of the time of scanning the page.
    """
    ends = starts + lengths
    candidates = np.zeros(len(starts), dtype=bool)
    for part in _URL_PARTS:
        found = lowered.find(part)
        while found >= 0:
            line = int(np.searchsorted(starts, found, side="right")) - 1
            candidates[line] = True
            found = lowered.find(part, int(ends[line]))
    has_url = np.zeros(len(starts))
    for line in np.flatnonzero(candidates).tolist():
        has_url[line] = _URL.search(joined, int(starts[line]), int(ends[line])) is not None
    return has_url


def text_columns(texts: list[str], *, is_html: bool) -> dict[str, np.ndarray]:
    """Per-line statistics of the text alone, computed on the page's lines joined into one string.

    The page's lines hold no line breaks and are stripped (:mod:`linesift.lines`), so a line's
    first and last characters are tested directly.
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined = "\n".join(texts)
    chars = lengths.astype(np.float64)
    classes = character_classes(joined, starts)
    # Words never span lines (``\w`` does not match a newline): found line by line, each word is
    # then looked up with C-level maps rather than a match object per word (3x faster).
    per_line = [_WORD.findall(text) for text in texts]
    counts = np.fromiter(map(len, per_line), dtype=np.int64, count=len(texts))
    found = list(itertools.chain.from_iterable(per_line))
    word_line = np.repeat(np.arange(len(texts)), counts)
    word_lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    lowered_words = list(map(str.lower, found))
    is_stop = np.fromiter(map(STOP_WORDS.__contains__, lowered_words), dtype=np.int64, count=len(found))
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
        "capitalised_share": classes["capitalised"] / per_word,
        "starts_upper": np.fromiter((text[:1].isupper() for text in texts), dtype=np.float64, count=len(texts)),
        "digit_share": classes["digits"] / chars,
        "punctuation_share": np.maximum(punctuation, 0.0) / chars,
        "cjk_share": classes["cjk"] / chars,
        "stop_share": stop_words / per_word,
        "terminal_punctuation": _flags(text[-1:] in TERMINAL_CHARACTERS for text in texts),
        "ends_with_ellipsis": _flags(text.endswith(("...", "…")) for text in texts),
        "ends_with_colon": _flags(text.endswith(":") for text in texts),
        "starts_with_bullet": _flags(text[:1] in BULLET_CHARACTERS and text[1:2] in (" ", "\t") for text in texts),
        "separators": classes["separators"],
    }
    lowered = lower_same_length(joined)
    columns["has_url"] = _url_lines(joined, lowered, starts, lengths)
    columns.update(cue_columns(lowered, starts, lengths, lowered_words, word_line, has_cjk=bool(classes["cjk"].any())))
    if not is_html:
        columns["more_link"] = line_counts(_MORE_LINK, lowered, starts)
    return columns


def cue_columns(
    lowered: str, starts: np.ndarray, lengths: np.ndarray, words: list[str], word_line: np.ndarray, *, has_cjk: bool
) -> dict[str, np.ndarray]:
    """Per line, 1.0 where a cue category of :data:`linesift.cues.TEXT_CUES` occurs in it, else 0.0.

    ``lowered`` is the page's lines joined by newlines and lower-cased, ``words`` its lower-cased
    words and ``word_line`` the line of each. A category's pattern runs only on the lines its
    :class:`~linesift.cues.CuePrefilter` lets through: a cue is rare, and searching those lines
    took under half the time of scanning the page (``docs/speed.md``). The lines found are those
    of the whole pattern's scan over the page, as ``tests/test_text_stats.py`` checks.
    """
    word_bits = np.fromiter(map(_cue_word_bits, words), dtype=np.int64, count=len(words))
    line_starts, line_ends = starts.tolist(), (starts + lengths).tolist()
    columns = {}
    for bit, (name, prefilter) in enumerate(_CUE_PREFILTERS.items()):
        if prefilter is None:
            found = line_counts(_TEXT_CUE_PATTERNS[name], lowered, starts) > 0
        else:
            candidates = np.zeros(len(starts), dtype=bool)
            candidates[word_line[(word_bits >> bit) & 1 == 1]] = True
            if prefilter.trigger is not None:
                candidates |= line_counts(prefilter.trigger, lowered, starts) > 0
            found = np.zeros(len(starts), dtype=bool)
            for line in np.flatnonzero(candidates).tolist():
                found[line] = prefilter.pattern.search(lowered, line_starts[line], line_ends[line]) is not None
            if prefilter.spanning is not None:
                found |= line_counts(prefilter.spanning, lowered, starts) > 0
        if has_cjk and name in _CJK_CUE_PATTERNS:
            found |= line_counts(_CJK_CUE_PATTERNS[name], lowered, starts) > 0
        columns[f"cue_{name}"] = found.astype(np.float64)
    return columns


# Words recur across a site's pages and a language's: each word's categories are looked up once
# while it stays among the last 16,384 (about 2.5 MB).
@functools.lru_cache(maxsize=1 << 14)
def _cue_word_bits(word: str) -> int:
    """Bit ``i`` set when the lower-cased ``word`` starts with a word lead of the ``i``-th cue category.

    The longest lead a word starts with holds all its leads: one regular-expression match per
    word instead of a ``startswith`` per category.
    """
    return _LEAD_BITS[match.group()] if (match := _ANY_LEAD.match(word)) else 0


def lower_same_length(text: str) -> str:
    """``text.lower()``, except characters whose lower case is longer (``İ``), so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
