"""The readability-style main container columns."""

import numpy as np
from lxml import html

from linesift.containers import CONTAINER_NAMES, container_columns
from linesift.lines import text_lines, tree_lines

_PROSE = "The council met on Monday, and after a long debate, it voted to repair the old bridge. "
_COMMENT = "Great article, thanks for writing it, I agree with all of it. "


def _columns(markup: str, class_sign=lambda tokens: 0):
    lines = tree_lines(html.document_fromstring(markup))
    chars = np.array([len(text) for text in lines.texts], dtype=np.float64)
    return lines.texts, container_columns(lines, chars, class_sign)


def test_the_article_block_outvotes_its_comments():
    markup = (f"<body><div class='entry'><h1>Bridge</h1><p>{_PROSE * 3}</p><p>{_PROSE * 2}</p></div>"
              f"<div class='comment-list'><p>{_COMMENT}</p><p>{_COMMENT}</p></div></body>")
    chrome = lambda tokens: -1 if any("comment" in token for token in tokens) else 0  # noqa: E731
    texts, columns = _columns(markup, chrome)
    kept = [text for text, inside in zip(texts, columns["in_main_container"]) if inside]
    assert kept == ["Bridge", (_PROSE * 3).strip(), (_PROSE * 2).strip()]
    assert columns["container_score_share"][1] == 1 > columns["container_score_share"][-1]
    assert 0.5 < columns["main_container_char_share"][0] < 1


def test_lines_are_placed_against_the_article_and_its_paths():
    markup = (f"<body><ul><li>Home</li></ul><div class='post'><p>{_PROSE * 3}</p><p>{_PROSE * 2}</p></div>"
              "<div class='post'><p>Thanks, agreed</p></div><div class='related'><p>Related</p></div></body>")
    texts, columns = _columns(markup)
    assert texts == ["Home", (_PROSE * 3).strip(), (_PROSE * 2).strip(), "Thanks, agreed", "Related"]
    assert columns["in_main_article"].tolist() == [0, 1, 1, 0, 0]
    assert columns["before_main_article"].tolist() == [1, 0, 0, 0, 0]
    assert columns["after_main_article"].tolist() == [0, 0, 0, 1, 1]
    # A later post shares the main container's tag and class path, as a forum thread's replies do.
    assert columns["on_main_path"].tolist() == [0, 1, 1, 1, 0]
    assert columns["main_path_after"].tolist() == [0, 0, 0, 1, 0]


def test_strong_siblings_join_the_article():
    markup = f"<body><div><div><p>{_PROSE * 3}</p></div><div><p>{_PROSE * 2}</p></div><div><p>Share</p></div></div></body>"
    texts, columns = _columns(markup)
    assert columns["in_main_container"].tolist() == [1, 0, 0]
    assert columns["in_main_article"].tolist() == [1, 1, 0]


def test_pages_without_paragraphs_or_markup_get_zeros():
    _, menu = _columns("<body><ul><li>Home</li><li>News</li></ul></body>")
    assert all(not menu[name].any() for name in CONTAINER_NAMES)
    plain = text_lines("Home\nThe council met on Monday, and voted to repair the bridge.")
    columns = container_columns(plain, np.array([4.0, 60.0]), lambda tokens: 0)
    assert all(columns[name].tolist() == [0, 0] for name in CONTAINER_NAMES)
