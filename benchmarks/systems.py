"""The systems under test, each called the way its documentation shows, with default settings.

A system is built inside its worker process (imports happen there), so one that fails to import
is reported as unavailable instead of stopping the benchmark.
"""

from __future__ import annotations

import html as html_escaping
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata

import line_filters

Extract = Callable[[str], str]

HTML_INPUT = "html"
RENDERINGS = ("html-text", "inscriptis")
TEXT_INPUTS = tuple(f"text:{renderer}" for renderer in RENDERINGS)
INPUTS = (HTML_INPUT, *TEXT_INPUTS)


@dataclass(frozen=True)
class System:
    """A named extractor: how to build its per-page function and which packages it is made of."""

    name: str
    build: Callable[[], Extract]
    packages: tuple[str, ...]

    def versions(self) -> dict[str, str | None]:
        """Installed version of each package the system uses."""
        return package_versions(self.packages)


def package_versions(packages: Iterable[str]) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    found: dict[str, str | None] = {}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


def _linesift_models_loaded() -> None:
    """Load the bundled models now, so that a missing model makes linesift unavailable, not 0 F1."""
    from linesift.api import default_extractor

    default_extractor()


def _linesift_html() -> Extract:
    import linesift

    _linesift_models_loaded()
    return linesift.extract


def _linesift_text() -> Extract:
    import linesift

    _linesift_models_loaded()
    return linesift.clean_text


def _trafilatura() -> Extract:
    import trafilatura

    return lambda html: trafilatura.extract(html) or ""


def _justext_paragraphs() -> Extract:
    import justext

    stoplist = justext.get_stoplist("English")

    def extract(html: str) -> str:
        paragraphs = justext.justext(html, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return extract


def _justext_lines() -> Extract:
    """jusText on plain text: each line becomes one ``<p>`` so jusText classifies lines."""
    extract_html = _justext_paragraphs()

    def extract(text: str) -> str:
        body = "".join(f"<p>{html_escaping.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
        return extract_html(f"<html><body>\n{body}</body></html>") if body else ""

    return extract


def _boilerpy3() -> Extract:
    from boilerpy3 import extractors

    extractor = extractors.ArticleExtractor()
    return extractor.get_content


def _readability() -> Extract:
    import html_text
    from readability import Document

    # summary() returns HTML; html-text turns it into text with word boundaries at block tags.
    return lambda html: html_text.extract_text(Document(html).summary())


def _goose3() -> Extract:
    from goose3 import Goose

    goose = Goose()
    return lambda html: goose.extract(raw_html=html).cleaned_text or ""


def _newspaper4k() -> Extract:
    import newspaper

    def extract(html: str) -> str:
        # fetch_images=False: the default downloads the page's images to choose a top image,
        # which waits on the network (seconds per page offline) and does not change the text.
        article = newspaper.Article("", fetch_images=False)
        article.download(input_html=html)
        article.parse()
        return article.text or ""

    return extract


def _resiliparse() -> Extract:
    from resiliparse.extract.html2text import extract_plain_text

    return lambda html: extract_plain_text(html, main_content=True)


def _html_text() -> Extract:
    import html_text

    return html_text.extract_text


def _line_filter(function: Extract) -> Callable[[], Extract]:
    return lambda: function


HTML_SYSTEMS: dict[str, System] = {
    system.name: system
    for system in (
        System("linesift", _linesift_html, ("linesift",)),
        System("trafilatura", _trafilatura, ("trafilatura",)),
        System("justext", _justext_paragraphs, ("jusText",)),
        System("boilerpy3", _boilerpy3, ("boilerpy3",)),
        System("readability-lxml", _readability, ("readability-lxml", "html-text")),
        System("goose3", _goose3, ("goose3",)),
        System("newspaper4k", _newspaper4k, ("newspaper4k",)),
        System("resiliparse", _resiliparse, ("resiliparse",)),
        System("html-text", _html_text, ("html-text",)),
    )
}

TEXT_SYSTEMS: dict[str, System] = {
    system.name: system
    for system in (
        System("linesift", _linesift_text, ("linesift",)),
        System("c4-lines", _line_filter(line_filters.c4_lines), ()),
        System("fineweb-gopher-lines", _line_filter(line_filters.fineweb_gopher_lines), ()),
        System("justext-lines", _justext_lines, ("jusText",)),
        System("keep-all", _line_filter(line_filters.keep_all), ()),
        System("five-words", _line_filter(line_filters.five_words), ()),
    )
}

ALL_NAMES = tuple(dict.fromkeys([*HTML_SYSTEMS, *TEXT_SYSTEMS]))


def system_for(name: str, input_name: str) -> System | None:
    """The system ``name`` for ``input_name`` (None when it takes no such input)."""
    table = HTML_SYSTEMS if input_name == HTML_INPUT else TEXT_SYSTEMS
    return table.get(name)


def renderer_of(input_name: str) -> str | None:
    """The renderer behind a ``text:<renderer>`` input (None for HTML)."""
    return input_name.split(":", 1)[1] if input_name.startswith("text:") else None


def slug(system: str, input_name: str) -> str:
    """File-name stem for one system on one input, e.g. ``c4-lines__text-inscriptis``."""
    return f"{system}__{input_name.replace(':', '-')}"
