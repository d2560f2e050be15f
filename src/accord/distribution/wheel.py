"""``accord package``: the registry as an installable wheel and sdist.

A central registry is released like a library: ``accord package`` writes
``dist/<module>-<version>-py3-none-any.whl`` and ``dist/<module>-<version>.tar.gz``
(PEP 427/491 wheel, PEP 517/625 sdist) with no network and no build isolation: the
wheel's zip is written here, per the wheel specification, and the sdist carries a
``pyproject.toml`` (hatchling) that rebuilds the same wheel.

Layout of the distribution ``acme-contracts`` (import name ``acme_contracts``)::

    acme_contracts/__init__.py        NAME, VERSION, DIGEST, MODELS, registry_root()
    acme_contracts/index.json         the validator index (every version: file, digest,
                                      yanked, generated model)
    acme_contracts/registry/...       accord.toml, accord.lock, every contract.toml,
                                      every *published* version file and its examples,
                                      consumers/ (expectations)
    acme_contracts_models/...         generated Pydantic models (accord.codegen)
    acme_contracts-<v>.dist-info/     METADATA, WHEEL, entry_points.txt, RECORD

``entry_points.txt`` declares ``acme-contracts = acme_contracts:registry_root`` in
the group ``accord.registries``: installed, the package is found by registry discovery
(:mod:`accord.registry.discovery`). Version files not in ``accord.lock`` (drafts of the next
version) and ``verifications/``/``environments/`` records are left out.

**Name.** ``--name``, else derived from the registry directory: the repository
directory's name when the registry is a ``contracts/`` directory, else the registry
directory's own name, with ``-contracts`` appended unless it already ends in
``-contracts`` or ``-registry`` (``acme-contracts/contracts`` -> ``acme-contracts``).
CI should pass ``--name``: checkout directories are arbitrary.

**Version.** ``--version``, else ``1.<P>.0`` where ``P`` is the number of published
versions (lines of ``accord.lock``). Published versions are never removed (the gate
refuses it), so ``P`` only grows and every publish makes a newer package, with no clock
and no hash in the version. A release that changes nothing but metadata (a yank, an
expectation) keeps ``P``: give it ``--version 1.<P>.<n>``. Versions are normalised and
checked with :class:`packaging.version.Version`; names with
:func:`packaging.utils.canonicalize_name`.

**Requirement on accord.** The wheel and the sdist require the caret range of the
accord that built them (:func:`accord_requirement`: ``accord>=0.1.0,<0.2`` from accord
0.1.0). pip must find that accord where it installs the registry: on the index, or in a
wheelhouse (``pip install --find-links wheelhouse/ acme_contracts-1.12.0-py3-none-any.whl``
with accord's own wheel, from ``make dist``, in ``wheelhouse/``).

**Determinism.** Entries sorted, every timestamp fixed (``SOURCE_DATE_EPOCH`` when set,
else 1980-01-01), fixed modes and owners: the same registry gives the same bytes.
"""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import json
import keyword
import os
import re
import stat
import sys
import tarfile
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord._version import __version__
from accord.core.text import plural
from accord.errors import RegistryError, UsageError

if TYPE_CHECKING:
    from accord.core.progress import Progress
    from accord.registry.model import Registry

__all__ = [
    "ENTRY_POINT_GROUP",
    "ExportedExpectation",
    "PackageResult",
    "accord_requirement",
    "default_name",
    "derive_version",
    "export_expectations",
    "package_registry",
    "registry_files",
]

ENTRY_POINT_GROUP = "accord.registries"
INDEX_FILE = "index.json"
DATA_DIR = "registry"
INDEX_FORMAT = 1
# The zip format cannot store times before 1980.
_ZIP_EPOCH = 315532800
# Nor can the sdist's gzip header store one past 2**32 - 1 (2106-02-07; zip's own
# dates end in 2107): a later SOURCE_DATE_EPOCH was an internal error while writing.
_MAX_EPOCH = 2**32 - 1
_PEP508_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_RECORD_DIRS = frozenset({"verifications", "environments"})


