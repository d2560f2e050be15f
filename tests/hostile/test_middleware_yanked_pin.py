"""ContractMiddleware and body() say so when a route pins a yanked version.

Pins keep working (DESIGN.md: yanked versions stay on disk; only ranges skip them), as
``require`` does with a note; before, a service checking its routes against a version
yanked for "leaked a card number in examples" started without a word.
"""

# No ``from __future__ import annotations``: FastAPI reads route annotations.
import logging
from pathlib import Path

import pytest
from fastapi import FastAPI

from _asgi import lifespan_startup
from _registry_builders import DRAFT_2020_12, publish
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware, body

SCHEMA = {"$schema": DRAFT_2020_12, "type": "object"}
REASON = "leaked a card number in examples"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    directory = publish(root, "orders.placed", {"1.0.0": SCHEMA, "1.1.0": SCHEMA})
    (directory / "contract.toml").write_text(
        f'owner = "team-a"\nkind = "event"\n[yanked]\n"1.1.0" = "{REASON}"\n'
    )
    clear_caches()
    return root


def _boot(registry: Path, ref: str) -> list[dict[str, str]]:
    app = FastAPI()
    app.add_middleware(ContractMiddleware, routes={"POST /o": {"response": ref}}, registry=registry)

    @app.post("/o")
    def place() -> dict[str, int]:
        return {}

    return lifespan_startup(app)


def test_a_yanked_pin_is_logged_at_startup(
    registry: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="accord.fastapi"):
        sent = _boot(registry, "orders.placed@1.1.0")
    assert sent[0]["type"] == "lifespan.startup.complete"
    yanked = [r.getMessage() for r in caplog.records if "yanked" in r.getMessage()]
    assert len(yanked) == 1
    assert "orders.placed@1.1.0" in yanked[0]
    assert REASON in yanked[0]


def test_the_body_dependency_logs_a_yanked_pin(
    registry: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="accord.fastapi"):
        body("orders.placed@1.1.0", registry=registry)
    assert any(REASON in r.getMessage() for r in caplog.records)


def test_a_release_is_not_logged(registry: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="accord.fastapi"):
        _boot(registry, "orders.placed@^1")
    assert not [r for r in caplog.records if "yanked" in r.getMessage()]
