"""`linesift batch`: WARC, JSONL and folder inputs, every record accounted for, workers equal one process, resume."""

import gzip
import io
import json
from pathlib import Path

import pytest

pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from linesift.batch import Record, extract_records  # noqa: E402
from linesift.cli import main  # noqa: E402
from linesift.readers import read_input  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "datasets" / "samples"

CAFE = "<html><body><p>Menu</p><article><h1>Café review</h1><p>The café on the square serves crêpes, and the " \
       "owner said on Monday that the terrace would open again in the spring.</p></article></body></html>"


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def _warc(path: Path, samples: Path, *, gzipped: bool) -> list[str]:
    """Write a small WARC; return the URLs of the records the batch must account for, in order."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        writer.write_record(writer.create_warc_record("warcinfo", "warcinfo", payload=io.BytesIO(b"software: test\r\n")))
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "a.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://a.example/", "request", http_headers=request))
        _response(writer, "https://a.example/", (samples / "river-cleanup.html").read_bytes(), "text/html; charset=utf-8")
        _response(writer, "https://a.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        # The charset is only in the HTTP header: read as UTF-8, "Café" would come out garbled.
        _response(writer, "https://b.example/cafe", CAFE.encode("cp1252"), 'text/html; charset="windows-1252"')
        # A payload that is not what its headers say (gzip magic, then garbage): corrupt, not the end of the file.
        _response(writer, "https://b.example/broken", b"\x1f\x8b\x08\x00 not gzip at all", "text/html")
        _response(writer, "https://c.example/roses", (samples / "site-example" / "pruning-roses.html").read_bytes(),
                  "application/xhtml+xml")
    return ["https://a.example/", "https://b.example/cafe", "https://b.example/broken", "https://c.example/roses"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, samples) -> tuple[list[Path], dict[str, int]]:
    """Inputs of every kind, and how many records each must give."""
    folder = tmp_path_factory.mktemp("crawl")
    inputs, counts = [], {}
    for name, gzipped in (("one.warc.gz", True), ("two.warc", False)):
        _warc(folder / name, samples, gzipped=gzipped)
        inputs.append(folder / name)
        counts[name] = 4
    damaged = folder / "damaged.warc"
    _warc(damaged, samples, gzipped=False)
    data = damaged.read_bytes()
    cut = data.index(b"WARC/1.", data.index(b"https://b.example/cafe") - 200)
    damaged.write_bytes(data[:cut] + b"GARBAGE, NOT A WARC RECORD\r\n\r\n" + data[cut:])
    inputs.append(damaged)
    counts["damaged.warc"] = 2  # the page before the damage, then one error for the rest of the file
    lines = [
        json.dumps({"doc": "j1", "link": "https://j.example/1", "html": (samples / "river-cleanup.txt").read_text()}),
        "{not json",
        "",
        json.dumps({"doc": "j3", "html": CAFE}),
        json.dumps({"doc": "j4", "body": "no html field"}),
    ]
    with gzip.open(folder / "dump.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    inputs.append(folder / "dump.jsonl.gz")
    counts["dump.jsonl.gz"] = 4
    pages = folder / "pages"
    (pages / "nested").mkdir(parents=True)
    (pages / "a.html").write_bytes((samples / "site-example" / "compost-heap.html").read_bytes())
    (pages / "nested" / "b.html.gz").write_bytes(gzip.compress((samples / "river-cleanup.html").read_bytes()))
    (pages / "nested" / "c.txt").write_text((samples / "river-cleanup.txt").read_text())
    (pages / "notes.md").write_text("not a page")
    inputs.append(pages)
    counts["pages"] = 3
    return inputs, counts


def _run(inputs: list[Path], out: Path, *options: str) -> int:
    return main(["batch", *map(str, inputs), "--out", str(out), "--id-field", "doc", "--url-field", "link",
                 "--content-field", "html", *options], out=io.StringIO())


def _outputs(out: Path) -> dict[str, list[dict]]:
    return {path.name: [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
            for path in sorted(out.glob("*.jsonl.gz"))}


@pytest.fixture(scope="module")
def runs(crawl, tmp_path_factory) -> dict[str, Path]:
    """The crawl run in one process and with two workers."""
    inputs, _ = crawl
    outs = {}
    for jobs in ("1", "2"):
        outs[jobs] = tmp_path_factory.mktemp(f"out-{jobs}")
        assert _run(inputs, outs[jobs], "--jobs", jobs, "--with-lines") == 0
    return outs


def test_every_record_of_every_input_is_accounted_for(crawl, runs):
    inputs, counts = crawl
    outputs = _outputs(runs["2"])
    assert sorted(outputs) == sorted(f"{name.split('.')[0]}.jsonl.gz" for name in counts)
    for name, expected in counts.items():
        assert len(outputs[f"{name.split('.')[0]}.jsonl.gz"]) == expected, name
    warc = outputs["one.jsonl.gz"]
    assert [result["url"] for result in warc] == [
        "https://a.example/", "https://b.example/cafe", "https://b.example/broken", "https://c.example/roses"]
    assert [result["id"] for result in outputs["dump.jsonl.gz"]][::2] == ["j1", "j3"]
    assert outputs["dump.jsonl.gz"][3]["id"] == "j4"
    assert [result["id"] for result in outputs["pages.jsonl.gz"]] == ["a.html", "nested/b.html.gz", "nested/c.txt"]
    assert not list(runs["2"].glob(".*"))  # no temporary file is left


def test_workers_give_the_serial_output_in_order(runs):
    assert _outputs(runs["2"]) == _outputs(runs["1"])


def test_a_corrupt_record_is_an_error_and_the_rest_goes_on(runs):
    outputs = _outputs(runs["2"])
    for name in ("one.jsonl.gz", "two.jsonl.gz"):
        broken = outputs[name][2]
        assert broken["error"].startswith("InputError") and broken["text"] == ""
        assert outputs[name][3]["error"] is None and outputs[name][3]["text"]
    damaged = outputs["damaged.jsonl.gz"]
    assert damaged[0]["error"] is None and damaged[1]["error"].startswith("ArchiveLoadFailed")
    dump = outputs["dump.jsonl.gz"]
    assert [result["error"] is None for result in dump] == [True, False, True, False]
    assert "--content-field" in dump[3]["error"]


def test_the_http_charset_decodes_the_page(runs):
    outputs = _outputs(runs["1"])
    for name in ("one.jsonl.gz", "two.jsonl.gz"):
        assert "The café on the square serves crêpes" in outputs[name][1]["text"]
    assert "The café on the square serves crêpes" in outputs["dump.jsonl.gz"][2]["text"]


def test_lines_are_written_when_asked_for(runs):
    result = _outputs(runs["1"])["one.jsonl.gz"][0]
    kept = [line["text"] for line in result["lines"] if line["label"] == "content"]
    assert "\n".join(kept) == result["text"]
    assert all(0 <= line["probability"] <= 1 for line in result["lines"])


def test_resume_redoes_nothing_and_only_what_is_missing(crawl, runs, capsys):
    inputs, _ = crawl
    out = runs["2"]
    before = {path.name: path.stat().st_mtime_ns for path in out.glob("*.jsonl.gz")}
    capsys.readouterr()
    assert _run(inputs, out, "--jobs", "2", "--resume") == 0
    assert capsys.readouterr().err.splitlines()[-1] == "linesift: 0 inputs (5 skipped as done), 0 pages, 0 failed, 0.0 pages/s"
    assert {path.name: path.stat().st_mtime_ns for path in out.glob("*.jsonl.gz")} == before
    (out / "two.jsonl.gz").unlink()
    assert _run(inputs, out, "--resume", "--with-lines") == 0
    assert capsys.readouterr().err.splitlines()[-1].startswith("linesift: 1 inputs (4 skipped as done), 4 pages, 1 failed")
    assert _outputs(out) == _outputs(runs["1"])


def test_inputs_sharing_an_output_name_are_refused_before_any_work(crawl, tmp_path, capsys):
    inputs, _ = crawl
    assert _run([inputs[0], inputs[0]], tmp_path / "out") == 2
    assert "share a name" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_core_gives_one_result_per_record_in_order(crawl):
    records = list(read_input(crawl[0][0])) + [Record("empty", None, None), Record("n", None, 12345)]  # type: ignore[arg-type]
    results = list(extract_records(records))
    assert [result.id for result in results] == [record.id for record in records]
    assert [result.ok for result in results] == [True, True, False, True, False, False]


def test_recycled_workers_lose_no_page(tmp_path, monkeypatch):
    import linesift.batch_cli as batch_cli

    documents = [json.dumps({"id": str(i), "content": f"Menu\n\nThe council agreed to rebuild footbridge {i}."})
                 for i in range(3 * batch_cli.CHUNK_PAGES)]
    (tmp_path / "dump.jsonl").write_text("\n".join(documents) + "\n")
    monkeypatch.setattr(batch_cli, "TASKS_PER_CHILD", 1)  # a fresh worker for every chunk
    summary = batch_cli.run_batch([tmp_path / "dump.jsonl"], tmp_path / "two", jobs=2, progress=False)
    batch_cli.run_batch([tmp_path / "dump.jsonl"], tmp_path / "one", jobs=1, progress=False)
    assert summary.pages == len(documents) and summary.failed == 0
    assert _outputs(tmp_path / "two") == _outputs(tmp_path / "one")


def test_text_crosses_to_workers_exactly_and_a_lone_surrogate_id_is_kept(tmp_path):
    import linesift.batch_cli as batch_cli

    documents = [
        {"id": "ok", "content": (SAMPLES / "river-cleanup.zh.txt").read_text()},
        {"id": "odd-\ud800", "url": "https://x.example/\udfff", "content": "The council agreed to rebuild the footbridge."},
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(document) for document in documents) + "\n")
    batch_cli.run_batch([tmp_path / "dump.jsonl"], tmp_path / "two", jobs=2, progress=False)
    batch_cli.run_batch([tmp_path / "dump.jsonl"], tmp_path / "one", jobs=1, progress=False)
    outputs = _outputs(tmp_path / "two")["dump.jsonl.gz"]
    assert outputs == _outputs(tmp_path / "one")["dump.jsonl.gz"]
    assert [(result["id"], result["url"]) for result in outputs] == [
        ("ok", None), ("odd-\ud800", "https://x.example/\udfff")]
    assert "市议会已同意在周一收走分拣好的垃圾" in outputs[0]["text"]
