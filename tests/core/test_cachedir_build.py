"""accord's own build in every key of what a process trusts without re-deriving it (the
load snapshot, the startup checks' proofs): every commit between two releases carries
the same version number, so a version alone let an upgraded accord (installed from git
at a later commit, or a checkout moved on) reuse what the older code had accepted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from accord.core import cachedir


def _package(site: Path) -> Path:
    package = site / "accord"
    (package / "core").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "__init__.py").write_text("x = 1\n")
    (package / "core" / "engine.py").write_text("def decide():\n    return False\n")
    (package / "core" / "catalogue.json").write_text("{}")
    return package


def _record(site: Path, version: str, body: str) -> Path:
    record = site / f"accord-{version}.dist-info" / "RECORD"
    record.parent.mkdir()
    record.write_text(body)
    return record


def _later(path: Path, text: str) -> None:
    time.sleep(0.01)
    path.write_text(text)


def test_an_installed_build_is_its_record(tmp_path: Path) -> None:
    """A wheel install: the installer's RECORD (a SHA-256 of every installed file) names
    the build; one read, whatever the package's size."""
    from accord._version import __version__

    package = _package(tmp_path)
    record = _record(
        tmp_path,
        __version__,
        "accord/__init__.py,sha256=aaa,6\naccord/core/engine.py,sha256=bbb,30\n",
    )
    build = cachedir.build_of(str(package))
    assert build.startswith("record ")
    _later(package / "core" / "engine.py", "def decide():\n    return True\n")
    assert cachedir.build_of(str(package)) == build  # the installer's record is the build
    _later(record, record.read_text().replace("bbb", "ccc"))
    assert cachedir.build_of(str(package)) != build


@pytest.mark.parametrize(
    "record",
    [
        None,
        "_editable_impl_accord.pth,sha256=aaa,14\n",  # an editable install's record
        "other/__init__.py,sha256=aaa,6\n",
    ],
    ids=["no-dist-info", "editable-record", "another-package"],
)
def test_a_source_tree_is_its_files(tmp_path: Path, record: str | None) -> None:
    """A checkout or an editable install (its RECORD lists no package file): the path,
    size and modification time of every file of the package, caches aside. A commit
    checked out, or a file edited in place, is another build."""
    from accord._version import __version__

    package = _package(tmp_path)
    if record is not None:
        _record(tmp_path, __version__, record)
    build = cachedir.build_of(str(package))
    assert build.startswith("files ")
    assert cachedir.build_of(str(package)) == build
    (package / "__pycache__" / "engine.cpython-311.pyc").write_bytes(b"\0")
    assert cachedir.build_of(str(package)) == build  # compiled caches are no source

    engine = package / "core" / "engine.py"
    _later(engine, "def decide():\n    return True\n")  # same size, later
    edited = cachedir.build_of(str(package))
    assert edited != build
    os.utime(engine, ns=(1, 1))  # an older time stamp (a checkout keeping times)
    assert cachedir.build_of(str(package)) not in {build, edited}
    (package / "core" / "catalogue.json").write_text('{"a": 1}')  # data is code too
    assert cachedir.build_of(str(package)) not in {build, edited}


def test_a_record_of_another_version_is_not_this_build(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _record(tmp_path, "0.0.0-other", "accord/__init__.py,sha256=aaa,6\n")
    assert cachedir.build_of(str(package)).startswith("files ")


def test_a_huge_record_is_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord._version import __version__

    monkeypatch.setattr(cachedir, "_RECORD_MAX_BYTES", 64)
    package = _package(tmp_path)
    _record(tmp_path, __version__, "accord/__init__.py,sha256=aaa,6\n" + "x" * 100)
    assert cachedir.build_of(str(package)).startswith("files ")


def test_this_process_build_is_read_once() -> None:
    build = cachedir.accord_build()
    assert build.startswith(("record ", "files "))
    assert cachedir.accord_build() is build
