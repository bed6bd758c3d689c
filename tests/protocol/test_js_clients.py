"""The official JS clients (@finos/perspective 3.8, @perspective-dev/client 5.5) against our server.

Runs ``js/client_scenario.mjs`` under node over a real websocket. Skipped
when node or the npm packages (``npm ci`` at the repository root) are missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("js") / "client_scenario.mjs"

PACKAGES = {"3.8": "@finos/perspective", "5.5": "@perspective-dev/client"}


def _require(package: str) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (ROOT / "node_modules" / package / "package.json").exists():
        pytest.skip(f"{package} is not installed; run `npm ci` at the repository root")


def run_scenario(package: str, url: str, *extra: str) -> dict:
    done = subprocess.run(
        ["node", str(SCENARIO), package, url, *extra],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def trades(server):
    server.make_table(
        "trades",
        {"id": [1, 2, 3, 4], "region": ["a", "b", "a", "c"], "qty": [1.0, 2.0, 3.0, 4.0]},
        index="id",
        limit=None,
    )
    return server.get_table("trades")


def check(result: dict, group_header: str = '"region","qty"') -> None:
    assert result["hosted"] == ["trades"]
    assert result["schema"] == {"id": "integer", "region": "string", "qty": "float"}
    assert result["size"] == 4
    assert result["columns"] == {
        "__ROW_PATH__": [[], ["c"], ["a"], ["b"]],
        "qty": [9.0, 4.0, 3.0, 2.0],
    }
    assert result["dimensions"] == {
        "num_table_rows": 4,
        "num_table_columns": 3,
        "num_view_rows": 4,
        "num_view_columns": 1,
    }
    assert result["config"] == {
        "group_by": ["region"],
        "sort": [["qty", "desc"]],
        "filter": [["qty", ">", 1]],
    }
    assert result["min_max"] == [2, 4]
    assert result["update"]["port_id"] == 0
    assert result["update"]["delta_bytes"] > 0
    assert result["validate"]["expression_schema"] == {"e": "float"}
    # these clients read the joined names of the wire
    assert result["column_paths"] == ["a|qty", "b|qty", "c|qty", "d|qty"]
    # group-by columns are named as 5.x names them, or 3.x for a known 3.x client
    assert result["grouped_csv_header"] == group_header
    assert result["made_size"] == 3
    assert result["arrow_bytes"] > 0
    assert result["csv"].split() == ['"x"', "1", "2", "3"]
    assert result["hosted_after"] == ["trades"]


@pytest.mark.parametrize("generation", ["3.8", "5.5"])
def test_official_js_client(live, trades, generation):
    package = PACKAGES[generation]
    _require(package)
    if generation == "3.8":
        check(run_scenario(package, live.url))
        trades.remove([5])
        legacy = run_scenario(package, live.url.replace("/websocket", "/websocket-3"))
        check(legacy, group_header='"region (Group by 1)","qty"')
    else:
        # A 5.x client is recognised from its hosted-tables subscription ...
        result = run_scenario(package, live.url, "subscribe")
        check(result)
        # ... and may ask for either of the other group-by column names.
        assert result["row_path_csv_header"] == '"__ROW_PATH_0__","qty"'
        assert result["legacy_csv_header"] == '"region (Group by 1)","qty"'
        trades.remove([5])
        # ... or the route is told which generation connects.
        check(run_scenario(package, live.url.replace("/websocket", "/websocket-5")))


def test_official_5x_js_client_joins_derives_and_compresses(live, server):
    package = PACKAGES["5.5"]
    _require(package)
    join_scenario = SCENARIO.with_name("join_scenario.mjs")
    done = subprocess.run(
        ["node", str(join_scenario), package, live.url.replace("/websocket", "/websocket-5")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["joined"] == {
        "p": [1, 2, 1, 3],
        "qty": [5, 6, 7, None],
        "label": ["pen", None, "pen", "ink"],
    }
    assert result["after_update"]["label"] == ["pen", None, "pen", "ink"]
    assert result["after_update"]["qty"] == [5, 6, 7, 8]
    assert result["index"] == "p"
    assert result["refused"] is True
    assert result["zstd_bytes"] > 0
    assert result["derived"] == {"p": [2, 1, 3, 4], "qty": [6, 7, 8, 9]}
    assert result["hosted_after"] == ["js_orders", "js_products"]
