from __future__ import annotations

import doctest
import itertools
import pickle
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord.versions
from accord.errors import AccordError, InvalidRange, InvalidVersion, UsageError
from accord.versions import (
    BUMP_KINDS,
    BumpKind,
    Version,
    VersionRange,
    bump_rank,
    bump_satisfies,
    declared_bump,
    max_bump,
    previous_release,
    previous_version,
    required_bump,
    smallest_allowed,
)

V = Version.parse


def vs(*texts: str) -> list[Version]:
    return [V(t) for t in texts]


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("0.0.0", (0, 0, 0, ()), id="zeros"),
        pytest.param("1.2.3", (1, 2, 3, ()), id="plain"),
        pytest.param("10.20.30", (10, 20, 30, ()), id="multi-digit"),
        pytest.param("1.0.0-alpha", (1, 0, 0, ("alpha",)), id="pre-alpha"),
        pytest.param("1.0.0-alpha.1", (1, 0, 0, ("alpha", 1)), id="pre-alpha-numeric"),
        pytest.param("1.0.0-0.3.7", (1, 0, 0, (0, 3, 7)), id="pre-all-numeric"),
        pytest.param("1.0.0-x.7.z.92", (1, 0, 0, ("x", 7, "z", 92)), id="pre-mixed"),
        pytest.param("1.0.0-x-y-z.--", (1, 0, 0, ("x-y-z", "--")), id="pre-hyphens"),
        pytest.param("1.0.0-0a", (1, 0, 0, ("0a",)), id="pre-leading-zero-alnum-ok"),
        pytest.param("1.0.0-rc-1", (1, 0, 0, ("rc-1",)), id="pre-hyphen-in-identifier"),
        pytest.param("99999999999999999999.0.0", (99999999999999999999, 0, 0, ()), id="big-major"),
    ],
)
def test_parse_valid(text: str, expected: tuple[object, ...]) -> None:
    version = V(text)
    assert (version.major, version.minor, version.patch, version.prerelease) == expected
    assert str(version) == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("", "empty version", id="empty"),
        pytest.param("1", "needs three numbers: MAJOR.MINOR.PATCH", id="one-number"),
        pytest.param("1.0", "needs three numbers: MAJOR.MINOR.PATCH", id="two-numbers"),
        pytest.param("1.2.3.4", "needs three numbers: MAJOR.MINOR.PATCH", id="four-numbers"),
        pytest.param("v1.2.3", "'v' prefix is not allowed", id="v-prefix"),
        pytest.param("V1.2.3", "'v' prefix is not allowed", id="V-prefix"),
        pytest.param("01.2.3", "leading zero in major", id="leading-zero-major"),
        pytest.param("1.02.3", "leading zero in minor", id="leading-zero-minor"),
        pytest.param("1.2.03", "leading zero in patch", id="leading-zero-patch"),
        pytest.param(
            "1.2.3-01", "leading zero in numeric pre-release identifier '01'", id="leading-zero-pre"
        ),
        pytest.param(
            "1.2.3-rc.00", "leading zero in numeric pre-release identifier", id="double-zero-pre"
        ),
        pytest.param(
            "1.2.3+build.1",
            "build metadata is not allowed in contract versions",
            id="build-metadata",
        ),
        pytest.param(
            "1.2.3-rc.1+b", "build metadata is not allowed in contract versions", id="pre-build"
        ),
        pytest.param("1.2.3-", "empty pre-release after '-'", id="empty-prerelease"),
        pytest.param("1.2.3-rc..1", "empty pre-release identifier", id="empty-identifier"),
        pytest.param("1.2.3-rc.", "empty pre-release identifier", id="trailing-dot-pre"),
        pytest.param("1..3", "empty minor", id="empty-minor"),
        pytest.param("1.2.", "empty patch", id="empty-patch"),
        pytest.param(".1.2", "empty major", id="empty-major"),
        pytest.param("1.a.3", "minor is not a number: 'a'", id="letter-minor"),
        pytest.param("1.2.3-rc_1", "invalid character '_'", id="underscore-pre"),
        pytest.param(" 1.2.3", "whitespace is not allowed", id="leading-space"),
        pytest.param("1.2.3\n", "whitespace is not allowed", id="trailing-newline"),
        pytest.param("1.2.3 ", "whitespace is not allowed", id="trailing-space"),
        pytest.param("1.\u0663.3", "non-ASCII digit '\u0663'", id="arabic-indic-digit"),
        pytest.param("\uff11.2.3", "non-ASCII digit", id="fullwidth-digit"),
        pytest.param("1.2.3-\u00e9", "non-ASCII character", id="non-ascii-pre"),
        pytest.param("1" * 300 + ".0.0", "longer than 256 characters", id="too-long"),
        pytest.param("-1.2.3", "needs three numbers", id="negative"),
        pytest.param("1.2.-3", "empty patch", id="negative-patch"),
    ],
)
def test_parse_invalid(text: str, fragment: str) -> None:
    with pytest.raises(InvalidVersion) as info:
        V(text)
    assert info.value.code == "invalid-version"
    assert fragment in info.value.message
    assert isinstance(info.value, ValueError)


