"""Feature columns, one behaviour per test."""

import numpy as np
import pytest
from lxml import html

from linesift.cues import CJK_TEXT_CUES
from linesift.features import HTML_ONLY_COLUMNS, TEXT_ONLY_COLUMNS, featurize
from linesift.lines import text_lines, tree_lines
from linesift.text_stats import character_classes


def _column(text: str, name: str) -> np.ndarray:
    features = featurize(text_lines(text))
    return features.matrix[:, features.names.index(name)]


def test_ellipsis_at_the_end_marks_truncated_teasers():
    values = _column("A teaser that stops in the middle…\nA sentence that ends.\nDots ... in the middle", "ends_with_ellipsis")
    assert values.tolist() == [1.0, 0.0, 0.0]


def test_terminal_punctuation():
    assert _column("Ends with a full stop.\nNo stop here", "terminal_punctuation").tolist() == [1.0, 0.0]


def test_stop_word_share_is_high_for_prose_and_zero_for_labels():
    values = _column("the cat is on the mat\nPrice Quantity Colour", "stop_share")
    assert values[0] == pytest.approx(4 / 6) and values[1] == 0.0


@pytest.mark.parametrize(
    ("line", "cue"),
    [
        ("Share and Follow", "cue_share"),
        ("You May Also Like", "cue_related"),
        ("We use cookies on this site", "cue_cookies"),
        ("Subscribe to our newsletter", "cue_subscribe"),
        ("© 2026 Example Ltd. All rights reserved.", "cue_copyright"),
        ("Log in", "cue_login"),
        ("Leave a reply", "cue_comments"),
        ("Das könnte Sie auch interessieren: ähnliche Artikel", "cue_related"),
        ("Partager sur Facebook", "cue_share"),
        ("猜你喜欢", "cue_related"),
        ("こちらもおすすめ", "cue_related"),
        ("发表评论", "cue_comments"),
        ("로그인", "cue_login"),
    ],
)
def test_cue_phrases(line, cue):
    assert _column(line, cue).tolist() == [1.0]


def test_lines_after_a_related_opener_count_up_from_it():
    values = _column("Body text of the article.\nYou May Also Like\nTeaser one\nTeaser two", "log_lines_since_related_opener")
    assert np.expm1(values).round().tolist() == [1000, 0, 1, 2]


def test_repeated_lines_are_counted_ignoring_digits():
    values = _column("Reply 1\nReply 2\nUnique line", "log_repeats")
    assert np.expm1(values).round().tolist() == [1, 1, 0]


def test_topic_words_recurring_away_from_the_line_mark_the_subject():
    article = [f"The {word} paragraph about the volcano eruption and its lava." for word in "first second third fourth fifth sixth".split()]
    teaser = "Celebrity chef opens restaurant downtown."
    values = _column("\n".join(article + ["Menu", "Footer", "Links", teaser]), "recur_share")
    # "paragraph", "volcano", "eruption" and "lava" recur four lines away and more; "first" does not.
    assert values[0] == pytest.approx(0.8)
    assert values[-1] == 0.0


def test_topic_words_of_near_lines_and_copies_do_not_count_as_recurrence():
    page = "Headline about penguins\nSnippet about penguins\n" + "\n".join(["x"] * 8) + "\nShare this\nShare this"
    values = _column(page, "recur_share")
    assert values[0] == 0.0  # its only partner is one line away: the same teaser
    assert values[-1] == 0.0  # an identical copy is a repeat, not a shared subject


def test_a_teaser_headline_and_its_snippet_overlap():
    values = _column("Volcano in Iceland\nThe volcano in Iceland erupted overnight…\nUnrelated words here", "overlap_at_+1")
    assert values.tolist() == [1.0, 0.0, 0.0]  # all of line 1's topic words, none of line 2's


def test_a_truncated_snippet_repeats_the_first_words_of_a_full_line():
    page = "Mollie had been married to Randy for 57 years.\nSomething else entirely\nMollie had been married to…"
    assert _column(page, "prefix_repeated").tolist() == [1.0, 0.0, 1.0]


def test_read_more_links_are_told_apart_from_prose():
    page = "Read more »\n…\nView all 12 ›\nRead the full story of how the river was cleaned up."
    assert _column(page, "more_link").tolist() == [1.0, 0.0, 1.0, 0.0]


def test_neighbour_columns_see_the_next_line():
    features = featurize(text_lines("one\ntwo words"))
    column = features.names.index("log_words_at_+1")
    assert features.matrix[0, column] == pytest.approx(np.log1p(2))
    assert features.matrix[1, column] == -1.0


def test_cjk_text_is_measured_without_spaces():
    assert _column("北朝鮮は初めて部隊の派遣を認めた。", "cjk_share")[0] > 0.8


def test_cjk_cues_hold_only_the_characters_that_make_a_page_scan_for_them():
    # text_stats runs CJK_TEXT_CUES only on pages holding CJK or Hangul characters: a cue made of
    # anything else would silently never match.
    for fragments in CJK_TEXT_CUES.values():
        for fragment in fragments:
            letters = fragment.replace("|", "").replace(" ", "")
            assert character_classes(letters, np.array([0]))["cjk"][0] == len(letters), fragment


