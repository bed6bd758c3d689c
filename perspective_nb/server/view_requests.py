"""Handlers for ``view_*`` requests (``entity_id`` is the client-chosen view id).

Metadata (schema, dimensions, config, column paths, min/max), serialisers
(arrow, columns/rows JSON, NDJSON, CSV) over an optional viewport, tree
state (expand, collapse, set_depth), and the streaming subscriptions
(on_update with optional ROW deltas, on_delete) plus their removal.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING, Any

from ..protocol import pb
from ..protocol.column_types import column_type_from_name
from ..protocol.json_text import JsonText
from ..protocol.view_config import encode_scalar, encode_view_config

if TYPE_CHECKING:
    from .session import Session

__all__ = ["HANDLERS", "viewport_kwargs"]

_EPOCH = _dt.datetime(1970, 1, 1)


def _view(session: Session, request: pb.Request):
    return session.server.get_view(request.entity_id)


def viewport_kwargs(viewport: pb.ViewPort) -> dict[str, int]:
    """Return the ``start_row``/``end_row``/``start_col``/``end_col`` that are set."""
    return {
        field: getattr(viewport, field)
        for field in ("start_row", "end_row", "start_col", "end_col")
        if viewport.HasField(field)
    }


def _names(session: Session, viewport: pb.ViewPort) -> dict[str, bool]:
    # A 5.x client may ask for "<col> (Group by N)" or "__ROW_PATH_N__" names;
    # 3.x clients name group-by columns "<col> (Group by N)" in Arrow / CSV.
    if viewport.HasField("emit_legacy_row_path_names"):
        return {"emit_legacy_row_path_names": viewport.emit_legacy_row_path_names}
    return {"legacy_group_names": True} if session.generation == 3 else {}


def _flags(req: Any) -> dict[str, bool]:
    # ``formatted`` has no meaning for us: values are always raw.
    flags = {}
    for field in ("id", "index", "leaves_only"):
        if field in req.DESCRIPTOR.fields_by_name and req.HasField(field):
            flags[field] = getattr(req, field)
    return flags


def _plain_scalar(value: Any) -> Any:
    # Dates and datetimes travel as epoch milliseconds, as Perspective sends them.
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        value = int((value - _EPOCH).total_seconds() * 1000)
    elif isinstance(value, _dt.date):
        value = int((_dt.datetime(value.year, value.month, value.day) - _EPOCH).total_seconds())
        value *= 1000
    elif hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return value


def view_schema(session: Session, request: pb.Request, response: pb.Response) -> bool:
    resp = response.view_schema_resp
    resp.SetInParent()
    for name, ptype in _view(session, request).schema().items():
        resp.schema[name] = column_type_from_name(ptype)
    return True


def view_expression_schema(session: Session, request: pb.Request, response: pb.Response) -> bool:
    resp = response.view_expression_schema_resp
    resp.SetInParent()
    for name, ptype in _view(session, request).expression_schema().items():
        resp.schema[name] = column_type_from_name(ptype)
    return True


def view_dimensions(session: Session, request: pb.Request, response: pb.Response) -> bool:
    dims = _view(session, request).dimensions()
    resp = response.view_dimensions_resp
    resp.num_table_rows = dims["num_table_rows"]
    resp.num_table_columns = dims["num_table_columns"]
    resp.num_view_rows = dims["num_view_rows"]
    resp.num_view_columns = dims["num_view_columns"]
    return True


def view_get_config(session: Session, request: pb.Request, response: pb.Response) -> bool:
    response.view_get_config_resp.config.CopyFrom(
        encode_view_config(_view(session, request).get_config())
    )
    return True


def view_column_paths(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.view_column_paths_req
    view = _view(session, request)
    start = req.start_col if req.HasField("start_col") else None
    end = req.end_col if req.HasField("end_col") else None
    reply = response.view_column_paths_resp
    reply.SetInParent()
    # Joined names for 3.x and 5.x clients up to 5.5, typed levels for later ones.
    reply.paths.extend(list(view.column_paths())[start:end])
    for values in view.column_path_levels():
        level = reply.levels.add()
        for value in values[start:end]:
            encode_scalar(value, level.values.add())
    return True


def view_get_min_max(session: Session, request: pb.Request, response: pb.Response) -> bool:
    low, high = _view(session, request).get_min_max(request.view_get_min_max_req.column_name)
    low, high = _plain_scalar(low), _plain_scalar(high)
    if session.generation == 5:
        # 5.x clients read these two fields as Scalars, 3.x as JSON text.
        scalar = pb.ScalarMinMaxResponse(msg_id=request.msg_id, entity_id=request.entity_id)
        encode_scalar(low, scalar.view_get_min_max_resp.min)
        encode_scalar(high, scalar.view_get_min_max_resp.max)
        session.send_message(scalar)
        return False
    response.view_get_min_max_resp.min = json.dumps(low)
    response.view_get_min_max_resp.max = json.dumps(high)
    return True


def view_to_arrow(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.view_to_arrow_req
    compression = req.compression if req.HasField("compression") else None
    arrow = _view(session, request).to_arrow(
        compression, **viewport_kwargs(req.viewport), **_names(session, req.viewport)
    )
    session.put_large(response, response.view_to_arrow_resp, "arrow", arrow)
    return True


def view_to_columns_string(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.view_to_columns_string_req
    view, kw = _view(session, request), {**viewport_kwargs(req.viewport), **_flags(req)}
    # An in-process client takes the object itself: no JSON text made and parsed.
    text = JsonText(view.to_columns(**kw)) if session.out_of_band else view.to_columns_string(**kw)
    session.put_large(response, response.view_to_columns_string_resp, "json_string", text)
    return True


def view_to_rows_string(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.view_to_rows_string_req
    view, kw = _view(session, request), {**viewport_kwargs(req.viewport), **_flags(req)}
    text = JsonText(view.to_records(**kw)) if session.out_of_band else view.to_json_string(**kw)
    session.put_large(response, response.view_to_rows_string_resp, "json_string", text)
    return True


def view_to_ndjson_string(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.view_to_ndjson_string_req
    text = _view(session, request).to_ndjson(**viewport_kwargs(req.viewport), **_flags(req))
    session.put_large(response, response.view_to_ndjson_string_resp, "ndjson_string", text)
    return True


def view_to_csv(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.view_to_csv_req
    text = _view(session, request).to_csv(
        **viewport_kwargs(req.viewport), **_names(session, req.viewport)
    )
    session.put_large(response, response.view_to_csv_resp, "csv", text)
    return True


def view_expand(session: Session, request: pb.Request, response: pb.Response) -> bool:
    changed = _view(session, request).expand(request.view_expand_req.row_index)
    response.view_expand_resp.num_changed = max(int(changed or 0), 0)
    return True


def view_collapse(session: Session, request: pb.Request, response: pb.Response) -> bool:
    changed = _view(session, request).collapse(request.view_collapse_req.row_index)
    response.view_collapse_resp.num_changed = max(int(changed or 0), 0)
    return True


def view_set_depth(session: Session, request: pb.Request, response: pb.Response) -> bool:
    _view(session, request).set_depth(request.view_set_depth_req.depth)
    response.view_set_depth_resp.SetInParent()
    return True


def view_on_update(session: Session, request: pb.Request, response: pb.Response) -> bool:
    view = _view(session, request)
    mode = "row" if request.view_on_update_req.HasField("mode") else None
    emit = session.stream(request.msg_id, request.entity_id)

    def on_update(port_id: int, delta: bytes | None = None) -> None:
        def fill(resp: pb.Response) -> None:
            resp.view_on_update_resp.port_id = port_id
            if delta is not None:
                session.put_large(resp, resp.view_on_update_resp, "delta", delta)

        emit(fill)

    callback_id = view.on_update(on_update, mode=mode)
    session.add_subscription(
        request.entity_id, request.msg_id, lambda: view.remove_update(callback_id)
    )
    return False


def view_remove_on_update(session: Session, request: pb.Request, response: pb.Response) -> bool:
    session.cancel_subscription(request.entity_id, request.view_remove_on_update_req.id)
    response.view_remove_on_update_resp.SetInParent()
    return True


def view_on_delete(session: Session, request: pb.Request, response: pb.Response) -> bool:
    view = _view(session, request)
    emit = session.stream(request.msg_id, request.entity_id)
    callback_id = view.on_delete(lambda: emit(lambda r: r.view_on_delete_resp.SetInParent()))
    session.add_subscription(
        request.entity_id, request.msg_id, lambda: view.remove_delete(callback_id)
    )
    return False


def view_remove_delete(session: Session, request: pb.Request, response: pb.Response) -> bool:
    session.cancel_subscription(request.entity_id, request.view_remove_delete_req.id)
    response.view_remove_delete_resp.SetInParent()
    return True


def view_delete(session: Session, request: pb.Request, response: pb.Response) -> bool:
    session.server.delete_view(request.entity_id)
    response.view_delete_resp.SetInParent()
    return True


HANDLERS = {
    "view_schema_req": view_schema,
    "view_expression_schema_req": view_expression_schema,
    "view_dimensions_req": view_dimensions,
    "view_get_config_req": view_get_config,
    "view_column_paths_req": view_column_paths,
    "view_get_min_max_req": view_get_min_max,
    "view_to_arrow_req": view_to_arrow,
    "view_to_columns_string_req": view_to_columns_string,
    "view_to_rows_string_req": view_to_rows_string,
    "view_to_ndjson_string_req": view_to_ndjson_string,
    "view_to_csv_req": view_to_csv,
    "view_expand_req": view_expand,
    "view_collapse_req": view_collapse,
    "view_set_depth_req": view_set_depth,
    "view_on_update_req": view_on_update,
    "view_remove_on_update_req": view_remove_on_update,
    "view_on_delete_req": view_on_delete,
    "view_remove_delete_req": view_remove_delete,
    "view_delete_req": view_delete,
}
