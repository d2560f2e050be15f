"""Write (or check) the generated package for a whole registry.

Layout: ``<out>/<package>/<namespace>/<name>/v<major>_<minor>_<patch>.py`` plus
``__init__.py`` files (the package's one is the index), ``py.typed`` and
``_accord_manifest.json``. Versions whose bundled schema fastjsonschema handles exactly
as the reference also get ``v<major>_<minor>_<patch>_fast.py``, a generated validator
(:mod:`accord.codegen._fast`); the manifest's ``fast_skipped`` says why the others
have none. The manifest records, per generated file, the key of its
inputs (bundled schema, reference, source file and digest, package, accord version,
generator pin and options) and the sha256 of its bytes; a version whose key and file
are unchanged is not regenerated, so a no-op run never imports the generator; and
:func:`generate_registry` answers a run whose registry tree and package files are the
same as when a run left the package up to date without loading the registry at all
(:mod:`accord.codegen._noop`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import keyword
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord._version import __version__
from accord.codegen._fast import (
    FAST_GENERATOR,
    FAST_OPTIONS,
    fast_generator_version,
    render_fast,
)
from accord.codegen._idents import class_name, name_ident, version_ident
from accord.codegen._noop import package_files, recorded, remember, tree_inputs
from accord.codegen._render import GENERATOR, GENERATOR_VERSION, OPTIONS_KEY, render_version
from accord.codegen._safety import check_source
from accord.core.jsondoc import (
    atomic_write,
    canonical_dumps,
    check_out_dir,
    make_out_dir,
    new_file_mode,
    path_argument,
    sorted_dumps,
)
from accord.core.progress import Progress
from accord.core.progress import report as report_progress
from accord.errors import AccordError, Problem, RegistryError, UsageError
from accord.validation import backends as _backends

if TYPE_CHECKING:
    from accord.core.cache import ContentCache
    from accord.registry.config import ToolConfig
    from accord.registry.model import ContractVersion, Registry

__all__ = [
    "DEFAULT_PACKAGE",
    "MANIFEST",
    "CodegenResult",
    "codegen_target",
    "generate_package",
    "generate_registry",
    "validate_package",
]

DEFAULT_PACKAGE = "accord_models"
MANIFEST = "_accord_manifest.json"
_MANIFEST_FORMAT = 1
_DONT_EDIT = "— DO NOT EDIT"


@dataclass(frozen=True, slots=True)
class CodegenResult:
    """What a run did (or, with ``check``, would do).

    Attributes:
        package_dir: ``<out>/<package>``.
        written: Files written (relative to the output directory, ``/``-separated).
        removed: Generated files deleted because their version is gone.
        stale: With ``check``: files missing, different, or to be removed.
        unchanged: Files already up to date.
        regenerated: Model modules the generator was run for.
    """

    package_dir: Path
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    regenerated: tuple[str, ...] = ()

    @property
    def up_to_date(self) -> bool:
        """Whether nothing had to change (the ``--check`` verdict)."""
        return not self.stale and not self.written and not self.removed


def codegen_target(
    tool: ToolConfig, *, out: Path | None = None, package: str | None = None
) -> tuple[Path, str]:
    """Where ``accord codegen`` writes (and ``--check`` checks): ``(out_dir, package)``.

    In order: the flags; ``[tool.accord] codegen-output`` / ``codegen-package``; the
    service manifest's ``generated`` package (one plain name, written beside the
    ``pyproject.toml`` that declares it, which is where the service imports it from);
    else ``./generated`` and ``accord_models``.

    Raises:
        UsageError: ``codegen-no-target``: the manifest's ``generated`` names a dotted
            or several packages and neither flag nor setting says which to write.
    """
    if out is not None and package is not None:
        return out, package
    out = out or tool.codegen_output
    package = package or tool.codegen_package
    if out is not None and package is not None:
        return out, package
    generated = _manifest_generated(tool)
    if generated is not None and tool.source is not None:
        names = [generated] if isinstance(generated, str) else generated
        if len(names) != 1 or not isinstance(names[0], str) or not names[0].isidentifier():
            raise UsageError(
                f"the service manifest's generated = {generated!r} is not one plain package "
                "name codegen can write: pass --out DIR and --package NAME (or set "
                "[tool.accord] codegen-output and codegen-package)",
                code="codegen-no-target",
                file=str(tool.source),
            )
        return out or tool.source.parent, package or names[0]
    return out or Path("generated"), package or DEFAULT_PACKAGE


def _manifest_generated(tool: ToolConfig) -> Any:
    """``generated`` of ``[tool.accord.service]`` or of the manifest file, if any."""
    from accord.registry.config import read_toml

    service: Any = tool.service
    if service is None and tool.manifest is not None and tool.manifest.is_file():
        service = read_toml(tool.manifest)
    return service.get("generated") if isinstance(service, Mapping) else None


def validate_package(package: str, out_dir: Path | None = None) -> None:
    """Refuse a package name that is not a plain identifier or shadows an importable one.

    Raises:
        UsageError: ``codegen-bad-package``.
    """
    if not package.isidentifier() or not package.isascii() or keyword.iskeyword(package):
        raise UsageError(
            f"--package {package!r} is not a Python identifier", code="codegen-bad-package"
        )
    if package in sys.stdlib_module_names or package in sys.builtin_module_names:
        raise UsageError(
            f"--package {package!r} would shadow the standard library module of that name",
            code="codegen-bad-package",
        )
    spec = importlib.util.find_spec(package)
    if spec is None:
        return
    ours = out_dir is not None and any(
        Path(location).resolve() == (out_dir / package).resolve()
        for location in (spec.submodule_search_locations or [])
    )
    if not ours:
        raise UsageError(
            f"--package {package!r} would shadow the installed module at "
            f"{spec.origin or list(spec.submodule_search_locations or [])}",
            code="codegen-bad-package",
        )


def _unchanged(
    entry: object, key: str, out_dir: Path, rel: str, *, cache: ContentCache | None, check: bool
) -> bytes | None:
    """The bytes of ``out_dir / rel`` when the manifest ``entry`` was made from inputs
    ``key`` and the file still holds what was written then; ``None`` means "render it
    again". (The path is built only for an entry with that key: a fresh run has none.)

    The manifest is committed with the package, so its ``output`` digest is anyone's to
    write: a module edited by hand, with the digest edited to match, was kept (and
    ``--check`` said up to date). The digest is believed only where this machine's cache
    (keyed with its secret, never committed) recorded accord rendering those bytes for
    ``key``; without a cache, only by a writing run (``--check`` renders every module)."""
    if not (isinstance(entry, dict) and entry.get("input") == key):
        return None
    disk = out_dir / rel
    if not disk.is_file():
        return None
    current = disk.read_bytes()
    output = _sha(current)
    if output != entry.get("output"):
        return None
    if cache is not None:
        if cache.get(_OUTPUT_KIND, _output_key(key)) != output.encode("ascii"):
            return None
    elif check:
        return None
    return current


def _rendered(cache: ContentCache | None, key: str, data: bytes) -> None:
    """Record that accord rendered ``data`` for inputs ``key`` (see :func:`_unchanged`)."""
    if cache is not None:
        cache.put(_OUTPUT_KIND, _output_key(key), _sha(data).encode("ascii"))


def _output_key(key: str) -> str:
    from accord.core.cache import make_key

    return make_key(_OUTPUT_KIND, key)


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # committed: nested past the parser
        return {}
    if not isinstance(data, dict) or data.get("format") != _MANIFEST_FORMAT:
        return {}
    if not all(isinstance(data.get(key, {}), dict) for key in ("modules", "files")):
        return {}  # another shape (committed with the package): no manifest
    return data


def _removable(out_dir: Path, package: str, rel: str) -> bool:
    """Whether the manifest's ``rel`` names a file this package may have written and a
    run may remove: plain names under ``package/`` (no ``..``, ``.`` or empty part) and
    no symlink on the way. The manifest is committed with the package: an entry
    ``accord_models/../../accord.lock`` is not the package's to delete."""
    parts = rel.split("/")
    if parts[0] != package or len(parts) < 2:
        return False
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return False
    directory = out_dir
    for part in parts[:-1]:
        directory = directory / part
        if directory.is_symlink() or not directory.is_dir():
            return False
    return True


