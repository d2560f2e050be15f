"""Messages that carry their contract: CloudEvents ``dataschema``, lookup, upcasting.

A producer stamps each message with the exact contract version it was written with,
as the CloudEvents ``dataschema`` attribute (docs/design.md, "Consumers")::

    accord.stamp(event, "orders.order-placed@1.2.0")
    # structured mode:  event["dataschema"] == "accord://orders.order-placed@1.2.0"
    # binary mode:      headers["ce-dataschema"] (Kafka: "ce_dataschema") is set

A consumer picks the validator from the stamp (:func:`validator_for_message`); a stamp
naming a version newer than the registry it has installed is a clear error naming both
versions (upgrade the registry package), never a silent fallback.

Event-sourced consumers read old events as the current major through *upcasters*:
functions registered between consecutive majors and chained by :func:`upcast`::

    @accord.upcaster("orders.order-placed", from_major=1)
    def order_placed_v2(data):
        customer = data.pop("customer")
        return {**data, "customer_id": customer["id"]}

    event = accord.upcast(old_event)   # data now valid under the latest 2.x, restamped

Messages are a structured CloudEvent (a mapping with ``specversion``; the payload under
``data``), a headers mapping (``str`` keys, ``str``/``bytes`` values, looked up
case-insensitively), or a list of ``(key, value)`` header pairs (confluent-kafka).
"""

from __future__ import annotations

import copy
import os
import threading
import warnings
from collections.abc import Callable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, TypeVar

from accord.errors import AccordError, UsageError, VersionNotFound

if TYPE_CHECKING:
    from accord.registry.model import Contract, ContractVersion, Registry
    from accord.validation.validator import Validator
    from accord.versions import Version

__all__ = [
    "DATASCHEMA",
    "Upcasters",
    "dataschema_of",
    "stamp",
    "upcast",
    "upcast_data",
    "upcaster",
    "validator_for_message",
]

DATASCHEMA = "dataschema"
_HTTP_HEADER = "ce-dataschema"
_KAFKA_HEADER = "ce_dataschema"
_HEADER_NAMES = (_HTTP_HEADER, _KAFKA_HEADER)

F = TypeVar("F", bound=Callable[[Any], Any])
Message = Any  # a CloudEvent mapping, a headers mapping, or a list of header pairs


# -- stamping --------------------------------------------------------------------------


def _exact_uri(ref: Any, registry: Registry | str | os.PathLike[str] | None) -> str:
    from accord.registry.model import ContractVersion
    from accord.registry.names import ContractRef

    if isinstance(ref, ContractVersion):
        return ref.uri
    if not isinstance(ref, str):
        raise UsageError(f"stamp() needs a contract reference, got {type(ref).__name__}")
    parsed = ContractRef.parse(ref.removeprefix("accord://"))
    if parsed.version is not None:
        return parsed.pinned(parsed.version).uri()
    # A range is resolved once against the registry: a message always names the exact
    # version it was written with.
    return _load_registry(registry)[0].get(parsed).uri


def _is_envelope(message: Any) -> bool:
    return isinstance(message, Mapping) and "specversion" in message


def _header_keys(message: Mapping[Any, Any]) -> bool:
    return all(isinstance(k, str) for k in message) and all(
        isinstance(v, (str, bytes)) for v in message.values()
    )


