"""What the installed reference validator really does, measured once per process.

jsonschema-rs is accord's semantic reference, and its readings move between releases
(0.61 made ``.`` stop matching ``\\r`` and U+2028 and fixed a digit defect in ``date``).
No other backend may therefore assume how the reference reads a pattern or a format:
everything release-specific is decided here, by asking the installed reference, and the
other backends are offered only where a probe shows they agree with it:

- :func:`dot_excludes`: the characters ``.`` does not match (the pattern rewrites for the
  explaining backend and for fastjsonschema use exactly this set);
- :func:`format_disagreements`: per format, the first value of :data:`FORMAT_CORPUS` on
  which accord's local checker and the reference disagree (that format is then decided
  by the reference alone);
- :func:`pattern_disagreement`: the first probe string on which another engine's reading
  of one ``pattern`` differs from the reference's (that backend is then refused for the
  contract).

Every probe is cached for the life of the process: a process sees one installed release.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

__all__ = [
    "FORMAT_CORPUS",
    "dot_class",
    "dot_excludes",
    "format_disagreements",
    "pattern_disagreement",
    "pattern_probe_strings",
    "reference_version",
]

# Tricky values per format: leap seconds, lowercase t/z, offsets, 24:00, IPv4 leading
# zeros, IPv6 zone ids, trailing dots and long labels, quoted local parts and address
# literals, uuids without dashes, P1W/PT durations, and many more.
FORMAT_CORPUS: dict[str, list[str]] = {
    "date-time": [
        "0+00-01-01T00:00:00Z",  # jsonschema-rs < 0.61 read '+' as a digit here
        "1963-06-19T08:30:06.283185Z",
        "1963-06-19t08:30:06z",
        "1990-12-31T23:59:60Z",
        "1990-12-31T15:59:60-08:00",
        "1998-12-31T23:59:60Z",
        "1990-12-31T23:59:61Z",
        "1963-06-19T08:30:06+01:00",
        "1963-06-19T08:30:06+0100",
        "1963-06-19 08:30:06Z",
        "2020-02-30T00:00:00Z",
        "2020-02-29T00:00:00Z",
        "2021-02-29T00:00:00Z",
        "1963-06-19T24:00:00Z",
        "1963-06-19T08:30:06",
        "1963-06-19T08:30:06.Z",
        "1963-06-19T08:30:06.123456789012Z",
        "1963-06-1T08:30:06Z",
        "1963-06-19T08:30:06+24:00",
        "1963-06-19T08:30:06+23:60",
        "1963-06-19T08:30:06-00:00",
        "1963-06-1\u09eaT00:00:00Z",
        "0000-01-01T00:00:00Z",
        "1990-12-31T23:59:60+00:00",
        "1990-12-31T22:59:60-01:00",
        "1963-06-19T08:30:06z",
        "1963-06-19T23:59:60Z",
        "2016-12-31T23:59:60.123Z",
        "1963-06-19T08:30:06.283185+23:59",
        "1963-06-19T08:30:06,5Z",
        "1963-06-19T08:30:06.1z",
        "+1963-06-19T08:30:06Z",
    ],
    "date": [
        "2020-01-0/",  # jsonschema-rs < 0.61 accepted '*+,-./' in some digit positions
        "////-01-01",
        "1963-06-19",
        "2020-02-29",
        "2021-02-29",
        "1963-6-19",
        "1963-06-19Z",
        "19630619",
        "1963-13-01",
        "1963-00-01",
        "1963-06-00",
        "1963-06-31",
        "1963-06-1\u09ea",
        "0000-01-01",
        "2020-04-31",
        " 2020-01-01",
        "2020-01-01\n",
    ],
    "time": [
        "0/:00:00Z",  # the same digit defect, in the time part
        "08:30:0/.5Z",
        "08:30:06Z",
        "08:30:06z",
        "08:30:06.283185Z",
        "08:30:06+01:00",
        "08:30:06",
        "23:59:60Z",
        "22:59:60-01:00",
        "23:59:60+00:00",
        "12:00:60Z",
        "24:00:00Z",
        "08:30:06-00:00",
        "8:30:06Z",
        "08:30:06+1:00",
        "08:30:06.Z",
        "08:30Z",
        "1২:00:00Z",
        "23:20:50.52Z",
        "01:29:60+01:30",
        "23:59:60-00:01",
        "23:59:60.5Z",
        "00:59:60+01:00",
        "23:59:60+23:59",
        "00:00:60+00:01",
        "23:00:60-00:59",
    ],
    "duration": [
        "P4DT12H30M5S",
        "P1W",
        "PT",
        "P",
        "P1Y2W",
        "P1D",
        "PT1H",
        "P1DT",
        "PT1.5S",
        "P0.5Y",
        "P1Y1M1D",
        "P2W1D",
        "1D",
        "p1d",
        "PT36H",
        "P1M",
        "PT1M",
        "P-1D",
        "P1YT",
        "P1S",
        "P1Y1D",
        "P1YT1S",
        "PT1H1S",
        "P1Y2M3DT4H5M6S",
        "P01D",
        "P0D",
        "PT0S",
        "P1M1Y",
        "P1DT1M1H",
        "P\uff11D",
    ],
    "email": [
        "joe.bloggs@example.com",
        "te~st@example.com",
        '"joe bloggs"@example.com',
        '"joe..bloggs"@example.com',
        "joe@[127.0.0.1]",
        "joe@[IPv6:::1]",
        "joe@[300.0.0.1]",
        ".test@example.com",
        "test.@example.com",
        "te..st@example.com",
        "2962",
        "joe@localhost",
        "joe@-example.com",
        "joe@example",
        "a@b.c",
        "joe@exa_mple.com",
        "@example.com",
        "joe@",
        "joe@@example.com",
        "joe@[IPv6:1::2:3::4]",
        "joe@example.com.",
        '"\\""@example.com',
        "t@x.y-z",
        "x@example-.com",
        "A <a@x.com>",
        '"a <b"@x.com',
        '"a\\tb"@x.com',
        "a@[IPv6:fe80::1%1]",
        "a@x_y.com",
    ],
    "idn-email": [
        "실례@실례.테스트",
        "joe@example.com",
        "2962",
        '"quoted"@example.com',
        "a@[127.0.0.1]",
    ],
    "hostname": [
        "www.example.com",
        "example.com.",
        "-a-host-name-that-starts-with--hyphen.example",
        "not_a_valid_host_name",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
        "a.b.c.d",
        "xn--4gbwdl.xn--wgbh1c",
        "xn--X",
        "xn--",
        "1host",
        "192.168.0.1",
        "",
        ".",
        " ",
        "a..b",
        "ab-",
        "a-b",
        "hostnäme",
        "-",
        "www.ex_ample.com",
        "com",
        "a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        ".example.com",
        "a.b.",
        "xn--ls8h",
        "xn--ihqwcrb4cv8a8dqg056pqjye",
        "XN--aa---o47jg78q",
        "ab--cd",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
        "EXAMPLE.COM",
        "a-",
        "0",
        "1.2.3.256",
        "xn--bcher-kva.example",
        "xn--bcher-KVA",
        "a--b",
        "ab--",
        "x_y",
        "é",
        "xn--a",
        "a.-b",
    ],
    "idn-hostname": [
        "실례.테스트",
        "〮실례.테스트",
        "example.com",
        "-a",
        "ab-",
        "xn--ihqwcrb4cv8a8dqg056pqjye",
        "a·l",
        "l·l",
        "ab--c",
        "a.b.",
        "hostnäme",
        "𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀𐀀",
    ],
    "ipv4": [
        "192.168.0.1",
        "127.0.0.0.1",
        "256.256.256.256",
        "127.0",
        "0x7f000001",
        "087.10.0.1",
        "0.0.0.0",  # noqa: S104 - a format value, not a bind address
        "1.2.3.04",
        "1২7.0.0.1",
        "192.168.1.0/24",
        "1.1.1.1 ",
        "01.2.3.4",
        "0.0.0.00",
    ],
    "ipv6": [
        "::1",
        "12345::",
        "::abef",
        "1:1:1:1:1:1:1:1:1",
        "::laptop",
        "::",
        "fe80::1%eth0",
        "fe80::a%eth1",
        "1::2::3",
        "1:d6::42",
        "::ffff:192.168.0.1",
        "::ffff:192.168.0.256",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::1:2:3:4:5:6:7",
        "1:2:3:4:5:6:1.2.3.4",
        "1:2:3:4:5:6:7:1.2.3.4",
        " ::1",
        "::1 ",
        ":2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:",
        "100:100:100:100:100:100:255.255.255.255",
        "::42:ff:1",
        "::ffff:127.0.0.01",
        "00000::",
        "::ffff:1.2.3.4/24",
        "FE80::1",
        "::ffff:0127.0.0.1",
        "1:2:3:4:5:6:7:8:",
    ],
    "uri": [
        "http://foo.bar/?baz=qux#quux",
        "http://foo.com/blah_(wikipedia)_blah#cite-1",
        "http://[2001:db8::1]:80/",
        "mailto:John.Doe@example.com",
        "urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
        "//foo.bar/?baz=qux#quux",
        "/abc",
        "\\\\WINDOWS\\fileshare",
        "abc",
        "http:// shouldfail.com",
        ":// should fail",
        "http://example.com/a b",
        "bar,baz:foo",
        "http://ex.com/%zz",
        "http://ex.com/%2z",
        "http://ex.com/ä",
        "https://x.com:99999",
        "http://[::1]",
        "http://[v1.fe]",
        "tel:+1-816-555-1212",
        "file:///etc/passwd",
        "1http://x",
        "http://ex.com/?a=b#c#d",
        "http://user:pass@ex.com",
        "http://ex.com:port",
        "x:",
        "http://ex.com/{a}",
        "http://ex.com/^",
        'http://ex.com/"',
        "http://ex.com/|",
    ],
    "uri-reference": [
        "http://foo.bar/?baz=qux#quux",
        "//foo.bar/?baz=qux#quux",
        "/abc",
        "\\\\WINDOWS\\fileshare",
        "abc",
        "#fragment",
        "#frag\\ment",
        "",
        "a b",
        "%zz",
        "./a?b",
        "http://ex.com/ä",
        "#a#b",
        "a:b",
    ],
    "iri": [
        "http://ƒøø.ßår/?∂éœ=πîx#πîüx",
        "http://ƒøø.com/blah_(wîkïpédiå)_blah#ßité-1",
        "http://[2001:db8::1]:80/",
        "/abc",
        "\\\\WINDOWS\\filëßåré",
        "âππ",
        "http://example.com/a b",
        "http://[::1]",
        "http://ex.com/%zz",
    ],
    "iri-reference": [
        "http://ƒøø.ßår/?∂éœ=πîx#πîüx",
        "//ƒøø.ßår/?∂éœ=πîx#πîüx",
        "/âππ",
        "âππ",
        "#ƒrägmênt",
        "#ƒräg\\mênt",
        "\\\\WINDOWS\\filëßåré",
        "",
        "a b",
    ],
    "uuid": [
        "2EB8AA08-AA98-11EA-B4AA-73B441D16380",
        "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
        "2eb8aa08aa9811eab4aa73b441d16380",
        "2eb8aa08-aa98-11ea-b4aa-73b441d1638",
        "2eb8aa08-aa98-11ea-73b441d16380",
        "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
        "00000000-0000-0000-0000-000000000000",
        "98d80576-482e-427f-8434-7f86890ab222",
        "99c17cbb-656f-564a-940f-1a4568f03487",
        "2eb8-aa08-aa98-11ea-b4aa73b44-1d16380",
        "2eb8aa08-aa98-11ea-b4aa-73b441d1638g",
        "urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380",
    ],
    "uri-template": [
        "http://example.com/dictionary/{term:1}/{term}",
        "http://example.com/dictionary/{term:1}/{term",
        "http://example.com/dictionary",
        "dictionary/{term:1}/{term}",
        "{+var}",
        "{#var}",
        "{var*}",
        "{var:30}",
        "{x,y}",
        "{}",
        "{a b}",
        "{?x,y}",
        "{&x}",
        "{/x}",
        "{;x}",
        "{.x}",
        "{var:0}",
        "{var:10000}",
        "{!x}",
        "{=x}",
        "{%41}",
        "{%4}",
        "}",
        "{a}{",
        "http://ex.com/ {a}",
        "{a.b}",
        "{a..b}",
        "{.a}",
        "{a.}",
        "{+a,b:3,c*}",
        "{a:9999}",
        "{a:0999}",
        "{a*:3}",
        "{%41b}",
        "{a,}",
        "{,a}",
        "{é}",
        "it's",
        "\ufdd0",
    ],
    "json-pointer": [
        "/foo/bar~0/baz~1/%a",
        "/foo/bar~",
        "/foo//bar",
        "/foo/bar/",
        "",
        "/foo/0",
        "/",
        "/a~1b",
        "/c%d",
        "/e^f",
        "/ ",
        "/m~0n",
        "#",
        "#/",
        "/~-1",
        "/~~",
        "/~01",
        "foo",
        "0",
        "a/a",
    ],
    "relative-json-pointer": [
        "1",
        "0/foo/bar",
        "2/0/baz/1/zip",
        "0#",
        "/foo/bar",
        "-1/foo/bar",
        "+1/foo/bar",
        "0##",
        "01/a",
        "01#",
        "",
        "120/foo/bar",
        "1/",
        "0 ",
        "1#/a",
    ],
    "regex": [
        "([abc])+\\s+$",
        "^(abc]",
        "\\a",
        "^\\S(|(.|\\n)*\\S)\\Z",
        "(?<=a)b",
        "(?<name>x)\\k<name>",
        "\\p{L}",
        "[a-",
        "a{2,1}",
        "\\",
        "(?i)abc",
        "\\cA",
        "[\\d-z]",
        "\\u{1F600}",
        "x{,3}",
        "(?P<n>x)",
        "a**",
        "",
    ],
}


# Characters whose match by ``.`` differs between regex dialects: the ECMA-262 line
# terminators, NEL and the other vertical spaces, NUL, and ordinary and astral controls.
_DOT_CANDIDATES = (
    "\n",
    "\r",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\x00",
    "a",
    "\U0001f600",
)

# Characters on which regex engines are known to read classes, anchors and word
# boundaries apart: ASCII and Unicode digits/letters, every kind of space and line end.
_PROBE_ALPHABET = (
    "a",
    "Z",
    "0",
    "9",
    "_",
    "-",
    ".",
    " ",
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x1c",
    "\x85",
    "\xa0",
    "\u00e9",
    "\u0661",
    "\u2028",
    "\ufeff",
    "\U0001f600",
)
_SYNTAX = frozenset("^$\\.*+?()[]{}|/")


@cache
def reference_version() -> str:
    """The installed jsonschema-rs release (``"unknown"`` if it does not say)."""
    from importlib import metadata

    try:
        return metadata.version("jsonschema-rs")
    except metadata.PackageNotFoundError:  # pragma: no cover - a vendored build
        import jsonschema_rs

        return str(getattr(jsonschema_rs, "__version__", "unknown"))


def _reference(schema: Any) -> Any:
    from accord.validation.reference import reference_validator

    return reference_validator(schema)


@cache
def dot_excludes() -> frozenset[str]:
    """The characters (among those where engines differ) that the reference's ``.`` misses."""
    validator = _reference({"pattern": "^.$"})
    return frozenset(c for c in _DOT_CANDIDATES if not validator.is_valid(c))