def _input_key(canonical: str, version: ContractVersion, package: str) -> str:
    """``canonical``: ``sorted_dumps`` of the version's bundle."""
    parts = [
        canonical,
        version.ref,
        version.file,
        version.digest,
        package,
        __version__,
        GENERATOR_VERSION,
        OPTIONS_KEY,
    ]
    return _sha("\0".join(parts).encode())


# FAST_OPTIONS is constant data: its text is written once, not once per version (the
# indented layout takes the pure-Python encoder).
_FAST_OPTIONS_TEXT = canonical_dumps(FAST_OPTIONS)


def _fast_key(canonical: str, version: ContractVersion, package: str) -> str:
    parts = [
        canonical,
        version.ref,
        version.file,
        version.digest,
        package,
        __version__,
        f"{FAST_GENERATOR} {fast_generator_version()}",
        _FAST_OPTIONS_TEXT,
    ]
    return _sha("\0".join(parts).encode())


class _Sources:
    """One version's inputs: its bundle (built only when needed) and the keys of its
    modules, read from the disk cache when its sources are unchanged (keyed by
    :func:`accord.core.cache.source_identity`: a version's bytes, or its bundle when it
    refers to other files, with accord's own source digest), so a no-op run neither
    bundles nor canonicalises anything."""

    def __init__(
        self,
        registry: Registry,
        version: ContractVersion,
        package: str,
        cache: ContentCache | None,
    ) -> None:
        self.registry = registry
        self.version = version
        self.package = package
        self.cache = cache
        self._bundle: Any = None
        self._canonical: str | None = None
        self._identity: str | None = None

    def bundle(self) -> Any:
        if self._bundle is None:
            self._bundle = self.registry.bundle(self.version)
        return self._bundle

    def canonical(self) -> str:
        """The bundle's sorted compact text, once for both keys: a key needs a text
        that is a function of the value alone, not the indented layout, which only the
        pure-Python encoder writes (about 2% of a full run at 100 contracts)."""
        if self._canonical is None:
            self._canonical = sorted_dumps(self.bundle())
        return self._canonical

    def _key(self, kind: str, *parts: str) -> str:
        from accord.core.cache import make_key, source_identity

        if self._identity is None:
            v = self.version
            self._identity = source_identity(v.raw, v.digest, self.bundle)
        v = self.version
        return make_key(kind, self._identity, v.ref, v.file, v.digest, self.package, *parts)

    def schema_errors(self) -> list[Problem]:
        """The errors the registry's own checks find in the version's schema
        (:meth:`~accord.registry.model.Registry.schema_problems`, what ``check`` runs)."""
        problems = self.registry.schema_problems(self.version)
        return [p for p in problems if p.severity == "error"]

    def input_key(self) -> tuple[str, list[Problem]]:
        """:func:`_input_key` of the version, and the errors of its schema.

        The schema is checked when the key is computed, and only a key whose version
        passed is kept: a key read from the cache is a version already checked (with
        the same sources, accord and ``[lint.rules]``), so a no-op checks nothing.
        """
        if self.cache is None:
            return _input_key(self.canonical(), self.version, self.package), self.schema_errors()
        rules = sorted((code, o.severity) for code, o in self.registry.settings.lint_rules.items())
        source = self._key(_INPUT_KIND, GENERATOR_VERSION, OPTIONS_KEY, json.dumps(rules))
        kept = self.cache.get(_INPUT_KIND, source)
        if kept is not None and _SHA.fullmatch(kept):
            return kept.decode("ascii"), []
        errors = self.schema_errors()
        key = _input_key(self.canonical(), self.version, self.package)
        if not errors:
            self.cache.put(_INPUT_KIND, source, key.encode("ascii"))
        return key, errors

    def _fast_source(self) -> str:
        generator = f"{FAST_GENERATOR} {fast_generator_version()}"
        return self._key(_FAST_KIND, generator, _FAST_OPTIONS_TEXT)

    def fast_key(self) -> tuple[str, str | None]:
        """:func:`_fast_key` of the version, and the reason no fast module is generated
        when a run with the same sources found one."""
        if self.cache is not None:
            kept = self.cache.get(_FAST_KIND, self._fast_source())
            try:
                value: Any = json.loads(kept) if kept is not None else {}
                key, skipped = value["input"], value["skipped"]
                if _SHA.fullmatch(key.encode("ascii")) and (
                    skipped is None or isinstance(skipped, str)
                ):
                    return key, skipped
            except (
                ValueError,
                TypeError,
                KeyError,
                AttributeError,
                UnicodeEncodeError,
                RecursionError,
            ):
                pass
        key = _fast_key(self.canonical(), self.version, self.package)
        self.keep_fast(key, None)
        return key, None

    def keep_fast(self, key: str, skipped: str | None) -> None:
        if self.cache is not None:
            body = json.dumps({"input": key, "skipped": skipped}, sort_keys=True).encode()
            self.cache.put(_FAST_KIND, self._fast_source(), body)


