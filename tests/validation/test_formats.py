"""Differential tests: accord's format checkers agree with the reference validator."""

from __future__ import annotations

import jsonschema
import jsonschema_rs
import pytest

from accord.validation import backends as _backends
from accord.validation.formats import (
    CHECKERS,
    FORMATS,
    FORMATS_ROUTED_TO_REFERENCE,
    check_format,
    format_checker,
)
from accord.validation.probe import FORMAT_CORPUS, format_disagreements

# The corpus of tricky values per format lives in accord.validation.probe, which also uses it to
# probe the installed reference at run time.
CORPUS = FORMAT_CORPUS


def _reference(format_name: str) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(
        {"format": format_name}, validate_formats=True, offline=True
    )


def _cases() -> list[object]:
    out: list[object] = []
    for name, values in CORPUS.items():
        # Routed formats ask the reference itself; test_routed_formats_take_the_reference_verdict
        # covers them, so they are left out here rather than skipped.
        if name in FORMATS_ROUTED_TO_REFERENCE:
            continue
        for index, value in enumerate(values):
            out.append(pytest.param(name, value, id=f"{name}-{index}"))
    return out


@pytest.mark.parametrize(("format_name", "value"), _cases())
def test_python_jsonschema_agrees_with_reference(format_name: str, value: str) -> None:
    expected = _reference(format_name).is_valid(value)
    explaining = jsonschema.Draft202012Validator(
        {"format": format_name}, format_checker=format_checker()
    )
    if format_name in format_disagreements():
        # The installed reference reads this format apart from the RFC checker (as
        # jsonschema-rs < 0.61 did for dates): then only the reference may decide.
        schema = {"format": format_name}
        assert _backends.python_refusals(schema), format_name
        assert any(r.keyword == "format" for r in _backends.fast_refusals(schema))
        return
    assert explaining.is_valid(value) is expected, (format_name, value)


def test_corpus_covers_every_format() -> None:
    assert set(CORPUS) == FORMATS == set(CHECKERS)
    for name, values in CORPUS.items():
        verdicts = {_reference(name).is_valid(v) for v in values}
        assert verdicts == {True, False}, f"{name} corpus needs valid and invalid values"


@pytest.mark.parametrize("format_name", sorted(FORMATS_ROUTED_TO_REFERENCE))
def test_routed_formats_take_the_reference_verdict(format_name: str) -> None:
    reference = _reference(format_name)
    for value in CORPUS[format_name]:
        assert check_format(format_name, value) is reference.is_valid(value)


@pytest.mark.parametrize(
    ("format_name", "value", "expected"),
    [
        ("date-time", "1990-12-31T23:59:60Z", True),
        ("date-time", "1990-12-31T15:59:60-08:00", True),
        ("date-time", "1990-12-31T23:58:60Z", False),
        ("date-time", "1963-06-19t08:30:06z", True),
        ("time", "24:00:00Z", False),
        ("ipv4", "087.10.0.1", False),
        ("ipv6", "fe80::1%eth0", False),
        ("hostname", "example.com.", False),
        ("uuid", "2eb8aa08aa9811eab4aa73b441d16380", False),
        ("duration", "P1W", True),
        ("duration", "PT", False),
        ("unknown-format", "anything", True),
        ("date", 12, True),
    ],
)
def test_check_format_table(format_name: str, value: object, expected: bool) -> None:
    assert check_format(format_name, value) is expected


def test_format_checker_ignores_non_strings() -> None:
    validator = jsonschema.Draft202012Validator({"format": "ipv4"}, format_checker=format_checker())
    assert validator.is_valid(7)
    assert not validator.is_valid("1.2.3")
