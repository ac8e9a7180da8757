"""Heuristic line filters from web-corpus pipelines, as plain-text baselines for linesift.

Each filter takes a plain-text page and returns the lines it keeps, joined by newlines. These are
this project's own implementations of rules as the papers describe them; thresholds the papers
state are kept, and any choice of ours is marked as such.
"""

from __future__ import annotations

import re

# Raffel et al. 2020, Section 2.2: "a period, exclamation mark, question mark, or end quotation mark".
_C4_TERMINAL = (".", "!", "?", '"', "\u201d")
# Raffel et al. 2020, Section 2.2: lines containing any of these strings were removed.
_POLICY_PHRASES = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
# Citation markers such as "[1]" and "[citation needed]" (Raffel et al. 2020, Section 2.2).
_CITATION = re.compile(r"\[\d+\]|\[citation needed\]", re.IGNORECASE)
_ELLIPSES = ("...", "\u2026")


def _lines(text: str) -> list[str]:
    """Non-blank lines of ``text`` with citation markers removed and outer spaces stripped."""
    cleaned = (_CITATION.sub("", line).strip() for line in text.splitlines())
    return [line for line in cleaned if line]


def _has_javascript_or_policy(line: str) -> bool:
    lowered = line.lower()
    return "javascript" in lowered or any(phrase in lowered for phrase in _POLICY_PHRASES)


def c4_lines(text: str) -> str:
    """C4's line-level rules (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with
    a Unified Text-to-Text Transformer", JMLR 21(140), Section 2.2).

    Kept: lines that end in a terminal punctuation mark (period, exclamation mark, question mark
    or end quotation mark) and contain at least 5 words; dropped: lines with the word
    "Javascript" and lines with a policy phrase ("terms of use", "privacy policy", "cookie
    policy", "uses cookies", "use of cookies", "use cookies"); citation markers are removed first.

    C4's page-level rules (fewer than 3 sentences, the bad-words list, "lorem ipsum", a curly
    bracket anywhere, three-sentence deduplication, English detection) drop whole documents, not
    lines, so they are left out: here they would only measure a document filter.
    """
    kept = [
        line
        for line in _lines(text)
        if line.endswith(_C4_TERMINAL) and len(line.split()) >= 5 and not _has_javascript_or_policy(line)
    ]
    return "\n".join(kept)


def _alphabetic_word_share(words: list[str]) -> float:
    return sum(any(ch.isalpha() for ch in word) for word in words) / len(words)


def _mostly_uppercase(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and sum(ch.isupper() for ch in letters) > len(letters) / 2


def fineweb_gopher_lines(text: str) -> str:
    """A line filter gathered from the line-level rules of FineWeb, Gopher and RefinedWeb.

    No published pipeline has exactly this filter: those pipelines mostly filter documents. The
    rules, each applied to a single line:

    * FineWeb (Penedo et al. 2024, "The FineWeb Datasets", Section 3) keeps C4's line rules except
      terminal punctuation; its released C4 filter (datatrove) drops lines of fewer than 3 words.
      So: drop lines with fewer than 3 words, with "javascript" or a C4 policy phrase; remove
      citation markers.
    * FineWeb's own document filter counts the share of lines shorter than 30 characters
      (threshold 0.67) and of lines ending in punctuation (0.12); as a line rule (our
      adaptation): drop a line shorter than 30 characters that does not end in ``. ! ? "``.
    * Gopher (Rae et al. 2021, "Scaling Language Models", Appendix A.1.1) flags documents with
      many lines ending in an ellipsis and with under 80% of words containing a letter; per line:
      drop lines ending in an ellipsis, and lines where under 80% of words contain a letter
      (numbers, dates, counters such as "1,024 likes").
    * RefinedWeb (Penedo et al. 2023, "The RefinedWeb Dataset for Falcon LLM", Appendix G.2,
      line-wise corrections) removes lines mostly made of upper-case characters; "mostly" is
      our threshold: more than half the letters.
    """
    kept = []
    for line in _lines(text):
        words = line.split()
        if len(words) < 3 or _has_javascript_or_policy(line):
            continue
        if len(line) < 30 and not line.endswith(_C4_TERMINAL):
            continue
        if line.endswith(_ELLIPSES) or _alphabetic_word_share(words) < 0.8 or _mostly_uppercase(line):
            continue
        kept.append(line)
    return "\n".join(kept)


def five_words(text: str) -> str:
    """The trivial rule: keep every line of five (whitespace-separated) words or more."""
    return "\n".join(line for line in text.splitlines() if len(line.split()) >= 5)


def keep_all(text: str) -> str:
    """Keep everything: the recall ceiling and precision floor of a rendering."""
    return text
