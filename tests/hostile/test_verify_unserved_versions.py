"""Provider verification judges answers against the versions a consumer's range is
served, never a draft (a version file without an ``accord.lock`` line) or a yanked one.

A range never selects a draft or a yanked version (``Registry.get``, ``accord.lookup``,
``accord.validator``). Before, verification took every non-yanked version in the range,
drafts included, and a message whose ``dataschema`` stamp named an exact version was
judged against that version whatever it was: a message valid only under a draft 1.1.0
(or stamped with the yanked 1.1.0) passed for a consumer reading ``^1``, a range that
never selects either (DESIGN: yanked versions never match a range; a draft is reached
only by an exact pin): its generated models and ``accord.validator`` are 1.0.0's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.consumers import Expectation, string
from accord.gate import publish as _publish
from accord.provider import MessageRegistry, Produced, verify_provider
from accord.registry import runtime as _runtime
from accord.registry.model import Registry

CID = "orders.order-placed"
V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"order_id": {"type": "string"}, "total": {"type": "number"}},
    "required": ["order_id", "total"],
}
V1_1 = {**V1, "properties": {**V1["properties"], "total": {"type": "string"}}}
ONLY_1_1 = b'{"order_id": "o-9", "total": "12.50"}'  # valid under 1.1.0, not 1.0.0
BOTH = b'{"order_id": "o-9", "total": 12}'


def _registry(tmp_path: Path, *, yank: bool) -> Path:
    root = tmp_path / "contracts"
    directory = root / "orders" / "order-placed"
    directory.mkdir(parents=True)
    # mode none: the yanked 1.1.0 (total as a string) is published as a minor version
    toml = 'owner = "team"\nprovider = "orders-service"\nkind = "event"\nmode = "none"\n'
    (directory / "contract.toml").write_text(toml)
    assert _publish.publish(root, CID, V1).status == "published"
    if yank:
        assert _publish.publish(root, CID, V1_1, version="1.1.0").status == "published"
        (directory / "contract.toml").write_text(
            toml + '\n[yanked]\n"1.1.0" = "total as a string broke consumers"\n'
        )
    else:  # a draft: written by hand, never published
        (directory / "1.1.0.schema.json").write_text(json.dumps(V1_1, indent=2))
    e = Expectation("billing", version="1.4.0", name="orders")
    e.message("an order.placed event", f"{CID}@^1", {"order_id": string("o-1")})
    e.write(root)
    _runtime.clear_caches()
    return root


def _verify(root: Path, body: bytes, stamp: str | None) -> Any:
    producers = MessageRegistry()
    metadata = {"dataschema": stamp} if stamp else {}
    producers.register("an order.placed event", lambda: Produced(body, metadata))
    report = verify_provider(Registry.load(root), "orders-service", producers=producers)
    [result] = report.results
    return result


# Before, judging a draft warned (an error under pytest's filterwarnings) and passed.
@pytest.mark.filterwarnings("ignore:.*is a draft:UserWarning")
@pytest.mark.parametrize("yank", [False, True], ids=["draft", "yanked"])
@pytest.mark.parametrize("stamp", [None, f"accord://{CID}@1.1.0"], ids=["unstamped", "stamped"])
def test_a_version_the_range_never_serves_does_not_pass(
    tmp_path: Path, yank: bool, stamp: str | None
) -> None:
    result = _verify(_registry(tmp_path, yank=yank), ONLY_1_1, stamp)
    assert not result.success
    assert result.verdict == "contract-violation"


@pytest.mark.parametrize("yank", [False, True], ids=["draft", "yanked"])
def test_the_served_version_still_passes(tmp_path: Path, yank: bool) -> None:
    root = _registry(tmp_path, yank=yank)
    assert _verify(root, BOTH, None).success
    assert _verify(root, BOTH, f"accord://{CID}@1.0.0").success
