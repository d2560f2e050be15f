from __future__ import annotations

import doctest
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord.registry.names
from accord.errors import InvalidReference
from accord.registry.names import (
    MAX_NAME_LENGTH,
    RESERVED_NAMESPACES,
    ContractRef,
    collision_key,
    find_collisions,
    is_valid_name,
    slugify,
    split_uri,
    validate_name,
)
from accord.versions import Version, VersionRange

# --------------------------------------------------------------------------- grammar


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("a", id="one-letter"),
        pytest.param("orders", id="word"),
        pytest.param("order-placed", id="hyphen"),
        pytest.param("v2", id="digit-inside"),
        pytest.param("a-1-b-2", id="many-hyphens"),
        pytest.param("a" * MAX_NAME_LENGTH, id="63-chars"),
        pytest.param("console", id="starts-with-con"),
        pytest.param("com10", id="com10-is-fine"),
        pytest.param("import", id="python-keyword"),
        pytest.param("consumers", id="reserved-namespace-ok-as-name"),
    ],
)
def test_valid_names(name: str) -> None:
    validate_name(name)
    assert is_valid_name(name)


@pytest.mark.parametrize(
    ("name", "code", "fragment"),
    [
        pytest.param("", "name-invalid", "is empty", id="empty"),
        pytest.param("a" * 64, "name-invalid", "64 characters long; at most 63", id="64-chars"),
        pytest.param("a" * 10_000, "name-invalid", "10000 characters", id="huge"),
        pytest.param("Orders", "name-invalid", "uppercase letters", id="uppercase"),
        pytest.param("a b", "name-invalid", "whitespace", id="space"),
        pytest.param("orders\n", "name-invalid", "whitespace", id="newline"),
        pytest.param("\u00c4", "name-invalid", "non-ASCII character '\u00c4'", id="umlaut"),
        pytest.param("caf\u00e9", "name-invalid", "non-ASCII", id="accent"),
        pytest.param("\u0430bc", "name-invalid", "non-ASCII", id="cyrillic-a-homoglyph"),
        pytest.param("a\u0663", "name-invalid", "non-ASCII", id="arabic-indic-digit"),
        pytest.param("../x", "name-invalid", "looks like a path", id="dotdot-slash"),
        pytest.param("..", "name-invalid", "looks like a path", id="dotdot"),
        pytest.param("a/b", "name-invalid", "looks like a path", id="slash"),
        pytest.param("a\\b", "name-invalid", "looks like a path", id="backslash"),
        pytest.param("a.b", "name-invalid", "contains '.'", id="dot"),
        pytest.param("order_placed", "name-invalid", "use '-' instead", id="underscore"),
        pytest.param("1orders", "name-invalid", "must start with a letter", id="leading-digit"),
        pytest.param("-orders", "name-invalid", "must start with a letter", id="leading-hyphen"),
        pytest.param("orders-", "name-invalid", "must not end with '-'", id="trailing-hyphen"),
        pytest.param("order--placed", "name-invalid", "contains '--'", id="double-hyphen"),
        pytest.param("a@b", "name-invalid", "contains '@'", id="at-sign"),
        pytest.param("a\x00b", "name-invalid", "contains '\\x00'", id="nul-byte"),
        pytest.param("con", "name-reserved", "Windows device name", id="con"),
        pytest.param("prn", "name-reserved", "Windows device name", id="prn"),
        pytest.param("aux", "name-reserved", "Windows device name", id="aux"),
        pytest.param("nul", "name-reserved", "Windows device name", id="nul"),
        pytest.param("com1", "name-reserved", "Windows device name", id="com1"),
        pytest.param("com9", "name-reserved", "Windows device name", id="com9"),
        pytest.param("lpt1", "name-reserved", "Windows device name", id="lpt1"),
        pytest.param("lpt0", "name-reserved", "Windows device name", id="lpt0"),
    ],
)
def test_invalid_names(name: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidReference) as info:
        validate_name(name)
    assert info.value.code == code
    assert fragment in info.value.message
    assert not is_valid_name(name)


