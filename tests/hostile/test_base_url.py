"""A provider URL that urllib cannot split is ``provider-url-invalid`` (exit 2).

``--base-url 'http://[::1'`` (an unclosed IPv6 bracket) raised urllib's ValueError, and
a non-string ``base_url`` from Python a TypeError: exit 3, "a bug in accord".
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.provider import ProviderError, parse_base_url

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1/x", 5, None], ids=str)
def test_an_unsplittable_url_is_invalid(url: Any) -> None:
    with pytest.raises(ProviderError) as caught:
        parse_base_url(url)
    assert caught.value.code == "provider-url-invalid"


def test_a_closed_ipv6_loopback_is_kept() -> None:
    assert parse_base_url("http://[::1]:8080").host == "::1"


@pytest.mark.parametrize("option", ["--base-url", "--state-change-url"])
def test_the_cli_exits_2(
    registry_root: Path, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["verify", "--provider", "users-service", "--base-url", "http://127.0.0.1:9"]
    code = main([*argv, option, "http://[::1", "--registry", str(registry_root)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "provider-url-invalid" in captured.err
    assert "internal error" not in captured.err
