"""Hostile and unusual input: each gets a sensible result or a documented InputError, never a hang or a crash.

The limits and behaviours tested here are listed in docs/limits.md. No test asserts a time: each
case is sized to finish in well under a second or two, so the whole file stays fast.
"""

import codecs
import gzip
import io
import itertools
import shutil
import zipfile
from importlib import resources

import pytest
from threadpoolctl import threadpool_limits

import linesift
from linesift import _input, storage
from linesift._input import InputError, InputTooLarge, load_lines

ARTICLE = (
    "The council agreed on Monday to rebuild the old footbridge over the river before winter.",
    "Engineers said the new deck would be wider, so that cyclists and walkers can pass safely.",
)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Predict on one thread: on a busy machine OpenMP's thread pool stalls small predictions for seconds."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def extractor() -> linesift.Extractor:
    return linesift.Extractor()


def _page(*paragraphs: str, head: str = "") -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body>{body}</body></html>"


def _texts(document, **kwargs) -> list[str]:
    return load_lines(document, **kwargs).texts


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(line in rest for line in part)


# --- types, empty input ----------------------------------------------------------------------


@pytest.mark.parametrize("document", [None, 42, ["<p>x</p>"], {"html": "x"}])
def test_anything_but_str_or_bytes_is_a_type_error_naming_the_type(extractor, document):
    with pytest.raises(TypeError, match=f"str or bytes, got {type(document).__name__}"):
        extractor.extract(document)


@pytest.mark.parametrize("document", ["", b"", "   \n\t \r\n", b" \n\n ", "\ufeff"])
@pytest.mark.parametrize("mode", ["auto", "html", "text"])
def test_empty_or_blank_input_gives_an_empty_result(extractor, document, mode):
    assert extractor.classify(document, mode=mode) == []
    assert extractor.extract(document, mode=mode) == ""


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode must be one of"):
        load_lines("text", mode="htm")


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bom, codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                   (codecs.BOM_UTF32_LE, "utf-32-le")]
)
def test_a_byte_order_mark_decides_the_encoding_and_is_dropped(bom, codec):
    page = _page("Grüße aus Köln", "日本語の段落")
    assert _texts(bom + page.encode(codec)) == ["Grüße aus Köln", "日本語の段落"]


def test_utf16_without_a_byte_order_mark_is_recognised():
    assert _texts(_page("naïve café").encode("utf-16-le")) == ["naïve café"]


@pytest.mark.parametrize(
    "declaration",
    ['<meta charset="windows-1251">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'],
)
def test_meta_charset_is_honoured(declaration):
    page = _page("Привет, мир", head=declaration).encode("cp1251")
    assert _texts(page) == ["Привет, мир"]


def test_the_encoding_argument_beats_meta_charset_and_a_bom_beats_both():
    page = _page("Привет, мир", head='<meta charset="iso-8859-1">')
    assert _texts(page.encode("cp1251"), encoding="cp1251") == ["Привет, мир"]
    assert _texts(codecs.BOM_UTF8 + page.encode("utf-8"), encoding="cp1251") == ["Привет, мир"]


def test_latin1_labels_decode_as_windows_1252_as_browsers_do():
    page = _page("“quoted” – café", head='<meta charset="iso-8859-1">').encode("cp1252")
    assert _texts(page) == ["“quoted” – café"]


@pytest.mark.parametrize("label", ["no-such-charset", "hex", "idna", "undefined", "utf-8\x00"])
def test_unknown_or_non_text_encoding_labels_are_ignored(label):
    page = _page("Grüße aus Köln", head=f'<meta charset="{label}">')
    assert _texts(page.encode("utf-8"), encoding=label) == ["Grüße aus Köln"]


def test_undeclared_utf8_is_decoded_as_utf8():
    assert _texts(_page("Grüße, 日本語, مرحبا").encode("utf-8")) == ["Grüße, 日本語, مرحبا"]


