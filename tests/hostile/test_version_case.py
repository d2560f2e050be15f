"""Two versions whose files differ only in case (pre-release identifiers are
case-sensitive in SemVer: ``1.0.0-RC.1`` and ``1.0.0-rc.1`` are two versions).

On a case-insensitive file system (macOS, Windows) they are one file: a checkout holds
only one of them, and ``publish`` there linked the second version's lock line to the
first one's file and said "published". ``publish`` now refuses a version whose file
name equals another version's but for case (``version-collision``, exit 2), as names
differing only in case are refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _registry_builders import snapshot
from accord.cli import main
from accord.errors import UsageError
from accord.gate.publish import publish

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DOC = {"$schema": DIALECT, "type": "object", "properties": {"a": {"type": "string"}}}


@pytest.mark.parametrize(
    ("first", "second"), [("1.1.0-rc.1", "1.1.0-RC.1"), ("1.1.0-RC.1", "1.1.0-rc.1")]
)
def test_a_version_differing_only_in_case_is_refused(
    first: str, second: str, tmp_path: Path
) -> None:
    root = tmp_path / "contracts"
    assert main(["init", str(root)]) == 0
    args = ["--owner", "team", "--kind", "event", "--registry", str(root)]
    assert main(["new", "orders.thing", *args]) == 0
    assert publish(root, "orders.thing", DOC).ok
    described = {**DOC, "description": "x"}
    assert publish(root, "orders.thing", described, version=first).ok
    before = snapshot(root)
    with pytest.raises(UsageError) as refused:
        publish(root, "orders.thing", described, version=second)
    assert refused.value.code == "version-collision"
    assert first in refused.value.message
    assert snapshot(root) == before
