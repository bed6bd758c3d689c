"""Every request type round-trips through an in-memory Session (raw protobuf frames)."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from perspective_nb.protocol import pb

ROWS = {"id": [1, 2, 3, 4], "region": ["a", "b", "a", "c"], "qty": [10.0, 20.0, 30.0, 40.0]}


def arrow_bytes(data: dict) -> bytes:
    table = pa.table(data)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def read_arrow(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


@pytest.fixture
def table(wire):
    req = pb.MakeTableReq()
    req.data.from_arrow = arrow_bytes(ROWS)
    req.options.make_index_table = "id"
    wire.ok("trades", make_table_req=req)
    return "trades"


def make_view(wire, table, view_id="v1", **config):
    from perspective_nb.protocol.view_config import encode_view_config

    req = pb.TableMakeViewReq(view_id=view_id, config=encode_view_config(config))
    body = wire.ok(table, table_make_view_req=req)
    assert body.view_id == view_id
    return view_id


def test_get_features_lists_filter_ops_and_aggregates(wire):
    body = wire.ok(get_features_req=pb.GetFeaturesReq())
    assert body.group_by
    assert body.split_by
    assert body.expressions
    assert body.on_update
    assert body.sort
    assert "contains" in body.filter_ops[pb.STRING].options
    assert ">" in body.filter_ops[pb.FLOAT].options
    names = [a.name for a in body.aggregates[pb.FLOAT].aggregates]
    assert "sum" in names
    assert "count" in [a.name for a in body.aggregates[pb.STRING].aggregates]


def test_make_table_then_hosted_tables_report_index(wire, table):
    body = wire.ok(get_hosted_tables_req=pb.GetHostedTablesReq())
    (info,) = body.table_infos
    assert info.entity_id == "trades"
    assert info.index == "id"
    assert not info.HasField("limit")


def test_make_table_with_limit_and_from_each_text_format(wire):
    forms = {
        "csv": pb.MakeTableData(from_csv="x,y\n1,a\n2,b\n"),
        "rows": pb.MakeTableData(from_rows='[{"x": 1, "y": "a"}, {"x": 2, "y": "b"}]'),
        "cols": pb.MakeTableData(from_cols='{"x": [1, 2], "y": ["a", "b"]}'),
        "ndjson": pb.MakeTableData(from_ndjson='{"x": 1, "y": "a"}\n{"x": 2, "y": "b"}\n'),
    }
    for name, data in forms.items():
        req = pb.MakeTableReq(data=data)
        req.options.make_limit_table = 10
        wire.ok(name, make_table_req=req)
        assert wire.ok(name, table_size_req=pb.TableSizeReq()).size == 2
    infos = wire.ok(get_hosted_tables_req=pb.GetHostedTablesReq()).table_infos
    assert {i.entity_id: i.limit for i in infos} == dict.fromkeys(forms, 10)


def test_make_table_from_schema_and_from_view(wire, table):
    schema = pb.Schema()
    schema.schema.add(name="s", type=pb.STRING)
    schema.schema.add(name="n", type=pb.FLOAT)
    wire.ok("empty", make_table_req=pb.MakeTableReq(data=pb.MakeTableData(from_schema=schema)))
    pairs = wire.ok("empty", table_schema_req=pb.TableSchemaReq()).schema.schema
    assert [(p.name, p.type) for p in pairs] == [("s", pb.STRING), ("n", pb.FLOAT)]

    view_id = make_view(wire, table, columns=["region", "qty"])
    req = pb.MakeTableReq(data=pb.MakeTableData(from_view=view_id))
    wire.ok("copy", make_table_req=req)
    assert wire.ok("copy", table_size_req=pb.TableSizeReq()).size == 4
    # The derived table follows the view: its view stays until it goes.
    refused = wire.call(view_id, view_delete_req=pb.ViewDeleteReq())
    assert refused.WhichOneof("client_resp") == "server_error"
    wire.ok("copy", table_delete_req=pb.TableDeleteReq())
    wire.ok(view_id, view_delete_req=pb.ViewDeleteReq())


def test_table_schema_keeps_column_order_and_types(wire, table):
    pairs = wire.ok(table, table_schema_req=pb.TableSchemaReq()).schema.schema
    assert [(p.name, p.type) for p in pairs] == [
        ("id", pb.INTEGER),
        ("region", pb.STRING),
        ("qty", pb.FLOAT),
    ]


def test_make_port_returns_distinct_ports(wire, table):
    first = wire.ok(table, table_make_port_req=pb.TableMakePortReq()).port_id
    second = wire.ok(table, table_make_port_req=pb.TableMakePortReq()).port_id
    assert first != second


def test_validate_expr_reports_schema_and_errors(wire, table):
    req = pb.TableValidateExprReq()
    req.column_to_expr["double"] = '"qty" * 2'
    req.column_to_expr["broken"] = '"qty" +'
    body = wire.ok(table, table_validate_expr_req=req)
    assert body.expression_schema["double"] == pb.FLOAT
    assert "broken" in body.errors
    assert body.errors["broken"].error_message
    assert body.expression_alias["double"] == '"qty" * 2'


def test_empty_validate_expr_gets_empty_answer(wire, table):
    body = wire.ok(table, table_validate_expr_req=pb.TableValidateExprReq())
    assert body == pb.TableValidateExprResp()


def test_update_remove_replace_and_size(wire, table):
    update = pb.TableUpdateReq(data=pb.MakeTableData(from_rows='[{"id": 5, "region": "d"}]'))
    wire.ok(table, table_update_req=update)
    assert wire.ok(table, table_size_req=pb.TableSizeReq()).size == 5
    wire.ok(table, table_remove_req=pb.TableRemoveReq(data=pb.MakeTableData(from_rows="[1, 2]")))
    assert wire.ok(table, table_size_req=pb.TableSizeReq()).size == 3
    replace = pb.TableReplaceReq(data=pb.MakeTableData(from_arrow=arrow_bytes(ROWS)))
    wire.ok(table, table_replace_req=replace)
    assert wire.ok(table, table_size_req=pb.TableSizeReq()).size == 4
    clear = pb.TableReplaceReq(data=pb.MakeTableData(from_rows="[]"))
    wire.ok(table, table_replace_req=clear)
    assert wire.ok(table, table_size_req=pb.TableSizeReq()).size == 0


def test_view_metadata_requests(wire, table):
    view = make_view(wire, table, group_by=["region"], columns=["qty", "id"])
    schema = wire.ok(view, view_schema_req=pb.ViewSchemaReq()).schema
    assert dict(schema) == {"qty": pb.FLOAT, "id": pb.INTEGER}
    dims = wire.ok(view, view_dimensions_req=pb.ViewDimensionsReq())
    # 3 groups + the total row
    assert (dims.num_table_rows, dims.num_table_columns) == (4, 3)
    assert (dims.num_view_rows, dims.num_view_columns) == (4, 2)
    paths = wire.ok(view, view_column_paths_req=pb.ViewColumnPathsReq()).paths
    assert list(paths) == ["qty", "id"]
    sliced = wire.ok(view, view_column_paths_req=pb.ViewColumnPathsReq(start_col=1)).paths
    assert list(sliced) == ["id"]
    config = wire.ok(view, view_get_config_req=pb.ViewGetConfigReq()).config
    assert list(config.group_by) == ["region"]
    assert list(config.columns.columns.columns) == ["qty", "id"]
    assert dict(wire.ok(view, view_expression_schema_req=pb.ViewExpressionSchemaReq()).schema) == {}
    min_max = wire.ok(view, view_get_min_max_req=pb.ViewGetMinMaxReq(column_name="qty"))
    assert (json.loads(min_max.min), json.loads(min_max.max)) == (20.0, 40.0)
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_view_expression_schema(wire, table):
    view = make_view(wire, table, expressions={"twice": '"qty" * 2'})
    schema = wire.ok(view, view_expression_schema_req=pb.ViewExpressionSchemaReq()).schema
    assert dict(schema) == {"twice": pb.FLOAT}
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_columns_string_flat_with_ids_and_clamped_viewport(wire, table):
    view = make_view(wire, table, columns=["region", "qty"])
    req = pb.ViewToColumnsStringReq(id=True)
    req.viewport.start_row = 1
    req.viewport.end_row = 3
    req.viewport.end_col = 99  # the viewer asks past the last column
    body = wire.ok(view, view_to_columns_string_req=req)
    assert json.loads(body.json_string) == {
        "region": ["b", "a"],
        "qty": [20.0, 30.0],
        "__ID__": [[2], [3]],
    }
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_columns_string_grouped_has_row_path_and_total_first(wire, table):
    view = make_view(wire, table, group_by=["region"], columns=["qty"])
    req = pb.ViewToColumnsStringReq(id=True)
    body = json.loads(wire.ok(view, view_to_columns_string_req=req).json_string)
    assert body["__ROW_PATH__"] == [[], ["a"], ["b"], ["c"]]
    assert body["__ID__"] == [[], ["a"], ["b"], ["c"]]
    assert body["qty"] == [100.0, 40.0, 20.0, 40.0]
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_split_by_columns_are_joined_with_pipes(wire, table):
    view = make_view(wire, table, split_by=["region"], columns=["qty"])
    paths = list(wire.ok(view, view_column_paths_req=pb.ViewColumnPathsReq()).paths)
    assert paths == ["a|qty", "b|qty", "c|qty"]
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_rows_ndjson_csv_and_arrow_outputs(wire, table):
    view = make_view(wire, table, columns=["id", "region"])
    port = pb.ViewPort(end_row=2)
    rows = wire.ok(view, view_to_rows_string_req=pb.ViewToRowsStringReq(viewport=port))
    assert json.loads(rows.json_string) == [{"id": 1, "region": "a"}, {"id": 2, "region": "b"}]
    nd = wire.ok(view, view_to_ndjson_string_req=pb.ViewToNdjsonStringReq(viewport=port))
    assert [json.loads(line) for line in nd.ndjson_string.splitlines()] == json.loads(
        rows.json_string
    )
    csv = wire.ok(view, view_to_csv_req=pb.ViewToCSVReq(viewport=port)).csv
    assert csv.splitlines()[0].replace('"', "") == "id,region"
    assert len(csv.strip().splitlines()) == 3
    arrow = wire.ok(view, view_to_arrow_req=pb.ViewToArrowReq(viewport=port)).arrow
    assert read_arrow(arrow).to_pydict() == {"id": [1, 2], "region": ["a", "b"]}
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_expand_collapse_and_set_depth(wire, table):
    view = make_view(wire, table, group_by=["region", "id"], columns=["qty"])
    rows = wire.ok(view, view_dimensions_req=pb.ViewDimensionsReq()).num_view_rows
    assert rows == 8  # total, 3 regions, 4 ids
    wire.ok(view, view_collapse_req=pb.ViewCollapseReq(row_index=1))
    assert wire.ok(view, view_dimensions_req=pb.ViewDimensionsReq()).num_view_rows == 6
    wire.ok(view, view_expand_req=pb.ViewExpandReq(row_index=1))
    assert wire.ok(view, view_dimensions_req=pb.ViewDimensionsReq()).num_view_rows == 8
    wire.ok(view, view_set_depth_req=pb.ViewSetDepthReq(depth=1))
    assert wire.ok(view, view_dimensions_req=pb.ViewDimensionsReq()).num_view_rows < 8
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_expand_and_collapse_report_rows_changed(wire, table):
    # perspective-python 3.8: collapsing region "a" (2 children) changes 2 rows.
    view = make_view(wire, table, group_by=["region", "id"], columns=["qty"])
    try:
        changed = wire.ok(view, view_collapse_req=pb.ViewCollapseReq(row_index=1)).num_changed
        assert changed == 2
        changed = wire.ok(view, view_expand_req=pb.ViewExpandReq(row_index=1)).num_changed
        assert changed == 2
    finally:
        wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_server_system_info(wire):
    body = wire.ok(server_system_info_req=pb.ServerSystemInfoReq())
    assert body.used_size > 0
