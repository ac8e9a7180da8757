"""Vocabularies: the cue phrases, class/id tokens and stop words that features look for.

Kept as data, apart from the code that uses them, so that a language or a cue can be added
without touching :mod:`linesift.features`. Phrases are lower-case regular-expression fragments, matched against lower-cased text with ``^``/``$`` at line ends;
each group covers English plus German, French, Spanish, Italian, Portuguese and Dutch where the
wording is common on the web; :data:`CJK_TEXT_CUES` adds Chinese, Japanese and Korean.
:func:`compile_cues` joins a category's fragments into one pattern, and :func:`cue_prefilter`
derives what a line must hold before that pattern can match in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Line-text cues by category. A line "has" the cue when any fragment occurs in its lower-cased text.
TEXT_CUES: dict[str, tuple[str, ...]] = {
    "share": (
        r"\bshare\b", r"\bteilen\b", r"\bpartager\b", r"\bcompartir\b", r"\bcondividi", r"\bcompartilh",
        r"\bdelen\b", r"\btweet\b", r"\bpin it\b", r"\bwhatsapp\b", r"\bfacebook\b", r"\btwitter\b",
        r"\blinkedin\b", r"\bcopy link\b", r"\bemail this\b", r"\bprint\b",
    ),
    "follow": (
        r"\bfollow\b", r"\bfolgen\b", r"\bsuivez\b", r"\bsíguenos\b", r"\bseguici\b", r"\bsiga-nos\b",
        r"\binstagram\b", r"\byoutube\b", r"\btiktok\b", r"\bpinterest\b",
    ),
    "subscribe": (
        r"\bsubscri", r"\bnewsletter", r"\bsign up\b", r"\babonn", r"\bsuscr", r"\biscriviti\b",
        r"\binscreva", r"\binbox\b", r"\bemail address\b", r"\be-mail\b", r"\bunsubscribe\b",
    ),
    "related": (
        r"\byou may also like\b", r"\byou might also like\b", r"\balso like\b", r"\brelated\b",
        r"\brecommended\b", r"\bread more\b", r"\bmore from\b", r"\bmore stories\b", r"\bpopular\b",
        r"\btrending\b", r"\bähnliche", r"\bweitere\b", r"\blire aussi\b", r"\bte puede interesar\b",
        r"\brelacionad", r"\bpotrebbe interessarti\b", r"\bleia também\b", r"\bsee also\b",
        r"\bmost read\b", r"\bdon't miss\b", r"\balso read\b", r"\bread next\b", r"\bup next\b",
        r"\bmore in\b", r"\bcustomers also\b", r"\bwhat to read next\b", r"\bmore like this\b",
    ),
    "cookies": (
        r"\bcookie", r"\bconsent\b", r"\bprivacy\b", r"\bdatenschutz\b", r"\bgdpr\b", r"\baccept all\b",
        r"\bconfidentialité\b", r"\bprivacidad\b",
    ),
    "copyright": (
        r"©", r"\bcopyright\b", r"\ball rights reserved\b", r"\balle rechte\b", r"\btous droits\b",
        r"\btodos los derechos\b", r"\bterms of (?:use|service)\b", r"\bimpressum\b", r"\bimprint\b",
        r"\bcookie policy\b", r"\blegal\b",
    ),
    "login": (
        r"\blog ?in\b", r"\bsign in\b", r"\bregister\b", r"\bmy account\b", r"\banmelden\b",
        r"\bconnexion\b", r"\biniciar sesión\b", r"\baccedi\b", r"\bpassword\b", r"\bforgot\b",
        r"\blog ?out\b", r"\bcart\b", r"\bbasket\b", r"\bwishlist\b",
    ),
    "comments": (
        r"\bcomments?\b", r"\brepl(?:y|ies)\b", r"\bleave a reply\b", r"\bkommentar", r"\bcommentaire",
        r"\bcomentario", r"\bcommento\b", r"\bresponder\b", r"\bantworten\b", r"\bquote\b",
    ),
    "navigation": (
        r"^home$", r"\bmenu\b", r"\bskip to\b", r"\bsearch\b", r"\bnext\b", r"\bprevious\b",
        r"\bback to top\b", r"\bpage \d+\b", r"\bcontact us\b", r"\babout us\b", r"\bsitemap\b",
        r"\bfaq\b", r"\bcareers\b", r"\bshow more\b", r"\bload more\b", r"\bview all\b", r"\bsee all\b",
        r"\bclose\b", r"^»", r"«$", r"›", r"→", r"\bstartseite\b", r"\baccueil\b", r"\binicio\b",
    ),
    "advert": (
        r"\badvertisement\b", r"\bsponsored\b", r"\banzeige\b", r"\bpublicité\b", r"\bpublicidad\b",
        r"\bpubblicità\b", r"\bad choices\b", r"\bpromoted\b", r"\bpartner content\b",
    ),
    "date": (
        r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b", r"\b\d{4}-\d{2}-\d{2}\b", r"\b\d+ (?:min|mins|minutes?|hours?|days?|weeks?) ago\b",
        r"\bmin read\b", r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}\b",
        r"\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}\b", r"\bupdated\b", r"\bpublished\b",
        r"\d{4}[./]\d{1,2}[./]\d{1,2}",
    ),
    "commerce": (
        r"[$€£¥]\s?\d", r"\d\s?[$€£¥]", r"\badd to (?:cart|bag|basket)\b", r"\bbuy now\b", r"\bin stock\b",
        r"\bout of stock\b", r"\bfree shipping\b", r"\bfree delivery\b", r"\bquantity\b", r"\breviews?\b",
        r"\brating\b", r"\bstars?\b",
    ),
}

#: The same categories' Chinese, Japanese and Korean phrases. Kept apart because they are matched
#: anywhere in a line (those scripts have no word boundaries to anchor on), which costs a scan per
#: position: :mod:`linesift.text_stats` runs them only on pages that hold CJK or Hangul characters.
CJK_TEXT_CUES: dict[str, tuple[str, ...]] = {
    "share": ("分享|シェア|공유",),
    "follow": ("关注我们|關注我們|フォロー|팔로우",),
    "subscribe": ("订阅|訂閱|購読|メルマガ|구독",),
    "related": ("相关文章|相關文章|相关阅读|相關閱讀|相关推荐|相關推薦|猜你喜欢|热门文章|熱門文章|热门推荐|延伸阅读|延伸閱讀|こちらもおすすめ|関連記事|人気記事|관련 기사|인기 기사|추천 기사",),
    "cookies": ("クッキー|쿠키|隐私|隱私|プライバシー|개인정보",),
    "copyright": ("版权|版權|著作権|저작권|免责声明|免責聲明|利用規約|이용약관",),
    "login": ("登录|登錄|登入|注册|註冊|ログイン|会員登録|로그인|회원가입|购物车|購物車|カート|장바구니",),
    "comments": ("评论|評論|回复|回覆|留言|コメント|返信|댓글|답글",),
    "navigation": ("首页|首頁|ホーム|上一页|下一页|上一篇|下一篇|次へ|前へ|返回顶部|搜索|検索|검색",),
    "advert": ("广告|廣告|広告|광고|赞助|贊助",),
    "date": ("分钟前|小时前|天前|分前|時間前|日前|분 전|시간 전|일 전|发布时间|發布時間|投稿日|작성일",),
}

#: A short link line that leads away from a teaser ("Read more", "See all 12", "Weiterlesen ›"): it
#: ends a card rather than opening a block, so it is kept apart from the "related" headings.
MORE_LINK = (
    r"^[^\w\n]*(?:read|see|view|show|load|continue reading|learn|find out|weiterlesen|mehr|lire la suite|"
    r"leer más|leggi|ler mais|lees meer)\b.{0,12}$"
)

#: Category cues that open a block of boilerplate below them ("You May Also Like" and its teasers).
BLOCK_OPENERS = ("related", "comments", "copyright", "subscribe")

#: Class/id token cues by category: a line "has" one when an enclosing element's class or id token
#: contains any of the fragments (``"sidebar-widget"`` gives the tokens ``sidebar`` and ``widget``).
#: Fragments are plain lower-case letters and digits, matched as substrings, not regular expressions.
CLASS_CUES: dict[str, tuple[str, ...]] = {
    "nav": ("nav", "menu", "breadcrumb", "pagination", "pager", "skip", "toc"),
    "header": ("header", "masthead", "topbar"),
    "footer": ("footer", "copyright", "bottom", "colophon"),
    "sidebar": ("sidebar", "aside", "rail", "widget"),
    "share": ("share", "social", "sharing", "follow"),
    "related": ("related", "recommend", "more", "teaser", "popular", "trending", "suggest", "outbrain", "taboola"),
    "comment": ("comment", "reply", "respond", "discussion", "disqus"),
    "ad": ("advert", "sponsor", "promo", "banner", "dfp", "gpt"),
    "cookie": ("cookie", "consent", "gdpr", "privacy"),
    "newsletter": ("newsletter", "subscribe", "signup", "optin"),
    "modal": ("modal", "popup", "overlay", "dialog", "drawer", "hidden", "offcanvas", "dropdown"),
    "meta": ("meta", "byline", "author", "date", "tag", "categor", "label", "badge"),
    "content": ("content", "article", "entry", "story", "body", "post", "text", "prose", "main"),
    "product": ("product", "description", "detail", "spec", "feature", "review", "price"),
    "listing": ("card", "item", "tile", "grid", "list", "result", "teaser"),
    "forum": ("message", "thread", "topic", "answer", "question", "forum"),
    "docs": ("doc", "markdown", "api", "reference", "guide", "manual"),
    "title": ("title", "heading", "headline"),
    "caption": ("caption", "credit", "figure", "image", "photo", "gallery"),
    "form": ("form", "search", "login", "input", "button", "btn"),
}

#: Common function words; their share in a line separates prose from labels and link lists.
STOP_WORDS = frozenset(
    """
    a about after all also an and any are as at be because been but by can could did do does for from had has
    have he her his how i if in into is it its just like may more most my no not of on one only or other our out
    over she so some such than that the their them then there these they this to up was we were what when where
    which who will with would you your
    aber als am an auch auf aus bei bis das dass dem den der des die doch ein eine einem einen einer es für hat
    ich im ist kann mit nach nicht noch nur oder sich sie sind so um und uns von vor war wie wir wird zu zum zur
    au aux avec ce ces dans de des du elle en est et il ils je la le les leur mais ne nous ou par pas plus pour
    qu que qui sa se ses son sur un une vous y
    al como con del el ella es esta este fue ha hay la las lo los más muy no para pero por que se ser si sin sobre
    su sus también un una uno y
    alla anche che chi come da dei della delle di gli ha il le nel non per più sono una
    ao aos com da das do dos ela ele em era foi mais na nas no nos os para pela pelo por se sem seu sua são uma
    bij dat een het hij ik is met niet nog om ook op te tot van voor wat ze zijn
    """.split()
)


def compile_cues(cues: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    """Join each category's fragments into one line-anchored regular expression for lower-case text.

    Fragments that start at a word boundary share one ``\\b(?:...)`` group: the engine then tries
    the alternatives only at word starts, which made matching four times faster on wcxb-dev pages
    than one ``(?:...)`` per fragment with ``re.IGNORECASE``. An empty category is an error, so
    that a vocabulary edit cannot silently disable a cue.
    """
    compiled = {}
    for name, fragments in cues.items():
        if not fragments:
            raise ValueError(f"cue category {name!r} has no fragments")
        compiled[name] = _compile_fragments(fragments)
    return compiled


def _compile_fragments(fragments: tuple[str, ...]) -> re.Pattern[str]:
    """Fragments as one pattern, those at a word start sharing one ``\\b(?:...)`` group (:func:`compile_cues`)."""
    at_word_start = [fragment[2:] for fragment in fragments if fragment.startswith(r"\b")]
    elsewhere = [fragment for fragment in fragments if not fragment.startswith(r"\b")]
    alternatives = ([r"\b(?:" + "|".join(at_word_start) + ")"] if at_word_start else []) + elsewhere
    return re.compile("|".join(alternatives), re.MULTILINE)


@dataclass(frozen=True)
class CuePrefilter:
    """What a line needs before a cue category's pattern can match in it, tested far faster than the pattern.

    A match of ``pattern`` (the category's fragments that stay within a line) can start only
    where one of the line's lower-cased words starts with one of ``word_leads``, or where
    ``trigger`` matches; on other lines it need not run. ``spanning`` holds the fragments that
    may cross a line break (``\\s``), scanned over the whole page.
    """

    word_leads: tuple[str, ...]
    trigger: re.Pattern[str] | None
    pattern: re.Pattern[str]
    spanning: re.Pattern[str] | None


def cue_prefilter(fragments: tuple[str, ...]) -> CuePrefilter | None:
    """The prefilter of a category's fragments, or None when one of them has no plain start to test.

    A fragment anchored at a word start (``\\b`` or ``^``) by letters leads with the longest
    word that its matches hold (the last letter dropped when it is optional); ``(?:jan|feb)`` leads
    with each alternative; a fragment that starts with ``\\d``, a character class or another
    literal character triggers on it. A fragment that may match a line break (``\\s``) is left to
    the page-wide scan of ``spanning``: that scan credits a match to the line where it starts,
    which may hold nothing else of it (``5\\n$``). Scanned apart, the two groups find the lines
    that one scan of the whole category finds only when their matches never share a character
    (prices against words, in ``commerce``): ``tests/test_text_stats.py`` compares them.

    >>> prefilter = cue_prefilter((r"\\bcomments?\\b", r"\\blog ?in\\b", r"©", r"\\d{4}"))
    >>> prefilter.word_leads, prefilter.trigger.pattern, prefilter.spanning
    (('comment', 'log'), '(?:©|\\\\d)[^\\\\n]*', None)
    >>> cue_prefilter((r"\\bshare\\b", r"(?:x|y)")) is None, cue_prefilter((r"\\d\\s?€",)) is None
    (True, True)
    >>> cue_prefilter((r"\\d\\s?€", r"\\bin stock\\b")).spanning.pattern
    '\\\\d\\\\s?€'
    """
    spanning = tuple(fragment for fragment in fragments if "\\s" in fragment)
    within = tuple(fragment for fragment in fragments if "\\s" not in fragment)
    if not within:
        return None
    leads: list[str] = []
    triggers: list[str] = []
    for fragment in within:
        start = _fragment_start(fragment)
        if start is None:
            return None
        (leads if start[0] == "lead" else triggers).extend(start[1])
    # The rest of the line after a trigger is part of its match, so that a line matches once at most.
    trigger = re.compile("(?:" + "|".join(dict.fromkeys(triggers)) + ")[^\\n]*") if triggers else None
    return CuePrefilter(
        tuple(sorted(set(leads))),
        trigger,
        _compile_fragments(within),
        _compile_fragments(spanning) if spanning else None,
    )


_OPTIONAL = ("?", "*", "{")
_LETTERS = re.compile(r"[^\W\d_]+")
_LETTER_ALTERNATIVES = re.compile(r"\(\?:([^\W\d_]+(?:\|[^\W\d_]+)*)\)")
#: Letters and the literal characters that part words (a line's words are split at each), as a fragment begins.
_LITERAL_WORDS = re.compile(r"(?:[^\W\d_]|[ '’-])+")


def _fragment_start(fragment: str) -> tuple[str, list[str]] | None:
    """``("lead", letters)`` or ``("trigger", patterns)`` for how a match of ``fragment`` starts; None if neither.

    The lead is the longest word a match must hold at a word start (``\\byou may also like``:
    ``also``), the rarest on the web being the longest, so that fewer lines pass.
    """
    if _alternates_at_top(fragment):
        return None
    anchored = fragment.startswith(("\\b", "^"))
    body = fragment[2:] if fragment.startswith("\\b") else fragment.removeprefix("^")
    if body.startswith("\\d"):
        return "trigger", ["\\d"]
    if body.startswith("[") and not body.startswith("[^"):
        return "trigger", [body[: body.index("]") + 1]]
    group = _LETTER_ALTERNATIVES.match(body)
    if anchored and group and not body[group.end() : group.end() + 1] in _OPTIONAL:
        return "lead", group[1].split("|")
    literal = _LITERAL_WORDS.match(body)
    if anchored and literal:
        # A character made optional by the quantifier after it is no part of the words a match holds.
        words = literal[0][:-1] if body[literal.end() : literal.end() + 1] in _OPTIONAL else literal[0]
        leads = _LETTERS.findall(words)
        return ("lead", [max(leads, key=len)]) if leads else None
    if body and not body[0].isalnum() and body[0] not in "\\()[]{}?*+.|$^":
        return "trigger", [re.escape(body[0])]
    return None


def _alternates_at_top(fragment: str) -> bool:
    """Whether ``fragment`` holds a ``|`` outside its groups and classes (``a|b``, not ``(?:a|b)``)."""
    depth, in_class, escaped = 0, False, False
    for char in fragment:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False
