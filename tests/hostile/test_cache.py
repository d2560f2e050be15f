"""The disk cache of ``accord check`` (accord.core.cache, accord.gate.verdicts): a damaged,
truncated, misplaced or foreign entry is a miss and is rewritten; it never changes a
verdict. Keys cover every input, so a changed schema, mode or override is a new key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from _registry_builders import DRAFT_2020_12, publish
from _releases import CHECKING_LIBRARIES, pretend_release
from accord.core.cache import ContentCache, cache_dir, make_key, open_cache
from accord.errors import RegistryError
from accord.gate import check as gate
from accord.gate import verdicts


def _schema(*required: str, **extra: object) -> dict[str, object]:
    properties: dict[str, object] = {"id": {"type": "integer"}, "note": {"type": "string"}}
    properties.update(extra)
    return {
        "$schema": DRAFT_2020_12,
        "type": "object",
        "properties": properties,
        "required": ["id", *required],
    }


def breaking_registry(root: Path) -> Path:
    """Two contracts: one with a compatible minor, one whose minor breaks (a new
    required property), so a verdict turned around would show in the findings."""
    publish(
        root,
        "orders.fine",
        {"1.0.0": _schema(), "1.1.0": _schema(extra={"type": "boolean"})},
    )
    publish(
        root,
        "orders.broken",
        {"1.0.0": _schema(), "1.1.0": _schema("note"), "1.2.0": _schema("note", more={})},
    )
    return root


def _entries(directory: Path, kind: str = "diff-verdict") -> list[Path]:
    folder = directory / "v1" / kind
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _run(root: Path, cache: ContentCache) -> gate.GateReport:
    """A run that can only reuse version-pair verdicts (no whole-run entry)."""
    gate._DIFF_CACHE.clear()  # the in-process memo would hide the disk cache
    shutil.rmtree(cache.directory / "v1" / "gate-run", ignore_errors=True)
    return gate.check(root, cache=cache)


def _whole(root: Path, cache: ContentCache) -> gate.GateReport:
    gate._DIFF_CACHE.clear()
    return gate.check(root, cache=cache)


def _summary(report: gate.GateReport) -> list[tuple[str, str | None, str | None]]:
    return [(f.rule, f.contract, f.version) for f in report.findings] + [
        (c.contract, str(c.version), c.report.required_bump) for c in report.checks
    ]


def test_a_warm_run_reuses_every_verdict_and_reports_the_same(tmp_path: Path) -> None:
    root = breaking_registry(tmp_path / "contracts")
    cold_cache = ContentCache(tmp_path / "cache")
    cold = _run(root, cold_cache)
    assert cold.findings  # the registry holds a breaking change: the verdict matters
    assert len(_entries(tmp_path / "cache")) == len(cold.checks) > 0
    warm_cache = ContentCache(tmp_path / "cache")
    warm = _run(root, warm_cache)
    assert warm_cache.hits == len(cold.checks)
    assert warm_cache.written == 1  # only the run entry that _run removed
    assert warm == cold


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated (a killed writer, a full disk)
        lambda data: b"",
        lambda data: b"\x00\xff garbage \n{not json",
        lambda data: data.replace(b"true", b"false"),  # body edited: verdicts flipped
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the body
        lambda data: data.split(b"\n", 1)[0] + b"\n" + b"{}",
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path: Path, damage: object) -> None:
    root = breaking_registry(tmp_path / "contracts")
    baseline = _run(root, ContentCache(tmp_path / "cache"))
    for entry in _entries(tmp_path / "cache"):
        entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    cache = ContentCache(tmp_path / "cache")
    again = _run(root, cache)
    assert _summary(again) == _summary(baseline)
    assert again == baseline
    assert cache.hits == 0
    assert cache.written == len(baseline.checks) + 1  # and the run entry
    # rewritten: the next run hits
    third = ContentCache(tmp_path / "cache")
    assert _run(root, third) == baseline
    assert third.hits == len(baseline.checks)


def test_a_well_formed_entry_under_another_key_is_refused(tmp_path: Path) -> None:
    # An entry copied under a different name (a sync tool, a hand "fix") carries its own
    # key in its header: it is not taken for the verdict of another pair.
    root = breaking_registry(tmp_path / "contracts")
    baseline = _run(root, ContentCache(tmp_path / "cache"))
    entries = _entries(tmp_path / "cache")
    assert len(entries) >= 2
    first = entries[0].read_bytes()
    for entry in entries[1:]:
        entry.write_bytes(first)
    cache = ContentCache(tmp_path / "cache")
    assert _run(root, cache) == baseline
    assert cache.hits == 1
    assert cache.rejected == len(entries) - 1


def test_a_checksummed_body_that_is_not_a_report_is_a_miss(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "cache")
    key = make_key("diff-verdict", "x")
    cache.put("diff-verdict", key, json.dumps({"report": {"mode": 1}}).encode())
    assert verdicts.load(cache, key) is None
    cache.put("diff-verdict", key, b"[1, 2]")
    assert verdicts.load(cache, key) is None
    bad_severity = {
        "old": "a",
        "new": "b",
        "report": {
            "format_version": 1,
            "mode": "full",
            "semantics": "contract",
            "compatible": True,
            "backward": True,
            "forward": True,
            "required_bump": "minor",
            "changes": [
                {
                    "rule": "r",
                    "severity": "fatal",
                    "status": "proven",
                    "schema_path": "",
                    "instance_path": "",
                    "breaks": [],
                    "message": "",
                    "witness": None,
                }
            ],
        },
    }
    cache.put("diff-verdict", key, json.dumps(bad_severity).encode())
    assert verdicts.load(cache, key) is None


def test_a_changed_input_is_a_new_key(tmp_path: Path) -> None:
    root = breaking_registry(tmp_path / "contracts")
    _run(root, ContentCache(tmp_path / "cache"))
    # another mode: every pair is judged again, under new keys
    for toml in root.rglob("contract.toml"):
        toml.write_text(toml.read_text() + 'mode = "backward"\n')
    cache = ContentCache(tmp_path / "cache")
    report = _run(root, cache)
    assert cache.hits == 0
    assert cache.written == len(report.checks) + 1 == 4
    # an edited (unpublished) version file: its pair is judged again, the other reused
    fine = root / "orders" / "fine" / "1.1.0.schema.json"
    fine.write_text(json.dumps(_schema(extra={"type": "string"})))
    cache = ContentCache(tmp_path / "cache")
    _run(root, cache)
    assert (cache.hits, cache.written) == (2, 2)


def test_an_unwritable_cache_never_fails_the_check(tmp_path: Path) -> None:
    root = breaking_registry(tmp_path / "contracts")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    cache = ContentCache(blocker)
    report = _run(root, cache)
    assert report.findings
    assert cache.written == 0


def test_each_cache_directory_is_made_once_and_made_again_when_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Making an entry's directory before every write cost a failing mkdir and a stat
    # per entry (10,000 at 5,000 contracts); a directory removed under a running cache
    # is made again, and every entry still reads back.
    import os

    made: list[str] = []
    existed: list[str] = []
    real = os.mkdir

    def mkdir(path: object, *args: object, **kwargs: object) -> None:
        try:
            real(path, *args, **kwargs)  # type: ignore[arg-type]
        except FileExistsError:
            existed.append(os.fspath(path))  # type: ignore[arg-type]
            raise
        made.append(Path(path).name)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", mkdir)
    cache = ContentCache(tmp_path / "cache")
    keys = [f"{prefix}{n:062x}" for prefix in ("aa", "bb") for n in range(3)]
    for key in keys:
        cache.put("diff-verdict", key, key.encode())
    assert existed == []
    assert sorted(made) == sorted(["cache", "v1", "diff-verdict", "aa", "bb"])
    shutil.rmtree(tmp_path / "cache" / "v1" / "diff-verdict" / "bb")
    cache.put("diff-verdict", keys[-1], b"again")
    assert cache.written == len(keys) + 1
    for key in keys[:3]:  # the "aa" ones; the other "bb" ones went with their directory
        assert cache.get("diff-verdict", key) == key.encode()
    assert cache.get("diff-verdict", keys[-1]) == b"again"
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "accord"
    assert cache_dir(tmp_path / "configured") == tmp_path / "configured"
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "env"))
    assert cache_dir(tmp_path / "configured") == tmp_path / "env"
    assert open_cache(enabled=False) is None


def test_a_whole_run_is_reused_only_for_the_same_tree(tmp_path: Path) -> None:
    root = breaking_registry(tmp_path / "contracts")
    cold = _whole(root, ContentCache(tmp_path / "cache"))
    cache = ContentCache(tmp_path / "cache")
    warm = _whole(root, cache)
    assert warm == cold
    assert (cache.hits, cache.written) == (1, 0)  # one entry: the run
    # any file under the root is an input: a stray file is a lint problem of the run
    (root / "orders" / "fine" / "notes.txt").write_text("a file without a place\n")
    cache = ContentCache(tmp_path / "cache")
    changed = _whole(root, cache)
    assert cache.written == 1  # a new run entry; every pair verdict was reused
    assert cache.hits == len(cold.checks)
    # other options are other runs
    cache = ContentCache(tmp_path / "cache")
    _whole(root, cache)
    gate._DIFF_CACHE.clear()
    gate.check(root, cache=cache, consumers_only=True)
    assert cache.written == 1
    assert changed.findings == cold.findings


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-7],
        lambda data: data.replace(b"error", b"info"),  # a finding downgraded
        lambda data: b"accord-cache 1 " + b"0" * 64 + b" " + b"0" * 64 + b"\n{}",
    ],
)
def test_a_damaged_run_entry_is_a_miss(tmp_path: Path, damage: object) -> None:
    root = breaking_registry(tmp_path / "contracts")
    cold = _whole(root, ContentCache(tmp_path / "cache"))
    assert cold.failed()
    (entry,) = _entries(tmp_path / "cache", "gate-run")
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    cache = ContentCache(tmp_path / "cache")
    again = _whole(root, cache)
    assert again == cold
    assert again.failed()
    assert cache.hits == len(cold.checks)  # the pairs, not the run
    assert cache.written == 1  # the run, rewritten


def test_a_run_with_findings_reads_back_equal(tmp_path: Path) -> None:
    root = breaking_registry(tmp_path / "contracts")
    report = _whole(root, ContentCache(tmp_path / "cache"))
    assert report.findings
    assert any(f.changes for f in report.findings)
    data = gate._encode_run(report)
    assert data is not None
    assert gate._decode_run(data) == report
    assert gate._decode_run(b"[]") is None
    assert gate._decode_run(data.replace(b'"1.1.0"', b'"01.1.0"')) is None


def test_the_tree_digest_sees_every_change_git_or_not(tmp_path: Path) -> None:
    from _registry_builders import commit_all, git, init_repo
    from accord.gate.verdicts import _read_digest, tree_digest

    repo = tmp_path / "repo"
    root = breaking_registry(repo / "contracts")

    outside = tree_digest(root)  # not a repository yet: every file is read
    assert outside == _read_digest(root)
    init_repo(repo)
    commit_all(repo, "base")
    seen = {tree_digest(root)}
    assert None not in seen
    fine = root / "orders" / "fine" / "1.1.0.schema.json"
    edits = [
        lambda: fine.write_bytes(fine.read_bytes() + b" "),  # tracked, modified
        lambda: (root / "orders" / "stray.txt").write_text("x"),  # untracked
        lambda: (repo / ".gitignore").write_text("*.log\n"),  # outside the root: no change
        lambda: (root / "orders" / "debug.log").write_text("x"),  # ignored, still a file
        (root / "orders" / "empty").mkdir,  # a directory git cannot see
    ]
    for number, edit in enumerate(edits):
        edit()
        digest = tree_digest(root)
        if number == 2:
            assert digest in seen
        else:
            assert digest not in seen, number
        seen.add(digest)
    # an entry git is told not to look at: every file is read instead
    git(repo, "update-index", "--assume-unchanged", "contracts/orders/fine/1.0.0.schema.json")
    assert tree_digest(root) == _read_digest(root)


def test_an_edit_git_is_configured_not_to_see_is_still_a_new_run(tmp_path: Path) -> None:
    """``core.checkStat = minimal`` and ``core.trustctime = false`` (a developer's own
    config) make ``git status`` compare mtime and size only: an edit keeping both (a
    published version broken in place) was a clean tree, so the whole-run entry of the
    tree before the edit answered "passed" where a run without the cache refuses it."""
    import os
    import time

    from _registry_builders import commit_all, edit_keeping_stat, git, init_repo

    repo = tmp_path / "repo"
    root = breaking_registry(repo / "contracts")
    init_repo(repo)
    git(repo, "config", "core.checkStat", "minimal")
    git(repo, "config", "core.trustctime", "false")
    path = root / "orders" / "fine" / "1.0.0.schema.json"
    old = path.stat()
    os.utime(path, ns=(old.st_atime_ns - 10**10, old.st_mtime_ns - 10**10))
    commit_all(repo, "base")
    _whole(root, ContentCache(tmp_path / "cache"))  # the run entry of the clean tree
    time.sleep(1.1)  # git keeps whole seconds of ctime: the edit's is a later one
    edit_keeping_stat(path, b'"string"', b'"strinG"')
    assert git(repo, "status", "--porcelain") == ""  # git vouches for a changed file
    with pytest.raises(RegistryError) as info:
        _whole(root, ContentCache(tmp_path / "cache"))
    assert info.value.code == "schema-metaschema"


def test_a_special_file_git_does_not_list_is_still_a_new_run(tmp_path: Path) -> None:
    # `git status` lists no FIFO, socket or device (it tracks none), yet the load refuses
    # one: a re-run over a tree that gained one must not reuse the run of the tree
    # before (it passed).
    import os

    from _registry_builders import commit_all, init_repo
    from accord.errors import RegistryError

    repo = tmp_path / "repo"
    root = breaking_registry(repo / "contracts")
    init_repo(repo)
    commit_all(repo, "base")
    assert _whole(root, ContentCache(tmp_path / "cache")).findings
    os.mkfifo(root / "orders" / "fine" / "pipe")
    with pytest.raises(RegistryError) as info:
        _whole(root, ContentCache(tmp_path / "cache"))
    assert info.value.code == "path-special-file"


def test_every_file_git_does_not_track_is_read_into_the_tree_digest(tmp_path: Path) -> None:
    # Git's index vouches only for the files it tracks: every other file under the root
    # (untracked, ignored, in an ignored or untracked directory, a link) is read.
    from _registry_builders import commit_all, init_repo
    from accord.gate.verdicts import tree_digest

    repo = tmp_path / "repo"
    root = breaking_registry(repo / "contracts")
    (repo / ".gitignore").write_text("build/\n*.log\n")
    init_repo(repo)
    commit_all(repo, "base")
    seen = {tree_digest(root)}
    edits = [
        (root / "build").mkdir,
        lambda: (root / "build" / "out.json").write_text("{}"),  # in an ignored directory
        lambda: (root / "build" / "out.json").write_text("[]"),  # and edited there
        lambda: (root / "orders" / "new" / "deep").mkdir(parents=True),
        lambda: (root / "orders" / "new" / "deep" / "x.log").write_text("x"),
        lambda: (root / "orders" / "new" / "deep" / "x.log").write_text("y"),
        lambda: (root / "orders" / "link").symlink_to("fine"),
        (root / "orders" / "fine" / "1.0.0.schema.json").unlink,  # tracked, gone
    ]
    for number, edit in enumerate(edits):
        edit()
        digest = tree_digest(root)
        assert digest is not None
        assert digest not in seen, number
        seen.add(digest)


def _codegen(root: Path, out: Path, cache: ContentCache | None) -> dict[str, bytes]:
    from accord.codegen import generate_package
    from accord.registry.model import Registry

    generate_package(Registry.load(root), out, cache=cache)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _count_bundles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from accord.registry.model import Registry

    seen: list[str] = []
    real = Registry.bundle

    def bundle(self: Registry, ref: object) -> object:
        seen.append(str(ref))
        return real(self, ref)  # type: ignore[arg-type]

    monkeypatch.setattr(Registry, "bundle", bundle)
    return seen


def test_a_codegen_no_op_with_a_warm_cache_bundles_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = breaking_registry(tmp_path / "contracts")
    first = _codegen(root, tmp_path / "out", ContentCache(tmp_path / "cache"))
    bundles = _count_bundles(monkeypatch)
    cache = ContentCache(tmp_path / "cache")
    assert _codegen(root, tmp_path / "out", cache) == first
    assert bundles == []
    # each of the 5 versions: its model and fast keys, and the digests of the model and
    # fast module accord rendered for them (the committed manifest's are not believed)
    assert cache.hits == 4 * 5
    # without a cache every version is bundled again, and the package is the same
    assert _codegen(root, tmp_path / "out", None) == first
    assert len(bundles) >= 5


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[:-3], lambda data: data.replace(b"sha256:", b"sha256:0"), lambda _: b"{}"],
)
def test_a_damaged_codegen_entry_changes_no_byte_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    root = breaking_registry(tmp_path / "contracts")
    first = _codegen(root, tmp_path / "out", ContentCache(tmp_path / "cache"))
    for kind in ("codegen-input", "codegen-fast", "codegen-output"):
        for entry in _entries(tmp_path / "cache", kind):
            entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    bundles = _count_bundles(monkeypatch)
    cache = ContentCache(tmp_path / "cache")
    assert _codegen(root, tmp_path / "out", cache) == first
    assert cache.hits == 0
    assert len(bundles) >= 5  # recomputed, and rewritten:
    assert cache.written == 4 * 5


def test_a_changed_schema_is_regenerated_despite_the_cache(tmp_path: Path) -> None:
    root = breaking_registry(tmp_path / "contracts")
    out = tmp_path / "out"
    first = _codegen(root, out, ContentCache(tmp_path / "cache"))
    # a new published version of `fine` with another property
    publish(root, "orders.fine", {"1.2.0": _schema(extra={"type": "boolean"}, more={})})
    second = _codegen(root, out, ContentCache(tmp_path / "cache"))
    added = sorted(set(second) - set(first))
    assert any(name.endswith("v1_2_0.py") for name in added), added
    # the same files as a run without any cache
    fresh = _codegen(root, tmp_path / "fresh", None)
    assert second == fresh


def test_a_cache_reaching_a_work_tree_through_a_symlink_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The work-tree test read the path as written: a cache-dir outside the checkout by
    # name but inside it by its target was used. A pull request's pyproject needs no
    # link of its own for that: /proc/self/cwd is one (run from a subdirectory).
    from accord.cli import main
    from accord.core.cache import in_work_tree

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    sub = repo / "service"
    root = breaking_registry(sub / "contracts")
    link = tmp_path / "link"
    link.symlink_to(sub, target_is_directory=True)
    assert in_work_tree(link / ".accord-cache")
    monkeypatch.chdir(sub)
    proc = Path("/proc/self/cwd")
    if proc.is_dir():
        assert in_work_tree(proc / ".accord-cache")
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(link / ".accord-cache"))
    assert open_cache() is None
    assert main(["check", "--registry", str(root)]) == 1
    assert not (sub / ".accord-cache").exists()
    capsys.readouterr()


def test_a_cache_inside_a_git_work_tree_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A pull request could commit forged entries (their keys are computable) into a
    # cache directory of the checkout, e.g. one named by [tool.accord] cache-dir.
    from accord.cli import main
    from accord.core.cache import in_work_tree

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    root = breaking_registry(repo / "contracts")
    inside = repo / ".accord-cache"
    assert in_work_tree(inside)
    assert not in_work_tree(tmp_path / "elsewhere")
    monkeypatch.delenv("ACCORD_CACHE_DIR")
    monkeypatch.chdir(repo)
    (repo / "pyproject.toml").write_text('[tool.accord]\ncache-dir = ".accord-cache"\n')
    assert open_cache(inside) is None
    assert main(["check", "--registry", str(root)]) == 1
    assert not inside.exists()
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(inside))
    assert open_cache() is None
    assert main(["check", "--registry", str(root)]) == 1
    assert not inside.exists()
    capsys.readouterr()


@pytest.mark.parametrize("library", CHECKING_LIBRARIES)
def test_every_key_changes_with_each_checking_library_release(
    library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached gate run or verdict is what the libraries' checks passed (the metaschema,
    pattern validity, the parser, the witnesses): after an upgrade of one, nothing cached
    under the old release is reused (the load snapshot's rule too)."""
    before = make_key("gate-run", "tree")
    pretend_release(monkeypatch, library, "999.0")
    assert make_key("gate-run", "tree") != before


