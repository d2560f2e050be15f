"""Runtime validators: fast verdicts, explained errors, and agreement between backends."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ContractViolation, DocumentError, RefError, SchemaError, UsageError
from accord.validation.formats import format_checker
from accord.validation.offline import offline_registry as _offline_registry
from accord.validation.reference import is_valid as reference_is_valid
from accord.validation.validator import Validator, _python_class, explain_backend

ORDER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "items"],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "email": {"type": "string", "format": "email"},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {"$ref": "#/$defs/item"},
        },
    },
    "additionalProperties": False,
    "$defs": {
        "item": {
            "type": "object",
            "required": ["sku"],
            "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-\\d{4}$"}},
        }
    },
}


@pytest.fixture(scope="module")
def order() -> Validator:
    return Validator(ORDER, ref="orders.order-placed@1.0.0")


def test_valid_payload(order: Validator) -> None:
    payload = {"id": 1, "items": [{"sku": "ABC-1234"}]}
    assert order.is_valid(payload)
    order.validate(payload)
    assert order.errors(payload) == []


def test_errors_carry_paths_and_keywords(order: Validator) -> None:
    payload = {"id": 0, "items": [{"sku": "abc"}, {}], "extra": True}
    with pytest.raises(ContractViolation) as info:
        order.validate(payload)
    got = {(e.instance_path, e.schema_path, e.keyword) for e in info.value.errors}
    assert got == {
        ("/id", "/properties/id/minimum", "minimum"),
        ("/items/0/sku", "/properties/items/items/$ref/properties/sku/pattern", "pattern"),
        ("/items/1", "/properties/items/items/$ref/required", "required"),
        ("", "/additionalProperties", "additionalProperties"),
    }
    assert info.value.code == "contract-violation"
    assert info.value.ref == "orders.order-placed@1.0.0"
    sku = next(e for e in info.value.errors if e.keyword == "pattern")
    assert sku.json_path == "$.items[0].sku"


def test_best_match_is_jsonschemas(order: Validator) -> None:
    payload = {"id": "one", "items": [{"sku": "ABC-1234"}]}
    with pytest.raises(ContractViolation) as info:
        order.validate(payload)
    assert info.value.best_match is not None
    assert info.value.best_match.instance_path == "/id"
    assert info.value.best_match.keyword == "type"
    assert "$.id" in str(info.value)


def test_validate_json_refuses_duplicate_keys(order: Validator) -> None:
    with pytest.raises(DocumentError) as info:
        order.validate_json(b'{"id": 1, "id": 2, "items": [{"sku": "ABC-1234"}]}')
    assert info.value.code == "json-duplicate-key"


@pytest.mark.parametrize("buffer", [bytearray, memoryview])
def test_validate_json_reads_a_buffer_as_its_bytes(order: Validator, buffer: type[Any]) -> None:
    """A bytearray or memoryview is checked exactly as its bytes are: duplicate keys are
    refused (it once raised a TypeError), a valid payload comes back parsed."""
    with pytest.raises(DocumentError) as info:
        order.validate_json(buffer(b'{"id": 1, "id": 2, "items": [{"sku": "ABC-1234"}]}'))
    assert info.value.code == "json-duplicate-key"
    with pytest.raises(ContractViolation):
        order.validate_json(buffer(b'{"id": "one", "items": [{"sku": "ABC-1234"}]}'))


def test_validate_json_refuses_a_parsed_value_as_a_usage_error(order: Validator) -> None:
    with pytest.raises(UsageError, match="use is_valid or validate"):
        order.validate_json({"id": 1})  # type: ignore[arg-type]


def test_validate_json_keeps_big_integers_exact() -> None:
    schema = {"type": "integer", "maximum": 10**30}
    validator = Validator(schema)
    assert validator.validate_json(str(10**30)) == 10**30
    with pytest.raises(ContractViolation) as info:
        validator.validate_json(str(10**30 + 1).encode())
    assert info.value.errors[0].keyword == "maximum"


def test_validate_json_reports_violations(order: Validator) -> None:
    with pytest.raises(ContractViolation):
        order.validate_json('{"id": 1, "items": []}')


def test_draft07_schema_is_normalised() -> None:
    validator = Validator(
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "items": [{"type": "string"}],
            "additionalItems": False,
        }
    )
    assert validator.is_valid(["a"])
    assert not validator.is_valid(["a", "b"])


@pytest.mark.parametrize(
    ("schema", "code"),
    [
        pytest.param({"$ref": "https://example.com/s.json"}, "ref-remote", id="remote"),
        pytest.param({"$ref": "#/$defs/missing"}, "ref-unresolvable", id="dangling"),
        pytest.param({"type": 12}, "schema-invalid", id="bad-type"),
    ],
)
def test_bad_schemas_raise_schema_errors(schema: Any, code: str) -> None:
    with pytest.raises(SchemaError) as info:
        Validator(schema, ref="x.y@1.0.0")
    assert info.value.code == code


def test_explaining_backend_never_fetches() -> None:
    registry = _offline_registry()
    with pytest.raises(Exception) as info:  # noqa: PT011 - referencing wraps the cause
        registry.get_or_retrieve("https://example.com/s.json")
    cause = info.value.__cause__ or info.value
    assert isinstance(cause, RefError)
    assert cause.code == "ref-remote"


def test_backend_is_named() -> None:
    assert Validator({}).backend == "jsonschema-rs"
    assert "python-jsonschema" in explain_backend()


def test_disagreement_falls_back_to_reference_errors() -> None:
    # ECMA-262 \b is ASCII-only, so regress finds a boundary before "foo" in "éfoo";
    # jsonschema-rs uses a Unicode \b and finds none. The reference decides, and its
    # own error is reported since the explaining backend sees nothing wrong.
    schema = {"pattern": "\\bfoo"}
    validator = Validator(schema)
    assert _explainer(schema).is_valid("éfoo")
    assert not validator.is_valid("éfoo")
    (issue,) = validator.errors("éfoo")
    assert (issue.keyword, issue.schema_path, issue.instance_path) == ("pattern", "/pattern", "")
    with pytest.raises(ContractViolation) as info:
        validator.validate("éfoo")
    assert info.value.best_match == issue


# --- differential: Validator.is_valid vs python-jsonschema with accord's hooks --------

SCHEMAS: dict[str, Any] = {
    "digits": {"type": "string", "pattern": "^\\d+$"},
    "unanchored": {"pattern": "b"},
    "unicode-letters": {"pattern": "^\\p{L}+$"},
    "dot-astral": {"pattern": "^.$"},
    "word": {"pattern": "^\\w+$"},
    "pattern-props": {
        "type": "object",
        "patternProperties": {"^x-\\d": {"type": "integer"}},
        "additionalProperties": False,
    },
    "unevaluated": {
        "type": "object",
        "properties": {"a": {}},
        "patternProperties": {"^\\p{Lu}": {"type": "string"}},
        "unevaluatedProperties": False,
    },
    "formats": {
        "type": "object",
        "properties": {
            "when": {"format": "date-time"},
            "ip": {"format": "ipv4"},
            "id": {"format": "uuid"},
            "host": {"format": "hostname"},
            "mail": {"format": "email"},
            "d": {"format": "duration"},
        },
    },
    "numbers": {"type": "integer", "multipleOf": 3, "maximum": 10**20},
    "tuple": {"prefixItems": [{"type": "string"}], "items": {"type": "number"}},
    "one-of": {"oneOf": [{"type": "string", "maxLength": 2}, {"pattern": "^a"}]},
}

INSTANCES: list[Any] = [
    "123",
    "١٢٣",
    "abc",
    "a",
    "é",
    "😀",
    "ÉCOLE",
    "",
    "a\n",
    3,
    3.0,
    9,
    10**20 + 2,
    10**20 - 2,
    None,
    ["x", 1, 2.5],
    ["x", "y"],
    [],
    {"x-1": 1},
    {"x-1": "1"},
    {"x-a": 1},
    {"a": 1, "Bé": "s"},
    {"a": 1, "bé": "s"},
    {"Éa": 1},
    {
        "when": "1990-12-31T23:59:60Z",
        "ip": "127.0.0.1",
        "id": "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
    },
    {"when": "1990-12-31T23:58:60Z"},
    {"ip": "087.1.1.1"},
    {"host": "example.com."},
    {"mail": '"joe bloggs"@example.com'},
    {"mail": "A <a@b.c>"},
    {"d": "P1W"},
    {"d": "PT"},
]


def _explainer(schema: Any) -> Any:
    return _python_class()(schema, registry=_offline_registry(), format_checker=format_checker())


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_backends_agree(name: str) -> None:
    schema = SCHEMAS[name]
    validator = Validator(schema, ref=name)
    explainer = _explainer(schema)
    for instance in INSTANCES:
        expected = reference_is_valid(schema, instance)
        assert validator.is_valid(instance) is expected, instance
        assert explainer.is_valid(instance) is expected, instance
        assert (validator.errors(instance) == []) is expected, instance


def test_plain_python_jsonschema_would_disagree() -> None:
    # The point of the hooks: Python's re treats \d as Unicode digits.
    schema = SCHEMAS["digits"]
    plain = jsonschema.Draft202012Validator(schema)
    assert plain.is_valid("١٢٣")
    assert not Validator(schema).is_valid("١٢٣")
    assert _explainer(schema).is_valid("١٢٣") is False


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "x-1", "Bé", "x-a"]), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(name=st.sampled_from(sorted(SCHEMAS)), instance=json_values)
def test_backends_agree_on_generated_payloads(name: str, instance: Any) -> None:
    schema = SCHEMAS[name]
    assert _explainer(schema).is_valid(instance) is Validator(schema).is_valid(instance)


# --- threads ------------------------------------------------------------------------


def test_shared_validator_is_thread_safe() -> None:
    validator = Validator(ORDER, ref="orders.order-placed@1.0.0")
    good = {"id": 1, "items": [{"sku": "ABC-1234"}]}
    bad = {"id": 0, "items": [{"sku": "x"}]}
    failures: list[str] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        for _ in range(200):
            if not validator.is_valid(good) or validator.is_valid(bad):
                failures.append("verdict")
            if len(validator.errors(bad)) != 2:
                failures.append("errors")
            try:
                validator.validate(bad)
                failures.append("validate passed")
            except ContractViolation as exc:
                if exc.best_match is None:
                    failures.append("best match")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --- best match: python-jsonschema's heuristic, on the reference's errors -------------

BEST_MATCH_CASES: list[tuple[Any, Any]] = [
    ({"anyOf": [{"type": "string"}, {"type": "object", "required": ["q"]}]}, {"b": 1}),
    ({"oneOf": [{"type": "array", "items": {"maximum": 5}}, {"type": "string"}]}, [1, 9]),
    (
        {"properties": {"a": {"type": "integer"}, "b": {"anyOf": [{"minimum": 3}, False]}}},
        {"a": "x", "b": 1},
    ),
    ({"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}, [1, None]),
    (
        {"properties": {"a": {"properties": {"b": {"type": "string"}}}}, "required": ["z"]},
        {"a": {"b": 1}},
    ),
    ({"anyOf": [{"minimum": 3}, {"maximum": 0}]}, 1),
]


@pytest.mark.parametrize(("schema", "payload"), BEST_MATCH_CASES, ids=range(6))
def test_best_match_picks_what_python_jsonschema_picks(schema: Any, payload: Any) -> None:
    from jsonschema.exceptions import best_match

    oracle = best_match(jsonschema.Draft202012Validator(schema).iter_errors(payload))
    assert oracle is not None
    got = Validator(schema).violation(payload)
    assert got is not None
    assert got.best_match is not None
    assert got.best_match.instance_path == "".join(f"/{t}" for t in oracle.absolute_path)
    assert got.best_match.keyword == oracle.validator


def test_the_first_payloads_after_construction_import_nothing() -> None:
    # Imports are paid when the validator is built (at boot), never by the first
    # payload: a fresh process records the modules loaded by its first calls.
    code = (
        "import sys\n"
        "from accord.errors import ContractViolation\n"
        "from accord.validation import Validator\n"
        "v = Validator({'type': 'object', 'properties': {'a': {'anyOf': [{'type': 'string'},"
        " {'type': 'integer', 'format': 'int32'}]}}, 'required': ['a']})\n"
        "before = set(sys.modules)\n"
        "v.validate_json(b'{\"a\": 1}')\n"
        "for call in (lambda: v.validate_json(b'{\"a\": null}'), lambda: v.validate({})):\n"
        "    try:\n"
        "        call()\n"
        "    except ContractViolation:\n"
        "        pass\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


FALSE_AND_KEYWORDS = {
    "properties": {"a": False, "b": {"type": "string"}, "c": {"anyOf": [False, {"type": "null"}]}},
    "additionalProperties": False,
}


def test_explanations_name_keywords_and_false_schemas_alike_each_time() -> None:
    # Schema paths and keywords are remembered per evaluation path after the first
    # explanation; a `false` subschema's keyword comes from its message, never from that.
    v = Validator(FALSE_AND_KEYWORDS)
    payload = {"a": 1, "b": 2, "c": 3, "z": 1}
    expected = [
        ("/a", "/properties/a", "falseSchema"),
        ("/b", "/properties/b/type", "type"),
        ("/c", "/properties/c/anyOf", "anyOf"),
        ("", "/additionalProperties", "additionalProperties"),
    ]
    for _ in range(3):
        found = v.errors(payload)
        assert [(i.instance_path, i.schema_path, i.keyword) for i in found] == expected
    with pytest.raises(ContractViolation) as info:
        v.validate({"c": 3})  # two branch errors rank alike: the anyOf error stays first
    assert info.value.best_match == found[2]


def test_the_best_match_goes_into_the_branch_that_stands_out() -> None:
    v = Validator(
        {"properties": {"c": {"anyOf": [{"type": "string", "minLength": 3}, {"type": "null"}]}}}
    )
    for _ in range(2):
        with pytest.raises(ContractViolation) as info:
            v.validate({"c": "ab"})
        [listed] = info.value.errors
        assert listed.keyword == "anyOf"
        best = info.value.best_match
        assert best is not None
        assert (best.schema_path, best.keyword) == ("/properties/c/anyOf/0/minLength", "minLength")
        assert info.value.message.startswith("payload violates <schema>: $.c: ")


def test_remembered_schema_paths_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.validation import validator as _validator

    monkeypatch.setattr(_validator, "_KNOWN_PATHS", 2)
    v = Validator({"properties": {k: {"type": "string"} for k in "abcde"}})
    found = v.errors(dict.fromkeys("abcde", 1))
    assert [i.schema_path for i in found] == [f"/properties/{k}/type" for k in "abcde"]
    assert len(v._known_paths) == 2
    assert v.errors(dict.fromkeys("abcde", 1)) == found


@pytest.mark.parametrize(
    "tokens",
    [
        [],
        ["customer", "email"],
        ["line_items", 3, "quantity"],
        [0, 10**30, -1],
        ["a~b", "c"],
        ["a/b"],
        ["{}", "{0}", "x{"],
        [""],
        ["", ""],
        ["é", "\u2028"],
        ["k"] * 31,
        ["k", 7] * 40,
    ],
    ids=repr,
)
def test_error_pointers_are_the_escaping_pointer_writers(tokens: list[str | int]) -> None:
    # The validator writes an error's paths with one format call (escaping only when a
    # token needs it): the same text as accord.core.pointer.from_parts.
    from accord.core.pointer import from_parts
    from accord.validation.validator import _pointer_of

    assert _pointer_of(tokens) == from_parts(tokens)
