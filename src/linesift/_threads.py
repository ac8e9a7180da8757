"""Keep scikit-learn's OpenMP thread pool to one thread where threads cost more than they give.

A page's prediction through scikit-learn's boosters is many tiny parallel regions (every tree of
every stage). With a pool spread over every core, each region waits for its slowest thread, and on
a machine where other processes hold a core that wait is a scheduler time slice: beside one busy
process pinned to one core, 60 wcxb-dev pages took 6.9x the wall time of ``OMP_NUM_THREADS=1``
(``python benchmarks/loaded.py --data ../shared/datasets/wcxb-dev --limit 60``). Small fits stall
the same way (adapting on 5 pages took 57 s instead of 2.4 s on a busy 2-core machine). So the
library limits the pool itself, without the caller setting environment variables; large inputs,
whose regions are long enough for threads to pay, keep the pool as configured. Predictions now
go through :mod:`linesift.trees`, which runs no OpenMP region; the limit still holds for fits and
for boosters predicted by scikit-learn.

The limit goes through one :class:`threadpoolctl.ThreadpoolController`, created on first use
(after scikit-learn has loaded its OpenMP runtime): entering and leaving its ``limit`` cost about
20 µs a call, where ``threadpoolctl.threadpool_limits``, which looks up the loaded libraries again
on every call, cost 4.5 ms (200 calls each on the development machine).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

import numpy as np
from threadpoolctl import ThreadpoolController

#: Inputs with fewer rows than this run on one OpenMP thread.
THREADED_ROWS = 20_000

Method = TypeVar("Method", bound=Callable[..., Any])


@functools.lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    # Importing this loads scikit-learn's OpenMP runtime, so that the controller sees it.
    import sklearn.utils._openmp_helpers  # noqa: F401

    return ThreadpoolController()


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with OpenMP limited to one thread, restoring the previous limit after.

    >>> with one_thread():
    ...     pass
    """
    with _controller().limit(limits=1, user_api="openmp"):
        yield


def threads_for(rows: int) -> contextlib.AbstractContextManager[None]:
    """One OpenMP thread for fewer than :data:`THREADED_ROWS` rows, the configured pool otherwise.

    >>> with threads_for(300):
    ...     pass
    """
    return one_thread() if rows < THREADED_ROWS else nullcontext()


def small_inputs_on_one_thread(method: Method) -> Method:
    """Decorate an estimator method ``method(self, X, ...)`` to run under :func:`threads_for` of ``X``'s rows.

    ``X`` is whatever the caller passed: an array, a list of rows or any array-like.
    """

    @functools.wraps(method)
    def limited(self: Any, X: Any, *args: Any, **kwargs: Any) -> Any:
        rows = len(X) if hasattr(X, "__len__") else len(np.asarray(X))
        with threads_for(rows):
            return method(self, X, *args, **kwargs)

    return limited  # type: ignore[return-value]
