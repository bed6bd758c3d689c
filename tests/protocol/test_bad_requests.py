"""Bad requests over a Session: each gets a server_error naming the value; the session goes on.

These are the wire forms of the API's bad arguments (huge integers in JSON,
keys of the wrong kind, repeated or oversized view configs, expressions too
long or too deep). None may reach the server as an unexpected exception (those
are logged with a traceback), and the session must keep answering.
"""

from __future__ import annotations

import logging

import pytest

from perspective_nb.engine.config_shape import MAX_GROUP_BY
from perspective_nb.protocol import pb
from perspective_nb.protocol.view_config import encode_view_config

BIG = 2**63


@pytest.fixture
def tables(wire):
    wire.ok(
        "plain",
        make_table_req=pb.MakeTableReq(
            data=pb.MakeTableData(from_cols='{"a": [1, 2], "g": ["x", "y"]}')
        ),
    )
    keyed = pb.MakeTableReq(data=pb.MakeTableData(from_cols='{"k": [1, 2], "v": [1.5, 2.5]}'))
    keyed.options.make_index_table = "k"
    wire.ok("keyed", make_table_req=keyed)
    return wire


def view_request(view_id: str, config: pb.ViewConfig) -> pb.TableMakeViewReq:
    return pb.TableMakeViewReq(view_id=view_id, config=config)


def rows(text: str) -> pb.MakeTableData:
    return pb.MakeTableData(from_rows=text)


def bad_requests():
    """(id, entity, body, text the error must contain)."""
    filter_list = pb.ViewConfig()
    term = filter_list.filter.add(column="a", op=">")
    term.value.add().float = 1
    term.value.add().float = 2
    deep = "(" * 500 + "1" + ")" * 500
    return [
        (
            "table with a JSON integer >= 2**63",
            "big",
            {"make_table_req": pb.MakeTableReq(data=rows(f'[{{"a": {BIG}}}]'))},
            str(BIG),
        ),
        (
            "table with limit 0",
            "zero",
            {
                "make_table_req": pb.MakeTableReq(
                    data=rows('[{"a": 1}]'),
                    options=pb.MakeTableReq.MakeTableOptions(make_limit_table=0),
                )
            },
            "got 0",
        ),
        (
            "update with a JSON integer >= 2**63",
            "plain",
            {"table_update_req": pb.TableUpdateReq(data=rows(f'[{{"a": {BIG}}}]'))},
            str(BIG),
        ),
        (
            "remove strings from a table without index",
            "plain",
            {"table_remove_req": pb.TableRemoveReq(data=rows('["x"]'))},
            "got 'x'",
        ),
        (
            "remove nested keys",
            "keyed",
            {"table_remove_req": pb.TableRemoveReq(data=rows("[[1]]"))},
            "got [1]",
        ),
        (
            "remove a key beyond 64 bits",
            "keyed",
            {"table_remove_req": pb.TableRemoveReq(data=rows(f"[{2**70}]"))},
            str(2**70),
        ),
        (
            "group_by repeated 10,000 times",
            "plain",
            {"table_make_view_req": view_request("v1", pb.ViewConfig(group_by=["g"] * 10_000))},
            f"at most {MAX_GROUP_BY}",
        ),
        (
            "split_by repeated",
            "plain",
            {"table_make_view_req": view_request("v2", pb.ViewConfig(split_by=["g", "g"]))},
            "'g' more than once",
        ),
        (
            "'>' filter with two values",
            "plain",
            {"table_make_view_req": view_request("v3", filter_list)},
            "got a list",
        ),
        (
            "an expression nested 500 deep",
            "plain",
            {
                "table_make_view_req": view_request(
                    "v4", encode_view_config({"expressions": {"e": deep}})
                )
            },
            "nested too deeply",
        ),
        (
            "an expression of 1 MB",
            "plain",
            {
                "table_make_view_req": view_request(
                    "v5", encode_view_config({"expressions": {"e": "1+" * 500_000 + "1"}})
                )
            },
            "too long",
        ),
    ]


CASES = bad_requests()


@pytest.mark.parametrize(
    ("entity", "body", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_request_gets_server_error_and_session_goes_on(tables, caplog, entity, body, fragment):
    wire = tables
    with caplog.at_level(logging.ERROR, logger="perspective_nb"):
        response = wire.call(entity, **body)
    assert response.WhichOneof("client_resp") == "server_error"
    assert fragment in response.server_error.message
    assert not caplog.records, "an unexpected exception reached the session"
    # The session still works and the tables are unchanged.
    assert wire.ok("plain", table_size_req=pb.TableSizeReq()).size == 2
    assert wire.ok("keyed", table_size_req=pb.TableSizeReq()).size == 2
    wire.ok("plain", table_make_view_req=view_request("ok", pb.ViewConfig(group_by=["g"])))
    wire.ok("ok", view_delete_req=pb.ViewDeleteReq())


def test_validate_expr_reports_limits_as_expression_errors(tables):
    wire = tables
    req = pb.TableValidateExprReq()
    req.column_to_expr["long"] = "1+" * 500_000 + "1"
    req.column_to_expr["deep"] = "(" * 500 + "1" + ")" * 500
    req.column_to_expr["sum"] = "+".join(['"a"'] * 5000)
    body = wire.ok("plain", table_validate_expr_req=req)
    assert "too long" in body.errors["long"].error_message
    assert "nested too deeply" in body.errors["deep"].error_message
    assert "sum" in body.expression_schema  # 5,000 terms evaluate
    assert set(body.errors) == {"long", "deep"}
