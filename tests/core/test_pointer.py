"""The one reading of JSON pointers (RFC 6901), shared by every walk in accord."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import pointer as _pointer

DOC: dict[str, Any] = {
    "a/b": {"m~n": 1},
    "list": ["zero", "one", {"k": None}],
    "": "empty key",
    "0": "a key, not an index",
}


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", DOC),
        ("/a~1b/m~0n", 1),
        ("/list/0", "zero"),
        ("/list/2/k", None),
        ("/", "empty key"),
        ("/0", "a key, not an index"),
    ],
    ids=["root", "escapes", "index", "null-value", "empty-key", "digit-key-of-object"],
)
def test_resolve(pointer: str, expected: Any) -> None:
    assert _pointer.resolve(DOC, pointer) == expected
    assert _pointer.lookup(DOC, pointer) == (True, expected)


@pytest.mark.parametrize(
    "token",
    ["-1", "+1", "01", " 1", "1 ", "1_0", "-", "²", "\u0661", "3", "1.0", "0x1"],
    ids=repr,
)
def test_array_tokens_are_rfc6901_indexes_only(token: str) -> None:
    # int() accepts most of these ("-1" even lands on the last item): none names an item.
    assert _pointer.index(token) is None or _pointer.index(token) >= 3
    assert _pointer.lookup(DOC, "/list/" + token) == (False, None)
    with pytest.raises(_pointer.Unresolvable):
        _pointer.resolve(DOC, "/list/" + token)


def test_unresolvable_is_a_lookup_error_and_scalars_have_no_children() -> None:
    with pytest.raises(LookupError):
        _pointer.resolve(DOC, "/a~1b/m~0n/deeper")
    assert _pointer.lookup("text", "/0") == (False, None)


def test_a_string_that_is_not_a_pointer_is_refused() -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        _pointer.resolve(DOC, "list/0")


def test_tokens_and_strings_read_alike() -> None:
    assert _pointer.resolve(DOC, ["a/b", "m~n"]) == 1
    assert _pointer.nodes_along(DOC, "/list/2/nope") == [DOC, DOC["list"], DOC["list"][2]]


def test_escape_round_trips() -> None:
    for token in ["a/b", "~", "~1", "~01", "", "x"]:
        assert _pointer.split(_pointer.join("", token)) == [token]
    assert _pointer.escape("~/") == "~0~1"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("#", ""),
        ("#/a", "/a"),
        ("#/patternProperties/%5Ex_", "/patternProperties/^x_"),
        ("#anchor", None),
        ("other.json#/a", None),
        ("accord://x.y@1.0.0", None),
    ],
)
def test_fragment(ref: str, expected: str | None) -> None:
    assert _pointer.fragment(ref) == expected


# Regressions: copies of the walk that read array tokens with int() or str.isdigit().


def test_compat_resolve_local_does_not_read_minus_one_as_the_last_item() -> None:
    from accord.compat._site import resolve_local

    root = {"allOf": [{"type": "string"}, {"type": "integer"}]}
    assert resolve_local(root, "#/allOf/1") == ("/allOf/1", {"type": "integer"})
    assert resolve_local(root, "#/allOf/-1") is None


def test_codegen_ref_check_survives_a_non_ascii_digit() -> None:
    from accord.codegen._prepare import _resolves

    document = {"allOf": [{"type": "string"}]}
    assert _resolves(document, "#/allOf/0")
    assert not _resolves(document, "#/allOf/²")  # str.isdigit() is True; int() raised
    assert not _resolves(document, "#/allOf/00")


def test_an_unknown_ignore_key_is_named_by_an_escaped_pointer() -> None:
    # The gate built this pointer by hand: "a/b" read as two tokens.
    from accord.errors import ConfigError
    from accord.gate.check import parse_ignore_entries

    with pytest.raises(ConfigError) as caught:
        parse_ignore_entries([{"a/b~c": 1}], file="accord-ignore.toml")
    assert caught.value.pointer == "/ignore/0/a~1b~0c"


def test_an_unknown_deployment_record_key_is_named_by_an_escaped_pointer() -> None:
    from accord.provider._deploy import _parse
    from accord.provider._errors import ProviderError

    with pytest.raises(ProviderError) as caught:
        _parse(b'format_version = 1\n"x/y" = 1\n', "prod", "prod.toml")
    assert caught.value.pointer == "/x~1y"


def test_witness_paths_read_array_steps_as_the_kernel_does() -> None:
    # compat/_diff read a step as an index with str.isdigit() and int(): "²" raised.
    from accord.compat._diff import _MISSING, _keeps, _part, _put

    assert _put([1, 2], ["1"], 5) == [1, 5]
    assert _put([1, 2], ["²"], 5) == {"²": 5}
    assert _part([1, 2], "", "/²") is _MISSING
    assert _part([1, 2], "", "/1") == 2
    assert _keeps([1], [], (), ("²",))


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", "$"),
        ("#", "$"),
        ("/items/0/sku", "$.items[0].sku"),
        ("/_x1/12/y", "$._x1[12].y"),
        ("/007", "$[007]"),
        # the tokens a name-or-index fast path must leave to the general rendering
        ("/0a", "$['0a']"),
        ("/a b", "$['a b']"),
        ("/a~1b/m~0n", "$['a/b']['m~n']"),
        ("/a//b", "$.a[''].b"),
        ("/\u00e9", "$['\u00e9']"),
        ("/\u0663", "$[\u0663]"),  # a non-ASCII digit reads as an index, as before
        ("/a.b", "$['a.b']"),
        ("#/a/0", "$.a[0]"),
    ],
)
def test_pointer_to_json_path(pointer: str, expected: str) -> None:
    assert _pointer.pointer_to_json_path(pointer) == expected