@dataclass(frozen=True, slots=True)
class PackageResult:
    """What ``accord package`` built.

    Attributes:
        name: The canonical distribution name (``acme-contracts``).
        version: The normalised version.
        module: The import name of the registry module (``acme_contracts``).
        models: The import name of the generated models (``None`` when left out).
        wheel: Path of the wheel written.
        sdist: Path of the sdist written.
        files: Registry files packaged, relative to the registry root.
        skipped: Version files left out because they are not in ``accord.lock``.
        digest: ``sha256:<hex>`` of the packaged registry content (names and bytes).
    """

    name: str
    version: str
    module: str
    models: str | None
    wheel: Path
    sdist: Path
    files: tuple[str, ...]
    skipped: tuple[str, ...]
    digest: str

    def to_json(self) -> dict[str, Any]:
        """The JSON form of ``accord package --format json``."""
        return {
            "name": self.name,
            "version": self.version,
            "module": self.module,
            "models": self.models,
            "wheel": self.wheel.as_posix(),
            "sdist": self.sdist.as_posix(),
            "files": list(self.files),
            "skipped": list(self.skipped),
            "digest": self.digest,
        }


# -- names and versions ----------------------------------------------------------------


def default_name(root: Path) -> str:
    """The distribution name derived from the registry directory (module docstring)."""
    from accord.registry.names import slugify

    resolved = root.resolve()
    base = resolved.parent.name if resolved.name == "contracts" else resolved.name
    slug = slugify(base or "accord")
    return slug if slug.endswith(("-contracts", "-registry")) else f"{slug}-contracts"


def _check_name(name: str) -> tuple[str, str]:
    """``(canonical name, module name)``.

    Raises:
        UsageError: ``package-bad-name``.
    """
    from packaging.utils import canonicalize_name

    if not _PEP508_NAME.fullmatch(name):
        raise UsageError(
            f"{name!r} is not a valid distribution name (PEP 508: letters, digits, "
            "'.', '-', '_'; starting and ending with a letter or digit)",
            code="package-bad-name",
        )
    canonical = str(canonicalize_name(name))
    module = canonical.replace("-", "_").replace(".", "_")
    if not module.isidentifier() or keyword.iskeyword(module) or module[0].isdigit():
        raise UsageError(
            f"{name!r} does not give a Python module name ({module!r} is not an identifier)",
            code="package-bad-name",
        )
    if module in {"accord", "accord_models"} or module.startswith("accord."):
        raise UsageError(
            f"{name!r} would shadow accord itself; choose another name",
            code="package-bad-name",
        )
    _check_not_taken(name, module)
    return canonical, module


def _check_not_taken(name: str, module: str) -> None:
    """Refuse a name whose wheel, installed, would replace what is not a registry
    package: a module of the standard library, or the distribution or a top-level module
    of an installed distribution that declares no ``accord.registries`` entry point
    (``--name pydantic`` made a wheel that replaced pydantic's own package). A registry
    package already installed may be released again under its name.

    Raises:
        UsageError: ``package-name-taken``.
    """
    owners = _installed_owners()
    for taken in (module, f"{module}_models"):
        if taken in sys.stdlib_module_names:
            raise UsageError(
                f"{name!r} would install the module {taken!r}, which is Python's own "
                "(standard library): choose another name",
                code="package-name-taken",
            )
        others = sorted(dist for dist, registry in owners.get(taken, {}).items() if not registry)
        if others:
            raise UsageError(
                f"{name!r} would install the module {taken!r}, which the installed "
                f"distribution {', '.join(others)} provides: installing the registry "
                "would replace it; choose another name",
                code="package-name-taken",
            )


def _installed_owners() -> dict[str, dict[str, bool]]:
    """Every top-level module of an installed distribution (and every distribution's
    name, spelled as a module: its wheel's would be), with the canonical names of the
    distributions that hold it and whether each is a registry package (declares
    ``accord.registries``)."""
    from importlib import metadata

    from packaging.utils import canonicalize_name

    owners: dict[str, dict[str, bool]] = {}
    for dist in metadata.distributions():
        raw = dist.metadata["Name"]
        if not raw:
            continue
        canonical = str(canonicalize_name(raw))
        registry = any(point.group == ENTRY_POINT_GROUP for point in dist.entry_points)
        modules = {canonical.replace("-", "_").replace(".", "_")}
        modules.update((dist.read_text("top_level.txt") or "").split())
        for file in dist.files or ():
            parts = file.parts
            if len(parts) > 1 and not parts[0].endswith((".dist-info", ".egg-info", ".data")):
                modules.add(parts[0])
            elif len(parts) == 1 and parts[0].endswith((".py", ".so", ".pyd")):
                modules.add(parts[0].split(".", 1)[0])
        for found in modules:
            if found.isidentifier():
                owners.setdefault(found, {})[canonical] = registry
    return owners


