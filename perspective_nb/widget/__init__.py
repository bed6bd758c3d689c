"""``perspective_nb.widget``: the Jupyter widget under perspective-python's import path.

``from perspective_nb.widget import PerspectiveWidget`` is a drop-in for
``from perspective.widget import PerspectiveWidget``: the same constructor
(``data, index=None, limit=None, binding_mode="server", **viewer_config``),
``load``/``update``/``replace``/``clear``/``delete``, ``table``,
``table_name``, one trait per viewer attribute and ``save()``/``restore()``.
It is the class ``perspective_nb.PerspectiveWidget`` names too.

Part of the Jupyter layer: it imports ``perspective_nb.jupyter``; nothing
below it imports this package.
"""

from __future__ import annotations

from ..jupyter.widget import PerspectiveWidget
from .viewer import PerspectiveViewer

__all__ = ["PerspectiveViewer", "PerspectiveWidget"]
