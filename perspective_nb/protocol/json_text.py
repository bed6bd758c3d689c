"""JSON text that an in-process client can take as the object it encodes.

The wire carries JSON strings (``to_columns_string`` and friends). A client
in the same process would only parse that text back into the object the
server just serialised, so the server hands it :class:`JsonText` beside the
message instead: the object itself, turned into text only if someone asks
for the string.

Imports nothing from the package.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["JsonText", "json_value"]


class JsonText:
    """A JSON-able object whose text is made on first ``str()``."""

    __slots__ = ("_text", "obj")

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = json.dumps(self.obj, separators=(",", ":"))
        return self._text


def json_value(value: Any) -> Any:
    """The object behind a JSON string field: parsed text, or a JsonText's object."""
    if isinstance(value, JsonText):
        return value.obj
    return json.loads(value)
