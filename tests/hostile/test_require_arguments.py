"""``accord.require()`` refuses an option of the wrong type with a ``UsageError``.

A service passes what its config holds: ``exclude_none="false"`` (text from an
environment variable) was read as true, so a producer that keeps ``None`` fields as
``null`` was proven against the dump that leaves them out, and a contract refusing
``null`` there passed the boot check. ``probe="10"`` and ``cache_dir=1`` were a
``TypeError`` from deep inside; ``probe=-1`` and ``strict="false"`` were taken as some
other setting. The manifest (``[tool.accord.service]``) already refused all of these.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

import accord
from accord.errors import ContractMismatch, UsageError

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
PROBLEM = "common.error@^1"


class Problem(BaseModel):
    type: str = Field(pattern="^about:blank$", json_schema_extra={"format": "uri-reference"})
    title: str = Field(min_length=1)
    status: int = Field(ge=100, le=599)
    detail: str | None = None  # emitted as null unless None fields are left out


BAD = {
    "exclude_none-text": {"exclude_none": "false"},
    "exclude_none-int": {"exclude_none": 0},
    "exclude_none-none": {"exclude_none": None},
    "strict-text": {"strict": "false"},
    "strict-int": {"strict": 1},
    "probe-negative": {"probe": -1},
    "probe-text": {"probe": "10"},
    "probe-float": {"probe": 10.5},
    "probe-bool": {"probe": True},
    "cache_dir-int": {"cache_dir": 1},
}


@pytest.mark.parametrize("options", BAD.values(), ids=BAD.keys())
def test_an_option_of_the_wrong_type_is_a_usage_error(options: dict[str, Any]) -> None:
    with pytest.raises(UsageError) as caught:
        accord.require(PROBLEM, model=Problem, role="producer", registry=CONTRACTS, **options)
    assert caught.value.code == "usage"
    assert next(iter(options)) in caught.value.message


def test_the_options_as_documented_still_decide() -> None:
    conformance = accord.require(PROBLEM, model=Problem, role="producer", registry=CONTRACTS)
    assert conformance.status == "proven"
    with pytest.raises(ContractMismatch):
        accord.require(
            PROBLEM, model=Problem, role="producer", registry=CONTRACTS, exclude_none=False
        )
    assert accord.require(
        PROBLEM, model=Problem, role="producer", registry=CONTRACTS, probe=0, strict=False
    ).status in ("proven", "unproven")
