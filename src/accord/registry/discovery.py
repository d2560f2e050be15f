"""Which registry a service uses: discovery, in a documented order.

A service finds its registry in the first of these places that names one:

1. the explicit ``registry=`` argument (a :class:`~accord.registry.model.Registry`, a
   directory, or ``"pkg:NAME"`` for an installed registry package);
2. the ``ACCORD_REGISTRY`` environment variable (a directory, or ``pkg:NAME``);
3. ``[tool.accord] registry`` in the nearest ``pyproject.toml``;
4. an installed registry package: a distribution declaring an entry point in the group
   ``accord.registries`` (what ``accord package`` builds). Exactly one may be
   installed; with more, discovery refuses to guess and names them, unless one is
   chosen with ``ACCORD_REGISTRY=pkg:NAME`` or ``registry="pkg:NAME"``;
5. ``./contracts``.

:func:`resolve_registry` returns the root directory *and* a :class:`RegistrySource`
saying where it came from (for an installed package: its distribution name and
version), so the startup check can report what a service runs with.

An entry point's object is a callable returning the registry root (the packaged
module's ``registry_root``); it is loaded only for the package actually used, and the
packaged module imports nothing but :mod:`pathlib`.

Example::

    root, source = resolve_registry(None)
    source.describe()   # 'installed package acme-contracts 1.12.0 (/venv/.../registry)'
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from accord.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from accord.registry.model import Registry

__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_VAR",
    "PACKAGE_PREFIX",
    "InstalledRegistry",
    "RegistrySource",
    "clear_cache",
    "installed_registries",
    "registry_source",
    "resolve_registry",
]

ENTRY_POINT_GROUP = "accord.registries"
ENV_VAR = "ACCORD_REGISTRY"
PACKAGE_PREFIX = "pkg:"

SourceKind = Literal["argument", "environment", "pyproject", "package", "default"]


@dataclass(frozen=True, slots=True)
class RegistrySource:
    """Where the registry a service uses came from.

    Attributes:
        kind: ``argument`` (``registry=``), ``environment`` (``ACCORD_REGISTRY``),
            ``pyproject`` (``[tool.accord] registry``), ``package`` (an installed
            registry package) or ``default`` (``./contracts``).
        root: The registry root directory (absolute).
        package: The registry package's distribution name, when it is one.
        version: The registry package's version, when it is one.
        origin: What named it: the ``pyproject.toml`` path, the variable's value, ...
    """

    kind: SourceKind
    root: Path
    package: str | None = None
    version: str | None = None
    origin: str | None = None

    def describe(self) -> str:
        """One line for a person: ``installed package acme-contracts 1.12.0 (<root>)``."""
        if self.package is not None:
            via = {
                "package": "installed package",
                "environment": f"installed package ({ENV_VAR})",
                "argument": "installed package (registry=)",
            }.get(self.kind, "installed package")
            return f"{via} {self.package} {self.version} ({self.root})"
        via = {
            "argument": "registry argument",
            "environment": ENV_VAR,
            "pyproject": f"[tool.accord] registry in {self.origin}",
            "default": "./contracts",
        }.get(self.kind, self.kind)
        return f"directory {self.root} ({via})"

    def to_json(self) -> dict[str, str | None]:
        """The JSON form (startup check reports)."""
        return {
            "kind": self.kind,
            "root": self.root.as_posix(),
            "package": self.package,
            "version": self.version,
            "origin": self.origin,
        }


@dataclass(frozen=True, slots=True)
class InstalledRegistry:
    """A registry package found through the ``accord.registries`` entry points.

    Attributes:
        name: The entry point's name (the canonical distribution name).
        distribution: The distribution's name as its metadata spells it.
        version: The distribution's version.
        value: The entry point's object reference (``module:registry_root``).
    """

    name: str
    distribution: str
    version: str
    value: str
    _entry_point: EntryPoint | None = None

    def root(self) -> Path:
        """Load the entry point and return the registry root it names.

        Raises:
            ConfigError: ``registry-package-broken`` when it does not load, is not a
                callable returning a directory.
        """
        ep = self._entry_point
        if ep is None:  # pragma: no cover - always set by installed_registries()
            raise ConfigError(f"registry package {self.name} has no entry point")
        try:
            target = ep.load()
            value = target() if callable(target) else target
            root = Path(os.fspath(value)).resolve()
        except Exception as exc:  # a third-party package may fail in any way
            raise ConfigError(
                f"registry package {self.name} {self.version}: entry point "
                f"{self.value!r} in group {ENTRY_POINT_GROUP!r} does not load: "
                f"{type(exc).__name__}: {exc}",
                code="registry-package-broken",
            ) from exc
        if not root.is_dir():
            raise ConfigError(
                f"registry package {self.name} {self.version} names {root}, which is not a "
                "directory; reinstall it",
                code="registry-package-broken",
            )
        return root


_lock = threading.Lock()
_cache: dict[tuple[str, ...], tuple[InstalledRegistry, ...]] = {}


def clear_cache() -> None:
    """Forget the installed-package scan (after installing a package at run time; tests)."""
    with _lock:
        _cache.clear()


def installed_registries() -> tuple[InstalledRegistry, ...]:
    """Every installed registry package, sorted by name (nothing is imported).

    The scan is cached per ``sys.path``; :func:`clear_cache` forgets it.
    """
    from importlib.metadata import entry_points

    from packaging.utils import canonicalize_name

    key = tuple(sys.path)
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    found: dict[str, InstalledRegistry] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        distribution = dist.metadata["Name"] if dist is not None else ep.name
        version = dist.version if dist is not None else "unknown"
        name = str(canonicalize_name(ep.name))
        found.setdefault(name, InstalledRegistry(name, distribution, version, ep.value, ep))
    result = tuple(found[name] for name in sorted(found))
    with _lock:
        _cache[key] = result
    return result


def _installed(name: str, *, origin: str) -> InstalledRegistry:
    from packaging.utils import canonicalize_name

    wanted = str(canonicalize_name(name))
    available = installed_registries()
    for candidate in available:
        if candidate.name == wanted:
            return candidate
    names = ", ".join(f"{c.name} {c.version}" for c in available) or "none"
    raise ConfigError(
        f"{origin} names registry package {name!r}, which is not installed "
        f"(installed registry packages: {names})",
        code="registry-package-not-found",
    )


def _from_text(
    text: str, *, kind: SourceKind, origin: str, base: Path
) -> tuple[Path, RegistrySource]:
    if not isinstance(text, str) or "\x00" in text:
        raise ConfigError(
            f"{origin} is not a directory path: {text!r}", code="config-invalid-value"
        )
    if text.startswith(PACKAGE_PREFIX):
        package = _installed(text[len(PACKAGE_PREFIX) :].strip(), origin=origin)
        root = package.root()
        return root, RegistrySource(kind, root, package.distribution, package.version, text)
    root = (base / text).resolve()
    return root, RegistrySource(kind, root, origin=text)


def resolve_registry(
    registry: Registry | str | os.PathLike[str] | None = None,
    *,
    cwd: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Path, RegistrySource]:
    """The registry root a service should load, and where it came from.

    Args:
        registry: A :class:`~accord.registry.model.Registry` (its root is used), a
            directory, or ``"pkg:NAME"`` for an installed registry package; ``None``
            to discover (order in the module docstring).
        cwd: Directory relative paths and ``pyproject.toml`` lookup start from
            (default: the working directory).
        environ: The environment (default: :data:`os.environ`).

    Returns:
        ``(root, source)``: the absolute registry root and a :class:`RegistrySource`.
        The root is not loaded and may not exist (``./contracts`` as a last resort);
        :meth:`Registry.load` reports that.

    Raises:
        UsageError: ``registry-argument``, ``registry`` is none of these.
        ConfigError: ``registry-ambiguous`` (several registry packages installed and
            none named), ``registry-package-not-found``, ``registry-package-broken``,
            or an invalid ``[tool.accord]`` table.
    """
    if not (
        registry is None
        or isinstance(registry, (str, os.PathLike))
        or isinstance(getattr(registry, "root", None), Path)  # a Registry (model imports us)
    ):
        raise UsageError(
            "registry= takes a Registry (Registry.load(path)), a registry directory (str or "
            f"os.PathLike), 'pkg:NAME' or None, not {type(registry).__name__}",
            code="registry-argument",
        )
    here = Path(cwd) if cwd is not None else Path.cwd()
    env = os.environ if environ is None else environ
    if registry is not None and not isinstance(registry, (str, os.PathLike)):
        return registry.root, RegistrySource("argument", registry.root)
    if registry is not None:
        return _from_text(
            os.fspath(registry), kind="argument", origin="registry argument", base=here
        )
    named = env.get(ENV_VAR, "").strip()
    if named:
        return _from_text(named, kind="environment", origin=ENV_VAR, base=here)

    from accord.registry.config import find_project_config

    tool = find_project_config(here)
    if tool.registry is not None:
        root = tool.registry.resolve()
        origin = str(tool.source) if tool.source is not None else None
        return root, RegistrySource("pyproject", root, origin=origin)

    packages = installed_registries()
    if len(packages) > 1:
        names = ", ".join(f"{p.name} {p.version}" for p in packages)
        raise ConfigError(
            f"{len(packages)} registry packages are installed ({names}); name the one to "
            f"use with {ENV_VAR}=pkg:NAME, registry='pkg:NAME', or [tool.accord] registry",
            code="registry-ambiguous",
        )
    if packages:
        package = packages[0]
        root = package.root()
        return root, RegistrySource(
            "package", root, package.distribution, package.version, package.value
        )
    root = (here / "contracts").resolve()
    return root, RegistrySource("default", root)


def registry_source(
    registry: Registry | str | os.PathLike[str] | None = None,
) -> RegistrySource:
    """Where the registry comes from, without loading it (see :func:`resolve_registry`).

    A :class:`~accord.registry.model.Registry` or directory that is an installed registry
    package's root is reported as that package (so the startup check names the
    package and version a service runs with, whichever way the root was given).
    """
    root, source = resolve_registry(registry)
    if source.package is not None:
        return source
    for package in installed_registries():
        try:
            if package.root() == root:
                return RegistrySource(
                    source.kind, root, package.distribution, package.version, source.origin
                )
        except ConfigError:
            continue
    return source