def test_message_names_what() -> None:
    with pytest.raises(InvalidReference, match=r"^consumer 'Bad' contains uppercase"):
        validate_name("Bad", what="consumer")


def test_long_names_are_shortened_in_messages() -> None:
    with pytest.raises(InvalidReference) as info:
        validate_name("x" * 10_000)
    assert len(info.value.message) < 200


@pytest.mark.parametrize("namespace", sorted(RESERVED_NAMESPACES))
def test_reserved_namespaces(namespace: str) -> None:
    with pytest.raises(InvalidReference) as info:
        validate_name(namespace, what="namespace")
    assert info.value.code == "namespace-reserved"
    assert not is_valid_name(namespace, what="namespace")
    assert is_valid_name(namespace)


def test_non_string_name() -> None:
    with pytest.raises(InvalidReference, match="must be a string"):
        validate_name(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- collisions


@pytest.mark.parametrize(
    ("name", "key"),
    [
        pytest.param("order-placed", "order_placed", id="hyphen"),
        pytest.param("Order_Placed", "order_placed", id="case-underscore"),
        pytest.param("orders", "orders", id="plain"),
    ],
)
def test_collision_key(name: str, key: str) -> None:
    assert collision_key(name) == key


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        pytest.param(["orders", "billing"], [], id="none"),
        pytest.param(
            ["order-placed", "order_placed"], [("order-placed", "order_placed")], id="hyphen"
        ),
        pytest.param(["Orders", "orders"], [("Orders", "orders")], id="case"),
        pytest.param(["orders", "orders"], [], id="same-name-twice"),
        pytest.param(
            ["a_b", "a-b", "A-B", "c"],
            [("A-B", "a-b"), ("A-B", "a_b"), ("a-b", "a_b")],
            id="three-way",
        ),
        pytest.param(
            ["x-y", "z", "x_y", "z-", "z_"],
            [("x-y", "x_y"), ("z-", "z_")],
            id="two-groups-sorted",
        ),
    ],
)
def test_find_collisions(names: list[str], expected: list[tuple[str, str]]) -> None:
    assert find_collisions(names) == expected
    assert find_collisions(reversed(names)) == expected


# --------------------------------------------------------------------------- slugify


@pytest.mark.parametrize(
    ("external", "slug"),
    [
        pytest.param("Billing Service", "billing-service", id="words"),
        pytest.param("billing-service", "billing-service", id="already-valid"),
        pytest.param("billing_service", "billing-service", id="underscore"),
        pytest.param("OrderService", "order-service", id="camel"),
        pytest.param("orderService2", "order-service2", id="lower-camel"),
        pytest.param("HTTPServer", "http-server", id="acronym"),
        pytest.param("  --Billing--  ", "billing", id="trim"),
        pytest.param("Zürich API", "zurich-api", id="accent"),
        pytest.param("Straße", "strasse", id="sharp-s"),
        pytest.param("3scale", "x-3scale", id="leading-digit"),
        pytest.param("CON", "x-con", id="windows-reserved"),
        pytest.param("web/ui", "web-ui", id="slash"),
        pytest.param("../../etc/passwd", "etc-passwd", id="path-traversal"),
        pytest.param("a" * 100, "a" * 63, id="too-long"),
        pytest.param("a" * 62 + " b", "a" * 62, id="cut-at-hyphen"),
        pytest.param("Ⅻ Service", "xii-service", id="compat-decomposition"),
    ],
)
def test_slugify(external: str, slug: str) -> None:
    assert slugify(external) == slug
    validate_name(slug)


@pytest.mark.parametrize("external", ["", "   ", "---", "日本語", "💥"], ids=repr)
def test_slugify_nothing_usable(external: str) -> None:
    with pytest.raises(InvalidReference) as info:
        slugify(external)
    assert info.value.code == "name-unusable"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=80))