def test_parse_refuses_non_string() -> None:
    with pytest.raises(InvalidVersion, match="expected a string"):
        V(123)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param((-1, 0, 0), "major must be a non-negative int", id="negative"),
        pytest.param((True, 0, 0), "major must be a non-negative int", id="bool"),
        pytest.param((1, 0, 0, ("01",)), "leading zero", id="leading-zero-str"),
        pytest.param((1, 0, 0, ("",)), "empty pre-release identifier", id="empty-identifier"),
        pytest.param((1, 0, 0, ("a.b",)), "invalid character '.'", id="dot-in-identifier"),
        pytest.param((1, 0, 0, ("\u00e9",)), "invalid character", id="non-ascii-identifier"),
        pytest.param((1, 0, 0, (1.5,)), "bad pre-release identifier", id="float-identifier"),
        pytest.param((1, 0, 0, (-1,)), "bad pre-release identifier", id="negative-identifier"),
    ],
)
def test_constructor_validates(args: tuple[object, ...], fragment: str) -> None:
    with pytest.raises(InvalidVersion, match=fragment):
        Version(*args)  # type: ignore[arg-type]


def test_constructor_normalises_numeric_strings() -> None:
    assert Version(1, 0, 0, ("rc", "1")) == V("1.0.0-rc.1")
    assert Version(1, 0, 0, ("rc", "1")).prerelease == ("rc", 1)


def test_value_semantics() -> None:
    version = V("1.2.3-rc.1")
    assert version == Version(1, 2, 3, ("rc", 1))
    assert hash(version) == hash(Version(1, 2, 3, ("rc", 1)))
    assert len({V("1.0.0"), V("1.0.0"), V("1.0.1")}) == 2
    assert repr(version) == "Version.parse('1.2.3-rc.1')"
    assert pickle.loads(pickle.dumps(version)) == version
    with pytest.raises(AttributeError):
        version.major = 2  # type: ignore[misc]
    assert version != "1.2.3-rc.1"  # type: ignore[comparison-overlap]
    with pytest.raises(TypeError):
        _ = version < "2.0.0"  # type: ignore[operator]


def test_properties() -> None:
    assert V("1.2.3-rc.1").is_prerelease
    assert not V("1.2.3").is_prerelease
    assert V("1.2.3-rc.1").release == V("1.2.3")
    assert V("1.2.3").release == V("1.2.3")
    assert V("1.2.3-rc.1").triple == (1, 2, 3)


# --------------------------------------------------------------------------- precedence

SEMVER_ORG_CHAIN = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
]

MORE_CHAIN = [
    "0.0.0-0",
    "0.0.0",
    "0.0.1",
    "0.1.0",
    "0.9.9",
    "0.9.10",
    "1.0.0-0",
    "1.0.0-1",
    "1.0.0-2",
    "1.0.0-10",
    "1.0.0-A",
    "1.0.0-Z",
    "1.0.0-a",
    "1.0.0-alpha",
    "1.0.0-alpha.0",
    "1.0.0-alpha.0.0",
    "1.0.0-alpha.1",
    "1.0.0-alpha.a",
    "1.0.0",
    "1.0.1-rc.1",
    "1.0.1",
    "1.2.0",
    "1.10.0",
    "2.0.0",
    "10.0.0",
]


@pytest.mark.parametrize("chain", [SEMVER_ORG_CHAIN, MORE_CHAIN], ids=["semver-org", "more"])
def test_precedence_chain(chain: list[str]) -> None:
    versions = vs(*chain)
    for lower, higher in itertools.pairwise(versions):
        assert lower < higher
        assert lower <= higher
        assert higher > lower
        assert higher >= lower
        assert lower != higher
        assert not higher < lower
    shuffled = list(reversed(versions))
    assert sorted(shuffled) == versions


