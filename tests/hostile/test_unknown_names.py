"""A consumer, provider, contract or environment filter that matches nothing is bad input.

``accord verify --provider users-service --consumer biling`` used to verify 0
interactions and exit 0: a typo in CI turned verification off. Every such filter is now
exit 2 with a stable code and the closest known name ("did you mean"), and nothing is
written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.consumers import Expectation, integer, string
from accord.errors import AccordError
from accord.registry import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import add_contract, registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


@pytest.fixture
def root(registry_root: Path) -> Path:
    """billing expects users-service (HTTP), crm expects orders-service (a message), and
    payments-service provides a contract nobody expects anything of; production exists."""
    from accord.provider import record_deployment

    crm = Expectation("crm", version="2.0.0", name="orders")
    crm.message(
        "an order.placed event",
        "orders.order-placed@^1",
        {"order_id": string("o-1"), "total": integer(12)},
    )
    crm.write(registry_root)
    add_contract(registry_root, "payments.charge", "payments-service", {"type": "object"})
    record_deployment(registry_root, "billing", "1.4.0", "production")
    return registry_root


def run(root: Path, *argv: str) -> int:
    return main([*argv, "--registry", str(root)])


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root.parent).as_posix(): p.read_bytes()
        for p in sorted(root.parent.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("argv", "code", "hint"),
    [
        pytest.param(
            ["verify", "--static", "--consumer", "biling"],
            "consumer-unknown",
            "did you mean 'billing'?",
            id="verify-static-consumer",
        ),
        pytest.param(
            ["verify", "--static", "--contract", "users.usr"],
            "contract-not-found",
            "did you mean users.user?",
            id="verify-static-contract",
        ),
        pytest.param(
            ["verify", "--static", "--consumer", "billing", "--contract", "orders.order-placed"],
            "contract-unknown",
            "known: users.user",
            id="verify-static-contract-not-read-by-consumer",
        ),
        pytest.param(
            ["verify", "--static", "--contract", "payments.charge"],
            "contract-unknown",
            "no expectation reads contract 'payments.charge'",
            id="verify-static-contract-nobody-reads",
        ),
        pytest.param(
            ["verify", "--provider", "user-service"],
            "provider-unknown",
            "did you mean 'users-service'?",
            id="verify-provider-typo",
        ),
        pytest.param(
            ["verify", "--provider", "payments-service"],
            "provider-no-expectations",
            "expectations name: orders-service, users-service",
            id="verify-provider-nobody-expects",
        ),
        pytest.param(
            ["verify", "--provider", "users-service", "--consumer", "biling"],
            "consumer-unknown",
            "did you mean 'billing'?",
            id="verify-provider-consumer-typo",
        ),
        pytest.param(
            ["verify", "--provider", "orders-service", "--consumer", "billing"],
            "consumer-unknown",
            "expects anything of orders-service; known: crm",
            id="verify-provider-consumer-expects-other-provider",
        ),
        pytest.param(
            ["verify", "--provider", "users-service", "--contract", "users.user"],
            "usage",
            "--contract applies to --static",
            id="verify-provider-contract-ignored",
        ),
        pytest.param(
            [
                "verify",
                "--provider",
                "users-service",
                "--consumer-version-selector",
                "deployed:prod",
            ],
            "environment-unknown",
            "did you mean 'production'?",
            id="verify-provider-selector-env",
        ),
        pytest.param(
            ["pact", "export", "--consumer", "biling", "--out", "{tmp}/pacts"],
            "consumer-unknown",
            "did you mean 'billing'?",
            id="pact-export-consumer",
        ),
        pytest.param(
            ["expectations", "export", "--consumer", "biling", "--to", "{tmp}/central"],
            "consumer-unknown",
            "did you mean 'billing'?",
            id="expectations-export-consumer",
        ),
    ],
)
def test_a_filter_matching_nothing_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: str, hint: str
) -> None:
    (root.parent / "central").mkdir()
    argv = [a.replace("{tmp}", str(root.parent)) for a in argv]
    before = _snapshot(root)
    assert run(root, *argv) == 2
    err = capsys.readouterr().err
    assert f"error[{code}]" in err
    assert hint in err
    assert "Traceback" not in err
    assert _snapshot(root) == before  # nothing written, not even the --out directory
    assert not (root.parent / "pacts").exists()


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["consumers", "users.usr"], id="consumers"),
        pytest.param(["changelog", "users.usr"], id="changelog"),
        pytest.param(["show", "users.usr"], id="show"),
    ],
)
def test_an_unknown_contract_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Already refused before this change: kept here so the whole surface is in one place."""
    assert run(root, *argv) == 2
    err = capsys.readouterr().err
    assert "error[contract-not-found]" in err
    assert "did you mean users.user?" in err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["verify", "--static", "--consumer", "billing"], id="verify-static"),
        pytest.param(
            ["verify", "--static", "--consumer", "billing", "--contract", "users.user"],
            id="verify-static-contract",
        ),
        pytest.param(["pact", "export", "--consumer", "crm", "--out", "{tmp}/pacts"], id="pact"),
    ],
)
def test_known_names_still_work(root: Path, argv: list[str]) -> None:
    argv = [a.replace("{tmp}", str(root.parent)) for a in argv]
    assert run(root, *argv) in (0, 1)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        pytest.param({"provider": "user-service"}, "provider-unknown", id="provider"),
        pytest.param(
            {"provider": "users-service", "consumer": "crm"}, "consumer-unknown", id="consumer"
        ),
    ],
)
def test_pytest_provider_cases_refuse_unknown_names(
    root: Path, kwargs: dict[str, str], code: str
) -> None:
    """An empty parameter set is a skipped test, not a failed one: refuse instead."""
    from accord.testing._provider import provider_cases

    with pytest.raises(AccordError) as info:
        provider_cases(registry=Registry.load(root), **kwargs)
    assert info.value.code == code


