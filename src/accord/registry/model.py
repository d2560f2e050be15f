"""The contract registry on disk, loaded into immutable objects.

Layout (docs/design.md)::

    <root>/accord.toml                              registry settings (optional)
    <root>/accord.lock                              published versions (optional)
    <root>/<namespace>/<name>/contract.toml         contract metadata
    <root>/<namespace>/<name>/<X.Y.Z>.schema.json   one file per version
    <root>/consumers/ verifications/ environments/  reserved: never namespaces

:meth:`Registry.load` collects *every* problem (like packaging's ``_ErrorCollector``)
before raising one :class:`~accord.errors.RegistryError`; warnings stay on
:attr:`Registry.problems`. It reads every version a service may validate with at once
(latest releases, drafts, what they refer to) and lists older published versions, each
read and checked on first use (:class:`_Deferred`); ``check_all=True`` reads everything.

``$ref`` resolves only inside the registry: the same document (``#/$defs/x``), another
contract version (``accord://common.money@1.0.0``, exact versions only) or a relative
file path resolved against the referring *file's* location (``$id`` never changes
where a file is looked up) that stays under the root. Anything else is refused and
never fetched: the ``referencing`` registry used for lookups only serves registry
documents. :meth:`Registry.bundle` turns a version into one self-contained 2020-12
document, which is what the compatibility engine, the validators and codegen use.

Example:
    >>> registry = Registry.load("contracts")  # doctest: +SKIP
    >>> registry.get("orders.order-placed@^1").version  # doctest: +SKIP
    Version.parse('1.1.0')
"""

from __future__ import annotations

import _thread
import dataclasses
import functools
import gc
import math
import operator
import os
import posixpath
import re
import sys
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, unquote

from accord._dataclass_methods import (
    FACTORY,
    frozen_dataclass,
    generated_eq_and_hash,
    generated_methods,
    generated_repr,
)
from accord.core import jsondoc as _jsondoc
from accord.core import pointer as _pointer
from accord.core.frozen import FrozenDict, FrozenList, freeze, thaw
from accord.errors import (
    AccordError,
    ContractNotFound,
    DocumentError,
    InvalidReference,
    LockError,
    Problem,
    RefError,
    RegistryError,
    SchemaError,
    UsageError,
    VersionNotFound,
)
from accord.registry.config import (
    ContractMeta,
    RegistrySettings,
    contract_meta_problems,
    load_registry_settings,
)
from accord.registry.names import ContractRef, find_collisions, validate_name
from accord.validation.budget import (
    expanded_size,
    freeze_within_limits,
    refs_and_growth_within_limits,
    refs_within_limits,
)
from accord.validation.patterns import may_backtrack
from accord.versions import Version

if TYPE_CHECKING:
    from accord.validation.dialect import Dialect


def check_schema(document: Any, **options: Any) -> list[Problem]:
    """:func:`accord.validation.dialect.check_schema`, imported on first use: a start
    that restores the load snapshot checks no document and imports no dialect."""
    from accord.validation.dialect import check_schema as check

    return check(document, **options)


__all__ = [
    "Contract",
    "ContractVersion",
    "Registry",
    "lock_text",
    "read_lock",
    "write_lock",
]

RESERVED_DIRS = frozenset({"consumers", "verifications", "environments"})
VERSION_SUFFIX = ".schema.json"
LOCK_FILE = "accord.lock"
LOCK_GUARD = "accord.lock.lck"
# Where a registry is looked for, said whenever none is found there (a new user's first
# `accord publish` outside the directory holding ./contracts).
REGISTRY_NOT_FOUND = (
    "registry directory does not exist (start one with `accord init`, pass its path"
    " (--registry DIR), or set [tool.accord] registry in pyproject.toml)"
)
SETTINGS_FILE = "accord.toml"
CONTRACT_FILE = "contract.toml"
# Files a contract directory may hold besides its version files (lint: file-unexpected).
CONTRACT_EXTRA_FILES = frozenset({CONTRACT_FILE, "model.py", "README.md"})
EXAMPLES_DIR = "examples"
ROOT_FILES = frozenset({SETTINGS_FILE, LOCK_FILE, LOCK_GUARD, "README.md"})
NAMESPACE_FILES = frozenset({"README.md"})
BUNDLE_KEY_PREFIX = "accord~"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


# A contract id is made of ASCII a-z, 0-9, '-' and one '.': anything else in that place
# (a byte order mark an editor wrote, an invisible character) makes the line malformed,
# never the lock line of a contract that does not exist (its real version was then a
# draft to `fmt`, which rewrote the published file). MULTILINE, to search a whole lock
# file; on one line (no "\n" in it) ^ and $ match where they would without it.
# Compiled on first use (a start that reads the load snapshot reads no lock file).
@functools.cache
def _lock_lines() -> re.Pattern[str]:
    return re.compile(
        r"^(?P<id>[a-z0-9.-]+) (?P<version>\S+) (?P<digest>sha256:[0-9a-f]{64})$", re.MULTILINE
    )


# RFC 3986 fragment characters that need no percent-encoding.
_FRAGMENT_SAFE = "/:@!$&'()*+,;=-._~?"

LockEntries = Mapping[tuple[str, Version], str]


def digest_of(raw: bytes) -> str:
    """``sha256:<hex>`` of a version file's raw bytes (the ``accord.lock`` digest)."""
    hexdigest: str = _sha256()(raw).hexdigest()
    return "sha256:" + hexdigest


def _sha256() -> Callable[[bytes], Any]:
    """OpenSSL's SHA-256 once something has loaded it (``hashlib``), else CPython's own
    (the same digests, about 4x slower): a service that only loads a registry does not
    map OpenSSL (about 4 MiB resident) for its lock digests."""
    loaded = sys.modules.get("hashlib")
    if loaded is not None:
        return loaded.sha256  # type: ignore[no-any-return]
    return _builtin_sha256()


@lru_cache(maxsize=1)
def _builtin_sha256() -> Callable[[bytes], Any]:
    # Looked up once: a failed import is not cached by Python, and searches sys.path.
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # Python >= 3.12
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.11
        except ImportError:  # a build without them
            from hashlib import sha256
    return sha256  # type: ignore[no-any-return]


# -- value objects ---------------------------------------------------------------------


class _Unparsed:
    """A version file's bytes, checked when the registry loaded, parsed on first use.

    :meth:`Registry.load` with ``check_all`` checks every version in full (parse,
    limits, ``$ref``, lock digest) and then keeps only the bytes of the versions whose
    checks need no other document (:func:`_self_contained`), so that a registry of
    thousands of versions does not hold thousands of parsed documents. The parse on
    first use reads the same bytes with the same settings, so it gives what the load
    checked.

    ``own``: for a contract's latest release whose bytes also prove its document is its
    own bundle, its ``$ref`` values and whether it may recurse (:func:`_own_bundle_refs`):
    a validator then compiles those bytes and the document is built only if something
    reads it (:func:`own_text`).
    """

    __slots__ = ("backtracks", "file", "limits", "max_bytes", "max_depth", "own")

    def __init__(
        self,
        file: str,
        settings: RegistrySettings,
        own: tuple[tuple[str, ...], bool] | None = None,
    ) -> None:
        self.file = file
        self.max_bytes = settings.max_file_bytes
        self.max_depth = settings.max_depth
        self.limits = settings.limits
        self.own = own
        # may_backtrack of the bytes, once known (a load snapshot keeps it): a pure
        # function of the bytes, four regex scans of the whole text otherwise.
        self.backtracks: bool | None = None

    def parse(self, raw: bytes) -> tuple[Any, list[str], bool]:
        """The frozen document, its ``$ref`` values and whether it is canonical
        (:func:`freeze_within_limits`)."""
        document = _jsondoc.loads_fast(
            raw, file=self.file, max_bytes=self.max_bytes, max_depth=self.max_depth
        )
        return freeze_within_limits(document, self.limits, file=self.file)


# _thread's locks, not threading's: the same types (threading.Lock is _thread.allocate_lock,
# threading.RLock() returns a _thread.RLock) without importing threading at boot.
_parse_lock_guard = _thread.allocate_lock()


class _Deferral:
    """What a :meth:`Registry.load` that left versions unread (:class:`_Deferred`) hands
    their first use: the settings they are checked under and the index their ``$ref``
    values resolve in (every version the load listed). One per load.

    The index lists the versions and each of them reaches this object, so a strong
    link to the index makes the whole registry one reference cycle: only the cyclic
    collector could free it, and at interpreter exit that is one more full pass over
    every document and validator (a quarter of a second at 5,000 contracts). So while
    the registry that owns the index lives (:meth:`lend`) the link is weak, and a
    registry that dies hands it over strongly (:meth:`hold`): a version taken from it
    is read and checked on first use as before, however long it outlives the
    registry. Only a registry freed while the interpreter exits hands nothing over:
    nothing is read after that but by other objects' finalisers, and a first use from
    one is refused (:func:`_settle`), never checked against an index that is gone.
    """

    __slots__ = ("_held", "_lent", "root", "settings")

    def __init__(self, root: str, settings: RegistrySettings) -> None:
        self.root = root
        self.settings = settings
        self._held: _Index | None = None  # set once every version is listed
        self._lent: weakref.ReferenceType[_Index] | None = None

    @property
    def index(self) -> _Index | None:
        """The index, or ``None`` once a registry freed at exit took it along."""
        if self._held is None and self._lent is not None:
            return self._lent()
        return self._held

    def hold(self, index: _Index) -> None:
        """Hold ``index`` from now on (while the load runs, or from a registry that
        dies)."""
        self._held = index

    def lend(self, index: _Index) -> None:
        """The registry's memo holds ``index`` from now on: keep only a weak link."""
        self._lent = weakref.ref(index)
        self._held = None


class _Deferred:
    """What the ``raw`` and ``document`` slots of a version hold when
    :meth:`Registry.load` listed it but did not read it: a published version (it has a
    line in a sound ``accord.lock``) that is not its contract's latest release, and that
    no version read at load refers to. Its first use reads and checks it as the load
    would have (:func:`_settle`); until then it costs this object.

    ``checking``: its bytes and document while its own check resolves a ``$ref`` back
    into it; ``problems``: what its check found, once it found an error (raised again on
    every use: a refused version never becomes usable).
    """

    __slots__ = ("checking", "context", "line", "problems")

    def __init__(self, context: _Deferral, line: _LockLine) -> None:
        self.context = context
        self.line = line
        self.checking: tuple[bytes, Any] | None = None
        self.problems: list[Problem] | None = None


# First uses check under one re-entrant lock: a check that resolves a $ref into another
# unread version checks that one too, in the same thread; concurrent first uses of one
# version read it once.
_first_use_guard = _thread.RLock()


class _SlotField:
    """A field of :class:`ContractVersion` over its slot, stored in one form and read in
    another: ``read`` turns what the slot holds into the field's value, ``store`` the
    value given into what the slot keeps."""

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, version: ContractVersion | None, owner: Any = None) -> Any:
        if version is None:
            return self
        return self.read(version, self.slot.__get__(version, owner))

    def __set__(self, version: ContractVersion, value: Any) -> None:
        self.slot.__set__(version, self.store(value))

    def read(self, version: ContractVersion, value: Any) -> Any:
        return value

    def store(self, value: Any) -> Any:
        return value


