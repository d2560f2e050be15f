"""Shared pytest setup: hypothesis profiles, and a disk cache of its own for each test.

``ci`` (the default) is derandomized with a bounded example count, so every run of the
suite explores the same cases and a failure reproduces; ``dev`` explores freshly each
run. Select with ``HYPOTHESIS_PROFILE=dev``.
"""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import settings

# pact_ffi (the real Pact verifier some tests run) sends an anonymous usage ping unless
# PACT_DO_NOT_TRACK is the text "true" ("1" is not read as yes): never from a test run,
# nor from a child process a test starts.
os.environ["PACT_DO_NOT_TRACK"] = "true"

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


_caches = itertools.count()


@pytest.fixture(autouse=True)
def _own_accord_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets an empty cache directory (created only if something is written):
    ``accord check`` never reads what another test (or the developer's own runs) cached,
    and nothing is written under the home directory."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(base / "accord-cache" / str(next(_caches))))
