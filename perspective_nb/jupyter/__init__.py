"""Jupyter integration of perspective_nb.

- Server extension (this module's ``_jupyter_server_extension_points``): the
  hub under ``<base_url>/perspective/``.
- IPython extension (``%load_ext perspective_nb``): the kernel's engine
  server on its own thread, its uplink to the hub, the ``%perspective`` magic.
- :class:`PerspectiveWidget`: ``<perspective-viewer>`` as an ipywidget.

Heavy imports (ipywidgets, IPython, jupyter_server) happen on first use, so
the server process never imports the kernel side and vice versa.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PerspectiveWidget", "load_ipython_extension", "table", "unload_ipython_extension"]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "perspective_nb.jupyter"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    # relative to this module: the build writes perspective_nb/labextension
    return [{"src": "../labextension", "dest": "perspective-nb-labextension"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from .extension import load_extension

    load_extension(serverapp)


async def _start_jupyter_server_extension(serverapp: Any) -> None:
    from .extension import start_extension

    await start_extension(serverapp)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext perspective_nb``: start the kernel host and register magics."""
    from .ipython_extension import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext perspective_nb``: stop the kernel host."""
    from .ipython_extension import unload

    unload(ipython)


def table(data: Any, name: str | None = None, **options: Any) -> Any:
    """Host ``data`` as a table named ``name`` in this kernel (see :func:`kernel_host.table`)."""
    from .kernel_host import table as _table

    return _table(data, name=name, **options)


def __getattr__(name: str) -> Any:
    if name == "PerspectiveWidget":
        from .widget import PerspectiveWidget

        return PerspectiveWidget
    raise AttributeError(f"module 'perspective_nb.jupyter' has no attribute {name!r}")
