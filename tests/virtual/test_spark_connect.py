"""A Spark Connect DataFrame (``SparkSession.builder.remote(...)``) served as a virtual table.

Spark Connect runs here as pyspark's own local server (``remote("local[2]")``),
in a child process: a process holds one kind of Spark session, and the
conformance suite's classic session lives in this one. The child answers
with JSON what a user would read; the views run as Spark SQL through the
Connect client's ``DataFrame``, the same path as a remote cluster's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conformance.backends import require

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent(
    """
    import json
    from pyspark.sql import SparkSession
    import perspective_nb

    spark = SparkSession.builder.remote("local[2]").getOrCreate()
    try:
        frame = spark.createDataFrame(
            [("a", 1, 2.5), ("b", 2, 3.5), ("a", 3, 1.0), (None, 4, None)], ["g", "x", "f"]
        )
        client = perspective_nb.Server().new_local_client()
        table = client.table(frame, name="events")
        grouped = table.view(group_by=["g"], columns=["x", "f"], sort=[["x", "desc"]])
        flat = table.view(columns=["g", "x"], filter=[["x", ">", 1]], sort=[["x", "desc"]])
        out = {
            "kind": type(frame).__module__,
            "schema": table.schema(),
            "size": table.size(),
            "grouped": grouped.to_columns(),
            "flat": flat.to_columns(),
            "sql": grouped.to_sql(),
        }
        try:
            table.update([{"x": 5}])
        except perspective_nb.PerspectiveError as exc:
            out["update_error"] = str(exc)
        print("RESULT " + json.dumps(out))
    finally:
        spark.stop()
    """
)


def test_a_spark_connect_dataframe_is_served():
    require("pyspark")
    require("grpc")  # Spark Connect's client: pip install 'pyspark[connect]'
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=240, env=env
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, done.stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT ") :])
    assert out["kind"] == "pyspark.sql.connect.dataframe"
    assert out["schema"] == {"g": "string", "x": "integer", "f": "float"}
    assert out["size"] == 4
    assert out["grouped"] == {
        "__ROW_PATH__": [[], [None], ["a"], ["b"]],
        "x": [10, 4, 4, 2],
        "f": [7.0, None, 3.5, 3.5],
    }
    assert out["flat"] == {"g": [None, "a", "b"], "x": [4, 3, 2]}
    assert "GROUPING SETS" in out["sql"]
    assert "cannot be written" in out["update_error"]
