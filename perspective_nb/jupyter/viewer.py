"""``PerspectiveViewer``: the viewer config and table of a ``<perspective-viewer>``, as traits.

The API follows perspective-python's ``perspective.widget.viewer.PerspectiveViewer``
(``load``, ``update``, ``replace``, ``clear``, ``save``, ``restore``,
``reset``, ``delete``, ``to_kwargs`` and one trait per viewer attribute), so
a notebook written for ``perspective.widget`` ports by changing the import.
Tables are hosted by this kernel's host (``kernel_host``): the data stays in
the kernel and browsers read only what they draw.

Must not import jupyter_server (the kernel has no server).
"""

from __future__ import annotations

import re
from typing import Any

from traitlets import Bool, Dict, Enum, Float, HasTraits, Int, List, Unicode, Union, validate

from ..errors import ConfigError
from .kernel_host import current_host

__all__ = ["PERSISTENT_ATTRIBUTES", "PerspectiveViewer", "css_height"]

#: The viewer config: what ``save()`` returns and ``restore()`` accepts.
#: Perspective's set (``group_by`` ... ``version``) plus the attributes of
#: perspective_nb's viewer (``columns_config``, the rollup modes,
#: ``filter_op``, ``editable``).
PERSISTENT_ATTRIBUTES = (
    "group_by",
    "split_by",
    "filter",
    "sort",
    "aggregates",
    "columns",
    "expressions",
    "plugin",
    "plugin_config",
    "theme",
    "settings",
    "title",
    "version",
    "columns_config",
    "group_rollup_mode",
    "split_rollup_mode",
    "filter_op",
    "editable",
)

#: The config format of the bundled ``<perspective-viewer>``.
VIEWER_VERSION = "3.8.0"

_CSS_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px|em|rem|vh|%)?\s*$")


