"""``perspective_nb.widget.viewer``: ``PerspectiveViewer``, the widget's traits and table API.

Mirrors ``perspective.widget.viewer`` (the viewer attributes as traits,
``load``, ``save``, ``restore``, ``reset``...); defined in
``perspective_nb.jupyter.viewer``.
"""

from __future__ import annotations

from ...jupyter.viewer import PerspectiveViewer

__all__ = ["PerspectiveViewer"]