def stamp(
    message: Message,
    ref: str | ContractVersion,
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    header: str | None = None,
) -> Message:
    """Set the CloudEvents ``dataschema`` of ``message`` to ``accord://<id>@<version>``.

    Args:
        message: A structured CloudEvent (a mutable mapping with ``specversion``: the
            ``dataschema`` attribute is set), a headers mapping (``ce-dataschema`` is
            set, or ``ce_dataschema`` when the headers already use the Kafka ``ce_``
            prefix), or a list of ``(key, value)`` header pairs (replaced or appended;
            the value is ``bytes`` when the list's values are bytes).
        ref: An exact reference (``orders.order-placed@1.2.0``, written as given: the
            registry is not read, and a reader whose registry lacks that version refuses
            the message), a :class:`~accord.registry.model.ContractVersion`, or a range,
            resolved against the registry to the exact version it selects.
        registry: The registry a range is resolved against (default: discovery).
        header: The header name to set in binary mode (overrides the prefix rule).

    Returns:
        ``message`` itself, stamped.

    Raises:
        UsageError: ``envelope-not-a-message`` for anything else (a bare payload: wrap
            it in a CloudEvent or pass its headers); ``envelope-bad-header`` for a
            ``header`` that is not an HTTP field name.
        InvalidReference: a bad ``ref``; ContractNotFound, VersionNotFound: a range no
            version of the registry satisfies.

    Example:
        >>> stamp({"specversion": "1.0", "data": {}}, "orders.order-placed@1.2.0")["dataschema"]
        'accord://orders.order-placed@1.2.0'
    """
    from accord.registry.model import registry_or_root_argument

    registry = registry_or_root_argument(registry)

    if header is not None and not _is_token(header):
        raise UsageError(
            f"stamp() header name {header!r} is not an HTTP header name (a token: letters, "
            "digits and !#$%&'*+-.^_`|~)",
            code="envelope-bad-header",
        )
    uri = _exact_uri(ref, registry)
    if _is_envelope(message):
        if not isinstance(message, MutableMapping):
            raise UsageError(
                "stamp() needs a mutable CloudEvent mapping", code="envelope-immutable"
            )
        message[DATASCHEMA] = uri
        return message
    if isinstance(message, MutableMapping) and _header_keys(message):
        name = header or _header_name(message.keys())
        for key in [k for k in message if k.lower() == name.lower()]:
            del message[key]
        message[name] = uri
        return message
    if isinstance(message, list) and all(
        isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) for item in message
    ):
        name = header or _header_name(k for k, _ in message)
        as_bytes = any(isinstance(v, bytes) for _, v in message)
        message[:] = [(k, v) for k, v in message if k.lower() != name.lower()]
        message.append((name, uri.encode() if as_bytes else uri))
        return message
    raise UsageError(
        "stamp() takes a CloudEvent mapping (with 'specversion'), a headers mapping of "
        f"str to str/bytes, or a list of (key, value) header pairs; got {type(message).__name__} "
        "(a bare payload has no place for the attribute: wrap it in a CloudEvent)",
        code="envelope-not-a-message",
    )


_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _is_token(name: object) -> bool:
    """An HTTP field name (RFC 9110 token): no space, CR/LF or separator to smuggle a
    second header through."""
    return isinstance(name, str) and bool(name) and all(c in _TOKEN for c in name)


def _header_name(keys: Any) -> str:
    return _KAFKA_HEADER if any(str(k).lower().startswith("ce_") for k in keys) else _HTTP_HEADER


def dataschema_of(message: Message) -> str | None:
    """The ``dataschema`` a message carries, or ``None``.

    Raises:
        UsageError: ``message-ambiguous-dataschema`` when its headers carry two
            different stamps (``ce-dataschema`` twice, or beside ``ce_dataschema``):
            readers differ on which one wins, so neither is trusted.
    """
    values: list[Any] = []
    if _is_envelope(message):
        values = [message.get(DATASCHEMA)]
    elif isinstance(message, Mapping):
        values = [
            item
            for key, item in message.items()
            if isinstance(key, str) and key.lower() in _HEADER_NAMES
        ]
    elif isinstance(message, (list, tuple)):
        values = [
            item[1]
            for item in message
            if isinstance(item, tuple) and len(item) == 2 and str(item[0]).lower() in _HEADER_NAMES
        ]
    stamps = {_stamp_text(value) for value in values} - {None}
    if len(stamps) > 1:
        raise UsageError(
            f"the message carries {len(stamps)} different dataschema headers "
            f"({', '.join(sorted(repr(s) for s in stamps))}): stamp it once",
            code="message-ambiguous-dataschema",
        )
    return stamps.pop() if stamps else None


def _stamp_text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) and value else None


# -- lookup ----------------------------------------------------------------------------


def _load_registry(
    registry: Registry | str | os.PathLike[str] | None,
) -> tuple[Registry, str]:
    """The registry (cached by the runtime) and a description of where it came from."""
    from accord.registry.discovery import registry_source
    from accord.registry.model import Registry
    from accord.registry.runtime import _registry_for

    if isinstance(registry, Registry):
        return registry, f"registry {registry.root}"
    source = registry_source(registry)
    return _registry_for(source.root), source.describe()


def _stamped(message: Message) -> tuple[str, Version]:
    from accord.registry.names import split_uri

    uri = dataschema_of(message)
    if uri is None:
        raise UsageError(
            "the message carries no dataschema (CloudEvents attribute 'dataschema', header "
            "'ce-dataschema' or 'ce_dataschema'): stamp it with accord.stamp(message, ref)",
            code="message-no-dataschema",
        )
    if not uri.startswith("accord://"):
        raise UsageError(
            f"the message's dataschema {uri!r} is not an accord:// contract reference",
            code="message-foreign-dataschema",
        )
    ref, pointer = split_uri(uri)
    if pointer or ref.version is None:
        raise UsageError(
            f"the message's dataschema {uri!r} must name a whole contract version, "
            "accord://ns.name@X.Y.Z",
            code="message-foreign-dataschema",
        )
    return ref.id, ref.version


