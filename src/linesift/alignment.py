"""Label lines for training: a line is content when the page's ground-truth main content covers it.

Long lines are matched by word trigrams, which survive small differences in spacing and
punctuation between the page and the ground truth. Each occurrence of a trigram in the ground truth
covers one line only, taken in page order: a forum reply that quotes an earlier post repeats its
sentences, which the ground truth holds once, so the quote is not content (on wcxb-dev this raised
the word F1 of the labels themselves from 0.926 to 0.943 on HTML lines, and on forums from 0.73 to
0.77). Short lines ("Reviews", "Home", a heading) are
ambiguous: the same words often occur both in the content and in the chrome around it. A short
line is content only when its words occur in the ground truth *near the place the alignment has
reached*, a cursor that the long lines move forward through the ground truth, and each
occurrence is used at most once.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from linesift.evaluation import words

#: Lines with fewer words than this are matched as short lines.
SHORT_LINE_WORDS = 4
#: Share of a long line's trigrams that must occur in the ground truth.
MIN_TRIGRAM_COVERAGE = 0.5
#: How far (in ground-truth words) from the cursor a short line may match.
SHORT_LINE_WINDOW = 60


def align(texts: list[str], main_content: str) -> np.ndarray:
    """Return a boolean array: ``True`` where ``texts[i]`` is part of ``main_content``.

    >>> align(["Home", "A long sentence of the article body here.", "Home"], "A long sentence of the article body here.")
    array([False,  True, False])
    >>> align(["The first post of the thread.", "The first post of the thread."], "The first post of the thread.")
    array([ True, False])
    """
    truth = words(main_content)
    labels = np.zeros(len(texts), dtype=bool)
    if not truth:
        return labels
    trigram_positions: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for start in range(len(truth) - 2):
        trigram_positions[tuple(truth[start : start + 3])].append(start)
    word_positions: dict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(truth):
        word_positions[word].append(position)
    used: set[int] = set()
    line_words = [words(text) for text in texts]
    consumed: Counter[tuple[str, ...]] = Counter()
    for index, tokens in enumerate(line_words):
        if len(tokens) >= SHORT_LINE_WORDS:
            trigrams = Counter(tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2))
            available = {t: min(count, len(trigram_positions.get(t, ())) - consumed[t]) for t, count in trigrams.items()}
            if sum(available.values()) >= MIN_TRIGRAM_COVERAGE * trigrams.total():
                labels[index] = True
                consumed.update(available)
    # Short lines are placed in a second pass, once every long line has moved the cursor: a
    # heading is then matched against the content that surrounds it on the page.
    cursors = _cursor_per_line(line_words, labels, trigram_positions)
    for index, tokens in enumerate(line_words):
        if not tokens or len(tokens) >= SHORT_LINE_WORDS:
            continue
        for start in word_positions.get(tokens[0], ()):
            if start in used or abs(start - cursors[index]) > SHORT_LINE_WINDOW:
                continue
            if truth[start : start + len(tokens)] == tokens:
                labels[index] = True
                used.update(range(start, start + len(tokens)))
                break
    return labels


def _cursor_per_line(
    line_words: list[list[str]], labels: np.ndarray, trigram_positions: dict[tuple[str, ...], list[int]]
) -> np.ndarray:
    """Ground-truth position of the nearest preceding matched long line, for every line."""
    cursors = np.zeros(len(line_words), dtype=np.int64)
    cursor = 0
    for index, tokens in enumerate(line_words):
        if labels[index] and len(tokens) >= SHORT_LINE_WORDS:
            positions = [trigram_positions[tuple(tokens[i : i + 3])] for i in range(len(tokens) - 2)]
            positions = [p for p in positions if p]
            cursor = min(positions[-1], key=lambda position: abs(position - cursor)) + 3
        cursors[index] = cursor
    return cursors
