"""Small value factories: samples for each format, and a few strings for a regex (drawn
by the one sampler, :mod:`accord.payloads.regex`), for the generator and the witness
search.
"""

from __future__ import annotations

import random

from accord.payloads.regex import draw

__all__ = ["FORMAT_SAMPLES", "pattern_examples"]

# A few valid values per format JSON Schema 2020-12 defines, shortest first: the one
# table the payload generator and the witness search draw from.
FORMAT_SAMPLES: dict[str, tuple[str, ...]] = {
    "date-time": (
        "2024-01-15T10:30:00Z",
        "1970-01-01T00:00:00+00:00",
        "2023-12-31T23:59:59.999-05:00",
    ),
    "date": ("2024-01-15", "2000-02-29", "1999-12-31"),
    "time": ("10:30:00Z", "23:59:59+02:00", "00:00:00.5Z"),
    "duration": ("P1D", "PT1H30M", "P1Y2M3DT4H5M6S", "P2W"),
    "email": ("a@example.com", "first.last@example.org", "user+tag@sub.example.net"),
    "idn-email": ("a@example.com", "josé@example.com", "用户@例子.广告"),
    "hostname": ("a", "example.com", "sub-domain.example.org"),
    "idn-hostname": ("a", "example.com", "bücher.example", "例子.测试"),
    "ipv4": ("0.0.0.0", "192.168.0.1", "255.255.255.255"),  # noqa: S104 - sample data
    "ipv6": ("::1", "fe80::1", "2001:db8::8a2e:370:7334"),
    "uri": ("urn:x", "https://example.com/path?q=1#frag", "mailto:a@example.com"),
    "uri-reference": ("", "#frag", "/relative/path", "https://example.com"),
    "iri": ("urn:x", "https://example.com/é", "https://例子.测试/路径"),
    "iri-reference": ("", "/chemin/é", "https://example.com"),
    "uuid": (
        "123e4567-e89b-12d3-a456-426614174000",
        "00000000-0000-0000-0000-000000000000",
        "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
    ),
    "uri-template": ("plain", "/users{?page,size}", "https://example.com/{id}"),
    "json-pointer": ("", "/a", "/a/b", "/a~1b/0"),
    "relative-json-pointer": ("0", "1/a", "2#"),
    "regex": ("a", ".*", "^[a-z]+$", "a|b"),
}


def _drawn(pattern: str, rng: random.Random, *, minimal: bool, extra: int) -> list[str]:
    text = draw(pattern, rng, minimal=minimal, extra=extra)
    return [] if text is None else [text]


def pattern_examples(pattern: str) -> list[str]:
    """A few strings drawn from a regex, the shortest first (not all need to match: the
    drawer over-approximates lookarounds and back-references; callers check).

    Each drawn string also comes with a ``b`` on each side the pattern does not anchor,
    so a search that the bare string would pass still has text around its match.
    """
    rng = random.Random(0)  # noqa: S311 - sample data: the same candidates in every process
    out: dict[str, None] = {}
    for minimal, extra in ((True, 0), (False, 0), (False, 1), (False, 3)):
        for s in _drawn(pattern, rng, minimal=minimal, extra=extra):
            out[s] = None
            if not pattern.startswith("^"):
                out["b" + s] = None
            if not pattern.endswith("$"):
                out[s + "b"] = None
    return list(out)
