"""``accord publish`` of a version below an already published one of the same line.

A version published between two others (``1.1.0`` after ``1.2.0``), or below a
pre-release, becomes the *previous version* of the one above it: ``accord check`` then
compares ``1.2.0`` with it. ``publish`` compared the new version only with the one
below, said "published" and wrote the lock line, and the registry failed ``check`` from
then on with a version that can never be edited or removed. Now the version above must
pass against it too (and, under a ``-transitive`` mode, every later release of the
major), or the publish is refused with nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _registry_builders import snapshot
from accord.cli import main
from accord.gate.publish import publish

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _doc(**props: str) -> dict[str, object]:
    return {
        "$schema": DIALECT,
        "type": "object",
        "properties": {name: {"type": kind} for name, kind in props.items()},
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    assert main(["init", str(root)]) == 0
    args = ["--owner", "team", "--kind", "event", "--registry", str(root)]
    assert main(["new", "orders.thing", *args]) == 0
    assert publish(root, "orders.thing", _doc(a="string")).ok
    assert publish(root, "orders.thing", _doc(a="string", n="integer"), version="1.2.0").ok
    return root


def test_a_version_the_next_one_breaks_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(root)
    result = publish(root, "orders.thing", _doc(a="string", n="string"), version="1.1.0")
    assert result.status == "refused"
    assert "1.2.0" in result.message
    assert snapshot(root) == before
    capsys.readouterr()
    assert main(["check", "--registry", str(root)]) == 0


def test_a_version_the_next_one_extends_is_published(root: Path) -> None:
    result = publish(root, "orders.thing", _doc(a="string", b="boolean"), version="1.1.0")
    # 1.2.0 drops b, which 1.1.0 adds: the removal needs a major bump over 1.1.0.
    assert result.status == "refused"
    fine = publish(root, "orders.thing", _doc(a="string"), version="1.1.0")
    assert fine.status == "unchanged"  # 1.0.0's content: nothing to publish
    described = {**_doc(a="string"), "description": "orders"}
    assert publish(root, "orders.thing", described, version="1.1.0").ok
    assert main(["check", "--registry", str(root)]) == 0


def test_a_transitive_mode_checks_the_later_releases(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    assert main(["init", str(root), "--mode", "backward-transitive"]) == 0
    args = ["--owner", "team", "--kind", "event", "--registry", str(root)]
    assert main(["new", "orders.thing", *args]) == 0
    wide = _doc(a="string", n="integer")
    assert publish(root, "orders.thing", _doc(a="string")).ok
    assert publish(root, "orders.thing", wide, version="1.2.0").ok
    assert publish(root, "orders.thing", {**wide, "description": "x"}, version="1.3.0").ok
    before = snapshot(root)
    # 1.1.5 writes n as a string: neither 1.2.0 (its next) nor 1.3.0 reads it.
    result = publish(root, "orders.thing", _doc(a="string", n="string"), version="1.1.5")
    assert result.status == "refused"
    assert snapshot(root) == before
    assert main(["check", "--registry", str(root)]) == 0
