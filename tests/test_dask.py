"""linesift.dask on a real two-process LocalCluster gives the serial output, in order."""

import io

import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import dask.bag  # noqa: E402
import dask.dataframe  # noqa: E402
import pandas  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from linesift.batch import Record, extract_records  # noqa: E402
from linesift.dask import extract_bag, extract_column, read_warcs  # noqa: E402
from linesift.readers import read_warc  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """Two worker processes of one thread each, as on a cluster; closed after the module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.fixture(scope="module")
def records(samples) -> list[Record]:
    pages = [samples / "river-cleanup.html", samples / "river-cleanup.txt",
             samples / "site-example" / "compost-heap.html", samples / "site-example" / "pruning-roses.html"]
    found = [Record(f"{path.name}-{copy}", None, path.read_bytes()) for copy in range(2) for path in pages]
    return [*found, Record("broken", None, b"\x89PNG\r\n\x1a\n" + bytes(64))]


def test_a_bag_gives_the_serial_results_in_order(client, records):
    serial = [result.to_dict() for result in extract_records(records, with_lines=True)]
    bag = dask.bag.from_sequence(records, npartitions=3)
    assert extract_bag(bag, with_lines=True).compute() == serial
    assert serial[-1]["error"].startswith("InputError")


def test_a_dataframe_column_gives_the_serial_texts(client, records):
    documents = [record.content.decode("utf-8") for record in records[:-1]] + [None]
    frame = pandas.DataFrame({"html": documents}, dtype=object)
    texts = extract_column(dask.dataframe.from_pandas(frame, npartitions=2)["html"]).compute()
    serial = [result.text if result.ok else None for result in extract_records(Record(str(i), None, document)
                                                                               for i, document in enumerate(documents))]
    assert serial[-1] is None
    assert list(texts) == serial and list(texts.index) == list(frame.index)


def test_warc_files_are_read_one_partition_each(client, records, tmp_path):
    paths = []
    for number in range(2):
        path = tmp_path / f"part-{number}.warc.gz"
        with open(path, "wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for record in records[number * 4:(number + 1) * 4]:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(f"https://x.example/{record.id}", "response",
                                                              payload=io.BytesIO(record.content), http_headers=headers))
        paths.append(path)
    bag = read_warcs(paths)
    assert bag.npartitions == 2
    serial = [result.to_dict() for path in paths for result in extract_records(read_warc(path))]
    assert extract_bag(bag).compute() == serial
    assert [result["url"] for result in serial] == [f"https://x.example/{r.id}" for r in records[:8]]
