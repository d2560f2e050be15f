"""SemVer 2.0.0 versions, npm/Cargo version ranges and the bump rules of the gate.

Versions are SemVer 2.0.0 exactly, with two refusals on top of the specification:
no ``v`` prefix and no build metadata (a contract version names one immutable file,
so ``1.0.0+a`` and ``1.0.0+b`` must not both exist)::

    >>> Version.parse("1.2.0-rc.1") < Version.parse("1.2.0")
    True
    >>> VersionRange.parse("^1.2").contains(Version.parse("1.9.0"))
    True

Ranges (``^1.2``, ``~1.2.3``, ``>=1.1.0,<2``, ``1.2.3``, ``*``) have npm/Cargo meaning;
see :class:`VersionRange`.

Bumps
-----
The compatibility engine says which *semantic* bump a change needs (``none``,
``patch``, ``minor``, ``major``: docs/design.md "Required bump"). The version number shows
a *declared* bump: the leftmost of MAJOR, MINOR, PATCH that differs between the
previous version and the new one (:func:`declared_bump`). :func:`required_bump`
translates the semantic bump into the declared bump the number must show, applying
the rules below 1.0.0:

=================  ========  ========  ========  ========
previous           none      patch     minor     major
=================  ========  ========  ========  ========
``>= 1.0.0``       none      patch     minor     major
``0.y.z`` (y > 0)  none      patch     patch     minor
``0.0.z``          none      patch     patch     patch
=================  ========  ========  ========  ========

The rule behind the table is the caret range: a *breaking* change must leave
``^previous`` (so no consumer pinned with a caret receives it), anything else may stay
inside it. ``^1.2.3`` is ``<2.0.0``, so a breaking change needs 2.0.0; ``^0.3.1`` is
``<0.4.0``, so breaking needs 0.4.0 and additive changes need only 0.3.2;
``^0.0.3`` is ``<0.0.4``, so *every* change (even documentation) is breaking there and
needs 0.0.4, which is a patch-position bump. A new version is accepted when its
declared bump is at least the required one (:func:`bump_satisfies`); bumping more than
needed is always allowed.

Pre-releases are checked against the previous *release*, never against each other
(:func:`previous_release`): ``2.0.0-rc.1`` after ``1.4.2`` declares a major bump
because the release it prepares, 2.0.0, differs in MAJOR.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import field
from functools import cache
from typing import Any, Literal, TypeAlias

from accord._dataclass_methods import frozen_dataclass, generated_repr
from accord.errors import InvalidRange, InvalidVersion, UsageError

__all__ = [
    "BUMP_KINDS",
    "BumpKind",
    "Comparator",
    "Operator",
    "Version",
    "VersionRange",
    "bump_rank",
    "bump_satisfies",
    "declared_bump",
    "max_bump",
    "previous_release",
    "previous_version",
    "required_bump",
    "smallest_allowed",
]

MAX_VERSION_LENGTH = 256
"""Longer strings are refused before any parsing (they are never real versions)."""

MAX_RANGE_LENGTH = 1024

# The four words of accord.core.rules.Bump (test_versions holds them equal), spelled out
# here so that loading a registry does not import the rule catalogue.
BumpKind: TypeAlias = Literal["none", "patch", "minor", "major"]
BUMP_KINDS: tuple[BumpKind, ...] = ("none", "patch", "minor", "major")
"""Every bump kind, from the smallest to the largest."""

Operator: TypeAlias = Literal["=", ">", ">=", "<", "<="]

Identifier: TypeAlias = int | str

# ASCII classes spelled out: `\d` and str.isdigit() also accept other scripts' digits.
_DIGITS = re.compile(r"[0-9]+")
_PARTS = ("major", "minor", "patch")

_Partial: TypeAlias = tuple[int, int | None, int | None, tuple[Identifier, ...]]


def _show(text: object, limit: int = 60) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _fail(message: str, text: object) -> InvalidVersion:
    return InvalidVersion(f"invalid version {_show(text)}: {message}")


class _Bad(ValueError):
    """What is wrong with a version text, before it is worded for the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _parse(text: object, *, partial: bool) -> _Partial:
    """Parse ``MAJOR[.MINOR[.PATCH[-PRERELEASE]]]`` (all three when not ``partial``).

    Every refusal names exactly what is wrong; checks run from the most to the least
    specific so that ``v1.0`` says "'v' prefix" and not "not a number".
    """
    if not isinstance(text, str):
        raise _Bad(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_VERSION_LENGTH:
        raise _Bad(f"longer than {MAX_VERSION_LENGTH} characters")
    if not text:
        raise _Bad("empty version")
    for char in text:
        if not char.isascii():
            import unicodedata  # to word this refusal only: off the boot path

            kind = "digit" if unicodedata.category(char) == "Nd" else "character"
            raise _Bad(
                f"non-ASCII {kind} {char!r} (versions use ASCII digits, letters, '.' and '-')"
            )
    if any(char.isspace() for char in text):
        raise _Bad("whitespace is not allowed")
    if text[0] in "vV" and text[1:2].isdigit():
        raise _Bad(f"'v' prefix is not allowed: write {text[1:]!r}")
    if "+" in text:
        raise _Bad("build metadata is not allowed in contract versions")

    core, dash, pre = text.partition("-")
    parts = core.split(".")
    expected = "needs three numbers: MAJOR.MINOR.PATCH"
    if len(parts) > 3 or (not partial and len(parts) != 3):
        raise _Bad(expected)
    numbers: list[int] = []
    for label, part in zip(_PARTS, parts, strict=False):
        if not part:
            raise _Bad(f"empty {label}")
        if not _DIGITS.fullmatch(part):
            raise _Bad(f"{label} is not a number: {part!r}")
        if len(part) > 1 and part[0] == "0":
            raise _Bad(f"leading zero in {label}")
        numbers.append(int(part))

    prerelease: list[Identifier] = []
    if dash:
        if len(parts) != 3:
            raise _Bad("a pre-release needs all three numbers: MAJOR.MINOR.PATCH-PRERELEASE")
        if not pre:
            raise _Bad("empty pre-release after '-'")
        prerelease = [_identifier(ident) for ident in pre.split(".")]

    padded = [*numbers, None, None][:3]
    return numbers[0], padded[1], padded[2], tuple(prerelease)


@cache
def _identifier_text() -> re.Pattern[str]:
    """A pre-release identifier's characters (compiled on first use: most versions have
    no pre-release)."""
    return re.compile(r"[0-9A-Za-z-]+")


def _identifier(ident: str) -> Identifier:
    """One pre-release identifier: ``int`` when numeric, else the text."""
    if not ident:
        raise _Bad("empty pre-release identifier")
    if not _identifier_text().fullmatch(ident):
        bad = next(c for c in ident if not _identifier_text().fullmatch(c))
        raise _Bad(
            f"invalid character {bad!r} in pre-release identifier {ident!r}"
            " (allowed: 0-9, A-Z, a-z, '-')"
        )
    if not _DIGITS.fullmatch(ident):
        return ident
    if len(ident) > 1 and ident[0] == "0":
        raise _Bad(f"leading zero in numeric pre-release identifier {ident!r}")
    return int(ident)


def _identifier_key(ident: Identifier) -> tuple[int, int, str]:
    # SemVer 11.4: numeric identifiers compare numerically and sort below alphanumeric
    # ones, which compare in ASCII order.
    if isinstance(ident, int):
        return (0, ident, "")
    return (1, 0, ident)


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Version:
    """A SemVer 2.0.0 version without build metadata, ordered by SemVer precedence.

    Numeric pre-release identifiers are stored as ``int`` and alphanumeric ones as
    ``str``, so equality, hashing and ordering agree with precedence.

    Attributes:
        major: MAJOR, a non-negative integer.
        minor: MINOR.
        patch: PATCH.
        prerelease: The dot-separated pre-release identifiers (``("rc", 1)``), empty
            for a release.

    Example:
        >>> v = Version.parse("1.0.0-alpha.1")
        >>> v.prerelease, v.is_prerelease, str(v.release)
        (('alpha', 1), True, '1.0.0')
        >>> sorted(map(Version.parse, ["1.0.0", "1.0.0-rc.1", "0.9.10", "0.9.9"]))[0]
        Version.parse('0.9.9')
    """

    major: int
    minor: int
    patch: int
    prerelease: tuple[Identifier, ...] = ()
    _key: tuple[object, ...] = field(init=False, repr=False, compare=False, hash=False)
    # The hash dataclass would compute on every lookup, computed once: a registry of
    # 15,000 versions hashes them ~175,000 times while it loads (lock, drafts, indexes).
    _hash: int = field(init=False, repr=False, compare=False, hash=False)

    # __eq__ (and __init__) as @dataclass generates them, written out: not compiled at
    # import (see accord._dataclass_methods), and __eq__ is called often, twice as fast
    # as generated_eq_and_hash's (attribute loads here, attrgetter calls there).
    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.major, self.minor, self.patch, self.prerelease) == (
                other.major,
                other.minor,
                other.patch,
                other.prerelease,
            )
        return NotImplemented

    def __init__(
        self, major: int, minor: int, patch: int, prerelease: tuple[Identifier, ...] = ()
    ) -> None:
        object.__setattr__(self, "major", major)
        object.__setattr__(self, "minor", minor)
        object.__setattr__(self, "patch", patch)
        object.__setattr__(self, "prerelease", prerelease)
        self.__post_init__()

    def __post_init__(self) -> None:
        for label in _PARTS:
            value = getattr(self, label)
            if type(value) is not int or value < 0:
                raise _fail(f"{label} must be a non-negative int, got {value!r}", self._raw())
        if not isinstance(self.prerelease, tuple):
            raise _fail("prerelease must be a tuple", self._raw())
        normal: list[Identifier] = []
        for ident in self.prerelease:
            if type(ident) is int and ident >= 0:
                normal.append(ident)
                continue
            if not isinstance(ident, str):
                raise _fail(f"bad pre-release identifier {ident!r}", self._raw())
            try:
                # Digit strings become ints so that equality agrees with precedence.
                normal.append(_identifier(ident))
            except _Bad as exc:
                raise _fail(exc.reason, self._raw()) from None
        object.__setattr__(self, "prerelease", tuple(normal))
        # A release sorts above its pre-releases: (1,) > (0, ...).
        pre_key = (0, *map(_identifier_key, normal)) if normal else (1,)
        object.__setattr__(self, "_key", (self.major, self.minor, self.patch, pre_key))
        object.__setattr__(
            self, "_hash", hash((self.major, self.minor, self.patch, self.prerelease))
        )

    def __hash__(self) -> int:
        return self._hash

    def _raw(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse a strict SemVer 2.0.0 version.

        Raises:
            InvalidVersion: ``text`` is not ``MAJOR.MINOR.PATCH[-PRERELEASE]`` with
                ASCII digits and no leading zeros; the message says what is wrong
                ("leading zero in minor", "'v' prefix is not allowed", ...).

        Example:
            >>> Version.parse("2.0.0-rc.1")
            Version.parse('2.0.0-rc.1')
        """
        try:
            major, minor, patch, prerelease = _parse(text, partial=False)
        except _Bad as exc:
            raise _fail(exc.reason, text) from None
        assert minor is not None
        assert patch is not None
        return cls(major, minor, patch, prerelease)

    @property
    def is_prerelease(self) -> bool:
        """Whether this version has pre-release identifiers."""
        return bool(self.prerelease)

    @property
    def release(self) -> Version:
        """This version without its pre-release: ``1.2.0-rc.1`` -> ``1.2.0``."""
        return Version(self.major, self.minor, self.patch) if self.prerelease else self

    @property
    def triple(self) -> tuple[int, int, int]:
        """``(major, minor, patch)``."""
        return (self.major, self.minor, self.patch)

    def bump(self, kind: BumpKind) -> Version:
        """The next version after a bump of ``kind`` (``none`` returns ``self``).

        From a release the bumped position increases and the ones to its right reset:
        ``1.2.3`` -> ``1.2.4`` / ``1.3.0`` / ``2.0.0``. From a pre-release the result
        follows npm's ``semver.inc``: a pre-release already *prepares* a bump, so when
        it prepares a bump of at least ``kind`` the result is its release.
        ``1.3.0-rc.1`` bumped by ``patch`` or ``minor`` is ``1.3.0`` (but by ``major``
        is ``2.0.0``); ``2.0.0-rc.1`` bumped by anything is ``2.0.0``;
        ``1.2.4-rc.1`` bumped by ``patch`` is ``1.2.4``, by ``minor`` ``1.3.0``.

        Example:
            >>> str(Version.parse("1.2.3").bump("minor"))
            '1.3.0'
        """
        rank = bump_rank(kind)
        if rank == 0:
            return self
        major, minor, patch = self.triple
        if self.prerelease:
            # The bump this pre-release prepares: 1.3.0-rc.1 prepares a minor one.
            prepared = 1 if patch else 2 if minor else 3
            if rank <= prepared:
                return self.release
        if rank == 3:
            return Version(major + 1, 0, 0)
        if rank == 2:
            return Version(major, minor + 1, 0)
        return Version(major, minor, patch + 1)

    def __str__(self) -> str:
        text = self._raw()
        if self.prerelease:
            text += "-" + ".".join(map(str, self.prerelease))
        return text

    def __repr__(self) -> str:
        return f"Version.parse({str(self)!r})"

    def __lt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key < other._key

    def __le__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key <= other._key

    def __gt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key > other._key

    def __ge__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key >= other._key


# --------------------------------------------------------------------------- ranges


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Comparator:
    """One primitive condition of a range: ``>=1.2.0``, ``<2.0.0``, ``=1.2.3``.

    Every range term (``^1.2``, ``~1``, ``<=1.2``) is reduced to comparators on full
    versions; :attr:`VersionRange.comparators` exposes them.
    """

    op: Operator
    version: Version

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__ = generated_repr("op", "version")

    # Written out as @dataclass generates it: called often, and twice as fast as
    # generated_eq_and_hash's (attribute loads here, attrgetter calls there).
    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.op, self.version) == (other.op, other.version)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.op, self.version))

    def __init__(self, op: Operator, version: Version) -> None:
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "version", version)

    def matches(self, version: Version) -> bool:
        """Whether ``version`` satisfies this comparator by precedence alone."""
        if self.op == "=":
            return version == self.version
        if self.op == ">=":
            return version >= self.version
        if self.op == ">":
            return version > self.version
        if self.op == "<":
            return version < self.version
        return version <= self.version

    def __str__(self) -> str:
        return f"{self.op}{self.version}"


_OPERATORS = (">=", "<=", ">", "<", "=", "^", "~")


def _desugar(op: str, partial: _Partial) -> list[Comparator]:
    """Reduce one term to comparators with npm/Cargo meaning."""
    major, minor, patch, pre = partial
    low = Version(major, minor or 0, patch or 0, pre)

    def ge(v: Version) -> Comparator:
        return Comparator(">=", v)

    def lt(v: Version) -> Comparator:
        return Comparator("<", v)

    # The version just above the given partial: 1 -> 2.0.0, 1.2 -> 1.3.0.
    if minor is None:
        above = Version(major + 1, 0, 0)
    elif patch is None:
        above = Version(major, minor + 1, 0)
    else:
        above = Version(major, minor, patch + 1)

    if op == "^":
        if major > 0 or minor is None:
            upper = Version(major + 1, 0, 0)
        elif minor > 0 or patch is None:
            upper = Version(0, minor + 1, 0)
        else:
            upper = Version(0, 0, patch + 1)
        return [ge(low), lt(upper)]
    if op == "~":
        upper = Version(major + 1, 0, 0) if minor is None else Version(major, minor + 1, 0)
        return [ge(low), lt(upper)]
    if op == ">=":
        return [ge(low)]
    if op == "<":
        return [lt(low)]
    full = patch is not None
    if op == ">":
        # npm/Cargo: `>1.2` means above every 1.2.x, i.e. >=1.3.0.
        return [Comparator(">", low)] if full else [ge(above)]
    if op == "<=":
        # `<=1.2` includes every 1.2.x, i.e. <1.3.0.
        return [Comparator("<=", low)] if full else [lt(above)]
    assert op == "="
    return [Comparator("=", low)]


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class VersionRange:
    """A set of versions written the npm/Cargo way, matched with SemVer precedence.

    Accepted terms, combined with ``,`` (AND; spaces around ``,`` and after an
    operator are ignored):

    - ``1.2.3`` or ``=1.2.3``: exactly that version (a full version is required: npm
      and Cargo disagree on what a bare ``1.2`` means, so it is refused);
    - ``^1.2.3`` / ``^1.2`` / ``^1``: changes that do not modify the leftmost non-zero
      number: ``^1.2`` = ``>=1.2.0,<2.0.0``, ``^0.3`` = ``>=0.3.0,<0.4.0``,
      ``^0.0.3`` = ``>=0.0.3,<0.0.4``, ``^0`` = ``>=0.0.0,<1.0.0``;
    - ``~1.2.3`` / ``~1.2`` / ``~1``: patch changes when a minor is given:
      ``~1.2`` = ``>=1.2.0,<1.3.0``, ``~1`` = ``>=1.0.0,<2.0.0``;
    - ``>=``, ``>``, ``<``, ``<=`` with a full or partial version; missing numbers
      are zero for ``>=`` and ``<`` (``<2`` = ``<2.0.0``) and cover the whole partial
      for ``>`` and ``<=`` (``>1.2`` = ``>=1.3.0``, ``<=1.2`` = ``<1.3.0``);
    - ``*``: every release (alone only).

    A pre-release version matches only when it satisfies every comparator *and* some
    comparator names a pre-release of the same MAJOR.MINOR.PATCH (the npm rule):
    ``^1.2.0-rc.1`` matches ``1.2.0-rc.2`` and ``1.2.5`` but not ``1.3.0-beta``.
    Yanked versions are skipped by :meth:`select`. A range that no version can satisfy
    (``>=2,<1``) is refused.

    Two ranges are equal when their canonical text is (``=1.2.3`` and ``1.2.3`` are);
    compare :attr:`comparators` for meaning.

    Example:
        >>> r = VersionRange.parse(">=1.1, <2")
        >>> str(r), Version.parse("1.4.0") in r, Version.parse("2.0.0-rc.1") in r
        ('>=1.1,<2', True, False)
    """

    text: str
    comparators: tuple[Comparator, ...] = field(compare=False, hash=False)
    exact_version: Version | None = field(compare=False, hash=False)
    """The one version the range names when it is written as exactly one version."""
    _prerelease_triples: frozenset[tuple[int, int, int]] = field(
        compare=False, hash=False, repr=False
    )

    # __eq__ and __hash__ as @dataclass generates them, written out: not compiled at
    # import (see accord._dataclass_methods), and called often: twice as fast as
    # generated_eq_and_hash's (attribute loads here, attrgetter calls there).
    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.text,) == (other.text,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.text,))

    def __init__(self, text: str) -> None:
        """Parse ``text``; same as :meth:`parse`."""
        canonical, comparators, exact = _parse_range(text)
        object.__setattr__(self, "text", canonical)
        object.__setattr__(self, "comparators", comparators)
        object.__setattr__(self, "exact_version", exact)
        triples = frozenset(c.version.triple for c in comparators if c.version.prerelease)
        object.__setattr__(self, "_prerelease_triples", triples)

    @classmethod
    def parse(cls, text: str) -> VersionRange:
        """Parse a range.

        Raises:
            InvalidRange: the text is not a range accord accepts; the message says why.

        Example:
            >>> [str(c) for c in VersionRange.parse("^0.3").comparators]
            ['>=0.3.0', '<0.4.0']
        """
        return cls(text)

    @classmethod
    def exactly(cls, version: Version) -> VersionRange:
        """The range that contains only ``version``."""
        return cls(str(version))

    @property
    def is_exact(self) -> bool:
        """Whether the range names exactly one version (``1.2.3`` or ``=1.2.3``)."""
        return self.exact_version is not None

    def contains(self, version: Version) -> bool:
        """Whether ``version`` is in the range (yanked status is not considered here).

        Example:
            >>> VersionRange.parse("^1.2.0-rc.1").contains(Version.parse("1.2.0-rc.2"))
            True
        """
        if not all(c.matches(version) for c in self.comparators):
            return False
        return not version.prerelease or version.triple in self._prerelease_triples

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            item = Version.parse(item)
        return isinstance(item, Version) and self.contains(item)

    def select(
        self, versions: Iterable[Version], *, yanked: AbstractSet[Version] = frozenset()
    ) -> Version | None:
        """The highest version of ``versions`` in the range that is not yanked.

        Example:
            >>> vs = [Version.parse(t) for t in ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]]
            >>> VersionRange.parse("^1").select(vs, yanked={Version.parse("1.2.0")})
            Version.parse('1.1.0')
        """
        return max(
            (v for v in versions if v not in yanked and self.contains(v)),
            default=None,
        )

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"VersionRange({self.text!r})"


def _parse_range(text: object) -> tuple[str, tuple[Comparator, ...], Version | None]:
    def fail(reason: str) -> InvalidRange:
        return InvalidRange(f"invalid version range {_show(text, 80)}: {reason}")

    if not isinstance(text, str):
        raise fail(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_RANGE_LENGTH:
        raise fail(f"longer than {MAX_RANGE_LENGTH} characters")
    if not text.strip(" "):
        raise fail("empty range")
    if "|" in text:
        raise fail("'||' (either-or) is not supported; a range is one ','-separated list")
    terms = [term.strip(" ") for term in text.split(",")]
    canonical: list[str] = []
    comparators: list[Comparator] = []
    exact: Version | None = None
    for term in terms:
        if not term:
            raise fail("empty comparator (stray ',')")
        if term == "*":
            if len(terms) > 1:
                raise fail("'*' cannot be combined with other comparators")
            canonical.append("*")
            continue
        op = next((o for o in _OPERATORS if term.startswith(o)), "")
        rest = term[len(op) :].lstrip(" ")
        if rest[:1] and rest[0] in "=<>~^!":
            raise fail(f"unknown operator in {term!r} (use ^, ~, =, >, >=, <, <=)")
        if " " in rest:
            raise fail(f"comparators are separated by ',' (e.g. '>=1.1.0,<2'), got {term!r}")
        if any(part in ("*", "x", "X") for part in rest.split(".")):
            raise fail(f"wildcard in {term!r}: write ^1 or ~1.2 instead of 1.x or 1.2.*")
        try:
            partial = _parse(rest, partial=True)
        except _Bad as exc:
            raise fail(f"in {term!r}: {exc.reason}") from None
        if op in ("", "=") and partial[2] is None:
            raise fail(
                f"an exact version needs MAJOR.MINOR.PATCH, got {term!r}"
                f" (for a range write ^{rest} or ~{rest})"
            )
        if op == "=":
            op = ""
        canonical.append(op + rest)
        comparators.extend(_desugar(op or "=", partial))

    if len(terms) == 1 and comparators and comparators[0].op == "=":
        exact = comparators[0].version
    if _is_empty(comparators):
        raise fail("no version can satisfy every comparator")
    return ",".join(canonical), tuple(comparators), exact


def _is_empty(comparators: Iterable[Comparator]) -> bool:
    """Whether the comparators' bounds leave no room at all in the version order."""
    low: tuple[Version, bool] | None = None  # (version, exclusive)
    high: tuple[Version, bool] | None = None
    for c in comparators:
        if c.op in ("=", ">=", ">"):
            bound = (c.version, c.op == ">")
            if low is None or (bound[0], bound[1]) > (low[0], low[1]):
                low = bound
        if c.op in ("=", "<=", "<"):
            bound = (c.version, c.op == "<")
            if high is None or (bound[0], not bound[1]) < (high[0], not high[1]):
                high = bound
    if low is None or high is None:
        return False
    return low[0] > high[0] or (low[0] == high[0] and (low[1] or high[1]))


