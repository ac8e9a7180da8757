"""Batches: every input is accounted for, a failing document never stops the rest, threads agree with one loop."""

import gzip
import io
import json
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from threadpoolctl import threadpool_limits

import linesift
from linesift.api import PAGES_PER_PREDICTION, Request
from linesift.cli import main

SENTENCES = (
    "The council agreed on Monday to rebuild the old footbridge over the river before winter.",
    "Engineers said the new deck would be wider, so that cyclists and walkers can pass safely.",
    "Residents had campaigned for years after the bridge was closed during the spring floods.",
    "Work is expected to take four months and will be paid for from the regional transport fund.",
)
CHROME = ("Home", "News", "Share this article", "© 2024 Valley Courier. All rights reserved.")


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Predict on one thread: on a busy machine OpenMP's thread pool stalls small predictions for seconds."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def extractor() -> linesift.Extractor:
    return linesift.Extractor()


def _document(rng: random.Random, index: int) -> str | bytes:
    """A small page, HTML or text, str or bytes, different for every index."""
    body = rng.sample(SENTENCES, k=rng.randint(1, len(SENTENCES)))
    if index % 2:
        return "\n\n".join([*CHROME[:2], f"Story {index}", *body, *CHROME[2:]])
    nav = "".join(f"<li><a href='/{word}'>{word}</a></li>" for word in CHROME[:2])
    page = (
        f"<html><body><nav><ul>{nav}</ul></nav><article><h1>Story {index}</h1>"
        + "".join(f"<p>{sentence}</p>" for sentence in body)
        + f"</article><footer>{CHROME[3]}</footer></body></html>"
    )
    return page.encode("utf-8") if index % 4 == 0 else page


#: What a corrupted document in a batch is, and the error it must be reported with.
CORRUPTIONS = (
    (None, "TypeError"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(600), "InputError"),
    (gzip.compress(b"<html><body><p>zipped</p></body></html>"), "InputError"),
    ("\n".join(["x"] * 100_001), "InputTooLarge"),
    (12345, "TypeError"),
)


def test_a_thousand_documents_with_five_percent_corrupted_are_all_accounted_for(extractor):
    rng = random.Random(6)
    corrupted = set(rng.sample(range(1000), k=50))
    batch, expected_errors = [], {}
    for index in range(1000):
        doc_id = f"doc-{index:04d}"
        if index in corrupted:
            document, error = CORRUPTIONS[index % len(CORRUPTIONS)]
            expected_errors[doc_id] = error
        else:
            document = _document(rng, index)
        batch.append((doc_id, document))

    results = list(extractor.extract_many(iter(batch)))

    assert [result.doc_id for result in results] == [doc_id for doc_id, _ in batch]
    failed = {result.doc_id: result.error for result in results if not result.ok}
    assert failed.keys() == expected_errors.keys()
    assert all(failed[doc_id].startswith(f"{error}: ") for doc_id, error in expected_errors.items())
    assert all(result.text == "" for result in results if not result.ok)


def test_extract_many_matches_extract_one_by_one(extractor):
    rng = random.Random(1)
    batch = [(f"d{index}", _document(rng, index)) for index in range(20)]
    results = list(extractor.extract_many(batch))
    assert [result.text for result in results] == [extractor.extract(document) for _, document in batch]
    assert all(result.ok and result.error is None for result in results)


def test_extract_many_is_lazy_and_reads_one_prediction_ahead_at_most(extractor):
    def documents():
        for index in range(PAGES_PER_PREDICTION):
            yield f"d{index}", "Home\n\nThe council agreed on Monday to rebuild the old footbridge over the river."
        raise AssertionError("read past the pages of one prediction")

    assert next(extractor.extract_many(documents())).doc_id == "d0"


def test_run_many_gives_what_run_gives_page_by_page_and_errors_in_place(extractor):
    rng = random.Random(3)
    requests = [Request(_document(rng, index)) for index in range(2 * PAGES_PER_PREDICTION + 3)]
    requests[4] = Request(b"\x00" * 10, mode="html")
    requests[9] = Request("", mode="text")
    results = list(extractor.run_many(requests))
    for request, result in zip(requests, results, strict=True):
        try:
            expected = extractor.run(request.document, mode=request.mode)
        except Exception as error:
            assert type(result) is type(error) and str(result) == str(error)
        else:
            assert result == expected


def test_a_shared_extractor_gives_the_same_results_from_eight_threads(extractor):
    rng = random.Random(8)
    documents = [_document(rng, index) for index in range(50)]

    def labelled(document):
        return [(line.text, line.label, line.probability) for line in extractor.classify(document)]

    sequential = [labelled(document) for document in documents]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(labelled, documents))
    assert threaded == sequential
    assert [labelled(document) for document in documents] == sequential


def test_the_cli_reports_every_failing_file_and_a_summary(tmp_path, capsys):
    rng = random.Random(3)
    files = []
    for index in range(12):
        path = tmp_path / f"page-{index}.html"
        path.write_bytes(_document(rng, index).encode() if index % 2 else _document(rng, 0))
        files.append(str(path))
    (tmp_path / "page-3.html").write_bytes(CORRUPTIONS[1][0])
    (tmp_path / "page-7.html").write_bytes(CORRUPTIONS[3][0].encode())  # gzip is read by the CLI: too many lines instead
    files.append(str(tmp_path / "missing.html"))

    out = io.StringIO()
    status = main(["extract", "--format", "jsonl", *files], out=out)

    records = [json.loads(line) for line in out.getvalue().splitlines()]
    errors = capsys.readouterr().err.splitlines()
    assert status == 1
    assert [record["file"] for record in records] == files
    failed = [record["file"] for record in records if "error" in record]
    assert failed == [files[3], files[7], files[12]]
    assert all(any(name in line for line in errors) for name in failed)
    assert errors[-1] == "13 documents, 3 failed"


def test_the_cli_summary_on_success(samples, capsys):
    status = main(["extract", str(samples / "river-cleanup.html")], out=io.StringIO())
    assert status == 0
    assert capsys.readouterr().err.splitlines() == ["1 document, 0 failed"]
