"""``PerspectiveWidget``: a ``<perspective-viewer>`` in a notebook, as an ipywidget.

The widget shows a table hosted by name in this kernel. With the Jupyter
server's hub, the browser fetches data over ``<base_url>/perspective/ws``
(live while cells run); without it (VS Code, Colab...), the same protocol
bytes travel over the widget's own comm. The viewer config is a set of
synced traits, two-way: assigning one restores the viewer, and user edits
in the viewer update the traits.

Must not import jupyter_server (the kernel has no server).
"""

from __future__ import annotations

from typing import Any

from ipywidgets import DOMWidget
from traitlets import Bool, Dict, List, Unicode, Union, observe

from ..errors import ConfigError
from .kernel_host import current_host

__all__ = ["PerspectiveWidget"]

MODULE_NAME = "perspective-nb-labextension"
MODULE_VERSION = "0.1.0"

#: The traits that make up the viewer config (``save()`` / ``restore()``).
CONFIG_TRAITS = (
    "plugin",
    "columns",
    "group_by",
    "split_by",
    "aggregates",
    "sort",
    "filter",
    "filter_op",
    "expressions",
    "plugin_config",
    "settings",
    "theme",
    "title",
    "editable",
)


def _is_table(obj: Any) -> bool:
    """A hosted client table (not raw data): it has a name and takes updates."""
    return callable(getattr(obj, "get_name", None)) and callable(getattr(obj, "update", None))


class PerspectiveWidget(DOMWidget):
    """An interactive pivot grid / chart of a table hosted by this kernel.

    Parameters
    ----------
    data_or_table : data or Table, optional
        Data to host (DataFrame, pyarrow Table, dict, records, CSV...) or an
        already hosted table (e.g. from ``perspective_nb.table``). ``None``
        with ``name`` shows a table this kernel already hosts.
    name : str, optional
        The name to host new data under (default: random); it is how other
        tabs and ``/perspective/view/<name>`` find the table.
    index, limit : optional
        Primary-key column or row limit of a newly hosted table.
    **viewer_config
        Any of the config traits: ``plugin``, ``columns``, ``group_by``,
        ``split_by``, ``aggregates``, ``sort``, ``filter``, ``filter_op``,
        ``expressions``, ``plugin_config``, ``settings``, ``theme``,
        ``title``, ``editable``.

    Examples
    --------
    >>> import pandas as pd
    >>> from perspective_nb import PerspectiveWidget
    >>> df = pd.DataFrame({"region": ["N", "S"], "sales": [1.0, 2.0]})
    >>> w = PerspectiveWidget(df, group_by=["region"])  # doctest: +SKIP
    >>> w.plugin = "Y Bar"  # doctest: +SKIP
    """

    _model_name = Unicode("PerspectiveModel").tag(sync=True)
    _model_module = Unicode(MODULE_NAME).tag(sync=True)
    _model_module_version = Unicode(MODULE_VERSION).tag(sync=True)
    _view_name = Unicode("PerspectiveView").tag(sync=True)
    _view_module = Unicode(MODULE_NAME).tag(sync=True)
    _view_module_version = Unicode(MODULE_VERSION).tag(sync=True)

    table_name = Unicode("", help="Name of the hosted table shown.").tag(sync=True)
    transport = Unicode(
        "comm", help="'hub' (data via /perspective/ws) or 'comm' (via this widget)."
    ).tag(sync=True)

    plugin = Unicode("", help="Viewer plugin, e.g. 'Datagrid', 'Y Bar'; '' = default.").tag(
        sync=True
    )
    columns = List(Union([Unicode(), Unicode(allow_none=True)]), help="Shown columns.").tag(
        sync=True
    )
    group_by = List(Unicode(), help="Row pivots.").tag(sync=True)
    split_by = List(Unicode(), help="Column pivots.").tag(sync=True)
    aggregates = Dict(help="Column -> aggregate name.").tag(sync=True)
    sort = List(List(), help="[[column, 'asc'|'desc'|...], ...].").tag(sync=True)
    filter = List(List(), help="[[column, op, value], ...].").tag(sync=True)
    filter_op = Unicode("and", help="How filters combine: 'and' or 'or'.").tag(sync=True)
    expressions = Dict(help="Expression column name -> expression text.").tag(sync=True)
    plugin_config = Dict(help="Plugin-specific settings.").tag(sync=True)
    settings = Bool(False, help="Show the viewer's settings panel.").tag(sync=True)
    theme = Unicode("", help="Viewer theme; '' follows JupyterLab's light/dark theme.").tag(
        sync=True
    )
    title = Unicode("", help="Title shown above the viewer.").tag(sync=True)
    editable = Bool(False, help="Let users edit cells in the datagrid.").tag(sync=True)

    def __init__(
        self,
        data_or_table: Any = None,
        name: str | None = None,
        index: str | None = None,
        limit: int | None = None,
        **viewer_config: Any,
    ) -> None:
        unknown = sorted(set(viewer_config) - set(CONFIG_TRAITS) - {"layout"})
        if unknown:
            raise ConfigError(
                f"unknown viewer option(s) {unknown}; expected some of {list(CONFIG_TRAITS)}"
            )
        if isinstance(viewer_config.get("expressions"), list):
            # Perspective 2.x style: a list of expressions, each its own name.
            viewer_config["expressions"] = {e: e for e in viewer_config["expressions"]}
        host = current_host()
        self._host = host
        if data_or_table is None:
            if name is None:
                raise ConfigError(
                    "PerspectiveWidget needs data, a hosted table, or name= of a hosted table"
                )
            self._table = host.client.open_table(name)
        elif _is_table(data_or_table):
            self._table = data_or_table
        else:
            self._table = host.table(data_or_table, name=name, index=index, limit=limit)
        self._sessions: dict[str, Any] = {}
        transport = "hub" if host.connected else "comm"
        super().__init__(table_name=self._table.get_name(), transport=transport, **viewer_config)
        self.on_msg(self._on_browser_message)

    # --- data ---------------------------------------------------------------
    @property
    def table(self) -> Any:
        """The hosted table this widget shows."""
        return self._table

    def update(self, data: Any) -> None:
        """Add or upsert rows (see the table's ``update``)."""
        self._table.update(data)

    def replace(self, data: Any) -> None:
        """Replace every row, keeping the schema."""
        self._table.replace(data)

    def clear(self) -> None:
        """Remove every row, keeping the schema."""
        self._table.clear()

    def delete(self, delete_table: bool = True) -> None:
        """Close the widget and, by default, stop hosting its table."""
        self.close()
        if delete_table:
            self._table.delete()

    # --- config -------------------------------------------------------------
    def save(self) -> dict[str, Any]:
        """The viewer config as a dict (feed it to ``restore`` or the constructor)."""
        return {name: getattr(self, name) for name in CONFIG_TRAITS}

    def restore(self, **config: Any) -> None:
        """Set several config traits at once (one viewer redraw)."""
        unknown = sorted(set(config) - set(CONFIG_TRAITS))
        if unknown:
            raise ConfigError(
                f"unknown viewer option(s) {unknown}; expected some of {list(CONFIG_TRAITS)}"
            )
        with self.hold_sync():
            for name, value in config.items():
                setattr(self, name, value)

    @observe("theme")
    def _theme_is_text(self, change: dict[str, Any]) -> None:
        # None from user code means "follow JupyterLab", which is "".
        if change["new"] is None:
            self.theme = ""

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