_INPUT_KIND = "codegen-input"
_FAST_KIND = "codegen-fast"
_OUTPUT_KIND = "codegen-output"
_SHA = re.compile(rb"sha256:[0-9a-f]{64}")


def _published(registry: Registry) -> list[ContractVersion]:
    return [v for v in registry.versions() if registry.published(v)]


def _init_text(what: str) -> str:
    return f'# generated by accord {__version__} {_DONT_EDIT}\n"""{what}"""\n'


def _index_text(
    package: str,
    entries: list[tuple[str, str, str, str]],
    lock_digest: str,
    fast: dict[str, str],
) -> str:
    """``entries``: (ref, module, class, digest), sorted by ref; ``fast``: ref -> module."""
    lock_hex = lock_digest.removeprefix("sha256:")
    lines = [
        f"# generated by accord {__version__} from accord.lock sha256={lock_hex} {_DONT_EDIT}",
        '"""Typed Pydantic v2 models of every published contract version (generated by accord).',
        "",
        "MODELS maps a contract reference (namespace.name@version) to its model class and",
        "DIGESTS to the sha256 of the schema file it was generated from. The contract",
        "validator (accord.validator(ref)) is the judge of validity; each model module's",
        "docstring lists what its model does not check. FAST_VALIDATORS maps the references",
        "that have a generated fastjsonschema validator to its module (import it lazily:",
        "it needs the fastjsonschema package, this package does not).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from pydantic import BaseModel",
        "",
    ]
    for i, (_, module, cls, _) in enumerate(entries):
        lines.append(f"from {module} import {cls} as _M{i}")
    lines += ["", "MODELS: dict[str, type[BaseModel]] = {"]
    lines += [f"    {json.dumps(ref)}: _M{i}," for i, (ref, _, _, _) in enumerate(entries)]
    lines += ["}", "DIGESTS: dict[str, str] = {"]
    lines += [f"    {json.dumps(ref)}: {json.dumps(digest)}," for ref, _, _, digest in entries]
    lines += ["}", "FAST_VALIDATORS: dict[str, str] = {"]
    lines += [
        f"    {json.dumps(ref)}: {json.dumps(module)}," for ref, module in sorted(fast.items())
    ]
    lines += ["}", "", '__all__ = ["DIGESTS", "FAST_VALIDATORS", "MODELS"]', ""]
    return "\n".join(lines)


