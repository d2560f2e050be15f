"""``accord new`` given a registry it cannot write a contract into: a file, a path
inside a file, a namespace or contract name taken by a file, or a special filesystem.
Each is bad input (exit 2, one ``error[...]`` line, nothing written), never "a bug in
accord" (exit 3) and never a ``contract.toml`` under ``/dev``."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli import main
from accord.errors import UsageError
from accord.gate.publish import new_contract

NEW = ["new", "orders.refund", "--owner", "payments", "--kind", "event"]


def _bad_roots(tmp_path: Path) -> dict[str, Path]:
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    taken_namespace = tmp_path / "reg-ns"
    taken_namespace.mkdir()
    (taken_namespace / "orders").write_text("keep me")
    taken_name = tmp_path / "reg-name"
    (taken_name / "orders").mkdir(parents=True)
    (taken_name / "orders" / "refund").write_text("keep me")
    return {
        "file": afile,
        "inside-file": afile / "contracts",
        "namespace-is-a-file": taken_namespace,
        "name-is-a-file": taken_name,
        "dev-null": Path("/dev/null"),
        "proc": Path("/proc/accord-new-test"),
    }


KINDS = ["file", "inside-file", "namespace-is-a-file", "name-is-a-file", "dev-null", "proc"]


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text() if p.is_file() else "<dir>"
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize("kind", KINDS)
def test_new_into_a_registry_it_cannot_hold_is_exit_2(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _bad_roots(tmp_path)[kind]
    before = _tree(tmp_path)
    code = main([*NEW, "--registry", str(root)])
    captured = capsys.readouterr()
    assert code == 2, (captured.out, captured.err)
    assert "internal error" not in captured.err
    assert captured.err.startswith("error[out-"), captured.err
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("kind", KINDS)
def test_new_contract_raises_a_usage_error(kind: str, tmp_path: Path) -> None:
    root = _bad_roots(tmp_path)[kind]
    with pytest.raises(UsageError) as refused:
        new_contract(root, "orders.refund", owner="payments", kind="event")
    assert refused.value.code.startswith("out-")


def test_dev_is_refused_before_anything_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """``/dev`` itself is a writable directory (devtmpfs): a contract was scaffolded there.
    The refusal is checked with the write stubbed out, so a regression writes nothing."""
    from accord.gate import publish

    written: list[Path] = []
    monkeypatch.setattr(publish, "write_contract", lambda d, *_a, **_k: written.append(d) or d)
    with pytest.raises(UsageError) as refused:
        new_contract("/dev", "orders.refund", owner="payments", kind="event")
    assert refused.value.code == "out-special"
    assert written == []


def test_a_new_registry_directory_is_still_created(tmp_path: Path) -> None:
    """The documented flow (and ``init``'s hint) still works, a missing root included."""
    root = tmp_path / "fresh" / "contracts"
    assert main([*NEW, "--registry", str(root)]) == 0
    assert (root / "orders" / "refund" / "contract.toml").read_text() == (
        'owner = "payments"\nkind = "event"\n'
    )