def test_slugify_always_valid(external: str) -> None:
    try:
        slug = slugify(external)
    except InvalidReference as exc:
        code, slug = exc.code, ""
    else:
        code = ""
    if slug:
        assert is_valid_name(slug)
        assert slugify(slug) == slug  # idempotent
    else:
        assert code == "name-unusable"
        assert not any(c.isascii() and c.isalnum() for c in external)


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("text", "namespace", "name", "range_text", "version"),
    [
        pytest.param("orders.order-placed", "orders", "order-placed", None, None, id="bare-id"),
        pytest.param(
            "orders.order-placed@^1.1", "orders", "order-placed", "^1.1", None, id="caret"
        ),
        pytest.param(
            "orders.order-placed@~1.1", "orders", "order-placed", "~1.1", None, id="tilde"
        ),
        pytest.param(
            "orders.order-placed@>=1.1.0,<2",
            "orders",
            "order-placed",
            ">=1.1.0,<2",
            None,
            id="comparators",
        ),
        pytest.param(
            "orders.order-placed@1.1.0", "orders", "order-placed", "1.1.0", "1.1.0", id="exact"
        ),
        pytest.param(
            "orders.order-placed@=1.1.0", "orders", "order-placed", "1.1.0", "1.1.0", id="eq"
        ),
        pytest.param(
            "common.money@2.0.0-rc.1", "common", "money", "2.0.0-rc.1", "2.0.0-rc.1", id="pre"
        ),
        pytest.param("a.b@*", "a", "b", "*", None, id="star"),
        pytest.param(
            "accord://orders.order-placed@1.0.0",
            "orders",
            "order-placed",
            "1.0.0",
            "1.0.0",
            id="uri-via-parse",
        ),
    ],
)
def test_parse_ref(
    text: str, namespace: str, name: str, range_text: str | None, version: str | None
) -> None:
    ref = ContractRef.parse(text)
    assert ref.namespace == namespace
    assert ref.name == name
    assert ref.id == f"{namespace}.{name}"
    assert (str(ref.range) if ref.range is not None else None) == range_text
    assert (str(ref.version) if ref.version is not None else None) == version
    assert ref.text == text
    assert ContractRef.parse(str(ref)) == ref


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("", "empty reference", id="empty"),
        pytest.param("order-placed@1.0.0", "missing namespace", id="no-namespace"),
        pytest.param("order-placed", "missing namespace", id="no-namespace-no-range"),
        pytest.param("a.b.c", "too many '.'", id="too-many-dots"),
        pytest.param("../x", "looks like a path", id="traversal"),
        pytest.param("orders/../x.y", "looks like a path", id="traversal-in-namespace"),
        pytest.param("orders..x", "looks like a path", id="double-dot"),
        pytest.param(".x", "namespace is empty", id="empty-namespace"),
        pytest.param("orders.", "name is empty", id="empty-name"),
        pytest.param("Orders.x", "namespace 'Orders' contains uppercase", id="bad-namespace"),
        pytest.param("orders.Order Placed", "whitespace", id="bad-name"),
        pytest.param("consumers.x", "namespace 'consumers' is reserved", id="reserved-ns"),
        pytest.param("orders.con", "Windows device name", id="windows-name"),
        pytest.param("orders.x@", "nothing after '@'", id="empty-range"),
        pytest.param("orders.x@1@2", "more than one '@'", id="two-ats"),
        pytest.param("orders.x@^1.02", "bad version range", id="bad-range"),
        pytest.param("orders.x@1.2", "an exact version needs MAJOR.MINOR.PATCH", id="partial"),
        pytest.param("orders.x@v1.0.0", "'v' prefix", id="v-prefix"),
        pytest.param("orders.x@1.0.0+b", "build metadata", id="build"),
        pytest.param("https://example.com/x.json", "only accord:// URIs", id="http"),
        pytest.param("orders.x" + "y" * 3000, "longer than 2048", id="huge"),
        pytest.param("catalog.item:1.0.0", "did you mean 'catalog.item@1.0.0'?", id="colon-for-at"),
        pytest.param("catalog.item==^1", "did you mean 'catalog.item@^1'?", id="pip-style"),
        pytest.param("catalog.item 1.0.0", "not 'a space'", id="space-for-at"),
    ],
)
def test_parse_ref_invalid(text: str, fragment: str) -> None:
    with pytest.raises(InvalidReference) as info:
        ContractRef.parse(text)
    assert info.value.code == "invalid-reference"
    assert fragment in info.value.message
    assert len(info.value.message) < 400