def generate_package(
    registry: Registry,
    out_dir: str | os.PathLike[str],
    *,
    package: str = DEFAULT_PACKAGE,
    check: bool = False,
    cache: ContentCache | None = None,
    progress: Progress | None = None,
    inputs: str | None = None,
) -> CodegenResult:
    """Generate a Pydantic v2 model module for every published version of ``registry``.

    Deterministic (the same bytes on every run and machine) and incremental (versions
    whose inputs and output file are unchanged are not regenerated).

    Args:
        registry: The loaded registry.
        out_dir: Directory that receives the ``package`` directory.
        package: Name of the generated top-level package.
        check: Write nothing; report in ``stale`` every file that is out of date.
        cache: The disk cache (:mod:`accord.core.cache`): each version's input keys
            (and fast-module refusals) are kept there by content digest, so a run whose
            sources are unchanged neither bundles nor renders anything.
        progress: Told which version is being generated (:mod:`accord.core.progress`).
        inputs: With ``cache``: the digest of the registry's tree read before it was
            loaded (:func:`accord.codegen._noop.tree_inputs`); a run that leaves the
            package up to date keeps it with the digest of every package file, so that
            :func:`generate_registry` answers the next same run without loading.

    Raises:
        RegistryError: a version the registry's load left unread is refused (every
            version is checked first, as a load with ``check_all`` checks it), and so
            is a version whose schema ``accord check`` refuses (an invalid ``pattern``:
            :meth:`~accord.registry.model.Registry.schema_problems`); nothing is written.
        UsageError: bad package name.
        SchemaError: a schema carries an unsafe key or a dangling ``$ref``.
        CodegenError: the generator is unavailable or its output was refused.

    Example:
        >>> result = generate_package(Registry.discover(), Path("generated"))  # doctest: +SKIP
    """
    from accord.registry.model import registry_argument

    registry = registry_argument(registry)
    out_dir = path_argument(out_dir, "out_dir")

    registry.verify_all()
    check_out_dir(out_dir, writing=not check)
    validate_package(package, out_dir)
    package_dir = out_dir / package
    manifest_path = package_dir / MANIFEST
    old = _read_manifest(manifest_path)
    old_modules: dict[str, Any] = old.get("modules", {}) if isinstance(old, dict) else {}
    old_files: dict[str, Any] = old.get("files", {}) if isinstance(old, dict) else {}

    expected: dict[str, bytes] = {}
    modules: dict[str, dict[str, str]] = {}
    regenerated: list[str] = []
    index: list[tuple[str, str, str, str]] = []
    dirs: dict[str, str] = {f"{package}/__init__.py": ""}
    fast_index: dict[str, str] = {}
    fast_skipped: dict[str, str] = {}
    published = _published(registry)
    refused: list[Problem] = []
    model_rels = {_module_rel(registry, v, package) for v in published}

    with _backends.memo_patterns():  # each distinct pattern probed once per run
        for done, version in enumerate(published):
            report_progress(progress, done, len(published), version.ref)
            contract = registry.contract(version.contract_id)
            ns_ident, name_id = name_ident(contract.namespace), name_ident(contract.name)
            mod_ident = version_ident(version.version)
            rel = _module_rel(registry, version, package)
            dirs.setdefault(
                f"{package}/{ns_ident}/__init__.py",
                f"Models of the {contract.namespace} namespace.",
            )
            dirs.setdefault(
                f"{package}/{ns_ident}/{name_id}/__init__.py",
                f"Models of {contract.id}, one module per version.",
            )
            sources = _Sources(registry, version, package, cache)
            key, errors = sources.input_key()
            if errors:  # reported with every other version's once all are checked
                refused.extend(errors)
                continue
            data = _unchanged(old_modules.get(rel), key, out_dir, rel, cache=cache, check=check)
            if data is None:
                data = render_version(
                    sources.bundle(),
                    contract_id=contract.id,
                    name=contract.name,
                    version=str(version.version),
                    source=version.file,
                    digest=version.digest,
                    package=package,
                ).encode()
                _rendered(cache, key, data)
                regenerated.append(rel)
            expected[rel] = data
            modules[rel] = {"ref": version.ref, "input": key, "output": _sha(data)}
            module = f"{package}.{ns_ident}.{name_id}.{mod_ident}"
            index.append((version.ref, module, class_name(contract.name), version.digest))

            fast_rel = rel.removesuffix(".py") + "_fast.py"
            if fast_rel in model_rels:
                fast_skipped[version.ref] = f"{fast_rel} is the model module of another version"
                continue
            fast_key, skipped = sources.fast_key()
            if skipped is not None:
                fast_skipped[version.ref] = skipped
                continue
            fast_data = _unchanged(
                old_modules.get(fast_rel), fast_key, out_dir, fast_rel, cache=cache, check=check
            )
            if fast_data is None:
                rendered = render_fast(
                    sources.bundle(), ref=version.ref, source=version.file, digest=version.digest
                )
                if rendered.text is None:
                    fast_skipped[version.ref] = rendered.skipped or "not generated"
                    sources.keep_fast(fast_key, fast_skipped[version.ref])
                    continue
                fast_data = rendered.text.encode()
                _rendered(cache, fast_key, fast_data)
            expected[fast_rel] = fast_data
            modules[fast_rel] = {
                "ref": version.ref,
                "kind": "fast",
                "input": fast_key,
                "output": _sha(fast_data),
            }
            fast_index[version.ref] = module + "_fast"

    report_progress(progress, len(published), len(published), "")
    if refused:
        raise RegistryError(refused, root=str(registry.root))
    lock_lines = "".join(sorted(f"{ref} {digest}\n" for ref, _, _, digest in index))
    for rel, doc in dirs.items():
        if rel == f"{package}/__init__.py":
            text = _index_text(package, sorted(index), _sha(lock_lines.encode()), fast_index)
        else:
            text = _init_text(doc)
        check_source(text, package=package, file=rel)
        expected[rel] = text.encode()
    expected[f"{package}/py.typed"] = b""
    files = {rel: _sha(data) for rel, data in sorted(expected.items())}
    manifest = {
        "format": _MANIFEST_FORMAT,
        "accord": __version__,
        "generator": f"{GENERATOR} {GENERATOR_VERSION}",
        "options": OPTIONS_KEY,
        "package": package,
        "modules": dict(sorted(modules.items())),
        "fast_skipped": dict(sorted(fast_skipped.items())),
        "files": files,
    }
    expected[f"{package}/{MANIFEST}"] = (
        json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    ).encode()

    gone = sorted(rel for rel in old_files if rel not in expected and rel.startswith(package + "/"))
    # Before any file is read: --check through a symlinked directory would judge the
    # files where it leads, and pass a package the writing run refuses.
    _refuse_symlinked_dirs(out_dir, expected)
    changed = [rel for rel, data in sorted(expected.items()) if _read(out_dir / rel) != data]
    unchanged = tuple(rel for rel in sorted(expected) if rel not in changed)
    present_gone = [
        rel for rel in gone if _removable(out_dir, package, rel) and (out_dir / rel).is_file()
    ]
    if check:
        # A file no run writes is importable from the package; a run leaves it (it
        # removes only what its manifest listed), --check names it.
        extra = package_files(out_dir, package) - expected.keys()
        stale = tuple(sorted({*changed, *present_gone, *extra}))
        if not stale:
            remember(cache, registry.root, out_dir, package, inputs=inputs, files=expected)
        return CodegenResult(
            package_dir=package_dir,
            stale=stale,
            unchanged=unchanged,
            regenerated=tuple(regenerated),
        )
    _write(out_dir, expected, changed, present_gone, manifest_rel=f"{package}/{MANIFEST}")
    remember(cache, registry.root, out_dir, package, inputs=inputs, files=expected)
    return CodegenResult(
        package_dir=package_dir,
        written=tuple(changed),
        removed=tuple(present_gone),
        unchanged=unchanged,
        regenerated=tuple(regenerated),
    )


