"""One gateway in: turn whatever the caller passed (text or HTML, ``str`` or ``bytes``) into :class:`Lines`.

Every public call goes through :func:`load_lines`, so that decoding, HTML detection and the input
limits are decided in one place. ``docs/limits.md`` lists each limit, its default and what happens
beyond it; every limit is a parameter of :func:`load_lines`.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass
from html import unescape
from typing import Literal, NamedTuple

from bs4.dammit import EncodingDetector
from lxml import etree

from linesift.errors import InputError, InputTooLarge
from linesift.lines import BLOCK_TAGS, SKIPPED_TAGS, Lines, text_lines, tree_lines

#: What the public functions accept as a document.
Document = str | bytes
#: ``"auto"`` detects HTML; ``"html"`` and ``"text"`` force the mode.
InputMode = Literal["auto", "html", "text"]
INPUT_MODES = ("auto", "html", "text")

# Costs at each limit: end to end through Extractor.extract, measured on 2 busy cores with the
# command in docs/limits.md; page counts from the 1,358 pages of wcxb-dev.

#: Largest input, in characters. A 50 MB page of inline data passes (2.7 s, 380 MB peak); 12 times
#: the largest wcxb-dev page (5.3 million characters).
MAX_INPUT_CHARS = 64_000_000
#: Most markup tags in an HTML document, counted as ``<`` before parsing, to bound the tree and the
#: walk over it (249,000 paragraphs: 14.5 s, 340 MB). 23 times the most in a wcxb-dev page (21,646).
MAX_TAGS = 500_000
#: Most lines in a document (100,000 lines: 16 s, 350 MB). 38 times the most in a wcxb-dev page (2,641).
MAX_LINES = 100_000
#: Most characters over all lines (one line of 5 million: 8.8 s, 270 MB). 46 times the most in a
#: wcxb-dev page (107,590).
MAX_TEXT_CHARS = 5_000_000
#: No time budget by default: the limits above bound the work, and a wall-clock limit would make the
#: same document pass on an idle machine and fail on a busy one.
MAX_SECONDS: float | None = None

#: Bytes read to recognise binary data and UTF-16 without a byte order mark: file signatures and
#: headers sit in the first few hundred.
_SNIFF_BYTES = 4096
#: Bytes searched for ``<meta charset>`` or an XML declaration: 16 times the 1,024 bytes of the HTML
#: standard's prescan, for pages that put it after inline scripts.
_DECLARATION_BYTES = 16_384
#: Bytes around the first non-UTF-8 byte given to the encoding detector; chardet reads about 8 µs a
#: byte (measured), and a few KB of non-ASCII text settle its guess.
_DETECT_BYTES = 16_384
#: Share of NUL bytes from which input is binary. Text has none; UTF-16 (half NULs) is recognised
#: before this check; images, archives and executables have many in their first 4 KB.
_BINARY_NUL_SHARE = 0.01
#: Share of control characters (C0 but tab, line breaks, form feed and escape) from which input is
#: binary though it has few NULs: random bytes have about 10 % of them, text practically none.
_BINARY_CONTROL_SHARE = 0.05
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
#: A document that is nothing but a web address: linesift does not fetch pages.
_URL_ONLY = re.compile(r"\A\s*(?:https?|ftp)://\S+\s*\Z", re.IGNORECASE)
#: Share of UTF-16 code units with a NUL byte from which BOM-less input is taken for UTF-16: the
#: ASCII markup of an HTML page is most of it.
_UTF16_NUL_SHARE = 0.5
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Labels that the WHATWG Encoding Standard maps to a superset, which pages so labelled really use.
_WEB_CODECS = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030",
               "shift_jis": "cp932", "euc_kr": "cp949", "iso8859-9": "cp1254", "tis-620": "cp874"}
#: chardet 5 takes short windows-1251 samples for MacCyrillic, which web pages practically never use.
_DETECTOR_MISTAKES = {"mac-cyrillic": "cp1251"}
#: Magic numbers of files passed by mistake: PDF, PNG, JPEG, GIF, gzip, zip, RIFF (WebP, WAV), ICO, xz, 7z,
#: ELF, Matroska/WebM, zstd. Only those no text starts with; NULs give away most other binaries.
_BINARY_SIGNATURES = (
    b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"\x1f\x8b", b"PK\x03\x04", b"RIFF", b"\x00\x00\x01\x00",
    b"\xfd7zXZ", b"7z\xbc\xaf", b"\x7fELF", b"\x1a\x45\xdf\xa3", b"\x28\xb5\x2f\xfd",
)
#: Bytes that are never inside a character of UTF-8 or the legacy multibyte encodings (Shift_JIS,
#: EUC, GBK/GB18030, Big5): a detection sample cut at one splits no character.
_SAFE_CUTS = (b"\n", b" ", b"<", b">")
_DECLARED_CHARSET = re.compile(
    rb"""\A\s*<\?xml[^<>]*?encoding\s*=\s*["']([\w.:-]+)|<meta[^<>]*?charset\s*=\s*["']?\s*([\w.:-]+)""",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"\A(?:\s*<\?xml[^<>]*>)+")
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_START = ("{", "[")
_HTML_SIGNATURE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|table|tr|td|h[1-6]|section|article|img|meta|link|script)\b[^>]*>", re.IGNORECASE)
#: One tag, comment opener, doctype or processing instruction; ``[^<>]`` keeps every try short.
_MARKUP = re.compile(r"<!--|<[!?][^<>]*>|<(/?)([a-zA-Z][^\s/<>]*)[^<>]*>")
_HIDDEN_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in SKIPPED_TAGS}
#: Elements whose content is raw text up to their end tag: unclosed, they hide the rest of the page.
_RAW_TEXT = frozenset({"script", "style"})


