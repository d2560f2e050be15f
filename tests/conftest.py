"""Shared pytest setup: hypothesis profiles.

``ci`` (the default) is derandomized with a bounded example count, so every run of the
suite explores the same cases and a failure reproduces; ``dev`` explores freshly each
run. Select with ``HYPOTHESIS_PROFILE=dev``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    print_blob=True,
    database=None,
)
settings.register_profile("dev", max_examples=100, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
