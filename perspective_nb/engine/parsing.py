"""Text values read as Perspective types, vectorised with Arrow compute.

Perspective reads strings as dates and datetimes in ISO form
(``2021-02-03``, ``2021-02-03T04:05:06.123Z``, with a ``+01:00`` offset),
year-first with slashes or none (``2021/02/03``, ``20210203``), and
month-first (``02/03/2021`` is 3 February, ``02/03/2021 04:05``); times
are optional, fractions are cut to milliseconds, offsets move the instant to
UTC. Booleans are ``true`` / ``false`` in any case.

Each column is matched against a few regular expressions (one pass each,
over the whole column), rewritten to one canonical ISO form and cast once:
no Python loop over values, except to name a bad value in an error message.

Pure pyarrow.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ParseError", "infer_strings", "parse_bool", "parse_temporal", "temporal_scalar"]

_TIME = (
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?\s*$"
)
# Year-first with "-", "/" or no separator, then month-first: the order
# Perspective tries them in (so "02/03/2021" is 3 February).
_LAYOUTS = [
    r"^\s*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME,
    r"^\s*(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _TIME,
    r"^\s*(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})" + _TIME,
    r"^\s*(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})" + _TIME,
]

_INT = r"^\s*[-+]?\d+\s*$"


class ParseError(ValueError):
    """A value that cannot be read as the type asked for; ``value`` is the first one."""

    def __init__(self, value: object, ptype: str) -> None:
        super().__init__(f"{value!r} is not a {ptype}")
        self.value = value
        self.ptype = ptype


def _canonical(col: pa.Array, iso_only: bool) -> tuple[pa.Array, pa.Array]:
    """Each string as ``YYYY-MM-DDTHH:MM:SS.mmm<zone>`` (null where no layout
    matches), and its zone as written (``""`` when none)."""
    texts, zones = [], []
    for layout in _LAYOUTS[:1] if iso_only else _LAYOUTS:
        flat = pc.extract_regex(col, pattern=layout)

        def field(name: str, flat: pa.StructArray = flat) -> pa.Array:
            # Null where the layout does not match (``.field()`` would ignore that).
            return pc.struct_field(flat, name)

        def part(name: str, width: int) -> pa.Array:
            return pc.utf8_lpad(field(name), width=width, padding="0")

        zone = field("z")
        frac = pc.utf8_rpad(pc.utf8_slice_codeunits(field("f"), 0, 3), width=3, padding="0")
        text = pc.binary_join_element_wise(
            field("y"),
            "-",
            part("m", 2),
            "-",
            part("d", 2),
            "T",
            part("H", 2),
            ":",
            part("M", 2),
            ":",
            part("S", 2),
            ".",
            frac,
            pc.if_else(pc.equal(zone, ""), "Z", zone),
            "",
        )
        texts.append(text)
        zones.append(zone)
    return pc.coalesce(*texts), pc.coalesce(*zones)


def parse_temporal(
    col: pa.ChunkedArray | pa.Array, ptype: str, iso_only: bool = False
) -> tuple[pa.Array, bool]:
    """Read strings as ``ptype`` ("date" or "datetime"); with ``iso_only``,
    only the ISO layout (``2021-02-03T04:05:06``, as CSV reads datetimes).

    Returns
    -------
    (values, midnight)
        ``timestamp[ms]`` values (UTC wall clock) for "datetime", ``date32``
        for "date"; and whether every value is at midnight with no offset
        (text that reads as dates).

    Raises
    ------
    ParseError
        Naming the first value that is not a date (or datetime).
    """
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_large_string(arr.type) or pa.types.is_string_view(arr.type):
        arr = arr.cast(pa.string())
    text, zone = _canonical(arr, iso_only)
    bad = pc.and_(pc.is_valid(arr), pc.is_null(text))
    if ptype == "date":
        # A date has no offset to apply ("Z" is UTC already).
        offset = pc.and_(pc.not_equal(zone, ""), pc.not_equal(zone, "Z"))
        bad = pc.or_(bad, pc.fill_null(offset, False))
    _raise_first(arr, bad, ptype)
    try:
        stamps = text.cast(pa.timestamp("ms", "UTC")).cast(pa.timestamp("ms"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # A layout matched but the calendar refuses it (month 13, 30 February):
        # find the value, one at a time (error path only).
        for value, canon in zip(arr.to_pylist(), text.to_pylist(), strict=True):
            if canon is not None:
                try:
                    pa.array([canon]).cast(pa.timestamp("ms", "UTC"))
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    raise ParseError(value, ptype) from None
        raise
    days = stamps.cast(pa.date32())
    midnight = bool(
        pc.all(pc.equal(days.cast(pa.timestamp("ms")), stamps)).as_py() is not False
        and pc.all(pc.equal(zone, "")).as_py() is not False
    )
    return (days if ptype == "date" else stamps), midnight


def parse_bool(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Read ``"true"`` / ``"false"`` (any case) as booleans.

    Raises
    ------
    ParseError
        Naming the first other value.
    """
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    low = pc.utf8_lower(pc.utf8_trim_whitespace(arr.cast(pa.string())))
    is_true = pc.equal(low, "true")
    ok = pc.or_(is_true, pc.equal(low, "false"))
    _raise_first(arr, pc.invert(ok), "boolean")
    return is_true


def infer_strings(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Perspective's inference for a string column from Python or JSON values.

    All values (nulls aside) ``true``/``false`` -> boolean; integers ->
    integer; numbers -> float; dates -> date; dates with times -> datetime;
    anything else stays string.
    """
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    valid = pc.drop_null(arr)
    if len(valid) == 0:
        return arr
    low = pc.utf8_lower(pc.utf8_trim_whitespace(valid))
    if pc.all(pc.is_in(low, value_set=pa.array(["true", "false"]))).as_py():
        return parse_bool(arr)
    if pc.all(pc.match_substring_regex(valid, _INT)).as_py():
        try:
            return pc.utf8_trim_whitespace(arr).cast(pa.int64())
        except pa.ArrowInvalid:
            pass  # beyond 64 bits: a float
    try:
        return pc.utf8_trim_whitespace(arr).cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:
        stamps, midnight = parse_temporal(arr, "datetime")
    except ParseError:
        return arr
    return stamps.cast(pa.date32()) if midnight else stamps


def temporal_scalar(value: str, ptype: str) -> pa.Scalar:
    """One string read as a date or datetime scalar (for filter values)."""
    values, _ = parse_temporal(pa.array([value], pa.string()), ptype)
    return values[0]


def _raise_first(arr: pa.Array, bad: pa.Array, ptype: str) -> None:
    bad = pc.fill_null(bad, False)
    if pc.any(bad).as_py():
        raise ParseError(arr.filter(bad)[0].as_py(), ptype)
