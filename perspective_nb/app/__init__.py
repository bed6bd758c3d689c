"""The standalone web application: a ``<perspective-viewer>`` page over hosted tables.

``make_app(server)`` returns a tornado application serving the viewer page,
the npm packages it imports (out of ``node_modules``) and the Perspective
websocket. ``python -m perspective_nb serve FILE`` is the command-line
front end.

This package sits above the server layer; nothing below imports it.
"""

from __future__ import annotations

from .application import DEFAULT_MAX_MESSAGE_SIZE, http_server, make_app
from .assets import GENERATIONS, NODE_MODULES_ENV, ClientGeneration, find_node_modules
from .sources import read_source, table_name_for

__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "GENERATIONS",
    "NODE_MODULES_ENV",
    "ClientGeneration",
    "find_node_modules",
    "http_server",
    "make_app",
    "read_source",
    "table_name_for",
]