# What a '.' may leave out and still be written as a negated class of \\uXXXX escapes,
# which Python's re and regress (ECMA-262) read alike.
_EXPRESSIBLE = frozenset("\n\r\u2028\u2029\x85\x0b\x0c\x00")


@cache
def dot_class() -> str | None:
    """The reference's ``.`` as a class both ``re`` and ECMA-262 read alike, or None.

    None when the reference's ``.`` misses something no such class can state (then no
    rewrite is attempted and the probes refuse the other backends).
    """
    excluded = dot_excludes()
    if excluded - _EXPRESSIBLE:
        return None
    if not excluded:
        return "[\\s\\S]"
    return "[^" + "".join(f"\\u{ord(c):04x}" for c in sorted(excluded)) + "]"


@cache
def format_disagreements() -> dict[str, str]:
    """Format name -> the first corpus value accord's checker and the reference read apart.

    Formats whose verdict accord already takes from the reference are left out: they
    agree by construction.
    """
    from accord.validation.formats import FORMATS, FORMATS_ROUTED_TO_REFERENCE, check_format

    found: dict[str, str] = {}
    for name in sorted(FORMATS - FORMATS_ROUTED_TO_REFERENCE):
        reference = _reference({"format": name})
        for value in FORMAT_CORPUS.get(name, ()):
            if bool(reference.is_valid(value)) is not check_format(name, value):
                found[name] = value
                break
    return found


