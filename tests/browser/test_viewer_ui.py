"""The standalone page opens <perspective-viewer> as people know it.

The settings panel is open on first load and the status bar is shown.
"""

from __future__ import annotations

import pytest
from browser_harness import ViewerPage
from conftest import SAMPLE_TABLE

# The viewer's own controls (ids in its shadow DOM, in both 3.x and 5.x).
OPEN_UI = ("settings_panel", "status_bar", "settings_close_button")


def test_page_opens_with_the_settings_panel(viewer: ViewerPage) -> None:
    viewer.wait_for_grid(lambda g: len(g.rows) > 10, "the first rows")
    assert viewer.shown(*OPEN_UI) == dict.fromkeys(OPEN_UI, True)
    saved = viewer.page.evaluate("window.perspectiveNb.viewer.save()")
    assert saved["settings"] is True
    # The status bar is titled with the table's name.
    assert saved["title"] == SAMPLE_TABLE


@pytest.mark.parametrize("generation", ["finos"])
def test_closing_settings_keeps_the_status_bar_and_toggle(viewer: ViewerPage) -> None:
    # 3.x hides its status bar and settings button when the panel is closed
    # and the viewer has no title; the page titles it, so both stay.
    viewer.restore({"settings": False})
    shown = viewer.shown("settings_panel", "status_bar", "settings_button")
    assert shown == {"settings_panel": False, "status_bar": True, "settings_button": True}