# --------------------------------------------------------------------------- bump()


@pytest.mark.parametrize(
    ("start", "kind", "expected"),
    [
        pytest.param("1.2.3", "none", "1.2.3", id="none"),
        pytest.param("1.2.3", "patch", "1.2.4", id="patch"),
        pytest.param("1.2.3", "minor", "1.3.0", id="minor"),
        pytest.param("1.2.3", "major", "2.0.0", id="major"),
        pytest.param("0.0.3", "patch", "0.0.4", id="zero-patch"),
        pytest.param("1.3.0-rc.1", "patch", "1.3.0", id="pre-minor-by-patch"),
        pytest.param("1.3.0-rc.1", "minor", "1.3.0", id="pre-minor-by-minor"),
        pytest.param("1.3.0-rc.1", "major", "2.0.0", id="pre-minor-by-major"),
        pytest.param("2.0.0-rc.1", "patch", "2.0.0", id="pre-major-by-patch"),
        pytest.param("2.0.0-rc.1", "major", "2.0.0", id="pre-major-by-major"),
        pytest.param("1.2.4-rc.1", "patch", "1.2.4", id="pre-patch-by-patch"),
        pytest.param("1.2.4-rc.1", "minor", "1.3.0", id="pre-patch-by-minor"),
        pytest.param("1.2.4-rc.1", "none", "1.2.4-rc.1", id="pre-none"),
    ],
)
def test_bump(start: str, kind: BumpKind, expected: str) -> None:
    assert str(V(start).bump(kind)) == expected


def test_bump_unknown_kind() -> None:
    with pytest.raises(UsageError, match="unknown bump kind 'huge'"):
        V("1.0.0").bump("huge")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- ranges

RANGE_CASES = [
    # (range, matches, does not match)
    ("1.2.3", ["1.2.3"], ["1.2.4", "1.2.2", "1.2.3-rc.1"]),
    ("=1.2.3", ["1.2.3"], ["1.2.4"]),
    ("^1.2.3", ["1.2.3", "1.9.9", "1.2.10"], ["1.2.2", "2.0.0", "2.0.0-rc.1", "1.3.0-rc.1"]),
    ("^1.2", ["1.2.0", "1.99.0"], ["1.1.9", "2.0.0"]),
    ("^1", ["1.0.0", "1.9.9"], ["0.9.9", "2.0.0"]),
    ("^0.3", ["0.3.0", "0.3.9"], ["0.4.0", "0.2.9", "1.0.0"]),
    ("^0.3.1", ["0.3.1", "0.3.9"], ["0.3.0", "0.4.0"]),
    ("^0.0.3", ["0.0.3"], ["0.0.4", "0.0.2", "0.1.0"]),
    ("^0.0", ["0.0.0", "0.0.9"], ["0.1.0"]),
    ("^0", ["0.0.0", "0.9.9"], ["1.0.0"]),
    ("~1.2.3", ["1.2.3", "1.2.9"], ["1.3.0", "1.2.2"]),
    ("~1.2", ["1.2.0", "1.2.9"], ["1.3.0", "1.1.0"]),
    ("~1", ["1.0.0", "1.9.0"], ["2.0.0", "0.9.0"]),
    ("~0.3", ["0.3.0", "0.3.5"], ["0.4.0"]),
    (">=1.1.0,<2", ["1.1.0", "1.9.9"], ["1.0.9", "2.0.0", "2.0.0-rc.1"]),
    (">=1.1,<2", ["1.1.0"], ["1.0.9", "2.0.0"]),
    (">1.2.3", ["1.2.4"], ["1.2.3"]),
    (">1.2", ["1.3.0"], ["1.2.9"]),
    (">1", ["2.0.0"], ["1.9.9"]),
    ("<1.2.3", ["1.2.2"], ["1.2.3", "1.2.3-rc.1"]),
    ("<=1.2.3", ["1.2.3"], ["1.2.4"]),
    ("<=1.2", ["1.2.9"], ["1.3.0"]),
    ("<2", ["1.99.99", "0.0.0"], ["2.0.0"]),
    ("*", ["0.0.0", "1.0.0", "99.0.0"], ["1.0.0-rc.1"]),
    ("^1.2.0-rc.1", ["1.2.0-rc.1", "1.2.0-rc.2", "1.2.0", "1.2.5"], ["1.3.0-beta", "1.2.0-beta"]),
    ("~1.2.3-beta.2", ["1.2.3-beta.2", "1.2.3-beta.4", "1.2.3"], ["1.2.4-beta.2", "1.3.0"]),
    ("1.2.0-rc.1", ["1.2.0-rc.1"], ["1.2.0-rc.2", "1.2.0"]),
    (">=1.0.0-0,<1.0.0", ["1.0.0-alpha", "1.0.0-0"], ["1.0.0", "0.9.0"]),
    (">=1.0.0,<2.0.0-0", ["1.5.0"], ["2.0.0-0"]),
    (">=1.0.0,<2.0.0-rc.1", ["2.0.0-beta"], ["2.0.0-rc.1", "2.0.0"]),
    ("^1.2,<1.5", ["1.4.9"], ["1.5.0", "1.1.0"]),
]


