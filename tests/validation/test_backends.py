"""Backend selection: every fastjsonschema refusal is grounded in a measured disagreement."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema_rs
import pytest

import accord
from accord.cli import main
from accord.errors import UsageError
from accord.validation import backends as _backends
from accord.validation.validator import Validator

EXAMPLE = Path(__file__).resolve().parents[2] / "contracts"


def _rs(schema: Any, payload: Any) -> bool:
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True, offline=True)
    return bool(validator.is_valid(payload))


def _raw_fast(schema: Any, payload: Any) -> bool | str:
    """Plain fastjsonschema (defaults off), as someone would call it without accord."""
    try:
        fastjsonschema.compile(schema, use_default=False)(payload)
    except fastjsonschema.JsonSchemaValueException:
        return False
    except Exception as exc:  # noqa: BLE001 - a crash is a disagreement too
        return type(exc).__name__
    return True


# (schema, payload, refused keyword): raw fastjsonschema disagrees with the reference.
REFUSALS = [
    pytest.param({"prefixItems": [{"type": "integer"}]}, ["a"], "prefixItems", id="prefixItems"),
    pytest.param(
        {"dependentRequired": {"a": ["b"]}}, {"a": 1}, "dependentRequired", id="dependentRequired"
    ),
    pytest.param(
        {"dependentSchemas": {"a": {"required": ["b"]}}},
        {"a": 1},
        "dependentSchemas",
        id="dependentSchemas",
    ),
    pytest.param(
        {"unevaluatedProperties": False}, {"a": 1}, "unevaluatedProperties", id="unevaluated"
    ),
    pytest.param(
        {"contains": {"const": 1}, "maxContains": 1}, [1, 1], "maxContains", id="maxContains"
    ),
    pytest.param(
        {"contains": {"const": 1}, "minContains": 2}, [1], "minContains", id="minContains"
    ),
    pytest.param(
        {"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 1},
        "ab",
        "$ref",
        id="keyword-beside-ref",
    ),
    pytest.param({"multipleOf": 3}, 1e22, "multipleOf", id="multipleOf-float-division"),
    pytest.param({"multipleOf": 0.5}, 10**400, "multipleOf", id="multipleOf-overflow"),
    pytest.param({"format": "email"}, "a@b", "format", id="format-email"),
    pytest.param({"format": "hostname"}, "xn--a.com", "format", id="format-hostname"),
]


@pytest.mark.parametrize(("schema", "payload", "keyword"), REFUSALS)
def test_each_refusal_guards_a_real_disagreement(schema: Any, payload: Any, keyword: str) -> None:
    assert _raw_fast(schema, payload) != _rs(schema, payload)
    refusals = _backends.fast_refusals(schema)
    assert keyword in {r.keyword for r in refusals}


# Raw fastjsonschema disagrees; accord's rewrite (patterns, formats, content) fixes it.
REWRITES = [
    pytest.param({"pattern": "^\\d+$"}, "\u0661", id="unicode-digit"),
    pytest.param({"pattern": "^\\w+$"}, "\u00e9", id="unicode-word"),
    pytest.param({"pattern": "^\\s$"}, "\ufeff", id="ecma-space"),
    pytest.param({"pattern": "^\\s$"}, "\x1c", id="python-only-space"),
    pytest.param({"patternProperties": {"^a$": False}}, {"a\n": 1}, id="dollar-in-key-pattern"),
    pytest.param({"contentMediaType": "application/json"}, "{", id="content-annotation"),
    pytest.param({"format": "uri"}, "a:b%zz", id="format-uri"),
]


@pytest.mark.parametrize(("schema", "payload"), REWRITES)
def test_rewrites_make_fastjsonschema_agree(schema: Any, payload: Any) -> None:
    assert _raw_fast(schema, payload) != _rs(schema, payload)
    assert _backends.fast_refusals(schema) == []
    assert _backends.compile_fast(schema)(payload) is _rs(schema, payload)


PATTERNS = [
    "^\\d+$",
    "\\D",
    "^\\w*$",
    "\\W",
    "^\\s+$",
    "\\S",
    "^.$",
    "a$",
    "^[a-c\\d_.-]{2,3}$",
    "^[^\\s]+$",
    "^(?:ab|c)+?d?$",
    "^\\$\\.\\*\\x41\\u00e9\\t$",
    "[\\]\\[]",
    "^\U0001f600{2}$",
]
ALPHABET = ["", "a", "b", "c", "d", "A", "0", "9", "_", ".", "-", " ", "\t", "\n", "\r"]
ALPHABET += ["\x1c", "\x85", "\xa0", "\ufeff", "\u2028", "\u0661", "\u00e9", "\U0001f600"]
ALPHABET += ["$", "*", "[", "]", "\x0b"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_translated_patterns_match_as_the_reference(pattern: str) -> None:
    translated = re.compile(_backends.translate_pattern(pattern))
    reference = jsonschema_rs.Draft202012Validator({"pattern": pattern})
    for parts in itertools.product(ALPHABET, repeat=2):
        text = "".join(parts) + ("\n" if parts[0] == "a" else "")
        assert (translated.search(text) is not None) is reference.is_valid(text), repr(text)


# Refused without a measured disagreement with Python re (both read \b as Unicode, say):
# outside the translated subset, nothing is assumed equivalent.
@pytest.mark.parametrize(
    "pattern",
    ["\\bx", "(?=a)", "(?<n>a)\\k<n>", "(a)\\1", "\\p{L}", "a{", "[]", "[\\D]", "\\u{1F600}"],
)
def test_untranslatable_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        _backends.translate_pattern(pattern)


def test_auto_chooses_the_reference() -> None:
    choice = _backends.choose_backend({"type": "string"})
    assert (choice.name, choice.explainer) == ("rs", "rs")
    assert [e.backend for e in choice.eligibility] == ["rs", "python", "fast"]


def test_requesting_an_ineligible_backend_names_the_keyword() -> None:
    with pytest.raises(UsageError) as info:
        accord.validator("users.user@1.0.0", registry=EXAMPLE, backend="fast")
    assert info.value.code == "backend-ineligible"
    assert "format" in str(info.value)
    assert info.value.pointer == "/properties/email/format"
    with pytest.raises(UsageError, match="unknown backend"):
        Validator({}, backend="turbo")


@pytest.mark.parametrize("backend", ["python", "fast"])
def test_eligible_backends_decide(backend: str) -> None:
    validator = accord.validator("common.money@1.0.0", registry=EXAMPLE, backend=backend)
    assert validator.backend == _backends.BACKEND_LABELS[backend]
    assert validator.is_valid({"amount": "1.50", "currency": "EUR"})
    assert not validator.is_valid({"amount": "1.50", "currency": "eur"})
    assert validator.errors({"amount": "1.5", "currency": "eur"})[0].keyword == "pattern"
    assert accord.validator("common.money@1.0.0", registry=EXAMPLE) is not validator


def test_fast_backend_never_inserts_defaults() -> None:
    schema = {"properties": {"a": {"default": 1}}}
    payload: dict[str, Any] = {}
    assert _backends.compile_fast(schema)(payload)
    assert payload == {}


def test_cli_explain_backend(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["validate", "--explain-backend", "users.user@1.0.0", "--registry", str(EXAMPLE)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "validates: jsonschema-rs" in out
    assert "explains:  jsonschema-rs" in out
    assert "fastjsonschema" in out
    assert "refused" in out
    assert "format 'email'" in out
    assert main([*argv, "--backend", "fast"]) == 2


def test_fast_refusals_skips_only_keywords_no_branch_reads() -> None:
    # fast_refusals builds a keyword's pointer only for the keywords in _FAST_INSPECTED:
    # every keyword one of its branches compares with must be in that set, or a refusal
    # would be skipped.
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(_backends.fast_refusals))
    tested: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and getattr(node.left, "id", None) == "keyword":
            for right in node.comparators:
                if isinstance(right, ast.Name):
                    assert right.id in ("_FAST_REFUSED", "_FAST_INSPECTED")
                    tested |= set(_backends._FAST_REFUSED) if right.id == "_FAST_REFUSED" else set()
                elif isinstance(right, ast.Tuple):
                    tested |= {elt.value for elt in right.elts if isinstance(elt, ast.Constant)}
                else:
                    assert isinstance(right, ast.Constant)
                    tested.add(right.value)
    assert len(tested) > len(_backends._FAST_REFUSED) + 5
    assert tested == set(_backends._FAST_INSPECTED)
