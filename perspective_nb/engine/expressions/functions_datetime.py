"""Date and datetime functions of the expression language, including ``bucket``.

Calendar parts are computed in UTC, whatever the local time zone, as
Perspective 5.x computes them (3.x used the process's local zone): naive
datetimes are stored as UTC instants, so their calendar is their own.
``bucket(x, unit)`` takes ``'s'``, ``'m'``, ``'h'`` (optionally with one of
Perspective's multiples, e.g. ``'5m'``: floored within the enclosing
minute/hour/day) which keep a datetime, and ``'D'``, ``'W'`` (weeks start on
Monday), ``'M'`` and ``'Y'`` (``'M'``/``'Y'`` also with multiples, floored
within the year / to a multiple of the year number) which give a date.
``bucket`` on numbers floors to a multiple.

Instants before 1970 are floored (1969-12-31 23:59 is in the day
1969-12-31); Perspective truncates sub-day buckets of them toward 1970
instead (3.8 also day buckets).

Pure pyarrow/numpy.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .functions_numeric import numeric_bucket, require_numeric
from .registry import CallSite, function
from .values import Val, to_numpy_float

__all__: list[str] = []

_DAYS = pa.array(
    [
        "1 Sunday",
        "2 Monday",
        "3 Tuesday",
        "4 Wednesday",
        "5 Thursday",
        "6 Friday",
        "7 Saturday",
    ]
)
_MONTHS = pa.array(
    [
        f"{i + 1:02d} {name}"
        for i, name in enumerate(
            [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ]
        )
    ]
)
_UNIT = re.compile(r"^(\d*)([smhDWMY])$")
_SUB_DAY = {"s": (1000, 60), "m": (60_000, 60), "h": (3_600_000, 24)}
# The multiples Perspective accepts per unit (any for 'Y').
_MULTIPLES = {
    "s": {1, 5, 10, 15, 20, 30},
    "m": {1, 5, 10, 15, 20, 30},
    "h": {1, 2, 3, 4, 6, 12},
    "D": {1},
    "W": {1},
    "M": {1, 2, 3, 4, 6},
}


def _temporal(site: CallSite, args: list[Val]) -> None:
    if args[0].ptype not in ("date", "datetime", "null"):
        raise site.type_error(args, "a date or datetime")


def _as_date(val: Val) -> object:
    """Calendar date of a date/datetime value (datetimes in UTC)."""
    if val.ptype == "date":
        return val.data
    if val.ptype == "null":
        return pa.scalar(None, pa.date32())
    return pc.cast(val.data, pa.date32())


def _label(names: pa.Array, positions: object) -> object:
    """``names[positions]`` for an array or a scalar of positions."""
    if isinstance(positions, pa.Scalar):
        return names[positions.as_py()] if positions.is_valid else pa.scalar(None, pa.string())
    return pc.take(names, positions)


@function("today", min_args=0)
def _today(site: CallSite, args: list[Val]) -> Val:
    # The UTC date, as Perspective 5.x gives it (not the local one).
    today = _dt.datetime.now(_dt.timezone.utc).date()
    return Val(pa.scalar(today, pa.date32()), "date")


@function("now", min_args=0)
def _now(site: CallSite, args: list[Val]) -> Val:
    now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
    return Val(pa.scalar(now, pa.timestamp("ms")), "datetime")


@function("date", min_args=3)
def _date(site: CallSite, args: list[Val]) -> Val:
    require_numeric(site, args)
    scalar = all(a.is_scalar for a in args)
    length = 1 if scalar else site.length
    y, m, d = (to_numpy_float(a.data, length) for a in args)
    valid = ~(np.isnan(y) | np.isnan(m) | np.isnan(d))
    valid &= (y >= 0) & (y <= 9999) & (m >= 1) & (m <= 12) & (d >= 1)
    yi = np.where(valid, y, 1970).astype(np.int64)
    mi = np.where(valid, m, 1).astype(np.int64)
    di = np.where(valid, d, 1).astype(np.int64)
    month_start = ((yi - 1970) * 12 + (mi - 1)).astype("datetime64[M]")
    next_month = month_start + np.timedelta64(1, "M")
    days_in_month = (
        next_month.astype("datetime64[D]") - month_start.astype("datetime64[D]")
    ).astype(np.int64)
    valid &= di <= days_in_month
    days = month_start.astype("datetime64[D]").astype(np.int64) + di - 1
    data = pa.array(days.astype(np.int32), type=pa.date32(), mask=~valid)
    return Val(data[0] if scalar else data, "date")


@function("datetime", min_args=1)
def _datetime(site: CallSite, args: list[Val]) -> Val:
    arg = args[0]
    if arg.ptype == "datetime":
        return arg
    require_numeric(site, args)
    millis = pc.cast(pc.trunc(pc.cast(arg.data, pa.float64())), pa.int64(), safe=False)
    return Val(pc.cast(millis, pa.timestamp("ms")), "datetime")


@function("hour_of_day", min_args=1)
def _hour_of_day(site: CallSite, args: list[Val]) -> Val:
    _temporal(site, args)
    arg = args[0]
    if arg.ptype != "datetime":
        return Val(pc.if_else(pc.is_valid(arg.data), 0.0, pa.scalar(None, pa.float64())), "float")
    return Val(pc.cast(pc.hour(arg.data), pa.float64()), "float")


@function("day_of_week", min_args=1)
def _day_of_week(site: CallSite, args: list[Val]) -> Val:
    _temporal(site, args)
    day = pc.day_of_week(_as_date(args[0]), count_from_zero=True, week_start=7)
    return Val(_label(_DAYS, day), "string")


@function("month_of_year", min_args=1)
def _month_of_year(site: CallSite, args: list[Val]) -> Val:
    _temporal(site, args)
    month = pc.subtract(pc.month(_as_date(args[0])), 1)
    return Val(_label(_MONTHS, month), "string")


def _parse_unit(site: CallSite, arg: Val) -> tuple[int, str]:
    text = site.literal_string(arg, "a unit ('s', 'm', 'h', 'D', 'W', 'M' or 'Y')")
    found = _UNIT.match(text)
    multiple = int(found.group(1) or 1) if found else 0
    unit = found.group(2) if found else ""
    if not found or multiple < 1 or multiple not in _MULTIPLES.get(unit, {multiple}):
        raise site.error(
            f"Type Error - inputs do not resolve to a valid expression: bucket() unit {text!r} "
            "is not one of 's', 'm', 'h', 'D', 'W', 'M', 'Y', optionally with a multiple: "
            "1, 5, 10, 15, 20 or 30 for s and m; 1, 2, 3, 4, 6 or 12 for h; 1, 2, 3, 4 or 6 "
            "for M; any for Y"
        )
    return multiple, unit


def _from_numpy(values: np.ndarray, valid: np.ndarray, arrow_type: pa.DataType) -> pa.Array:
    return pa.array(values, type=arrow_type, mask=~valid)


def _array(data: object) -> pa.Array:
    if isinstance(data, pa.ChunkedArray):
        return data.combine_chunks()
    return data


def _bucket_sub_day(data: object, multiple: int, unit: str) -> object:
    scalar = isinstance(data, pa.Scalar)
    wall = _array(pa.array([data]) if scalar else data)
    valid = wall.is_valid().to_numpy(zero_copy_only=False)
    raw = pc.fill_null(wall.cast(pa.int64()), 0).to_numpy()
    step, wrap = _SUB_DAY[unit]
    floored = raw - np.mod(raw, step)
    # Multiples floor within the enclosing unit (e.g. '5m' within the hour).
    floored -= (np.mod(floored // step, wrap) % multiple) * step
    out = _from_numpy(floored, valid, pa.timestamp("ms"))
    return out[0] if scalar else out


def _bucket_calendar(dates: object, multiple: int, unit: str) -> object:
    if unit == "D":
        return dates
    if unit == "W":
        return pc.floor_temporal(dates, unit="week", week_starts_monday=True)
    scalar = isinstance(dates, pa.Scalar)
    arr = _array(pa.array([dates]) if scalar else dates)
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    year = pc.fill_null(pc.year(arr), 1970).to_numpy().astype(np.int64)
    month = pc.fill_null(pc.month(arr), 1).to_numpy().astype(np.int64) - 1
    if unit == "M":
        month = (month // multiple) * multiple
    else:
        year = (year // multiple) * multiple
        month = np.zeros_like(month)
    days = ((year - 1970) * 12 + month).astype("datetime64[M]").astype("datetime64[D]")
    out = _from_numpy(days.astype(np.int64).astype(np.int32), valid, pa.date32())
    return out[0] if scalar else out


@function("bucket", min_args=2)
def _bucket(site: CallSite, args: list[Val]) -> Val:
    subject = args[0]
    if subject.ptype in ("integer", "float"):
        return numeric_bucket(site, args)
    _temporal(site, args)
    multiple, unit = _parse_unit(site, args[1])
    if unit in _SUB_DAY:
        if subject.ptype != "datetime":
            return Val(subject.data, "date") if subject.ptype == "date" else subject
        return Val(_bucket_sub_day(subject.data, multiple, unit), "datetime")
    return Val(_bucket_calendar(_as_date(subject), multiple, unit), "date")