class _Document(_SlotField):
    """The ``document`` field: the frozen document, parsed on first read when the
    version holds only its checked bytes (:class:`_Unparsed`)."""

    def read(self, version: ContractVersion, value: Any) -> Any:
        if type(value) is _Deferred:
            return _first_use(version, value)[1]
        if type(value) is _Unparsed:
            with _parse_lock_guard:  # one parse: what is memoised on its identity holds
                value = self.slot.__get__(version, ContractVersion)
                if type(value) is _Unparsed:
                    value, refs, canonical = value.parse(version.raw)
                    if canonical:  # as the loader marks a version it keeps parsed
                        object.__setattr__(version, "_canonical_refs", tuple(refs))
                    self.slot.__set__(version, value)
        return value

    def store(self, value: Any) -> Any:
        # A version built outside Registry.load (publish, with_contract) is frozen too:
        # freezing a frozen document returns it as it is.
        return value if type(value) in (_Unparsed, _Deferred) else freeze(value)


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ContractVersion:
    """One version file of a contract.

    Attributes:
        contract_id: ``namespace.name``.
        version: The version its file name states.
        path: Absolute path of the file.
        file: Path relative to the registry root, ``/``-separated.
        raw: The file's bytes (what the lock digest covers).
        document: The parsed JSON, as written, frozen (:mod:`accord.core.frozen`): every
            mutating method raises ``TypeError``; ``copy.deepcopy`` gives an editable copy.
            :meth:`Registry.load` may keep only the checked bytes of an old version; its
            document is then parsed on first read (once, from :attr:`raw`). An old
            published version it only listed is read and checked on the first read of
            :attr:`raw`, :attr:`document` or :attr:`digest` (``RegistryError`` if refused).
        yanked: The yank reason from ``contract.toml``, or ``None``.
        draft: The file has no ``accord.lock`` line while the registry has one (never
            published, or a publish was interrupted): only an exact pin selects it.
    """

    contract_id: str
    version: Version
    path: Path
    file: str
    raw: bytes = field(repr=False)
    document: Any = field(repr=False, compare=False, hash=False)
    yanked: str | None = None
    draft: bool = False
    # Computed once: loading asks for each several times per version (lock checks, $ref
    # resolution, bundling), and the fields they derive from never change.
    _digest: str | None = field(default=None, init=False, repr=False, compare=False)
    _ref: str | None = field(default=None, init=False, repr=False, compare=False)
    # Set by the loader when the document's keys are sorted everywhere, it has no $id
    # and only plain values: its $ref values (all _own_bundle still has to check).
    _canonical_refs: tuple[str, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__ = generated_repr("contract_id", "version", "path", "file", "yanked", "draft")

    # __init__ as @dataclass generates it, written out (not compiled at import): path,
    # raw and document are set through their descriptors below, as there.
    def __init__(  # noqa: PLR0917 - the generated __init__'s positional parameters
        self,
        contract_id: str,
        version: Version,
        path: Path,
        file: str,
        raw: bytes,
        document: Any,
        yanked: str | None = None,
        draft: bool = False,
    ) -> None:
        object.__setattr__(self, "contract_id", contract_id)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "raw", raw)
        object.__setattr__(self, "document", document)
        object.__setattr__(self, "yanked", yanked)
        object.__setattr__(self, "draft", draft)
        object.__setattr__(self, "_digest", None)
        object.__setattr__(self, "_ref", None)
        object.__setattr__(self, "_canonical_refs", None)

    # Written out as @dataclass generates it: called often, and twice as fast as
    # generated_eq_and_hash's (attribute loads here, attrgetter calls there).
    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (
                self.contract_id,
                self.version,
                self.path,
                self.file,
                self.raw,
                self.yanked,
                self.draft,
            ) == (
                other.contract_id,
                other.version,
                other.path,
                other.file,
                other.raw,
                other.yanked,
                other.draft,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(
            (
                self.contract_id,
                self.version,
                self.path,
                self.file,
                self.raw,
                self.yanked,
                self.draft,
            )
        )

    @property
    def digest(self) -> str:
        """``sha256:<hex>`` of :attr:`raw`."""
        found = self._digest
        if found is None:
            found = digest_of(self.raw)
            object.__setattr__(self, "_digest", found)
        return found

    @property
    def ref(self) -> str:
        """``namespace.name@X.Y.Z``."""
        found = self._ref
        if found is None:
            found = f"{self.contract_id}@{self.version}"
            object.__setattr__(self, "_ref", found)
        return found

    @property
    def uri(self) -> str:
        """``accord://namespace.name@X.Y.Z``: how a ``$ref`` or ``dataschema`` names it."""
        return f"accord://{self.ref}"


# The document slot, read and written through _Document (parsed on first read).
_DOCUMENT_SLOT = ContractVersion.__dict__["document"]
setattr(ContractVersion, "document", _Document(_DOCUMENT_SLOT))  # noqa: B010


class _Written:
    """What the ``raw`` slot holds instead of bytes that are exactly the version's
    parsed document written back (:func:`_write_back`): the bytes are written again on
    each read, so a registry does not hold every kept document twice (parsed and as
    bytes)."""

    __slots__ = ("newline",)

    def __init__(self, newline: bool) -> None:
        self.newline = newline


# The two markers every version written back shares (one object per version would be
# thousands more for the cyclic collector to walk).
_WRITTEN = (_Written(newline=False), _Written(newline=True))


def _write_back(document: Any, newline: bool) -> bytes:
    """``document`` as JSON text indented by 2 (msgspec's, keys in their order)."""
    import msgspec

    text: bytes = msgspec.json.format(msgspec.json.encode(document), indent=2)
    return text + b"\n" if newline else text


class _Reread:
    """What the ``raw`` slot holds instead of the bytes of a version the gate read,
    hashed and left unparsed (``check --against``: the base commit holds it byte for
    byte, see :func:`_load_contract`'s ``unparsed``): most are never read again in the
    run, and holding them all is most of the run's memory (45 MB at 5,000 contracts,
    paid in page faults). A read reads the file again and hands out its bytes only when
    their SHA-256 is the digest the load computed (and the lock check used): the bytes
    the load checked, or a refusal. One per load (``max_bytes``: the registry's cap)."""

    __slots__ = ("max_bytes",)

    def __init__(self, max_bytes: int | None) -> None:
        self.max_bytes = max_bytes


@lru_cache(maxsize=16)
def _reread_marker(max_bytes: int | None) -> _Reread:
    """The :class:`_Reread` of a registry with this cap (all its versions share it)."""
    return _Reread(max_bytes)


def _reread(version: ContractVersion, marker: _Reread) -> bytes:
    """The bytes of ``version`` read again (:class:`_Reread`), kept from then on.

    Raises:
        DocumentError: ``file-unreadable``: the file is not the bytes the load
            read (edited, replaced or deleted while the gate ran); or what
            :func:`~accord.core.jsondoc.read_regular` refuses.
    """
    raw = _jsondoc.read_regular(
        _PATH_SLOT.__get__(version, ContractVersion),
        display=version.file,
        max_bytes=marker.max_bytes,
        error=DocumentError,
    )
    if digest_of(raw) != version.digest:
        raise DocumentError(
            "the file changed on disk while accord was checking it (its bytes are no "
            "longer those it read and hashed a moment ago): run the check again",
            code="file-unreadable",
            file=version.file,
        )
    _RAW_SLOT.__set__(version, raw)  # the same bytes: no need to read them again
    return raw


class _Raw(_SlotField):
    """The ``raw`` field: the bytes, or written back from the document when the loader
    proved that gives them exactly, or read again (:class:`_Reread`)."""

    def read(self, version: ContractVersion, value: Any) -> Any:
        if type(value) is _Written:
            return _write_back(_stored_document(version), value.newline)
        if type(value) is _Deferred:
            return _first_use(version, value)[0]
        if type(value) is _Reread:
            return _reread(version, value)
        return value


_RAW_SLOT = ContractVersion.__dict__["raw"]
setattr(ContractVersion, "raw", _Raw(_RAW_SLOT))  # noqa: B010


class _PathText(_SlotField):
    """The ``path`` field: kept as text, a ``Path`` on each read (a registry of
    thousands of versions holds no ``Path`` objects: they are about 300 bytes each, and
    few callers ever ask for one)."""

    def read(self, version: ContractVersion, value: Any) -> Any:
        return Path(value)

    def store(self, value: Any) -> Any:
        return os.fspath(value)


_PATH_SLOT = ContractVersion.__dict__["path"]
setattr(ContractVersion, "path", _PathText(_PATH_SLOT))  # noqa: B010

# Each field's own slot setter, by name (_loaded_version): three fields are read and
# written through a descriptor of their own, over their slot.
_SLOT_SETTER = {
    name: {"path": _PATH_SLOT, "raw": _RAW_SLOT, "document": _DOCUMENT_SLOT}.get(
        name, ContractVersion.__dict__[name]
    ).__set__
    for name in ContractVersion.__slots__
}
_SET_CONTRACT_ID = _SLOT_SETTER["contract_id"]
_SET_VERSION = _SLOT_SETTER["version"]
_SET_PATH = _SLOT_SETTER["path"]
_SET_FILE = _SLOT_SETTER["file"]
_SET_RAW = _SLOT_SETTER["raw"]
_SET_DOCUMENT = _SLOT_SETTER["document"]
_SET_YANKED = _SLOT_SETTER["yanked"]
_SET_DRAFT = _SLOT_SETTER["draft"]
_SET_DIGEST = _SLOT_SETTER["_digest"]
_SET_REF = _SLOT_SETTER["_ref"]
_SET_CANONICAL_REFS = _SLOT_SETTER["_canonical_refs"]


def _loaded_version(
    contract_id: str,
    version: Version,
    path: str,
    file: str,
    raw: Any,
    *,
    document: Any,
    yanked: str | None,
    digest: str | None,
    ref: str | None = None,
    canonical_refs: tuple[str, ...] | None = None,
) -> ContractVersion:
    """``ContractVersion(contract_id=..., ..., yanked=...)`` with ``digest`` (and ``ref``,
    what :attr:`~ContractVersion.ref` computes: ``contract_id@version``) kept, as the
    loader builds one per version file: the generated ``__init__`` goes through three
    field descriptors in Python and eleven attribute sets (~2 us a version, 30 ms at
    15,000); this sets each slot once, to what those descriptors would store. One call
    a slot, written out: a loop over the setters costs twice as much (a tuple of values
    and a zip per version), and every slot is set, so none is left unbound
    (tests/registry/test_loaded_version.py compares each with what ``__init__`` sets)."""
    loaded: ContractVersion = object.__new__(ContractVersion)
    _SET_CONTRACT_ID(loaded, contract_id)
    _SET_VERSION(loaded, version)
    _SET_PATH(loaded, os.fspath(path))
    _SET_FILE(loaded, file)
    _SET_RAW(loaded, raw)
    _SET_DOCUMENT(
        loaded, document if type(document) in (_Unparsed, _Deferred) else freeze(document)
    )
    _SET_YANKED(loaded, yanked)
    _SET_DRAFT(loaded, False)
    _SET_DIGEST(loaded, digest)
    _SET_REF(loaded, ref)
    _SET_CANONICAL_REFS(loaded, canonical_refs)
    return loaded


def _drop_written_bytes(version: ContractVersion) -> None:
    """Keep no bytes for a version whose parsed document, written back, gives exactly
    its bytes (what registry tooling writes: JSON indented by 2): :attr:`raw` then
    writes them again on each read (a few microseconds), identical by construction."""
    document = _stored_document(version)
    raw = _RAW_SLOT.__get__(version, ContractVersion)
    if type(document) is _Unparsed or type(raw) is not bytes:
        return
    try:
        written = _write_back(document, newline=False)
    except (TypeError, ValueError, OverflowError):  # nothing msgspec can write: kept
        return
    if raw == written:
        _RAW_SLOT.__set__(version, _WRITTEN[0])
    elif raw[:-1] == written and raw[-1:] == b"\n":
        _RAW_SLOT.__set__(version, _WRITTEN[1])


def _stored_document(version: ContractVersion) -> Any:
    """What the version holds: its frozen document, or :class:`_Unparsed`."""
    return _DOCUMENT_SLOT.__get__(version, ContractVersion)


def _keep_bytes(version: ContractVersion, settings: RegistrySettings) -> None:
    """Drop the version's parsed document: it is parsed again on first read."""
    _RAW_SLOT.__set__(version, version.raw)  # bytes written back need the document
    _DOCUMENT_SLOT.__set__(version, _Unparsed(version.file, settings))


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Contract:
    """A contract: its metadata and every version on disk, ascending.

    Attributes:
        id: ``namespace.name``.
        namespace: The owning domain.
        name: The contract name.
        meta: The parsed ``contract.toml``.
        versions: Every version file, sorted ascending by SemVer precedence.
        directory: Absolute path of the contract directory.
    """

    id: str
    namespace: str
    name: str
    meta: ContractMeta
    versions: tuple[ContractVersion, ...]
    directory: Path

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods(
        "id", "namespace", "name", "meta", "versions", "directory"
    )

    def __init__(  # noqa: PLR0917 - the generated __init__'s positional parameters
        self,
        id: str,
        namespace: str,
        name: str,
        meta: ContractMeta,
        versions: tuple[ContractVersion, ...],
        directory: Path,
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "meta", meta)
        object.__setattr__(self, "versions", versions)
        object.__setattr__(self, "directory", directory)

    @property
    def yanked(self) -> frozenset[Version]:
        """The yanked versions (they stay on disk; ranges skip them)."""
        return frozenset(self.meta.yanked)

    @property
    def drafts(self) -> frozenset[Version]:
        """Version files without an ``accord.lock`` line (ranges and latest skip them)."""
        return frozenset(v.version for v in self.versions if v.draft)

    def version(self, version: Version | str) -> ContractVersion:
        """The version file for exactly ``version``.

        Raises:
            VersionNotFound: no such version file.
        """
        wanted = Version.parse(version) if isinstance(version, str) else version
        for candidate in self.versions:
            if candidate.version == wanted:
                return candidate
        raise VersionNotFound(
            f"{self.id} has no version {wanted}; available: {self._available()}",
            ref=f"{self.id}@{wanted}",
        )

    def latest(self, *, include_prereleases: bool = False) -> ContractVersion | None:
        """The highest non-yanked, published version (releases only unless asked)."""
        for candidate in reversed(self.versions):
            if candidate.yanked is not None or candidate.draft:
                continue
            if candidate.version.is_prerelease and not include_prereleases:
                continue
            return candidate
        return None

    def _available(self) -> str:
        shown = [
            f"{v.version} (yanked)"
            if v.yanked is not None
            else f"{v.version} (draft: not in accord.lock)"
            if v.draft
            else str(v.version)
            for v in self.versions
        ]
        return ", ".join(shown) or "none"


def _frozen_contracts() -> Mapping[str, Contract]:
    return MappingProxyType({})


def _frozen_lock() -> LockEntries:
    return MappingProxyType({})


@frozen_dataclass(frozen=True, init=False, eq=False, repr=False)
class Registry:
    """An immutable, loaded registry.

    Nothing mutates a ``Registry``: ``with_*()`` methods return a new one. Bundles are
    memoised per instance (memoisation, not observable state). Every document it hands
    out (:attr:`ContractVersion.document`, :meth:`bundle`) is frozen
    (:mod:`accord.core.frozen`): editing one raises ``TypeError``.

    Attributes:
        root: Absolute path of the registry root.
        settings: ``accord.toml`` (defaults when absent).
        contracts: Contract id -> :class:`Contract`, read-only, sorted by id.
        lock: ``(contract id, version)`` -> digest from ``accord.lock`` (empty when absent).
        problems: Warnings found while loading (errors make :meth:`load` raise).
    """

    root: Path
    settings: RegistrySettings = field(default_factory=RegistrySettings)
    contracts: Mapping[str, Contract] = field(default_factory=_frozen_contracts)
    lock: LockEntries = field(default_factory=_frozen_lock)
    problems: tuple[Problem, ...] = ()
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__ = generated_repr("root", "settings", "contracts", "lock", "problems")

    def __init__(
        self,
        root: Path,
        settings: RegistrySettings = FACTORY,
        contracts: Mapping[str, Contract] = FACTORY,
        lock: LockEntries = FACTORY,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        object.__setattr__(self, "root", root)
        object.__setattr__(
            self, "settings", RegistrySettings() if settings is FACTORY else settings
        )
        object.__setattr__(
            self, "contracts", _frozen_contracts() if contracts is FACTORY else contracts
        )
        object.__setattr__(self, "lock", _frozen_lock() if lock is FACTORY else lock)
        object.__setattr__(self, "problems", problems)
        object.__setattr__(self, "_memo", {})

    def __del__(self, _exiting: Callable[[], bool] = sys.is_finalizing) -> None:
        # Versions it left unread may outlive it: they get the index it owned
        # (_Deferral), unless the interpreter is exiting (bound as a default: module
        # globals may already be cleared by then).
        # The index comes from its own memo, not the weak link: a collection that frees
        # this registry clears weak references into it before any finaliser runs.
        memo = getattr(self, "_memo", {})
        deferral = memo.pop("deferral", None)
        if deferral is not None and not _exiting():
            deferral.hold(memo["index"])

    # -- construction ------------------------------------------------------------------

    @classmethod
    def load(cls, root: str | Path, *, check_all: bool = False) -> Registry:
        """Load the registry at ``root``, collecting every problem.

        Every contract's latest release, every version without an ``accord.lock``
        line, and every version one of those refers to (``$ref``, transitively) is
        read and checked now. Other versions, published and older, are only listed
        (their file names must be versions): the first use of one (its :attr:`~ContractVersion.raw`,
        :attr:`~ContractVersion.document`, bundle or validator) reads it and checks
        it exactly as a load that reads it would, then raises the same
        :class:`RegistryError` if it is refused, on that use and every later one.
        ``check_all=True`` reads and checks every version now (what commands that
        vouch for the whole registry use: publish, codegen, package); so does
        :meth:`verify_all` after a load.

        Raises:
            RegistryError: any problem of severity ``error`` in what is checked now;
                ``problems`` lists all, exactly as a load that reads every version
                lists them.
        """
        if not isinstance(root, str | os.PathLike):
            raise UsageError(f"a registry root is a path, not {type(root).__name__}")
        # An unchanged registry, loaded before on this machine, is taken from the load's
        # signed snapshot (accord.registry.snapshot) when nothing it read has changed.
        from accord.registry import snapshot

        if not check_all:
            with _no_collection():
                restored = _restore_snapshot(Path(root))
            if restored is not None:
                return restored
        since = snapshot.started()
        with _no_collection():
            registry, problems = _build(
                Path(root), lint=False, trust_lock=True, lazy=True, defer=not check_all
            )
            if not check_all and any(p.severity == "error" for p in problems):
                # Refused: refused exactly as by a load that reads every version.
                registry, problems = _build(Path(root), lint=False, trust_lock=True, lazy=True)
        if any(p.severity == "error" for p in problems):
            raise RegistryError(problems, root=str(root))
        if not check_all:
            _save_snapshot(registry, since)
        return registry

    def verify_all(self) -> None:
        """Read and check every version :meth:`load` left unread, now.

        Raises:
            RegistryError: every problem found in those versions (what a load that
                reads every version would have refused them for).
        """
        problems: list[Problem] = []
        for version in self.versions():
            if _deferred(version) is not None:
                try:
                    version.raw  # noqa: B018 - its first use reads and checks it
                except RegistryError as exc:
                    problems.extend(exc.problems)
        if any(p.severity == "error" for p in problems):
            raise RegistryError(_dedupe(problems), root=str(self.root))

    def schema_problems(self, version: ContractVersion) -> list[Problem]:
        """Every problem of ``version``'s schema, as a load that trusts no lock line
        reports it (:func:`check_schema`, then the registry's ``[lint.rules]``): a load
        skips it for the bytes the lock names, which passed the gate when they landed.
        ``accord codegen`` runs it on each version it generates."""
        problems = check_schema(
            version.document, file=version.file, pointer="", require_object_root=True
        )
        return _apply_overrides(problems, self.settings)

    @classmethod
    def discover(cls, path: str | os.PathLike[str] | None = None) -> Registry:
        """Load the registry at ``path``, else the one discovery finds: ``ACCORD_REGISTRY``,
        ``[tool.accord] registry`` in the nearest ``pyproject.toml``, an installed registry
        package (entry point group ``accord.registries``), else ``./contracts``.
        ``path`` may be ``"pkg:NAME"`` to name an installed registry package.
        """
        from accord.registry.discovery import resolve_registry

        root, _source = resolve_registry(registry_or_root_argument(path, argument="path"))
        return cls.load(root)

    def with_contract(self, contract: Contract) -> Registry:
        """A new registry with ``contract`` added or replaced."""
        contracts = dict(self.contracts)
        contracts[contract.id] = contract
        return dataclasses.replace(self, contracts=_sorted_proxy(contracts))

    def without_contract(self, contract_id: str) -> Registry:
        """A new registry without ``contract_id`` (no error if absent)."""
        contracts = {k: v for k, v in self.contracts.items() if k != contract_id}
        return dataclasses.replace(self, contracts=_sorted_proxy(contracts))

    def with_settings(self, settings: RegistrySettings) -> Registry:
        """A new registry with other settings."""
        return dataclasses.replace(self, settings=settings)

    def with_lock(self, lock: LockEntries) -> Registry:
        """A new registry with other lock entries (what ``publish`` is about to write)."""
        return dataclasses.replace(self, lock=MappingProxyType(dict(sorted(lock.items()))))

    # -- lookup ------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Contract]:
        return iter(self.contracts.values())

    def __len__(self) -> int:
        return len(self.contracts)

    def __contains__(self, contract_id: object) -> bool:
        return contract_id in self.contracts

    def versions(self) -> Iterator[ContractVersion]:
        """Every version of every contract, by contract id then version."""
        for contract in self.contracts.values():
            yield from contract.versions

    def contract(self, contract_id: str) -> Contract:
        """The contract ``namespace.name``.

        Raises:
            ContractNotFound: with close matches in the message.
        """
        found = self.contracts.get(contract_id)
        if found is None:
            import difflib  # the hint only: off the boot path

            close = difflib.get_close_matches(contract_id, list(self.contracts), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ContractNotFound(
                f"no contract {contract_id!r} in registry {self.root}{hint}", ref=contract_id
            )
        return found

    def get(self, ref: str | ContractRef) -> ContractVersion:
        """The version a reference selects.

        ``ns.name@1.1.0`` is that exact version (even when yanked: pins keep working;
        even a draft, a file without an ``accord.lock`` line); ``ns.name@^1`` (any
        range) is the highest non-yanked, non-draft match, pre-releases only when the
        range names one; ``ns.name`` alone is the latest non-yanked, non-draft release.
        An ``accord://`` prefix is accepted.

        Raises:
            InvalidReference: the reference does not parse.
            ContractNotFound: no such contract.
            VersionNotFound: no version matches; the message lists the available ones.
        """
        if isinstance(ref, str):
            # An exact pin spelled as the version spells itself (what services pass at
            # boot) is one lookup; anything else is parsed.
            exact = self._index().by_uri.get(
                ref if ref.startswith("accord://") else f"accord://{ref}"
            )
            if exact is not None:
                return exact
            ref = ContractRef.parse(ref.removeprefix("accord://"))
        elif not isinstance(ref, ContractRef):
            ref = ContractRef.parse(ref)  # InvalidReference: not text
        text = ref.text or str(ref)
        try:
            contract = self.contract(ref.id)
        except ContractNotFound as exc:
            raise ContractNotFound(exc.message, ref=text) from None
        if ref.version is not None:
            try:
                return contract.version(ref.version)
            except VersionNotFound as exc:
                raise VersionNotFound(exc.message, ref=text) from None
        if ref.range is not None:
            chosen = ref.range.select(
                [v.version for v in contract.versions if not v.draft], yanked=contract.yanked
            )
            if chosen is None:
                raise VersionNotFound(
                    f"no published, non-yanked version of {contract.id} matches {ref.range}; "
                    f"available: {contract._available()}",
                    ref=text,
                )
            return contract.version(chosen)
        latest = contract.latest()
        if latest is None:
            raise VersionNotFound(
                f"{contract.id} has no published, non-yanked release; "
                f"available: {contract._available()}",
                ref=text,
            )
        return latest

    def published(self, version: ContractVersion) -> bool:
        """Whether ``version`` has a line in ``accord.lock``."""
        return (version.contract_id, version.version) in self.lock

    def version_at(self, file: str) -> ContractVersion | None:
        """The version whose file is ``file`` (relative to the root, ``/``-separated)."""
        return self._index().by_file.get(file)

    # -- $ref resolution and bundling --------------------------------------------------

    def resolve_ref(self, source: ContractVersion, ref: str) -> tuple[ContractVersion, str]:
        """Resolve one ``$ref`` written in ``source``: the target version and the JSON
        pointer (in the target's document as written) it designates.

        Raises:
            RefError: ``ref-remote``, ``ref-escapes-root``, ``ref-range-not-allowed`` or
                ``ref-unresolvable`` (file and pointer are those of ``source``).
        """
        return _resolve(self._index(), source, ref, "")

    def references(self, version: ContractVersion) -> tuple[ContractVersion, ...]:
        """Every other version a ``$ref`` walk from ``version`` reaches (what its bundle
        embeds), in registry order; a ``$ref`` that does not resolve is left out
        (:meth:`bundle` raises on it)."""
        return tuple(v for v in _reach(self._index(), version) if v.file != version.file)

    def bundle(self, ref: str | ContractRef | ContractVersion) -> dict[str, Any]:
        """One self-contained JSON Schema 2020-12 document for a version.

        Every document involved is normalised (draft-07 -> 2020-12); each externally
        referenced version is embedded under ``$defs`` as ``accord~<id>@<version>`` and
        every ``$ref`` is rewritten to a local pointer. Output is deterministic. The
        bundle is built once per registry and frozen (:mod:`accord.core.frozen`): every
        call returns the same read-only document (mutating it raises ``TypeError``;
        ``copy.deepcopy`` gives an editable copy), so what is memoised on its identity
        (compiled validators, canonical text) stays true of it. A version whose
        documents assert in their declared dialect what 2020-12 cannot say (draft-06/07
        content keywords) gets a :class:`~accord.validation.dialect.Declared` bundle,
        which also carries the documents as written, bundled the same way: validators
        decide in that dialect.

        Raises:
            RefError: a ``$ref`` cannot be resolved inside the registry.
            SchemaError: ``schema-too-complex``: the bundle, with every ``$ref``
                followed, is over ``max-nodes`` (documents that fan out into each other).
        """
        version = ref if isinstance(ref, ContractVersion) else self.get(ref)
        key = ("bundle", version.contract_id, version.version)
        cached = self._memo.get(key)
        if cached is None and _own_bundle(self._index(), version):
            cached = self._memo.setdefault(key, version.document)
        if cached is None:
            bundler = _Bundler(self._index(), version)
            cached = bundler.run()
            cap = self.settings.limits.max_nodes
            # A 2020-12 document that embeds nothing is its own bundle, whose size
            # check_limits already bounded at load: only what bundling adds is counted.
            grown = bool(bundler.embedded) or _dialect_of(version.document) != "2020-12"
            if grown and expanded_size(cached, cap=cap) > cap:
                raise SchemaError(
                    f"{version.ref} with the contracts it references has more than {cap} "
                    "objects and arrays with every $ref followed (max-nodes in accord.toml)",
                    code="schema-too-complex",
                    file=version.file,
                    pointer="",
                )
            cached = self._memo.setdefault(key, _declared_if_needed(bundler, freeze(cached)))
        assert isinstance(cached, dict)
        return cached

    def _index(self) -> _Index:
        index = self._memo.get("index")
        if index is None:
            index = _Index(self.versions())
            self._memo["index"] = index
        assert isinstance(index, _Index)
        return index


# -- the registry argument of public functions -----------------------------------------
#
# A public function taking a registry calls one of these first, before it reads any
# other argument: a path where a loaded Registry is needed (or an object where a path
# would do) is then a UsageError naming the argument, what it got and what to pass, not
# an AttributeError from deep inside. tests/hostile/test_registry_argument.py finds every
# public function with a ``registry`` parameter and holds it to this.

_LOADED = "a Registry (load one with Registry.load(path))"


def registry_argument(value: object, *, argument: str = "registry") -> Registry:
    """``value``, which must be a loaded :class:`Registry`.

    Raises:
        UsageError: ``registry-argument`` for anything else (a path included).
    """
    if isinstance(value, Registry):
        return value
    raise _wrong_registry(value, argument, _LOADED)


def optional_registry_argument(value: object, *, argument: str = "registry") -> Registry | None:
    """``value``, which must be a loaded :class:`Registry` or ``None``.

    Raises:
        UsageError: ``registry-argument`` for anything else (a path included).
    """
    if value is None or isinstance(value, Registry):
        return value
    raise _wrong_registry(value, argument, f"{_LOADED} or None")


def registry_or_root_argument(
    value: object, *, argument: str = "registry"
) -> Registry | str | os.PathLike[str] | None:
    """``value``, which must name a registry as discovery reads it: a :class:`Registry`,
    a directory (``str`` or ``os.PathLike``), ``"pkg:NAME"`` or ``None`` (discover).

    Raises:
        UsageError: ``registry-argument`` for anything else.
    """
    if value is None or isinstance(value, Registry | str | os.PathLike):
        return value
    raise _wrong_registry(
        value,
        argument,
        "a Registry (Registry.load(path)), a registry directory (str or os.PathLike), "
        "'pkg:NAME' or None",
    )


def _wrong_registry(value: object, argument: str, accepted: str) -> UsageError:
    from accord.core.text import short_repr

    return UsageError(
        f"{argument}= takes {accepted}, not {type(value).__name__} {short_repr(value)}",
        code="registry-argument",
    )


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused (as it was before, after).

    Loading builds tens of thousands of long-lived containers (documents, versions) and
    no reference cycle: every collection while they are built only walks them again
    (at 5,000 contracts x 3 versions, five full collections took about 0.9 s of CPU).

    Afterwards one collection of the young generations hands them to the oldest:
    built while it was paused, they would otherwise all be young, walked by the next
    collection of the youngest generation and again, about ten later, by the next of
    the middle one (about 0.07 s each at 5,000 contracts). This one walks them once, as
    the first of those would have (no ``gc.freeze``: what a process keeps out of its
    collections is its own choice).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.collect(1)
            gc.enable()


def _sorted_proxy(contracts: Mapping[str, Contract]) -> Mapping[str, Contract]:
    return MappingProxyType(dict(sorted(contracts.items())))


# -- accord.lock -----------------------------------------------------------------------


class _LockLine(NamedTuple):
    """One line of ``accord.lock`` (a tuple: a lock of 15,000 lines builds 15,000)."""

    contract_id: str
    version: Version
    digest: str
    line: int


# A lock line's place, and a version's (_ORDER): its contract id, then its version by
# precedence, compared as ``Version._key``, the tuple the order methods of ``Version``
# compare (and equal exactly when the versions are). Tuples compare in C, where two
# ``Version`` objects take two Python calls per comparison (``__eq__``, then ``__lt__``):
# half the sorting of a registry's lock and index. The same order, so the same result
# (tests/registry/test_version_order.py).
_LOCK_KEY = operator.attrgetter("contract_id", "version._key")

# Versions are immutable values and a registry spells the same few many times (every
# contract has a 1.0.0, and the lock repeats every file's version).
_parse_version = lru_cache(maxsize=4096)(Version.parse)


@lru_cache(maxsize=4096)
def _canonical_version(text: str) -> Version | None:
    """The version a file name states, or ``None`` when it is not spelled as the
    version spells itself (a pure function of the text: every contract has a 1.0.0).

    Raises:
        ValueError: ``text`` is not a version.
    """
    version = _parse_version(text)
    return version if str(version) == text else None


def _lock_row(line: str) -> tuple[str, str, str] | None:
    """(contract id, version, digest) of one lock line (no "\\n" in it), or ``None``."""
    match = _lock_lines().match(line)
    return None if match is None else (match["id"], match["version"], match["digest"])


def _parse_lock(text: str, *, file: str = LOCK_FILE) -> tuple[list[_LockLine], list[Problem]]:
    lines: list[_LockLine] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, Version], int] = {}
    body = text[:-1] if text.endswith("\n") else text
    if not body:
        return lines, problems
    raw_lines = body.split("\n")
    # One search of the whole text finds at most one match per line: as many matches
    # as lines is every line well-formed (else each line is matched on its own).
    rows: list[tuple[str, str, str] | None] = _lock_lines().findall(body)
    if len(rows) != len(raw_lines):
        rows = [_lock_row(line) for line in raw_lines]
    for number, row in enumerate(rows, start=1):
        version: Version | None = None
        if row is not None:
            try:
                version = _parse_version(row[1])
            except ValueError:
                version = None
        if row is None or version is None:
            problems.append(
                Problem(
                    "lock-malformed",
                    f"line {number} is not '<contract> <version> sha256:<64 hex digits>': "
                    f"{raw_lines[number - 1][:80]!r}",
                    file=file,
                    line=number,
                )
            )
            continue
        first = seen.setdefault((row[0], version), number)  # one hash of a Version
        if first != number:
            problems.append(
                Problem(
                    "lock-duplicate",
                    f"{row[0]} {version} is locked twice (lines {first} and {number}); "
                    "keep one line",
                    file=file,
                    line=number,
                )
            )
            continue
        lines.append(_LockLine(row[0], version, row[2], number))
    if raw_lines != sorted(raw_lines):  # not sorted
        problems.append(
            Problem(
                "lock-unsorted",
                "accord.lock lines are not sorted; `accord publish` rewrites it sorted",
                file=file,
                severity="warning",
            )
        )
    return lines, problems


def read_lock(root: str | Path) -> dict[tuple[str, Version], str]:
    """``(contract id, version)`` -> ``sha256:<hex>`` from ``<root>/accord.lock``.

    A missing lock is an empty mapping (nothing published yet).

    Raises:
        LockError: ``lock-malformed`` (with the line) or ``lock-duplicate``.
    """
    path = Path(root) / LOCK_FILE
    try:
        data = _read_regular(path, display=LOCK_FILE, max_bytes=None)
    except LockError as exc:
        if exc.code == "file-not-found":
            return {}
        raise
    lines, problems = _parse_lock(_decode_lock(data))
    for problem in problems:
        if problem.severity == "error":
            raise LockError(
                problem.message, code=problem.code, file=problem.file, line=problem.line
            )
    return {(x.contract_id, x.version): x.digest for x in lines}


def lock_text(entries: LockEntries) -> str:
    """The ``accord.lock`` text for ``entries``: one line per version, the lines sorted
    as plain strings (what ``sort`` does with ``LC_ALL=C``), so two branches that each add
    lines merge without conflicts in most cases."""
    lines = sorted(f"{cid} {version} {digest}" for (cid, version), digest in entries.items())
    return "".join(f"{line}\n" for line in lines)


def write_lock(root: str | Path, entries: LockEntries, *, timeout: float = 30.0) -> None:
    """Rewrite ``<root>/accord.lock`` atomically under the exclusive ``accord.lock.lck``.

    Raises:
        LockError: ``lock-busy`` when another writer holds the lock for over ``timeout``
            seconds (a crashed writer holds nothing: :mod:`accord.core.filelock`).
    """
    from accord.core.filelock import exclusive

    root_path = Path(root)

    def busy(holder: int | None) -> LockError:
        return LockError(
            f"{root_path / LOCK_GUARD} is held"
            + (f" by process {holder}" if holder else "")
            + f": another `accord publish` has been rewriting accord.lock for over {timeout:g}s",
            code="lock-busy",
            file=LOCK_GUARD,
        )

    def refused(code: str, reason: str) -> LockError:
        return LockError(f"{root_path / LOCK_GUARD}: {reason}", code=code, file=LOCK_GUARD)

    with exclusive(root_path / LOCK_GUARD, timeout=timeout, busy=busy, refused=refused):
        _jsondoc.atomic_write(root_path / LOCK_FILE, lock_text(entries).encode("utf-8"))


def _decode_lock(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LockError("accord.lock is not UTF-8", code="lock-malformed", file=LOCK_FILE) from None


def _read_regular(path: str | Path, *, display: str, max_bytes: int | None) -> bytes:
    """Read a regular file without following symlinks; failures are LockError-coded."""
    from accord.core.jsondoc import read_regular

    return read_regular(path, display=display, max_bytes=max_bytes, error=LockError)


# -- loading ---------------------------------------------------------------------------


class _Collector:
    """Collects problems instead of stopping at the first (packaging's _ErrorCollector)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def error(self, code: str, message: str, file: str | None, pointer: str = "") -> None:
        self.problems.append(Problem(code, message, file=file, pointer=pointer))

    @contextmanager
    def collect(self, *, file: str | None = None) -> Iterator[None]:
        """Record an :class:`AccordError` raised inside as a problem (``file`` fills in
        a missing file)."""
        try:
            yield
        except AccordError as exc:
            self._record(exc, file)

    def call(self, function: Callable[[Any], object], argument: Any, *, file: str) -> None:
        """:meth:`collect` around ``function(argument)``, without a context manager's
        generator (the loader calls it once per version it reads)."""
        try:
            function(argument)
        except AccordError as exc:
            self._record(exc, file)

    def _record(self, exc: AccordError, file: str | None) -> None:
        problem = exc.problem()
        if problem.file is None and file is not None:
            problem = dataclasses.replace(problem, file=file)
        self.problems.append(problem)


@dataclass(init=False, repr=False, eq=False)
class _Scan:  # noqa: PLW1641 - unhashable, as @dataclass(eq=True) made it
    """What the directory walk found (before anything is parsed)."""

    contracts: list[tuple[str, str, Path]] = field(default_factory=list)
    unexpected: list[tuple[str, str]] = field(default_factory=list)  # (file, what)
    examples: list[tuple[str, Path]] = field(default_factory=list)  # (contract dir rel, path)
    # The hygiene walk's listing of each directory not yet loaded (by path).
    listed: dict[str, list[os.DirEntry[str]]] = field(default_factory=dict)

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__ = generated_repr("contracts", "unexpected", "examples", "listed")
    # (a class that defines __eq__ alone gets __hash__ = None, as @dataclass sets it)
    __eq__ = generated_eq_and_hash("contracts", "unexpected", "examples", "listed")[0]

    def __init__(
        self,
        contracts: list[tuple[str, str, Path]] = FACTORY,
        unexpected: list[tuple[str, str]] = FACTORY,
        examples: list[tuple[str, Path]] = FACTORY,
        listed: dict[str, list[os.DirEntry[str]]] = FACTORY,
    ) -> None:
        self.contracts = [] if contracts is FACTORY else contracts
        self.unexpected = [] if unexpected is FACTORY else unexpected
        self.examples = [] if examples is FACTORY else examples
        self.listed = {} if listed is FACTORY else listed


def _walk_hygiene(
    root: Path,
    collector: _Collector,
    listed: dict[str, list[os.DirEntry[str]]] | None = None,
    *,
    file_names: bool = False,
) -> dict[str, list[os.DirEntry[str]]]:
    """Report symlinks and special files anywhere under ``root`` (never following links);
    every directory's sorted entries, by path (the contracts are loaded from these: each
    directory of a big registry is listed once). ``listed``: directories already listed
    this run (the gate's tree digest), taken from there. ``file_names`` (the gate): also
    report from the same listing the names a macOS or Windows checkout cannot keep: two
    entries of one directory equal but for case (``file-case-clash``), a name that is
    not UTF-8 (``file-name-not-utf8``).

    ``.git`` is not walked: it belongs to git, not to the registry.
    """
    # Plain strings, not Path objects: this lists every directory of the registry.
    top = os.fspath(root)
    cut = len(top.rstrip("/")) + 1
    stack = [top]
    known = listed if listed is not None else {}
    listed = {}
    while stack:
        directory = stack.pop()
        try:
            entries = known.pop(directory, None)
            if entries is None:
                entries = sorted(os.scandir(directory), key=_NAME)
            listed[directory] = entries
        except OSError as exc:
            rel = directory[cut:] or "."
            collector.error("file-unreadable", f"cannot list directory: {exc.strerror}", rel)
            continue
        if file_names:
            _file_name_problems(directory[cut:], entries, collector)
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                continue  # most entries: nothing to report, nothing to walk
            if entry.is_symlink():
                collector.error(
                    "path-symlink",
                    "symlinks are not allowed in a registry (they can point outside it): "
                    "replace it with a regular file or directory",
                    entry.path[cut:],
                )
            elif entry.is_dir(follow_symlinks=False):
                if not (directory == top and entry.name == ".git"):
                    stack.append(entry.path)
            else:
                collector.error(
                    "path-special-file",
                    "only regular files and directories are allowed in a registry",
                    entry.path[cut:],
                )
    return listed


def _file_name_problems(rel: str, entries: list[os.DirEntry[str]], collector: _Collector) -> None:
    """``file-case-clash`` and ``file-name-not-utf8`` for the entries of the directory
    ``rel`` (from the root)."""
    names = [entry.name for entry in entries]
    try:
        "".join(names).encode("utf-8")  # one call: a lone surrogate is a byte not UTF-8
        if len(set(map(str.casefold, names))) == len(names):
            return  # (nearly) every directory: one set, no sort, no import
    except UnicodeEncodeError:
        pass
    from accord.registry.names import file_name_problems

    names = [name for name in names if name != ".git"]
    collector.problems.extend(file_name_problems(f"{rel}/" if rel else "", names))


def _entries(
    directory: Path, listed: dict[str, list[os.DirEntry[str]]] | None = None
) -> list[os.DirEntry[str]]:
    """The sorted entries of ``directory``: taken out of ``listed`` (the hygiene walk's
    listing) when it is there, else listed now."""
    if listed is not None:
        found = listed.pop(os.fspath(directory), None)
        if found is not None:
            return found
    try:
        return sorted(os.scandir(directory), key=_NAME)
    except OSError:
        return []


_NAME = operator.attrgetter("name")


def _is_dir(entry: os.DirEntry[str]) -> bool:
    return entry.is_dir(follow_symlinks=False)


def _is_file(entry: os.DirEntry[str]) -> bool:
    return entry.is_file(follow_symlinks=False)


def _check_names(names: list[str], *, kind: str, parent: str, collector: _Collector) -> list[str]:
    """Validate names in one directory; return those that may be used."""
    good: list[str] = []
    for name in names:
        where = f"{parent}/{name}" if parent else name
        try:
            validate_name(name, what=kind)
        except AccordError as exc:
            collector.add(dataclasses.replace(exc.problem(), file=where))
            continue
        good.append(name)
    # Collisions are checked on every name, valid or not: `order_placed` is invalid on
    # its own, and also shadows `order-placed` in generated code.
    for first, second in find_collisions(names):
        collector.error(
            "name-collision",
            f"{kind} {second!r} collides with {first!r} when '-'/'_' and case are "
            "ignored (they would map to the same generated module)",
            f"{parent}/{second}" if parent else second,
        )
        if second in good:
            good.remove(second)
    return good


def _check_reserved(root: Path, directory: str, collector: _Collector) -> None:
    """A reserved directory holding a contract is a namespace it may not be."""
    for entry in _entries(root / directory):
        if not _is_dir(entry):
            continue
        names = {e.name for e in _entries(Path(entry.path))}
        if CONTRACT_FILE in names or any(n.endswith(VERSION_SUFFIX) for n in names):
            collector.error(
                "namespace-reserved",
                f"{directory}/ is reserved for accord's own records and cannot be a "
                f"namespace: move {directory}/{entry.name} under another namespace",
                f"{directory}/{entry.name}",
            )


def _scan(
    root: Path, collector: _Collector, listed: dict[str, list[os.DirEntry[str]]] | None = None
) -> _Scan:
    """The namespaces and contracts under ``root`` (``listed``: the hygiene walk's
    listing, kept for the contracts' own directories)."""
    scan = _Scan(listed=listed if listed is not None else {})
    namespaces: list[str] = []
    for entry in _entries(root, listed):
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            if entry.name not in RESERVED_DIRS:
                namespaces.append(entry.name)
            else:
                _check_reserved(root, entry.name, collector)
        elif _is_file(entry) and entry.name not in ROOT_FILES:  # special: hygiene walk
            scan.unexpected.append((entry.name, "a file at the registry root"))
    for namespace in _check_names(namespaces, kind="namespace", parent="", collector=collector):
        ns_dir = root / namespace
        names: list[str] = []
        for entry in _entries(ns_dir, listed):
            if entry.name.startswith("."):
                continue
            if _is_dir(entry):
                names.append(entry.name)
            elif _is_file(entry) and entry.name not in NAMESPACE_FILES:
                scan.unexpected.append(
                    (f"{namespace}/{entry.name}", "a file in a namespace directory")
                )
        for name in _check_names(names, kind="contract", parent=namespace, collector=collector):
            scan.contracts.append((namespace, name, ns_dir / name))
    return scan


def _read_version_file(
    path: str | Path, *, file: str, settings: RegistrySettings, light: bool = False
) -> tuple[bytes, Any, list[str], bool]:
    """Raw bytes and strict parse of one version file (same checks as ``load_path``;
    read once so the digest and the document describe the same bytes), the value of
    every string ``$ref`` in its objects, and whether the frozen document is canonical
    (:func:`freeze_within_limits`; never said of a ``light`` one).

    ``light``: the document is checked the same way but returned as parsed, not frozen
    (:func:`refs_within_limits`): for a version that is likely to be dropped after its
    checks (:func:`_self_contained`), freezing it would be wasted.
    """
    raw = _read_version_bytes(path, file=file, settings=settings)
    return (raw, *_parse_version_file(raw, file=file, settings=settings, light=light))


def _read_version_bytes(
    path: str | Path, *, file: str, settings: RegistrySettings, listed: bool = False
) -> bytes:
    """The bytes of one version file (a regular file within the size cap); ``listed``:
    this run's listing showed a regular file there (:func:`~accord.core.jsondoc.read_regular`)."""
    return _jsondoc.read_regular(
        path, display=file, max_bytes=settings.max_file_bytes, error=DocumentError, listed=listed
    )


def _parse_version_file(
    raw: bytes, *, file: str, settings: RegistrySettings, light: bool
) -> tuple[Any, list[str], bool]:
    """:func:`_read_version_file` once the bytes are read."""
    # loads_fast: the same values and refusals as loads (tests/core/test_jsondoc_fast.py)
    document = _jsondoc.loads_fast(
        raw, file=file, max_bytes=settings.max_file_bytes, max_depth=settings.max_depth
    )
    # Checked even for versions the lock vouches for: the caps are this registry's
    # budget now, and a refused schema must not reach the engine, codegen or validators.
    # Frozen: every caller shares this document, and what is memoised on its identity
    # (normalised forms, bundles, validators) must stay true of it.
    if light:
        refs = refs_within_limits(raw, document, settings.limits, file=file)
        return document, refs, False
    frozen, refs, canonical = freeze_within_limits(document, settings.limits, file=file)
    return frozen, refs, canonical


def _parse_kept_version(
    raw: bytes, *, file: str, settings: RegistrySettings
) -> tuple[Any, list[str], bool, _Written | None]:
    """:func:`_parse_version_file` (not light) for a version :meth:`Registry.load` keeps
    parsed, and what its ``raw`` slot holds instead of ``raw`` when that is its document
    written back (as :func:`_drop_written_bytes` would set it), or ``None``.

    A file accord's tooling wrote (keys sorted, indented by 2) is settled by one sorted
    writing of its value (:func:`~accord.core.jsondoc.loads_written`): it proves the
    parse, the key order of the canonical check, and that the bytes are the document
    written back in its own order (:func:`_write_back`), where the loader otherwise
    writes the document three more times (in order, sorted, indented).
    """
    document, written = _jsondoc.loads_written(
        raw, file=file, max_bytes=settings.max_file_bytes, max_depth=settings.max_depth
    )
    frozen, refs, canonical = freeze_within_limits(
        document, settings.limits, file=file, keys_sorted=written
    )
    return frozen, refs, canonical, _WRITTEN[raw[-1:] == b"\n"] if written else None


def _parse_latest(
    raw: bytes, *, file: str, settings: RegistrySettings
) -> tuple[Any, list[str], bool, _Written | None, _Unparsed | None]:
    """:func:`_parse_kept_version` for a trusted latest release (its bytes match its
    ``accord.lock`` line), or, when its checks finish here, what its document slot keeps
    instead of the frozen document: an :class:`_Unparsed` (last item, the others then
    unused but for the ``$ref`` values).

    It finishes here exactly when it would for an old version (:func:`_self_contained`,
    after the same limits check, from the bytes where they settle it:
    :func:`refs_within_limits`); a service then never freezes the document unless it
    reads it, and a validator compiles its bytes (:func:`own_text`). Otherwise it is
    frozen from the same parse, as :func:`_parse_kept_version` would.
    """
    document, written = _jsondoc.loads_written(
        raw, file=file, max_bytes=settings.max_file_bytes, max_depth=settings.max_depth
    )
    refs, growth = refs_and_growth_within_limits(raw, document, settings.limits, file=file)
    if _self_contained(document, refs, file=file):
        own = _own_bundle_refs(raw, document, refs, keys_sorted=written, growth=growth)
        return document, refs, False, None, _Unparsed(file, settings, own)
    frozen, refs, canonical = freeze_within_limits(
        document, settings.limits, file=file, keys_sorted=written
    )
    return frozen, refs, canonical, _WRITTEN[raw[-1:] == b"\n"] if written else None, None


def _own_bundle_refs(
    raw: bytes, document: Any, refs: list[str], *, keys_sorted: bool, growth: int | None
) -> tuple[tuple[str, ...], bool] | None:
    """The ``$ref`` values of a self-contained version (:func:`_self_contained`) and
    whether it may recurse (:func:`may_recurse`, of ``document``: the same values as
    the frozen one), when its bytes prove what :func:`_own_bundle` and
    :func:`own_source` would find in its frozen document, else ``None`` (then they are
    asked of the document, on first use).

    ``growth`` (:func:`~accord.validation.budget.refs_and_growth_within_limits`): not
    ``None`` when no ``$ref`` target holds a string ``$ref``; then no target leads to
    another, so the document cannot recurse and :func:`may_recurse` need not walk it
    (both find each target by the same unquoted pointer, resolved through objects).

    Each condition stands for one of theirs:
    - ``keys_sorted`` (:func:`~accord.core.jsondoc.loads_written`): every object's keys
      sorted;
    - ``$schema`` is 2020-12 exactly (self-contained: an object, nothing to normalise,
      so no :func:`unnormalised_assertion` and :meth:`_Index.normalized` is the identity);
    - no escaped quote: ``refs`` (:func:`refs_within_limits`, from the bytes) are then
      exactly the document's ``$ref`` values (its search can only be misled by a key
      that ends in ``\\"$ref``), and with no ``\\u`` escape (:func:`_plain_text`) no
      key can spell ``$id``, ``$dynamicRef`` or ``$recursiveRef`` but as written;
    - only plain values, and text jsonschema-rs reads to them (:func:`_plain_text`);
    - every ``$ref`` written as the bundler writes it (:func:`_as_bundled`: the
      self-contained check resolved each into the document itself, at the pointer
      its fragment spells).
    """
    if (
        not keys_sorted
        or document.get("$schema") != DRAFT_2020_12
        or _not_own()[0].search(raw) is not None
        or _not_own()[1].search(raw) is not None
        or not _plain_numbers(raw)
    ):
        return None
    unique = tuple(dict.fromkeys(refs))
    if not all(_as_written_by_bundler(ref) for ref in unique):
        return None
    from accord.validation.recursion import may_recurse

    return unique, growth is None and may_recurse(document, refs=unique)


# What keeps a file's text from proving its document is its own bundle (beyond its
# numbers): an escaped quote (a key could end in \"$ref, misleading the $ref search)
# or a \u escape (a key could spell anything); then, every key being spelled as it
# reads, an $id, $dynamicRef or $recursiveRef key. Two searches, each starting with a
# literal byte: one alternation of all five scans several times slower.
# Compiled on first use, as the two below (a start that reads the load snapshot parses
# no version file).
@functools.cache
def _not_own() -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    return re.compile(rb'\\[u"]'), re.compile(rb'"\$(?:id"|dynamicRef|recursiveRef)')


# A local pointer $ref that percent-encoding leaves as it is (every character one that
# quote() keeps with _FRAGMENT_SAFE, no "%"): then unquote and quote both give it back.
@functools.cache
def _kept_by_quote() -> re.Pattern[str]:
    return re.compile(r"#[A-Za-z0-9_.~/:@!$&'()*+,;=?-]*")


def _as_written_by_bundler(ref: str) -> bool:
    """Whether a ``$ref`` into its own document (``#`` or ``#/...``) is spelled as
    :func:`_as_bundled` requires: ``#`` and its pointer, quoted."""
    if _kept_by_quote().fullmatch(ref) is not None:
        return True
    return ref == "#" + quote(unquote(ref[1:]), safe=_FRAGMENT_SAFE)


def _load_contract(
    root: Path,
    *,
    namespace: str,
    name: str,
    directory: Path,
    settings: RegistrySettings,
    collector: _Collector,
    scan: _Scan,
    refs: dict[str, list[str]],
    published: Mapping[tuple[str, Version], str] | None = None,
    settled: set[str] | None = None,
    locked: Collection[tuple[str, Version]] = frozenset(),
    vouched: Callable[[str, bytes], bool] | None = None,
    unparsed: bool = False,
    deferral: _Deferral | None = None,
    lines: Mapping[tuple[str, Version], _LockLine] | None = None,
    write_back: bool = False,
) -> tuple[Contract | None, list[ContractVersion]]:
    """The contract (``None`` when its contract.toml is unusable) and its versions
    (returned either way, so their own problems and the refs into them are checked).

    ``refs``: filled with each version file's ``$ref`` values (by file).
    ``published``: lock digests whose versions were checked when they were published;
    a version file with exactly those bytes skips :func:`check_schema`.
    ``settled`` (:meth:`Registry.load`, and the gate with ``vouched``): filled with the
    files of the versions checked in full here and left unparsed (:func:`_self_contained`;
    ``locked``: the lock's keys, to tell drafts from the latest release).
    ``vouched`` (the gate with ``--against``, with ``settled``): whether a version file
    (path from the root, bytes) is the base commit's file at the same path; a
    ``published`` version it vouches for is settled whatever its place (latest or not),
    and its ``contract.toml`` bytes are handed to it too. ``unparsed`` (the gate, when
    the base's settings are this registry's): such a version is not even parsed when its
    bytes show it self-contained (:func:`_local_refs`). ``deferral`` (:meth:`Registry.load`,
    with ``lines``, the sound lock's lines): a version with a lock line that is not the
    latest release is only listed (:class:`_Deferred`), read on first use.
    ``write_back`` (:meth:`Registry.load`): a version parsed in full whose bytes are its
    document written back keeps no bytes, settled as it is parsed (what
    :func:`_drop_written_bytes` settles for the others when the load ends).
    """
    contract_id = f"{namespace}.{name}"
    rel_dir = f"{namespace}/{name}"  # directory is root / namespace / name
    meta: ContractMeta | None = None
    entries = _entries(directory, scan.listed)
    # From the listing, not a stat: any entry of that name is read (and a symlink or
    # special file refused by the read), as a stat of the path would find it.
    toml = next((entry for entry in entries if entry.name == CONTRACT_FILE), None)
    if toml is None:
        collector.error(
            "contract-toml-missing",
            f"{contract_id} has no contract.toml: add one with at least `owner` and `kind`",
            f"{rel_dir}/{CONTRACT_FILE}",
        )
    else:
        # Every problem in the file, not only the first (one typo must not hide the next).
        toml_rel = f"{rel_dir}/{CONTRACT_FILE}"
        meta, toml_problems = contract_meta_problems(
            os.path.join(directory, CONTRACT_FILE),
            display=toml_rel,
            default_mode=settings.mode,
            seen=None if vouched is None else functools.partial(vouched, toml_rel),
            listed=toml.is_file(follow_symlinks=False),
        )
        for problem in toml_problems:
            collector.add(problem)
    # (version, path, file, ref): the ref spelled from the file name, which is the
    # version's own spelling (_canonical_version), so str(version) is never asked.
    found: list[tuple[Version, str, str, str]] = []
    for entry in entries:
        file_name = entry.name
        if file_name.startswith("."):
            continue
        is_file = entry.is_file(follow_symlinks=False)
        if not is_file and not entry.is_dir(follow_symlinks=False):
            continue  # symlinks and special files are reported by the hygiene walk
        rel = f"{rel_dir}/{file_name}"
        if is_file and file_name.endswith(VERSION_SUFFIX):
            stem = file_name[: -len(VERSION_SUFFIX)]
            try:
                version = _canonical_version(stem)  # None unless str(version) == stem
            except ValueError as exc:
                collector.error(
                    "version-file-invalid",
                    f"{file_name!r} is not '<X.Y.Z>.schema.json' with a SemVer 2.0.0 version "
                    f"(no 'v', no leading zeros, no build metadata): {exc}",
                    rel,
                )
                continue
            if version is None:
                collector.error(
                    "version-file-invalid", f"{file_name!r} is not a canonical version", rel
                )
                continue
            found.append((version, entry.path, rel, f"{contract_id}@{stem}"))
        elif not is_file and file_name == EXAMPLES_DIR:
            scan.examples.append((rel_dir, Path(entry.path)))
        elif not (is_file and file_name in CONTRACT_EXTRA_FILES):
            scan.unexpected.append((rel, "in a contract directory"))
    yanked = meta.yanked if meta is not None else {}
    # Looked up only when the contract yanks anything (most yank nothing): a lookup
    # hashes a Version, a Python call.
    versions: list[ContractVersion] = []
    # The latest release is what Registry.get picks without a pin: it is read now
    # (never deferred), and kept as its checked bytes only when Registry.load can
    # settle it alone (_parse_latest); the others may be deferred or kept so too.
    found.sort(key=lambda t: t[0])
    # One of these objects (compared by identity below), or None.
    latest = _latest_release(contract_id, [v for v, _, _, _ in found], yanked, locked)
    for version, path, rel, ref in found:
        line = None if lines is None or version is latest else lines.get((contract_id, version))
        if deferral is not None and line is not None:
            marker = _Deferred(deferral, line)  # read on first use
            versions.append(
                _loaded_version(
                    contract_id,
                    version,
                    path,
                    rel,
                    marker,
                    document=marker,
                    yanked=yanked.get(version) if yanked else None,
                    digest=None,
                    ref=ref,
                )
            )
            continue
        # One lookup a version (its key hashes a Version in Python): a lock digest is text.
        locked_digest = None if published is None else published.get((contract_id, version))
        if vouched is None:
            light = settled is not None and version is not latest
        else:
            light = settled is not None and locked_digest is not None
        try:
            # Every file in `found` was a regular file in this run's listing.
            raw = _read_version_bytes(path, file=rel, settings=settings, listed=True)
            digest = digest_of(raw)
            trusted = locked_digest == digest
            same = light and trusted and (vouched is None or vouched(rel, raw))
            # The base's gate checked these very bytes under these settings.
            unread = _local_refs(raw) if same and unparsed else None
            written = None
            kept = None
            if unread is None and write_back and trusted and version is latest:
                # The release a service validates against: kept as its checked bytes
                # when that settles it (_parse_latest), like an old version.
                document, refs[rel], canonical, written, kept = _parse_latest(
                    raw, file=rel, settings=settings
                )
            elif unread is None and write_back and not light:
                document, refs[rel], canonical, written = _parse_kept_version(
                    raw, file=rel, settings=settings
                )
            elif unread is None:
                document, refs[rel], canonical = _parse_version_file(
                    raw, file=rel, settings=settings, light=light
                )
            else:
                document, refs[rel], canonical = _Unparsed(rel, settings), unread, False
        except AccordError as exc:
            collector.add(exc.problem())
            continue
        if kept is not None and settled is not None:
            document = kept
            settled.add(rel)
        elif light and settled is not None:
            if unread is not None:  # its document is already the _Unparsed above
                settled.add(rel)
            elif same and _self_contained(document, refs[rel], file=rel):
                document = _Unparsed(rel, settings)
                settled.add(rel)
            else:
                document = freeze(document)
        kept_raw: Any = raw if written is None else written
        if unread is not None:  # the gate's: read again if ever used
            kept_raw = _reread_marker(settings.max_file_bytes)
        loaded = _loaded_version(
            contract_id,
            version,
            path,
            rel,
            kept_raw,
            document=document,
            yanked=yanked.get(version) if yanked else None,
            digest=digest,
            ref=ref,
        )
        if canonical:  # sorted keys, no $id, plain values: _own_bundle only checks refs
            object.__setattr__(loaded, "_canonical_refs", tuple(refs[rel]))
        if not trusted:
            for problem in check_schema(
                loaded.document, file=rel, pointer="", require_object_root=True
            ):
                collector.add(problem)
        versions.append(loaded)
    on_disk = {v for v, _, _, _ in found} if yanked else set()
    for version in sorted(yanked):
        if version not in on_disk:
            collector.error(
                "yanked-version-missing",
                f"contract.toml yanks {version}, but {version}{VERSION_SUFFIX} does not exist",
                f"{rel_dir}/{CONTRACT_FILE}",
                _pointer.from_parts(["yanked", str(version)]),
            )
    if meta is None:
        return None, versions
    contract = Contract(
        id=contract_id,
        namespace=namespace,
        name=name,
        meta=meta,
        versions=tuple(versions),
        directory=directory,
    )
    return contract, versions


def _latest_release(
    contract_id: str,
    versions: list[Version],
    yanked: Mapping[Version, str],
    locked: Collection[tuple[str, Version]],
) -> Version | None:
    """What :meth:`Contract.latest` will be: the highest of ``versions`` (ascending)
    neither yanked nor a draft (no lock line while the registry has a lock)."""
    for version in reversed(versions):  # ascending
        draft = bool(locked) and (contract_id, version) not in locked
        if version not in yanked and not draft and not version.is_prerelease:
            return version
    return None


def _self_contained(document: Any, refs: list[str], *, file: str) -> bool:
    """Whether a trusted version's checks are complete without any other document, so
    that only its bytes need be kept (:class:`_Unparsed`): a 2020-12 object (nothing to
    normalise) whose every ``$ref`` names a node of itself through object keys.

    Anything else, even if it resolves, is left to the full checks in :func:`_build`.
    A service uses few old versions; a registry of thousands of versions need not hold
    thousands of parsed documents.
    """
    if not isinstance(document, dict):
        return False
    from accord.validation.dialect import detect_dialect

    try:
        if detect_dialect(document, file=file) != "2020-12":
            return False
    except AccordError:
        return False
    return all(_object_pointer(document, ref) for ref in dict.fromkeys(refs))


# What the bytes of a version file must show for it to be kept unread: a 2020-12 root
# (every "$schema" names it, or there is none), and each "$ref" a plain pointer into the
# file itself. Without a \u escape every key is spelled as written, so no "$schema",
# "$ref" or "$id" can hide from this search. The patterns here are compiled on first use
# (only the gate keeps files unread), not by every import: re parses a pattern in Python.


@functools.cache
def _object_text() -> re.Pattern[bytes]:
    """Text that opens an object: what raw.lstrip().startswith(b"{") tells, without
    copying the file (bytes.lstrip() strips exactly these six ASCII whitespace bytes)."""
    return re.compile(rb"[ \t\n\r\x0b\x0c]*\{")


# One pass over the keys that matter; each match is one of:
# - a "$ref" whose value is a local pointer (group 1, never empty: it starts with "#"),
# - a "$schema" naming 2020-12 (group 2),
# - any other "$ref" or "$schema", or a key that may tie a file to another (a base URI,
#   a dynamic scope): "$id", "$dynamicRef", "$recursiveRef" (no group: parse the file).
# The first two alternatives begin as the third does and never consume a '"' followed by
# '$' (a value's closing quote is only looked ahead at), so the search stops at exactly
# the keys a search for the third alone stops at.
@functools.cache
def _dollar_keys() -> re.Pattern[bytes]:
    return re.compile(
        rb'"\$ref"\s*:\s*"(#(?:/[^"\\%/~]*[^"\\%/~0-9][^"\\%/~]*)*)(?=")'
        rb'|"\$schema"\s*:\s*"(https://json-schema\.org/draft/2020-12/schema)(?=")'
        rb'|"\$(?:ref|schema|id|dynamicRef|recursiveRef)"'
    )


def _local_refs(raw: bytes) -> list[str] | None:
    """The ``$ref`` values of a version file, when its bytes alone show what
    :func:`_self_contained` asks of its document, or ``None`` (then it is parsed).

    Only for a file the base commit holds byte for byte under a lock line that matches,
    with the base's settings (the gate's ``unparsed``): the base's gate parsed these
    bytes, checked their limits and resolved these pointers, and none of that depends on
    another file. What is left is what could: a ``$ref`` out of the file (its target may
    have changed), an ``$id`` (it moves the base of the pointers), a ``$dynamicRef`` or
    ``$recursiveRef``, another dialect (it is normalised), a pointer through an array, a
    percent-encoded or escaped pointer.
    """
    if _unicode_escape().search(raw) is not None or _object_text().match(raw) is None:
        return None
    refs: list[str] = []
    for ref, schema in _dollar_keys().findall(raw):
        if ref:
            refs.append(ref.decode("utf-8", "surrogateescape"))
        elif not schema:
            return None  # $id, $dynamicRef, $recursiveRef, another dialect or $ref
    return refs


def _object_pointer(document: Any, ref: str) -> bool:
    """Whether ``ref`` is ``#`` or ``#/...`` naming a node of ``document`` reached
    through object keys only: a ``$ref`` :func:`_resolve` resolves into ``document``."""
    if not ref.startswith("#"):
        return False
    fragment = unquote(ref[1:])
    return fragment == "" or (fragment.startswith("/") and _through_objects(document, fragment))


def _read_lock_lines(root: Path) -> tuple[list[_LockLine], list[Problem]] | None:
    """The lines of ``<root>/accord.lock`` and its problems, or ``None`` without one."""
    path = root / LOCK_FILE
    if not path.exists() and not path.is_symlink():
        return None
    try:
        text = _decode_lock(_read_regular(path, display=LOCK_FILE, max_bytes=None))
    except LockError as exc:
        return [], [exc.problem()]
    return _parse_lock(text)


def _check_lock(
    parsed: tuple[list[_LockLine], list[Problem]] | None,
    versions: list[ContractVersion],
    collector: _Collector,
    unread: frozenset[str] | set[str] = frozenset(),
) -> LockEntries:
    """The lock's entries; its problems, and each version file whose bytes are not
    those its line names (``unread``: files only listed, compared on first use)."""
    if parsed is None:
        return MappingProxyType({})
    lines, problems = parsed
    for problem in problems:
        collector.add(problem)
    by_key = {(v.contract_id, v.version): v for v in versions}
    for line in lines:
        version = by_key.get((line.contract_id, line.version))
        if version is None:
            collector.add(_missing_file(line))
        elif version.file not in unread and version.digest != line.digest:
            collector.add(_edited(version.ref, version.file, line, version.digest))
    return MappingProxyType(
        {(x.contract_id, x.version): x.digest for x in sorted(lines, key=_LOCK_KEY)}
    )


def _missing_file(line: _LockLine) -> Problem:
    return Problem(
        "lock-missing-file",
        f"{line.contract_id} {line.version} is published in accord.lock but its "
        "version file is missing: published versions are never deleted "
        "(yank it in contract.toml instead)",
        file=LOCK_FILE,
        line=line.line,
    )


def _edited(ref: str, file: str, line: _LockLine, digest: str) -> Problem:
    return Problem(
        "lock-digest-mismatch",
        f"{ref} was edited after it was published (accord.lock line "
        f"{line.line} has {line.digest}, the file is {digest}): published "
        "versions are immutable; publish a new version instead",
        file=file,
    )


def _deferred(version: ContractVersion) -> _Deferred | None:
    """The version's :class:`_Deferred` while :meth:`Registry.load` left it unread."""
    raw = _RAW_SLOT.__get__(version, ContractVersion)
    return raw if type(raw) is _Deferred else None


def _first_use(version: ContractVersion, marker: _Deferred) -> tuple[bytes, Any]:
    """The bytes and document of a version the load left unread, read and checked now
    (once: under :data:`_first_use_guard`, a concurrent first use waits for this one).

    Raises:
        RegistryError: what the load would have refused in this version (the same
            problems, file and pointer), on this and every later use.
    """
    with _first_use_guard:
        if _deferred(version) is not marker:  # another thread settled it meanwhile
            return version.raw, _stored_document(version)
        if marker.checking is not None:  # its own check resolves a $ref back into it
            return marker.checking
        if marker.problems is None:
            marker.problems = _settle(version, marker)
        if any(p.severity == "error" for p in marker.problems):
            raise RegistryError(marker.problems, root=marker.context.root)
    return version.raw, _stored_document(version)


def _settle(version: ContractVersion, marker: _Deferred) -> list[Problem]:
    """Read and check a version the load left unread, as a load that read it would
    have: a regular file within ``max-file-bytes``, the strict parse, depth and schema
    limits, the lock digest (and, when it differs, the metaschema), its dialect, every
    ``$ref`` resolving inside the registry, and a ``$ref`` cycle through the documents
    it reaches. Only when none of that is an error do its slots take the bytes and the
    frozen document; the problems either way, as the load reports them."""
    context = marker.context
    settings, index = context.settings, context.index
    if index is None:  # only a registry freed while the interpreter exits: see _Deferral
        raise UsageError(
            f"{version.ref} was left unread by a registry freed as the interpreter exits; "
            "it cannot be checked now: read it while the registry is alive",
            code="usage",
        )
    collector = _Collector()
    try:
        raw = _read_version_bytes(version.path, file=version.file, settings=settings)
        document, refs, canonical = _parse_version_file(
            raw, file=version.file, settings=settings, light=False
        )
    except AccordError as exc:
        # A load that cannot read a version file leaves it out: its lock line then
        # names a file the registry does not have.
        collector.add(exc.problem())
        collector.add(_missing_file(marker.line))
        return _apply_overrides(_dedupe(collector.problems), settings)
    digest = digest_of(raw)
    if digest != marker.line.digest:  # not the bytes that were published: checked in full
        collector.problems.extend(
            check_schema(document, file=version.file, pointer="", require_object_root=True)
        )
        collector.add(_edited(version.ref, version.file, marker.line, digest))
    marker.checking = (raw, document)
    try:
        collector.call(index.normalized, version, file=version.file)
        if _check_refs(index, version, collector, refs):
            collector.problems.extend(_ref_cycles(index, starts=_reach(index, version)))
    finally:
        marker.checking = None
    problems = _apply_overrides(_dedupe(collector.problems), settings)
    if not any(p.severity == "error" for p in problems):
        _store_read(version, raw, document, digest, refs if canonical else None)
        _drop_written_bytes(version)  # held once, as the load holds what it read
    return problems


def _apply_overrides(problems: list[Problem], settings: RegistrySettings) -> list[Problem]:
    from accord.registry.problems import apply_overrides

    return apply_overrides(problems, settings)


def _read_referenced(
    index: _Index,
    refs: dict[str, list[str]],
    settings: RegistrySettings,
    collector: _Collector,
    settled: set[str] | None = None,
) -> None:
    """Read and check now every version left unread that a version read at load refers
    to, and what that one refers to, and so on: a service fails at boot for anything its
    latest versions need. (Its problems fail the load, which then reads everything.)

    ``settled``: files whose every ``$ref`` resolves into the file itself
    (:func:`_self_contained`), so into no other version, left unread or not: they are
    not walked (most latest releases of a big registry).
    """
    skip = settled or set()
    queue = [v for v in index.ordered if v.file in refs and v.file not in skip]
    while queue:
        source = queue.pop()
        for ref in dict.fromkeys(refs[source.file]):
            try:
                target = _ref_target(index, source, ref, "")[0]
            except RefError:
                continue  # reported by the $ref check
            marker = _deferred(target)
            if marker is not None and _read_listed(target, marker, settings, collector, refs):
                queue.append(target)


def _read_listed(
    version: ContractVersion,
    marker: _Deferred,
    settings: RegistrySettings,
    collector: _Collector,
    refs: dict[str, list[str]],
) -> bool:
    """Read a listed version while the registry loads, as :func:`_load_contract` reads
    a version (its lock digest is compared by :func:`_check_lock`)."""
    with collector.collect():
        raw = _read_version_bytes(version.path, file=version.file, settings=settings)
        document, found, canonical = _parse_version_file(
            raw, file=version.file, settings=settings, light=False
        )
        digest = digest_of(raw)
        if digest != marker.line.digest:
            collector.problems.extend(
                check_schema(document, file=version.file, pointer="", require_object_root=True)
            )
        _store_read(version, raw, document, digest, found if canonical else None)
        refs[version.file] = found
        return True
    return False


def _store_read(
    version: ContractVersion, raw: bytes, document: Any, digest: str, refs: list[str] | None
) -> None:
    """Fill the slots of a version read after it was listed (``refs``: its ``$ref``
    values when its document is canonical)."""
    _DOCUMENT_SLOT.__set__(version, document)
    _RAW_SLOT.__set__(version, raw)  # last: what _deferred() looks at
    object.__setattr__(version, "_digest", digest)
    if refs is not None:
        object.__setattr__(version, "_canonical_refs", tuple(refs))


def _reach(index: _Index, version: ContractVersion) -> list[ContractVersion]:
    """``version`` and every version a ``$ref`` walk from it reaches, in index order
    (as a full load walks them): a cycle through ``version`` passes through no other."""
    reached = {version.file: version}
    queue = [version]
    while queue:
        here = queue.pop()
        for _at, ref in _ref_sites(here.document):
            try:
                target, _pointer_in = _resolve(index, here, ref, "")
            except RefError:
                continue  # reported by the $ref check
            if target.file not in reached:
                reached[target.file] = target
                queue.append(target)
    return sorted(reached.values(), key=_ORDER)


def _mark_drafts(contract: Contract, lock: LockEntries) -> Contract:
    """``contract`` with every version lacking a lock line marked as a draft.

    Only when the registry has a lock: a registry with none has published nothing yet
    and is used as it is (docs/design.md). With one, a file without its line was written by
    hand or by an interrupted publish, and no range or "latest" may pick it.
    """
    if all((contract.id, v.version) in lock for v in contract.versions):
        return contract
    versions = tuple(
        v
        if (contract.id, v.version) in lock
        else dataclasses.replace(v, draft=True, document=_stored_document(v))
        for v in contract.versions
    )
    return dataclasses.replace(contract, versions=versions)


def _published_digests(
    parsed: tuple[list[_LockLine], list[Problem]] | None,
) -> dict[tuple[str, Version], str]:
    """The lock's digests, or nothing when the lock is absent or has any problem (then
    :func:`_check_lock` reports it and every version is checked in full)."""
    if parsed is None or any(p.severity == "error" for p in parsed[1]):
        return {}
    return {(x.contract_id, x.version): x.digest for x in parsed[0]}


def _build(
    root: Path,
    *,
    lint: bool,
    trust_lock: bool = False,
    trusted: Mapping[tuple[str, Version], str] | None = None,
    lint_checks: Callable[[Registry, _Scan], Iterable[Problem]] | None = None,
    lazy: bool = False,
    vouched: Callable[[str, bytes], bool] | None = None,
    unparsed: bool = False,
    listed: dict[str, list[os.DirEntry[str]]] | None = None,
    defer: bool = False,
    file_names: bool = False,
) -> tuple[Registry, list[Problem]]:
    """Load ``root`` collecting every problem; ``lint`` adds the lint-only checks.

    ``defer`` (``Registry.load`` only, with ``trust_lock`` and ``lazy``): a version with
    a line in a sound ``accord.lock`` that is not its contract's latest release is
    listed, not read (:class:`_Deferred`): its first use reads and checks it, unless a
    version read here refers to it (:func:`_read_referenced`).

    ``lazy`` (``Registry.load`` only): old versions whose checks finish while their
    contract loads (:func:`_self_contained`) keep only their bytes, parsed again on
    first use.

    ``trust_lock`` (``Registry.load`` only, never with ``lint``): a version whose bytes
    match its ``accord.lock`` digest passed :func:`check_schema` when ``accord publish``
    locked it, so loading it for use skips that per-document check (the metaschema check
    is most of a load). Lint and the gate (``trust_lock=False``) check every version;
    unpublished and edited versions are always checked, every problem collected.

    ``trusted`` (the gate with ``--against``): digests from the base commit's lock; a
    version with exactly those bytes passed the gate when it landed on the base, so its
    per-document checks are skipped. Never used with ``lint``.

    ``vouched`` (the gate with ``--against``, with ``trusted``): whether a version file
    (path from the root, bytes) is byte for byte the base commit's file at that path. A
    trusted version it vouches for is loaded like ``lazy`` loads an old one: its limits
    are checked from its bytes, and when every ``$ref`` stays inside it
    (:func:`_self_contained`) only its bytes are kept, parsed on first use; nothing it
    holds depends on another file, so its checks on the base still hold.

    ``unparsed`` (with ``vouched``; the gate, when ``accord.toml`` is the base's): such a
    version whose bytes show every ``$ref`` inside it (:func:`_local_refs`) is not parsed
    at all: the base's gate parsed and checked the same bytes under the same settings.
    Its lock digest is still checked here; it is parsed, with today's limits, on use.

    ``listed`` (the gate): sorted directory listings taken earlier in the same run, by
    path (:func:`_walk_hygiene`).

    ``file_names`` (the gate): names of one directory equal but for case
    (``file-case-clash``) and names that are not UTF-8 (``file-name-not-utf8``) are
    errors, found in the listing the load makes (:func:`_walk_hygiene`).
    """
    from accord.registry.problems import apply_overrides, check_overrides

    if not lazy:
        # Lint and the gate hash every version of big registries: OpenSSL's SHA-256 is
        # about 4x faster than CPython's (digest_of uses it once hashlib is loaded).
        import hashlib  # noqa: F401

    display = str(root)
    try:
        found = root.is_dir()
    except OSError:  # a name too long to stat, say: no such directory
        found = False
    if not found:
        problem = Problem(
            "registry-not-found",
            REGISTRY_NOT_FOUND,
            file=display,
        )
        raise RegistryError([problem], root=display)
    root = root.resolve()
    collector = _Collector()
    settings = RegistrySettings()
    with collector.collect():
        settings = load_registry_settings(root)
    collector.problems.extend(check_overrides(settings))
    scan = _scan(root, collector, _walk_hygiene(root, collector, listed, file_names=file_names))
    lock_lines = _read_lock_lines(root)
    published = _published_digests(lock_lines) if trust_lock and not lint else None
    if trusted is not None and not lint:
        published = dict(trusted)
    contracts: dict[str, Contract] = {}
    all_versions: list[ContractVersion] = []
    refs: dict[str, list[str]] = {}
    settled: set[str] | None = set() if (lazy or vouched is not None) and not lint else None
    # Each lock line by its key: the keys tell drafts from releases (``locked``), and a
    # version left unread keeps its line (``lines``). One dict: a key hashes a Version,
    # a Python call.
    by_key = {(x.contract_id, x.version): x for x in (lock_lines or ([], []))[0]}
    deferral = _Deferral(display, settings) if defer and published and not lint else None
    lines = by_key if deferral is not None and lock_lines is not None else None
    for namespace, name, directory in scan.contracts:
        contract, versions = _load_contract(
            root,
            namespace=namespace,
            name=name,
            directory=directory,
            settings=settings,
            collector=collector,
            scan=scan,
            refs=refs,
            published=published,
            settled=settled,
            locked=by_key.keys(),
            vouched=vouched if published is not None else None,
            unparsed=unparsed,
            deferral=deferral,
            lines=lines,
            write_back=lazy and not lint,
        )
        all_versions.extend(versions)
        if contract is not None:
            contracts[contract.id] = contract
    # Every version file, even of a contract whose contract.toml is broken: one typo
    # there must not also make every $ref into the contract unresolvable.
    index = _Index(all_versions)
    unread: set[str] = set()
    if deferral is not None:
        deferral.hold(index)
        _read_referenced(index, refs, settings, collector, settled)
        if any(p.severity == "error" for p in collector.problems):
            # Refused (a version left unread must not be reached by the checks below):
            # refused exactly as by a load that reads every version.
            return _build(root, lint=False, trust_lock=trust_lock, lazy=lazy)
        unread = {v.file for v in index.ordered if _deferred(v) is not None}
    lock = _check_lock(lock_lines, all_versions, collector, unread)
    if lock:
        contracts = {k: _mark_drafts(c, lock) for k, c in contracts.items()}
    registry = Registry(root=root, settings=settings, contracts=_sorted_proxy(contracts), lock=lock)
    crossing = False
    for version in index.ordered:
        if settled and version.file in settled:
            continue  # 2020-12, every $ref into itself and resolving: checked at read
        if version.file in unread:
            continue  # checked on first use (_settle)
        collector.call(index.normalized, version, file=version.file)
        crossing = _check_refs(index, version, collector, refs.get(version.file)) or crossing
    if crossing:  # a cycle across documents takes a $ref from one document to another
        # No cycle through a version read here passes through one left unread: what
        # these refer to was read (_read_referenced).
        collector.problems.extend(_ref_cycles(index, (settled or set()) | unread))
    if lint_checks is not None:
        collector.problems.extend(lint_checks(registry, scan))
    problems = apply_overrides(_dedupe(collector.problems), settings)
    registry = dataclasses.replace(
        registry, problems=tuple(p for p in problems if p.severity != "error")
    )
    if lazy:
        # A service holds each kept document once: its bytes are written back on read.
        kept = list(registry.versions())
        for version in kept:
            _drop_written_bytes(version)
        # The index the checks above filled is the registry's own when it indexes the
        # same version objects (no draft was marked: that makes new ones).
        if len(kept) == len(index.ordered) and all(
            a is b for a, b in zip(kept, index.ordered, strict=True)
        ):
            registry._memo["index"] = index
            if deferral is not None:  # the registry owns the index: see _Deferral
                registry._memo["deferral"] = deferral
                deferral.lend(index)
    return registry, problems


# -- the load snapshot (accord.registry.snapshot) ---------------------------------------


def _restore_snapshot(root: Path) -> Registry | None:
    """What :meth:`Registry.load` of ``root`` builds, from its snapshot, or ``None``."""
    from accord.registry import snapshot

    try:
        resolved = root.resolve()
    except OSError:
        return None
    found = snapshot.read(resolved)
    if found is None:
        return None
    path, (settings, lock, rows, deferral) = found
    contracts = {}
    namespaces: dict[str, Path] = {}
    for contract_id, namespace, name, meta, versions in rows:
        # As _scan spells it: the root, then each part (no whole path parsed again).
        parent = namespaces.get(namespace)
        if parent is None:
            parent = namespaces[namespace] = resolved / namespace
        contracts[contract_id] = Contract(
            contract_id, namespace, name, meta, versions, parent / name
        )
    registry = Registry(
        root=resolved, settings=settings, contracts=_sorted_proxy(contracts), lock=lock
    )
    # As _build leaves it: the registry owns the index of its versions (see _Deferral).
    index = _Index(registry.versions())
    registry._memo["index"] = index
    if deferral is not None:
        registry._memo["deferral"] = deferral
        deferral.lend(index)
    registry._memo["snapshot"] = path  # where it came from (tests, diagnostics)
    return registry


def _save_snapshot(registry: Registry, since: int) -> None:
    """Write the snapshot of what :meth:`Registry.load` built, when it found nothing to
    report and holds only what :func:`_restore_snapshot` builds again as it is."""
    from accord.registry import snapshot

    if registry.problems or not snapshot.enabled():
        return
    state = _snapshot_state(registry)
    if state is None:
        return
    unread = {v.file for v in registry.versions() if type(_stored_document(v)) is _Deferred}
    settings = registry.settings
    reducers: dict[type, Callable[[Any], Any]] = {
        ContractVersion: lambda version: _version_reduced(version, settings),
        _Unparsed: _unparsed_reduced,
        _Deferred: _deferred_reduced,
        _Deferral: _deferral_reduced,
        Version: _version_number_reduced,
        MappingProxyType: _proxy_reduced,
    }
    try:
        inputs = snapshot.inputs_under(registry.root, unread)
    except OSError:
        return
    snapshot.write(registry.root, inputs, state, reducers, since)


def _snapshot_state(registry: Registry) -> tuple[Any, ...] | None:
    """(settings, lock, each contract's id, namespace, name, meta and versions, the
    load's deferral), or ``None`` when the registry holds anything a snapshot does not
    restore as it is (a draft, an index it does not own, a version mid-check)."""
    memo = registry._memo
    index = memo.get("index")
    deferral = memo.get("deferral")
    if index is None:
        return None
    versions = list(registry.versions())
    if len(versions) != len(index.ordered):
        return None
    settings = registry.settings
    for version in versions:
        if version.draft or not _restorable(version, settings, deferral):
            return None
    rows = []
    for contract in registry.contracts.values():
        if contract.directory != registry.root / contract.namespace / contract.name:
            return None
        rows.append(
            (contract.id, contract.namespace, contract.name, contract.meta, contract.versions)
        )
    return settings, registry.lock, rows, deferral


def _restorable(
    version: ContractVersion, settings: RegistrySettings, deferral: _Deferral | None
) -> bool:
    document = _stored_document(version)
    raw = _RAW_SLOT.__get__(version, ContractVersion)
    if type(document) is _Deferred:
        return (
            raw is document
            and document.context is deferral
            and document.checking is None
            and document.problems is None
        )
    if type(document) is _Unparsed:
        return (
            type(raw) is bytes
            and document.max_bytes == settings.max_file_bytes
            and document.max_depth == settings.max_depth
            and document.limits == settings.limits
        )
    # Parsed and checked: kept as its bytes (the parse on first use gives this document).
    return type(raw) in (bytes, _Written)


def _version_reduced(version: ContractVersion, settings: RegistrySettings) -> tuple[Any, ...]:
    document = _stored_document(version)
    raw = _RAW_SLOT.__get__(version, ContractVersion)
    if type(document) is _Unparsed and document.own is not None and document.backtracks is None:
        document.backtracks = may_backtrack(raw)  # what own_text asks: once, here
    if type(document) not in (_Deferred, _Unparsed):
        # Kept as its bytes (bytes written back are the file's: _drop_written_bytes),
        # parsed again on first read, as Registry.load(check_all=True) keeps a version.
        raw = version.raw
        document = _Unparsed(version.file, settings)
    return (
        _version_restored,
        (
            version.contract_id,
            version.version,
            _PATH_SLOT.__get__(version, ContractVersion),
            version.file,
            raw,
            document,
            version.yanked,
            version._digest,
            version._ref,
            version._canonical_refs,
        ),
    )


def _version_restored(  # noqa: PLR0917 - one argument a slot
    contract_id: str,
    version: Version,
    path: str,
    file: str,
    raw: Any,
    document: Any,
    yanked: str | None,
    digest: str | None,
    ref: str | None,
    canonical_refs: tuple[str, ...] | None,
) -> ContractVersion:
    # _loaded_version's arguments in order: pickle calls a reducer positionally.
    return _loaded_version(
        contract_id,
        version,
        path,
        file,
        raw,
        document=document,
        yanked=yanked,
        digest=digest,
        ref=ref,
        canonical_refs=canonical_refs,
    )


def _unparsed_reduced(marker: _Unparsed) -> tuple[Any, ...]:
    return (
        _unparsed_restored,
        (
            marker.file,
            marker.max_bytes,
            marker.max_depth,
            marker.limits,
            marker.own,
            marker.backtracks,
        ),
    )


def _unparsed_restored(  # noqa: PLR0917 - one argument a slot
    file: str, max_bytes: int, max_depth: int, limits: Any, own: Any, backtracks: bool | None
) -> _Unparsed:
    marker: _Unparsed = object.__new__(_Unparsed)
    marker.file = file
    marker.max_bytes = max_bytes
    marker.max_depth = max_depth
    marker.limits = limits
    marker.own = own
    marker.backtracks = backtracks
    return marker


def _deferred_reduced(marker: _Deferred) -> tuple[Any, ...]:
    return (_Deferred, (marker.context, marker.line))


def _deferral_reduced(deferral: _Deferral) -> tuple[Any, ...]:
    return (_Deferral, (deferral.root, deferral.settings))


def _version_number_reduced(version: Version) -> tuple[Any, ...]:
    # Built again from its text: a Version keeps its hash, and a str's hash is per process.
    return (_version_number, (str(version),))


def _version_number(text: str) -> Version:
    return _parse_version(text)  # cached: every contract has a 1.0.0


def _proxy_reduced(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_proxy, (dict(proxy),))


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, str | None, str, int | None]] = set()
    out: list[Problem] = []
    for problem in problems:
        key = (problem.code, problem.file, problem.pointer, problem.line)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


# -- $ref resolution -------------------------------------------------------------------


_ORDER = operator.attrgetter("contract_id", "version._key")  # a version's place (_LOCK_KEY)


class _Index:
    """Every loaded version by URI and by file, plus a ``referencing`` registry."""

    def __init__(self, versions: Iterable[ContractVersion]) -> None:
        self.ordered = sorted(versions, key=_ORDER)
        self.by_uri = {v.uri: v for v in self.ordered}
        self.by_file = {v.file: v for v in self.ordered}
        self._normalized: dict[str, Any] = {}
        self._referencing: Any = None
        # (target uri, fragment) -> pointer or None: every version's refs are resolved
        # when the registry loads and again by each bundle and the cycle check.
        self.fragments: dict[tuple[str, str], str | None] = {}

    def referencing(self) -> Any:
        """A ``referencing.Registry`` whose ``retrieve`` serves registry documents only."""
        if self._referencing is None:
            import referencing
            import referencing.exceptions

            # attrs classes: mypy without the attrs plugin does not see their fields.
            registry_class: Any = referencing.Registry
            no_such_resource: Any = referencing.exceptions.NoSuchResource

            def retrieve(uri: str) -> Any:
                version = self.by_uri.get(uri)
                if version is None:
                    raise no_such_resource(ref=uri)
                return _resource(version.document)

            self._referencing = registry_class(retrieve=retrieve)
        return self._referencing

    def normalized(self, version: ContractVersion) -> _Normal:
        """The version's document normalised to 2020-12, with pointer maps (cached).

        Raises:
            SchemaError: the document cannot be normalised (unsupported dialect, ...).
        """
        hit = self._normalized.get(version.uri)
        from accord.validation.dialect import detect_dialect, normalize_with_map

        if hit is None and detect_dialect(version.document, file=version.file) == "2020-12":
            # Already 2020-12: nothing is renamed, and the bundler copies before it
            # rewrites, so the document is shared and both maps are the identity.
            hit = _Normal(version.document, _IDENTITY, _IDENTITY)
            self._normalized[version.uri] = hit
        elif hit is None:
            document, new_to_old = normalize_with_map(version.document, file=version.file)
            old_to_new = {old: new for new, old in new_to_old.items()}
            hit = _Normal(
                freeze(document), MappingProxyType(new_to_old), MappingProxyType(old_to_new)
            )
            self._normalized[version.uri] = hit
        assert isinstance(hit, _Normal)
        return hit


class _Identity(Mapping[str, str]):
    """Every pointer maps to itself (a 2020-12 document's normalised form is itself)."""

    def __getitem__(self, key: str) -> str:
        return key

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


_IDENTITY = _Identity()


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class _Normal:
    """A normalised document and the maps between its pointers and the original's."""

    document: Any
    new_to_old: Mapping[str, str]
    old_to_new: Mapping[str, str]

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods("document", "new_to_old", "old_to_new")

    def __init__(
        self, document: Any, new_to_old: Mapping[str, str], old_to_new: Mapping[str, str]
    ) -> None:
        object.__setattr__(self, "document", document)
        object.__setattr__(self, "new_to_old", new_to_old)
        object.__setattr__(self, "old_to_new", old_to_new)

    def to_new(self, pointer: str) -> str:
        """Map a pointer into the document as written to the normalised document, by
        its longest mapped prefix (``/definitions/a/type`` -> ``/$defs/a/type``)."""
        probe = pointer
        while True:
            if probe in self.old_to_new:
                return self.old_to_new[probe] + pointer[len(probe) :]
            if not probe:
                return pointer
            probe = probe.rsplit("/", 1)[0]


def _resource(document: Any) -> Any:
    from referencing import Resource
    from referencing.exceptions import CannotDetermineSpecification
    from referencing.jsonschema import DRAFT202012, UnknownDialect

    try:
        return Resource.from_contents(document, default_specification=DRAFT202012)
    except (CannotDetermineSpecification, UnknownDialect):
        return DRAFT202012.create_resource(document)


def _resolve(
    index: _Index, source: ContractVersion, ref: str, at: str
) -> tuple[ContractVersion, str]:
    """Resolve ``ref`` (written at pointer ``at`` of ``source``) to (target, pointer)."""
    target, fragment = _ref_target(index, source, ref, at)
    pointer = _fragment_pointer(index, target, fragment)
    if pointer is None:
        raise RefError(
            f"$ref {ref!r}: {target.ref} has nothing at #{fragment}",
            code="ref-unresolvable",
            file=source.file,
            pointer=at,
        )
    return target, pointer


def _ref_target(
    index: _Index, source: ContractVersion, ref: str, at: str
) -> tuple[ContractVersion, str]:
    """The version ``ref`` (written at pointer ``at`` of ``source``) names and its
    fragment, unquoted (what it names there is :func:`_resolve`'s to find): nothing of
    the target is read."""

    def fail(code: str, message: str) -> RefError:
        return RefError(message, code=code, file=source.file, pointer=at)

    from accord.validation.dialect import classify_ref

    kind = classify_ref(ref)
    base, _, fragment_text = ref.partition("#")
    fragment = unquote(fragment_text)
    target: ContractVersion | None
    if kind == "remote":
        raise fail(
            "ref-remote",
            f"$ref {ref!r} points outside the registry; accord never fetches schemas: copy "
            "it into the registry and use accord://<contract>@<version>",
        )
    if kind == "local":
        target = source
    elif kind == "accord":
        text = base.removeprefix("accord://")
        try:
            parsed = ContractRef.parse(text)
        except InvalidReference as exc:
            raise fail("ref-unresolvable", f"$ref {ref!r}: {exc.message}") from None
        if parsed.version is None:
            raise fail(
                "ref-range-not-allowed",
                f"$ref {ref!r} must name an exact version (accord://{parsed.id}@X.Y.Z): "
                "a schema's meaning may not change when a new version is published",
            )
        target = index.by_uri.get(f"accord://{parsed.id}@{parsed.version}")
        if target is None:
            raise fail("ref-unresolvable", f"$ref {ref!r}: no such contract version in registry")
    else:
        path = unquote(base)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source.file), path))
        if path.startswith("/") or joined == ".." or joined.startswith("../"):
            raise fail(
                "ref-escapes-root",
                f"$ref {ref!r} leaves the registry root; only files inside it can be referenced",
            )
        target = index.by_file.get(joined)
        if target is None:
            raise fail(
                "ref-unresolvable",
                f"$ref {ref!r}: {joined} is not a version file of this registry "
                "(only <namespace>/<name>/<X.Y.Z>.schema.json files can be referenced)",
            )
    return target, fragment


