"""``Registry.load`` holds a kept document once: when the version's bytes are exactly
that document written back (JSON indented by 2, what registry tooling writes), ``raw``
writes them again on read instead of keeping them. Every version's ``raw`` stays the
file's bytes, byte for byte, whatever the file looks like."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import pickle
from pathlib import Path

import pytest

from accord.registry.model import _RAW_SLOT, ContractVersion, Registry, _Written
from accord.validation.budget import _keys_sorted_walk

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DOCUMENT = {
    "$schema": DIALECT,
    "type": "object",
    "properties": {"name": {"type": "string", "maxLength": 80}, "tags": {"items": {}}},
    "required": [],
    "title": "caf\u00e9 \u2603",
}


def _indent_2(document: dict[str, object]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)


# (id, the file's text, whether the loaded version keeps no bytes)
FILES = [
    ("indent-2-newline", _indent_2(DOCUMENT) + "\n", True),
    ("indent-2", _indent_2(DOCUMENT), True),
    ("ascii-escapes", json.dumps(DOCUMENT, indent=2) + "\n", False),
    ("compact", json.dumps(DOCUMENT), False),
    ("indent-4", json.dumps(DOCUMENT, indent=4, ensure_ascii=False) + "\n", False),
    ("crlf", _indent_2(DOCUMENT).replace("\n", "\r\n"), False),
    ("two-newlines", _indent_2(DOCUMENT) + "\n\n", False),
    # Keys in another order: written back as they are, not sorted.
    ("unsorted-indent-2", json.dumps(DOCUMENT, indent=2, ensure_ascii=False) + "\n", True),
    # An escape the writer does not use ("\/" reads back as "/").
    ("escaped-slash", _indent_2(DOCUMENT).replace("caf", "c\\/af") + "\n", False),
]


def _load(tmp_path: Path, text: str) -> tuple[Registry, ContractVersion, bytes]:
    directory = tmp_path / "ns" / "c"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    data = text.encode("utf-8")
    (directory / "1.0.0.schema.json").write_bytes(data)
    registry = Registry.load(tmp_path)
    return registry, registry.get("ns.c@1.0.0"), data


@pytest.mark.parametrize(("name", "text", "written"), FILES, ids=[f[0] for f in FILES])
def test_raw_is_the_file_byte_for_byte(tmp_path: Path, name: str, text: str, written: bool) -> None:
    _registry, version, data = _load(tmp_path, text)
    assert (type(_RAW_SLOT.__get__(version, ContractVersion)) is _Written) is written
    assert version.raw == data
    assert version.raw == data  # every read, not only the first
    assert version.digest == "sha256:" + hashlib.sha256(data).hexdigest()


def test_a_version_without_its_bytes_behaves_as_one_with_them(tmp_path: Path) -> None:
    registry, version, data = _load(tmp_path, FILES[0][1])
    assert type(_RAW_SLOT.__get__(version, ContractVersion)) is _Written
    kept = ContractVersion(
        contract_id=version.contract_id,
        version=version.version,
        path=version.path,
        file=version.file,
        raw=data,
        document=version.document,
    )
    assert kept == version
    assert hash(kept) == hash(version)
    assert dataclasses.replace(version, draft=True).raw == data
    assert pickle.loads(pickle.dumps(version)).raw == data
    assert copy.deepcopy(version).raw == data
    assert registry.bundle(version) is version.document


def test_a_lint_load_keeps_the_bytes(tmp_path: Path) -> None:
    from accord.registry.model import _build

    _load(tmp_path, FILES[0][1])
    registry, _problems = _build(tmp_path, lint=True)
    version = registry.get("ns.c@1.0.0")
    assert type(_RAW_SLOT.__get__(version, ContractVersion)) is bytes


def test_path_is_kept_as_text_and_read_as_a_path(tmp_path: Path) -> None:
    _registry, version, data = _load(tmp_path, FILES[0][1])
    assert type(ContractVersion.__dict__["path"].slot.__get__(version, ContractVersion)) is str
    assert isinstance(version.path, Path)
    assert version.path == tmp_path.resolve() / "ns" / "c" / "1.0.0.schema.json"
    assert version.path.read_bytes() == data
    assert pickle.loads(pickle.dumps(version)).path == version.path
    assert dataclasses.replace(version, draft=True).path == version.path


def test_versions_written_back_share_one_marker(tmp_path: Path) -> None:
    # One per kind of ending, not one object per version (a registry keeps thousands).
    directory = tmp_path / "ns" / "c"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    for name in ("1.0.0", "1.1.0", "2.0.0", "2.1.0"):
        newline = "\n" if name.endswith("1.0") else ""
        (directory / f"{name}.schema.json").write_text(_indent_2(DOCUMENT) + newline)
    registry = Registry.load(tmp_path, check_all=True)
    markers = [_RAW_SLOT.__get__(v, ContractVersion) for v in registry.contract("ns.c").versions]
    assert all(type(m) is _Written for m in markers)
    assert len({id(m) for m in markers}) == 2
    assert [v.raw for v in registry.contract("ns.c").versions] == [
        (directory / f"{name}.schema.json").read_bytes()
        for name in ("1.0.0", "1.1.0", "2.0.0", "2.1.0")
    ]


# The walk the canonical check falls back to, an oracle independent of the sorted
# re-writing it checks (two msgspec encodings, or loads_written's one).
_sorted_everywhere = _keys_sorted_walk


@pytest.mark.parametrize(("name", "text", "written"), FILES, ids=[f[0] for f in FILES])
def test_keys_are_sorted_when_the_file_sorts_them(
    tmp_path: Path, name: str, text: str, written: bool
) -> None:
    # Whether the document counts as canonical (its own bundle) follows its key order,
    # whichever way the load settles it.
    _registry, version, _data = _load(tmp_path, text)
    assert (version._canonical_refs is not None) is _sorted_everywhere(json.loads(text))


@pytest.mark.parametrize(
    ("name", "text", "settled"),
    [
        ("sorted", _indent_2(DOCUMENT) + "\n", True),
        ("sorted-no-newline", _indent_2(DOCUMENT), True),
        ("unsorted", json.dumps(DOCUMENT, indent=2, ensure_ascii=False) + "\n", False),
    ],
)
def test_a_sorted_file_is_settled_as_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, settled: bool
) -> None:
    # One sorted encoding settles a file accord's tooling wrote: the load does not write
    # its document back again to compare. Any other file is compared when the load ends.
    from accord.registry import model

    calls: list[object] = []
    write_back = model._write_back

    def counted(document: object, newline: bool) -> bytes:
        calls.append(document)
        return write_back(document, newline)

    monkeypatch.setattr(model, "_write_back", counted)
    _registry, version, data = _load(tmp_path, text)
    assert type(_RAW_SLOT.__get__(version, ContractVersion)) is _Written
    assert (calls == []) is settled
    assert version.raw == data
