"""Smoke test of the benchmark harness (benchmarks/run.py) on three tiny pages made here.

It runs real worker processes, so it checks the whole path: loading, rendering, workers, scoring,
result files and the report. It uses only systems that the ``test`` extra installs (html-text and
the line filters in benchmarks/): linesift's own workers take seconds to import scikit-learn.
"""

from __future__ import annotations

import gzip
import importlib
import json
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

ARTICLE = """<html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/login">Login</a></nav>
<article><h1>{title}</h1>
<p>The council voted on Tuesday to extend the river path by another three kilometres next spring.</p>
<p>Residents said the new section would let children walk to school without crossing the main road.</p>
</article>
<footer>Privacy policy | Terms of use | 12 likes</footer>
</body></html>"""

EXPECTED = (
    "{title}\n\nThe council voted on Tuesday to extend the river path by another three kilometres next spring.\n\n"
    "Residents said the new section would let children walk to school without crossing the main road."
)

RESULT_KEYS = {
    "system", "input", "versions", "status", "error", "accuracy_source", "failures", "timeouts", "speed",
    "scores", "by_page_type", "snippets", "command", "date", "machine", "data", "renderer",
}


def _wcxb_pages(root: Path) -> Path:
    """Write three pages in the WCXB layout (gzipped HTML, ground-truth JSON, metadata)."""
    (root / "html").mkdir(parents=True)
    (root / "ground-truth").mkdir()
    files = {}
    for number, page_type in zip(("0001", "0002", "0003"), ("article", "article", "forum")):
        title = f"River path news {number}"
        (root / "html" / f"{number}.html.gz").write_bytes(gzip.compress(ARTICLE.format(title=title).encode()))
        truth = {
            "url": f"https://example.org/{number}",
            "ground_truth": {
                "main_content": EXPECTED.format(title=title),
                "with": ["The council voted on Tuesday"],
                "without": ["Privacy policy", "Login"],
            },
        }
        (root / "ground-truth" / f"{number}.json").write_text(json.dumps(truth))
        files[number] = {"page_type": page_type, "domain": "example.org"}
    (root / "metadata.json").write_text(json.dumps({"files": files}))
    return root