def _fragment_pointer(index: _Index, target: ContractVersion, fragment: str) -> str | None:
    """The pointer (in the document as written) a fragment designates, or ``None``."""
    key = (target.uri, fragment)
    if key in index.fragments:
        return index.fragments[key]
    pointer = _lookup_fragment(index, target, fragment)
    index.fragments[key] = pointer
    return pointer


def _lookup_fragment(index: _Index, target: ContractVersion, fragment: str) -> str | None:
    if fragment == "" or (fragment.startswith("/") and _through_objects(target.document, fragment)):
        # Object keys only: referencing's JSON-pointer lookup finds exactly this node
        # (array indexes and anchors are left to referencing itself).
        return fragment
    from referencing.exceptions import Unresolvable

    resolver = index.referencing().resolver()
    try:
        resolver.lookup(f"{target.uri}#{quote(fragment, safe=_FRAGMENT_SAFE)}")
    except Unresolvable:
        return None
    if fragment == "" or fragment.startswith("/"):
        return fragment
    return _find_anchor(target.document, fragment)


def _through_objects(document: Any, pointer: str) -> bool:
    """Whether ``pointer`` names a node reached through object keys only."""
    tokens = _pointer.split(pointer)
    nodes = _pointer.nodes_along(document, tokens)
    return len(nodes) == len(tokens) + 1 and all(isinstance(n, dict) for n in nodes[:-1])