def generate_registry(
    root: Path,
    out_dir: Path,
    *,
    package: str = DEFAULT_PACKAGE,
    check: bool = False,
    cache: ContentCache | None = None,
    progress: Progress | None = None,
) -> CodegenResult:
    """:func:`generate_package` for the registry at ``root``, loading it only when needed.

    With ``cache``, a run whose registry tree (every name and byte under ``root``) and
    package files are exactly as a previous run with the same accord, generator and
    options left them is answered from their digests: nothing is loaded, bundled,
    rendered or written, and no generator or validator library is imported. Any other
    run loads the registry (``Registry.load``) and is :func:`generate_package`.

    Raises:
        RegistryError: the registry has errors.
        UsageError, SchemaError, CodegenError: as :func:`generate_package`.
    """
    inputs = tree_inputs(root) if cache is not None else None  # before the load reads it
    try:
        check_out_dir(out_dir, writing=not check)
        validate_package(package, out_dir)
    except AccordError:
        files = None  # refused below, after the registry's own problems, as always
    else:
        files = recorded(cache, root, out_dir, package, inputs)
    if files is not None:
        return CodegenResult(package_dir=out_dir / package, unchanged=files)
    from accord.registry.model import Registry

    return generate_package(
        Registry.load(root, check_all=True),
        out_dir,
        package=package,
        check=check,
        cache=cache,
        progress=progress,
        inputs=inputs,
    )