def test_undeclared_legacy_encodings_are_detected():
    if not any(_module_available(name) for name in ("cchardet", "chardet", "charset_normalizer")):
        pytest.skip("no encoding detector that BeautifulSoup uses is installed")
    cases = {
        "shift_jis": "これは日本語のテキストです。文字コードの検出をテストします。",
        "gbk": "这是一个中文文本，用来测试编码检测是否正确，我们需要足够长的句子。",
        # Only letters that windows-1250 and windows-1252 share: detectors may pick either.
        "cp1252": "Grüße aus Köln, café au lait und schöne Späße für die Überprüfung.",
    }
    for codec, sentence in cases.items():
        assert _texts((sentence + "\n").encode(codec) * 20, mode="text")[0] == sentence, codec


def test_undecodable_bytes_become_replacement_characters_and_the_rest_survives():
    damaged = _page("naïve café", "broken \xff here").encode("utf-8").replace("\xff".encode(), b"\xff")
    assert _texts(damaged) == ["naïve café", "broken \ufffd here"]
    truncated = _page("naïve café").encode("utf-8") + "<p>日本".encode()[:-1]
    assert _texts(truncated) == ["naïve café", "日\ufffd"]


def test_a_wrong_declared_encoding_gives_replacement_characters_not_a_crash():
    assert _texts("café".encode("latin-1"), encoding="utf-8", mode="text") == ["caf\ufffd"]


def test_lone_surrogates_in_str_input_become_replacement_characters():
    assert _texts("<p>before\ud800after</p><p>next</p>", mode="html") == ["before\ufffdafter", "next"]
    assert _texts("a\udfffb\nc", mode="text") == ["a\ufffdb", "c"]


# --- binary data passed by mistake -----------------------------------------------------------


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.html", _page(*ARTICLE))
    return buffer.getvalue()


BINARIES = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4,
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    "gzip": gzip.compress(_page(*ARTICLE).encode()),
    "zip": _zip_bytes(),
    "nul-heavy": b"ELF-like\x00\x00\x00\x01\x00\x00\x00" * 100,
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_data_raises_input_error_saying_so(extractor, kind):
    with pytest.raises(InputError, match="binary"):
        extractor.extract(BINARIES[kind])
    with pytest.raises(InputError, match="binary"):
        extractor.extract(BINARIES[kind].decode("latin-1"))


# --- other formats and broken markup ---------------------------------------------------------


def test_xhtml_with_an_xml_encoding_declaration_works_as_str_and_as_bytes():
    xhtml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>'
        "<body><p>Café crème</p><p>Second paragraph</p></body></html>"
    )
    assert _texts(xhtml) == ["Café crème", "Second paragraph"]
    assert _texts(xhtml.encode("latin-1")) == ["Café crème", "Second paragraph"]


def test_json_is_treated_as_text():
    document = '{"title": "<p>One</p><p>Two</p><p>Three</p>",\n "tags": ["<b>a</b>", "<i>b</i>"]}'
    lines = load_lines(document)
    assert not lines.is_html
    assert lines.texts == [line.strip() for line in document.splitlines()]


@pytest.mark.parametrize(
    "markup, words",
    [
        ("<p>unclosed <div><b>bold <i>it</p></b> text</div>", ["unclosed", "bold", "it", "text"]),
        ("<table><tr><td>cell<td>other</table><p <<>> tail", ["cell", "other", "tail"]),
        ("<p>a &bogus; &#xffffffff; &#0; b</p><p>c", ["a", "&bogus;", "b", "c"]),
        ("</div></span>text after stray closers", ["text after stray closers"]),
        ("<p>a<script>unclosed script <p>hidden</p>", ["a"]),
    ],
)
def test_malformed_html_keeps_its_text_in_order(markup, words):
    text = " ".join(_texts(markup, mode="html"))
    positions = [text.find(word) for word in words]
    assert -1 not in positions and positions == sorted(positions)
    assert "hidden" not in text


def test_text_after_the_closing_html_tag_is_kept_as_browsers_keep_it():
    page = _page(ARTICLE[0]) + f"\n<p>{ARTICLE[1]}</p>trailing words"
    assert _texts(page) == [*ARTICLE, "trailing words"]


