"""The one error hierarchy of perspective_nb, rooted in :class:`PerspectiveError`.

Every layer (engine, protocol, server, jupyter) raises these; each subclass
also mixes in the builtin it resembles so ``except ValueError`` still works.
Messages name the bad value and say how to fix it.

This module imports nothing from the package.
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "AssetsNotFoundError",
    "ConfigError",
    "ConnectionClosedError",
    "ExpressionError",
    "PerspectiveError",
    "ProtocolError",
    "SchemaError",
    "TableNotFoundError",
    "UnsupportedFormatError",
    "UpdateError",
]


class PerspectiveError(Exception):
    """Root of every error perspective_nb raises on purpose."""


class SchemaError(PerspectiveError, ValueError):
    """A column, type or schema is unknown or does not fit the table."""


class UpdateError(PerspectiveError, ValueError):
    """An update, remove or replace could not be applied (the table is unchanged)."""


class ConfigError(PerspectiveError, ValueError):
    """A view config names something unknown (column, aggregate, filter op...)."""


class ExpressionError(ConfigError):
    """An expression failed to parse, type-check or evaluate.

    Attributes
    ----------
    expression : str
        The expression text (or its alias).
    line, column : int
        Zero-based position of the error within the expression text.
    """

    def __init__(self, message: str, expression: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.expression = expression
        self.line = line
        self.column = column


class ArgumentError(PerspectiveError, ValueError, TypeError):
    """An API argument has the wrong type or is out of range (e.g. ``limit=-1``).

    Both ``ValueError`` and ``TypeError``: callers that caught the builtin a
    bad argument used to raise keep working.
    """


class TableNotFoundError(PerspectiveError, KeyError):
    """No table (or view) is hosted under the requested name."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ProtocolError(PerspectiveError):
    """A malformed or unsupported message on the wire."""


class ConnectionClosedError(PerspectiveError, ConnectionError):
    """The connection to a server is gone: pending and later calls fail with this.

    Reconnecting is explicit: open a new client (``perspective_nb.websocket(url)``).
    """


class AssetsNotFoundError(PerspectiveError, FileNotFoundError):
    """The npm files a served page needs (viewer, client, plugins) are missing."""


class UnsupportedFormatError(PerspectiveError, ValueError):
    """A data file's format is not one the loader knows (by its extension)."""