def derive_version(registry: Registry) -> str:
    """``1.<number of published versions>.0`` (the rule in the module docstring)."""
    return f"1.{len(registry.lock)}.0"


def _check_version(version: str) -> str:
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        raise UsageError(
            f"{version!r} is not a valid package version (PEP 440), e.g. 1.12.0",
            code="package-bad-version",
        ) from None
    if parsed.local is not None:
        raise UsageError(
            f"{version!r} has a local label (+...), which package indexes refuse",
            code="package-bad-version",
        )
    return str(parsed)


# -- what goes in ----------------------------------------------------------------------


def _regular_files(directory: Path) -> Iterable[Path]:
    """Regular files under ``directory``, sorted; hidden entries and symlinks skipped."""
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if filename.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            yield path


def registry_files(registry: Registry) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The files a registry package carries (relative path -> bytes) and those left out.

    Carried: ``accord.toml``, ``accord.lock``, ``README.md`` at the root; every
    ``contract.toml`` and contract ``README.md``; every published version file and the
    examples of published versions; every expectation file under ``consumers/`` (the
    ``*.json`` files accord reads). Left out (second
    item): version files not in the lock. Records (``verifications/``,
    ``environments/``) and authoring files (``model.py``) are not carried.
    """
    from accord.consumers._model import expectation_paths
    from accord.registry.model import CONTRACT_FILE, LOCK_FILE, SETTINGS_FILE

    root = registry.root
    files: dict[str, bytes] = {}
    skipped: list[str] = []
    for name in (SETTINGS_FILE, LOCK_FILE, "README.md"):
        path = root / name
        if path.is_file() and not path.is_symlink():
            files[name] = path.read_bytes()
    for contract in registry:
        directory = contract.directory
        rel_dir = directory.relative_to(root).as_posix()
        for name in (CONTRACT_FILE, "README.md"):
            path = directory / name
            if path.is_file() and not path.is_symlink():
                files[f"{rel_dir}/{name}"] = path.read_bytes()
        for version in contract.versions:
            if not registry.published(version):
                skipped.append(version.file)
                continue
            files[version.file] = version.raw
            examples = directory / "examples" / str(version.version)
            if examples.is_dir():
                for path in _regular_files(examples):
                    files[path.relative_to(root).as_posix()] = path.read_bytes()
    # Exactly the expectation files accord reads (and lint validates): a file under
    # consumers/ that nothing reads is not shipped to a package index, and a hidden
    # expectation file is not left out of the installed registry.
    for path in expectation_paths(root):
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    return dict(sorted(files.items())), tuple(sorted(skipped))


def _content_digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for rel, data in sorted(files.items()):
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return "sha256:" + h.hexdigest()


def _index(
    registry: Registry,
    *,
    name: str,
    version: str,
    digest: str,
    models: dict[str, str],
) -> bytes:
    contracts: dict[str, Any] = {}
    for contract in registry:
        versions: dict[str, Any] = {}
        for cv in contract.versions:
            if not registry.published(cv):
                continue
            versions[str(cv.version)] = {
                "file": cv.file,
                "digest": cv.digest,
                "yanked": cv.yanked,
                "model": models.get(cv.ref),
            }
        latest = contract.latest()
        if versions:
            contracts[contract.id] = {
                "kind": contract.meta.kind,
                "status": contract.meta.status,
                "latest": str(latest.version)
                if latest and str(latest.version) in versions
                else None,
                "versions": versions,
            }
    doc = {
        "format_version": INDEX_FORMAT,
        "name": name,
        "version": version,
        "digest": digest,
        "accord": __version__,
        "contracts": contracts,
    }
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _init_py(*, name: str, version: str, digest: str, models: str | None) -> bytes:
    return f'''# generated by accord {__version__} (accord package) content {digest} — DO NOT EDIT
"""The accord contract registry {name} {version}.