def test_markup_without_any_element_gives_no_lines():
    assert _texts("<!DOCTYPE html><!-- only a comment --><?php echo 1; ?>", mode="html") == []


# --- deep nesting ------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "span"])
def test_100000_nested_elements_lose_no_text(extractor, tag):
    depth = 100_000
    page = f"<html><body><h1>Title</h1>{f'<{tag}>' * depth}deep text{f'</{tag}>' * depth}<p>after</p></body></html>"
    assert [line.text for line in extractor.classify(page)] == ["Title", "deep text", "after"]


def test_nesting_just_below_and_above_libxml2s_limit_loses_no_text():
    for depth in (2040, 2047, 2048, 2100):
        page = f"<html><body>{'<div>' * depth}deep{'</div>' * depth}<p>after</p></body></html>"
        assert _texts(page) == ["deep", "after"], depth


def test_nesting_that_defeats_tag_counting_still_loses_no_text():
    page = "<html><body>" + "<b><div>x</b>" * 3000 + "<p>after</p></body></html>"
    texts = _texts(page)
    assert texts.count("x") == 3000 and texts[-1] == "after"


def test_the_fallback_rendering_drops_what_browsers_hide_and_decodes_entities():
    page = (
        "<html><head><title>no</title></head><body>" + "<div>" * 3000 + "<p>fish &amp; chips</p>"
        "<script>var s = '<p>no</p>';</script><!-- <p>no</p> --><svg><text>no</text></svg><style>p {}</style>"
        "tail<br>next<!-- unclosed"
    )
    assert _texts(page) == ["fish & chips", "tail", "next"]


def test_the_fallback_rendering_keeps_the_text_of_an_unclosed_head():
    page = "<html><head><title>Title</title><body>" + "<div>" * 3000 + "body text"
    assert _texts(page) == ["Title", "body text"]


# --- size limits -------------------------------------------------------------------------------


def test_a_50_mb_page_of_inline_data_is_extracted(extractor):
    image = "data:image/png;base64," + "QUJD" * 12_500_000
    page = _page(*ARTICLE, head="<script>var config = {};</script>").replace("</p>", f'</p><img src="{image}">', 1)
    assert len(page) > 50_000_000
    assert [line.text for line in extractor.classify(page.encode("utf-8"))] == list(ARTICLE)


def test_input_over_max_chars_raises_and_names_the_parameter():
    with pytest.raises(InputTooLarge, match="max_chars"):
        load_lines("x" * 101, max_chars=100)
    with pytest.raises(InputTooLarge, match="max_chars"):
        load_lines(b"x" * 401, max_chars=100)
    assert _texts("x" * 100, max_chars=100) == ["x" * 100]


def test_too_many_tags_are_refused_before_parsing():
    with pytest.raises(InputTooLarge, match="max_tags"):
        load_lines("<html><body>" + "<i></i>" * 300_000 + "</body></html>")
    with pytest.raises(InputTooLarge, match="max_tags"):
        load_lines(_page("a", "b"), max_tags=5)


def test_a_million_tiny_lines_raise_rather_than_truncate():
    with pytest.raises(InputTooLarge, match="1,000,000 lines.*max_lines"):
        load_lines("\n".join(f"x{i}" for i in range(1_000_000)))
    with pytest.raises(InputTooLarge, match="max_lines"):
        load_lines(_page("a", "b", "c"), max_lines=2)
    assert len(load_lines(_page("a", "b"), max_lines=2)) == 2


def test_a_ten_million_character_line_raises_quickly():
    with pytest.raises(InputTooLarge, match="max_text_chars"):
        load_lines("word " * 2_000_000)


def test_a_long_line_under_the_limit_is_classified(extractor):
    line = " ".join(itertools.islice(itertools.cycle(ARTICLE[0].split()), 100_000))
    lines = extractor.classify(f"Home\n\n{line}\n\nShare this", mode="text")
    assert [item.text for item in lines] == ["Home", line, "Share this"]


