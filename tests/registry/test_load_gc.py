"""``Registry.load`` pauses the cyclic garbage collector while it builds its long-lived
documents (no reference cycle among them), and leaves it as it found it, even when the
registry is refused. What the loader calls on every document leaves no cycle behind."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.core.frozen import freeze, thaw
from accord.errors import RegistryError
from accord.registry.model import Registry
from accord.validation.budget import freeze_within_limits

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@pytest.fixture
def collector_state() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def _write(root: Path, schema: str) -> None:
    directory = root / "ns" / "c"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    (directory / "1.0.0.schema.json").write_text(schema)


@pytest.mark.usefixtures("collector_state")
@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("schema", [f'{{"$schema": "{DIALECT}"}}', "{not json"])
def test_the_collector_is_left_as_it_was(tmp_path: Path, enabled: bool, schema: str) -> None:
    _write(tmp_path, schema)
    if enabled:
        gc.enable()
    else:
        gc.disable()
    try:
        Registry.load(tmp_path)
    except RegistryError:
        assert schema == "{not json"
    assert gc.isenabled() is enabled


@pytest.mark.usefixtures("collector_state")
def test_freezing_and_handing_text_over_leave_no_cycle() -> None:
    document = {"$defs": {"a": {"type": "string"}}, "items": [{"$ref": "#/$defs/a"}, 1]}
    gc.disable()
    gc.collect()
    for _ in range(50):
        freeze_within_limits(document)
        thaw('{"type": "string"}')
    assert gc.collect() == 0


@pytest.mark.usefixtures("collector_state")
def test_freezing_and_thawing_a_document_leave_no_cycle() -> None:
    # Every validator built from a document thaws it (jsonschema-rs refuses the frozen
    # containers): a cycle left by each call waits for the next full collection.
    shared = {"type": "string"}
    document = {"$defs": {"a": shared, "b": [shared, 1]}, "items": [{"$ref": "#/$defs/a"}]}
    gc.disable()
    gc.collect()
    for _ in range(50):
        frozen = freeze(document)
        plain = thaw(frozen)
        assert plain == document
        assert plain["$defs"]["a"] is plain["$defs"]["b"][0]  # sharing kept
        assert frozen["$defs"]["a"] is frozen["$defs"]["b"][0]
    assert gc.collect() == 0


def _young(value: object) -> bool:
    return any(found is value for found in gc.get_objects(0) + gc.get_objects(1))


@pytest.mark.usefixtures("collector_state")
def test_a_load_hands_its_documents_to_the_oldest_generation(tmp_path: Path) -> None:
    # Built with the collector paused, they would otherwise be walked by the next
    # young collection and again by the one after (each a pass over every document).
    _write(tmp_path, f'{{"$schema": "{DIALECT}", "properties": {{"a": {{"type": "string"}}}}}}')
    gc.enable()
    registry = Registry.load(tmp_path)
    document = registry.get("ns.c@1.0.0").document
    assert not _young(document)
    assert not _young(document["properties"]["a"])


@pytest.mark.usefixtures("collector_state")
def test_a_load_leaves_the_generations_alone_when_the_collector_is_off(tmp_path: Path) -> None:
    _write(tmp_path, f'{{"$schema": "{DIALECT}", "properties": {{"a": {{"type": "string"}}}}}}')
    gc.disable()
    registry = Registry.load(tmp_path)
    assert _young(registry.get("ns.c@1.0.0").document)