_NESTED = b"[" * 100_000  # past the JSON parser's recursion limit


def test_a_checksummed_body_nested_past_the_parser_limit_is_a_verdict_miss(
    tmp_path: Path,
) -> None:
    """A well-formed entry (its header right) whose body nests past what the JSON parser
    can read is a miss like any body that is no report, not a RecursionError out of
    `accord check`."""
    cache = ContentCache(tmp_path / "cache")
    key = make_key("diff-verdict", "x")
    cache.put("diff-verdict", key, _NESTED)
    assert verdicts.load(cache, key) is None
    assert cache.rejected == 1


def test_a_whole_run_entry_nested_past_the_parser_limit_is_a_miss(tmp_path: Path) -> None:
    root = breaking_registry(tmp_path / "contracts")
    first = _whole(root, ContentCache(tmp_path / "cache"))
    cache = ContentCache(tmp_path / "cache")
    (entry,) = _entries(tmp_path / "cache", "gate-run")
    cache.put("gate-run", entry.name, _NESTED)
    assert _summary(_whole(root, cache)) == _summary(first)
    assert cache.rejected >= 1


def test_codegen_entries_nested_past_the_parser_limit_are_misses(tmp_path: Path) -> None:
    """The codegen entries (the fast module's inputs, the no-op record) read a nested
    body as no entry: the package is generated again, byte for byte the same."""
    from accord.codegen import _noop

    root = breaking_registry(tmp_path / "contracts")
    out = tmp_path / "out"
    first = _codegen(root, out, ContentCache(tmp_path / "cache"))
    cache = ContentCache(tmp_path / "cache")
    for entry in _entries(tmp_path / "cache", "codegen-fast"):
        cache.put("codegen-fast", entry.name, _NESTED)
    assert _codegen(root, out, cache) == first
    package = next(p.name for p in out.iterdir() if p.is_dir())
    cache.put(_noop.KIND, _noop._key(root, out, package), _NESTED)
    assert _noop.recorded(cache, root, out, package, "inputs") is None