def _module_rel(registry: Registry, version: ContractVersion, package: str) -> str:
    contract = registry.contract(version.contract_id)
    ns_ident, name_id = name_ident(contract.namespace), name_ident(contract.name)
    return f"{package}/{ns_ident}/{name_id}/{version_ident(version.version)}.py"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _refuse_symlinked_dirs(out_dir: Path, rels: Iterable[str]) -> None:
    """Refuse a symlink at a directory of ``rels`` under ``out_dir`` before anything is
    written: the package is committed, and a change can make one of its directories a
    link to ``src/app``, where the generated modules would replace the files.

    Raises:
        UsageError: ``out-symlink``, naming the link.
    """
    from accord.errors import UsageError

    seen: set[str] = set()
    for rel in rels:
        parts = rel.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            directory = "/".join(parts[:end])
            if directory in seen:
                continue
            seen.add(directory)
            if (out_dir / directory).is_symlink():
                raise UsageError(
                    "a symlink in the generated package: accord codegen writes only into "
                    "real directories under --out (through the link it would write over "
                    "the files there); replace it with a directory",
                    code="out-symlink",
                    file=str(out_dir / directory),
                )


def _write(
    out_dir: Path,
    expected: dict[str, bytes],
    changed: Iterable[str],
    gone: Iterable[str],
    *,
    manifest_rel: str,
) -> None:
    make_out_dir(out_dir)
    made: set[Path] = set()  # each directory created once, not once per file
    new_mode = new_file_mode()  # the umask read once, not once per new file
    # The manifest goes last: a run interrupted before it is simply redone next time.
    # No fsync (about a fifth of accord's own time in a full run at 100 contracts):
    # every file here is derived from the registry, and every reader of them in accord
    # checks its bytes, not its name: the next run re-hashes each file against the
    # manifest before keeping it (_unchanged) and compares every expected file byte for
    # byte before writing (changed), ``--check`` does the same, and the no-op path
    # re-hashes every file (_noop.recorded). So a file a power cut left torn or empty is
    # regenerated or reported stale, as a deleted one is; the rename still means that a
    # process killed mid-run, or a reader meanwhile, never sees a partial file.
    for rel in sorted(changed, key=lambda r: r == manifest_rel):
        path = out_dir / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        atomic_write(path, expected[rel], new_mode=new_mode, durable=False)
    for rel in gone:
        (out_dir / rel).unlink(missing_ok=True)