# --------------------------------------------------------------------------- bumps

_RANK: dict[str, int] = {kind: rank for rank, kind in enumerate(BUMP_KINDS)}


def bump_rank(kind: BumpKind) -> int:
    """The order of bump kinds: ``none`` 0, ``patch`` 1, ``minor`` 2, ``major`` 3.

    Raises:
        UsageError: ``kind`` is not a bump kind.
    """
    try:
        return _RANK[kind]
    except (KeyError, TypeError):
        raise UsageError(
            f"unknown bump kind {kind!r} (expected one of {', '.join(BUMP_KINDS)})"
        ) from None


def max_bump(*kinds: BumpKind) -> BumpKind:
    """The largest of ``kinds`` (``none`` when there are none).

    Example:
        >>> max_bump("patch", "minor", "none")
        'minor'
    """
    return BUMP_KINDS[max((bump_rank(k) for k in kinds), default=0)]


def declared_bump(previous: Version, new: Version) -> BumpKind:
    """The bump the number of ``new`` declares over ``previous``.

    It is the leftmost of MAJOR, MINOR, PATCH that differs, compared without
    pre-release identifiers, so ``2.0.0-rc.1`` declares ``major`` over ``1.4.2``. When
    the two share MAJOR.MINOR.PATCH (``previous`` is a pre-release of ``new``'s
    release) the result is ``none``: pre-releases are meant to be compared with the
    previous *release* (:func:`previous_release`), never with each other.

    Raises:
        InvalidVersion: ``new`` is not greater than ``previous``
            (code ``version-not-increasing``).

    Example:
        >>> declared_bump(Version.parse("1.2.3"), Version.parse("1.3.0"))
        'minor'
    """
    if new <= previous:
        raise InvalidVersion(
            f"{new} is not greater than the previous version {previous}",
            code="version-not-increasing",
        )
    if new.major != previous.major:
        return "major"
    if new.minor != previous.minor:
        return "minor"
    if new.patch != previous.patch:
        return "patch"
    return "none"


