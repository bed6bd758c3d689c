"""How long a 100-row viewport read takes through the local client (protocol overhead).

Run: ``python bench/local_client_viewport.py [rows]``. Prints the median
milliseconds of reading the first 100 rows of a flat and a grouped view,
through the in-process Client (encode -> Session -> engine -> encode ->
decode) and straight from the engine, so the difference is the protocol's
cost. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import pyarrow as pa

from perspective_nb.server import Server


def _median_ms(fn, repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main(rows: int = 1_000_000) -> None:
    rng = np.random.default_rng(0)
    data = pa.table(
        {
            "id": np.arange(rows),
            "region": pa.array(rng.integers(0, 10, rows).astype(str)),
            "qty": rng.random(rows),
        }
    )
    server = Server()
    client = server.new_local_client()
    table = client.table(data, name="bench")
    for label, config in (("flat", {}), ("group_by region", {"group_by": ["region"]})):
        view = table.view(**config)
        engine_view = server.get_view(view.id)
        view.to_columns_string(start_row=0, end_row=100)  # warm the view's cache
        via_client = _median_ms(lambda v=view: v.to_columns_string(start_row=0, end_row=100))
        direct = _median_ms(lambda v=engine_view: v.to_columns_string(start_row=0, end_row=100))
        print(f"{label:>16}: client {via_client:.3f} ms, engine {direct:.3f} ms")
        view.delete()
    table.delete()
    client.terminate()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
