"""``%load_ext perspective_nb``: start the kernel host and register the magics.

Loading starts this kernel's engine server on its own thread and, inside a
Jupyter server with the extension enabled, connects it to the hub. It is
idempotent; unloading stops the host.

Imports IPython (through the magics); must not import jupyter_server.
"""

from __future__ import annotations

from typing import Any

from .kernel_host import current_host, stop_host
from .magics import PerspectiveMagics

__all__ = ["load", "unload"]


def load(ipython: Any) -> None:
    """Start the host (if not yet running) and register ``%perspective``."""
    current_host()
    ipython.register_magics(PerspectiveMagics)


def unload(ipython: Any) -> None:
    """Stop the host; hosted tables are no longer reachable from browsers."""
    stop_host()
