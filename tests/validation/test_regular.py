"""Regular languages of patterns and formats, checked against the reference.

The automata are trusted for proofs only because they read a pattern as jsonschema-rs
does: random patterns from a grammar of the supported subset are compared with the
reference on members and non-members the automata produce and on short strings over
an alphabet where engines differ. Format languages are checked the same way: every
lower-language string is a valid format value, every valid sample is in the upper one.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.payloads.examples import FORMAT_SAMPLES
from accord.validation.probe import FORMAT_CORPUS
from accord.validation.reference import is_valid
from accord.validation.regular import (
    FORMAT_LANGUAGES,
    NotRegular,
    Undecided,
    compile_pattern,
    find,
    format_language,
)

_ALPHABET = [
    "a",
    "b",
    "Z",
    "0",
    "7",
    "_",
    "-",
    ".",
    " ",
    "\n",
    "\r",
    "\t",
    "\u2028",
    "\xa0",
    "\ufeff",
    "\u00e9",
    "\u0663",
    "\U0001f600",
    "@",
]


def _agrees(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).matches(text) is is_valid({"pattern": pattern}, text)


# -- the reading, case by case -------------------------------------------------------------


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\u2028", "\u2029", "\x85"])
def test_dot_reads_line_terminators_as_the_installed_reference(char: str) -> None:
    # How '.' reads line terminators changed between jsonschema-rs releases: the automata
    # take it from the probe of the installed one, never from a table.
    assert compile_pattern("^.$").matches(char) is is_valid({"pattern": "^.$"}, char)


@pytest.mark.parametrize(
    ("pattern", "member", "non_member"),
    [
        ("^[a-z]+$", "abc", "ab1"),
        ("a", "bab", "bcd"),
        ("^a", "ab", "ba"),
        ("a$", "ba", "ab"),
        ("^a$", "a", "a\n"),
        (r"^\d$", "7", "\u0663"),  # \d is ASCII
        (r"^\w+$", "a_1", "\u00e9"),  # \w is ASCII
        (r"^\s$", "\ufeff", "\u200b"),  # ECMA-262 white space
        ("^.$", "\U0001f600", "\n"),  # one code point; line terminators excluded
        ("^[^a]$", "\U0001f600", "a"),
        ("^a{2,3}$", "aaa", "aaaa"),
        ("^(?:ab|c)+$", "abcab", "abca"),
        ("^(?<n>x)?y$", "xy", "xxy"),
        (r"^\u0041\x42\u{43}$", "ABC", "abc"),
        (r"^[\w-]$", "-", "+"),
        (r"^\cJ$", "\n", "J"),
        ("^a*?$", "aa", "b"),
        ("^$", "", "a"),
        ("]", "]", "["),
    ],
)
def test_reading_agrees_with_the_reference(pattern: str, member: str, non_member: str) -> None:
    assert is_valid({"pattern": pattern}, member)
    assert not is_valid({"pattern": pattern}, non_member)
    assert compile_pattern(pattern).matches(member)
    assert not compile_pattern(pattern).matches(non_member)


@pytest.mark.parametrize(
    ("pattern", "construct"),
    [
        (r"(a)\1", "back-reference"),
        (r"(?<x>a)\k<x>", "named back-reference"),
        ("a(?=b)", "lookaround"),
        ("a(?!b)", "lookaround"),
        ("(?<=a)b", "lookaround"),
        ("(?<!a)b", "lookaround"),
        (r"\bword", "word boundary"),
        (r"\p{L}", "Unicode property"),
        ("(?i)a", "inline flag"),
        (r"\z", "escape"),
    ],
)
def test_what_is_not_regular_is_named(pattern: str, construct: str) -> None:
    with pytest.raises(NotRegular, match=construct.split(maxsplit=1)[0]):
        compile_pattern(pattern)


# -- inclusion and emptiness -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sub", "sup", "witness"),
    [
        ("^[a-z]+$", "^[a-z0-9]+$", None),
        ("^[a-z0-9]+$", "^[a-z]+$", "0"),
        ("[a-z]*", "[A-Z]*", None),  # both accept every string
        (r"^\d+$", "^[0-9]+$", None),
        ("^[0-9]+$", r"^\d+$", None),
        ("^[a-z]{3}$", "^[a-z]{1,5}$", None),
        ("^[a-z]{1,5}$", "^[a-z]{3}$", "a"),
        ("a", "^a", "0a"),
        ("^a", "a", None),
    ],
)
def test_inclusion_with_the_shortest_witness(sub: str, sup: str, witness: str | None) -> None:
    got = find([compile_pattern(sub)], [compile_pattern(sup)])
    assert got == witness
    if got is not None:
        assert is_valid({"pattern": sub}, got)
        assert not is_valid({"pattern": sup}, got)


def test_emptiness_and_length_bounds() -> None:
    assert find([compile_pattern("^a$"), compile_pattern("^b$")]) is None
    assert find([compile_pattern("^a+$")], min_len=3) == "aaa"
    assert find([compile_pattern("^a{5}$")], max_len=4) is None
    assert find([compile_pattern("x")], [], min_len=0) == "x"


def test_the_search_is_bounded_by_a_count() -> None:
    big = [compile_pattern("^(?:[ab]*a[ab]{12})$")]
    with pytest.raises(Undecided):
        find(big, [compile_pattern("^(?:[ab]*b[ab]{12})$")], budget=200)


# -- random patterns against the reference ---------------------------------------------------

_ATOMS = st.sampled_from(
    [
        "a",
        "b",
        "0",
        ".",
        r"\d",
        r"\w",
        r"\s",
        r"\D",
        r"\W",
        r"\S",
        "[a-c]",
        "[^a]",
        "[^\\s0]",
        r"\.",
        "-",
        "\u00e9",
        "[\u0660-\u0669]",
        r"\n",
        "[\\w@]",
    ]
)


def _quantify(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(inner, st.sampled_from(["", "*", "+", "?", "{2}", "{1,2}", "{0,}", "+?"])).map(
        lambda t: (
            t[0] + t[1]
            if t[1] == "" or len(t[0]) == 1 or t[0].startswith(("[", "\\", "("))
            else f"(?:{t[0]}){t[1]}"
        )
    )


_PATTERNS = st.recursive(
    _quantify(_ATOMS),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(" + "|".join(xs) + ")"),
        _quantify(inner.map(lambda x: f"(?:{x})")),
    ),
    max_leaves=5,
).flatmap(
    lambda body: st.sampled_from([body, "^" + body, body + "$", "^" + body + "$", f"^(?:{body})$"])
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pattern=_PATTERNS,
    texts=st.lists(st.lists(st.sampled_from(_ALPHABET), max_size=4).map("".join), max_size=6),
)
def test_random_patterns_agree_with_the_reference(pattern: str, texts: list[str]) -> None:
    rx = compile_pattern(pattern)
    samples = list(texts)
    for min_len in (0, 2, 4):
        member = find([rx], min_len=min_len)
        non_member = find([], [rx], min_len=min_len)
        samples += [s for s in (member, non_member) if s is not None]
    for text in samples:
        assert _agrees(pattern, text), (pattern, text)


def test_short_strings_over_the_tricky_alphabet() -> None:
    patterns = ["^.$", r"^\s*$", r"^\S$", r"^\w$", r"^\W$", r"^\d$", r"^\D$", "^[^x]$", "a$", "^$"]
    for pattern, n in itertools.product(patterns, (0, 1, 2)):
        for chars in itertools.product(_ALPHABET, repeat=n):
            assert _agrees(pattern, "".join(chars)), (pattern, chars)


# -- formats as languages --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMAT_LANGUAGES))
def test_format_lower_language_is_valid_and_samples_are_in_the_upper(name: str) -> None:
    lower = format_language(name, upper=False)
    upper = format_language(name, upper=True)
    assert lower is not None
    assert upper is not None
    # Every lower string the search produces, at several lengths, is a valid value...
    produced = [find([lower], min_len=k) for k in range(0, 40, 3)]
    values = [v for v in produced if v is not None]
    assert values
    for v in values:
        assert is_valid({"format": name}, v), v
        assert upper.matches(v)
    # ... and every valid sample lies in the upper language.
    for v in [*FORMAT_SAMPLES.get(name, []), *FORMAT_CORPUS.get(name, ())]:
        if isinstance(v, str) and is_valid({"format": name}, v):
            assert upper.matches(v), v
    # What the upper language rejects, the reference rejects.
    outside = find([], [upper], min_len=1)
    assert outside is not None
    assert not is_valid({"format": name}, outside)


def test_calendar_validity_is_stated_exactly_for_dates() -> None:
    upper = format_language("date", upper=True)
    lower = format_language("date", upper=False)
    assert upper is not None
    assert lower is not None
    for year, month, day in itertools.product(
        ("0000", "0004", "1900", "2000", "2023", "2024", "2100", "2400"),
        range(1, 13),
        range(27, 33),
    ):
        value = f"{year}-{month:02d}-{day:02d}"
        valid = is_valid({"format": "date"}, value)
        assert upper.matches(value) is valid, value
        assert lower.matches(value) is valid, value


@pytest.mark.parametrize(
    "value",
    ["23:59:60Z", "23:59:60.5+00:00", "00:59:60+01:00", "12:00:60Z", "23:58:60Z", "23:59:59Z"],
)
def test_leap_seconds_lie_between_the_lower_and_upper_time(value: str) -> None:
    valid = is_valid({"format": "time"}, value)
    upper = format_language("time", upper=True)
    lower = format_language("time", upper=False)
    assert upper is not None
    assert lower is not None
    assert not valid or upper.matches(value)
    assert not lower.matches(value) or valid


@pytest.mark.parametrize("escape", [r"\d", r"\w", r"\s", "."])
def test_class_escapes_match_the_reference_on_every_code_point(escape: str) -> None:
    """The whole alphabet, scanned once per escape: the automaton's ranges for ``\\d``,
    ``\\w``, ``\\s`` and ``.`` are exactly the code points the reference accepts."""
    from accord.validation.reference import reference_validator
    from accord.validation.regular import UNIVERSE

    accepts = reference_validator({"pattern": f"^{escape}$"}).is_valid
    found: list[tuple[int, int]] = []
    for lo, hi in UNIVERSE:
        for cp in range(lo, hi + 1):
            if accepts(chr(cp)):
                if found and found[-1][1] == cp - 1:
                    found[-1] = (found[-1][0], cp)
                else:
                    found.append((cp, cp))
    [(ranges, _end)] = compile_pattern(escape).nfa.edges[0]
    assert tuple(found) == ranges  # both split at the surrogates
