"""Contract names, contract ids and references (docs/design.md "The registry on disk").

A namespace or contract name is 1 to 63 characters of ``a-z``, ``0-9`` and ``-``,
starting with a letter: docs/design.md's ``[a-z][a-z0-9-]{0,62}``. accord narrows that
grammar in one way: a hyphen goes only *between* letters or digits, so ``orders-``
and ``order--placed`` are refused. Names become directories and Python module paths
(``order-placed`` -> ``order_placed``); a trailing or doubled hyphen there is almost
always a typo, and refusing it keeps every name a readable slug. Also refused:

- Windows device names (``con``, ``prn``, ``aux``, ``nul``, ``com0``-``com9``,
  ``lpt0``-``lpt9``), which cannot be directories on Windows (code ``name-reserved``);
- the namespaces ``consumers``, ``verifications`` and ``environments``, which are
  registry directories of their own (code ``namespace-reserved``).

Every other refusal has the code ``name-invalid`` and says what is wrong. Names that
are Python keywords (``import``) are valid; code generation escapes them.

A contract id is ``namespace.name``; a reference adds a version or a range after
``@`` (``orders.order-placed@^1.1``), and ``accord://orders.order-placed@1.0.0`` is the
URI form of a reference to one exact version (``$ref`` targets, CloudEvents
``dataschema``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import field
from typing import Any

from accord._dataclass_methods import frozen_dataclass, generated_repr
from accord.errors import InvalidRange, InvalidReference, InvalidVersion, Problem
from accord.versions import Version, VersionRange

__all__ = [
    "MAX_NAME_LENGTH",
    "RESERVED_NAMESPACES",
    "URI_SCHEME",
    "ContractRef",
    "case_twins",
    "collision_key",
    "file_name_problems",
    "find_collisions",
    "is_valid_name",
    "is_windows_device_name",
    "slugify",
    "split_uri",
    "validate_name",
]

MAX_NAME_LENGTH = 63
URI_SCHEME = "accord://"
RESERVED_NAMESPACES = frozenset({"consumers", "verifications", "environments"})
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
# ASCII classes spelled out so no other script's letters or digits slip through.
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_NAME_CHAR = r"[a-z0-9-]"  # an error message's only: compiled (by re) on first use


def _show(text: str, limit: int = 40) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _name_problem(text: object, what: str) -> tuple[str, str] | None:
    """``(code, reason)`` when ``text`` is not a valid ``what``, else ``None``."""
    if not isinstance(text, str):
        return "name-invalid", f"{what} must be a string, got {type(text).__name__}"
    if not text:
        return "name-invalid", f"{what} is empty"
    shown = _show(text)
    if len(text) > MAX_NAME_LENGTH:
        return (
            "name-invalid",
            f"{what} {shown} is {len(text)} characters long; at most {MAX_NAME_LENGTH} are allowed",
        )
    if _NAME.fullmatch(text) is None:
        return "name-invalid", f"{what} {shown} {_why_not(text)}"
    if text in _WINDOWS_RESERVED:
        devices = "con, prn, aux, nul, com0-com9, lpt0-lpt9"
        reason = f"{what} {shown} is a Windows device name ({devices}): it cannot be a directory"
        return "name-reserved", reason
    if what == "namespace" and text in RESERVED_NAMESPACES:
        reserved = ", ".join(sorted(RESERVED_NAMESPACES))
        reason = f"namespace {shown} is reserved for the registry's own records ({reserved})"
        return "namespace-reserved", reason
    return None


def _why_not(text: str) -> str:
    """The first reason ``text`` breaks the name grammar, most specific first."""
    rule = "names use a-z, 0-9 and single hyphens, starting with a letter"
    for char in text:
        if not char.isascii():
            return f"contains the non-ASCII character {char!r} ({rule})"
    if any(char.isspace() for char in text):
        return f"contains whitespace ({rule})"
    if "/" in text or "\\" in text or ".." in text:
        return "looks like a path ('/', '\\' and '..' are not allowed)"
    if "." in text:
        return "contains '.', which separates namespace and name in a contract id"
    if any(char.isupper() for char in text):
        return f"contains uppercase letters; names are lowercase: {text.lower()!r}"
    if "_" in text:
        return f"contains '_'; use '-' instead: {text.replace('_', '-')!r}"
    for char in text:
        if re.fullmatch(_NAME_CHAR, char) is None:
            return f"contains {char!r} ({rule})"
    if not text[0].isalpha():
        return f"must start with a letter a-z, not {text[0]!r}"
    if text.endswith("-"):
        return "must not end with '-'"
    return "contains '--' (a hyphen goes singly between letters or digits)"


def validate_name(text: str, *, what: str = "name") -> None:
    """Check a namespace or contract name against accord's grammar.

    Args:
        text: The name to check.
        what: What the name is, for messages (``"name"``, ``"namespace"``,
            ``"consumer"``, ...). The reserved namespaces are refused only when it is
            ``"namespace"``.

    Raises:
        InvalidReference: with code ``name-invalid`` (the grammar), ``name-reserved``
            (a Windows device name) or ``namespace-reserved``.

    Example:
        >>> validate_name("order-placed")
        >>> try:
        ...     validate_name("Order_Placed")
        ... except InvalidReference as exc:
        ...     print(exc.code, "|", exc)
        name-invalid | name 'Order_Placed' contains uppercase letters; names are lowercase: ...
    """
    problem = _name_problem(text, what)
    if problem is not None:
        code, reason = problem
        raise InvalidReference(reason, code=code)


def is_valid_name(text: str, *, what: str = "name") -> bool:
    """Whether :func:`validate_name` accepts ``text``."""
    return _name_problem(text, what) is None


def is_windows_device_name(file_name: str) -> bool:
    """Whether Windows reads ``file_name`` as a device (``CON``, ``nul``, ``COM1``,
    ``LPT9``, any case, with or without extensions: ``con.1.json`` is the console too),
    so no file of that name can be made or read there.

    Example:
        >>> is_windows_device_name("NUL.tar.gz"), is_windows_device_name("console")
        (True, False)
    """
    return file_name.partition(".")[0].rstrip(" ").lower() in _WINDOWS_RESERVED


def collision_key(name: str) -> str:
    """The key two names collide on: lowercase, ``-`` as ``_``.

    Generated module paths turn ``-`` into ``_`` and some file systems ignore case, so
    names with equal keys cannot coexist.

    Example:
        >>> collision_key("Order-Placed")
        'order_placed'
    """
    return name.lower().replace("-", "_")


def find_collisions(names: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair of distinct names that differ only in ``-`` vs ``_`` or in case.

    Pairs are sorted within and between themselves, so the result is deterministic.

    Example:
        >>> find_collisions(["order-placed", "order_placed", "refunds"])
        [('order-placed', 'order_placed')]
    """
    groups: dict[str, set[str]] = {}
    for name in names:
        groups.setdefault(collision_key(name), set()).add(name)
    pairs = (
        itertools.combinations(sorted(group), 2) for group in groups.values() if len(group) > 1
    )
    return sorted(itertools.chain.from_iterable(pairs))


