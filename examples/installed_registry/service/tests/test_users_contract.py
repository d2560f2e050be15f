"""The service's own tests: the accord fixtures find the installed registry package."""

from __future__ import annotations

from typing import Any

import pytest
from users_reader.app import User


def test_registry_is_the_installed_package(accord_registry: Any) -> None:
    assert "site-packages" in str(accord_registry.root)


@pytest.mark.accord_contract("users.user@^1")
def test_user_model_reads_registry_examples(accord_validator: Any, accord_examples: Any) -> None:
    for payload in accord_examples:
        assert accord_validator.is_valid(payload)
        User.model_validate(payload)
