"""``parse_media_type``: exactly one media type (RFC 9110 section 8.3.1), or ``None``."""

from __future__ import annotations

import pytest

from accord.core.media import MediaType, parse_media_type

ONE = [
    ("application/json", ("application", "json", ())),
    ("APPLICATION/JSON", ("application", "json", ())),
    ("  application/json\t", ("application", "json", ())),
    ("application/json;charset=utf-8", ("application", "json", (("charset", "utf-8"),))),
    ('application/json ; charset="utf-8"', ("application", "json", (("charset", "utf-8"),))),
    ("application/json; CHARSET=UTF-8", ("application", "json", (("charset", "UTF-8"),))),
    ("application/json;", ("application", "json", ())),
    ("application/json;;charset=utf-8", ("application", "json", (("charset", "utf-8"),))),
    ("application/json; ; ", ("application", "json", ())),
    ('text/plain; x="a, b; c=\\"d\\""', ("text", "plain", (("x", 'a, b; c="d"'),))),
    ("application/problem+json", ("application", "problem+json", ())),
    (b"application/json; charset=utf-8", ("application", "json", (("charset", "utf-8"),))),
]

NOT_ONE = [
    "application/json; charset=utf-8, text/html",
    "application/json, text/html",
    "text/html, application/json",
    "application/json, application/json",
    "application/json; charset=utf-8 junk",
    "application/json junk",
    "application/json; charset",
    "application/json; charset=",
    "application/json; charset = utf-8",
    'application/json; charset="utf-8',
    'application/json; charset="utf-8"x',
    "application/json; charset=utf-8; charset=utf-16",
    "application/ json",
    "application /json",
    "application/",
    "/json",
    "application",
    "",
    "application/json\x00",
    "application/json;\ncharset=utf-8",
    'application/json; a="\x7f"',
]


@pytest.mark.parametrize(("value", "parts"), ONE, ids=[repr(v) for v, _ in ONE])
def test_one_media_type_is_read(value: str | bytes, parts: tuple[object, ...]) -> None:
    assert parse_media_type(value) == MediaType(*parts)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", NOT_ONE, ids=repr)
def test_anything_else_is_no_media_type(value: str) -> None:
    assert parse_media_type(value) is None


@pytest.mark.parametrize(
    ("value", "json"),
    [
        ("application/json", True),
        ("application/problem+json", True),
        ("application/jsonp", False),
        ("application/json-seq", False),
        ("text/json", False),
        ("application/x-json", False),
    ],
)
def test_json_is_application_json_or_a_json_suffix(value: str, json: bool) -> None:
    media = parse_media_type(value)
    assert media is not None
    assert media.is_json() is json
