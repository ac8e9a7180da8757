"""The result object and its formats: markdown structure, the title in JSON, folders, ``.gz`` and ``--output-dir``."""

import gzip
import io
import json

import pytest

import linesift
from linesift.cli import main
from linesift.output import Extraction, Line


def _run(argv):
    out = io.StringIO()
    return main(argv, out=out), out.getvalue()


def test_run_gives_lines_threshold_mode_and_title(samples):
    result = linesift.Extractor().run((samples / "river-cleanup.html").read_bytes(), url="https://example.org/river")
    assert result.mode == "html" and 0 < result.threshold < 1 and result.url == "https://example.org/river"
    assert result.title == "Volunteers pull two tonnes of rubbish from the Elm River"
    assert result.language == "en"
    assert result.text == linesift.extract((samples / "river-cleanup.html").read_bytes())
    assert all(line.is_content == (line.probability >= result.threshold) for line in result.lines)


def test_markdown_of_the_sample_keeps_its_title_and_headings(samples):
    status, out = _run(["extract", "--format", "markdown", str(samples / "river-cleanup.html")])
    assert status == 0
    assert out.startswith("# Volunteers pull two tonnes of rubbish from the Elm River\n")
    assert "\n## A record turnout\n" in out and "\n## Fish are coming back\n" in out


def test_markdown_renders_lists_tables_and_code_blocks():
    lines = (
        Line("Steps", "content", 0.9, 1, "h2"), Line("Dig", "content", 0.9, 2, "li"), Line("Plant", "content", 0.9, 3, "li"),
        Line("a | b", "content", 0.9, 4, "td"), Line("x = 1", "content", 0.9, 5, "pre"), Line("y = 2", "content", 0.9, 6, "pre"),
        Line("Share", "boilerplate", 0.1, 7, "a"),
    )
    markdown = Extraction(lines=lines, mode="html", threshold=0.5, title="Garden").to_markdown()
    assert markdown == "# Garden\n\n## Steps\n\n- Dig\n- Plant\n\n| a \\| b |\n| --- |\n\n```\nx = 1\ny = 2\n```"


def test_markdown_of_html_lists_from_the_extractor():
    items = "".join(f"<li>Water the seedlings every morning before the sun is high, step {i} of the plan.</li>" for i in range(6))
    page = f"<html><head><title>Care</title></head><body><h1>Care</h1><ul>{items}</ul></body></html>"
    markdown = linesift.Extractor(threshold=0.0).run(page).to_markdown()
    assert markdown.startswith("# Care\n\n- Water the seedlings") and markdown.count("- Water") == 6


def test_json_carries_the_title_and_lines_on_request(samples):
    status, out = _run(["extract", "--format", "json", "--lines", str(samples / "river-cleanup.html")])
    record = json.loads(out)
    assert status == 0 and record["title"].startswith("Volunteers pull") and record["mode"] == "html"
    assert {"text", "label", "probability", "position", "tag"} <= record["lines"][0].keys()


def test_json_of_several_files_is_one_array_and_jsonl_one_record_a_line(samples):
    files = [str(samples / "river-cleanup.html"), str(samples / "river-cleanup.txt")]
    assert [r["file"] for r in json.loads(_run(["extract", "--format", "json", *files])[1])] == files
    assert [json.loads(line)["file"] for line in _run(["extract", "--format", "jsonl", *files])[1].splitlines()] == files


def test_text_of_several_files_marks_each_and_the_summary_counts_right(samples, capsys):
    files = [str(samples / "river-cleanup.html"), str(samples / "river-cleanup.txt")]
    _, out = _run(["extract", *files])
    assert out.startswith(f"==> {files[0]} <==\n") and f"\n==> {files[1]} <==\n" in out
    assert capsys.readouterr().err.splitlines()[-1] == "2 documents, 0 failed"
    _run(["extract", files[0]])
    assert capsys.readouterr().err.splitlines()[-1] == "1 document, 0 failed"


def test_a_folder_is_walked_and_gz_pages_read(samples, tmp_path):
    pages = tmp_path / "pages" / "news"
    pages.mkdir(parents=True)
    (pages / "river.html.gz").write_bytes(gzip.compress((samples / "river-cleanup.html").read_bytes()))
    (pages / "river.txt").write_bytes((samples / "river-cleanup.txt").read_bytes())
    status, out = _run(["extract", "--glob", "*.gz", str(tmp_path / "pages")])
    assert status == 0 and "More than two hundred volunteers" in out
    status, _ = _run(["extract", str(tmp_path / "pages"), "--output-dir", str(tmp_path / "out"), "--format", "markdown"])
    assert status == 0
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*"))
    assert written == ["news", "news/river.md", "news/river.txt.md"]


def test_output_dir_writes_one_file_per_input(samples, tmp_path):
    files = [str(samples / "river-cleanup.html"), str(samples / "site-example" / "compost-heap.html")]
    status, out = _run(["extract", "--format", "json", "--output-dir", str(tmp_path), *files])
    assert status == 0 and out == ""
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["compost-heap.json", "river-cleanup.json"]
    assert json.loads((tmp_path / "river-cleanup.json").read_text(encoding="utf-8"))["title"].startswith("Volunteers")


@pytest.mark.parametrize("favor", ["precision", "recall"])
def test_favor_moves_the_page_threshold(samples, favor):
    page = (samples / "river-cleanup.html").read_bytes()
    default = linesift.Extractor().run(page).threshold
    moved = linesift.Extractor(favor=favor).run(page).threshold
    assert moved > default if favor == "precision" else moved < default
