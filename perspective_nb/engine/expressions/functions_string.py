"""String and regular-expression functions of the expression language.

Arrow's string kernels (RE2 regexes, like Perspective's) do the work.
Perspective quirks kept on purpose: ``upper``, ``lower``, ``substring``,
``replace`` and ``replace_all`` give null for an empty string; ``length``
and ``order`` return floats; ``substring`` gives null when the requested
range does not fit in the string.

Pure pyarrow.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from .registry import CallSite, function, type_error_prefix
from .values import Val

__all__: list[str] = []

_NULL_STR = pa.scalar(None, pa.string())


def _strings(site: CallSite, args: list[Val], count: int | None = None) -> None:
    subject = args if count is None else args[:count]
    if any(a.ptype not in ("string", "null") for a in subject):
        raise site.type_error(args, "string arguments")


def _data(val: Val) -> object:
    return _NULL_STR if val.ptype == "null" else val.data


def _empty_to_null(source: object, result: object) -> object:
    """Null where the source string is empty (Perspective's convention)."""
    empty = pc.equal(pc.utf8_length(source), 0)
    if isinstance(empty, pa.Scalar):
        return _NULL_STR if empty.as_py() else result
    if not pc.any(empty).as_py():
        return result
    return pc.if_else(empty, _NULL_STR, result)


def _regex(site: CallSite, arg: Val) -> str:
    pattern = site.literal_string(arg, "a regular expression")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise site.error(f"Invalid regular expression {pattern!r} in {site.name}(): {exc}") from exc
    return pattern


@function("concat", min_args=1, max_args=None)
def _concat(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args)
    if len(args) == 1:
        return Val(_data(args[0]), "string")
    return Val(pc.binary_join_element_wise(*[_data(a) for a in args], ""), "string")


@function("upper", min_args=1)
def _upper(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args)
    data = _data(args[0])
    return Val(_empty_to_null(data, pc.utf8_upper(data)), "string")


@function("lower", min_args=1)
def _lower(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args)
    data = _data(args[0])
    return Val(_empty_to_null(data, pc.utf8_lower(data)), "string")


@function("length", min_args=1)
def _length(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args)
    return Val(pc.cast(pc.utf8_length(_data(args[0])), pa.float64()), "float")


@function("intern", min_args=1)
def _intern(site: CallSite, args: list[Val]) -> Val:
    # Perspective interns string literals only.
    return Val(pa.scalar(site.literal_string(args[0], "a string"), pa.string()), "string")


@function("contains", min_args=2)
def _contains(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args, 1)
    needle = site.literal_string(args[1], "the text to look for")
    return Val(pc.match_substring(_data(args[0]), needle), "boolean")


@function("order", min_args=2, max_args=None)
def _order(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args, 1)
    values = [site.literal_string(a, "each ordered value") for a in args[1:]]
    data = _data(args[0])
    position = pc.index_in(data, value_set=pa.array(values, pa.string()))
    filled = pc.fill_null(pc.cast(position, pa.float64()), float(len(values)))
    return Val(pc.if_else(pc.is_null(data), pa.scalar(None, pa.float64()), filled), "float")


@function("match", min_args=2)
def _match(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args, 1)
    pattern = _regex(site, args[1])
    return Val(pc.match_substring_regex(_data(args[0]), pattern), "boolean")


@function("match_all", min_args=2)
def _match_all(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args, 1)
    pattern = _regex(site, args[1])
    return Val(pc.match_substring_regex(_data(args[0]), f"^(?:{pattern})$"), "boolean")


@function("search", min_args=2)
def _search(site: CallSite, args: list[Val]) -> Val:
    """The first capture group of the first match, else null."""
    _strings(site, args, 1)
    pattern = _regex(site, args[1])
    data = _data(args[0])
    if re.compile(pattern).groups == 0:
        raise site.error(
            f"{type_error_prefix}: search() returns the first capture group, and "
            f"{pattern!r} has none; wrap the part to return in parentheses"
        )
    # Rewrite the whole string to group 1; rows without a match become null.
    whole = f"^(?s:.*?)(?:{pattern})(?s:.*)$"
    found = pc.replace_substring_regex(data, whole, r"\1", max_replacements=1)
    return Val(pc.if_else(pc.match_substring_regex(data, pattern), found, _NULL_STR), "string")


@function("substring", min_args=2, max_args=3)
def _substring(site: CallSite, args: list[Val]) -> Val:
    _strings(site, args, 1)
    if any(a.ptype not in ("integer", "float") or not a.is_scalar for a in args[1:]):
        raise site.type_error(args, "(string, start number[, length number]) with constant numbers")
    start = args[1].data.as_py()
    count = args[2].data.as_py() if len(args) == 3 else None
    data = _data(args[0])
    if start is None or start < 0 or (count is not None and count < 0):
        return Val(pc.if_else(pc.is_valid(data), _NULL_STR, _NULL_STR), "string")
    start = int(start)
    length = pc.utf8_length(data)
    if count is None:
        sliced = pc.utf8_slice_codeunits(data, start)
        fits = pc.greater(length, start)
    else:
        count = int(count)
        sliced = pc.utf8_slice_codeunits(data, start, start + count)
        fits = pc.and_(pc.greater(length, start), pc.greater_equal(length, start + count))
    return Val(pc.if_else(fits, sliced, _NULL_STR), "string")


def _replace(site: CallSite, args: list[Val], max_replacements: int | None) -> Val:
    _strings(site, args, 1)
    pattern = _regex(site, args[1])
    replacement = site.literal_string(args[2], "the replacement text")
    data = _data(args[0])
    replaced = pc.replace_substring_regex(
        data, pattern, replacement, max_replacements=max_replacements
    )
    return Val(_empty_to_null(data, replaced), "string")


function("replace", min_args=3)(lambda site, args: _replace(site, args, 1))
function("replace_all", min_args=3)(lambda site, args: _replace(site, args, None))
