"""The deterministic sample table the browser tests load, and Python reference results.

Values are chosen so that every aggregate is exact in binary floating
point (prices are multiples of 0.25), which lets tests compare the
numbers the grid shows with sums computed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

N_ROWS = 1000
REGIONS = ("North", "South", "East", "West")
CATEGORIES = ("A", "B", "C")


def sample_columns(n: int = N_ROWS) -> dict[str, list]:
    """Columns id, region, category, qty, price, name for ``n`` rows."""
    return {
        "id": list(range(n)),
        "region": [REGIONS[(i * 7 + i // 5) % 4] for i in range(n)],
        "category": [CATEGORIES[(i * 5 + i // 7) % 3] for i in range(n)],
        "qty": [(i * 37) % 50 + 1 for i in range(n)],
        "price": [((i * 13) % 100) / 4 for i in range(n)],
        "name": [f"item-{i:04d}" for i in range(n)],
    }


def rows_of(columns: dict[str, list]) -> list[dict]:
    """Column dict -> list of row dicts."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def group_sums(
    rows: list[dict],
    key: Callable[[dict], str],
    value: Callable[[dict], float],
) -> dict[str, float]:
    """Sum ``value(row)`` per ``key(row)``."""
    out: dict[str, float] = defaultdict(float)
    for row in rows:
        out[key(row)] += value(row)
    return dict(out)