def _version_in(
    contract: Contract, version: Version, *, where: str, allow_draft: bool = False
) -> ContractVersion:
    """The version a payload was written with, as the registry has it.

    A stamp is the producer's pin, not the reader's: a draft (no ``accord.lock`` line)
    is no release, so it is refused unless the reader opted in (``allow_draft``: only a
    reader's own exact pin reaches a draft); a yanked version is still read (pins keep
    working) with a warning naming the yank's reason.
    """
    for candidate in contract.versions:
        if candidate.version != version:
            continue
        if candidate.draft and not allow_draft:
            raise VersionNotFound(
                f"the message is stamped {candidate.ref}, a draft ({where}): its file has no "
                "accord.lock line (never published, or a publish was interrupted), so it is "
                "no release to judge messages by; publish it (or pass allow_draft=True, in "
                "tests)",
                code="message-version-draft",
                ref=candidate.ref,
            )
        if candidate.yanked is not None:
            from accord.core.text import escape_control

            warnings.warn(
                f"the message is stamped {candidate.ref}, which is yanked "
                f"({escape_control(candidate.yanked)}): its producer should move to a "
                "newer version",
                UserWarning,
                stacklevel=3,
            )
        return candidate
    known = [c.version for c in contract.versions]
    stamped = f"{contract.id}@{version}"
    if known and version > max(known):
        raise VersionNotFound(
            f"the message is stamped {stamped}, newer than the newest version of "
            f"{contract.id} the installed registry knows ({max(known)}; {where}): upgrade "
            "the registry package (or the registry checkout) to one that has it",
            code="message-version-newer",
            ref=stamped,
        )
    shown = ", ".join(str(v) for v in known) or "none"
    raise VersionNotFound(
        f"the message is stamped {stamped}, which the registry does not have "
        f"(available: {shown}; {where})",
        ref=stamped,
    )


def validator_for_message(
    message: Message,
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    allow_draft: bool = False,
) -> Validator:
    """The validator of the exact contract version a message is stamped with.

    A stamp naming a yanked version is read (pins keep working) with a ``UserWarning``
    naming the yank's reason; one naming a draft is refused unless ``allow_draft``.

    Args:
        message: A stamped message (see :func:`stamp` for the forms).
        registry: A registry, its directory or ``pkg:NAME`` (default: discovery).
        allow_draft: Read a stamp naming a draft (a version file with no
            ``accord.lock`` line), with a warning: in tests of an unpublished version.

    Raises:
        UsageError: ``message-no-dataschema``, ``message-foreign-dataschema``,
            ``message-ambiguous-dataschema`` (two different stamps in its headers).
        ContractNotFound: the registry has no such contract.
        VersionNotFound: ``message-version-newer`` when the stamp is newer than every
            version the registry knows (the message names both), ``message-version-draft``
            for a draft (without ``allow_draft``), else ``version-not-found``.
        UsageError: ``allow_draft`` is not a bool.
    """
    from accord.registry.model import registry_or_root_argument
    from accord.registry.runtime import validator

    registry = registry_or_root_argument(registry)
    _check_allow_draft(allow_draft)

    contract_id, version = _stamped(message)
    reg, where = _load_registry(registry)
    found = _version_in(reg.contract(contract_id), version, where=where, allow_draft=allow_draft)
    return validator(found.ref, registry=reg)


def _check_allow_draft(allow_draft: object) -> None:
    # A config's text "false" would read as true: drafts would pass as releases.
    if not isinstance(allow_draft, bool):
        raise UsageError(f"allow_draft must be True or False, not {allow_draft!r}", code="usage")


# -- upcasting -------------------------------------------------------------------------