def required_bump(semantic: BumpKind, previous: Version) -> BumpKind:
    """The bump the version number must declare for a change of bump ``semantic``.

    Applies the rules below 1.0.0 (see the module docstring): after ``0.y.z`` a
    breaking change needs a minor bump and anything else a patch; after ``0.0.z``
    every change is breaking, which there means a patch-position bump
    (``^0.0.3`` is ``<0.0.4``).

    Example:
        >>> required_bump("major", Version.parse("0.3.1"))
        'minor'
        >>> required_bump("minor", Version.parse("0.0.3"))
        'patch'
    """
    rank = bump_rank(semantic)
    if rank == 0 or previous.major > 0:
        return semantic
    if previous.minor > 0:
        return "minor" if semantic == "major" else "patch"
    return "patch"


def bump_satisfies(previous: Version, new: Version, required: BumpKind) -> bool:
    """Whether ``new`` may be published after ``previous`` for a change of bump ``required``.

    ``required`` is the semantic bump (the compatibility engine's verdict); the rules
    below 1.0.0 are applied. ``new`` must be greater than ``previous``; bumping more
    than required is allowed.

    Example:
        >>> v = Version.parse
        >>> bump_satisfies(v("1.4.2"), v("1.5.0"), "major")
        False
        >>> bump_satisfies(v("0.4.2"), v("0.5.0"), "major")
        True
    """
    if new <= previous:
        return False
    return bump_rank(declared_bump(previous, new)) >= bump_rank(required_bump(required, previous))


