"""The wire format: Perspective's protobuf schema and the codecs around it.

``perspective_pb2`` holds the generated message classes (from
``perspective.proto``); the other modules turn those messages into the plain
Python values the engine takes and gives back (view configs, table data,
column types, viewports, feature lists).

This package imports the engine's constants at most; it must not import
``perspective_nb.server``, ``perspective_nb.handlers`` or
``perspective_nb.jupyter``.
"""

from . import perspective_pb2 as pb
from .column_types import column_type_from_name, column_type_name
from .table_data import decode_keys, decode_table_data, encode_keys, encode_table_data
from .view_config import decode_view_config, encode_view_config

__all__ = [
    "column_type_from_name",
    "column_type_name",
    "decode_keys",
    "decode_table_data",
    "decode_view_config",
    "encode_keys",
    "encode_table_data",
    "encode_view_config",
    "pb",
]
