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


def test_a_version_too_long_for_a_file_name_is_refused(tmp_path: Path, capsys: object) -> None:
    """A version SemVer allows whose file (and the temp file written beside it) is over
    the 255 bytes a file name may hold: exit 2, nothing written; before, `accord publish`
    ended in an internal error (exit 3, OSError: File name too long)."""
    root = tmp_path / "contracts"
    assert main(["init", str(root)]) == 0
    args = ["--owner", "team", "--kind", "event", "--registry", str(root)]
    assert main(["new", "orders.thing", *args]) == 0
    assert publish(root, "orders.thing", DOC).ok
    before = snapshot(root)
    schema = tmp_path / "s.json"
    schema.write_text('{"type": "object", "properties": {"a": {"type": "integer"}}}')
    version = "9" * 230 + ".0.0"
    argv = ["publish", "orders.thing", "--schema", str(schema), "--version", version]
    assert main([*argv, "--registry", str(root)]) == 2
    with pytest.raises(UsageError) as refused:
        publish(root, "orders.thing", {**DOC, "description": "x"}, version=version)
    assert refused.value.code == "version-too-long"
    assert snapshot(root) == before
