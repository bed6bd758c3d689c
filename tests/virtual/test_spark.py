"""A Spark DataFrame served by a client (local Spark); tests/conformance compares its
views with the in-memory engine's."""

from __future__ import annotations

import pytest

import perspective_nb

pytestmark = pytest.mark.slow


def test_a_dataframe_is_served_by_a_client(spark):
    client = perspective_nb.Server().new_local_client()
    frame = spark.range(100).selectExpr("id", "id % 4 AS bucket", "CAST(id AS DOUBLE) / 2 AS x")
    table = client.table(frame, name="events")
    assert table.size() == 100
    view = table.view(group_by=["bucket"], columns=["x"], sort=[["x", "desc"]])
    out = view.to_columns(start_row=0, end_row=3)
    assert out["__ROW_PATH__"] == [[], [3], [2]]
    assert out["x"] == [sum(range(100)) / 2, sum(range(3, 100, 4)) / 2, sum(range(2, 100, 4)) / 2]
    assert "GROUPING SETS" in view.to_sql()
    with pytest.raises(perspective_nb.PerspectiveError, match="cannot be written"):
        table.update([{"id": 1}])
    view.delete()
    client.terminate()
