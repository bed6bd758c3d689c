"""The shape and size limits of a raw view config, checked before any work.

:func:`check_config_shape` checks ``table.view(**config)`` keywords (or a
config decoded from the wire) before anything is computed: the types of
the lists, their sizes and repeated columns. So a small request cannot ask
for unbounded work: every list a config holds is capped by one of the
``MAX_*`` constants below, and a column may appear only once in
``columns``, ``group_by`` and ``split_by``. The server calls it on every
request before the engine builds the view; :func:`.config.normalize_config`
calls it too. Column names are resolved later, by :mod:`.config`.

Pure Python: imports nothing from the package but ``perspective_nb.errors``.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError

__all__ = [
    "MAX_COLUMNS",
    "MAX_EXPRESSIONS",
    "MAX_FILTERS",
    "MAX_FILTER_VALUES",
    "MAX_GROUP_BY",
    "MAX_SORT",
    "MAX_SPLIT_BY",
    "as_names",
    "check_config_shape",
    "short_repr",
]

#: Entries in ``columns`` (and in ``aggregates``).
MAX_COLUMNS = 10_000
#: Levels of ``group_by``; each level is aggregated separately.
MAX_GROUP_BY = 64
#: Levels of ``split_by``; each adds a dimension to the split columns.
MAX_SPLIT_BY = 64
#: Entries in ``sort``.
MAX_SORT = 1_000
#: Terms in ``filter``.
MAX_FILTERS = 1_000
#: Values in one ``in`` / ``not in`` filter term.
MAX_FILTER_VALUES = 100_000
#: Expressions in one view.
MAX_EXPRESSIONS = 1_000


_NAME_LISTS = (("columns", MAX_COLUMNS), ("group_by", MAX_GROUP_BY), ("split_by", MAX_SPLIT_BY))


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr`` of ``value``, cut so an error message stays readable."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def as_names(value: Any, key: str) -> tuple[str, ...]:
    """A ``columns`` / ``group_by`` / ``split_by`` value as a tuple of names.

    A bare string is refused: Perspective reads it as a sequence of
    one-character column names (``group_by="region"`` asks for a column
    ``"r"``), which is never what is meant.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        raise ConfigError(
            f"{key} must be a list of column names, got the string {short_repr(value)}; "
            f"write {key}=[{value!r}]"
        )
    if not isinstance(value, (list, tuple)):
        raise ConfigError(
            f"{key} must be a list of column names, got {type(value).__name__} "
            f'{short_repr(value)}; write e.g. {key}=["region"]'
        )
    return tuple(value)


def _check_size(key: str, value: Any, limit: int, what: str) -> None:
    if len(value) > limit:
        raise ConfigError(
            f"{key} holds {len(value):,} {what}; a view allows at most {limit:,}; ask for fewer"
        )


def _check_names(key: str, value: Any, limit: int) -> None:
    names = as_names(value, key)
    _check_size(key, names, limit, "entries")
    seen: set[str] = set()
    for name in names:
        if name is None and key == "columns":
            continue  # the viewer sends null for an empty column slot
        if not isinstance(name, str):
            raise ConfigError(
                f"{key} entries must be column names (strings), got {type(name).__name__} "
                f'{short_repr(name)}; write e.g. {key}=["region"]'
            )
        if name in seen and key != "columns":  # a repeated column shows once, as in Perspective
            raise ConfigError(f"{key} names column {name!r} more than once; list each column once")
        seen.add(name)


def check_config_shape(config: dict[str, Any]) -> None:
    """Check the shape and size of raw view keywords, before any work.

    Every list is capped (``MAX_COLUMNS``, ``MAX_GROUP_BY``,
    ``MAX_SPLIT_BY``, ``MAX_SORT``, ``MAX_FILTERS``, ``MAX_FILTER_VALUES``,
    ``MAX_EXPRESSIONS``), column lists must hold strings, each column at
    most once. Column names are not resolved here (see
    :func:`.config.normalize_config`).

    Raises
    ------
    ConfigError
        Naming the key, the bad value or the size, and the fix.

    Examples
    --------
    >>> check_config_shape({"group_by": ["a"], "sort": [["a", "desc"]]})  # fine: no error
    >>> try:
    ...     check_config_shape({"group_by": ["a", "a"]})
    ... except ConfigError as exc:
    ...     print(exc)
    group_by names column 'a' more than once; list each column once
    """
    if not isinstance(config, dict):
        raise ConfigError(f"a view config is a dict of options, got {type(config).__name__}")
    for key, limit in _NAME_LISTS:
        _check_names(key, config.get(key), limit)
    aggregates = config.get("aggregates")
    if aggregates is not None:
        if not isinstance(aggregates, dict):
            raise ConfigError(
                f"aggregates must be a dict of column -> aggregate, got {short_repr(aggregates)}; "
                'write e.g. aggregates={"price": "avg"}'
            )
        _check_size("aggregates", aggregates, MAX_COLUMNS, "entries")
    for key, limit, example in (
        ("sort", MAX_SORT, '[["price", "desc"]]'),
        ("filter", MAX_FILTERS, '[["price", ">", 10]]'),
    ):
        terms = config.get(key)
        if terms is None:
            continue
        if not isinstance(terms, (list, tuple)):
            raise ConfigError(
                f"{key} must be a list of terms, got {short_repr(terms)}; "
                f"write e.g. {key}={example}"
            )
        _check_size(key, terms, limit, "terms")
    for term in config.get("filter") or ():
        value = term[2] if isinstance(term, (list, tuple)) and len(term) == 3 else None
        if isinstance(value, (list, tuple, set, frozenset)):
            _check_size(f"filter {short_repr(list(term[:2]))}", value, MAX_FILTER_VALUES, "values")
    depth = config.get("group_by_depth")
    if depth is not None and (
        isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth < 2**32
    ):
        raise ConfigError(
            f"group_by_depth must be a whole number from 0 to {2**32 - 1:,}, got "
            f"{type(depth).__name__} {short_repr(depth)}; pass e.g. group_by_depth=1"
        )
    expressions = config.get("expressions")
    if expressions is not None:
        if not isinstance(expressions, (dict, list, tuple)):
            raise ConfigError(
                f"expressions must be a dict of alias -> expression (or a list), got "
                f'{short_repr(expressions)}; write e.g. expressions={{"x2": \'"x" * 2\'}}'
            )
        _check_size("expressions", expressions, MAX_EXPRESSIONS, "expressions")