def css_height(value: Any) -> str | None:
    """A widget height as CSS: ``600`` and ``"600"`` -> ``"600px"``; ``None`` = size to content.

    Raises
    ------
    ConfigError
        For anything else than a non-negative number or a CSS length in
        px, em, rem, vh or %.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):  # bool is an int: refuse True/False explicitly
        raise ConfigError(f"height must be a number of pixels or a CSS length, not {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ConfigError(f"height must not be negative, got {value!r}")
        return f"{value:g}px"
    match = _CSS_LENGTH.match(str(value))
    if match is None:
        raise ConfigError(
            f"height {value!r} is not a CSS length; use a number of pixels (600) or a "
            "length such as '600px', '40em' or '80vh' (None sizes the widget to its content)"
        )
    return f"{match.group(1)}{match.group(2) or 'px'}"


def _is_table(obj: Any) -> bool:
    """A hosted client table (not raw data): it has a name and takes updates."""
    return callable(getattr(obj, "get_name", None)) and callable(getattr(obj, "update", None))


def _is_view(obj: Any) -> bool:
    return callable(getattr(obj, "to_arrow", None)) and callable(getattr(obj, "get_config", None))


class PerspectiveViewer(HasTraits):
    """The traits and table API shared by :class:`PerspectiveWidget`.

    Each viewer attribute is a trait; in a widget they are synced with the
    browser's ``<perspective-viewer>`` both ways.
    """

    # --- viewer attributes (names and defaults as in perspective-python) ---
    plugin = Unicode("Datagrid", help="Viewer plugin, e.g. 'Datagrid', 'Y Bar'.").tag(sync=True)
    columns = List(Union([Unicode(), Unicode(allow_none=True)]), help="Shown columns.").tag(
        sync=True
    )
    columns_config = Dict(help="Per-column styling and formatting, by column name.").tag(sync=True)
    group_by = List(Unicode(), help="Row pivots.").tag(sync=True)
    split_by = List(Unicode(), help="Column pivots.").tag(sync=True)
    group_rollup_mode = Enum(
        ("rollup", "flat", "total"), default_value="rollup", help="How group_by rows roll up."
    ).tag(sync=True)
    split_rollup_mode = Enum(
        ("flat", "rollup"), default_value="flat", help="Whether split_by adds total columns."
    ).tag(sync=True)
    aggregates = Dict(help="Column -> aggregate name.").tag(sync=True)
    sort = List(List(), help="[[column, 'asc'|'desc'|...], ...].").tag(sync=True)
    filter = List(List(), help="[[column, op, value], ...].").tag(sync=True)
    filter_op = Unicode("and", help="How filters combine: 'and' or 'or'.").tag(sync=True)
    expressions = Dict(help="Expression column name -> expression text.").tag(sync=True)
    plugin_config = Dict(help="Plugin-specific settings.").tag(sync=True)
    settings = Bool(True, help="Show the viewer's settings panel.").tag(sync=True)
    theme = Unicode(
        None, allow_none=True, help="Viewer theme; None follows JupyterLab's light/dark theme."
    ).tag(sync=True)
    title = Unicode(None, allow_none=True, help="Title shown above the viewer.").tag(sync=True)
    version = Unicode(VIEWER_VERSION, help="Config format version (ignored on restore).").tag(
        sync=True
    )
    editable = Bool(False, help="Let users edit cells in the datagrid.").tag(sync=True)

    # --- what is shown, and how -------------------------------------------
    table_name = Unicode(None, allow_none=True, help="Name of the hosted table shown.").tag(
        sync=True
    )
    binding_mode = Enum(
        ("server", "client-server"),
        default_value="server",
        help="Accepted for compatibility: the data always stays in the kernel.",
    ).tag(sync=True)
    height = Union(
        [Unicode(), Int(), Float()],
        default_value=None,
        allow_none=True,
        help="Widget height: pixels or a CSS length; None sizes it to its content.",
    ).tag(sync=True)

    def __init__(self, **config: Any) -> None:
        unknown = sorted(set(config) - set(PERSISTENT_ATTRIBUTES) - self._extra_options())
        if unknown:
            raise ConfigError(
                f"unknown viewer option(s) {unknown}; expected some of "
                f"{list(PERSISTENT_ATTRIBUTES)}"
            )
        config = {k: v for k, v in config.items() if v is not None or k in ("theme", "title")}
        if isinstance(config.get("expressions"), list):
            # Perspective 2.x style: a list of expressions, each its own name.
            config["expressions"] = {e: e for e in config["expressions"]}
        self._table: Any = None
        super().__init__(**config)

    @classmethod
    def _extra_options(cls) -> set[str]:
        """Constructor keywords that are not part of the saved config."""
        return {"height", "binding_mode"}

    @validate("height")
    def _height_is_css(self, proposal: Any) -> str | None:
        return css_height(proposal["value"])

    @validate("expressions")
    def _expressions_by_name(self, proposal: Any) -> dict[str, str]:
        value = proposal["value"]
        return {e: e for e in value} if isinstance(value, list) else value

    # --- data ---------------------------------------------------------------
    @property
    def table(self) -> Any:
        """The hosted table this viewer shows (``None`` until data is loaded)."""
        return self._table

    @property
    def client(self) -> Any:
        """The kernel's client that hosts the table."""
        return current_host().client

    def is_async(self) -> bool:
        """Whether ``load``/``update`` return coroutines: never, tables here are synchronous."""
        return False

    def load(self, data: Any, **options: Any) -> None:
        """Show ``data``: a hosted table, or data to host (DataFrame, Arrow, dict, CSV...).

        Loading again resets the viewer config first (``reset``). When the
        viewer shows no columns yet, ``columns`` is set to the table's.

        Parameters
        ----------
        data : Table or data
            A table from ``perspective_nb.table`` / a client, or anything a
            table can be made of (a schema too).
        **options
            ``name`` (the hosted name; default random), ``index`` or
            ``limit`` for new data; ignored when ``data`` is a table.

        Raises
        ------
        ConfigError
            For a view (load its table instead) or an unknown option.
        """
        unknown = sorted(set(options) - {"name", "index", "limit"})
        if unknown:
            raise ConfigError(f"unknown load option(s) {unknown}; expected name, index or limit")
        if _is_view(data):
            raise ConfigError("views cannot be loaded directly; load a table or raw data instead")
        if self._table is not None:
            self.reset()
        if _is_table(data):
            table = data
        else:
            table = current_host().table(
                data,
                name=options.get("name"),
                index=options.get("index"),
                limit=options.get("limit"),
            )
        self._table = table
        if not self.columns:
            self.columns = list(table.columns())
        self.table_name = table.get_name()

    def update(self, data: Any) -> None:
        """Add or upsert rows (see the table's ``update``)."""
        self._require_table().update(data)

    def replace(self, data: Any) -> None:
        """Replace every row, keeping the schema and the viewer config."""
        if self._table is not None:
            self._table.replace(data)

    def clear(self) -> None:
        """Remove every row, keeping the schema."""
        if self._table is not None:
            self._table.clear()

    def _require_table(self) -> Any:
        if self._table is None:
            raise ConfigError("this viewer shows no table yet; call load(data) first")
        return self._table

    # --- config -------------------------------------------------------------
    def save(self) -> dict[str, Any]:
        """The viewer config as a dict (feed it to ``restore`` or the constructor)."""
        return {name: getattr(self, name) for name in PERSISTENT_ATTRIBUTES}

    def restore(self, **config: Any) -> None:
        """Set several config attributes at once (a widget redraws once).

        Raises
        ------
        ConfigError
            For a name that is not a viewer attribute (see ``save()``).
        """
        unknown = sorted(set(config) - set(PERSISTENT_ATTRIBUTES))
        if unknown:
            raise ConfigError(
                f"unknown viewer option(s) {unknown}; expected some of "
                f"{list(PERSISTENT_ATTRIBUTES)}"
            )
        with self.hold_trait_notifications():
            for name, value in config.items():
                if name != "version":  # the format a config came from, not a setting
                    setattr(self, name, value)

    def reset(self) -> None:
        """Back to the default config (the table stays)."""
        self.restore(
            group_by=[],
            split_by=[],
            filter=[],
            sort=[],
            expressions={},
            aggregates={},
            columns=[],
            plugin="Datagrid",
            plugin_config={},
        )

    def to_kwargs(self) -> str:
        """The non-default config as constructor keywords, e.g. ``"group_by=['a']"``."""
        defaults: dict[str, Any] = {
            "columns": [],
            "group_by": [],
            "split_by": [],
            "aggregates": {},
            "sort": [],
            "filter": [],
            "expressions": {},
            "plugin_config": {},
        }
        saved = self.save()
        return ", ".join(
            f"{key}={saved[key]!r}" for key, default in defaults.items() if saved[key] != default
        )

    def delete(self, delete_table: bool = True) -> None:
        """Reset the config and, by default, stop hosting the table."""
        if delete_table and self._table is not None:
            self._table.delete()
            self._table = None
            self.table_name = None
        self.reset()
