"""No backend but the reference decides where a probe of the installed reference disagrees.

jsonschema-rs changed how it reads ``.`` (0.61: ``\\r`` and U+2028 no longer match) and
fixed a ``date`` defect between releases. accord must never offer another backend on
the strength of what one release did: these tests assert agreement with whatever
reference is installed, and simulate a reference that reads things differently to
prove the refusal mechanism, so they pass under the lock and under ``make test-latest``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.errors import UsageError
from accord.validation import backends as _backends
from accord.validation import patterns
from accord.validation import probe as _probe
from accord.validation.formats import FORMATS
from accord.validation.reference import reference_validator
from accord.validation.validator import Validator

EXAMPLE = Path(__file__).resolve().parents[2] / "contracts"
DOT_SCHEMA = {"type": "object", "properties": {"c": {"type": "string", "pattern": "^.$"}}}
DOT_PAYLOADS = [{"c": ch} for ch in ("\r", "\u2028", "\u2029", "\n", "\x85", "a", "\U0001f600")]


def _offered(schema: Any) -> Iterator[tuple[str, Validator]]:
    """Every non-reference backend accord agrees to build for ``schema``."""
    for backend in ("python", "fast"):
        try:
            validator = Validator(schema, ref="probe", backend=backend)
        except UsageError as exc:
            if exc.code != "backend-ineligible":
                raise
            continue
        yield backend, validator


def _clear_probe_caches() -> None:
    for fn in (
        _probe.dot_excludes,
        _probe.dot_class,
        _probe.format_disagreements,
        _probe.pattern_probe_strings,
    ):
        fn.cache_clear()
    patterns._regex.cache_clear()


@pytest.fixture
def fake_reference(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[tuple[str, str], bool]]:
    """A reference that answers ``overrides[(pattern-or-format, text)]`` where given."""
    overrides: dict[tuple[str, str], bool] = {}

    class Fake:
        def __init__(self, schema: dict[str, Any]) -> None:
            self.key = schema.get("pattern", schema.get("format", ""))
            self.real = reference_validator(schema)

        def is_valid(self, text: Any) -> bool:
            if isinstance(text, str) and (self.key, text) in overrides:
                return overrides[(self.key, text)]
            return bool(self.real.is_valid(text))

    monkeypatch.setattr(_probe, "_reference", Fake)
    _clear_probe_caches()
    yield overrides
    monkeypatch.undo()
    _clear_probe_caches()


def test_dot_backends_agree_with_the_installed_reference() -> None:
    reference = reference_validator(DOT_SCHEMA)
    offered = dict(_offered(DOT_SCHEMA))
    for payload in DOT_PAYLOADS:
        for name, validator in offered.items():
            assert validator.is_valid(payload) is bool(reference.is_valid(payload)), (
                name,
                payload,
            )
        # The explanation is the reference's verdict too.
        explained = Validator(DOT_SCHEMA).errors(payload) == []
        assert explained is bool(reference.is_valid(payload)), payload


def test_dot_rewrite_follows_the_probe(fake_reference: dict[tuple[str, str], bool]) -> None:
    # A reference that reads '.' as "anything but LF" (jsonschema-rs 0.60): the rewrites
    # follow it, so the other backends still agree with it.
    fake_reference[("^.$", "\r")] = True
    fake_reference[("^.$", "\u2028")] = True
    fake_reference[("^.$", "\u2029")] = True
    assert _probe.dot_excludes() == frozenset("\n")
    assert _backends.translate_pattern("^.$") == "^[^\\u000a]\\Z"
    assert patterns.pattern_search("^.$")("\r")


def test_a_pattern_disagreement_refuses_python_and_fast(
    fake_reference: dict[tuple[str, str], bool],
) -> None:
    # A reference that (unlike regress and re) lets "^a$" match "Z": no rewrite can agree.
    fake_reference[("^a$", "Z")] = True
    schema = {"type": "string", "pattern": "^a$"}
    assert dict(_offered(schema)) == {}
    with pytest.raises(UsageError, match="probe of the installed jsonschema-rs") as caught:
        Validator(schema, backend="python")
    assert caught.value.pointer == "/pattern"
    choice = _backends.choose_backend(schema)
    table = {e.backend: e for e in choice.eligibility}
    assert choice.name == "rs"
    assert not table["python"].eligible
    assert not table["fast"].eligible
    assert "'Z'" in table["fast"].reasons[0]


def test_dot_agreement_refused_when_the_dot_reading_disagrees(
    fake_reference: dict[tuple[str, str], bool],
) -> None:
    # The probe of '.' alone says "anything but LF", but the pattern probe finds the
    # reference rejecting "\r" under this very pattern: refuse rather than trust the rewrite.
    fake_reference[("^.$", "\r")] = True
    fake_reference[("^a.$", "a\r")] = False
    schema = {"pattern": "^a.$"}
    assert dict(_offered(schema)) == {}


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_format_backends_agree_with_the_installed_reference(format_name: str) -> None:
    schema = {"type": "string", "format": format_name}
    reference = reference_validator(schema)
    offered = dict(_offered(schema))
    for value in _probe.FORMAT_CORPUS[format_name]:
        for name, validator in offered.items():
            assert validator.is_valid(value) is bool(reference.is_valid(value)), (name, value)


def test_a_format_disagreement_refuses_python_and_fast(
    fake_reference: dict[tuple[str, str], bool],
) -> None:
    # jsonschema-rs < 0.61 accepted '2020-01-0/' as a date; accord's checker does not.
    fake_reference[("date", "2020-01-0/")] = True
    assert _probe.format_disagreements()["date"] == "2020-01-0/"
    schema = {"type": "object", "properties": {"d": {"type": "string", "format": "date"}}}
    assert dict(_offered(schema)) == {}
    table = {e.backend: e for e in _backends.choose_backend(schema).eligibility}
    assert any("2020-01-0/" in r for r in table["python"].reasons)
    assert any("2020-01-0/" in r for r in table["fast"].reasons)


def test_explain_backend_names_the_probe(
    fake_reference: dict[tuple[str, str], bool], capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from accord.cli import main

    # payments.payment-captured@1.0.0 uses date-time and uuid only: python and fast are
    # offered until the probe finds the reference reading date-time apart.
    # Start from a reference that agrees with accord's date-time checker on the whole
    # corpus (jsonschema-rs < 0.61 did not), so "before" is eligible under any release.
    from accord.validation.formats import check_format

    for value in _probe.FORMAT_CORPUS["date-time"]:
        fake_reference[("date-time", value)] = check_format("date-time", value)
    _clear_probe_caches()
    argv = ["validate", "payments.payment-captured@1.0.0", "--explain-backend"]
    argv += ["--registry", str(EXAMPLE), "--format", "json"]
    assert main(argv) == 0
    before = json.loads(capsys.readouterr().out)["backends"]
    assert before["python"]["eligible"] is True
    assert before["fast"]["eligible"] is True

    fake_reference[("date-time", "1963-06-19T08:30:06.283185Z")] = False
    _clear_probe_caches()
    assert main(argv) == 0
    after = json.loads(capsys.readouterr().out)["backends"]
    assert after["python"]["eligible"] is False
    assert after["fast"]["eligible"] is False
    assert "probe of the installed jsonschema-rs" in after["fast"]["reasons"][0]


def test_codegen_manifest_reasons_do_not_depend_on_the_release(
    fake_reference: dict[tuple[str, str], bool],
) -> None:
    # The generated manifest records why a version has no fast module; where a reason
    # holds under every release (here: the email format), a probe's finding must not
    # displace it, or `codegen --check` would flip with a jsonschema-rs upgrade.
    from accord.codegen._fast import fast_skip_reason
    from accord.registry import Registry

    registry = Registry.load(EXAMPLE)
    bundles = {
        ref: registry.bundle(ref) for ref in ("users.user@1.1.0", "orders.order-placed@1.2.0")
    }
    before = {ref: fast_skip_reason(bundle) for ref, bundle in bundles.items()}
    fake_reference[("date-time", "1963-06-19T08:30:06.283185Z")] = False
    _clear_probe_caches()
    assert "date-time" in _probe.format_disagreements()
    after = {ref: fast_skip_reason(bundle) for ref, bundle in bundles.items()}
    assert after == before
    assert all("probe" not in (reason or "") for reason in after.values())
