"""The page's main container, found as readability finds an article: which lines lie inside it.

Readability (Arc90's bookmarklet, and readability-lxml after it) looks at a page from above: each
paragraph of 25 characters or more votes for the block around it (fully) and the block around
that (half), by its length and commas; a block's votes, plus a prior for its tag and its class
and id, shrink with its link density, and the best-scoring block with its strong siblings is the
article. Comments lose there: their container's class says ``comment``, and its votes are split
among many short posts. The line classifier sees each line and its neighbours; these columns give
it that page-wide choice, and leave the classifier to weigh it.

Columns, for every line of an HTML page (see ``docs/features.md``):

* ``in_main_container``: the line lies inside the best-scoring block;
* ``in_main_article``: inside it or a sibling block scoring at least a fifth as much;
* ``container_score_share``: the best score among the blocks around the line, as a share of the
  page's best (0 when no scored block holds it);
* ``main_container_char_share``: the share of the page's characters in the best block;
* ``after_main_article``, ``before_main_article``: the line comes after (before) the article's
  blocks in document order: readers' comments and related lists follow an article;
* ``on_main_path``: a line inside the best block has the line's template path (``Lines.paths``),
  as a forum thread's later posts share the first one's; ``main_path_after``: both of the last two.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from linesift.lines import Lines

CONTAINER_NAMES = (
    "in_main_container", "in_main_article", "container_score_share", "main_container_char_share",
    "after_main_article", "before_main_article", "on_main_path", "main_path_after",
)
#: Lines held by these blocks vote for the blocks around them (a ``div`` holding text reads as a paragraph).
PARAGRAPH_TAGS = ("p", "td", "pre", "div")
#: Lines shorter than this cast no vote: labels, buttons and menu items.
MIN_PARAGRAPH_CHARS = 25
#: A block's score before its votes: text blocks up, lists, forms and headings down.
TAG_PRIORS = {
    "div": 5.0, "pre": 3.0, "td": 3.0, "blockquote": 3.0,
    "address": -3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "dd": -3.0, "dt": -3.0, "li": -3.0, "form": -3.0,
    "h1": -5.0, "h2": -5.0, "h3": -5.0, "h4": -5.0, "h5": -5.0, "h6": -5.0, "th": -5.0,
}
#: Score of a class or id that names content (``post-body``) or chrome (``comment-list``).
CLASS_WEIGHT = 25.0
#: A sibling of the best block joins the article from this share of its score (and at least 10).
SIBLING_SHARE = 0.2
#: The best blocks by score whose share reaches the lines inside them; deeper ranks change little.
SCORED_BLOCKS = 16


def container_columns(lines: Lines, chars: np.ndarray, class_sign: Callable[[tuple[str, ...]], int]) -> dict[str, np.ndarray]:
    """The columns of :data:`CONTAINER_NAMES` for the lines of an HTML page, with ``chars`` its lines' lengths.

    ``class_sign`` says of an element's class and id tokens whether they name content (1), chrome
    (-1) or neither (0). An article's paragraphs outvote a sidebar's links:

    >>> from linesift.lines import tree_lines
    >>> from lxml import etree
    >>> html = ("<body><div id='side'><p>" + "Read this, and that, " * 3 + "</p><a>Home</a></div>"
    ...         "<div id='story'><p>" + "The council met, and voted, " * 9 + "</p><p>" + "It rained, again, " * 8 + "</p></div></body>")
    >>> page = tree_lines(etree.fromstring(html, etree.HTMLParser()))
    >>> columns = container_columns(page, np.array([len(text) for text in page.texts], float), lambda tokens: 0)
    >>> columns["in_main_container"].tolist(), columns["container_score_share"].round(2).tolist()
    ([0.0, 0.0, 1.0, 1.0], [0.52, 0.52, 1.0, 1.0])
    """
    count = len(lines)
    columns = {name: np.zeros(count) for name in CONTAINER_NAMES}
    elements = lines.elements
    if elements is None or not count:
        return columns
    tags = np.asarray(lines.tags, dtype=object)
    paragraphs = np.isin(tags, PARAGRAPH_TAGS) & (chars >= MIN_PARAGRAPH_CHARS)
    commas = np.fromiter((text.count(",") + text.count("，") + text.count("、") for text in lines.texts),
                         dtype=np.float64, count=count)
    votes = 1.0 + commas + np.minimum(chars // 100, 3.0)
    element_count = len(elements.tags)
    content = np.zeros(element_count + 1)
    for level, weight in ((1, 1.0), (2, 0.5)):
        np.add.at(content, lines.block_ancestors[paragraphs, level], weight * votes[paragraphs])
    candidates = np.flatnonzero(content[:element_count] > 0)
    if not len(candidates):
        return columns
    priors = np.array([TAG_PRIORS.get(elements.tags[index], 0.0) + CLASS_WEIGHT * class_sign(elements.tokens[index])
                       for index in candidates])
    # Each candidate's lines are those whose innermost element lies in its numbering range: sum the
    # lines' characters over a range with cumulative sums in element order.
    order = np.argsort(lines.line_elements, kind="stable")
    sorted_elements = lines.line_elements[order]
    first = np.searchsorted(sorted_elements, candidates, side="left")
    last = np.searchsorted(sorted_elements, elements.ends[candidates], side="left")
    cumulative_chars = np.r_[0.0, np.cumsum(chars[order])]
    cumulative_links = np.r_[0.0, np.cumsum(lines.link_chars[order])]
    inside_chars = cumulative_chars[last] - cumulative_chars[first]
    link_density = (cumulative_links[last] - cumulative_links[first]) / np.maximum(inside_chars, 1.0)
    scores = (content[candidates] + priors) * (1.0 - link_density)
    ranked = np.argsort(-scores, kind="stable")[:SCORED_BLOCKS]
    best = ranked[0]
    best_score = scores[best]
    if best_score <= 0:
        return columns
    inside = ((lines.line_elements[None, :] >= candidates[ranked, None])
              & (lines.line_elements[None, :] < elements.ends[candidates[ranked]][:, None]))
    columns["in_main_container"] = inside[0].astype(np.float64)
    parent = elements.parents[candidates[best]]
    joins = (elements.parents[candidates[ranked]] == parent) & (scores[ranked] >= max(10.0, SIBLING_SHARE * best_score))
    joins[0] = True
    columns["in_main_article"] = inside[joins].any(axis=0).astype(np.float64)
    shares = np.clip(scores[ranked] / best_score, 0.0, 1.0)
    columns["container_score_share"] = (inside * shares[:, None]).max(axis=0)
    columns["main_container_char_share"] = np.full(count, inside_chars[best] / max(chars.sum(), 1.0))
    article_blocks = candidates[ranked[joins]]
    after = lines.line_elements >= elements.ends[article_blocks].max()
    columns["after_main_article"] = after.astype(np.float64)
    columns["before_main_article"] = (lines.line_elements < article_blocks.min()).astype(np.float64)
    main_paths = {lines.paths[line] for line in np.flatnonzero(inside[0]).tolist()}
    on_main_path = np.fromiter(map(main_paths.__contains__, lines.paths), dtype=bool, count=count)
    columns["on_main_path"] = on_main_path.astype(np.float64)
    columns["main_path_after"] = (on_main_path & after).astype(np.float64)
    return columns
