"""Build the ``GetFeaturesResp`` that tells clients what this server supports.

The lists come from the engine (``perspective_nb.engine.features``, whose
aggregates are ``engine.aggregate_registry``'s), so the reply is truthful: a
filter op or aggregate is offered only if the engine evaluates it.
Aggregates that take arguments (``weighted mean``) list the column types of
those arguments, from the same registry.

May import the engine; must not import the server or jupyter layers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import perspective_pb2 as pb
from .column_types import column_type_from_name

__all__ = ["features_response"]

_GROUP_MODES = {"rollup": pb.ROLLUP, "flat": pb.FLAT, "total": pb.TOTAL}
_SPLIT_MODES = {"flat": pb.SPLIT_FLAT, "rollup": pb.SPLIT_ROLLUP}


def _engine_features() -> tuple[Mapping[str, Iterable[Any]], Mapping[str, Iterable[str]]]:
    from ..engine import features

    return features.AGGREGATES_BY_TYPE, features.FILTER_OPS_BY_TYPE


def _aggregate_entry(entry: Any) -> tuple[str, list[str]]:
    if isinstance(entry, str):
        # The column types an aggregate's argument may name (``weighted mean``'s weight).
        from ..engine.aggregate_registry import AGGREGATES

        record = AGGREGATES.get(entry)
        return entry, list(record.arg_types) if record is not None else []
    name, args = entry
    return name, list(args)


def features_response(
    aggregates: Mapping[str, Iterable[Any]] | None = None,
    filter_ops: Mapping[str, Iterable[str]] | None = None,
    windows: bool = True,
    split_rollup_modes: Iterable[str] | None = None,
) -> pb.GetFeaturesResp:
    """Return the features message, by default from the engine's own lists.

    Parameters
    ----------
    aggregates
        ``{type name: [aggregate name | (name, [arg type names])]}``.
    filter_ops
        ``{type name: [filter op]}``.
    windows
        Whether window columns are offered (with their aggregates).
    split_rollup_modes
        The split rollup modes offered; the engine's by default.
    """
    if aggregates is None or filter_ops is None:
        engine_aggregates, engine_filters = _engine_features()
        aggregates = engine_aggregates if aggregates is None else aggregates
        filter_ops = engine_filters if filter_ops is None else filter_ops
    message = pb.GetFeaturesResp(
        group_by=True, split_by=True, expressions=True, on_update=True, sort=True
    )
    for ptype, ops in filter_ops.items():
        message.filter_ops[column_type_from_name(ptype)].options.extend(ops)
    for ptype, entries in aggregates.items():
        options = message.aggregates[column_type_from_name(ptype)]
        for entry in entries:
            name, args = _aggregate_entry(entry)
            options.aggregates.add(name=name, args=[column_type_from_name(a) for a in args])
    from ..engine import features

    group_modes = getattr(features, "GROUP_ROLLUP_MODES", ("rollup",))
    split_modes = getattr(features, "SPLIT_ROLLUP_MODES", ("flat",))
    if split_rollup_modes is not None:
        split_modes = tuple(split_rollup_modes)
    message.group_rollup_mode.extend(_GROUP_MODES[m] for m in group_modes if m in _GROUP_MODES)
    message.split_rollup_mode.extend(_SPLIT_MODES[m] for m in split_modes if m in _SPLIT_MODES)
    if windows:
        _add_window_aggregates(message)
    return message


def _add_window_aggregates(message: pb.GetFeaturesResp) -> None:
    """The window aggregates per column type, as Perspective 5.x advertises them."""
    from ..engine.windows import window_aggregates_by_type

    for ptype, entries in window_aggregates_by_type().items():
        options = message.window_aggregates[column_type_from_name(ptype)]
        for name, frames, offset, alpha, result in entries:
            entry = options.aggregates.add(name=name, frames=frames, offset=offset, alpha=alpha)
            if result:
                entry.result_type = column_type_from_name(result)
