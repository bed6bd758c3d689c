"""The widget's height argument as CSS (``perspective_nb.jupyter.viewer.css_height``)."""

from __future__ import annotations

import pytest

from perspective_nb.errors import ConfigError
from perspective_nb.jupyter.viewer import css_height


@pytest.mark.parametrize(
    ("given", "css"),
    [
        (None, None),
        ("", None),
        (600, "600px"),
        (412.5, "412.5px"),
        ("600", "600px"),
        ("600px", "600px"),
        (" 40em ", "40em"),
        ("2.5rem", "2.5rem"),
        ("80vh", "80vh"),
        ("100%", "100%"),
    ],
)
def test_heights_become_css(given, css):
    assert css_height(given) == css


@pytest.mark.parametrize("bad", ["tall", "600 px px", "-5px", "calc(1px)", True, -1, [600]])
def test_bad_heights_are_refused_with_the_fix(bad):
    with pytest.raises(ConfigError, match="height"):
        css_height(bad)
