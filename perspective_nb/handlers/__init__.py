"""Web-framework adapters that carry a Session's bytes over a websocket.

Thin: each handler owns one :class:`~perspective_nb.server.Session` per
connection and moves bytes; the logic lives in the server package. Must not
import jupyter.
"""

from .tornado import PerspectiveTornadoHandler

__all__ = ["PerspectiveTornadoHandler"]
