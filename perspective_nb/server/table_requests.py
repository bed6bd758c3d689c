"""Handlers for ``table_*`` requests (``entity_id`` is the table name).

schema, size, make_port, make_view, validate_expr, update, remove, replace,
delete, on_delete and remove_delete. Each handler fills the response and
returns whether to send it now (False for ``on_delete``, answered when the
table goes away, with the request's msg_id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from google.protobuf.unknown_fields import UnknownFieldSet

from ..engine.arguments import check_remove_keys
from ..engine.config_shape import check_config_shape
from ..errors import UpdateError
from ..protocol import pb
from ..protocol.column_types import column_type_from_name, schema_to_pairs
from ..protocol.table_data import decode_keys, decode_table_data
from ..protocol.view_config import decode_view_config

if TYPE_CHECKING:
    from .session import Session

__all__ = ["HANDLERS"]


def _table(session: Session, request: pb.Request):
    return session.server.get_table(request.entity_id)


def _data(session: Session, message: pb.MakeTableData):
    server = session.server
    return decode_table_data(
        message, lambda view_id: server.get_view(view_id).to_arrow(), session.request_payload()
    )


def _is_5x_config(config: pb.ViewConfig) -> bool:
    # Rollup modes (and fields we do not know, like window columns) exist
    # only in 5.x clients' configs.
    return (
        config.HasField("group_rollup_mode")
        or config.HasField("split_rollup_mode")
        or len(UnknownFieldSet(config)) > 0
    )


def table_schema(session: Session, request: pb.Request, response: pb.Response) -> bool:
    schema = _table(session, request).schema()
    schema_to_pairs(schema, response.table_schema_resp.schema)
    response.table_schema_resp.schema.SetInParent()
    return True


def table_size(session: Session, request: pb.Request, response: pb.Response) -> bool:
    response.table_size_resp.size = _table(session, request).size()
    return True


def table_make_port(session: Session, request: pb.Request, response: pb.Response) -> bool:
    response.table_make_port_resp.port_id = _table(session, request).make_port()
    return True


def table_make_view(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.table_make_view_req
    table = _table(session, request)
    if _is_5x_config(req.config):
        session.hint_generation(5)
    config = decode_view_config(req.config)
    # Before the engine types the expressions: bounds every list first.
    check_config_shape(config)
    view = table.view(**config)
    try:
        session.server.register_view(req.view_id, view, session)
    except Exception:
        view.delete()
        raise
    response.table_make_view_resp.view_id = req.view_id
    return True


def table_validate_expr(session: Session, request: pb.Request, response: pb.Response) -> bool:
    expressions = dict(request.table_validate_expr_req.column_to_expr)
    resp = response.table_validate_expr_resp
    resp.SetInParent()
    if not expressions:
        return True
    result = _table(session, request).validate_expressions(expressions)
    for alias, ptype in result.get("expression_schema", {}).items():
        resp.expression_schema[alias] = column_type_from_name(ptype)
    for alias, error in result.get("errors", {}).items():
        target = resp.errors[alias]
        target.error_message = str(error.get("error_message", ""))
        target.line = int(error.get("line", 0) or 0)
        target.column = int(error.get("column", 0) or 0)
    for alias, expression in result.get("expression_alias", {}).items():
        resp.expression_alias[alias] = expression
    return True


def table_update(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.table_update_req
    table, data, port_id = _table(session, request), _data(session, req.data), req.port_id
    session.server.run_write(lambda: table.update(data, port_id=port_id))
    response.table_update_resp.SetInParent()
    return True


def table_remove(session: Session, request: pb.Request, response: pb.Response) -> bool:
    table = _table(session, request)
    keys = decode_keys(request.table_remove_req.data, table.get_index())
    check_remove_keys(keys, table.get_index())
    if table.get_index() is None and None in keys:
        # check_remove_keys lets nulls through, and the engine cannot use a
        # null as a row number.
        raise UpdateError(
            "this table has no index, so remove takes row numbers (integers), got None; "
            "pass row numbers, or create the table with index=<column> to remove by key"
        )
    session.server.run_write(lambda: table.remove(keys))
    response.table_remove_resp.SetInParent()
    return True


def table_replace(session: Session, request: pb.Request, response: pb.Response) -> bool:
    table = _table(session, request)
    data = _data(session, request.table_replace_req.data)
    if isinstance(data, str) and data.strip() == "[]":
        session.server.run_write(table.clear)  # clients send ``replace([])`` to clear a table
    else:
        session.server.run_write(lambda: table.replace(data))
    response.table_replace_resp.SetInParent()
    return True


def table_delete(session: Session, request: pb.Request, response: pb.Response) -> bool:
    table = _table(session, request)
    table.delete()
    response.table_delete_resp.SetInParent()
    return True


def table_on_delete(session: Session, request: pb.Request, response: pb.Response) -> bool:
    table = _table(session, request)
    emit = session.stream(request.msg_id, request.entity_id)
    entity, msg_id = request.entity_id, request.msg_id

    def on_delete() -> None:
        session.drop_subscriptions_of(entity)
        emit(lambda resp: resp.table_on_delete_resp.SetInParent())

    callback_id = table.on_delete(on_delete)
    session.add_subscription(entity, msg_id, lambda: table.remove_delete(callback_id))
    return False


def table_remove_delete(session: Session, request: pb.Request, response: pb.Response) -> bool:
    session.cancel_subscription(request.entity_id, request.table_remove_delete_req.id)
    response.table_remove_delete_resp.SetInParent()
    return True


HANDLERS = {
    "table_schema_req": table_schema,
    "table_size_req": table_size,
    "table_make_port_req": table_make_port,
    "table_make_view_req": table_make_view,
    "table_validate_expr_req": table_validate_expr,
    "table_update_req": table_update,
    "table_remove_req": table_remove,
    "table_replace_req": table_replace,
    "table_delete_req": table_delete,
    "table_on_delete_req": table_on_delete,
    "table_remove_delete_req": table_remove_delete,
}
