"""The ``%perspective`` line magic: show a DataFrame (or any data) in a widget.

``%perspective df --group-by region --split-by year --plugin "Y Bar"``
evaluates ``df`` in the user namespace and returns a
:class:`~perspective_nb.jupyter.widget.PerspectiveWidget`.

Imports IPython; must not import jupyter_server.
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class

from ..errors import ConfigError

__all__ = ["PerspectiveMagics"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="%perspective", description="Show data in a Perspective viewer.", add_help=False
    )
    parser.add_argument("data", help="A variable or expression: DataFrame, table, dict...")
    parser.add_argument("--name", help="Host the data under this table name.")
    parser.add_argument("--index", help="Primary-key column of a new table.")
    parser.add_argument("--limit", type=int, help="Row limit of a new table.")
    parser.add_argument("--plugin", help="Viewer plugin, e.g. 'Datagrid' or 'Y Bar'.")
    parser.add_argument("--columns", nargs="+", help="Columns to show.")
    parser.add_argument("--group-by", nargs="+", dest="group_by", help="Row pivots.")
    parser.add_argument("--split-by", nargs="+", dest="split_by", help="Column pivots.")
    parser.add_argument(
        "--sort", nargs=2, action="append", metavar=("COLUMN", "DIR"), help="Sort (repeatable)."
    )
    parser.add_argument(
        "--filter",
        nargs=3,
        action="append",
        metavar=("COLUMN", "OP", "VALUE"),
        help="Filter (repeatable).",
    )
    parser.add_argument("--theme", help="Viewer theme.")
    parser.add_argument("--title", help="Title above the viewer.")
    return parser


def parse_magic_line(line: str) -> dict[str, Any]:
    """Split a ``%perspective`` line into the data expression and widget options.

    >>> parse_magic_line("df --group-by region --plugin 'Y Bar'")["group_by"]
    ['region']
    """
    parser = _parser()
    try:
        args = parser.parse_args(shlex.split(line))
    except SystemExit as exc:  # argparse exits on bad input; say what is expected
        raise ConfigError(
            f"could not parse %perspective {line!r}; usage: {parser.format_usage().strip()}"
        ) from exc
    return {key: value for key, value in vars(args).items() if value is not None}


@magics_class
class PerspectiveMagics(Magics):
    """Magics registered by ``%load_ext perspective_nb``."""

    @line_magic
    def perspective(self, line: str) -> Any:
        """``%perspective DATA [--group-by COL ...] [--split-by ...] [--plugin P] ...``"""
        from .widget import PerspectiveWidget

        options = parse_magic_line(line)
        data = self.shell.ev(options.pop("data"))
        return PerspectiveWidget(data, **options)
