"""The error hierarchy: codes, builtin bases, structured fields."""

from __future__ import annotations

import inspect

import pytest

from accord import errors
from accord.errors import (
    AccordError,
    ContractNotFound,
    ContractViolation,
    Problem,
    RegistryError,
    ValidationIssue,
)


def _error_classes() -> list[type[AccordError]]:
    return [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, AccordError)
    ]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_error_is_drawn_in_the_docstring_tree(cls: type[AccordError]) -> None:
    assert cls.__name__ in (errors.__doc__ or "")


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_error_has_a_kebab_code(cls: type[AccordError]) -> None:
    code = cls.default_code
    assert code == code.lower()
    assert " " not in code


def test_subclasses_specialise_builtins() -> None:
    assert issubclass(errors.InvalidVersion, ValueError)
    assert issubclass(ContractNotFound, KeyError)
    assert issubclass(errors.VersionNotFound, LookupError)
    assert issubclass(errors.RefError, errors.SchemaError)


def test_structured_fields_and_rendering() -> None:
    exc = errors.SchemaError("bad", code="schema-x", file="a/1.0.0.schema.json", pointer="/p")
    assert (exc.code, exc.file, exc.pointer) == ("schema-x", "a/1.0.0.schema.json", "/p")
    assert str(exc) == "a/1.0.0.schema.json#/p: bad"
    assert exc.problem() == Problem("schema-x", "bad", "a/1.0.0.schema.json", "/p")
    assert str(ContractNotFound("no such contract x.y")) == "no such contract x.y"


def test_registry_error_keeps_every_problem() -> None:
    problems = [
        Problem("json-empty", "empty", "a.json"),
        Problem("format-unknown", "unknown", "b.json", severity="warning"),
        Problem("name-invalid", "bad", "C/"),
    ]
    exc = RegistryError(problems, root="contracts")
    assert exc.problems == problems
    assert exc.code == "json-empty"
    assert "2 problems" in str(exc)
    # One problem is counted in the singular ("1 problem(s)" before).
    assert "1 problem in registry;" in str(RegistryError(problems[:1]))


def test_contract_violation_carries_all_errors() -> None:
    issues = [
        ValidationIssue(
            "/items/0/sku",
            "/properties/items/items/properties/sku/pattern",
            "pattern",
            "'x' does not match",
        ),
        ValidationIssue("", "/required", "required", "'email' is a required property"),
    ]
    exc = ContractViolation("orders.order-placed@1.0.0", issues)
    assert exc.errors == issues
    assert exc.best_match == issues[0]
    assert issues[0].json_path == "$.items[0].sku"
    assert "(+1 more)" in str(exc)
    assert exc.ref == "orders.order-placed@1.0.0"


def test_the_fast_issue_builder_makes_the_dataclass_s_own_object() -> None:
    import dataclasses
    import pickle

    from accord.errors import new_validation_issue

    args = ("/line_items/3/quantity", "/$defs/line/minimum", "minimum", "-1 is less than 1")
    built, made = new_validation_issue(*args), ValidationIssue(*args)
    assert type(built) is ValidationIssue
    # every field set, in the dataclass's order: a field added later fails here
    assert [f.name for f in dataclasses.fields(ValidationIssue)] == [
        "instance_path",
        "schema_path",
        "keyword",
        "message",
    ]
    assert dataclasses.astuple(built) == args
    assert built == made
    assert hash(built) == hash(made)
    assert repr(built) == repr(made)
    assert pickle.loads(pickle.dumps(built)) == made
    assert built.to_json() == made.to_json()
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.message = "changed"  # type: ignore[misc]