@pytest.mark.parametrize(
    ("text", "inside", "outside"), RANGE_CASES, ids=[case[0] for case in RANGE_CASES]
)
def test_range_contains(text: str, inside: list[str], outside: list[str]) -> None:
    version_range = VersionRange.parse(text)
    for version in inside:
        assert version_range.contains(V(version)), version
        assert V(version) in version_range
        assert version in version_range
    for version in outside:
        assert not version_range.contains(V(version)), version
        assert V(version) not in version_range


@pytest.mark.parametrize(
    ("text", "comparators"),
    [
        pytest.param("^1.2", [">=1.2.0", "<2.0.0"], id="caret-minor"),
        pytest.param("^0.3", [">=0.3.0", "<0.4.0"], id="caret-zero-minor"),
        pytest.param("^0.0.3", [">=0.0.3", "<0.0.4"], id="caret-zero-zero"),
        pytest.param("^0", [">=0.0.0", "<1.0.0"], id="caret-zero"),
        pytest.param("^0.0", [">=0.0.0", "<0.1.0"], id="caret-zero-zero-partial"),
        pytest.param("~1.2", [">=1.2.0", "<1.3.0"], id="tilde-minor"),
        pytest.param("~1", [">=1.0.0", "<2.0.0"], id="tilde-major"),
        pytest.param("~1.2.3", [">=1.2.3", "<1.3.0"], id="tilde-full"),
        pytest.param(">=1.1.0,<2", [">=1.1.0", "<2.0.0"], id="comparators"),
        pytest.param(">1.2", [">=1.3.0"], id="gt-partial"),
        pytest.param("<=1", ["<2.0.0"], id="le-partial"),
        pytest.param("=1.2.3", ["=1.2.3"], id="exact"),
        pytest.param("*", [], id="any"),
    ],
)
def test_range_comparators(text: str, comparators: list[str]) -> None:
    assert [str(c) for c in VersionRange.parse(text).comparators] == comparators


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        pytest.param("^1.2", "^1.2", id="caret"),
        pytest.param("=1.2.3", "1.2.3", id="equals-dropped"),
        pytest.param(">= 1.1 , <2", ">=1.1,<2", id="spaces-dropped"),
        pytest.param(">=1.1.0,<2", ">=1.1.0,<2", id="as-written"),
        pytest.param(" * ", "*", id="star"),
    ],
)
def test_range_canonical_text(text: str, canonical: str) -> None:
    version_range = VersionRange.parse(text)
    assert str(version_range) == canonical
    assert VersionRange.parse(str(version_range)) == version_range
    assert version_range == VersionRange(text)
    assert repr(version_range) == f"VersionRange({canonical!r})"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("", "empty range", id="empty"),
        pytest.param("   ", "empty range", id="blank"),
        pytest.param("1.2", "an exact version needs MAJOR.MINOR.PATCH", id="bare-partial"),
        pytest.param("=1", "an exact version needs MAJOR.MINOR.PATCH", id="equals-partial"),
        pytest.param("^1.02", "leading zero in minor", id="leading-zero"),
        pytest.param("^v1", "'v' prefix is not allowed", id="v-prefix"),
        pytest.param("^1.2.3+b", "build metadata", id="build-metadata"),
        pytest.param("^1.2-rc.1", "a pre-release needs all three numbers", id="partial-pre"),
        pytest.param(">=1.0.0,", "empty comparator", id="trailing-comma"),
        pytest.param(">=1.0.0 <2", "separated by ','", id="npm-space-and"),
        pytest.param("1.2.3 || 2.0.0", "'||'", id="union"),
        pytest.param("==1.2.3", "unknown operator", id="double-equals"),
        pytest.param("~>1.2", "unknown operator", id="pessimistic"),
        pytest.param("!=1.2.3", "unknown operator", id="not-equal"),
        pytest.param("1.x", "wildcard", id="x-wildcard"),
        pytest.param("1.2.*", "wildcard", id="star-wildcard"),
        pytest.param("*,<2", "'*' cannot be combined", id="star-combined"),
        pytest.param(">=2,<1", "no version can satisfy", id="empty-set"),
        pytest.param(">1.0.0,<1.0.0", "no version can satisfy", id="empty-open"),
        pytest.param(">=1.0.0,<1.0.0", "no version can satisfy", id="empty-half-open"),
        pytest.param("1.0.0,2.0.0", "no version can satisfy", id="two-exacts"),
        pytest.param("^1.\u0663", "non-ASCII digit", id="arabic-indic"),
        pytest.param("^1" + ",^1" * 400, "longer than 1024", id="too-long"),
        pytest.param("latest", "major is not a number", id="word"),
    ],
)
def test_range_invalid(text: str, fragment: str) -> None:
    with pytest.raises(InvalidRange) as info:
        VersionRange.parse(text)
    assert info.value.code == "invalid-range"
    assert fragment in info.value.message
    assert isinstance(info.value, ValueError)


