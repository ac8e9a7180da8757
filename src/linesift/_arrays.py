"""Array helpers shared by the feature and context columns: shifts, windows, runs and group means.

Each takes one page's values (one entry per line, in page order) and returns one value per line.
"""

from __future__ import annotations

import numpy as np


def shift(values: np.ndarray, offset: int, fill: float = -1.0) -> np.ndarray:
    """``values`` moved by ``offset`` lines (the value of line ``i + offset`` at ``i``), padded with ``fill``.

    ``values`` may hold one column per line or several (a 2-D array, lines along the first axis).

    >>> shift(np.array([1.0, 2.0, 3.0]), 1).tolist()
    [2.0, 3.0, -1.0]
    """
    result = np.full_like(values, fill, dtype=np.float64)
    if offset > 0:
        result[:-offset] = values[offset:]
    elif offset < 0:
        result[-offset:] = values[:offset]
    else:
        result[:] = values
    return result


def rolling_mean(values: np.ndarray, half_width: int) -> np.ndarray:
    """Mean of ``values`` over the window ``[i - half_width, i + half_width]`` clipped to the document.

    ``values`` may hold several columns (a 2-D array, lines along the first axis): each is
    averaged alone, with the same result as one by one, in one pass.

    >>> rolling_mean(np.array([0.0, 3.0, 6.0]), 1).tolist()
    [1.5, 3.0, 4.5]
    >>> rolling_mean(np.array([[0.0, 1.0], [3.0, 1.0], [6.0, 1.0]]), 1).tolist()
    [[1.5, 1.0], [3.0, 1.0], [4.5, 1.0]]
    """
    count = len(values)
    cumulative = np.concatenate((np.zeros((1, *values.shape[1:])), np.cumsum(values, axis=0, dtype=np.float64)))
    index = np.arange(count)
    low = np.clip(index - half_width, 0, count)
    high = np.clip(index + half_width + 1, 0, count)
    widths = np.maximum(high - low, 1)
    return (cumulative[high] - cumulative[low]) / widths.reshape(-1, *(1,) * (values.ndim - 1))


def run_lengths(flags: np.ndarray) -> np.ndarray:
    """Length of the run of equal consecutive ``flags`` that each line belongs to.

    >>> run_lengths(np.array([True, True, False])).tolist()
    [2.0, 2.0, 1.0]
    """
    if len(flags) == 0:
        return np.zeros(0)
    starts = np.flatnonzero(np.concatenate(([True], flags[1:] != flags[:-1])))
    lengths = np.diff(np.concatenate((starts, [len(flags)])))
    return np.repeat(lengths, lengths).astype(np.float64)


def lines_since(flags: np.ndarray, cap: float = 1000.0) -> np.ndarray:
    """For each line, how many lines back the last flagged line is (``cap`` when there is none).

    >>> lines_since(np.array([False, True, False]), cap=9).tolist()
    [9.0, 0.0, 1.0]
    """
    index = np.arange(len(flags))
    last = np.maximum.accumulate(np.where(flags, index, -1)) if len(flags) else index
    return np.where(last >= 0, index - last, cap).astype(np.float64)


def group_mean(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the lines of each line's group (``groups`` are small integers).

    >>> group_mean(np.array([1.0, 3.0, 5.0]), np.array([0, 0, 1])).tolist()
    [2.0, 2.0, 5.0]
    """
    sums = np.bincount(groups, weights=values)
    counts = np.bincount(groups)
    return (sums / np.maximum(counts, 1))[groups]