@dataclass(frozen=True)
class Limits:
    """Limits on each document (see ``docs/limits.md``); beyond one, :class:`InputTooLarge` is raised, nothing is cut.

    >>> Limits(max_lines=500).max_lines
    500
    """

    max_chars: int = MAX_INPUT_CHARS
    max_tags: int = MAX_TAGS
    max_lines: int = MAX_LINES
    max_text_chars: int = MAX_TEXT_CHARS
    max_seconds: float | None = MAX_SECONDS

    def __post_init__(self) -> None:
        for name in ("max_chars", "max_tags", "max_lines", "max_text_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TypeError(f"Limits.{name} must be a whole number >= 0, not {value!r}")
        seconds = self.max_seconds
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0):
            raise TypeError(f"Limits.max_seconds must be None or a number of seconds > 0, not {seconds!r}")


class ReadPage(NamedTuple):
    """A document read in: its lines, and its decoded text (for the title and language)."""

    lines: Lines
    text: str


def decode(data: bytes, encoding: str | None = None) -> str:
    """Decode bytes by, in order: a BOM, ``encoding`` (e.g. an HTTP charset), ``<meta charset>``, UTF-8, detection.

    The order browsers follow (WHATWG encoding sniffing); an ``encoding`` Python does not know is
    ignored, as browsers ignore unknown labels. Undecodable bytes become U+FFFD rather than failing
    the page. Raises :class:`InputError` for binary data (images, archives, PDF).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    head = data[:_SNIFF_BYTES]
    given = _codec(encoding)
    wide = given if given and given.startswith(("utf-16", "utf-32")) else _utf16_without_bom(head)
    if wide:
        return data.decode(wide, errors="replace")
    _reject_binary(head)
    for declared in (given, _declared_codec(data[:_DECLARATION_BYTES])):
        if declared is None:
            continue
        try:
            return data.decode(declared, errors="replace")
        except (LookupError, UnicodeError):  # a label naming no character encoding (hex, idna): ignored
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Damaged UTF-8 (a truncated download, a stray byte) is mostly valid multibyte characters;
        # legacy 8-bit text almost never forms one, so it is left to detection.
        text = data.decode("utf-8", errors="replace")
        invalid = text.count("\ufffd")
        if len(text) - len(text.encode("ascii", errors="ignore")) - invalid >= invalid:
            return text
        return data.decode(_detect(data, error.start), errors="replace")


def _codec(label: str | None) -> str | None:
    """Python's codec for an encoding label, or None when there is no label or Python does not know it."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except (LookupError, ValueError):
        return None
    return _WEB_CODECS.get(name, name)


def _utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when NULs fill one byte of most code units and never the other."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 2:
        return None
    if odd.count(0) >= _UTF16_NUL_SHARE * len(odd) and not even.count(0):
        return "utf-16-le"
    if even.count(0) >= _UTF16_NUL_SHARE * len(even) and not odd.count(0):
        return "utf-16-be"
    return None