def test_range_non_empty_edges_are_accepted() -> None:
    assert VersionRange.parse(">=1.0.0,<=1.0.0").contains(V("1.0.0"))
    assert VersionRange.parse("1.0.0,>=1.0.0").contains(V("1.0.0"))


def test_range_exact() -> None:
    assert VersionRange.parse("1.2.3").is_exact
    assert VersionRange.parse("=1.2.3-rc.1").exact_version == V("1.2.3-rc.1")
    assert not VersionRange.parse("^1.2.3").is_exact
    assert VersionRange.parse("^1.2.3").exact_version is None
    assert not VersionRange.parse(">=1.0.0,<=1.0.0").is_exact
    assert VersionRange.exactly(V("2.0.0")) == VersionRange.parse("2.0.0")


def test_range_value_semantics() -> None:
    assert VersionRange.parse("=1.2.3") == VersionRange.parse("1.2.3")
    assert hash(VersionRange.parse("=1.2.3")) == hash(VersionRange.parse("1.2.3"))
    assert VersionRange.parse("^1.2") != VersionRange.parse(">=1.2.0,<2.0.0")
    restored = pickle.loads(pickle.dumps(VersionRange.parse("^1.2")))
    assert restored == VersionRange.parse("^1.2")
    assert restored.contains(V("1.5.0"))
    assert 3 not in VersionRange.parse("*")


def test_range_contains_bad_string_raises() -> None:
    with pytest.raises(InvalidVersion):
        _ = "1.2" in VersionRange.parse("*")


PUBLISHED = vs("0.9.0", "1.0.0", "1.1.0", "1.2.0-rc.1", "1.2.0", "1.2.1", "2.0.0-rc.1", "2.0.0")


@pytest.mark.parametrize(
    ("text", "yanked", "expected"),
    [
        pytest.param("^1", [], "1.2.1", id="caret-highest"),
        pytest.param("^1", ["1.2.1"], "1.2.0", id="caret-skips-yanked"),
        pytest.param("^1", ["1.2.1", "1.2.0"], "1.1.0", id="caret-skips-two-yanked"),
        pytest.param("~1.1", [], "1.1.0", id="tilde"),
        pytest.param("*", [], "2.0.0", id="any"),
        pytest.param("*", ["2.0.0"], "1.2.1", id="any-no-prerelease-fallback"),
        pytest.param("1.2.1", ["1.2.1"], None, id="exact-yanked"),
        pytest.param("1.2.0-rc.1", [], "1.2.0-rc.1", id="exact-prerelease"),
        pytest.param("^2.0.0-rc.1", ["2.0.0"], "2.0.0-rc.1", id="prerelease-range"),
        pytest.param("^3", [], None, id="nothing"),
        pytest.param(">=1.1,<2", [], "1.2.1", id="comparators"),
        pytest.param("^0.9", [], "0.9.0", id="zero-minor"),
    ],
)
def test_select(text: str, yanked: list[str], expected: str | None) -> None:
    selected = VersionRange.parse(text).select(PUBLISHED, yanked=frozenset(vs(*yanked)))
    assert (str(selected) if selected else None) == expected


