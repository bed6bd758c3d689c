"""Joins, derived tables, nested input and compressed Arrow through the Client API,
in-process and over a real websocket."""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.errors import PerspectiveError

from .conftest import wait_until


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def test_a_join_is_hosted_follows_its_sources_and_notifies_views(client, server):
    orders = client.table({"p": [1, 2, 1], "qty": [5, 6, 7]}, name="orders")
    products = client.table({"p": [1, 3], "name": ["pen", "ink"]}, name="products", index="p")
    joined = client.join(orders, "products", "p", "outer", name="joined")
    assert "joined" in client.get_hosted_table_names()
    assert joined.get_index() == "p"
    view = joined.view()
    assert view.to_columns() == {
        "p": [1, 2, 1, 3],
        "qty": [5, 6, 7, None],
        "name": ["pen", None, "pen", "ink"],
    }
    calls = []
    view.on_update(lambda *args: calls.append(args))
    products.update({"p": [2], "name": ["pad"]})
    assert wait_until(lambda: len(calls) == 1)
    assert view.to_columns()["name"] == ["pen", "pad", "pen", "ink"]
    assert client.open_table("joined").size() == 4
    with pytest.raises(PerspectiveError, match="read-only join"):
        joined.update({"p": [9]})
    with pytest.raises(PerspectiveError, match="derived from it"):
        orders.delete()
    with pytest.raises(PerspectiveError, match="exist in both tables"):
        client.join(orders, orders, "p")
    view.delete()
    joined.delete()
    orders.delete()
    products.delete()


def test_a_table_from_a_view_inherits_the_index(client):
    source = client.table({"k": [1, 2], "x": [1.5, 2.5]}, name="src", index="k")
    view = source.view(filter=[["x", ">", 2]])
    derived = client.table(view, name="derived")
    assert derived.get_index() == "k"
    source.update({"k": [3], "x": [3.5]})
    derived_view = derived.view()
    assert derived_view.to_columns() == {"k": [2, 3], "x": [2.5, 3.5]}
    with pytest.raises(PerspectiveError, match="index and limit cannot be set"):
        client.table(view, index="k")
    derived_view.delete()
    derived.delete()
    view.delete()
    source.delete()


def test_nested_arrow_and_table_options_cross_the_wire(client):
    data = pa.table({"p": pa.array([{"a": 1}]), "l": pa.array([[1, 2]]), "m": pa.array([[3]])})
    cartesian = client.table(_ipc(data), name="nested", list_flatten="cartesian")
    assert cartesian.view().to_columns() == {"p.a": [1, 1], "l": [1, 2], "m": [3, 3]}
    paged = client.table({"a": [1, 2]}, name="paged", page_to_disk=True)
    assert paged.view().to_columns() == {"a": [1, 2]}
    with pytest.raises(PerspectiveError, match="unknown list_flatten"):
        client.table(_ipc(data), list_flatten="flat")


@pytest.mark.parametrize("codec", ["lz4", "zstd"])
def test_to_arrow_compression_crosses_the_wire(client, codec):
    values = [i % 5 for i in range(2000)]
    table = client.table({"a": values}, name="big")
    view = table.view()
    packed = view.to_arrow(compression=codec)
    assert len(packed) < len(view.to_arrow())
    assert pa.ipc.open_stream(packed).read_all().column("a").to_pylist() == values