def test_each_cjk_character_counts_as_a_word_and_korean_keeps_its_spaces():
    # 今天天气很好 is six characters and no space: six words, not one; 2024年 is two.
    values = _column("今天天气很好。\n2024年\n한국어 단어", "log_words")
    assert np.expm1(values).round().tolist() == [6.0, 2.0, 2.0]


def test_chinese_lines_share_topic_words_through_character_pairs():
    article = ["火山喷发后熔岩流入村庄。", "今天", "明天", "后天", "晚上", "早上", "居民说火山喷发时很害怕。"]
    values = _column("\n".join(article), "recur_share")
    assert values[0] > 0 and values[-1] > 0 and values[1] == 0.0


def test_html_features_add_link_density_and_clusters():
    root = html.document_fromstring("<ul><li><a href='#'>Home</a></li><li><a href='#'>News</a></li></ul><p>Some text here.</p>")
    features = featurize(tree_lines(root))
    assert features.matrix[:, features.names.index("link_share")].tolist() == [1.0, 1.0, 0.0]
    assert features.clusters[0] == features.clusters[1] != features.clusters[2]


def test_empty_document_has_the_same_columns():
    empty, one = featurize(text_lines("")), featurize(text_lines("x"))
    assert empty.matrix.shape == (0, one.matrix.shape[1]) and empty.names == one.names


def test_html_has_the_text_columns_but_the_text_only_ones_plus_position_and_dom_columns():
    text_names = set(featurize(text_lines("x")).names)
    html_names = set(featurize(tree_lines(html.document_fromstring("<p>x</p>"))).names)
    assert set(TEXT_ONLY_COLUMNS) <= text_names
    assert text_names - set(TEXT_ONLY_COLUMNS) < html_names
    assert not html_names & set(TEXT_ONLY_COLUMNS)
    assert set(HTML_ONLY_COLUMNS) <= html_names and not text_names & set(HTML_ONLY_COLUMNS)


def test_word_columns_match_a_line_by_line_count():
    import re
    from pathlib import Path

    from linesift._input import load_lines
    from linesift.cues import STOP_WORDS

    sample = Path(__file__).parent.parent / "datasets" / "samples" / "river-cleanup.html"
    lines = load_lines(sample.read_text(), mode="html")
    features = featurize(lines)
    words = [re.findall(r"\w+", text) for text in lines.texts]
    expected_length = [sum(map(len, found)) / max(len(found), 1) for found in words]
    expected_stop = [sum(word.lower() in STOP_WORDS for word in found) / max(len(found), 1) for found in words]
    matrix = features.matrix.astype(float)
    assert matrix[:, features.names.index("mean_word_length")] == pytest.approx(expected_length, rel=1e-6)
    assert matrix[:, features.names.index("stop_share")] == pytest.approx(expected_stop, rel=1e-6)


def test_class_cues_are_plain_lower_case_substrings():
    import re

    from linesift.cues import CLASS_CUES

    for name, fragments in CLASS_CUES.items():
        assert fragments, name
        assert all(re.fullmatch(r"[a-z0-9]+", fragment) for fragment in fragments), name


def test_class_cues_of_a_token_set_are_the_union_of_its_tokens_cues():
    from linesift.cues import CLASS_CUES
    from linesift.features import _class_cue_bits

    token_sets = [("sidebar", "widget"), ("post", "entry", "content"), ("menuitem",), ("x1", "footer2"), ()]
    for tokens in token_sets:
        markup = " ".join(sorted(tokens))
        expected = [any(fragment in markup for fragment in fragments) for fragments in CLASS_CUES.values()]
        bits = 0
        for token in tokens:
            bits |= _class_cue_bits(token)
        assert [bool(bits >> bit & 1) for bit in range(len(CLASS_CUES))] == expected, tokens


def test_cue_word_leads_are_found_as_each_category_lists_them():
    from linesift.text_stats import _CUE_WORD_LEADS, _cue_word_bits

    words = ["sharers", "share", "subscribed", "related", "copyrights", "comment", "com", "nothing", "ähnliche", ""]
    for word in words:
        expected = sum(1 << bit for bit, leads in enumerate(_CUE_WORD_LEADS) if word.startswith(leads))
        assert _cue_word_bits(word) == expected, word


def test_topic_words_without_cjk_are_those_of_the_full_pattern():
    from collections import Counter

    from linesift.cues import STOP_WORDS
    from linesift.topics import _TOPIC_WORD, _topic_pairs

    texts = ["The River Cleanup drew 300 volunteers", "Volunteers cleared the river banks", "2024 2025 abc İstanbul"]
    expected: dict[str, set[int]] = {}
    for line, text in enumerate(texts):
        for match in _TOPIC_WORD.finditer(text.lower()):
            word = match.group(1) or match.group(0)
            if word not in STOP_WORDS:
                expected.setdefault(word, set()).add(line)
    word_ids, lines = _topic_pairs(texts)
    found: dict[int, set[int]] = {}
    for word, line in zip(word_ids.tolist(), lines.tolist()):
        found.setdefault(word, set()).add(line)
    assert Counter(map(frozenset, found.values())) == Counter(map(frozenset, expected.values()))


def test_tag_groups_share_no_tag():
    # Each line's tag columns are found by one lookup of its tag's group, which holds only if no
    # tag is in two groups.
    from linesift.features import _TAG_GROUP_INDEX, _TAG_GROUPS

    assert len(_TAG_GROUP_INDEX) == sum(len(members) for members in _TAG_GROUPS.values())