class Upcasters:
    """Upcaster functions between consecutive majors of contracts.

    An upcaster registered for ``(contract, from_major=N)`` turns a payload valid under
    an ``N.x`` version into one valid under the ``N+1`` major; :meth:`chain` strings
    them together across several majors. :func:`upcaster` registers into the process
    default instance; tests make their own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._functions: dict[tuple[str, int], Callable[[Any], Any]] = {}

    def register(self, contract_id: str, from_major: int, function: Callable[[Any], Any]) -> None:
        """Register ``function`` as the upcaster from ``from_major`` to ``from_major + 1``.

        Raises:
            UsageError: ``upcaster-duplicate`` when another function is registered for
                the same contract and major; ``upcaster-bad-major``.
            InvalidReference: ``contract_id`` is not a contract id.
        """
        from accord.registry.names import ContractRef

        parsed = ContractRef.parse(contract_id)
        if parsed.range is not None:
            raise UsageError(
                f"upcaster() takes a contract id without a version, got {contract_id!r}",
                code="upcaster-bad-contract",
            )
        if isinstance(from_major, bool) or not isinstance(from_major, int) or from_major < 0:
            raise UsageError(
                f"from_major must be a non-negative integer, got {from_major!r}",
                code="upcaster-bad-major",
            )
        key = (parsed.id, from_major)
        with self._lock:
            current = self._functions.get(key)
            if current is not None and current is not function:
                raise UsageError(
                    f"an upcaster from {parsed.id} major {from_major} is already registered "
                    f"({getattr(current, '__qualname__', current)!s})",
                    code="upcaster-duplicate",
                )
            self._functions[key] = function

    def upcaster(self, contract_id: str, *, from_major: int) -> Callable[[F], F]:
        """Decorator form of :meth:`register`."""

        def decorate(function: F) -> F:
            self.register(contract_id, from_major, function)
            return function

        return decorate

    def chain(self, contract_id: str, from_major: int, to_major: int) -> list[Callable[[Any], Any]]:
        """The upcasters from ``from_major`` up to ``to_major``, in order.

        Raises:
            UsageError: ``upcaster-missing`` naming the first missing step;
                ``upcast-downward`` when ``to_major < from_major``.
        """
        if to_major < from_major:
            raise UsageError(
                f"cannot upcast {contract_id} from major {from_major} down to {to_major}",
                code="upcast-downward",
            )
        steps: list[Callable[[Any], Any]] = []
        with self._lock:
            for major in range(from_major, to_major):
                function = self._functions.get((contract_id, major))
                if function is None:
                    raise UsageError(
                        f"no upcaster from {contract_id} major {major} to {major + 1}: "
                        f"register one with @accord.upcaster({contract_id!r}, "
                        f"from_major={major})",
                        code="upcaster-missing",
                    )
                steps.append(function)
        return steps


UPCASTERS = Upcasters()


def upcaster(contract_id: str, *, from_major: int) -> Callable[[F], F]:
    """Register an upcaster from major ``from_major`` of ``contract_id`` to the next.

    Example::

        @accord.upcaster("orders.order-placed", from_major=1)
        def v1_to_v2(data: dict) -> dict:
            return {**data, "currency": "EUR"}
    """
    return UPCASTERS.upcaster(contract_id, from_major=from_major)


def _target(contract: Contract, to_major: int | None) -> ContractVersion:
    candidates = [
        v
        for v in contract.versions
        if v.yanked is None
        and not v.draft
        and not v.version.is_prerelease
        and (to_major is None or v.version.major == to_major)
    ]
    if not candidates:
        wanted = f"major {to_major}" if to_major is not None else "any major"
        raise VersionNotFound(
            f"{contract.id} has no published, non-yanked release in {wanted} to upcast to",
            ref=contract.id,
        )
    return max(candidates, key=lambda v: v.version)


def upcast_data(
    data: Any,
    ref: str,
    *,
    to_major: int | None = None,
    registry: Registry | str | os.PathLike[str] | None = None,
    upcasters: Upcasters | None = None,
    validate: bool = True,
    allow_draft: bool = False,
) -> tuple[Any, str]:
    """Upcast a payload written with ``ref`` (exact) to the latest release of ``to_major``.

    Args:
        data: The payload (not modified: upcasters get a deep copy).
        ref: The exact version it was written with (``ns.name@1.2.0`` or ``accord://``).
        to_major: The major to read it as (default: the contract's latest release).
        registry: A registry, its directory or ``pkg:NAME`` (default: discovery).
        upcasters: Default: those registered with :func:`upcaster`.
        validate: Validate ``data`` against ``ref`` before any upcaster runs, and the
            result against the target version.
        allow_draft: Read a ``ref`` naming a draft (see :func:`validator_for_message`);
            the target is always a published release.

    Returns:
        ``(payload, exact reference of the target version)``; the payload is ``data``
        itself when it is already of the target major.

    Raises:
        UsageError: ``upcaster-missing``, ``upcast-downward``, ``upcast-bad-major``,
            ``upcaster-failed`` (an upcaster raised; its exception is the cause).
        VersionNotFound: ``message-version-newer`` for a version the registry does not
            know yet, ``message-version-draft`` for a draft (without ``allow_draft``),
            ``version-not-found`` for another version it does not have.
        ContractViolation: ``data`` is not valid under ``ref``, or the upcast payload is
            not valid under the target version.
    """
    from accord.registry.names import ContractRef
    from accord.registry.runtime import validator

    if not isinstance(ref, str):
        raise UsageError(
            f"upcast needs the exact reference the payload was written with, "
            f"not {type(ref).__name__}",
            code="upcast-needs-version",
        )
    if to_major is not None and (
        isinstance(to_major, bool) or not isinstance(to_major, int) or to_major < 0
    ):
        raise UsageError(
            f"to_major must be a non-negative integer, got {to_major!r}",
            code="upcast-bad-major",
        )
    _check_allow_draft(allow_draft)
    parsed = ContractRef.parse(ref.removeprefix("accord://"))
    if parsed.version is None:
        raise UsageError(
            f"upcast needs the exact version the payload was written with, got {ref!r}",
            code="upcast-needs-version",
        )
    reg, where = _load_registry(registry)
    contract = reg.contract(parsed.id)
    source_major = parsed.version.major
    # A version the registry does not have is refused, older ones too: nothing says
    # what such a payload holds, so no upcaster chain can be trusted to read it.
    source = _version_in(contract, parsed.version, where=where, allow_draft=allow_draft)
    target = _target(contract, to_major)
    steps = (upcasters or UPCASTERS).chain(contract.id, source_major, target.version.major)
    if validate:
        # What the upcasters are written for is a payload of the stamped version: one that
        # is not (a producer stamping a version it does not write) is refused here, naming
        # that version, instead of being reshaped into something the target happens to
        # accept, or failing inside an upcaster.
        validator(source.ref, registry=reg).validate(data)
    result = data
    if steps:
        result = copy.deepcopy(data)
        for step in steps:
            result = _run_upcaster(step, result, contract.id)
    if validate:
        validator(target.ref, registry=reg).validate(result)
    return result, target.ref


def _run_upcaster(step: Callable[[Any], Any], data: Any, contract_id: str) -> Any:
    try:
        return step(data)
    except AccordError:
        raise
    except Exception as exc:  # the user's function: named, with its error as the cause
        name = getattr(step, "__qualname__", repr(step))
        raise UsageError(
            f"the upcaster {name} of {contract_id} failed: {type(exc).__name__}: {str(exc)[:200]}",
            code="upcaster-failed",
        ) from exc


def upcast(
    message: Mapping[str, Any],
    *,
    to_major: int | None = None,
    registry: Registry | str | os.PathLike[str] | None = None,
    upcasters: Upcasters | None = None,
    validate: bool = True,
    allow_draft: bool = False,
) -> dict[str, Any]:
    """A stamped CloudEvent read as the latest release of ``to_major`` (chained upcasters).

    Returns a new event (the input is not modified) whose ``data`` went through every
    upcaster from the stamped major to the target major and whose ``dataschema`` names
    the target version. An event already of the target major comes back as a copy with
    its stamp unchanged. For binary-mode messages use :func:`upcast_data`.

    Raises:
        UsageError: ``envelope-not-a-message`` (not a CloudEvent mapping with ``data``),
            ``message-no-dataschema``, ``message-ambiguous-dataschema``,
            ``upcaster-missing``, ``upcast-downward``, ``upcaster-failed``.
        VersionNotFound: ``message-version-newer``, ``message-version-draft`` (a stamp
            naming a draft, without ``allow_draft``), ``version-not-found``.
        ContractViolation: the result is not valid under the target version.
    """
    from accord.registry.model import registry_or_root_argument

    registry = registry_or_root_argument(registry)

    if not _is_envelope(message) or "data" not in message:
        raise UsageError(
            "upcast() takes a structured CloudEvent (a mapping with 'specversion' and "
            "'data'); for headers plus a body use upcast_data(body, ref)",
            code="envelope-not-a-message",
        )
    contract_id, version = _stamped(message)
    data = message["data"]
    if isinstance(data, (bytes, str)):
        from accord.core.jsondoc import loads

        data = loads(data, file="<message data>")
    new_data, new_ref = upcast_data(
        data,
        f"{contract_id}@{version}",
        to_major=to_major,
        registry=registry,
        upcasters=upcasters,
        validate=validate,
        allow_draft=allow_draft,
    )
    from accord.registry.names import ContractRef

    result = dict(message)
    target = ContractRef.parse(new_ref).version
    if target is not None and target.major != version.major:
        result["data"] = new_data
        result[DATASCHEMA] = f"accord://{new_ref}"
    return result
