"""Second-stage inputs: what the first stage thinks of a line's neighbours.

A teaser under "You May Also Like" reads like article prose; what gives it away is that the lines
around it were judged boilerplate. These columns carry the previous stage's probabilities of the
neighbours, of windows around the line, of the page as a whole and of the lines that share the
line's template (tag path) into the next stage, where the line lies against the page's main
segment (the run of lines most likely to be content), and how low a dip separates it from that
segment.
"""

from __future__ import annotations

import numpy as np

from linesift._arrays import group_mean, rolling_mean, shift

_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (1, 3, 8, 20)
#: Probability levels above which a run of lines counts towards the main segment.
_SEGMENT_LEVELS = (0.3, 0.5)


def document_slices(doc_ids: np.ndarray) -> list[slice]:
    """Slices of consecutive rows that belong to one document."""
    if len(doc_ids) == 0:
        return []
    starts = np.flatnonzero(np.concatenate(([True], doc_ids[1:] != doc_ids[:-1])))
    ends = np.concatenate((starts[1:], [len(doc_ids)]))
    return [slice(int(start), int(end)) for start, end in zip(starts, ends)]


def main_segment(probability: np.ndarray, level: float) -> tuple[int, int]:
    """First and last line of the contiguous run of lines with the largest sum of ``probability - level``.

    The article body is one such run; a teaser block after "You May Also Like" lies outside it
    even when a few of its lines look like prose. Computed with prefix sums (Kadane's maximum
    subarray) in numpy.
    """
    sums = np.concatenate(([0.0], np.cumsum(probability - level)))
    gains = sums[1:] - np.minimum.accumulate(sums[:-1])
    end = int(np.argmax(gains))
    start = int(np.argmin(sums[: end + 1]))
    return start, end


def _segment_columns(probability: np.ndarray) -> list[np.ndarray]:
    index = np.arange(len(probability))
    columns = []
    for level in _SEGMENT_LEVELS:
        start, end = main_segment(probability, level)
        columns.append(np.log1p(np.maximum(start - index, 0)) - np.log1p(np.maximum(index - end, 0)))
        columns.append(np.full(len(probability), (end - start + 1) / len(probability)))
        columns.append(barrier(probability, start, end))
    return columns


def barrier(probability: np.ndarray, start: int, end: int) -> np.ndarray:
    """Lowest probability among the lines between each line and the main segment ``[start, end]``.

    1 inside the segment and next to it. Teasers that read like prose lie behind a "You May Also
    Like" line that the first stage already judged boilerplate; a paragraph after an inline
    advert lies behind a dip too, so the next stage learns from data how much a dip means.
    """
    result = np.ones(len(probability))
    result[end + 1 :] = _lowest_so_far(probability[end + 1 :])
    result[:start] = _lowest_so_far(probability[:start][::-1])[::-1]
    return result


def _lowest_so_far(values: np.ndarray) -> np.ndarray:
    """Lowest of the values before each position (1 at the first)."""
    return np.minimum.accumulate(shift(values, -1, fill=1.0))


def _one_document(probability: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    count = len(probability)
    _, cluster_index = np.unique(clusters, return_inverse=True)
    cluster_index = cluster_index.reshape(-1)
    columns = [probability]
    columns += [shift(probability, offset, fill=-1.0) for offset in _OFFSETS]
    columns += [rolling_mean(probability, half_width) for half_width in _WINDOWS]
    mean = probability.mean()
    columns += [
        np.full(count, mean),
        np.full(count, probability.max()),
        probability - mean,
        np.argsort(np.argsort(probability)) / max(count - 1, 1),
        group_mean(probability, cluster_index),
        np.maximum.accumulate(shift(probability, -1, fill=0.0)),
        np.maximum.accumulate(shift(probability, 1, fill=0.0)[::-1])[::-1],
    ]
    columns += _segment_columns(probability)
    return np.column_stack(columns)


#: Names of the columns :func:`context_features` returns, in order.
CONTEXT_FEATURE_NAMES = (
    "probability",
    *(f"probability_at_{offset:+d}" for offset in _OFFSETS),
    *(f"probability_mean_{half_width}" for half_width in _WINDOWS),
    "page_mean", "page_max", "minus_page_mean", "page_rank", "template_mean", "max_before", "max_after",
    *(f"segment_{what}_{level}" for level in _SEGMENT_LEVELS for what in ("log_distance", "share", "barrier")),
)
N_CONTEXT_FEATURES = len(CONTEXT_FEATURE_NAMES)


def context_features(probability: np.ndarray, doc_ids: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Context columns for every row, computed document by document (rows of a document are consecutive)."""
    result = np.zeros((len(probability), N_CONTEXT_FEATURES))
    for rows in document_slices(doc_ids):
        result[rows] = _one_document(probability[rows], clusters[rows])
    return result