def test_select_accepts_any_iterable() -> None:
    assert VersionRange.parse("^1").select(iter(PUBLISHED)) == V("1.2.1")
    assert VersionRange.parse("^1").select([]) is None


# --------------------------------------------------------------------------- bumps


def test_bump_rank_and_max() -> None:
    assert [bump_rank(k) for k in BUMP_KINDS] == [0, 1, 2, 3]
    assert max_bump() == "none"
    assert max_bump("patch") == "patch"
    assert max_bump("patch", "major", "minor") == "major"
    assert max_bump("none", "minor", "patch") == "minor"


def test_bump_kinds_are_the_rule_catalogues_bumps() -> None:
    # versions spells the Literal out (so loading a registry skips the rule catalogue):
    # the two must stay the same four words, in order.
    from accord.core.rules import Bump

    assert get_args(BumpKind) == get_args(Bump) == BUMP_KINDS
    with pytest.raises(UsageError) as info:
        max_bump("patch", "big")  # type: ignore[arg-type]
    assert info.value.code == "usage"


@pytest.mark.parametrize(
    ("previous", "new", "expected"),
    [
        pytest.param("1.2.3", "1.2.4", "patch", id="patch"),
        pytest.param("1.2.3", "1.2.9", "patch", id="patch-skip"),
        pytest.param("1.2.3", "1.3.0", "minor", id="minor"),
        pytest.param("1.2.3", "1.3.5", "minor", id="minor-with-patch"),
        pytest.param("1.2.3", "2.0.0", "major", id="major"),
        pytest.param("1.2.3", "2.0.0-rc.1", "major", id="pre-of-major"),
        pytest.param("1.2.3", "1.3.0-rc.1", "minor", id="pre-of-minor"),
        pytest.param("1.2.3", "1.2.4-rc.1", "patch", id="pre-of-patch"),
        pytest.param("0.3.1", "0.4.0", "minor", id="zero-minor"),
        pytest.param("0.0.3", "0.0.4", "patch", id="zero-zero"),
        pytest.param("1.0.0-rc.1", "1.0.0", "none", id="release-of-pre"),
        pytest.param("1.0.0-rc.1", "1.0.0-rc.2", "none", id="pre-to-pre"),
    ],
)
def test_declared_bump(previous: str, new: str, expected: BumpKind) -> None:
    assert declared_bump(V(previous), V(new)) == expected


@pytest.mark.parametrize(
    ("previous", "new"),
    [
        pytest.param("1.2.3", "1.2.3", id="equal"),
        pytest.param("1.2.3", "1.2.2", id="lower"),
        pytest.param("1.2.3", "1.2.3-rc.1", id="own-prerelease"),
    ],
)
def test_declared_bump_refuses_non_increasing(previous: str, new: str) -> None:
    with pytest.raises(InvalidVersion) as info:
        declared_bump(V(previous), V(new))
    assert info.value.code == "version-not-increasing"


@pytest.mark.parametrize(
    ("previous", "semantic", "expected"),
    [
        pytest.param("1.2.3", "none", "none", id="stable-none"),
        pytest.param("1.2.3", "patch", "patch", id="stable-patch"),
        pytest.param("1.2.3", "minor", "minor", id="stable-minor"),
        pytest.param("1.2.3", "major", "major", id="stable-major"),
        pytest.param("0.3.1", "none", "none", id="0.y-none"),
        pytest.param("0.3.1", "patch", "patch", id="0.y-patch"),
        pytest.param("0.3.1", "minor", "patch", id="0.y-minor-is-patch"),
        pytest.param("0.3.1", "major", "minor", id="0.y-major-is-minor"),
        pytest.param("0.0.3", "none", "none", id="0.0-none"),
        pytest.param("0.0.3", "patch", "patch", id="0.0-patch"),
        pytest.param("0.0.3", "minor", "patch", id="0.0-minor"),
        pytest.param("0.0.3", "major", "patch", id="0.0-major"),
    ],
)
def test_required_bump(previous: str, semantic: BumpKind, expected: BumpKind) -> None:
    assert required_bump(semantic, V(previous)) == expected