def test_ref_direct_construction() -> None:
    ref = ContractRef("orders", "order-placed", VersionRange.parse("^1"))
    assert ref.text == "orders.order-placed@^1"
    assert ref == ContractRef.parse("orders.order-placed@^1")
    with pytest.raises(InvalidReference) as info:
        ContractRef("environments", "x")
    assert info.value.code == "invalid-reference"
    assert "reserved" in info.value.message


def test_ref_value_semantics() -> None:
    # `text` keeps what was written but does not take part in equality.
    a = ContractRef.parse("orders.x@=1.0.0")
    b = ContractRef.parse("orders.x@1.0.0")
    assert a.text != b.text
    assert a == b
    assert hash(a) == hash(b)
    assert str(a) == "orders.x@1.0.0"
    assert pickle.loads(pickle.dumps(a)) == a
    assert ContractRef.parse("orders.x@^1") != ContractRef.parse("orders.x@^2")
    assert ContractRef.parse("orders.x") != ContractRef.parse("orders.x@*")


def test_pinned_and_uri() -> None:
    ref = ContractRef.parse("orders.order-placed@^1.1")
    pinned = ref.pinned(Version.parse("1.2.0"))
    assert pinned.version == Version.parse("1.2.0")
    assert pinned.uri() == "accord://orders.order-placed@1.2.0"
    assert ContractRef.parse_uri(pinned.uri()) == pinned


@pytest.mark.parametrize(
    "text", ["orders.x", "orders.x@^1", "orders.x@>=1.0.0,<=1.0.0", "orders.x@*"]
)
def test_uri_needs_exact_version(text: str) -> None:
    with pytest.raises(InvalidReference) as info:
        ContractRef.parse(text).uri()
    assert info.value.code == "reference-not-exact"


@pytest.mark.parametrize(
    ("uri", "fragment"),
    [
        pytest.param("accord://orders.x", "needs an exact version", id="no-version"),
        pytest.param("accord://orders.x@^1", "needs an exact version", id="range"),
        pytest.param("accord://orders.x@1.0", "needs three numbers", id="partial"),
        pytest.param("accord://orders.x@1.0.0#/a", "fragment", id="fragment"),
        pytest.param("accord://orders.x@1.0.0?v=2", "a query", id="query"),
        pytest.param("accord://orders%2Ex@1.0.0", "percent-encoding", id="percent"),
        pytest.param("accord://orders/x@1.0.0", "a path", id="path"),
        pytest.param("accord://x@1.0.0", "missing namespace", id="no-namespace"),
        pytest.param("http://orders.x@1.0.0", "not an accord:// URI", id="scheme"),
        pytest.param("ACCORD://orders.x@1.0.0", "not an accord:// URI", id="scheme-case"),
    ],
)
def test_parse_uri_invalid(uri: str, fragment: str) -> None:
    with pytest.raises(InvalidReference) as info:
        ContractRef.parse_uri(uri)
    assert info.value.code == "invalid-reference"
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("uri", "pointer"),
    [
        pytest.param("accord://common.money@1.0.0", "", id="none"),
        pytest.param("accord://common.money@1.0.0#", "", id="empty"),
        pytest.param("accord://common.money@1.0.0#/$defs/Amount", "/$defs/Amount", id="pointer"),
    ],
)
def test_split_uri(uri: str, pointer: str) -> None:
    ref, fragment = split_uri(uri)
    assert ref.id == "common.money"
    assert ref.version == Version.parse("1.0.0")
    assert fragment == pointer


def test_split_uri_refuses_non_pointer_fragment() -> None:
    with pytest.raises(InvalidReference, match="JSON pointer"):
        split_uri("accord://common.money@1.0.0#Amount")


# --------------------------------------------------------------------------- meta


def test_docstring_examples() -> None:
    results = doctest.testmod(accord.registry.names, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 5
    assert results.failed == 0
