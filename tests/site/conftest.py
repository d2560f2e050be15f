"""Fixtures for the site tests (helpers in ``_site_records``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _site_records import make_registry_with_records


@pytest.fixture(scope="module")
def registry_with_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_registry_with_records(tmp_path_factory.mktemp("site-registry"))