def _reject_binary(head: bytes) -> None:
    if head.startswith(b"\x1f\x8b"):
        raise InputError("the input is gzip-compressed binary data; pass gzip.decompress(data) (the CLI reads .gz files itself)")
    if (
        head.startswith(_BINARY_SIGNATURES)
        or head.count(0) > _BINARY_NUL_SHARE * len(head)
        or len(_CONTROL_BYTES.findall(head)) > _BINARY_CONTROL_SHARE * len(head)
    ):
        raise InputError(
            "the input looks like binary data (an image, archive, PDF or program), not HTML or text; "
            "pass the page itself, or its text"
        )


def _declared_codec(head: bytes) -> str | None:
    """The codec an XML declaration or ``<meta charset>`` names; UTF-16/32 named there are wrong (ASCII bytes)."""
    match = _DECLARED_CHARSET.search(head)
    codec = _codec((match.group(1) or match.group(2)).decode("ascii")) if match else None
    return None if codec is None or codec.startswith(("utf-16", "utf-32")) else codec


def _detect(data: bytes, error_at: int) -> str:
    """Guess the encoding from the bytes around the first one that is not UTF-8 (windows-1252 if no guess)."""
    window = data[max(error_at - _DETECT_BYTES // 2, 0) : error_at + _DETECT_BYTES // 2]
    first = min((i for i in (window.find(cut) for cut in _SAFE_CUTS) if i >= 0), default=0)
    last = max(window.rfind(cut) for cut in _SAFE_CUTS)
    sample = window[first:last] if last > first else window
    candidates = EncodingDetector(sample, is_html=True, exclude_encodings=["utf-8", "ascii"]).encodings
    codec = _codec(next(candidates, None)) or "cp1252"
    return _DETECTOR_MISTAKES.get(codec, codec)


def looks_like_html(text: str) -> bool:
    """Guess whether ``text`` is HTML: a document signature, or several common tags near its start; JSON is not."""
    head = text[:4096]
    if head.lstrip()[:1] in _JSON_START:
        return False
    return bool(_HTML_SIGNATURE.search(head)) or len(_HTML_TAG.findall(head)) >= 3


def load_lines(
    document: Document,
    *,
    mode: InputMode = "auto",
    encoding: str | None = None,
    max_chars: int = MAX_INPUT_CHARS,
    max_tags: int = MAX_TAGS,
    max_lines: int = MAX_LINES,
    max_text_chars: int = MAX_TEXT_CHARS,
    max_seconds: float | None = MAX_SECONDS,
) -> Lines:
    """Decode ``document``, decide HTML or text, and cut it into lines, within the limits.

    Raises ``TypeError`` for anything but ``str`` or ``bytes``, :class:`InputError` for binary data,
    and :class:`InputTooLarge` beyond a limit: ``max_chars`` characters, ``max_tags`` tags (HTML),
    ``max_lines`` lines, ``max_text_chars`` characters of line text, or ``max_seconds`` (checked
    after decoding, parsing and cutting). Nothing is cut silently. Empty input gives no lines.
    """
    limits = Limits(max_chars, max_tags, max_lines, max_text_chars, max_seconds)
    return read_page(document, mode=mode, encoding=encoding, limits=limits).lines


def read_page(document: Document, *, mode: InputMode = "auto", encoding: str | None = None, limits: Limits = Limits()) -> ReadPage:
    """:func:`load_lines` with the limits as one value, keeping the decoded text beside the lines."""
    if mode not in INPUT_MODES:
        raise ValueError(f"mode must be one of {', '.join(map(repr, INPUT_MODES))}, not {mode!r}")
    if encoding is not None and not isinstance(encoding, str):
        raise TypeError(f"encoding must be a str such as 'utf-8', or None, not {type(encoding).__name__}")
    started = time.monotonic()
    text = _as_text(document, encoding, limits.max_chars)
    _check_time(started, limits.max_seconds, "decoding")
    if not text or text.isspace():
        return ReadPage(text_lines(""), text)
    if len(text) < 2048 and _URL_ONLY.match(text):
        raise InputError(
            f"the document is a web address ({text.strip()[:80]}), and linesift does not fetch pages; "
            "download the page (e.g. with urllib.request or curl) and pass its HTML"
        )
    is_html = looks_like_html(text) if mode == "auto" else mode == "html"
    if is_html:
        _check_limit(text.count("<"), limits.max_tags, "markup tags", "max_tags")
        lines = _html_lines(text, started, limits.max_seconds)
    else:
        lines = text_lines(text)
    _check_limit(len(lines), limits.max_lines, "lines", "max_lines")
    _check_limit(sum(map(len, lines.texts)), limits.max_text_chars, "characters of text in its lines", "max_text_chars")
    _check_time(started, limits.max_seconds, "cutting into lines")
    return ReadPage(lines, text)


def _as_text(document: Document, encoding: str | None, max_chars: int) -> str:
    """``document`` as a ``str`` of at most ``max_chars`` characters, without BOM or lone surrogates."""
    if isinstance(document, (bytes, bytearray, memoryview)):
        data = bytes(document)
        if len(data) > 4 * max_chars:  # no encoding takes more than 4 bytes a character
            raise InputTooLarge(
                f"the document has {len(data):,} bytes, more than 4 for each of max_chars={max_chars:,} "
                "characters; pass a larger max_chars or split the input"
            )
        text = decode(data, encoding)
    elif isinstance(document, str):
        _check_limit(len(document), max_chars, "characters", "max_chars")
        _reject_binary(document[:_SNIFF_BYTES].encode("latin-1", errors="replace"))
        text = _without_surrogates(document.removeprefix("\ufeff"))
    else:
        raise TypeError(f"expected the document as str or bytes, got {type(document).__name__}")
    _check_limit(len(text), max_chars, "characters", "max_chars")
    return text


def _without_surrogates(text: str) -> str:
    """``text`` with lone surrogates made U+FFFD: lxml cuts a document at one, and printing one fails.

    A text that encodes as UTF-8 has none; checking that costs a tenth of the regular expression's
    scan of a whole page (2 ms a wcxb-dev page), which runs only where it finds one.
    """
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub("\ufffd", text)
    return text


def _html_lines(text: str, started: float, max_seconds: float | None) -> Lines:
    """Parse and walk HTML; if libxml2 cannot parse it whole, cut a tag-stripped rendering instead.

    libxml2 stops at 2,048 levels of nesting even with ``huge_tree`` and drops everything after that
    point; a document without any element raises. On a wcxb-dev sample wrapped in 3,000 ``<div>``,
    the stripped rendering kept word F1 at 0.90 (0.97 unwrapped), flattening the excess nesting
    only 0.67, so the rendering is the fallback.
    """
    # lxml refuses a str that starts with an encoding declaration (however many are repeated, as
    # hypothesis found); the text is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    # libxml2 drops everything after </html>, where browsers keep it in the body: 15 of the 1,358
    # wcxb-dev pages have text there, one of them its whole article.
    text = _HTML_END.sub("", text)
    # lxml.etree's parser, not lxml.html's: the same libxml2 tree, but lxml.html picks each
    # element's Python class by a Python callback, once per element the walk touches.
    parser = etree.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    root = etree.fromstring(text, parser)
    _check_time(started, max_seconds, "parsing")
    if root is None or parser.error_log.filter_levels(etree.ErrorLevels.FATAL):
        return text_lines(_strip_markup(text))
    return tree_lines(root)


def _strip_markup(text: str) -> str:
    """A plain-text rendering of HTML: block elements and ``<br>`` end lines; comments and hidden elements go.

    As in browsers, an unclosed comment, script or style runs to the end; other unclosed hidden
    elements (an unclosed ``<head>``) keep their text. One forward scan, remembering which end tags
    are missing, so it stays linear in the input whatever is left unclosed.
    """
    parts: list[str] = []
    unclosed: set[str] = set()
    position = 0
    while match := _MARKUP.search(text, position):
        parts.append(text[position : match.start()])
        position = match.end()
        name = (match.group(2) or "").lower()
        if match.group(0) == "<!--":
            end = text.find("-->", position)
            position = len(text) if end < 0 else end + 3
        elif name in _HIDDEN_END and not match.group(1) and name not in unclosed:
            closing = _HIDDEN_END[name].search(text, position)
            if closing is not None:
                position = closing.end()
                parts.append("\n" if name in BLOCK_TAGS else "")
            elif name in _RAW_TEXT:
                position = len(text)
            else:
                unclosed.add(name)
        elif name in BLOCK_TAGS or name == "br":
            parts.append("\n")
    parts.append(text[position:])
    return unescape("".join(parts))


def _check_limit(value: int, limit: int, what: str, parameter: str) -> None:
    if value > limit:
        raise InputTooLarge(
            f"the document has {value:,} {what}, over the limit of {limit:,}; "
            f"pass a larger {parameter} or split the input"
        )


def _check_time(started: float, max_seconds: float | None, stage: str) -> None:
    elapsed = time.monotonic() - started
    if max_seconds is not None and elapsed > max_seconds:
        raise InputTooLarge(
            f"the document took {elapsed:.1f} s up to {stage}, over the budget of {max_seconds} s; "
            "pass a larger max_seconds or split the input"
        )