@lru_cache(maxsize=1024)
def pattern_probe_strings(pattern: str) -> tuple[str, ...]:
    """Strings that exercise ``pattern``: its own literals and the tricky alphabet.

    Every string of length 0 to 2 over the alphabet, and each of those followed by
    ``\\n`` (where ``$`` readings differ), so a difference in how a single character,
    an anchor or a boundary is read shows up.
    """
    literals = sorted({c for c in pattern if c not in _SYNTAX} - set(_PROBE_ALPHABET))[:12]
    alphabet = (*_PROBE_ALPHABET, *literals)
    short = ["", *alphabet, *("".join(p) for p in itertools.product(alphabet, repeat=2))]
    return (*short, *(s + "\n" for s in short[: len(alphabet) + 1]))


def pattern_disagreement(pattern: str, reading: Callable[[str], bool]) -> str | None:
    """The first probe string on which ``reading`` and the reference disagree, or None.

    ``reading(text)`` is another engine's answer to "does ``pattern`` match in
    ``text``?". A pattern the reference cannot compile is a disagreement (``""``).
    """
    try:
        reference = _reference({"pattern": pattern})
    except Exception:  # noqa: BLE001 - any compile failure: no agreement can be shown
        return ""
    for text in pattern_probe_strings(pattern):
        if bool(reference.is_valid(text)) is not bool(reading(text)):
            return text
    return None