Installed, accord's registry discovery finds it (entry point group
``{ENTRY_POINT_GROUP}``): ``accord.validator("ns.name@^1")`` works in a service with
no ``contracts/`` directory. The registry's files are under ``registry/``; the
validator index is ``index.json``; generated models are in ``{models}``.
"""

from __future__ import annotations

from pathlib import Path

NAME = {name!r}
VERSION = {version!r}
DIGEST = {digest!r}
MODELS = {models!r}
REGISTRY_ROOT = Path(__file__).resolve().parent / {DATA_DIR!r}
INDEX = Path(__file__).resolve().parent / {INDEX_FILE!r}


def registry_root() -> Path:
    """The installed registry's root directory (the entry point accord loads)."""
    return REGISTRY_ROOT
'''.encode()


def _models(
    registry: Registry, package: str, progress: Progress | None = None
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Generated model files (relative to the wheel root) and ref -> ``module:Class``."""
    from accord.codegen import MANIFEST, generate_package
    from accord.codegen._idents import class_name

    with tempfile.TemporaryDirectory(prefix="accord-package-") as tmp:
        out = Path(tmp)
        result = generate_package(registry, out, package=package, progress=progress)
        files = {
            path.relative_to(out).as_posix(): path.read_bytes()
            for path in _regular_files(result.package_dir)
        }
    manifest = json.loads(files[f"{package}/{MANIFEST}"])
    refs: dict[str, str] = {}
    for rel, entry in manifest.get("modules", {}).items():
        if entry.get("kind") == "fast":
            continue  # a fastjsonschema validator module, not the version's model
        ref = entry["ref"]
        contract = registry.contract(ref.partition("@")[0])
        module = rel.removesuffix(".py").replace("/", ".")
        refs[ref] = f"{module}:{class_name(contract.name)}"
    return dict(sorted(files.items())), refs


# -- metadata --------------------------------------------------------------------------


def _summary(registry: Registry) -> str:
    return (
        f"accord contract registry: {plural(len(registry), 'contract')}, "
        f"{plural(len(registry.lock), 'published version')}"
    )


def accord_requirement(version: str = __version__) -> str:
    """The ``Requires-Dist`` of a registry package built by accord ``version``.

    The caret range of ``version`` (SemVer, as docs/design.md reads it below 1.0.0):
    ``1.4.2`` gives ``accord>=1.4.2,<2``, ``0.1.0`` gives ``accord>=0.1.0,<0.2``,
    ``0.0.3`` gives ``accord>=0.0.3,<0.0.4``. The lower bound is the accord that
    loaded the shipped registry and wrote its index (an older one may refuse a key it
    does not know yet); the upper bound is the next release allowed to break the
    package layout or the registry format. A local label (``+...``) is dropped:
    PEP 440 forbids it in ``>=``.

    Example::

        >>> accord_requirement("1.4.2")
        'accord>=1.4.2,<2'
    """
    from packaging.version import Version

    parsed = Version(version)
    major, minor, micro = (*parsed.release, 0, 0)[:3]
    if major:
        upper = f"{major + 1}"
    elif minor:
        upper = f"0.{minor + 1}"
    else:
        upper = f"0.0.{micro + 1}"
    return f"accord>={parsed.public},<{upper}"


def _metadata(*, name: str, version: str, summary: str) -> bytes:
    lines = [
        "Metadata-Version: 2.2",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {summary}",
        "Requires-Python: >=3.11",
        f"Requires-Dist: {accord_requirement()}",
        "",
        f"The accord contract registry {name} {version}, packaged by accord {__version__}.",
        "",
    ]
    return "\n".join(lines).encode()


def _entry_points(name: str, module: str) -> bytes:
    return f"[{ENTRY_POINT_GROUP}]\n{name} = {module}:registry_root\n".encode()


def _pyproject(*, name: str, version: str, summary: str, module: str, models: str | None) -> bytes:
    packages = [module] + ([models] if models else [])
    return f"""# generated by accord {__version__} (accord package); pip can rebuild it
[build-system]
requires = ["hatchling>=1.25"]
build-backend = "hatchling.build"

[project]
name = {json.dumps(name)}
version = {json.dumps(version)}
description = {json.dumps(summary)}
requires-python = ">=3.11"
dependencies = [{json.dumps(accord_requirement())}]

[project.entry-points.{json.dumps(ENTRY_POINT_GROUP)}]
{name} = {json.dumps(module + ":registry_root")}

[tool.hatch.build.targets.wheel]
packages = {json.dumps(packages)}
""".encode()


# -- writing ---------------------------------------------------------------------------


def _epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        epoch = max(int(value), _ZIP_EPOCH) if value else _ZIP_EPOCH
    except ValueError:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={value!r} is not an integer", code="package-bad-epoch"
        ) from None
    if epoch > _MAX_EPOCH:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={value!r} is after {_MAX_EPOCH} (2106-02-07), the latest "
            "time a gzip header holds",
            code="package-bad-epoch",
        )
    return epoch


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


# Controls, line and paragraph separators, and surrogates (bytes that are not UTF-8).
_UNRECORDABLE = frozenset({"Cc", "Zl", "Zp", "Cs"})


def _refuse_unrecordable_names(files: Iterable[str]) -> None:
    """Refuse a path RECORD cannot carry: pip reads RECORD as ``csv.reader(text.
    splitlines())``, so a control character or line separator in a name (which lint
    allows under ``consumers/`` and ``examples/``) ends the row; a comma or quote is
    quoted by the CSV writer. A backslash is a separator to Windows installers: a
    name ``..\\..\\x.json`` is a path out of the package there. A name whose bytes
    are not UTF-8 (a lone surrogate here) has no zip or RECORD spelling at all.

    Raises:
        UsageError: ``package-bad-file-name``, naming the file.
    """
    for rel in files:
        if "\\" in rel or any(unicodedata.category(ch) in _UNRECORDABLE for ch in rel):
            raise UsageError(
                f"{rel!r}: a file name holding a control character, a line break, a "
                "backslash or bytes that are not UTF-8 cannot be packaged portably; "
                "rename it",
                code="package-bad-file-name",
                file=rel,
            )


def _refuse_case_twins(files: Iterable[str]) -> None:
    """Refuse two paths equal but for case (``consumers/web/Orders.json`` beside
    ``orders.json``): installed on a case-insensitive file system (macOS, Windows), one
    overwrites the other, and the installed registry loses an expectation or an example
    without a word. As records of two such names are refused
    (:func:`accord.consumers._records.check_case_twins`).

    Raises:
        UsageError: ``package-case-clash``, naming both files.
    """
    from accord.registry.names import case_twins

    for other, rel in case_twins(files):
        raise UsageError(
            f"{other!r} and {rel!r} differ only in case: installed on a case-insensitive "
            "file system (macOS, Windows) they are one file; rename or remove one",
            code="package-case-clash",
            file=rel,
        )


def _wheel_bytes(files: dict[str, bytes], dist_info: str, epoch: int) -> bytes:
    record_rel = f"{dist_info}/RECORD"
    # RECORD is CSV (the wheel spec): a name holding a comma or a quote is quoted, never
    # read as more fields.
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    writer.writerows((rel, _record_hash(data), len(data)) for rel, data in files.items())
    writer.writerow((record_rel, "", ""))
    entries = dict(files)
    entries[record_rel] = record.getvalue().encode()
    stamp = time.gmtime(epoch)[:6]
    # The spec asks for .dist-info at the end of the archive, RECORD last.
    order = sorted(
        entries, key=lambda rel: (rel.startswith(dist_info + "/"), rel == record_rel, rel)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for rel in order:
            info = zipfile.ZipInfo(rel, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3  # unix, so the mode bits above are read
            archive.writestr(info, entries[rel])
    return buffer.getvalue()


def _sdist_bytes(files: dict[str, bytes], top: str, epoch: int) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for rel in sorted(files):
            data = files[rel]
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size = len(data)
            info.mtime = epoch
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    compressed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=epoch) as gz:
        gz.write(raw.getvalue())
    return compressed.getvalue()


def _write_all_or_none(archives: dict[Path, bytes]) -> None:
    """Write every archive, or none: each goes to a temp file beside its target first,
    and the temp files take their names only once all were written. A failure (disk
    full, a directory where an archive goes) removes the temp files and any archive
    already moved into place, so ``--out`` never holds a wheel without its sdist. A
    target that is there but not a regular file is refused before anything is written.

    Raises:
        UsageError: ``out-not-writable``.
    """
    from accord.core.jsondoc import atomic_write

    for path in archives:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            mode = 0
            why = exc.strerror or str(exc)
        else:
            why = "is there and is not a regular file"
        if not stat.S_ISREG(mode):
            raise UsageError(
                f"--out {path.parent}: cannot write {path.name}: {why}; nothing was written",
                code="out-not-writable",
            )
    staged: dict[Path, Path] = {}
    kept: dict[Path, Path | None] = {}  # a replaced archive -> a hard link to its old bytes
    try:
        for path, data in archives.items():
            temp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.part")
            staged[path] = temp
            atomic_write(temp, data)
        for path, temp in staged.items():
            if not os.path.lexists(path):
                kept[path] = None
            elif (old := _keep_old(path)) is not None:
                kept[path] = old
            os.replace(temp, path)
    except OSError as exc:
        for path, old in kept.items():
            if old is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(old, path)
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        raise UsageError(
            f"--out {path.parent}: cannot write {path.name} ({exc.strerror or exc}); "
            "nothing was written",
            code="out-not-writable",
        ) from None
    for old in kept.values():
        if old is not None:
            old.unlink(missing_ok=True)


def _keep_old(path: Path) -> Path | None:
    """A hard link to ``path``'s file, to put back if a later write fails (``None``
    when the file system has no hard links: the new archive then stays)."""
    old = path.with_name(f".{path.name}.{os.urandom(4).hex()}.old")
    try:
        os.link(path, old)
    except OSError:
        return None
    return old


def _refuse_out_in_registry(out: Path, root: Path) -> None:
    """Refuse an output directory that is the registry or lies inside it: the archives
    have no place in the layout, so every later lint, gate and package run would fail
    (``accord package --out .``, or the default ``dist``, run from the registry root).

    Raises:
        UsageError: ``package-out-in-registry``.
    """
    real, registry = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    if real == registry or real.is_relative_to(registry):
        raise UsageError(
            f"--out {out}: is inside the registry {root}, where the wheel and sdist have "
            "no place (lint would refuse them); give a directory outside it, e.g. dist/ "
            "beside the registry",
            code="package-out-in-registry",
        )


def _refuse_lint_errors(reg: Registry) -> None:
    """Lint the registry; a lock line's trust does not excuse what lint rejects."""
    from accord.gate.lint import lint

    report = lint(reg.root)
    if any(p.severity == "error" for p in report.problems):
        raise RegistryError(list(report.problems), root=str(reg.root))


def package_registry(
    registry: Registry | str | os.PathLike[str],
    out_dir: str | os.PathLike[str] = "dist",
    *,
    version: str | None = None,
    name: str | None = None,
    models: bool = True,
    progress: Progress | None = None,
) -> PackageResult:
    """Build the wheel and the sdist of a registry (see the module docstring).

    Args:
        registry: The registry, or its root directory.
        out_dir: Where the two files are written (created if needed).
        version: The package version; default ``1.<published versions>.0``.
        name: The distribution name; default derived from the registry directory.
        models: Include the generated Pydantic models (needs the ``codegen`` extra).
        progress: Told which version's models are being generated.

    Returns:
        A :class:`PackageResult` naming both files.

    Raises:
        UsageError: ``package-bad-name``, ``package-bad-version``, ``package-empty``
            (nothing published), ``package-out-in-registry`` (``out_dir`` is the
            registry or inside it), ``package-bad-file-name``, ``package-case-clash``
            (two files whose names differ only in case).
        RegistryError: the registry does not load (a lock mismatch included), or lint
            finds an error (a lock line trusts a version the loader then skips checking).
        CodegenError: the models cannot be generated (``--no-models`` skips them).
    """
    from accord.core.jsondoc import check_out_dir, make_out_dir, path_argument
    from accord.registry.model import Registry

    check_out_dir(path_argument(out_dir, "out_dir"))
    if isinstance(registry, Registry):
        reg = registry
    else:
        reg = Registry.load(Path(registry), check_all=True)
    _refuse_out_in_registry(Path(out_dir), reg.root)
    # The names first: lint reports a case clash too, less precisely for a package.
    data, skipped = registry_files(reg)
    _refuse_unrecordable_names(data)
    _refuse_case_twins(data)
    _refuse_lint_errors(reg)
    if not reg.lock:
        raise UsageError(
            f"registry {reg.root} has no published version (accord.lock is empty or "
            "missing): publish before packaging",
            code="package-empty",
        )
    canonical, module = _check_name(name if name is not None else default_name(reg.root))
    final_version = _check_version(version if version is not None else derive_version(reg))
    models_module = f"{module}_models" if models else None

    digest = _content_digest(data)
    # Models and the index are built from the packaged subset, loaded like an installed
    # copy would be: what is shipped is proven to load.
    with tempfile.TemporaryDirectory(prefix="accord-package-") as tmp:
        staged = Path(tmp) / DATA_DIR
        for rel, content in data.items():
            target = staged / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        shipped = Registry.load(staged, check_all=True)
        model_files, model_refs = (
            _models(shipped, models_module, progress) if models_module else ({}, {})
        )
        index = _index(
            shipped, name=canonical, version=final_version, digest=digest, models=model_refs
        )

    summary = _summary(reg)
    payload: dict[str, bytes] = {
        f"{module}/__init__.py": _init_py(
            name=canonical, version=final_version, digest=digest, models=models_module
        ),
        f"{module}/{INDEX_FILE}": index,
    }
    payload.update({f"{module}/{DATA_DIR}/{rel}": content for rel, content in data.items()})
    payload.update(model_files)
    payload = dict(sorted(payload.items()))

    stem = f"{module}-{final_version}"
    dist_info = f"{stem}.dist-info"
    metadata = _metadata(name=canonical, version=final_version, summary=summary)
    wheel_files = dict(payload)
    wheel_files[f"{dist_info}/METADATA"] = metadata
    wheel_files[f"{dist_info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: accord {__version__}\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    ).encode()
    wheel_files[f"{dist_info}/entry_points.txt"] = _entry_points(canonical, module)
    wheel_files[f"{dist_info}/top_level.txt"] = (
        "\n".join(sorted(filter(None, [module, models_module]))) + "\n"
    ).encode()

    sdist_files = dict(payload)
    sdist_files["PKG-INFO"] = metadata
    sdist_files["pyproject.toml"] = _pyproject(
        name=canonical, version=final_version, summary=summary, module=module, models=models_module
    )

    out = Path(out_dir)
    make_out_dir(out)
    epoch = _epoch()
    wheel_path = out / f"{stem}-py3-none-any.whl"
    sdist_path = out / f"{stem}.tar.gz"
    _write_all_or_none(
        {
            wheel_path: _wheel_bytes(wheel_files, dist_info, epoch),
            sdist_path: _sdist_bytes(sdist_files, stem, epoch),
        }
    )
    return PackageResult(
        name=canonical,
        version=final_version,
        module=module,
        models=models_module,
        wheel=wheel_path,
        sdist=sdist_path,
        files=tuple(data),
        skipped=skipped,
        digest=digest,
    )


# -- expectations travel to the central registry ---------------------------------------


def _refuse_no_registry(target: Path) -> None:
    """Refuse a ``--to`` that shows no sign of being a registry root (an ``accord.toml``,
    an ``accord.lock`` or a ``consumers/`` directory): the central repository instead of
    its ``contracts/`` took the files where no gate reads them, and said ``added``.

    Raises:
        UsageError: ``expectations-bad-target``, naming a registry inside it if one is.
    """
    from accord.registry.model import LOCK_FILE, SETTINGS_FILE

    def is_registry(path: Path) -> bool:
        return (
            (path / SETTINGS_FILE).is_file()
            or (path / LOCK_FILE).is_file()
            or (path / "consumers").is_dir()
        )

    if is_registry(target):
        return
    inside = sorted(p.name for p in target.iterdir() if p.is_dir() and is_registry(p))
    hint = f" (did you mean {target / inside[0]}?)" if inside else ""
    raise UsageError(
        f"--to {target}: not a registry root (no {SETTINGS_FILE}, {LOCK_FILE} or "
        f"consumers/){hint}; give the central registry's root directory",
        code="expectations-bad-target",
    )


@dataclass(frozen=True, slots=True)
class ExportedExpectation:
    """One expectation file placed in the central registry.

    Attributes:
        file: Path relative to the registry root (``consumers/billing/orders.json``).
        consumer: The consumer's name.
        version: The consumer version it was exported with.
        action: ``added``, ``updated`` (another consumer version was there),
            ``unchanged`` or ``replaced`` (a different expectation for the same consumer
            version, overwritten with ``force``).
    """

    file: str
    consumer: str
    version: str
    action: str

    def to_json(self) -> dict[str, str]:
        """The JSON form of ``accord expectations export --format json``."""
        return {
            "file": self.file,
            "consumer": self.consumer,
            "version": self.version,
            "action": self.action,
        }


def export_expectations(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    consumer: str | None = None,
    consumer_version: str | None = None,
    force: bool = False,
) -> tuple[ExportedExpectation, ...]:
    """Copy a consumer repository's expectations into a central registry's ``consumers/``.

    Every expectation under ``<source>/consumers/`` (of ``consumer`` only, when given) is
    validated, stamped with ``consumer_version`` when given (CI passes the commit or the
    release), and written atomically to the same relative path under ``target``. An
    expectation already there for the *same* consumer version with different content is
    refused (a consumer changed what it relies on without a new version) unless
    ``force``; nothing is written when any file is refused.

    Raises:
        UsageError: ``expectations-none`` (nothing to export), ``consumer-unknown``
            (``consumer`` has no expectation, with the closest name), ``expectations-no-version``
            (neither the file nor ``consumer_version`` gives one),
            ``expectations-conflict`` (listing every conflicting file),
            ``expectations-bad-target`` (``target`` is not a directory, or not a
            registry root: no ``accord.toml``, ``accord.lock`` or ``consumers/``).
        DocumentError: an invalid expectation file (source or target).
    """
    import copy

    from accord.consumers._model import digest_of, discover, dump, load, validate
    from accord.core.jsondoc import atomic_write, path_argument, refuse_links_below

    source_root, target_root = path_argument(source, "source"), path_argument(target, "target")
    if not target_root.is_dir():
        raise UsageError(
            f"--to {target_root}: not a directory (the central registry's root)",
            code="expectations-bad-target",
        )
    found = discover(source_root, consumer=consumer)
    if not found:
        raise UsageError(
            f"no expectations under {source_root / 'consumers'}",
            code="expectations-none",
        )
    _refuse_no_registry(target_root)
    planned: list[tuple[Path, bytes, ExportedExpectation]] = []
    conflicts: list[str] = []
    for expectation in found:
        doc = copy.deepcopy(expectation.doc)
        if consumer_version is not None:
            doc["consumer"]["version"] = consumer_version
        version = doc["consumer"].get("version")
        if not version:
            raise UsageError(
                f"{expectation.file} names no consumer version: pass --consumer-version "
                "(the consumer's release or commit)",
                code="expectations-no-version",
                file=expectation.file,
            )
        validate(doc, file=expectation.file)
        refuse_links_below(target_root, expectation.file)
        destination = target_root / expectation.file
        action = "added"
        if destination.exists():
            existing = load(destination, root=target_root)
            if existing.digest == digest_of(doc):
                action = "unchanged"
            elif existing.doc["consumer"].get("version") != version:
                action = "updated"
            elif force:
                action = "replaced"
            else:
                conflicts.append(expectation.file)
                continue
        planned.append(
            (
                destination,
                dump(doc),
                ExportedExpectation(expectation.file, expectation.consumer, version, action),
            )
        )
    if conflicts:
        raise UsageError(
            f"{len(conflicts)} expectation(s) differ from what {target_root} holds for the "
            f"same consumer version: {', '.join(conflicts)}; give the consumer a new version "
            "(--consumer-version) or overwrite with --force",
            code="expectations-conflict",
        )
    for destination, data, entry in planned:
        if entry.action == "unchanged":
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(destination, data)
    return tuple(entry for _, _, entry in planned)
