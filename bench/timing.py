"""The one timer the bench scripts share: the median of repeated calls, in ms.

Medians, not means: the machines are shared and a single stall would
swamp a mean. ``warmup`` runs ``fn`` once untimed first (caches, lazy
imports); ``collect`` runs the garbage collector before each call, so one
library's garbage is not collected inside another's timing.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def median_ms(
    fn: Callable[[], object], repeat: int, *, warmup: bool = False, collect: bool = False
) -> float:
    """Median wall time of ``repeat`` calls of ``fn``, in milliseconds."""
    if warmup:
        fn()
    times = []
    for _ in range(repeat):
        if collect:
            gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
