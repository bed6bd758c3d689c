"""Every request type in the wire schema has exactly one handler."""

from __future__ import annotations

from perspective_nb.protocol import pb
from perspective_nb.server import client_requests, table_requests, view_requests


def test_every_request_type_is_served():
    request_fields = {f.name for f in pb.Request.DESCRIPTOR.oneofs_by_name["client_req"].fields}
    handlers = [client_requests.HANDLERS, table_requests.HANDLERS, view_requests.HANDLERS]
    served = [name for table in handlers for name in table]
    assert len(served) == len(set(served)), "a request type has two handlers"
    assert set(served) == request_fields


def test_every_request_has_a_matching_response_field():
    responses = {f.name for f in pb.Response.DESCRIPTOR.oneofs_by_name["client_resp"].fields}
    for field in pb.Request.DESCRIPTOR.oneofs_by_name["client_req"].fields:
        assert field.name[: -len("_req")] + "_resp" in responses
