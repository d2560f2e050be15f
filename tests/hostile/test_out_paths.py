"""Every ``--out`` that is a file, inside a file, or on a special filesystem is bad input
(exit 2, a clear error, nothing written), never "a bug in accord" (exit 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": {"$schema": DIALECT, "type": "object"}})
    (root / "consumers" / "billing").mkdir(parents=True)
    return root


def _bad_outs(tmp_path: Path) -> dict[str, Path]:
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    return {
        "file": afile,
        "inside-file": afile / "sub",
        "proc": Path("/proc/accord-out-test"),
        "dev-null": Path("/dev/null"),
    }


@pytest.mark.parametrize("kind", ["file", "inside-file", "proc", "dev-null"])
@pytest.mark.parametrize(
    "command",
    [
        ["codegen"],
        ["codegen", "--check"],
        ["package", "--no-models"],
        ["pact", "export"],
    ],
    ids=["codegen", "codegen-check", "package", "pact-export"],
)
def test_bad_out_is_exit_2(
    command: list[str],
    kind: str,
    tmp_path: Path,
    registry: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _bad_outs(tmp_path)[kind]
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main([*command, "--registry", str(registry), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2, (captured.out, captured.err)
    assert "internal error" not in captured.err
    assert "--out" in captured.err
    assert str(out) in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "afile").read_text() == "keep me"


def test_good_out_still_works(tmp_path: Path, registry: Path) -> None:
    from accord.consumers import Expectation

    # An export of no interaction is expectations-none (exit 2): give it one.
    (
        Expectation("billing", version="1.0.0", name="things", provider="things-service")
        .upon_receiving("get thing 1")
        .with_request("GET", "/things/1")
        .will_respond_with(200)
        .write(registry)
    )
    assert main(["codegen", "--registry", str(registry), "--out", str(tmp_path / "a/b")]) == 0
    package = ["package", "--no-models", "--registry", str(registry)]
    assert main([*package, "--out", str(tmp_path / "d")]) == 0
    assert main(["pact", "export", "--registry", str(registry), "--out", str(tmp_path / "p")]) == 0
    assert list((tmp_path / "d").glob("*.whl"))
