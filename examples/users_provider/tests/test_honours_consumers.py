"""users-service's own suite: one test per consumer interaction, named after the
consumer and the interaction's description (``billing: get user 123``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from users_provider.app import app

from accord.testing import provider_cases


@pytest.mark.parametrize("case", provider_cases("users-service"))
def test_honours_consumer(case: Any, accord_verify: Callable[..., Any]) -> None:
    accord_verify(case, app=app)