def test_the_time_budget_is_checked_between_stages(monkeypatch):
    clock = itertools.count(step=10.0)
    monkeypatch.setattr(_input.time, "monotonic", lambda: next(clock))
    with pytest.raises(InputTooLarge, match="max_seconds"):
        load_lines(_page(*ARTICLE), max_seconds=5.0)


# --- scripts and languages ---------------------------------------------------------------------

LANGUAGES = {
    "arabic": ("مرحبا بكم في موقعنا", "قال المجلس يوم الاثنين إنه سيعيد بناء الجسر القديم فوق النهر قبل الشتاء، حتى يتمكن المشاة من العبور بأمان."),
    "hebrew": ("ברוכים הבאים לאתר", "המועצה הודיעה ביום שני כי הגשר הישן מעל הנהר ייבנה מחדש לפני החורף, כדי שהולכי רגל יוכלו לעבור בבטחה."),
    "chinese": ("首页 新闻 体育", "市议会周一表示，将在冬季到来之前重建河上的旧人行桥，以便行人和骑车人能够安全通过。新桥面将更宽。"),
    "japanese": ("ホーム ニュース", "市議会は月曜日、冬が来る前に川に架かる古い歩道橋を再建すると発表した。新しい橋は幅が広くなる。"),
}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_right_to_left_and_cjk_text_gives_a_subsequence_of_the_input(extractor, language):
    menu, sentence = LANGUAGES[language]
    text = f"{menu}\n\n{sentence}\n{sentence * 3}\n\n© 2024"
    kept = extractor.extract(text, mode="text")
    assert _is_subsequence(kept.split("\n") if kept else [], _texts(text, mode="text"))
    html = _page(menu, sentence, sentence * 3).replace("<html>", '<html dir="rtl">')
    assert _is_subsequence([line.text for line in extractor.classify(html)], [menu, sentence, sentence * 3])


# --- model files -------------------------------------------------------------------------------


@pytest.fixture
def model_folder(tmp_path, monkeypatch):
    """A copy of the bundled models that ``storage`` loads instead of the installed ones."""
    installed = resources.files("linesift") / "models"
    for name in ("default-text.joblib", storage.BUNDLED_CHECKSUMS_FILE):
        with resources.as_file(installed / name) as path:
            shutil.copy(path, tmp_path / name)
    monkeypatch.setattr(storage, "_models_folder", lambda: tmp_path)
    storage._bundled.cache_clear()
    yield tmp_path
    storage._bundled.cache_clear()


def test_a_verified_copy_of_a_bundled_model_loads(model_folder):
    assert linesift.load_model("default-text").mode == "text"


def test_a_bundled_model_with_one_byte_changed_is_refused(model_folder):
    path = model_folder / "default-text.joblib"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(linesift.ModelError, match="does not match its recorded SHA-256.*altered or corrupted"):
        linesift.load_model("default-text")


def test_a_bundled_model_without_a_recorded_checksum_is_refused(model_folder):
    (model_folder / storage.BUNDLED_CHECKSUMS_FILE).write_text("{}")
    with pytest.raises(linesift.ModelError, match="records no checksum"):
        linesift.load_model("default-text")


def test_a_missing_bundled_model_is_a_model_error(model_folder):
    (model_folder / "default-text.joblib").unlink()
    with pytest.raises(linesift.ModelError, match="missing or unreadable"):
        linesift.load_model("default-text")


def test_a_model_path_is_refused_without_trusted_and_the_error_says_why():
    with pytest.raises(linesift.ModelError, match="pickles that can run code.*trusted=True"):
        linesift.load_model("some/path.joblib")


def test_a_trusted_file_that_is_no_model_is_a_model_error(tmp_path):
    garbage = tmp_path / "garbage.joblib"
    garbage.write_bytes(b"not a pickle at all")
    with pytest.raises(linesift.ModelError, match="could not be loaded"):
        linesift.load_model(garbage, trusted=True)


def _module_available(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def test_repeated_xml_declarations_are_all_dropped_before_parsing():
    declaration = "<?xml version='1.0' encoding='utf-8'?>"
    assert _texts(declaration * 2 + "<html><body><p>kept</p></body></html>", mode="html") == ["kept"]
