"""``provider_cases`` and ``accord_verify`` refuse a wrongly typed argument with an
AccordError, not a TypeError or AttributeError from deep inside (a provider's suite
passes what its config holds: ``provider_cases(settings.SERVICE_ID)``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.errors import UsageError
from accord.testing._provider import provider_cases

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"provider": 123},
        {"provider": None},
        {"provider": b"users-service"},
        {"provider": "users-service", "consumer": 5},
        {"provider": "users-service", "consumer": ["billing"]},
        {"provider": "users-service", "main_branch": None},
        {"provider": "users-service", "selectors": [1]},
        {"provider": "users-service", "selectors": None},
    ],
    ids=repr,
)
def test_provider_cases_refuses_arguments_of_the_wrong_type(kwargs: dict[str, Any]) -> None:
    # provider=123 and consumer=5 were TypeError ('int' object is not iterable), a
    # traceback at collection
    provider = kwargs.pop("provider")
    with pytest.raises(UsageError) as info:
        provider_cases(provider, registry=CONTRACTS, **kwargs)
    assert info.value.code == "usage"


def test_provider_cases_still_takes_good_arguments() -> None:
    cases = provider_cases("users-service", registry=CONTRACTS, consumer="billing")
    assert cases
    assert provider_cases("users-service", registry=CONTRACTS, selectors=("main-branch",))


@pytest.mark.parametrize("case", [{"id": "billing: get user"}, "billing", None], ids=repr)
def test_accord_verify_refuses_what_is_not_a_provider_case(case: Any, accord_verify: Any) -> None:
    # accord_verify({"id": ...}) was AttributeError: 'dict' object has no attribute 'case'
    with pytest.raises(UsageError, match="provider_cases") as info:
        accord_verify(case)
    assert info.value.code == "usage"
