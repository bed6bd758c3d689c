"""Suite-wide settings: Hypothesis runs a fixed set of examples in CI.

With ``CI`` set, property tests are derandomized (the same examples on every
run, no example database), so a CI result reproduces exactly on a developer
machine; locally they explore new random examples on every run.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
