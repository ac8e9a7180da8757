"""Invariants on generated input (hypothesis): kept lines come from the input, output repeats, only InputError escapes.

Example counts are kept modest so that the file runs in well under 30 seconds.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

import linesift
from linesift import InputError

# Derandomized: CI sees the same examples every run; fuzz/fuzz_extract.py explores beyond them.
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

#: Pieces of HTML, well-formed or not, that generated pages are made of.
MARKUP = st.sampled_from(
    [
        "<p>", "</p>", "<div class='nav menu'>", "</div>", "<a href='/x'>", "</a>", "<br>", "<li>", "<ul>", "</ul>",
        "<table><tr><td>", "</td>", "<h1>", "</h1>", "<script>var x = '<p>';</script>", "<style>p{}</style>",
        "<!-- c -->", "<!--", "&amp;", "&#0;", "&bogus;", "<", ">", "<?xml version='1.0' encoding='utf-8'?>",
        "<meta charset='latin-1'>", "<span hidden>h</span>", "<pre>a\nb</pre>", "<p <<>>", "\n", " ",
    ]
)
WORDS = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
HTML = st.lists(st.one_of(MARKUP, WORDS), max_size=40).map("".join)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Predict on one thread: on a busy machine OpenMP's thread pool stalls small predictions for seconds."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def extractor() -> linesift.Extractor:
    return linesift.Extractor()


def _extract_or_input_error(extractor: linesift.Extractor, document, **kwargs) -> str | None:
    """The extracted text, or None when the input is refused with a documented InputError."""
    try:
        return extractor.extract(document, **kwargs)
    except InputError:
        return None


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(line in rest for line in part)


@SETTINGS
@given(text=st.text(alphabet=st.characters(exclude_categories=["Cs"])).filter(lambda t: not t.startswith("\ufeff")))
def test_clean_text_keeps_a_subsequence_of_the_input_lines(extractor, text):
    kept = _extract_or_input_error(extractor, text, mode="text")
    if kept:
        assert _is_subsequence(kept.split("\n"), [line.strip() for line in text.splitlines() if line.strip()])


@SETTINGS
@given(lines=st.lists(st.sampled_from(["Home", "Share this", "© 2024 Example", "Read more", ""]) | WORDS, max_size=30))
def test_clean_text_on_line_lists_keeps_a_subsequence(extractor, lines):
    text = "\n".join(lines)
    kept = _extract_or_input_error(extractor, text, mode="text")
    if kept:
        assert _is_subsequence(kept.split("\n"), [line.strip() for line in text.splitlines() if line.strip()])


@SETTINGS
@given(
    document=st.one_of(HTML, st.text(alphabet=st.characters(exclude_categories=[])), st.binary()),
    mode=st.sampled_from(["auto", "html", "text"]),
)
def test_arbitrary_input_raises_nothing_but_input_error_and_repeats(extractor, document, mode):
    first = _extract_or_input_error(extractor, document, mode=mode)
    assert _extract_or_input_error(extractor, document, mode=mode) == first


@SETTINGS
@given(document=HTML, encoding=st.sampled_from([None, "utf-8", "cp1252", "utf-16", "shift_jis", "nonsense"]))
def test_html_bytes_in_any_encoding_decode_without_error(extractor, document, encoding):
    data = document.encode(encoding if encoding in {"cp1252", "utf-16", "shift_jis"} else "utf-8", errors="replace")
    try:
        lines = extractor.classify(data, encoding=encoding)
    except InputError:
        return
    assert all(line.text and line.text == line.text.strip() for line in lines)