@pytest.fixture
def run_module(monkeypatch: pytest.MonkeyPatch):
    """benchmarks/run.py imported as a module (its siblings import each other by plain name)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("run")


def _check_result(path: Path) -> dict:
    result = json.loads(path.read_text())
    assert RESULT_KEYS <= result.keys()
    if result["scores"] is not None:
        for value in result["scores"].values():
            assert 0.0 <= value <= 1.0
        for scores in result["by_page_type"].values():
            assert 0.0 <= scores["f1"] <= 1.0
    return result


def test_wcxb_layout_run_writes_results_and_report(tmp_path: Path, run_module) -> None:
    data = _wcxb_pages(tmp_path / "data")
    out = tmp_path / "results"
    code = run_module.main(
        ["--data", str(data), "--systems", "html-text,keep-all", "--inputs", "html,text:html-text", "--limit", "3", "--out", str(out)]
    )
    assert code == 0
    html_text = _check_result(out / "html-text__html.json")
    assert html_text["status"] == "ok"
    assert html_text["data"]["pages"] == 3
    assert set(html_text["by_page_type"]) == {"article", "forum"}
    assert html_text["snippets"]["with_found"] == 1.0
    assert html_text["snippets"]["without_absent"] == 0.0  # html-text keeps the navigation
    assert html_text["speed"]["pages_per_second"] > 0
    keep_all = _check_result(out / "keep-all__text-html-text.json")
    assert keep_all["scores"]["recall"] == 1.0
    report = (tmp_path / "RESULTS.md").read_text()
    assert "html-text" in report and "python3 benchmarks/run.py" in report


def test_simple_layout_and_rerun_merge(tmp_path: Path, run_module) -> None:
    data = tmp_path / "simple"
    data.mkdir()
    expected = {}
    for name in ("a", "b"):
        (data / f"{name}.html").write_text(ARTICLE.format(title=f"Page {name}"))
        expected[name] = {"text": EXPECTED.format(title=f"Page {name}"), "page_type": "article"}
    (data / "expected.json").write_text(json.dumps(expected))
    out = tmp_path / "results"
    assert run_module.main(["--data", str(data), "--systems", "html-text", "--inputs", "html", "--out", str(out)]) == 0
    assert run_module.main(["--data", str(data), "--systems", "five-words", "--inputs", "text:html-text", "--out", str(out)]) == 0
    assert _check_result(out / "html-text__html.json")["snippets"]["with_found"] is None
    _check_result(out / "five-words__text-html-text.json")
    report = (tmp_path / "RESULTS.md").read_text()
    assert "| html-text | html |" in report and "| five-words | text:html-text |" in report


def test_report_holds_a_row_per_labelled_set_and_page_type(tmp_path: Path, run_module) -> None:
    data = _wcxb_pages(tmp_path / "toy")
    out = tmp_path / "results"
    set_out = out / "sources" / "toy"
    assert run_module.main(["--data", str(data), "--systems", "html-text,keep-all", "--inputs", "html",
                            "--out", str(set_out), "--report", str(set_out / "RESULTS.md")]) == 0
    assert run_module.main(["--data", str(data), "--systems", "html-text", "--inputs", "html", "--out", str(out)]) == 0
    report = (tmp_path / "RESULTS.md").read_text()
    assert "## Every labelled set, linesift trained without it" in report
    rows = [line for line in report.splitlines() if line.startswith("| toy")]
    assert [row.split(" | ")[0] for row in rows] == ["| toy (3)", "| toy: article (2)", "| toy: forum (1)"]
    assert all(row.count("**") == 2 for row in rows)  # one best cell per row


def test_busy_machine_figures_reach_the_report(tmp_path: Path, run_module) -> None:
    data = _wcxb_pages(tmp_path / "toy")
    out = tmp_path / "results"
    loaded = importlib.import_module("loaded")
    assert loaded.main(["--data", str(data), "--limit", "2", "--out", str(out / "loaded-extract.json")]) == 0
    figures = json.loads((out / "loaded-extract.json").read_text())
    assert set(figures["settings"]) == {"default", "OMP_NUM_THREADS=1"} and figures["ratio"] > 0
    assert run_module.main(["--data", str(data), "--systems", "keep-all", "--inputs", "text:html-text", "--out", str(out)]) == 0
    report = (tmp_path / "RESULTS.md").read_text()
    assert "## On a busy machine" in report and f"| extract | 2 | {figures['settings']['default']['wall_s']:.2f} s wall" in report


def test_paired_speed_reaches_the_report(tmp_path: Path, run_module) -> None:
    data = _wcxb_pages(tmp_path / "toy")
    out = tmp_path / "results"
    paired = importlib.import_module("paired_speed")
    arguments = ["--data", str(data), "--peer", "html-text", "--limit", "2", "--rounds", "1", "--out", str(out / "paired-speed.json")]
    assert paired.main(arguments) == 0
    figures = json.loads((out / "paired-speed.json").read_text())
    assert figures["failed_calls"] == {"linesift": 0, "html-text": 0} and len(figures["round_ratios"]) == 1
    assert figures["ratio"] == pytest.approx(figures["pages_per_second"]["linesift"] / figures["pages_per_second"]["html-text"])
    assert run_module.main(["--data", str(data), "--systems", "keep-all", "--inputs", "text:html-text", "--out", str(out)]) == 0
    report = (tmp_path / "RESULTS.md").read_text()
    assert "## Speed against html-text, paired" in report and f"| toy | 2 x 1 | {figures['pages_per_second']['linesift']:.1f} |" in report


def test_feature_digests_match_themselves_and_report_a_moved_page(tmp_path: Path, run_module, capsys) -> None:
    digests = importlib.import_module("feature_digests")
    data = _wcxb_pages(tmp_path / "toy")
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert digests.main(["--data", str(data), "--out", str(before)]) == 0
    assert digests.main(["--data", str(data), "--out", str(after), "--compare", str(before)]) == 0
    assert sorted(json.loads(after.read_text())) == [f"toy/{n}/{s}" for n in ("0001", "0002", "0003") for s in ("html", "text:html-text")]
    tampered = json.loads(before.read_text())
    tampered["toy/0002/html"] = "0" * 40
    before.write_text(json.dumps(tampered))
    assert digests.main(["--data", str(data), "--out", str(after), "--compare", str(before)]) == 1
    assert "moved: toy/0002/html" in capsys.readouterr().out


@pytest.mark.parametrize("mode", ["html", "text"])
def test_profile_prints_every_stage(tmp_path: Path, run_module, capsys, mode: str) -> None:
    profile = importlib.import_module("profile_stages")
    data = _wcxb_pages(tmp_path / "toy")
    assert profile.main(["--data", str(data), "--mode", mode]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"3 pages ({mode}):")
    stages = {line.strip().split("  ")[0] for line in printed.splitlines()[1:]}
    reading = {"decode and parse", "walk"} if mode == "html" else {"input and lines"}
    assert reading | {"features", "word scorer", "trees stage 1", "trees stage 2", "selection"} <= stages
    if mode == "html":  # the walk is split out of the input stage, whose rest is decoding and parsing
        assert "input and lines" not in stages