def _find_anchor(document: Any, name: str) -> str | None:
    for pointer, schema in _subschemas(document, ""):
        if schema.get("$anchor") == name or schema.get("$id") == f"#{name}":
            return pointer
    return None


_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("not", "if", "then", "else")


def _dialect_of(document: Any) -> Dialect:
    try:
        from accord.validation.dialect import detect_dialect

        return detect_dialect(document)
    except AccordError:
        return "2020-12"  # reported by check_schema; walk it as accord's own dialect


def _subschemas(document: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object subschema of a document with its pointer (schema positions only)."""
    from accord.validation.dialect import iter_subschemas

    for here, schema in iter_subschemas(document, _dialect_of(document), pointer):
        if isinstance(schema, dict):
            yield here, schema


def _ref_sites(document: Any) -> Iterator[tuple[str, str]]:
    """(pointer of the ``$ref`` keyword, its value) for every ``$ref`` in a document."""
    for here, schema in _subschemas(document, ""):
        ref = schema.get("$ref")
        if isinstance(ref, str):
            yield _pointer.join(here, "$ref"), ref


def _check_refs(
    index: _Index, version: ContractVersion, collector: _Collector, found: list[str] | None = None
) -> bool:
    """Report every ``$ref`` of ``version`` that does not resolve; True when one of them
    leads into another document (only then can a ``$ref`` cycle cross documents).

    ``found``: every string ``$ref`` value in the document's objects, schema position or
    not (:func:`freeze_within_limits`). When they all resolve, so do those at schema
    positions and nothing is walked; else the walk below reports exactly those.
    """
    if found is not None:
        try:
            targets = [_resolve(index, version, ref, "")[0].uri for ref in dict.fromkeys(found)]
        except RefError:
            pass
        else:
            return any(uri != version.uri for uri in targets)
    crosses = False
    for at, ref in _ref_sites(version.document):
        with collector.collect():
            target, _ = _resolve(index, version, ref, at)
            crosses = crosses or target.uri != version.uri
    return crosses


_Node = tuple[str, str]  # (version uri, pointer to a schema)


def _in_place_edges(index: _Index, node: _Node) -> list[tuple[_Node, str | None]]:
    """Subschemas applied to the *same* instance as ``node`` (no input consumed), each
    with the ``$ref`` pointer that leads there (``None`` for in-document applicators)."""
    version = index.by_uri[node[0]]
    found, schema = _pointer.lookup(version.document, node[1])
    if not found or not isinstance(schema, dict):
        return []
    edges: list[tuple[_Node, str | None]] = []
    ref = schema.get("$ref")
    if isinstance(ref, str):
        try:
            target, pointer = _resolve(index, version, ref, "")
        except RefError:
            pass
        else:
            edges.append(((target.uri, pointer), _pointer.join(node[1], "$ref")))
        from accord.validation.dialect import REF_SIBLINGS_IGNORED

        if _dialect_of(version.document) in REF_SIBLINGS_IGNORED:
            return edges  # draft-04/06/07 ignore $ref siblings
    for keyword in _IN_PLACE_LISTS:
        value = schema.get(keyword)
        if isinstance(value, list):
            edges.extend(
                ((node[0], _pointer.join(node[1], keyword, i)), None) for i in range(len(value))
            )
    edges.extend(
        ((node[0], _pointer.join(node[1], keyword)), None)
        for keyword in _IN_PLACE_ONE
        if keyword in schema
    )
    dependent = schema.get("dependentSchemas")
    if isinstance(dependent, dict):
        edges.extend(
            ((node[0], _pointer.join(node[1], "dependentSchemas", k)), None) for k in dependent
        )
    return edges


def _ref_cycles(
    index: _Index, local: Iterable[str] = (), starts: Iterable[ContractVersion] | None = None
) -> list[Problem]:
    """``schema-ref-cycle`` for every cycle of in-place edges that crosses documents
    (cycles inside one document are reported by the dialect checks).

    ``local``: files whose every ``$ref`` stays in the file: no walk from them leaves
    it, so none starts there (a cycle through them is found from its other documents).
    ``starts``: the versions walks start from, in index order (default: every one).
    """
    problems: list[Problem] = []
    state: dict[_Node, int] = {}  # 1 = on the stack, 2 = done
    skip = frozenset(local)
    for version in index.ordered if starts is None else starts:
        if version.file in skip or not isinstance(version.document, dict):
            continue
        for here, _schema in _subschemas(version.document, ""):
            start: _Node = (version.uri, here)
            if start in state:
                continue
            path: list[tuple[_Node, str | None]] = [(start, None)]
            stack: list[Iterator[tuple[_Node, str | None]]] = [iter(_in_place_edges(index, start))]
            state[start] = 1
            while stack:
                step = next(stack[-1], None)
                if step is None:
                    stack.pop()
                    state[path.pop()[0]] = 2
                    continue
                child, via = step
                seen = state.get(child)
                if seen == 1:
                    cycle = [*path[[n for n, _ in path].index(child) + 1 :], (child, via)]
                    problem = _cycle_problem(index, cycle)
                    if problem is not None:
                        problems.append(problem)
                elif seen is None:
                    state[child] = 1
                    path.append((child, via))
                    stack.append(iter(_in_place_edges(index, child)))
    return problems


def _cycle_problem(index: _Index, cycle: list[tuple[_Node, str | None]]) -> Problem | None:
    uris = {node[0] for node, _ in cycle}
    if len(uris) < 2:
        return None
    # The edge *into* each node is `via`, written in the previous node's document.
    sites: list[tuple[str, str]] = []
    for i, (_node, via) in enumerate(cycle):
        if via is not None:
            previous = cycle[i - 1][0]
            sites.append((index.by_uri[previous[0]].file, via))
    file, pointer = min(sites)
    names = " -> ".join(sorted(index.by_uri[u].ref for u in uris))
    return Problem(
        "schema-ref-cycle",
        f"$ref cycle across {names} consumes no input: validation would never end",
        file=file,
        pointer=pointer,
    )


# -- bundling --------------------------------------------------------------------------


_PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})


def _sorted_frozen(value: Any) -> Any:
    """A frozen copy of a plain JSON document with every object's keys sorted, or
    ``None`` when it holds anything else (a ``Decimal``, a non-finite float)."""
    try:
        return _sorted_walk(value, {})
    except _NotPlain:
        return None


def _sorted_walk(node: Any, memo: dict[int, Any]) -> Any:
    # A module function, not a closure: a closure that calls itself is a reference
    # cycle, left with its memo (and the copy) for the cyclic collector.
    kind = type(node)
    if kind in _PLAIN_SCALARS:
        if kind is float and not math.isfinite(node):
            raise _NotPlain
        return node
    found = memo.get(id(node))
    if found is not None:
        return found
    if isinstance(node, dict):
        if not all(type(k) is str for k in node):
            raise _NotPlain
        found = FrozenDict({k: _sorted_walk(node[k], memo) for k in sorted(node)})
    elif isinstance(node, list):
        found = FrozenList([_sorted_walk(item, memo) for item in node])
    else:
        raise _NotPlain
    memo[id(node)] = found
    return found


class _NotPlain(Exception):
    """A value a canonical JSON round trip would change."""


def _own_bundle(index: _Index, version: ContractVersion) -> bool:
    """Whether ``version``'s document is already what :class:`_Bundler` would make of
    it: an object declaring 2020-12 exactly, with no ``$id``, every ``$ref`` pointing
    into itself and written as the bundler writes it, every object's keys sorted and
    only plain JSON values (what most registry files are). Then the frozen document is
    its own bundle: no copy, no rewrite.

    The walk is generic (``$ref``/``$id`` in ``const`` or ``enum`` values count too):
    it only ever answers no where the bundler might change something.
    """
    document = version.document
    from accord.validation.dialect import unnormalised_assertion

    if (
        not isinstance(document, dict)
        or document.get("$schema") != DRAFT_2020_12
        or unnormalised_assertion(document) is not None
    ):
        return False
    index.normalized(version)  # its SchemaError, if any, is the bundler's to raise
    known = version._canonical_refs
    if known is not None:  # the loader's walk saw sorted keys, no $id, plain values
        return all(_as_bundled(index, version, ref) for ref in dict.fromkeys(known))
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if type(node) is list or type(node) is FrozenList:
            items: Iterable[Any] = node
        else:
            keys = list(node)
            if keys != sorted(keys) or "$id" in node:
                return False
            ref = node.get("$ref")
            if isinstance(ref, str) and not _as_bundled(index, version, ref):
                return False
            items = node.values()
        for item in items:
            kind = type(item)
            if kind is FrozenDict or kind is FrozenList:
                stack.append(item)
            elif kind not in _PLAIN_SCALARS or (kind is float and not math.isfinite(item)):
                return False
    return True


# Digits as "0" and a fraction's point or an exponent's letter as "e": a float is then
# "0e", a long integer 16 zeros (strings can hold the same bytes, which only make
# ``own_source`` answer no).
_NUMBER_SHAPE = bytes.maketrans(b"123456789.E", b"000000000ee")


# Two-byte needles: a regex search for one scans several times faster than ``in``.
@functools.cache
def _float_shape() -> re.Pattern[bytes]:
    return re.compile(rb"0e")


@functools.cache
def _unicode_escape() -> re.Pattern[bytes]:
    """A ``\\u`` escape (a compiled search: twice as fast as ``in`` on bytes), compiled
    when :func:`_local_refs` or :func:`own_source` first asks, not by every import."""
    return re.compile(rb"\\u")


def own_source(version: ContractVersion, bundle: Any) -> tuple[str, tuple[str, ...], bool] | None:
    """``bundle`` as JSON text jsonschema-rs reads to exactly the values it reads from
    the document, every string ``$ref`` value in its objects, and whether a pattern in
    it may need the reference's backtracking cap (:func:`may_backtrack`), when
    ``bundle`` is the version's own document as :meth:`Registry.load` froze it
    (canonical: plain values only, ``$ref`` values listed); else ``None``. A validator
    then compiles the text, with no plain copy (:func:`thaw`) of the frozen document.

    Only text both read alike: no ``\\u`` escape, every number a short integer (a float
    or a long integer may be read at another precision), no
    ``$dynamicRef``/``$recursiveRef`` (the ``$ref`` values are then all a validator
    needs to tell whether the schema recurses).
    """
    refs = version._canonical_refs
    if refs is None or bundle is not _stored_document(version):
        return None
    import msgspec

    try:
        text: bytes = msgspec.json.encode(bundle)
    except (TypeError, ValueError, OverflowError):  # nothing msgspec can write
        return None
    if not _plain_text(text):
        return None
    return text.decode("utf-8"), refs, may_backtrack(text)


def _plain_text(text: bytes) -> bool:
    """Whether JSON text (valid, duplicate keys refused) is one jsonschema-rs reads to
    exactly the values Python reads from it, all plain (no ``Decimal``), with no
    ``$dynamicRef``/``$recursiveRef`` (:func:`own_source`): no ``\\u`` escape, every
    number a short integer."""
    if (
        _unicode_escape().search(text) is not None
        or b"$dynamicRef" in text
        or b"$recursiveRef" in text
    ):
        return False
    return _plain_numbers(text)


def _plain_numbers(text: bytes) -> bool:
    """Whether every number in JSON text is a short integer (:func:`_plain_text`)."""
    shape = text.translate(_NUMBER_SHAPE)
    return _float_shape().search(shape) is None and b"0" * 16 not in shape


def own_text(
    version: ContractVersion,
) -> tuple[tuple[str, tuple[str, ...], bool], bool] | None:
    """:func:`own_source` of a version :meth:`Registry.load` kept as bytes that prove
    its document is its own bundle (:func:`_own_bundle_refs`), from those bytes, with
    no document built, and whether it may recurse (:func:`may_recurse`); else ``None``.
    The text is the file itself: the same values as the document, so what a validator
    compiles from it is what it would compile from ``own_source`` of the bundle (which
    is then the document, :func:`_own_bundle`)."""
    kept = _stored_document(version)
    if type(kept) is not _Unparsed or kept.own is None:
        return None
    raw = _RAW_SLOT.__get__(version, ContractVersion)
    refs, recurses = kept.own
    backtracks = kept.backtracks
    if backtracks is None:
        backtracks = kept.backtracks = may_backtrack(raw)
    return (raw.decode("utf-8"), refs, backtracks), recurses


def _as_bundled(index: _Index, version: ContractVersion, ref: str) -> bool:
    """Whether ``ref``, written in ``version``, points into it and is written as the
    bundler would rewrite it."""
    if not ref.startswith("#"):
        return False
    try:
        target, pointer = _resolve(index, version, ref, "")
    except RefError:
        return False
    return target is version and ref == "#" + quote(pointer, safe=_FRAGMENT_SAFE)


def bundle_key(version: ContractVersion) -> str:
    """The ``$defs`` key a version is embedded under: ``accord~<id>@<version>``."""
    return f"{BUNDLE_KEY_PREFIX}{version.ref}"


def _declared_if_needed(bundler: _Bundler, bundle: Any) -> Any:
    """``bundle``, marked to be decided in its declared dialect (``dialect.Declared``)
    when a document in it has an ``unnormalised_assertion``: the reference then
    compiles the documents as written, bundled the same way (under ``definitions``)."""
    from accord.validation.dialect import declared, unnormalised_assertion

    found = next(
        (hit for v in bundler.versions if (hit := unnormalised_assertion(v.document))), None
    )
    if found is None:
        return bundle
    try:
        written = freeze(_Bundler(bundler.index, bundler.root, declared=True).run())
    except SchemaError as exc:
        return declared(bundle, found[0], None, exc)
    return declared(bundle, found[0], written)


class _Bundler:
    def __init__(self, index: _Index, root: ContractVersion, *, declared: bool = False) -> None:
        self.index = index
        self.root = root
        self.embedded: dict[str, Any] = {}  # bundle key -> rewritten document
        self.queue: list[ContractVersion] = []
        self.versions: list[ContractVersion] = [root]  # every document bundled
        # declared: documents as written (not normalised), embedded under
        # "definitions", all of the root's dialect (draft-06/07 content assertions).
        self.declared = declared
        self.defs = "definitions" if declared else "$defs"

    def run(self) -> dict[str, Any]:
        document = self._rewrite(self.root)
        if not isinstance(document, dict):
            raise RefError(
                "a registry version's root must be an object schema",
                code="schema-root-not-object",
                file=self.root.file,
            )
        while self.queue:
            version = self.queue.pop()
            key = bundle_key(version)
            if key in self.embedded:
                continue
            self.embedded[key] = None  # placeholder: cycles do not re-enter
            self.versions.append(version)
            embedded = self._rewrite(version)
            if isinstance(embedded, dict):
                # Every $ref is now a pointer from the bundle's root: anchors and $schema
                # have no job left in an embedded document.
                embedded.pop("$schema", None)
                for _here, schema in _subschemas(embedded):
                    schema.pop("$anchor", None)
            self.embedded[key] = embedded
        if self.embedded:
            defs = dict(document.get(self.defs, {}))
            for key in sorted(self.embedded):
                if key in defs:
                    raise RefError(
                        f"{self.defs} already has a key {key!r}, which bundling reserves",
                        code="ref-unresolvable",
                        file=self.root.file,
                        pointer=_pointer.join("/" + self.defs, key),
                    )
                defs[key] = self.embedded[key]
            document[self.defs] = defs
        if not self.declared:
            document["$schema"] = DRAFT_2020_12
        # An `$id` would make the rewritten `#/...` pointers below it resolve against
        # another base; the bundle is one resource.
        for _here, schema in _subschemas(document):
            if isinstance(schema.get("$id"), str):
                del schema["$id"]
        # Keys sorted at every level so key order (and so bytes) is deterministic: what a
        # round trip through canonical JSON gives, in one walk where only plain JSON
        # values are held (the round trip otherwise: it writes integral Decimals as ints).
        result = _sorted_frozen(document)
        if result is None:
            result = _jsondoc.loads(_jsondoc.sorted_dumps(document), max_bytes=None, max_depth=None)
        assert isinstance(result, dict)
        return result

    def _rewrite(self, version: ContractVersion) -> Any:
        if self.declared:
            dialect = _dialect_of(self.root.document)
            if _dialect_of(version.document) != dialect:
                raise SchemaError(
                    f"{self.root.ref} must be decided in {dialect}, as declared (a "
                    "content keyword is asserted there), but it bundles "
                    f"{version.ref}, written in {_dialect_of(version.document)}: "
                    "write them in one dialect",
                    code="schema-dialect-unsupported",
                    file=self.root.file,
                    pointer="",
                )
            return self._rewrite_refs(version, thaw(version.document), None)
        normal = self.index.normalized(version)
        return self._rewrite_refs(version, thaw(normal.document), normal)

    def _rewrite_refs(self, version: ContractVersion, document: Any, normal: Any) -> Any:
        for here, schema in list(_subschemas(document)):
            if not isinstance(schema.get("$ref"), str):
                continue
            # Resolve the $ref as written (normalisation may have renamed tokens of its
            # pointer), then map the target into the target's normalised layout.
            written_at = here if normal is None else normal.new_to_old.get(here, here)
            found, original = _pointer.lookup(version.document, written_at)
            ref = original.get("$ref") if found and isinstance(original, dict) else None
            if not isinstance(ref, str):
                ref = schema["$ref"]
            target, pointer = _resolve(self.index, version, ref, _pointer.join(written_at, "$ref"))
            if normal is not None:
                pointer = self.index.normalized(target).to_new(pointer)
            if target.uri == self.root.uri:
                schema["$ref"] = "#" + quote(pointer, safe=_FRAGMENT_SAFE)
            else:
                self.queue.append(target)
                schema["$ref"] = "#" + quote(
                    _pointer.join("/" + self.defs, bundle_key(target)) + pointer,
                    safe=_FRAGMENT_SAFE,
                )
        return document
