"""Progress bars for the long loops of training and labelling, shown only where tqdm is installed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def progress_bar(
    items: Iterable[T], description: str, *, enabled: bool = True, unit: str = "page", total: int | None = None
) -> Iterable[T]:
    """``items`` with a progress bar when ``enabled`` and tqdm (the ``train`` extra) is installed.

    ``total`` is the number of items, for iterables without a length (results as parallel workers finish them).

    >>> list(progress_bar([1, 2], "counting", enabled=False))
    [1, 2]
    """
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return items
    return tqdm(items, desc=description, unit=unit, total=total)
