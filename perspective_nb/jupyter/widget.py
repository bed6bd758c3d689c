"""``PerspectiveWidget``: a ``<perspective-viewer>`` in a notebook, as an ipywidget.

The widget shows a table hosted by name in this kernel. With the Jupyter
server's hub, the browser fetches data over ``<base_url>/perspective/ws``
(live while cells run); without it (VS Code, Colab...), the same protocol
bytes travel over the widget's own comm. The viewer config is a set of
synced traits (:class:`~perspective_nb.jupyter.viewer.PerspectiveViewer`),
two-way: assigning one restores the viewer, and user edits in the viewer
update the traits. ``perspective_nb.widget`` exports the same class under
perspective-python's import path.

Must not import jupyter_server (the kernel has no server).
"""

from __future__ import annotations

from typing import Any

from ipywidgets import DOMWidget
from traitlets import Unicode

from ..errors import ConfigError
from .kernel_host import current_host
from .viewer import PERSISTENT_ATTRIBUTES, PerspectiveViewer

__all__ = ["CONFIG_TRAITS", "PerspectiveWidget"]

MODULE_NAME = "perspective-nb-labextension"
MODULE_VERSION = "0.1.0"

#: The traits that make up the viewer config (``save()`` / ``restore()``).
CONFIG_TRAITS = PERSISTENT_ATTRIBUTES


class PerspectiveWidget(DOMWidget, PerspectiveViewer):
    """An interactive pivot grid / chart of a table hosted by this kernel.

    Parameters
    ----------
    data : data or Table, optional
        Data to host (DataFrame, pyarrow Table, dict, records, CSV, a
        schema...) or an already hosted table (e.g. from
        ``perspective_nb.table``). ``None`` defers loading until ``load()``,
        or with ``name`` shows a table this kernel already hosts.
    index, limit : optional
        Primary-key column or row limit of a newly hosted table.
    binding_mode : {"server", "client-server"}
        Accepted for compatibility with perspective-python; the data always
        stays in the kernel and the browser reads what it draws.
    name : str, optional
        The name to host new data under (default: random); it is how other
        tabs and ``/perspective/view/<name>`` find the table.
    height : int or str, optional
        Widget height in pixels (``600``) or as a CSS length (``"600px"``,
        ``"70vh"``). Default: fit the content, up to a maximum.
    **viewer_config
        Any viewer attribute: ``plugin``, ``columns``, ``columns_config``,
        ``group_by``, ``split_by``, ``group_rollup_mode``,
        ``split_rollup_mode``, ``aggregates``, ``sort``, ``filter``,
        ``filter_op``, ``expressions``, ``plugin_config``, ``settings``,
        ``theme``, ``title``, ``editable`` (``version`` is accepted and
        ignored); also ipywidgets' ``layout``.

    Examples
    --------
    >>> import pandas as pd
    >>> from perspective_nb.widget import PerspectiveWidget
    >>> df = pd.DataFrame({"region": ["N", "S"], "sales": [1.0, 2.0]})
    >>> w = PerspectiveWidget(df, group_by=["region"], height=300)  # doctest: +SKIP
    >>> w.plugin = "Y Bar"  # doctest: +SKIP
    """

    _model_name = Unicode("PerspectiveModel").tag(sync=True)
    _model_module = Unicode(MODULE_NAME).tag(sync=True)
    _model_module_version = Unicode(MODULE_VERSION).tag(sync=True)
    _view_name = Unicode("PerspectiveView").tag(sync=True)
    _view_module = Unicode(MODULE_NAME).tag(sync=True)
    _view_module_version = Unicode(MODULE_VERSION).tag(sync=True)

    transport = Unicode(
        "comm", help="'hub' (data via /perspective/ws) or 'comm' (via this widget)."
    ).tag(sync=True)

    def __init__(
        self,
        data: Any = None,
        index: str | None = None,
        limit: int | None = None,
        binding_mode: str = "server",
        *,
        name: str | None = None,
        **viewer_config: Any,
    ) -> None:
        if data is None and (index is not None or limit is not None):
            raise ConfigError(
                "index= and limit= describe a new table: pass data (or a schema) with them"
            )
        host = current_host()
        self._host = host
        self._sessions: dict[str, Any] = {}
        transport = "hub" if host.connected else "comm"
        super().__init__(transport=transport, binding_mode=binding_mode, **viewer_config)
        self.on_msg(self._on_browser_message)
        with self.hold_sync():  # the table and its columns reach the browser as one change
            if data is not None:
                self.load(data, name=name, index=index, limit=limit)
            elif name is not None:
                self.load(host.client.open_table(name))

    @classmethod
    def _extra_options(cls) -> set[str]:
        return super()._extra_options() | {"layout", "transport"}

    def restore(self, **config: Any) -> None:
        """Set several config attributes at once (one viewer redraw)."""
        with self.hold_sync():
            super().restore(**config)

    def delete(self, delete_table: bool = True) -> None:
        """Close the widget and, by default, stop hosting its table."""
        super().delete(delete_table)
        self.close()

    # --- comm transport (no hub) ---------------------------------------------
    def _on_browser_message(self, _widget: Any, content: dict[str, Any], buffers: list) -> None:
        if content.get("type") != "request":
            return
        session = self._sessions.get("comm")
        if session is None:
            session = self._host.server.new_session(self._send_response)
            self._sessions["comm"] = session
        for buffer in buffers:
            session.handle_request(bytes(buffer))

    def _send_response(self, payload: bytes) -> None:
        if self.comm is not None:
            self.send({"type": "response"}, buffers=[payload])

    def close(self) -> None:
        """Close the widget (its comm and comm sessions); the table stays hosted."""
        # getattr: ipywidgets also calls close() from __del__ of a widget whose
        # __init__ raised before the sessions existed.
        sessions = getattr(self, "_sessions", {})
        for session in sessions.values():
            session.close()
        sessions.clear()
        super().close()

    def _repr_keys(self):  # keep the repr short: no data, just the config
        yield from ("table_name", "plugin", "group_by", "split_by")