def test_a_known_provider_without_expectations_passes_only_when_allowed(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """payments-service provides payments.charge but nobody expects anything of it yet:
    a clear refusal by default (as Pact's failIfNoPactsFound), exit 0 only when asked,
    with nothing recorded; an unknown provider stays refused even with the flag."""
    argv = ["verify", "--provider", "payments-service", "--app", "json:loads"]
    before = _snapshot(root)
    assert run(root, *argv) == 2
    err = capsys.readouterr().err
    assert "error[provider-no-expectations]" in err
    assert "it provides payments.charge" in err
    assert "--allow-no-expectations" in err
    allowed = [*argv, "--allow-no-expectations", "--record", "--provider-version", "1.0.0"]
    assert run(root, *allowed) == 0
    out = capsys.readouterr().out
    assert "no consumer expects anything of payments-service yet: nothing verified" in out
    assert "0 passed, 0 failed" in out
    assert _snapshot(root) == before  # no record of nothing
    assert run(root, "verify", "--provider", "payment-service", "--allow-no-expectations") == 2
    assert "error[provider-unknown]" in capsys.readouterr().err
    assert run(root, "verify", "--static", "--allow-no-expectations") == 2
    assert "apply to --provider" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "--static", "--consumer", "ghost"],
        ["pact", "export", "--consumer", "ghost"],
    ],
    ids=["verify-static", "pact-export"],
)
def test_a_consumer_whose_files_expect_nothing_is_refused(
    root: Path, tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """An expectation file of no interaction (``Expectation(...).write()`` with none
    recorded): ``verify --static --consumer ghost`` said "0 proven" and exited 0."""
    Expectation("ghost", version="1.0.0", name="users", provider="users-service").write(root)
    out = ["--out", str(tmp_path / "pacts")] if argv[0] == "pact" else []
    assert run(root, *argv, *out) == 2
    captured = capsys.readouterr()
    assert "consumer-unknown" in captured.err
    assert "ghost" in captured.err
