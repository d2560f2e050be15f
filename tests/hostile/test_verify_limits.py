"""``--timeout`` and ``--max-response-bytes`` outside their range are bad input (exit 2).

``--timeout nan`` reached the HTTP client as a NaN deadline (ValueError) and ``inf`` or
``1e12`` overflowed the clock (OverflowError): exit 3, "a bug in accord".
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.errors import UsageError
from accord.provider._replay import Limits

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


@pytest.mark.parametrize(
    "limits",
    [
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"timeout": 1e12},
        {"timeout": 0},
        {"timeout": "10"},
        {"timeout": True},
        {"max_response_bytes": 0},
        {"max_response_bytes": 1.5},
    ],
    ids=str,
)
def test_limits_out_of_range_are_usage_errors(limits: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        Limits(**limits)


def test_limits_in_range_are_kept() -> None:
    assert Limits(timeout=86_400, max_response_bytes=1).timeout == 86_400


@pytest.mark.parametrize("timeout", ["nan", "inf", "1e12", "0"])
def test_the_cli_exits_2(
    registry_root: Path, timeout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["verify", "--provider", "users-service", "--base-url", "http://127.0.0.1:9"]
    code = main([*argv, "--timeout", timeout, "--registry", str(registry_root)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "--timeout" in captured.err
    assert "internal error" not in captured.err
    assert captured.out == ""
