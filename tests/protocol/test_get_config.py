"""get_config through the client keeps every option of the view (Perspective 5.x keys)."""

from __future__ import annotations

import perspective_nb


def test_get_config_round_trips_filter_op_depth_and_rollup_modes():
    client = perspective_nb.Server().new_local_client()
    table = client.table({"g": ["a"], "v": [1]}, name="c")
    view = table.view(
        group_by=["g"],
        group_by_depth=1,
        filter=[["v", "is null"]],
        filter_op="or",
        aggregates={"v": "avg"},
    )
    config = view.get_config()
    # as perspective-python 5.6.1 reports them
    assert config["filter_op"] == "or"
    assert config["group_by_depth"] == 1
    assert config["group_rollup_mode"] == "rollup"
    assert config["split_rollup_mode"] == "flat"
    assert config["group_by"] == ["g"]
    assert config["columns"] == ["g", "v"]
    plain = table.view().get_config()
    assert "group_by_depth" not in plain
    assert plain["group_rollup_mode"] == "rollup"