def _rewrite_with_checksum(entry: Path, body: bytes) -> None:
    """What anyone can write: the entry's key and a SHA-256 of a body of their own (the
    header of format 1), under the current magic."""
    import hashlib

    from accord.core import cache as _cache

    header = _cache._MAGIC + f"{entry.name} {hashlib.sha256(body).hexdigest()}".encode()
    entry.write_bytes(header + b"\n" + body)


def test_an_entry_with_a_checksum_anyone_can_compute_is_not_believed(tmp_path: Path) -> None:
    """A shared cache directory (`ACCORD_CACHE_DIR=/tmp/accord`) may hold an entry another
    user wrote: a verdict saying a breaking change is compatible, with a valid key and a
    SHA-256 of its body, passed the gate. Only entries signed with this user's secret are
    believed."""
    root = breaking_registry(tmp_path / "contracts")
    first = _run(root, ContentCache(tmp_path / "cache"))
    entries = _entries(tmp_path / "cache")
    assert entries
    for entry in entries:
        stored = json.loads(entry.read_bytes().partition(b"\n")[2])
        stored["report"]["compatible"] = True
        _rewrite_with_checksum(entry, json.dumps(stored).encode())
    cache = ContentCache(tmp_path / "cache")
    again = _run(root, cache)
    assert _summary(again) == _summary(first)
    assert cache.hits == 0
    assert cache.rejected == len(entries)


def test_an_entry_signed_under_another_secret_is_a_miss(tmp_path: Path) -> None:
    """A cache directory copied from another machine (or user) carries entries signed
    with its secret: misses here, recomputed and signed again."""
    from accord.core import cachedir

    root = breaking_registry(tmp_path / "contracts")
    first = _run(root, ContentCache(tmp_path / "cache"))
    secret = tmp_path / "cache" / "signing-secret"
    assert secret.is_file()
    secret.unlink()
    cachedir.signing_secret.cache_clear()
    cache = ContentCache(tmp_path / "cache")
    assert _summary(_run(root, cache)) == _summary(first)
    assert cache.hits == 0
    assert cache.rejected == len(_entries(tmp_path / "cache"))
    cache = ContentCache(tmp_path / "cache")
    _run(root, cache)
    assert cache.hits == len(_entries(tmp_path / "cache"))
