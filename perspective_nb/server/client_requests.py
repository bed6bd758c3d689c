"""Handlers for the client-level requests (``entity_id`` is "" or a new table's name).

get_features, get_hosted_tables (with ``subscribe``), remove_hosted_tables_update,
make_table and server_system_info. Each handler fills the response and
returns whether to send it now (False for subscriptions, answered later).
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from ..engine.derived import check_no_options
from ..errors import ProtocolError
from ..protocol import pb
from ..protocol.column_types import schema_from_pairs
from ..protocol.table_data import decode_table_data

if TYPE_CHECKING:
    from .session import Session

__all__ = ["HANDLERS", "fill_hosted_tables"]

_LIST_FLATTEN = {pb.ZIP: "zip", pb.CARTESIAN: "cartesian", pb.STRINGIFY: "stringify"}
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def get_features(session: Session, request: pb.Request, response: pb.Response) -> bool:
    response.get_features_resp.CopyFrom(session.server.features())
    return True


def fill_hosted_tables(session: Session, response: pb.Response) -> None:
    """Fill ``get_hosted_tables_resp`` with every hosted table's name, index and limit."""
    infos = response.get_hosted_tables_resp
    infos.SetInParent()
    for name, table in session.server.hosted_tables():
        info = infos.table_infos.add(entity_id=name)
        index, limit = table.get_index(), table.get_limit()
        if index is not None:
            info.index = index
        if limit is not None:
            info.limit = limit


def get_hosted_tables(session: Session, request: pb.Request, response: pb.Response) -> bool:
    if not request.get_hosted_tables_req.subscribe:
        fill_hosted_tables(session, response)
        return True
    # Subscribed: no reply now; one reply (same msg_id) per change of the set.
    # Only 5.x viewers subscribe on their own, so this hints at the generation.
    session.hint_generation(5)
    emit = session.stream(request.msg_id, request.entity_id)
    server = session.server
    listener = server.on_hosted_tables_update(
        lambda: emit(lambda resp: fill_hosted_tables(session, resp))
    )
    session.add_subscription(
        request.entity_id,
        request.msg_id,
        lambda: server.remove_hosted_tables_update(listener),
    )
    return False


def remove_hosted_tables_update(
    session: Session, request: pb.Request, response: pb.Response
) -> bool:
    session.cancel_subscription(request.entity_id, request.remove_hosted_tables_update_req.id)
    response.remove_hosted_tables_update_resp.SetInParent()
    return True


def make_table(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.make_table_req
    index = limit = list_flatten = None
    page_to_disk = False
    if req.HasField("options"):
        options = req.options
        kind = options.WhichOneof("make_table_type")
        if kind == "make_index_table":
            index = options.make_index_table
        elif kind == "make_limit_table":
            limit = options.make_limit_table
        page_to_disk = options.page_to_disk
        if options.HasField("list_flatten"):
            list_flatten = _LIST_FLATTEN.get(options.list_flatten)
            if list_flatten is None:
                raise ProtocolError(
                    f"unknown list_flatten {options.list_flatten} in make_table_req"
                )
    server = session.server
    if req.data.WhichOneof("data") == "from_view":
        check_no_options(index, limit)
        schema = None
        if req.HasField("options") and req.options.HasField("schema"):
            schema = schema_from_pairs(req.options.schema)
        server.make_view_table(request.entity_id, req.data.from_view, schema)
        response.make_table_resp.SetInParent()
        return True
    data = decode_table_data(
        req.data, lambda view_id: server.get_view(view_id).to_arrow(), session.request_payload()
    )
    server.make_table(
        request.entity_id,
        data,
        index=index,
        limit=limit,
        list_flatten=list_flatten,
        page_to_disk=page_to_disk,
    )
    response.make_table_resp.SetInParent()
    return True


_JOIN_TYPES = {pb.INNER: "inner", pb.LEFT: "left", pb.OUTER: "outer"}


def make_join_table(session: Session, request: pb.Request, response: pb.Response) -> bool:
    req = request.make_join_table_req
    join_type = _JOIN_TYPES.get(req.join_type)
    if join_type is None:
        raise ProtocolError(f"unknown join_type {req.join_type} in make_join_table_req")
    session.server.make_join(
        request.entity_id,
        req.left_table_id,
        req.right_table_id,
        req.on_column,
        join_type,
        req.right_on_column if req.HasField("right_on_column") else None,
    )
    response.make_join_table_resp.SetInParent()
    return True


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        import resource  # ru_maxrss (peak, KiB) where /proc is missing

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def server_system_info(session: Session, request: pb.Request, response: pb.Response) -> bool:
    info = response.server_system_info_resp
    used = _resident_bytes()
    info.heap_size = used
    info.used_size = used
    info.cpu_time = int(time.process_time() * 1000) & 0xFFFFFFFF
    info.cpu_time_epoch = int(time.time()) & 0xFFFFFFFF
    return True


HANDLERS = {
    "get_features_req": get_features,
    "get_hosted_tables_req": get_hosted_tables,
    "remove_hosted_tables_update_req": remove_hosted_tables_update,
    "make_table_req": make_table,
    "make_join_table_req": make_join_table,
    "server_system_info_req": server_system_info,
}