@pytest.mark.parametrize(
    ("previous", "new", "semantic", "allowed"),
    [
        pytest.param("1.4.2", "1.4.3", "patch", True, id="patch-ok"),
        pytest.param("1.4.2", "1.4.3", "minor", False, id="minor-needs-minor"),
        pytest.param("1.4.2", "1.5.0", "minor", True, id="minor-ok"),
        pytest.param("1.4.2", "1.5.0", "major", False, id="breaking-needs-major"),
        pytest.param("1.4.2", "2.0.0", "major", True, id="major-ok"),
        pytest.param("1.4.2", "2.0.0", "patch", True, id="over-bump-ok"),
        pytest.param("1.4.2", "1.4.3", "none", True, id="none-any-increase"),
        pytest.param("1.4.2", "1.4.2", "none", False, id="same-version"),
        pytest.param("1.4.2", "1.4.1", "none", False, id="lower-version"),
        pytest.param("1.4.2", "2.0.0-rc.1", "major", True, id="prerelease-of-major"),
        pytest.param("1.4.2", "1.5.0-rc.1", "major", False, id="prerelease-of-minor"),
        pytest.param("1.4.2", "1.5.0-rc.1", "minor", True, id="prerelease-minor-ok"),
        pytest.param("0.3.1", "0.3.2", "minor", True, id="0.y-additive-patch"),
        pytest.param("0.3.1", "0.3.2", "major", False, id="0.y-breaking-patch"),
        pytest.param("0.3.1", "0.4.0", "major", True, id="0.y-breaking-minor"),
        pytest.param("0.3.1", "1.0.0", "major", True, id="0.y-to-1"),
        pytest.param("0.0.3", "0.0.4", "major", True, id="0.0-breaking-patch"),
        pytest.param("0.0.3", "0.0.4", "patch", True, id="0.0-doc-patch"),
        pytest.param("0.0.3", "0.1.0", "major", True, id="0.0-to-0.1"),
    ],
)
def test_bump_satisfies(previous: str, new: str, semantic: BumpKind, allowed: bool) -> None:
    assert bump_satisfies(V(previous), V(new), semantic) is allowed


@pytest.mark.parametrize(
    ("previous", "semantic", "expected"),
    [
        pytest.param("1.4.2", "none", "1.4.3", id="none"),
        pytest.param("1.4.2", "patch", "1.4.3", id="patch"),
        pytest.param("1.4.2", "minor", "1.5.0", id="minor"),
        pytest.param("1.4.2", "major", "2.0.0", id="major"),
        pytest.param("0.3.1", "minor", "0.3.2", id="0.y-minor"),
        pytest.param("0.3.1", "major", "0.4.0", id="0.y-major"),
        pytest.param("0.0.3", "major", "0.0.4", id="0.0-major"),
        pytest.param("0.0.3", "patch", "0.0.4", id="0.0-patch"),
        pytest.param("1.3.0-rc.1", "none", "1.3.0", id="pre-none"),
        pytest.param("1.3.0-rc.1", "patch", "1.3.1", id="pre-patch"),
        pytest.param("1.3.0-rc.1", "major", "2.0.0", id="pre-major"),
    ],
)
def test_smallest_allowed(previous: str, semantic: BumpKind, expected: str) -> None:
    result = smallest_allowed(V(previous), semantic)
    assert str(result) == expected
    assert bump_satisfies(V(previous), result, semantic)


def test_caret_rule_for_breaking_changes() -> None:
    """A breaking change must leave ^previous; a non-breaking one's minimum stays inside."""
    for text in ["0.0.3", "0.3.1", "1.4.2", "0.0.0", "0.1.0", "3.0.0"]:
        previous = V(text)
        caret = VersionRange.parse(f"^{previous}")
        assert smallest_allowed(previous, "major") not in caret
        if previous.major > 0 or previous.minor > 0:
            assert smallest_allowed(previous, "minor") in caret
            assert smallest_allowed(previous, "patch") in caret
        else:
            assert smallest_allowed(previous, "patch") not in caret


HISTORY = vs("1.0.0", "1.4.2", "1.5.0-rc.1", "2.0.0-rc.1", "2.0.0", "2.1.0")