def case_twins(names: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each name of ``names`` equal to an earlier one (in sorted order) but for case, as
    ``(earlier, name)``: one file on a case-insensitive file system (macOS, Windows),
    where one overwrites the other at checkout or install.

    Example:
        >>> list(case_twins(["orders.json", "Orders.json", "refunds.json"]))
        [('Orders.json', 'orders.json')]
    """
    seen: dict[str, str] = {}
    for name in sorted(names):
        other = seen.setdefault(name.casefold(), name)
        if other != name:
            yield other, name


def file_name_problems(prefix: str, names: Iterable[str]) -> Iterator[Problem]:
    """The errors of one directory's entry ``names`` (that directory being ``prefix``:
    ``""`` or ``"orders/placed/"``) a macOS or Windows checkout cannot keep: a name that
    is not UTF-8 (``file-name-not-utf8``), two equal but for case (``file-case-clash``,
    :func:`case_twins`). What ``accord lint`` and ``accord check`` report."""
    names = list(names)
    for name in names:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # a byte that is not UTF-8, as a lone surrogate
            yield Problem(
                "file-name-not-utf8",
                f"{prefix + name!r}: a name that is not UTF-8 has no spelling every "
                "git checkout or a package keeps; rename it",
                file=prefix + name,
            )
    for other, name in case_twins(names):
        yield Problem(
            "file-case-clash",
            f"{prefix + other!r} and {prefix + name!r} differ only in case: checked "
            "out on macOS or Windows they are one file, and one overwrites the "
            "other; rename or remove one",
            file=prefix + name,
        )


def slugify(external_name: str) -> str:
    """Turn a name from outside accord (a Pact participant) into a valid name.

    Accents are dropped, camelCase and every run of other characters become single
    hyphens, the result is cut to 63 characters. A slug that would start with a digit
    or be a Windows device name is prefixed with ``x-``. The mapping is not
    reversible: callers store it (docs/design.md).

    Raises:
        InvalidReference: code ``name-unusable`` when no letter or digit remains.

    Example:
        >>> slugify("Billing Service"), slugify("OrderService"), slugify("Zürich API")
        ('billing-service', 'order-service', 'zurich-api')
    """
    import unicodedata  # slugs are for Pact import and consumers, not the boot path

    text = unicodedata.normalize("NFKD", external_name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)  # orderService -> order-Service
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", text)  # HTTPServer -> HTTP-Server
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if not slug:
        raise InvalidReference(
            f"nothing usable for a name remains of {_show(external_name)}"
            " (no ASCII letter or digit); choose the name explicitly",
            code="name-unusable",
        )
    if not slug[0].isalpha() or slug in _WINDOWS_RESERVED:
        slug = "x-" + slug
    slug = slug[:MAX_NAME_LENGTH].rstrip("-")
    validate_name(slug)  # the steps above guarantee it; keep the guarantee checked
    return slug


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ContractRef:
    """A reference to a contract, optionally with a version or range.

    Build one with :meth:`parse` or :meth:`parse_uri`; constructing it directly
    validates the names too.

    Attributes:
        namespace: The owning domain (``orders``).
        name: The contract name (``order-placed``).
        range: The version range after ``@``, or ``None`` for "any version".
        text: The text it was parsed from (canonical text when built directly); it
            does not take part in equality.

    Example:
        >>> ref = ContractRef.parse("orders.order-placed@^1.1")
        >>> ref.id, str(ref.range), ref.version
        ('orders.order-placed', '^1.1', None)
        >>> ContractRef.parse("orders.order-placed@1.0.0").uri()
        'accord://orders.order-placed@1.0.0'
    """

    namespace: str
    name: str
    range: VersionRange | None = None
    text: str = field(default="", compare=False)

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__ = generated_repr("namespace", "name", "range", "text")

    # Written out as @dataclass generates it: called often, and twice as fast as
    # generated_eq_and_hash's (attribute loads here, attrgetter calls there).
    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.namespace, self.name, self.range) == (
                other.namespace,
                other.name,
                other.range,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.namespace, self.name, self.range))

    def __init__(
        self, namespace: str, name: str, range: VersionRange | None = None, text: str = ""
    ) -> None:
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "range", range)
        object.__setattr__(self, "text", text)
        self.__post_init__()

    def __post_init__(self) -> None:
        for value, what in ((self.namespace, "namespace"), (self.name, "name")):
            problem = _name_problem(value, what)
            if problem is not None:
                raise InvalidReference(
                    f"invalid contract reference: {problem[1]}", code="invalid-reference"
                )
        if not self.text:
            object.__setattr__(self, "text", str(self))

    @classmethod
    def parse(cls, text: str) -> ContractRef:
        """Parse ``namespace.name`` or ``namespace.name@<version or range>``.

        ``accord://`` URIs are accepted too (see :meth:`parse_uri`).

        Raises:
            InvalidReference: code ``invalid-reference``; the message names what is
                wrong (missing namespace, bad name, bad range, ...).
        """
        if not isinstance(text, str):
            raise _bad_ref(text, f"expected a string, got {type(text).__name__}")
        if text.startswith(URI_SCHEME):
            return cls.parse_uri(text)
        if len(text) > 2048:
            raise _bad_ref(text, "longer than 2048 characters")
        if not text:
            raise _bad_ref(text, "empty reference")
        if "://" in text:
            raise _bad_ref(text, f"only {URI_SCHEME} URIs name contracts")
        ident, at, range_text = text.partition("@")
        if at and "@" in range_text:
            raise _bad_ref(text, "more than one '@'")
        if not at:
            _suggest_at(text)
        namespace, name = _split_id(text, ident)
        if not at:
            return cls(namespace, name, None, text)
        if not range_text:
            raise _bad_ref(text, "nothing after '@' (write a version or range: @1.0.0, @^1)")
        try:
            version_range = VersionRange.parse(range_text)
        except InvalidRange as exc:
            raise _bad_ref(text, f"bad version range: {exc.message}") from None
        return cls(namespace, name, version_range, text)

    @classmethod
    def parse_uri(cls, uri: str) -> ContractRef:
        """Parse ``accord://namespace.name@MAJOR.MINOR.PATCH`` (one exact version).

        Raises:
            InvalidReference: code ``invalid-reference``: another scheme, a range
                instead of a version, a fragment (use :func:`split_uri`), ...

        Example:
            >>> ContractRef.parse_uri("accord://common.money@1.0.0").version
            Version.parse('1.0.0')
        """
        ref, fragment = split_uri(uri)
        if fragment:
            raise _bad_ref(
                uri, "a fragment ('#...') is not part of a contract reference; use split_uri"
            )
        return ref

    @property
    def id(self) -> str:
        """The contract id, ``namespace.name``."""
        return f"{self.namespace}.{self.name}"

    @property
    def version(self) -> Version | None:
        """The exact version when the reference names one, else ``None``."""
        return self.range.exact_version if self.range is not None else None

    def pinned(self, version: Version) -> ContractRef:
        """The same contract, referenced at exactly ``version``."""
        return ContractRef(self.namespace, self.name, VersionRange.exactly(version))

    def uri(self) -> str:
        """The ``accord://`` URI of this reference.

        Raises:
            InvalidReference: code ``reference-not-exact`` when the reference is not
                pinned to one version (a URI names one immutable document).
        """
        version = self.version
        if version is None:
            raise InvalidReference(
                f"an {URI_SCHEME} URI names one exact version; {str(self)!r} does not",
                code="reference-not-exact",
                ref=str(self),
            )
        return f"{URI_SCHEME}{self.id}@{version}"

    def __str__(self) -> str:
        return self.id if self.range is None else f"{self.id}@{self.range}"


def split_uri(uri: str) -> tuple[ContractRef, str]:
    """Split ``accord://ns.name@1.0.0#/$defs/Money`` into the reference and the pointer.

    The pointer is ``""`` when there is no fragment (or an empty one); otherwise it is
    a JSON pointer starting with ``/``.

    Raises:
        InvalidReference: code ``invalid-reference``.

    Example:
        >>> ref, pointer = split_uri("accord://common.money@1.0.0#/$defs/Amount")
        >>> ref.id, pointer
        ('common.money', '/$defs/Amount')
    """
    if not isinstance(uri, str) or not uri.startswith(URI_SCHEME):
        raise _bad_ref(uri, f"not an {URI_SCHEME} URI")
    body, hash_sign, fragment = uri[len(URI_SCHEME) :].partition("#")
    if hash_sign and fragment and not fragment.startswith("/"):
        raise _bad_ref(uri, f"the fragment must be a JSON pointer starting with '/': {fragment!r}")
    for char, what in (("?", "a query"), ("%", "percent-encoding"), ("/", "a path")):
        if char in body:
            raise _bad_ref(uri, f"{what} ({char!r}) is not allowed in an {URI_SCHEME} URI")
    ident, at, version_text = body.partition("@")
    if not at:
        raise _bad_ref(uri, f"an {URI_SCHEME} URI needs an exact version: ...@1.0.0")
    namespace, name = _split_id(uri, ident)
    try:
        version = Version.parse(version_text)
    except InvalidVersion as exc:
        raise _bad_ref(uri, f"an {URI_SCHEME} URI needs an exact version; {exc.message}") from None
    return ContractRef(namespace, name, VersionRange.exactly(version), uri), fragment


def _suggest_at(text: str) -> None:
    """``catalog.item:1.0.0`` (or ``catalog.item=1.0.0``, ``catalog.item 1.0.0``): a version
    written after the wrong separator; name the reference that was meant."""
    for separator in (":", "==", "=", " ", "/"):
        ident, found, version = text.partition(separator)
        if not found or not version.strip():
            continue
        try:
            VersionRange.parse(version.strip())
            _split_id(ident, ident)
        except (InvalidRange, InvalidReference):
            continue
        raise _bad_ref(
            text,
            f"a version follows '@', not {separator.strip() or 'a space'!r}: "
            f"did you mean '{ident}@{version.strip()}'?",
        )


def _split_id(text: str, ident: str) -> tuple[str, str]:
    if "/" in ident or "\\" in ident or ".." in ident:
        raise _bad_ref(text, "looks like a path ('/', '\\' and '..' are not allowed)")
    namespace, dot, name = ident.partition(".")
    if not dot:
        raise _bad_ref(
            text, "missing namespace: a contract id is 'namespace.name' (orders.order-placed)"
        )
    if "." in name:
        raise _bad_ref(text, "too many '.': a contract id is 'namespace.name'")
    for value, what in ((namespace, "namespace"), (name, "name")):
        problem = _name_problem(value, what)
        if problem is not None:
            raise _bad_ref(text, problem[1])
    return namespace, name


def _bad_ref(text: object, reason: str) -> InvalidReference:
    shown = _show(text, 80) if isinstance(text, str) else type(text).__name__
    return InvalidReference(
        f"invalid contract reference {shown}: {reason}",
        code="invalid-reference",
        ref=text if isinstance(text, str) else None,
    )
