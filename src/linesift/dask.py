"""Extraction on Dask, for crawls one machine cannot take: bags of records, DataFrame columns, WARC files.

Every function maps :func:`linesift.batch.extract_records` over partitions, so the output is the
serial one. Each worker process loads the models once, on its first partition (the shared
default extractor), and the library keeps its predictions to one OpenMP thread itself
(:mod:`linesift._threads`), whatever the workers' settings. Needs ``pip install 'linesift[dask]'``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linesift.batch import PageResult, Record, extract_records

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe

#: What a bag may hold: records, ``(id, content)`` pairs, or dicts with ``id``, ``url``, ``content``, ``mode``.
RecordLike = Any


def as_record(item: RecordLike) -> Record:
    """A :class:`Record` from a record, an ``(id, content)`` pair, or a dict with ``content`` (``id``, ``url``, ``mode``).

    >>> as_record(("a", "Hello")).id, as_record({"id": 7, "content": "x"}).id
    ('a', '7')
    """
    if isinstance(item, Record):
        return item
    if isinstance(item, dict):
        return Record(str(item.get("id")), item.get("url"), item.get("content"), mode=item.get("mode", "auto"))
    record_id, content = item
    return Record(str(record_id), None, content)


def _extract_partition(items: Iterable[RecordLike], with_lines: bool) -> list[dict[str, Any]]:
    results: Iterable[PageResult] = extract_records(map(as_record, items), with_lines=with_lines)
    return [result.to_dict() for result in results]


def extract_bag(bag: dask.bag.Bag, *, with_lines: bool = False) -> dask.bag.Bag:
    """A bag of result dicts (see :class:`linesift.batch.PageResult`), one per record of ``bag``, in order.

    Examples
    --------
    >>> import dask.bag
    >>> bag = dask.bag.from_sequence([("a", "Share\\n\\nThe council agreed on Monday to rebuild the bridge.")])
    >>> [result["id"] for result in extract_bag(bag).compute(scheduler="sync")]
    ['a']
    """
    return bag.map_partitions(_extract_partition, with_lines)


def _extract_series(texts: Any, mode: str) -> Any:
    import pandas

    records = (Record(str(index), None, text, mode=mode) for index, text in texts.items())  # type: ignore[arg-type]
    extracted = [result.text if result.ok else None for result in extract_records(records)]
    return pandas.Series(extracted, index=texts.index, name=texts.name, dtype=object)


def extract_column(column: dask.dataframe.Series, *, mode: str = "auto") -> dask.dataframe.Series:
    """The main content of each document of a dask DataFrame column; ``None`` where extraction failed.

    Examples
    --------
    >>> import dask.dataframe, pandas
    >>> frame = dask.dataframe.from_pandas(pandas.DataFrame({"text": ["A line.\\n\\nAnother line.", None]}, dtype=object),
    ...                                    npartitions=1)
    >>> [text is None for text in extract_column(frame["text"]).compute(scheduler="sync")]
    [False, True]
    """
    return column.map_partitions(_extract_series, mode, meta=(column.name, "object"))


def _read_warc_list(path: str) -> list[Record]:
    from linesift.readers import read_warc

    return list(read_warc(path))


def read_warcs(paths: Sequence[str | Path]) -> dask.bag.Bag:
    """A bag of the HTML responses of WARC files, one partition per file (read where the partition runs).

    Each path must be readable by the workers (a shared file system). Records are
    :class:`linesift.batch.Record` objects; pass the bag to :func:`extract_bag`.
    """
    import dask
    import dask.bag

    return dask.bag.from_delayed([dask.delayed(_read_warc_list)(str(path)) for path in paths])