@pytest.mark.parametrize(
    ("new", "yanked", "include_prereleases", "expected"),
    [
        pytest.param("1.4.3", [], False, "1.4.2", id="backport"),
        pytest.param("2.0.1", [], False, "2.0.0", id="next-patch"),
        pytest.param("2.2.0", ["2.1.0"], False, "2.0.0", id="skips-yanked"),
        pytest.param("2.0.0", [], False, "1.4.2", id="release-after-rcs"),
        pytest.param("2.0.0", [], True, "2.0.0-rc.1", id="with-prereleases"),
        pytest.param("2.0.0-rc.2", [], False, "1.4.2", id="prerelease-vs-release"),
        pytest.param("1.0.0", [], False, None, id="first"),
        pytest.param("0.1.0", [], False, None, id="before-everything"),
        pytest.param("1.4.3", ["1.4.2", "1.0.0"], False, None, id="all-yanked"),
        pytest.param("2.1.0", [], False, "2.0.0", id="new-already-listed"),
    ],
)
def test_previous_version(
    new: str, yanked: list[str], include_prereleases: bool, expected: str | None
) -> None:
    result = previous_version(
        HISTORY, V(new), yanked=frozenset(vs(*yanked)), include_prereleases=include_prereleases
    )
    assert (str(result) if result else None) == expected
    if not include_prereleases:
        assert previous_release(HISTORY, V(new), yanked=frozenset(vs(*yanked))) == result


# --------------------------------------------------------------------------- properties

identifiers = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.from_regex(r"[0-9A-Za-z-]{0,5}[A-Za-z-][0-9A-Za-z-]{0,5}", fullmatch=True),
)
versions = st.builds(
    Version,
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=50),
    st.lists(identifiers, max_size=3).map(tuple),
)


def precedence_tuple(version: Version) -> tuple[object, ...]:
    """An independent spelling of SemVer precedence, for the property below."""
    if not version.prerelease:
        return (version.major, version.minor, version.patch, 1, ())
    idents = tuple((1, 0, i) if isinstance(i, str) else (0, i, "") for i in version.prerelease)
    return (version.major, version.minor, version.patch, 0, idents)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(versions)
def test_round_trip(version: Version) -> None:
    assert V(str(version)) == version
    assert str(V(str(version))) == str(version)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(versions, versions)
def test_ordering_matches_tuples(a: Version, b: Version) -> None:
    ta, tb = precedence_tuple(a), precedence_tuple(b)
    assert (a < b) == (ta < tb)
    assert (a == b) == (ta == tb)
    assert (a >= b) == (ta >= tb)
    assert sorted([a, b]) == sorted([b, a])


@settings(max_examples=100, deadline=None, derandomize=True)
@given(versions.filter(lambda v: not v.prerelease), st.sampled_from(BUMP_KINDS))
def test_smallest_allowed_is_smallest(previous: Version, semantic: BumpKind) -> None:
    allowed = smallest_allowed(previous, semantic)
    assert bump_satisfies(previous, allowed, semantic)
    # Every release strictly between previous and the answer is refused.
    for kind in ("patch", "minor", "major"):
        candidate = previous.bump(kind)
        if previous < candidate < allowed:
            assert not bump_satisfies(previous, candidate, semantic)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(versions, st.sampled_from(["^", "~", ">=", "<", "<=", ">"]), versions)
def test_range_round_trip(base: Version, op: str, probe: Version) -> None:
    version_range = VersionRange.parse(f"{op}{base}")
    again = VersionRange.parse(str(version_range))
    assert again == version_range
    assert again.contains(probe) == version_range.contains(probe)


# --------------------------------------------------------------------------- meta


def test_errors_are_accord_errors() -> None:
    for exc_type in (InvalidVersion, InvalidRange):
        assert issubclass(exc_type, AccordError)


def test_docstring_examples() -> None:
    results = doctest.testmod(accord.versions, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 10
    assert results.failed == 0


def test_the_hash_is_the_fields_hash_computed_once() -> None:
    import copy
    import dataclasses
    import pickle

    from accord.versions import Version

    version = Version.parse("1.2.3-rc.1")
    assert hash(version) == hash((1, 2, 3, ("rc", 1)))
    assert hash(version) == hash(Version(1, 2, 3, ("rc", "1")))
    for other in (copy.deepcopy(version), pickle.loads(pickle.dumps(version))):
        assert other == version
        assert hash(other) == hash(version)
    assert hash(dataclasses.replace(version, patch=4)) == hash((1, 2, 4, ("rc", 1)))
    assert {version: 1}[Version.parse("1.2.3-rc.1")] == 1
