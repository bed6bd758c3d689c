"""The local time zone, and conversion between UTC instants and local wall-clock time.

Perspective treats naive datetimes as instants and computes calendar parts
(``hour_of_day``, ``day_of_week``, ``bucket(..., 'D')``...) in the local
time zone of the process, read at the time of the computation. The zone is
taken from ``$TZ`` or the ``/etc/localtime`` link, falling back to UTC.

Pure pyarrow; reads only the environment and that one symlink.
"""

from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["from_wall_clock", "local_zone", "to_wall_clock"]

_MS = pa.timestamp("ms")


def local_zone() -> str:
    """IANA name of the local time zone (``"UTC"`` when it cannot be told)."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        return "UTC" if name in ("UTC0", "GMT0", "Z") else name
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    return "UTC"


def _is_utc(zone: str) -> bool:
    return zone in ("UTC", "Etc/UTC", "GMT", "Etc/GMT", "Universal", "Zulu")


def to_wall_clock(data: object) -> object:
    """UTC ``timestamp('ms')`` values -> naive timestamps of local wall-clock time."""
    zone = local_zone()
    if _is_utc(zone):
        return data
    try:
        return pc.local_timestamp(pc.cast(data, pa.timestamp("ms", tz=zone)))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return data  # an unknown zone name: compute in UTC rather than fail


def from_wall_clock(data: object) -> object:
    """Naive local wall-clock timestamps -> UTC ``timestamp('ms')`` instants."""
    zone = local_zone()
    if _is_utc(zone):
        return data
    try:
        aware = pc.assume_timezone(
            data, timezone=zone, ambiguous="earliest", nonexistent="earliest"
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return data
    return pc.cast(pc.cast(aware, pa.int64()), _MS)
