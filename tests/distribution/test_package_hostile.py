"""``accord package`` with hostile settings: exit 2 and nothing written, never an
internal error half-way through writing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from _dist_helpers import make_registry

from accord.cli import main


@pytest.mark.parametrize(
    "epoch", ["4294967296", "4354819200", "99999999999", "99999999999999999999999"]
)
def test_a_source_date_epoch_no_archive_can_hold_is_exit_2(
    epoch: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # gzip's mtime is 32 bits, zip's dates end in 2107, time_t ends somewhere: each was
    # an internal error (exit 3) after the registry had been read and checked.
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--no-models", "--out", str(out)]) == 2
    assert "package-bad-epoch" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_the_latest_epoch_a_gzip_header_holds_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(2**32 - 1))
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--no-models", "--out", str(out)]) == 0
    (wheel,) = out.glob("*.whl")
    assert zipfile.ZipFile(wheel).infolist()[0].date_time[0] == 2106


# File names a registry may hold (lint accepts them under consumers/ and examples/) that
# mean something in RECORD's CSV.
ODD_NAMES = ["a,b.json", 'q"u.json', 'q,"",u.json']
# pip reads RECORD as csv.reader(text.splitlines()): these end a row however quoted.
BREAKING_NAMES = [
    "c\nevil.py,sha256=AAAA,1\nd.json",
    "p\x85q.json",
    "p\u2028q.json",
    "t\tab.json",
    "w\\..\\..\\x.json",
    # bytes that are not UTF-8 (Python's surrogate escapes): no zip or RECORD name can
    # hold them; the content digest was an internal error (exit 3)
    "\udcff\udcfe.json",
]


def _with_expectations(root: Path, names: list[str]) -> None:
    import json

    expectation = {
        "format_version": 1,
        "consumer": {"name": "web", "version": "1.0.0"},
        "reads": [{"contract": "shop.order@^1", "fields": [{"path": "$.id", "match": "like"}]}],
    }
    (root / "consumers" / "web").mkdir(parents=True, exist_ok=True)
    for name in names:
        (root / "consumers" / "web" / name).write_text(json.dumps(expectation))


def test_record_lists_each_file_once_whatever_its_name(tmp_path: Path) -> None:
    # RECORD was written by joining with commas: "a,b.json" made a row of four fields
    # (pip refuses the wheel) and a line break in a name added a row of the name's own
    # choosing (a file pip would count as the package's, e.g. to delete on uninstall).
    import base64
    import csv
    import hashlib

    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    _with_expectations(root, ODD_NAMES)
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--no-models", "--out", str(out)]) == 0
    (path,) = out.glob("*.whl")
    wheel = zipfile.ZipFile(path)
    (record,) = (n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
    rows = list(csv.reader(wheel.read(record).decode().splitlines()))  # as pip reads it
    assert all(len(row) == 3 for row in rows), rows
    assert sorted(row[0] for row in rows) == sorted(wheel.namelist())
    for name, digest, size in rows:
        if name == record:
            continue
        data = wheel.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        assert (digest, int(size)) == (f"sha256={expected.decode()}", len(data))
    assert {f"acme_contracts/registry/consumers/web/{n}" for n in ODD_NAMES} <= {
        row[0] for row in rows
    }


@pytest.mark.parametrize(
    "name", BREAKING_NAMES, ids=["newline", "nel", "u2028", "tab", "backslash", "not-utf8"]
)
def test_a_name_record_cannot_hold_is_exit_2_and_nothing_written(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    _with_expectations(root, [name])
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--no-models", "--out", str(out)]) == 2
    assert "package-bad-file-name" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_consumers_files_packaged_are_the_expectations_accord_reads(tmp_path: Path) -> None:
    # Every file under consumers/ was packaged but hidden ones: a file nothing reads or
    # lints (a key committed by mistake) went to the package index, while a hidden
    # expectation file that lint, check and verify read was left out of the package.
    from accord.consumers._model import expectation_paths
    from accord.distribution.wheel import registry_files
    from accord.registry.model import Registry

    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    _with_expectations(root, ["orders.json", ".shadow.json"])
    (root / "consumers" / "web" / "id_rsa").write_text("-----BEGIN PRIVATE KEY-----\n")
    (root / "consumers" / "web" / "notes.txt").write_text("not an expectation\n")
    assert main(["lint", "--registry", str(root)]) == 0
    files, _ = registry_files(Registry.load(root))
    packaged = {rel for rel in files if rel.startswith("consumers/")}
    read = {p.relative_to(root).as_posix() for p in expectation_paths(root)}
    assert packaged == read == {"consumers/web/orders.json", "consumers/web/.shadow.json"}


@pytest.mark.parametrize("where", ["root", "dist-inside", "contract-dir", "default-from-root"])
def test_an_out_in_the_registry_is_exit_2_and_nothing_written(
    where: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The wheel and the sdist were written into the registry (`accord package --out .`
    # from the registry root, or the default `dist` from there): files with no place in
    # the layout, so every later lint, gate and package run of the registry failed.
    from _registry_builders import snapshot

    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    before = snapshot(root)
    argv = ["package", "--registry", str(root), "--no-models"]
    if where == "default-from-root":
        monkeypatch.chdir(root)
    else:
        out = {"root": root, "dist-inside": root / "dist", "contract-dir": root / "shop"}[where]
        argv += ["--out", str(out)]
    assert main(argv) == 2
    assert "package-out-in-registry" in capsys.readouterr().err
    assert snapshot(root) == before


@pytest.mark.parametrize("where", ["consumers", "examples"])
def test_names_one_file_on_a_case_insensitive_disk_are_exit_2(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # consumers/web/Orders.json beside orders.json (or two such examples) were both
    # packaged: installed on macOS or Windows, one overwrote the other, so the
    # installed registry lost an expectation a provider verifies against (pkg:NAME).
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    if where == "consumers":
        _with_expectations(root, ["Orders.json", "orders.json"])
    else:
        valid = root / "shop" / "order" / "examples" / "1.0.0" / "valid"
        valid.mkdir(parents=True)
        (valid / "A.json").write_text('{"id": 1, "amount": 1}')
        (valid / "a.json").write_text('{"id": 2, "amount": 1}')
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--no-models", "--out", str(out)]) == 2
    assert "package-case-clash" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("old", [False, True], ids=["new", "replacing"])
def test_an_sdist_that_cannot_be_written_leaves_no_wheel_behind(
    old: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The wheel was written, then the sdist failed (disk full, a directory in its
    # place): the wheel stayed in --out and the run was an internal error (exit 3).
    import os

    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    out = tmp_path / "dist"
    argv = ["package", "--registry", str(root), "--no-models", "--out", str(out)]
    if old:
        assert main(argv) == 0
        capsys.readouterr()
        for archive in out.iterdir():
            archive.write_bytes(b"an earlier build")
    before = {p.name: p.read_bytes() for p in out.iterdir()} if old else {}
    real_replace = os.replace

    def failing_replace(src: str, dst: str | Path) -> None:
        if ".tar.gz" in str(dst):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    assert main(argv) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_directory_where_the_sdist_goes_is_exit_2_and_no_wheel_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The wheel was written, then replacing the directory failed: exit 3, wheel left.
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    out = tmp_path / "dist"
    argv = ["package", "--registry", str(root), "--no-models", "--out", str(out)]
    assert main(argv) == 0
    (sdist,) = out.glob("*.tar.gz")
    for archive in out.iterdir():
        archive.unlink()
    sdist.mkdir()
    capsys.readouterr()
    assert main(argv) == 2
    assert "out-not-writable" in capsys.readouterr().err
    assert list(out.iterdir()) == [sdist]
