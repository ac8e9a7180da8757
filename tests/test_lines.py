"""Cutting text and HTML into lines."""

import re

from lxml import html

from linesift._input import load_lines, looks_like_html
from linesift.lines import CONTEXT_NAMES, _tokens_of, text_lines, tree_lines


def _html_lines(markup: str):
    return tree_lines(html.document_fromstring(markup))


def test_text_lines_keep_positions_and_blank_structure():
    lines = text_lines("first\n\n  second  \nthird\n")
    assert lines.texts == ["first", "second", "third"]
    assert lines.positions.tolist() == [0, 2, 3]
    assert lines.blank_before.tolist() == [True, True, False]


def test_inline_elements_merge_into_their_block():
    lines = _html_lines("<div><p>Hello <b>bold</b> <a href='#'>world</a>.</p></div>")
    assert lines.texts == ["Hello bold world."]
    assert lines.tags == ["p"]


def test_block_elements_start_new_lines():
    lines = _html_lines("<div>intro<p>para</p>tail<ul><li>one</li><li>two</li></ul></div>")
    assert lines.texts == ["intro", "para", "tail", "one", "two"]


def test_script_style_and_hidden_elements_are_dropped_but_their_tail_is_kept():
    markup = "<p>a<script>var x;</script> b<style>p{}</style> c<span hidden>secret</span> d</p><div style='display: none'>gone</div>"
    assert _html_lines(markup).texts == ["a b c d"]


def test_noscript_is_dropped_unless_it_holds_most_of_the_page():
    small = _html_lines("<body><noscript>Please enable JavaScript.</noscript><p>The article text is here for all.</p></body>")
    assert small.texts == ["The article text is here for all."]
    app = _html_lines(
        "<body><div id='app'>Loading</div><noscript><h1>Thread title</h1>"
        "<p>The first post explains the problem in a few sentences of text.</p></noscript></body>"
    )
    assert app.texts == ["Loading", "Thread title", "The first post explains the problem in a few sentences of text."]


def test_link_text_share_is_recorded():
    lines = _html_lines("<p>read <a href='#'>this link</a></p>")
    assert lines.link_chars.tolist() == [len("this link")]


def test_landmark_context_flags():
    lines = _html_lines("<nav><ul><li>Home</li></ul></nav><article><h2>Title</h2></article>")
    flags = {name: lines.inside[:, i].tolist() for i, name in enumerate(CONTEXT_NAMES)}
    assert flags["nav"] == [True, False]
    assert flags["list"] == [True, False]
    assert flags["heading"] == [False, True]
    assert flags["article"] == [False, True]


def test_class_and_id_tokens_of_ancestors():
    lines = _html_lines("<div class='post-body main' id='Story'><p>x</p></div>")
    assert {"post", "body", "main", "story"} <= lines.class_tokens[0]


def test_preformatted_text_keeps_its_lines():
    assert _html_lines("<pre>a = 1\nb = 2</pre>").texts == ["a = 1", "b = 2"]


def test_ancestor_counters_cover_the_enclosing_blocks():
    lines = _html_lines("<div><p>abc</p><p>de</p></div>")
    assert lines.ancestor_chars[:, 0].tolist() == [3, 2]
    assert lines.ancestor_chars[:, 1].tolist() == [5, 5]
    assert lines.ancestor_lines[:, 1].tolist() == [2, 2]


def test_elements_number_the_tree_so_that_a_range_holds_each_subtree():
    lines = _html_lines("<div class='story'><p>one <b>two</b></p><ul><li>three</li></ul></div><p>four</p>")
    elements = lines.elements
    story = elements.tags.index("div")
    assert elements.tokens[story] == ("story",)
    inside = (lines.line_elements >= story) & (lines.line_elements < elements.ends[story])
    assert dict(zip(lines.texts, inside.tolist())) == {"one two": True, "three": True, "four": False}
    assert elements.parents[elements.tags.index("li")] == elements.tags.index("ul")
    assert lines.block_ancestors[0, :2].tolist() == [elements.tags.index("p"), story]


def test_html_detection():
    assert looks_like_html("<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html("<div><p>a</p><p>b</p></div>")
    assert not looks_like_html("Prices rose 3 < 4 percent.\nNothing else here.")


def test_deep_nesting_does_not_recurse():
    markup = "<div>" * 1500 + "deep" + "</div>" * 1500
    assert load_lines(markup).texts == ["deep"]


def test_class_tokens_and_whitespace_as_the_bundled_models_saw_them():
    # Class tokens were the runs left by splitting the lower-cased attributes at anything but
    # [a-z0-9], two characters or longer; line whitespace was collapsed by re.sub(r"\s+", " ").
    attributes = ["Nav-Bar  x item_2", "ÉTÉ été-2024 K", "post__title--main 3col", "", "  ", "a b cc"]
    for names in attributes:
        expected = tuple(token for token in re.split(r"[^a-z0-9]+", names.lower()) if len(token) > 1)
        assert _tokens_of(names) == expected, names
    spaced = "\u00a0 One\ttwo\u2028three\x1cfour\u3000 five \u0085six\n"
    page = f"<html><body><p>{spaced}</p><div class='Nav-Bar x'>ok</div></body></html>"
    lines = tree_lines(html.fromstring(page))
    assert lines.texts[0] == re.sub(r"\s+", " ", spaced).strip()
    assert lines.class_tokens[1] == frozenset({"nav", "bar"})