def smallest_allowed(previous: Version, required: BumpKind) -> Version:
    """The smallest release that may be published after ``previous`` (see :func:`bump_satisfies`).

    For ``none`` (identical documents) that is the next patch release, or the release
    of ``previous`` when it is a pre-release.

    Example:
        >>> str(smallest_allowed(Version.parse("0.3.1"), "major"))
        '0.4.0'
    """
    kind = required_bump(required, previous)
    if kind == "none":
        return previous.release if previous.prerelease else previous.bump("patch")
    # Bump the release triple (Version.bump would turn 1.3.0-rc.1 into 1.3.0, whose
    # triple equals the previous one and so declares nothing).
    return previous.release.bump(kind)


def previous_version(
    versions: Iterable[Version],
    new: Version,
    *,
    yanked: AbstractSet[Version] = frozenset(),
    include_prereleases: bool = False,
) -> Version | None:
    """The highest version of ``versions`` below ``new`` that is not yanked.

    Pre-releases are skipped unless ``include_prereleases``. ``new`` need not be in
    ``versions``; a backport ``1.4.3`` published after ``2.0.0`` gets ``1.4.2``.

    Example:
        >>> vs = [Version.parse(t) for t in ["1.4.2", "2.0.0-rc.1", "2.0.0"]]
        >>> previous_version(vs, Version.parse("1.4.3"))
        Version.parse('1.4.2')
    """
    return max(
        (
            v
            for v in versions
            if v < new and v not in yanked and (include_prereleases or not v.prerelease)
        ),
        default=None,
    )


def previous_release(
    versions: Iterable[Version], new: Version, *, yanked: AbstractSet[Version] = frozenset()
) -> Version | None:
    """The version ``new`` is checked against: the highest non-yanked release below it.

    Pre-releases are checked against the previous release, not against each other
    (docs/design.md), so pre-releases never serve as the baseline.

    Example:
        >>> vs = [Version.parse(t) for t in ["1.0.0", "1.1.0-rc.1", "1.1.0-rc.2"]]
        >>> previous_release(vs, Version.parse("1.1.0"))
        Version.parse('1.0.0')
    """
    return previous_version(versions, new, yanked=yanked)
