"""Deployment records and can-i-deploy, git-native (no broker server).

``<registry>/environments/<env>.toml`` says what runs where::

    # accord deployment records for environment 'production'
    format_version = 1

    [services.billing]
    deployed = ["1.4.0"]           # the version running now (record-deployment)
    released = []                  # live released versions (record-release: apps)

    [services.users-service]
    deployed = ["2.3.1"]
    released = []

``record-deployment`` replaces the service's deployed version; ``record-release``
adds a version to the live released ones (several may be live, as for mobile apps);
``record-undeployment`` removes a version (or every version) from both.

``can-i-deploy SERVICE VERSION --to ENV`` builds the matrix of the pairs that would run
together in ENV: SERVICE@VERSION as a provider against every consumer version live in
ENV, and SERVICE@VERSION as a consumer against every provider version live in ENV. Each
pair is ``verified`` (a verification record of the provider version has a successful
result for the consumer's expectation: same digest, or same content digest, since a
result applies to every consumer version with identical content; the newest matching
result counts), ``failed``, ``missing`` (no such result), ``stale`` (the result passed
against a contract version no range serves any more: yanked since, a draft, or gone)
or ``unknown`` (which expectations that consumer version holds is not known).
Safe only when every pair is verified, SERVICE@VERSION is a known version and every
provider it expects something of runs in ENV (a consumer deployed before its provider
would call nothing verified; a provider with no consumer in ENV is safe).

Which expectations a consumer version holds: the expectation files whose
``consumer.version`` is that version (a file without a version stands for every version
of its consumer), and the results of verification records naming that
``consumer_version``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from accord.consumers._records import VERSION_LABEL_RULE, is_version_label
from accord.core import pointer as _pointer
from accord.core.jsondoc import FORMAT_VERSION
from accord.provider._errors import ProviderError

if TYPE_CHECKING:
    from accord.registry.model import Registry

__all__ = [
    "ENVIRONMENTS_DIR",
    "DeployDecision",
    "Environment",
    "MatrixRow",
    "can_i_deploy",
    "check_known_environment",
    "check_known_service",
    "check_record_names",
    "environment_names",
    "known_services",
    "live_versions",
    "load_environment",
    "record_deployment",
    "record_release",
    "record_undeployment",
]

ENVIRONMENTS_DIR = "environments"

Kind = Literal["deployed", "released"]


@dataclass(frozen=True)
class Environment:
    """One environment: service name -> ``{"deployed": (...), "released": (...)}``."""

    name: str
    services: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def live(self, service: str, kind: Kind | None = None) -> tuple[str, ...]:
        """Versions of ``service`` live here (deployed and released, or one kind)."""
        entry = self.services.get(service, {})
        kinds: tuple[Kind, ...] = (kind,) if kind else ("deployed", "released")
        out: list[str] = []
        for k in kinds:
            out.extend(v for v in entry.get(k, ()) if v not in out)
        return tuple(out)


def _check_name(text: str, what: str) -> str:
    from accord.registry.names import is_valid_name

    if not is_valid_name(text, what=what):
        raise ProviderError(
            f"{what} {text!r} is not a valid name (lower-case letters, digits and '-', "
            "starting with a letter)",
            code="record-bad-name",
        )
    return text


def _check_version(text: str) -> str:
    # one grammar for the versions of verification and deployment records
    if not is_version_label(text):
        raise ProviderError(
            f"version {text!r} is not a valid version label ({VERSION_LABEL_RULE})",
            code="record-bad-name",
        )
    return text


def _relpath(env: str) -> str:
    return f"{ENVIRONMENTS_DIR}/{_check_name(env, 'environment')}.toml"


def _parse(raw: bytes, env: str, file: str) -> Environment:
    import tomllib

    def bad(why: str, pointer: str = "") -> ProviderError:
        return ProviderError(
            f"not a deployment record: {why}",
            code="environment-invalid",
            file=file,
            pointer=pointer,
        )

    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise bad(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise bad(str(exc)) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise bad("arrays or inline tables nested too deeply") from None
    if doc.get("format_version") != 1:
        raise bad("format_version must be 1", "/format_version")
    unknown = set(doc) - {"format_version", "services"}
    if unknown:
        raise bad(f"unknown keys {sorted(unknown)}", _pointer.join("", sorted(unknown)[0]))
    services: dict[str, dict[str, tuple[str, ...]]] = {}
    raw = doc.get("services", {})
    if not isinstance(raw, dict):
        raise bad("'services' must be a table", "/services")
    from accord.registry.names import is_valid_name

    for name, entry in raw.items():
        where = f"/services/{name}"
        if not is_valid_name(name, what="service"):
            raise bad(f"{name!r} is not a valid service name", where)
        if not isinstance(entry, dict) or set(entry) - {"deployed", "released"}:
            raise bad("a service has only 'deployed' and 'released' lists", where)
        out: dict[str, tuple[str, ...]] = {}
        for kind in ("deployed", "released"):
            values = entry.get(kind, [])
            if not isinstance(values, list) or not all(is_version_label(v) for v in values):
                raise bad(f"'{kind}' must be a list of version labels", f"{where}/{kind}")
            out[kind] = tuple(values)
        services[name] = out
    return Environment(env, services)


def _render(env: Environment) -> bytes:
    import json

    lines = [
        f"# accord deployment records for environment {env.name!r}: written by",
        "# accord record-deployment, record-undeployment and record-release.",
        "format_version = 1",
    ]
    for name in sorted(env.services):
        entry = env.services[name]
        lines.append("")
        lines.append(f"[services.{name}]")
        for kind in ("deployed", "released"):
            values = ", ".join(json.dumps(v) for v in entry.get(kind, ()))
            lines.append(f"{kind} = [{values}]")
    return ("\n".join(lines) + "\n").encode()


def load_environment(root: str | Path, env: str) -> Environment:
    """The records of ``env`` (empty when it has none yet).

    Raises:
        ProviderError: ``environment-invalid`` (file and pointer set).
        DocumentError: ``path-symlink``: ``environments/`` is a symlink.
    """
    from accord.core.jsondoc import read_regular, refuse_links_below

    relpath = _relpath(env)
    # read_regular refuses a link at the file's own name only
    refuse_links_below(Path(root), relpath, action="read")
    try:
        # the registry's one safe read: a regular file, never through a symlink
        raw = read_regular(Path(root) / relpath, display=relpath, error=ProviderError)
    except ProviderError as exc:
        if exc.code == "file-not-found":
            return Environment(env)
        raise
    return _parse(raw, env, relpath)


def environment_names(root: str | Path) -> list[str]:
    """Every environment with a record file, sorted."""
    base = Path(root) / ENVIRONMENTS_DIR
    if not base.is_dir():
        return []
    return sorted(p.stem for p in base.glob("*.toml") if not p.name.startswith("."))


def live_versions(
    root: str | Path, service: str, *, kind: Kind | None = None, env: str | None = None
) -> set[str]:
    """Versions of ``service`` deployed/released in ``env`` (or any environment)."""
    names = [env] if env else environment_names(root)
    out: set[str] = set()
    for name in names:
        out.update(load_environment(root, name).live(service, kind))
    return out


def _change(root: str | Path, env: str, service: str, edit: Any) -> Environment:
    from accord.provider._records import update_record

    relpath = _relpath(env)
    _check_name(service, "service")
    result: dict[str, Environment] = {}

    def update(old: bytes | None) -> bytes:
        current = _parse(old, env, relpath) if old is not None else Environment(env)
        services = {k: dict(v) for k, v in current.services.items()}
        entry = services.setdefault(service, {"deployed": (), "released": ()})
        edit(entry)
        if not entry.get("deployed") and not entry.get("released"):
            del services[service]
        new = Environment(env, services)
        result["env"] = new
        return _render(new)

    update_record(root, relpath, update)
    return result["env"]


def record_deployment(root: str | Path, service: str, version: str, env: str) -> Environment:
    """``service`` now runs ``version`` in ``env`` (replacing the deployed version)."""
    _check_version(version)

    def edit(entry: dict[str, tuple[str, ...]]) -> None:
        entry["deployed"] = (version,)

    return _change(root, env, service, edit)


def record_release(root: str | Path, service: str, version: str, env: str) -> Environment:
    """``version`` of ``service`` is released (live beside other released versions)."""
    _check_version(version)

    def edit(entry: dict[str, tuple[str, ...]]) -> None:
        released = entry.get("released", ())
        if version not in released:
            entry["released"] = (*released, version)

    return _change(root, env, service, edit)


def record_undeployment(
    root: str | Path, service: str, env: str, version: str | None = None
) -> Environment:
    """``version`` (default: every version) of ``service`` no longer runs in ``env``.

    Raises:
        ProviderError: ``not-deployed`` when nothing matching was live there.
    """
    if version is not None:
        _check_version(version)
    removed: list[str] = []

    def edit(entry: dict[str, tuple[str, ...]]) -> None:
        for kind in ("deployed", "released"):
            keep = tuple(v for v in entry.get(kind, ()) if version is not None and v != version)
            removed.extend(v for v in entry.get(kind, ()) if v not in keep)
            entry[kind] = keep

    before = load_environment(root, env).live(service)
    if not before or (version is not None and version not in before):
        raise ProviderError(
            f"{service}{' ' + version if version else ''} is not recorded in {env!r} "
            f"(live there: {', '.join(before) or 'nothing'})",
            code="not-deployed",
        )
    return _change(root, env, service, edit)


# -- can-i-deploy -------------------------------------------------------------------------

Status = Literal["verified", "failed", "missing", "unknown", "stale"]


@dataclass(frozen=True)
class MatrixRow:
    """One consumer/provider pair that would run together."""

    consumer: str
    consumer_version: str
    provider: str
    provider_version: str
    expectation: str | None
    status: Status
    verified_at: str | None = None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "consumer": self.consumer,
            "consumer_version": self.consumer_version,
            "provider": self.provider,
            "provider_version": self.provider_version,
            "expectation": self.expectation,
            "status": self.status,
            "verified_at": self.verified_at,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class DeployDecision:
    """The answer of can-i-deploy: ``safe`` and why."""

    service: str
    version: str
    environment: str
    safe: bool
    matrix: tuple[MatrixRow, ...]
    reasons: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "service": self.service,
            "version": self.version,
            "environment": self.environment,
            "safe": self.safe,
            "matrix": [r.to_json() for r in self.matrix],
            "reasons": list(self.reasons),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class _Held:
    """An expectation a consumer version holds toward a provider."""

    consumer: str
    provider: str
    expectation: str
    digest: str
    content_digest: str = ""


def _held(
    registry: Registry, records: Iterable[dict[str, Any]]
) -> tuple[list[tuple[_Held, str | None]], list[tuple[_Held, str]]]:
    """Expectations from files ``(held, consumer version or None)`` and from records
    ``(held, consumer version)``."""
    from accord.consumers._model import discover
    from accord.provider._interactions import VERIFIED_KINDS, provider_of

    files: list[tuple[_Held, str | None]] = []
    for ef in discover(registry.root):
        providers = {
            p
            for inter in ef.doc.get("interactions", [])
            if inter.get("type") in VERIFIED_KINDS
            and (p := provider_of(registry, ef, inter)) is not None
        }
        version = ef.doc.get("consumer", {}).get("version")
        files.extend(
            (_Held(ef.consumer, p, ef.file, ef.digest, ef.content_digest), version)
            for p in sorted(providers)
        )
    recorded: list[tuple[_Held, str]] = []
    for rec in records:
        for r in rec["results"]:
            if isinstance(r.get("consumer_version"), str):
                held = _Held(
                    r["consumer"],
                    rec["provider"],
                    str(r.get("expectation")),
                    r["digest"],
                    str(r.get("content_digest") or ""),
                )
                recorded.append((held, r["consumer_version"]))
    return files, recorded


def _no_provider(registry: Registry, consumer: str, version: str) -> list[str]:
    """Expectation files of ``consumer`` at ``version`` holding an interaction that no
    provider verifies: the file names no ``provider`` and no body a contract whose
    ``contract.toml`` names one (``verify --provider`` never selects it)."""
    from accord.consumers._model import discover
    from accord.provider._interactions import VERIFIED_KINDS, provider_of

    return [
        ef.file
        for ef in discover(registry.root)
        if ef.consumer == consumer
        and ef.doc.get("consumer", {}).get("version") in (None, version)
        and any(
            inter.get("type") in VERIFIED_KINDS and provider_of(registry, ef, inter) is None
            for inter in ef.doc.get("interactions", [])
        )
    ]


def _expectations_of(
    consumer: str,
    version: str,
    provider: str | None,
    files: list[tuple[_Held, str | None]],
    recorded: list[tuple[_Held, str]],
) -> list[_Held]:
    out: dict[tuple[str, str, str], _Held] = {}
    for held, v in [*files, *recorded]:
        if held.consumer != consumer or (provider is not None and held.provider != provider):
            continue
        if v is None or v == version:
            out.setdefault((held.provider, held.expectation, held.digest), held)
    return [out[k] for k in sorted(out)]


def _unserved_basis(registry: Registry, result: Mapping[str, Any]) -> str:
    """Why a passing result no longer shows anything (a contract version its answers
    were judged against is one no consumer's range serves now), or ``""``."""
    from accord.errors import AccordError

    contracts = result.get("contracts")
    for ref in contracts if isinstance(contracts, list) else []:
        try:
            version = registry.get(str(ref))
        except AccordError:
            return f"verified against {ref}, which is no longer in the registry"
        if version.yanked is not None:
            return f"verified against {ref}, yanked since"
        if version.draft:
            return f"verified against {ref}, a draft (no accord.lock line)"
    return ""


def _status(
    registry: Registry,
    records: Mapping[tuple[str, str], dict[str, Any]],
    held: _Held,
    provider_version: str,
) -> tuple[Status, str | None, str]:
    record = records.get((held.provider, provider_version))
    if record is None:
        return "missing", None, f"no verification of {held.provider} {provider_version}"
    matching = [
        r
        for r in record["results"]
        if r["consumer"] == held.consumer
        and (
            r["digest"] == held.digest
            or (held.content_digest and r.get("content_digest") == held.content_digest)
        )
    ]
    if matching:
        # the newest result counts; at the same second (times have seconds precision) a
        # failure wins, whatever order the results are stored in
        r = max(matching, key=lambda x: (str(x.get("verified_at") or ""), not x["success"]))
        when = r.get("verified_at") or record.get("verified_at")
        # a range never serves a yanked version or a draft: the consumers now read
        # versions those answers were never checked against
        stale = _unserved_basis(registry, r) if r["success"] else ""
        if stale:
            return "stale", when, f"{stale}: verify {held.provider} {provider_version} again"
        if r["success"]:
            return "verified", when, ""
        return (
            "failed",
            when,
            (
                f"{held.provider} {provider_version} failed verification of "
                f"{held.consumer}'s {held.expectation}"
            ),
        )
    return (
        "missing",
        None,
        (
            f"{held.provider} {provider_version} was never verified against this version of "
            f"{held.consumer}'s {held.expectation}"
        ),
    )


def _unknown(
    what: str, name: str, known: Iterable[str], code: str, tail: str = ""
) -> ProviderError:
    """``unknown <what> 'name'; did you mean ...?`` (exit 2)."""
    from accord.core.text import did_you_mean

    return ProviderError(f"unknown {what} {name!r}{did_you_mean(name, known)}{tail}", code=code)


def check_known_environment(root: Path, env: str) -> str:
    """``env`` when it has a record file.

    Raises:
        ProviderError: ``environment-unknown`` with the closest known name.
    """
    _check_name(env, "environment")
    names = environment_names(root)
    if env not in names:
        tail = (
            ""
            if names
            else f" (the first `accord record-deployment SERVICE VERSION --env {env}` starts it)"
        )
        raise _unknown("environment", env, names, "environment-unknown", tail)
    return env


def known_services(registry: Registry) -> set[str]:
    """Every service the registry knows: contract providers, consumers and providers of
    expectations and verification records, and services recorded in an environment."""
    from accord.consumers._records import load_records

    names = {c.meta.provider for c in registry.contracts.values() if c.meta.provider}
    records = load_records(registry.root)
    files, recorded = _held(registry, records)
    names.update(n for h, _ in files + recorded for n in (h.consumer, h.provider))
    names.update(r["provider"] for r in records)
    for env in environment_names(registry.root):
        names.update(load_environment(registry.root, env).services)
    return names


def check_known_service(registry: Registry, service: str) -> str:
    """``service`` when :func:`known_services` has it.

    Raises:
        ProviderError: ``service-unknown`` with the closest known name.
    """
    _check_name(service, "service")
    known = known_services(registry)
    if service not in known:
        raise _unknown("service", service, known, "service-unknown")
    return service


def check_record_names(
    registry: Registry,
    service: str,
    env: str,
    *,
    version: str | None = None,
    undeploy: bool = False,
    new_environment: bool = False,
) -> None:
    """Refuse a record command naming what nothing records (a typo splits the records).

    ``service`` must be known (:func:`known_services`). ``env`` must have a record file,
    unless no environment has one yet (the first deployment) or ``new_environment``
    (not for an undeployment). An undeployment's ``version`` must be live in ``env``.

    Raises:
        ProviderError: ``service-unknown``, ``environment-unknown``, ``version-unknown``.
    """
    check_known_service(registry, service)
    _check_name(env, "environment")
    names = environment_names(registry.root)
    if env not in names and (undeploy or (names and not new_environment)):
        tail = "" if undeploy else " (recording a new environment needs --new-environment)"
        raise _unknown("environment", env, names, "environment-unknown", tail)
    if undeploy and version is not None:
        live = load_environment(registry.root, env).live(service)
        if version not in live:
            raise _unknown(f"version of {service} in {env}", version, live, "version-unknown")


def can_i_deploy(registry: Registry, service: str, version: str, env: str) -> DeployDecision:
    """May ``service`` at ``version`` be deployed to ``env``? (see the module docstring)

    Raises:
        ProviderError: a bad name, an invalid environment record, or a name nothing
            records (``environment-unknown``, ``service-unknown``, ``version-unknown``,
            each with the closest known name).
        DocumentError: an invalid expectation or verification record.
    """
    from accord.consumers._records import load_records
    from accord.registry.model import registry_argument

    registry = registry_argument(registry)

    _check_name(service, "service")
    _check_version(version)
    root = registry.root
    check_known_environment(root, env)
    check_known_service(registry, service)
    environment = load_environment(root, env)
    records = load_records(root)
    by_version = {(r["provider"], r["provider_version"]): r for r in records}
    files, recorded = _held(registry, records)
    rows: list[MatrixRow] = []
    notes: list[str] = []

    # SERVICE as a provider: every consumer version live in ENV.
    consumers = sorted({h.consumer for h, _ in files + recorded if h.provider == service})
    for consumer in consumers:
        if consumer == service:
            continue
        live = environment.live(consumer)
        if not live:
            notes.append(f"{consumer} (a consumer of {service}) runs nowhere in {env}")
        for cv in live:
            held = _expectations_of(consumer, cv, service, files, recorded)
            if not held:
                rows.append(
                    MatrixRow(
                        consumer,
                        cv,
                        service,
                        version,
                        None,
                        "unknown",
                        reason=f"which expectations {consumer} {cv} holds of {service} is "
                        "not known (no expectation file or verification record names that "
                        "version)",
                    )
                )
                continue
            for h in held:
                status, when, why = _status(registry, by_version, h, version)
                rows.append(
                    MatrixRow(consumer, cv, service, version, h.expectation, status, when, why)
                )

    # SERVICE as a consumer: every provider version live in ENV.
    mine = _expectations_of(service, version, None, files, recorded)
    is_consumer = any(h.consumer == service for h, _ in files + recorded)
    absent: list[str] = []  # providers it calls that run nowhere in ENV: not safe
    for h in mine:
        live = environment.live(h.provider)
        if not live:
            absent.append(h.provider)
        for pv in live:
            status, when, why = _status(registry, by_version, h, pv)
            rows.append(
                MatrixRow(service, version, h.provider, pv, h.expectation, status, when, why)
            )

    known = (
        (service, version) in by_version
        or bool(mine)
        or any(
            r["consumer"] == service and r.get("consumer_version") == version
            for rec in records
            for r in rec["results"]
        )
        or any(version in load_environment(root, e).live(service) for e in environment_names(root))
    )
    if not known:
        versions = {v for p, v in by_version if p == service}
        versions.update(v for h, v in files + recorded if h.consumer == service and v)
        for e in environment_names(root):
            versions.update(load_environment(root, e).live(service))
        raise _unknown(f"version of {service}", version, versions, "version-unknown")
    reasons: list[str] = []
    if is_consumer and not mine:
        reasons.append(f"the expectations of {service} {version} are not known")
    # Deployed there, it would call (or wait for) a provider nothing verified it against
    # in ENV, or none at all: not safe, as the Pact Broker says ("no version is currently
    # recorded as deployed/released in this environment").
    reasons.extend(
        f"{provider} (a provider of {service}) runs nowhere in {env}: no version of it is "
        f"recorded as deployed or released there, so nothing verified what {service} "
        f"{version} expects of it in {env} (deploy {provider} first)"
        for provider in dict.fromkeys(absent)
    )
    # Left out of the matrix, which pairs a consumer with the providers it names, such an
    # interaction would never count: nothing verifies it, so it is not safe.
    reasons.extend(
        f"{service} {version}: {file} has interactions no provider verifies (it names no "
        "provider, nor does the contract.toml of a contract its bodies read)"
        for file in _no_provider(registry, service, version)
    )
    reasons.extend(
        f"{r.consumer} {r.consumer_version} -> {r.provider} {r.provider_version}: "
        f"{r.status}" + (f" ({r.reason})" if r.reason else "")
        for r in rows
        if r.status != "verified"
    )
    return DeployDecision(
        service=service,
        version=version,
        environment=env,
        safe=not reasons,
        matrix=tuple(rows),
        reasons=tuple(reasons),
        notes=tuple(dict.fromkeys(notes)),
    )
