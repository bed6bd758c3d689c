"""Functions over vector variables: ``indexof``, ``dot_product3``, ``norm3``,
``cross_product3`` and ``diff3``.

A vector is declared with ``var v[n] := {a, b, ...}``; its elements are
per-row float columns like any variable (see :class:`.compiler.Context`).
``cross_product3(a, b, out)`` and ``diff3(a, b, out)`` write their result
into ``out`` and return true, as in Perspective. ``indexof(text, regex, v)``
writes the start and (inclusive) end of the first capture group into
``v[0]``/``v[1]`` on rows that match and returns whether the row matched.

Pure pyarrow/numpy (plus :mod:`re` for ``indexof``, see below).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .registry import CallSite, function, type_error_prefix
from .values import Val

__all__: list[str] = []


def _vector(site: CallSite, arg: Val, minimum: int) -> str:
    """The name of a vector argument with at least ``minimum`` elements."""
    name = arg.literal if arg.ptype == "vector" else None
    if not isinstance(name, str) or site.ctx.vector_sizes.get(name, 0) < minimum:
        raise site.error(
            f"{type_error_prefix}: {site.name}() needs a vector variable of at least "
            f"{minimum} elements here (declare one with 'var v[{minimum}];')"
        )
    return name


def _items(site: CallSite, name: str, count: int) -> list[object]:
    return [item.data for item in site.ctx.vector_items(name)[:count]]


@function("dot_product3", min_args=2)
def _dot(site: CallSite, args: list[Val]) -> Val:
    a = _items(site, _vector(site, args[0], 3), 3)
    b = _items(site, _vector(site, args[1], 3), 3)
    total = pc.add(
        pc.add(pc.multiply(a[0], b[0]), pc.multiply(a[1], b[1])), pc.multiply(a[2], b[2])
    )
    return Val(total, "float")


@function("norm3", min_args=1)
def _norm(site: CallSite, args: list[Val]) -> Val:
    """Euclidean norm of the first (up to) three elements; null elements count as 0."""
    squares: object = pa.scalar(0.0)
    for item in _items(site, _vector(site, args[0], 1), 3):
        value = pc.fill_null(item, 0.0)
        squares = pc.add(squares, pc.multiply(value, value))
    return Val(pc.sqrt(squares), "float")


def _write(site: CallSite, name: str, values: list[object]) -> Val:
    for k, data in enumerate(values):
        site.ctx.set_vector_item(name, k, Val(data, "float"))
    return Val(pa.scalar(True), "boolean")


@function("cross_product3", min_args=3)
def _cross(site: CallSite, args: list[Val]) -> Val:
    a = _items(site, _vector(site, args[0], 3), 3)
    b = _items(site, _vector(site, args[1], 3), 3)
    out = _vector(site, args[2], 3)

    def term(i: int, j: int) -> object:
        return pc.subtract(pc.multiply(a[i], b[j]), pc.multiply(a[j], b[i]))

    return _write(site, out, [term(1, 2), term(2, 0), term(0, 1)])


@function("diff3", min_args=3)
def _diff(site: CallSite, args: list[Val]) -> Val:
    a = _items(site, _vector(site, args[0], 3), 3)
    b = _items(site, _vector(site, args[1], 3), 3)
    out = _vector(site, args[2], 3)
    return _write(site, out, [pc.subtract(a[k], b[k]) for k in range(3)])


def _group_span(pattern: re.Pattern[str], text: str) -> tuple[float, float]:
    found = pattern.search(text)
    if found is None or found.start(1) < 0:
        return np.nan, np.nan
    return float(found.start(1)), float(found.end(1) - 1)


@function("indexof", min_args=3)
def _indexof(site: CallSite, args: list[Val]) -> Val:
    if args[0].ptype not in ("string", "null"):
        raise site.type_error(args, "(string, regex, vector)")
    text = site.literal_string(args[1], "a regular expression")
    try:
        pattern = re.compile(text)
    except re.error as exc:
        raise site.error(f"Invalid regular expression {text!r} in indexof(): {exc}") from exc
    if pattern.groups == 0:
        raise site.error(
            f"{type_error_prefix}: indexof() needs a capture group in its regex, e.g. '(b)c'"
        )
    out = _vector(site, args[2], 2)
    data = args[0].data if args[0].ptype == "string" else pa.scalar(None, pa.string())
    if isinstance(data, pa.Scalar):
        data = pa.array([data.as_py()] * site.length, pa.string())
    # Arrow has no kernel giving capture-group offsets, so Python's re runs
    # once per *distinct* string (dictionary-encoded), not once per row.
    encoded = pc.dictionary_encode(data)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks()
    spans = np.array(
        [_group_span(pattern, s) for s in encoded.dictionary.to_pylist()], dtype=np.float64
    ).reshape(-1, 2)
    codes = pc.fill_null(encoded.indices, 0).to_numpy()
    valid = encoded.indices.is_valid().to_numpy(zero_copy_only=False)
    picked = spans[codes] if len(spans) else np.full((len(codes), 2), np.nan)
    found = valid & ~np.isnan(picked[:, 0])
    old = site.ctx.vector_items(out)
    for k in range(2):
        fresh = pa.array(np.where(found, picked[:, k], 0.0))
        site.ctx.set_vector_item(
            out, k, Val(pc.if_else(pa.array(found), fresh, old[k].data), "float")
        )
    return Val(pa.array(found, mask=~valid), "boolean")
