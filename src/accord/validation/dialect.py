"""JSON Schema dialects: detection, normalisation to 2020-12 and schema-level checks.

accord speaks JSON Schema 2020-12. Draft-04, draft-06, draft-07 and 2019-09 documents
are accepted and normalised into 2020-12 documents with the same meaning as the
reference validator gives them in their declared dialect (:func:`normalize`); every
other dialect is refused. :func:`check_schema` finds every problem in one schema document, as data:
metaschema violations, unknown keywords (typos), regexes that do not compile or that
engines disagree on, remote references, and ``$ref`` cycles that consume no input.

Everything here walks *schema positions* only: the values under ``properties`` are
schemas but their names are not keywords, and ``enum``/``const``/``default``/
``examples`` values are data, never walked.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from typing import Any, Literal
from urllib.parse import quote, unquote

from accord.core import pointer as _pointer
from accord.core import vocabulary as _vocabulary
from accord.core.frozen import FrozenDict
from accord.errors import Problem, SchemaError

__all__ = [
    "ASSERTED_FORMATS",
    "DIALECTS",
    "DIALECT_2019_09",
    "DIALECT_2020_12",
    "DIALECT_DRAFT_04",
    "DIALECT_DRAFT_06",
    "DIALECT_DRAFT_07",
    "REF_SIBLINGS_IGNORED",
    "SUPPORTED_KEYWORDS",
    "VOCABULARIES_2020_12",
    "Declared",
    "Dialect",
    "check_schema",
    "classify_ref",
    "compile_pattern",
    "declared",
    "declared_form",
    "detect_dialect",
    "fold_dependencies",
    "iter_subschemas",
    "nonportable_regex_features",
    "normalize",
    "normalize_with_map",
    "unnormalised_assertion",
]

Dialect = Literal["2020-12", "2019-09", "draft-07", "draft-06", "draft-04"]
RefKind = Literal["local", "accord", "relative", "remote"]

DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
DIALECT_2019_09 = "https://json-schema.org/draft/2019-09/schema"
DIALECT_DRAFT_07 = "http://json-schema.org/draft-07/schema#"
DIALECT_DRAFT_06 = "http://json-schema.org/draft-06/schema#"
DIALECT_DRAFT_04 = "http://json-schema.org/draft-04/schema#"

DIALECTS: dict[Dialect, str] = {
    "2020-12": DIALECT_2020_12,
    "2019-09": DIALECT_2019_09,
    "draft-07": DIALECT_DRAFT_07,
    "draft-06": DIALECT_DRAFT_06,
    "draft-04": DIALECT_DRAFT_04,
}
"""Every dialect accord reads, newest first, with the URI its specification writes."""

REF_SIBLINGS_IGNORED: frozenset[Dialect] = frozenset({"draft-07", "draft-06", "draft-04"})
"""Dialects in which every keyword beside ``$ref`` is ignored."""

# The spec texts write 2019-09 and 2020-12 with https and the drafts with http and a
# trailing "#"; both schemes, with or without the empty fragment, name the same dialect.
_DIALECT_PATHS: tuple[tuple[str, Dialect], ...] = (
    ("draft/2020-12/schema", "2020-12"),
    ("draft/2019-09/schema", "2019-09"),
    ("draft-07/schema", "draft-07"),
    ("draft-06/schema", "draft-06"),
    ("draft-04/schema", "draft-04"),
)
_DIALECT_BY_URI: dict[str, Dialect] = {
    f"{scheme}://json-schema.org/{path}{hash_}": dialect
    for path, dialect in _DIALECT_PATHS
    for scheme in ("http", "https")
    for hash_ in ("", "#")
}

VOCABULARIES_2020_12: dict[str, frozenset[str]] = {
    "core": frozenset(
        {
            "$schema",
            "$id",
            "$ref",
            "$anchor",
            "$dynamicRef",
            "$dynamicAnchor",
            "$vocabulary",
            "$comment",
            "$defs",
        }
    ),
    "applicator": frozenset(
        {
            "prefixItems",
            "items",
            "contains",
            "additionalProperties",
            "properties",
            "patternProperties",
            "dependentSchemas",
            "propertyNames",
            "if",
            "then",
            "else",
            "allOf",
            "anyOf",
            "oneOf",
            "not",
        }
    ),
    "unevaluated": frozenset({"unevaluatedItems", "unevaluatedProperties"}),
    "validation": frozenset(
        {
            "type",
            "const",
            "enum",
            "multipleOf",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "maxContains",
            "minContains",
            "maxProperties",
            "minProperties",
            "required",
            "dependentRequired",
        }
    ),
    "meta-data": frozenset(
        {"title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples"}
    ),
    "format-annotation": frozenset({"format"}),
    "content": frozenset({"contentEncoding", "contentMediaType", "contentSchema"}),
}
"""The keywords of each 2020-12 vocabulary, as the specification's metaschemas list them."""

_DRAFT_07_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$ref",
        "$comment",
        "definitions",
        # Not a draft-07 keyword, but widely written in draft-07 documents and reachable
        # by pointer; normalisation merges it with ``definitions``.
        "$defs",
        "title",
        "description",
        "default",
        "readOnly",
        "writeOnly",
        "examples",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "additionalItems",
        "items",
        "maxItems",
        "minItems",
        "uniqueItems",
        "contains",
        "maxProperties",
        "minProperties",
        "required",
        "additionalProperties",
        "properties",
        "patternProperties",
        "dependencies",
        "propertyNames",
        "const",
        "enum",
        "type",
        "format",
        "contentMediaType",
        "contentEncoding",
        "if",
        "then",
        "else",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    }
)

# Draft-06 is draft-07 without if/then/else, the content keywords and readOnly/
# writeOnly ($comment is kept: an annotation, and widely written).
_DRAFT_06_KEYWORDS = _DRAFT_07_KEYWORDS - {
    "if",
    "then",
    "else",
    "contentMediaType",
    "contentEncoding",
    "readOnly",
    "writeOnly",
}
# Draft-04 names its identifier "id" and has no const, contains, propertyNames, examples.
_DRAFT_04_KEYWORDS = (_DRAFT_06_KEYWORDS - {"$id", "const", "contains", "propertyNames"}) - {
    "examples"
} | {"id"}
# 2019-09: 2020-12 with array-form items/additionalItems and $recursiveRef instead of
# prefixItems and $dynamicRef; its metaschema keeps definitions and dependencies.
_2019_09_KEYWORDS = (
    frozenset().union(*VOCABULARIES_2020_12.values())
    - {"prefixItems", "$dynamicRef", "$dynamicAnchor"}
) | {"additionalItems", "$recursiveRef", "$recursiveAnchor", "definitions", "dependencies"}

# Annotations from OpenAPI that Pydantic and FastAPI emit: accord keeps them as
# annotations (no validation meaning) rather than calling them typos.
KNOWN_ANNOTATIONS = frozenset({"discriminator"})

SUPPORTED_KEYWORDS: dict[Dialect, frozenset[str]] = {
    "2020-12": frozenset().union(*VOCABULARIES_2020_12.values()) | KNOWN_ANNOTATIONS,
    "2019-09": _2019_09_KEYWORDS | KNOWN_ANNOTATIONS,
    "draft-07": _DRAFT_07_KEYWORDS | KNOWN_ANNOTATIONS,
    "draft-06": _DRAFT_06_KEYWORDS | KNOWN_ANNOTATIONS,
    "draft-04": _DRAFT_04_KEYWORDS | KNOWN_ANNOTATIONS,
}
"""Every keyword accord knows per dialect; others are typos unless prefixed ``x-``."""

# Keywords 2020-12 applies (assertions, applicators, references): a document of an older
# dialect that writes one its own dialect does not define means nothing by it, so
# normalisation drops it (lint reports it as an unknown keyword).
_APPLIED_2020_12 = (
    VOCABULARIES_2020_12["applicator"]
    | VOCABULARIES_2020_12["unevaluated"]
    | VOCABULARIES_2020_12["validation"]
    | {"$ref", "$dynamicRef", "$dynamicAnchor", "$anchor"}
)

_FORMATS_DRAFT_04 = frozenset(
    {"date", "date-time", "email", "hostname", "idn-email", "ipv4", "ipv6", "regex", "time", "uri"}
)
_FORMATS_DRAFT_06 = _FORMATS_DRAFT_04 | {"json-pointer", "uri-reference", "uri-template"}
_FORMATS_DRAFT_07 = _FORMATS_DRAFT_06 | {
    "idn-hostname",
    "iri",
    "iri-reference",
    "relative-json-pointer",
}
ASSERTED_FORMATS: dict[Dialect, frozenset[str] | None] = {
    "2020-12": None,
    "2019-09": None,
    "draft-07": _FORMATS_DRAFT_07,
    "draft-06": _FORMATS_DRAFT_06,
    "draft-04": _FORMATS_DRAFT_04,
}
"""The formats the reference validator (jsonschema-rs, formats on) asserts in each
dialect (``None``: every 2020-12 format). A 2020-12 format outside its dialect's set is
an annotation there: normalisation keeps it as ``x-format`` so it is not asserted.
``tests/validation/test_dialects.py`` probes the installed reference to hold the table
exact."""

# Where subschemas live, in any dialect (core.vocabulary has each dialect's shapes).
_SINGLE = _vocabulary.keywords(_vocabulary.SCHEMA)
_MAP = _vocabulary.keywords(_vocabulary.MAP)
_ARRAY = _vocabulary.keywords(_vocabulary.ARRAY)

_SCHEMA_KEYWORDS = _SINGLE | _MAP | _ARRAY

# Applicators that apply their subschemas to the *same* instance: recursion through
# only these never consumes input.
_IN_PLACE_SINGLE = frozenset({"not", "if", "then", "else"})
_IN_PLACE_ARRAY = frozenset({"allOf", "anyOf", "oneOf"})
_IN_PLACE_MAP = frozenset({"dependentSchemas", "dependencies"})

# Keywords kept beside a draft-04/06/07 "$ref" by normalisation: definitions stay
# reachable by pointer even though those drafts ignore every sibling of "$ref".
_REF_KEPT_SIBLINGS = frozenset({"$ref", "definitions", "$defs"})


def detect_dialect(schema: Any, *, file: str | None = None) -> Dialect:
    """The dialect a schema document is written in.

    A missing ``$schema`` (or a boolean schema) means 2020-12.

    Raises:
        SchemaError: code ``schema-dialect-unsupported`` (pointer ``/$schema``) for any
            dialect but 2020-12, 2019-09, draft-07, draft-06 and draft-04.

    >>> detect_dialect({"$schema": "http://json-schema.org/draft-07/schema#"})
    'draft-07'
    """
    if not isinstance(schema, dict) or "$schema" not in schema:
        return "2020-12"
    uri = schema["$schema"]
    dialect = _DIALECT_BY_URI.get(uri) if isinstance(uri, str) else None
    if dialect is None:
        raise SchemaError(
            f"unsupported dialect {uri!r}: accord reads JSON Schema 2020-12 "
            f"({DIALECT_2020_12}), 2019-09, draft-07, draft-06 and draft-04 "
            f"({DIALECT_DRAFT_04}); convert the schema or change its $schema",
            code="schema-dialect-unsupported",
            file=file,
            pointer="/$schema",
        )
    return dialect


def iter_subschemas(
    schema: Any, dialect: Dialect = "2020-12", pointer: str = ""
) -> Iterator[tuple[str, Any]]:
    """Every schema position in a document, pre-order, as ``(pointer, subschema)``.

    Values under unknown keywords, ``enum``, ``const``, ``default`` and ``examples`` are
    data and are not visited. Iterative (an explicit stack, children pushed in reverse),
    and a pointer is built only for a schema position: this runs over every schema of
    a registry at load.
    """
    stack: list[tuple[str, Any]] = [(pointer, schema)]
    pop, push = stack.pop, stack.extend
    while stack:
        here, node = pop()
        yield here, node
        if isinstance(node, dict):
            found: list[tuple[str, Any]] = []
            for keyword, value in node.items():
                if keyword in _SCHEMA_KEYWORDS:
                    found.extend(_children(keyword, value, dialect, here))
            if found:
                found.reverse()
                push(found)


def _children(keyword: str, value: Any, dialect: Dialect, pointer: str) -> list[tuple[str, Any]]:
    """The immediate subschemas under one keyword of a schema object."""
    return list(_vocabulary.children(keyword, value, dialect, pointer))


# --- older dialects -> 2020-12 -------------------------------------------------------


def normalize(schema: Any, *, file: str | None = None) -> Any:
    """A new 2020-12 document with the same meaning as ``schema`` (never mutated).

    Draft-04/06/07 and 2019-09 documents are rewritten: ``definitions`` -> ``$defs``
    (and local ``$ref`` pointers follow), tuple ``items``/``additionalItems`` ->
    ``prefixItems``/``items``, ``dependencies`` -> ``dependentRequired``/
    ``dependentSchemas``, ``$id: "#name"`` -> ``$anchor``; draft-04's ``id`` -> ``$id``
    and its boolean ``exclusiveMinimum``/``exclusiveMaximum`` -> the numeric form;
    2019-09's ``$recursiveRef`` -> ``$ref`` (the same target in a document with one
    resource). Draft-04/06/07 ignore the siblings of ``$ref``: they are dropped, except
    ``definitions``, which stay reachable by pointer. Keywords 2020-12 applies that the
    declared dialect does not define are dropped (they mean nothing there), and a
    ``format`` its dialect's reference does not assert becomes the annotation
    ``x-format``. 2020-12 documents are returned as a deep copy.

    The one reading kept from 2020-12 everywhere: numbers are compared mathematically,
    so ``1.0`` is an integer (the draft-04 reference says it is not).

    Raises:
        SchemaError: ``schema-dialect-unsupported`` for other dialects (and for a
            2019-09 ``$recursiveRef`` in a document with embedded resources);
            ``schema-ref-target-ignored`` when a ``$ref`` points into a keyword the
            normalised document no longer has (a sibling of another draft-04/06/07
            ``$ref``, a keyword the dialect does not define).

    >>> normalize({"$schema": "http://json-schema.org/draft-07/schema#",
    ...            "items": [{"type": "string"}], "additionalItems": False})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'$schema': 'https://json-schema.org/draft/2020-12/schema',
     'prefixItems': [{'type': 'string'}], 'items': False}
    >>> normalize({"$schema": "http://json-schema.org/draft-04/schema#",
    ...            "minimum": 0, "exclusiveMinimum": True})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'$schema': 'https://json-schema.org/draft/2020-12/schema', 'exclusiveMinimum': 0}
    """
    return normalize_with_map(schema, file=file)[0]


def normalize_with_map(schema: Any, *, file: str | None = None) -> tuple[Any, dict[str, str]]:
    """:func:`normalize`, plus a map from each new schema pointer to its old pointer.

    Findings on the normalised document can be reported against the author's file.
    """
    dialect = detect_dialect(schema, file=file)
    if dialect == "2020-12":
        new = copy.deepcopy(schema)
        return new, {p: p for p, _ in iter_subschemas(new)}
    if dialect == "2019-09":
        _refuse_dynamic_recursion(schema, file)
    old_to_new: dict[str, str] = {}
    dropped: list[str] = []
    new = _Normalizer(dialect, old_to_new, dropped).node(schema, "", "")
    assert isinstance(new, dict)  # a document of another dialect is an object ($schema)
    new["$schema"] = DIALECT_2020_12
    _rewrite_refs(new, old_to_new, dropped, file)
    return new, {new_p: old_p for old_p, new_p in old_to_new.items()}


def _refuse_dynamic_recursion(schema: Any, file: str | None) -> None:
    """``$recursiveRef`` is ``$ref`` to its own target unless an embedded resource (a
    subschema with ``$id``) makes the dynamic scope matter: that case is refused."""
    nodes = list(iter_subschemas(schema, "2019-09"))
    recursive = [w for w, n in nodes if isinstance(n, dict) and "$recursiveRef" in n]
    embedded = [w for w, n in nodes if w and isinstance(n, dict) and "$id" in n]
    if recursive and embedded:
        raise SchemaError(
            f"$recursiveRef with an embedded resource ($id at {embedded[0]}) resolves "
            "dynamically, which accord does not model: inline the resource or move to "
            "2020-12 and $ref",
            code="schema-dialect-unsupported",
            file=file,
            pointer=_pointer.join(recursive[0], "$recursiveRef"),
        )


def _merge_required(out: dict[str, Any], name: str, names: Any) -> None:
    """``dependentRequired[name]`` joined with ``names`` (``dependencies`` beside it)."""
    required = out.setdefault("dependentRequired", {})
    if name in required and isinstance(names, list) and isinstance(required[name], list):
        required[name] = [*required[name], *(n for n in names if n not in required[name])]
    else:
        required[name] = copy.deepcopy(names)


def _merge_schema(out: dict[str, Any], name: str, schema: Any) -> None:
    """``dependentSchemas[name]`` conjoined with ``schema`` (``dependencies`` beside it)."""
    schemas = out.setdefault("dependentSchemas", {})
    schemas[name] = {"allOf": [schemas[name], schema]} if name in schemas else schema


class _Normalizer:
    """One document of an older dialect rewritten into 2020-12, node by node."""

    def __init__(self, dialect: Dialect, old_to_new: dict[str, str], dropped: list[str]) -> None:
        self.dialect = dialect
        self.known = SUPPORTED_KEYWORDS[dialect]
        self.formats = ASSERTED_FORMATS[dialect]
        self.old_to_new = old_to_new
        self.dropped = dropped

    def node(self, node: Any, old: str, new: str) -> Any:
        self.old_to_new[old] = new
        if not isinstance(node, dict):
            return copy.deepcopy(node)
        keep = {k: v for k, v in node.items() if k in self.known or k not in _APPLIED_2020_12}
        if "$ref" in node and self.dialect in REF_SIBLINGS_IGNORED:
            keep = {k: v for k, v in keep.items() if k in _REF_KEPT_SIBLINGS}
        self.dropped.extend(_pointer.join(old, k) for k in node if k not in keep)
        out: dict[str, Any] = {}

        def sub(keyword: str, value: Any, new_keyword: str, *tokens: str | int) -> Any:
            return self.node(
                value,
                _pointer.join(old, keyword, *tokens),
                _pointer.join(new, new_keyword, *tokens),
            )

        tuple_items = isinstance(keep.get("items"), list)
        for keyword, value in keep.items():
            if keyword in ("definitions", "$defs") and isinstance(value, dict):
                defs = out.setdefault("$defs", {})
                for name, item in value.items():
                    if name in defs:
                        raise SchemaError(
                            f"definition {name!r} appears in both 'definitions' and '$defs'",
                            code="schema-defs-conflict",
                            pointer=_pointer.join(old, keyword, name),
                        )
                    defs[name] = sub(keyword, item, "$defs", name)
            elif keyword == "items" and tuple_items:
                out["prefixItems"] = [
                    sub("items", item, "prefixItems", i) for i, item in enumerate(value)
                ]
            elif keyword == "additionalItems":
                if tuple_items:  # without tuple items, additionalItems is ignored
                    out["items"] = sub("additionalItems", value, "items")
            elif keyword == "dependencies" and isinstance(value, dict):
                for name, item in value.items():
                    if isinstance(item, list):
                        _merge_required(out, name, item)
                    else:
                        _merge_schema(
                            out, name, sub("dependencies", item, "dependentSchemas", name)
                        )
            elif keyword == "dependentRequired" and isinstance(value, dict):
                for name, item in value.items():
                    _merge_required(out, name, item)
            elif keyword == "dependentSchemas" and isinstance(value, dict):
                for name, item in value.items():
                    _merge_schema(out, name, sub(keyword, item, keyword, name))
            elif keyword in ("$id", "id") and keyword in self.known and isinstance(value, str):
                if value.startswith("#") and len(value) > 1:
                    out["$anchor"] = value[1:]  # plain-name fragments are 2020-12 anchors
                elif value.rstrip("#"):
                    out["$id"] = value
            elif keyword in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                bound = "minimum" if keyword == "exclusiveMinimum" else "maximum"
                if value and bound in keep:  # the metaschema requires the bound
                    out[keyword] = copy.deepcopy(keep[bound])
            elif keyword in ("minimum", "maximum") and self._exclusive(keep, keyword):
                continue  # written as the exclusive bound above
            elif keyword == "$recursiveRef":
                out["$ref"] = value
            elif keyword == "$recursiveAnchor":
                continue  # only $recursiveRef reads it
            elif keyword == "format" and isinstance(value, str) and not self._asserted(value):
                out["x-format"] = value
            elif keyword in _SINGLE and isinstance(value, dict | bool):
                out[keyword] = sub(keyword, value, keyword)
            elif keyword in _ARRAY and isinstance(value, list):
                out[keyword] = [sub(keyword, item, keyword, i) for i, item in enumerate(value)]
            elif keyword in _MAP and isinstance(value, dict):
                out[keyword] = {
                    name: sub(keyword, item, keyword, name) for name, item in value.items()
                }
            else:
                out[keyword] = copy.deepcopy(value)
        return out

    def _asserted(self, format_: str) -> bool:
        """Whether the dialect's reference asserts ``format_`` (unknown formats are
        annotations in every dialect and stay ``format``)."""
        from accord.validation.formats import FORMATS

        return self.formats is None or format_ in self.formats or format_ not in FORMATS

    @staticmethod
    def _exclusive(keep: dict[str, Any], bound: str) -> bool:
        flag = keep.get("exclusiveMinimum" if bound == "minimum" else "exclusiveMaximum")
        return flag is True


# Keywords jsonschema-rs asserts in draft-06 and draft-07 (base64 contentEncoding,
# application/json contentMediaType) that 2020-12, the normalised form, makes
# annotations: no 2020-12 document says the same, so what reads the normalised form
# (the engine) must not claim anything while one is in play.
_CONTENT_ASSERTED: dict[Dialect, tuple[str, ...]] = {
    "draft-07": ("contentEncoding", "contentMediaType"),
    "draft-06": ("contentEncoding", "contentMediaType"),
}


def unnormalised_assertion(schema: Any) -> tuple[Dialect, str, str] | None:
    """The first keyword the reference asserts in ``schema``'s declared dialect that
    its normalised 2020-12 form cannot express, as (dialect, keyword, pointer), or None.

    >>> unnormalised_assertion({"$schema": "http://json-schema.org/draft-07/schema#",
    ...                         "properties": {"a": {"contentEncoding": "base64"}}})
    ('draft-07', 'contentEncoding', '/properties/a')
    """
    if not isinstance(schema, dict):
        return None
    try:
        dialect = detect_dialect(schema)
    except SchemaError:
        return None
    keywords = _CONTENT_ASSERTED.get(dialect, ())
    if not keywords:
        return None
    for where, node in iter_subschemas(schema, dialect):
        if isinstance(node, dict):
            for keyword in keywords:
                if keyword in node:
                    return dialect, keyword, where
    return None


class Declared(FrozenDict):
    """A frozen normalised (2020-12) document that must be *decided* in its declared
    dialect: :func:`unnormalised_assertion` found a keyword the reference asserts there
    that 2020-12 cannot express.

    ``Registry.bundle`` returns one for such a version; the validator then compiles the
    reference on :attr:`declared` (the document as written, registry ``$ref`` values
    rewritten to local pointers) in :attr:`dialect`, and only the reference may decide
    (the python and fast backends read the 2020-12 form). :attr:`refused` says why no
    declared form exists (documents of different dialects referencing each other):
    then no validator is built at all.
    """

    __slots__ = ("declared", "dialect", "refused")

    declared: Any
    dialect: Dialect
    refused: SchemaError | None


def declared(
    normal: Any, dialect: Dialect, document: Any, refused: SchemaError | None = None
) -> Declared:
    """``normal`` (a 2020-12 document) marked as decided by ``document`` in ``dialect``."""
    out = Declared(normal)
    object.__setattr__(out, "declared", document)
    object.__setattr__(out, "dialect", dialect)
    object.__setattr__(out, "refused", refused)
    return out


def declared_form(schema: Any) -> Declared | None:
    """``schema`` as a :class:`Declared` when the reference must decide it in its
    declared dialect (a :class:`Declared` bundle, or a document written in a dialect
    with an :func:`unnormalised_assertion`), else None.

    >>> found = declared_form({"$schema": "http://json-schema.org/draft-07/schema#",
    ...                        "contentMediaType": "application/json"})
    >>> found.dialect, found.get("contentMediaType")
    ('draft-07', 'application/json')
    """
    if isinstance(schema, Declared):
        return schema
    found = unnormalised_assertion(schema)
    if found is None:
        return None
    from accord.core.frozen import freeze

    return declared(freeze(normalize(schema)), found[0], schema)


def fold_dependencies(schema: Any) -> Any:
    """A 2020-12 document with every ``dependencies`` rewritten to its 2020-12 keywords.

    ``dependencies`` is not a 2020-12 keyword, yet jsonschema-rs (the reference) asserts
    it in 2020-12 documents too: an array of names means ``dependentRequired``, a schema
    means ``dependentSchemas``. The rewrite has the reference's meaning (both apply when
    a document writes ``dependencies`` beside them: names are joined, schemas are
    ``allOf``-ed). ``schema`` is not mutated; a document without ``dependencies`` is
    returned as is. Values the reference would not compile are left for it to refuse.

    >>> fold_dependencies({"dependencies": {"a": ["b"], "c": {"required": ["d"]}}})
    {'dependentRequired': {'a': ['b']}, 'dependentSchemas': {'c': {'required': ['d']}}}
    """
    if not any(
        isinstance(node, dict) and "dependencies" in node for _, node in iter_subschemas(schema)
    ):
        return schema
    return _fold(schema)


def _fold(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for keyword, value in node.items():
        if keyword in _MAP and keyword != "dependencies" and isinstance(value, dict):
            out[keyword] = {name: _fold(item) for name, item in value.items()}
        elif keyword in _SINGLE:
            out[keyword] = _fold(value)
        elif keyword in _ARRAY and isinstance(value, list):
            out[keyword] = [_fold(item) for item in value]
        else:
            out[keyword] = value
    deps = out.get("dependencies")
    if not isinstance(deps, dict) or not all(
        isinstance(v, dict | bool) or (isinstance(v, list) and all(isinstance(n, str) for n in v))
        for v in deps.values()
    ):
        return out
    del out["dependencies"]
    required = out.get("dependentRequired")
    if any(isinstance(item, list) for item in deps.values()):
        # Copied: the caller's document is never mutated.
        required = dict(required) if isinstance(required, dict) else {}
        out["dependentRequired"] = required
    for name, item in deps.items():
        if isinstance(item, list):
            assert isinstance(required, dict)
            names = list(required.get(name, []))
            names.extend(n for n in item if n not in names)
            required[name] = names
        else:
            schemas = out.setdefault("dependentSchemas", {})
            folded = _fold(item)
            schemas[name] = {"allOf": [schemas[name], folded]} if name in schemas else folded
    return out


def _rewrite_refs(
    node: Any, old_to_new: dict[str, str], dropped: list[str], file: str | None
) -> None:
    new_to_old = {new: old for old, new in old_to_new.items()}
    for pointer, schema in iter_subschemas(node, "2020-12"):
        if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
            continue
        ref: str = schema["$ref"]
        base, hash_, fragment = ref.partition("#")
        if not hash_ or not fragment.startswith("/"):
            continue
        if base:
            # Another document: its layout is normalised the same way; rename the
            # tokens that are certainly keywords there (the leading ``definitions``).
            if fragment.startswith("/definitions/"):
                schema["$ref"] = f"{base}#/$defs/{fragment[len('/definitions/') :]}"
            continue
        target = unquote(fragment)
        for gone in dropped:
            if target == gone or target.startswith(gone + "/"):
                raise SchemaError(
                    f"$ref {ref!r} points into {gone!r}, a keyword its dialect ignores "
                    "(beside another $ref, or not defined there); move the target under "
                    "'definitions'",
                    code="schema-ref-target-ignored",
                    file=file,
                    pointer=_pointer.join(new_to_old.get(pointer, pointer), "$ref"),
                )
        mapped = _map_pointer(target, old_to_new)
        if mapped != target:
            schema["$ref"] = "#" + quote(mapped, safe="/~!$&'()*+,;=:@")


def _map_pointer(target: str, old_to_new: dict[str, str]) -> str:
    """Map an old-document pointer to the new document via its longest mapped prefix."""
    probe = target
    while True:
        if probe in old_to_new:
            return old_to_new[probe] + target[len(probe) :]
        if not probe:
            return target
        probe = probe.rsplit("/", 1)[0]


# --- references ----------------------------------------------------------------------


@functools.cache
def _scheme() -> re.Pattern[str]:
    """A URI scheme and its colon (compiled on first use: a registry without references
    to other files never needs it)."""
    return re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def classify_ref(ref: str) -> RefKind:
    """What a ``$ref`` points at, for accord's resolution rules.

    - ``local``: same document (``#/$defs/x``, ``#anchor``, ``#``);
    - ``accord``: another contract version (``accord://common.money@1.0.0``);
    - ``relative``: a file path relative to the referring file (``../x.json#/a``);
    - ``remote``: anything with another scheme (``https:``, ``file:``, ``urn:``) or
      a network-path reference (``//host/x``): refused, never fetched.

    >>> [classify_ref(r) for r in ("#/a", "accord://a.b@1.0.0", "b.json", "urn:x")]
    ['local', 'accord', 'relative', 'remote']
    """
    if ref == "" or ref.startswith("#"):
        return "local"
    if ref.startswith("//"):
        return "remote"
    scheme = _scheme().match(ref)
    if scheme is None:
        return "relative"
    return "accord" if scheme.group(0).lower() == "accord:" else "remote"


# --- regular expressions -------------------------------------------------------------


def compile_pattern(pattern: str) -> Any:
    """Compile an ECMA-262 ``pattern`` with ``regress`` as accord matches it.

    Unicode mode first (``\\p{..}``, code-point ``.``), then the Annex B web-compat
    grammar for patterns only it accepts (``\\-`` outside a class, say).

    Raises:
        regress.RegressError: when neither grammar accepts the pattern.
    """
    import regress

    try:
        return regress.Regex(pattern, "u")
    except regress.RegressError:
        return regress.Regex(pattern)


def nonportable_regex_features(pattern: str) -> list[str]:
    """Constructs in ``pattern`` that regex engines disagree on.

    Lookaround, backreferences and Unicode property escapes; escaped characters and
    characters inside a class (where they are literal) are not flagged.

    >>> nonportable_regex_features(r"^(?=a)\\1")
    ['lookahead (?=', 'backreference \\\\1']
    >>> nonportable_regex_features(r"\\(?=[(?=]")
    []
    """
    found: list[str] = []
    in_class = False
    i = 0
    n = len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in "pP" and pattern.startswith("{", i + 2):
                end = pattern.find("}", i + 2)
                found.append(f"Unicode property escape {pattern[i : end + 1 if end != -1 else n]}")
            elif not in_class and nxt in "123456789":
                digits = re.match(r"\d+", pattern[i + 1 :])
                assert digits is not None
                found.append(f"backreference \\{digits.group(0)}")
            elif not in_class and nxt == "k" and pattern.startswith("<", i + 2):
                end = pattern.find(">", i + 2)
                found.append(f"named backreference {pattern[i : end + 1 if end != -1 else n]}")
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
        elif char == "(" and pattern.startswith("?", i + 1):
            for token, name in (
                ("(?=", "lookahead"),
                ("(?!", "negative lookahead"),
                ("(?<=", "lookbehind"),
                ("(?<!", "negative lookbehind"),
            ):
                if pattern.startswith(token, i):
                    found.append(f"{name} {token}")
                    break
        i += 1
    return found


def _regex_problems(pattern: str, where: str, file: str | None, what: str) -> list[Problem]:
    return [
        Problem(code=code, message=message, file=file, pointer=where)
        for code, message in _regex_verdict(pattern, what)
    ]


@functools.lru_cache(maxsize=4096)
def _regex_verdict(pattern: str, what: str) -> tuple[tuple[str, str], ...]:
    """(code, message) of each problem of one pattern: a function of its text alone,
    computed once per text (the versions of a contract repeat their patterns, and
    compiling one with jsonschema-rs costs a validator)."""
    import regress

    try:
        compile_pattern(pattern)
    except regress.RegressError as exc:
        return (
            (
                "schema-regex-invalid",
                f"{what} {pattern!r} is not a valid ECMA-262 regular expression: {exc}",
            ),
        )
    problems = tuple(
        (
            "schema-regex-nonportable",
            (
                f"{what} {pattern!r} uses a {feature}, which regex engines disagree on; "
                "rewrite it without"
            ),
        )
        for feature in nonportable_regex_features(pattern)
    )
    if not problems and not _reference_compiles(pattern):
        return (
            (
                "schema-regex-nonportable",
                (
                    f"{what} {pattern!r} is valid ECMA-262 but the reference validator "
                    "(jsonschema-rs) cannot compile it; rewrite it"
                ),
            ),
        )
    return problems


def _reference_compiles(pattern: str) -> bool:
    import jsonschema_rs

    from accord.validation.offline import rs_validator

    try:
        rs_validator({"pattern": pattern})
    except (ValueError, jsonschema_rs.ValidationError):
        return False
    return True


# --- checks --------------------------------------------------------------------------


def check_schema(
    schema: Any,
    *,
    file: str | None = None,
    pointer: str = "",
    require_object_root: bool = True,
) -> list[Problem]:
    """Every problem in one schema document, each with a stable code, file and pointer.

    Codes: ``schema-dialect-unsupported``, ``schema-root-not-object``,
    ``schema-metaschema``, ``schema-unknown-keyword``, ``schema-regex-invalid``,
    ``schema-regex-nonportable``, ``ref-remote``, ``schema-ref-cycle``, and the
    warnings ``format-unknown``, ``schema-ref-siblings-ignored`` (draft-04/06/07) and
    ``schema-dialect-upgrade`` (any dialect but 2020-12).

    Args:
        schema: The document (or the subschema found at ``pointer`` in ``file``).
        file: Reported as the problems' file.
        pointer: Where ``schema`` sits in ``file``; prefixed to every pointer.
        require_object_root: A registry version's root must be an object schema;
            ``diff`` accepts boolean roots.

    >>> [p.code for p in check_schema({"type": "string", "minLenght": 3})]
    ['schema-unknown-keyword']
    """
    try:
        dialect = detect_dialect(schema, file=file)
    except SchemaError as exc:
        return [
            Problem(
                code=exc.code,
                message=exc.message,
                file=file,
                pointer=pointer + exc.pointer,
            )
        ]
    if not isinstance(schema, dict):
        if isinstance(schema, bool) and not require_object_root:
            return []
        return [
            Problem(
                code="schema-root-not-object",
                message=f"the root schema must be an object, not {type(schema).__name__} "
                f"{schema!r}: write {{}} for 'anything' or {{\"not\": {{}}}} for 'nothing'",
                file=file,
                pointer=pointer,
            )
        ]
    problems = _metaschema_problems(schema, dialect, file, pointer)
    known = SUPPORTED_KEYWORDS[dialect]
    from accord.validation.formats import FORMATS

    # One walk, pointers relative to the document (every pointer reported is prefixed:
    # joining is concatenation), shared with the cycle check.
    walked = list(iter_subschemas(schema, dialect))
    for here, node in walked:
        if not isinstance(node, dict):
            continue
        where = pointer + here
        for keyword, value in node.items():
            if keyword not in known and not keyword.startswith("x-"):
                problems.append(
                    _unknown_keyword(keyword, dialect, file, _pointer.join(where, keyword))
                )
            elif keyword == "pattern" and isinstance(value, str):
                problems += _regex_problems(value, _pointer.join(where, keyword), file, "pattern")
            elif keyword == "patternProperties" and isinstance(value, dict):
                at = _pointer.join(where, keyword)
                for key in value:
                    problems += _regex_problems(
                        key, _pointer.join(at, key), file, "patternProperties key"
                    )
            elif keyword in ("$ref", "$dynamicRef", "$recursiveRef") and isinstance(value, str):
                if keyword != "$ref" and keyword not in known:
                    continue
                if classify_ref(value) == "remote":
                    problems.append(
                        Problem(
                            code="ref-remote",
                            message=f"{keyword} {value!r} points outside the registry; accord "
                            "never fetches: copy the schema into the registry and use "
                            "accord://<contract>@<version> or a relative path",
                            file=file,
                            pointer=_pointer.join(where, keyword),
                        )
                    )
            elif keyword == "format" and isinstance(value, str) and value not in FORMATS:
                problems.append(
                    Problem(
                        code="format-unknown",
                        message=f"format {value!r} is not a JSON Schema 2020-12 format; it is "
                        "an annotation and will not be checked",
                        file=file,
                        pointer=_pointer.join(where, keyword),
                        severity="warning",
                    )
                )
        if dialect in REF_SIBLINGS_IGNORED and "$ref" in node:
            ignored = sorted(k for k in node if k not in _REF_KEPT_SIBLINGS)
            if ignored:
                problems.append(
                    Problem(
                        code="schema-ref-siblings-ignored",
                        message=f"{dialect} ignores keywords beside $ref ({', '.join(ignored)}); "
                        "wrap them in allOf with the $ref, or move to 2020-12",
                        file=file,
                        pointer=where,
                        severity="warning",
                    )
                )
    problems += _ref_cycles(schema, dialect, file, pointer, dict(walked))
    if dialect != "2020-12":
        problems.append(
            Problem(
                code="schema-dialect-upgrade",
                message=f"the schema is written in {dialect}; accord reads it normalised to "
                f"2020-12: set $schema to {DIALECT_2020_12!r} and rewrite it (see `accord "
                "explain schema-dialect-upgrade`) so the file says what accord checks",
                file=file,
                pointer=_pointer.join(pointer, "$schema"),
                severity="warning",
            )
        )
    return problems


def _unknown_keyword(keyword: str, dialect: Dialect, file: str | None, at: str) -> Problem:
    import difflib  # the hint only: off the boot path

    close = difflib.get_close_matches(keyword, sorted(SUPPORTED_KEYWORDS[dialect]), n=1)
    hint = (
        f"did you mean {close[0]!r}?"
        if close
        else "prefix custom annotations with 'x-' (x-owner, x-unit)"
    )
    return Problem(
        code="schema-unknown-keyword",
        message=f"unknown keyword {keyword!r} in a {dialect} schema: {hint}",
        file=file,
        pointer=at,
    )


@functools.cache
def _rs_metaschema(dialect: Dialect) -> Any:
    """jsonschema-rs compiled from the metaschema python-jsonschema applies for
    ``dialect`` (not jsonschema-rs's own copy: its draft-04 one accepts ``"enum": []``),
    formats not asserted (python-jsonschema is given no format checker)."""
    from accord.validation.offline import rs_declared_validator

    return rs_declared_validator(_metaschema_document(dialect), dialect, validate_formats=False)


# jsonschema-specifications' folder of each dialect's metaschema (python-jsonschema's
# META_SCHEMA is read from there).
_SPECIFICATION_FOLDERS: dict[Dialect, str] = {
    "2020-12": "draft202012",
    "2019-09": "draft201909",
    "draft-07": "draft7",
    "draft-06": "draft6",
    "draft-04": "draft4",
}


def _metaschema_document(dialect: Dialect) -> Any:
    """python-jsonschema's ``META_SCHEMA`` for ``dialect``, read from the file it comes
    from without importing python-jsonschema (~55 ms, needed only to explain a refused
    schema); tests/validation/test_dialect.py holds the two equal."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("jsonschema_specifications")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder, "schemas", _SPECIFICATION_FOLDERS[dialect], "metaschema.json")
        try:
            return json.loads(path.read_bytes())
        except (OSError, ValueError):
            continue
    from accord.validation.offline import py_validator_class

    return py_validator_class(dialect).META_SCHEMA


def _metaschema_accepts(schema: dict[str, Any], dialect: Dialect) -> bool:
    """Whether jsonschema-rs finds ``schema`` valid under its dialect's metaschema.

    The fast answer for the common case: python-jsonschema walks the 2020-12
    metaschema's ``$dynamicRef`` at a cost of ~40 ms a document, jsonschema-rs in
    ~0.1 ms. The two agree on what they accept (probed on mutated registry schemas in
    every dialect; jsonschema-rs is only stricter, e.g. on an infinite ``minimum``),
    and whatever jsonschema-rs refuses or cannot read is decided and explained by
    python-jsonschema, so the messages and pointers are unchanged.
    """
    try:
        return bool(_rs_metaschema(dialect).is_valid(schema))
    except (ValueError, TypeError, OverflowError):
        return False


def _metaschema_problems(
    schema: dict[str, Any], dialect: Dialect, file: str | None, pointer: str
) -> list[Problem]:
    if _metaschema_accepts(schema, dialect):
        return []
    from jsonschema.exceptions import best_match

    from accord.validation.offline import py_validator, py_validator_class

    cls = py_validator_class(dialect)
    meta = py_validator(cls, cls.META_SCHEMA)
    seen: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for error in meta.iter_errors(schema):
        best = best_match([error]) or error
        where = pointer + _pointer.from_parts(error.absolute_path)
        key = (where, best.message)
        if key in seen:
            continue  # $dynamicRef in the 2020-12 metaschema repeats errors
        seen.add(key)
        problems.append(
            Problem(
                code="schema-metaschema",
                message=f"invalid under the {dialect} metaschema: {best.message}",
                file=file,
                pointer=where,
            )
        )
    return problems


def _local_target(ref: str, anchors: dict[str, str]) -> str | None:
    """The document pointer a same-document ``$ref`` names, if it is one."""
    if not ref.startswith("#"):
        return None
    fragment = unquote(ref[1:])
    if fragment == "" or fragment.startswith("/"):
        return fragment
    return anchors.get(fragment)


def _ref_cycles(
    schema: dict[str, Any],
    dialect: Dialect,
    file: str | None,
    pointer: str,
    nodes: dict[str, Any] | None = None,
) -> list[Problem]:
    """``$ref`` cycles through in-place applicators only (they never consume input).

    ``nodes``: ``dict(iter_subschemas(schema, dialect))`` when the caller has it.
    """
    if nodes is None:
        nodes = dict(iter_subschemas(schema, dialect))
    anchors: dict[str, str] = {}
    local_refs = False
    for where, node in nodes.items():
        if isinstance(node, dict):
            if not local_refs:
                local_refs = any(
                    isinstance(node.get(k), str) and node[k].startswith("#")
                    for k in ("$ref", "$dynamicRef", "$recursiveRef")
                )
            for keyword in ("$anchor", "$dynamicAnchor"):
                if isinstance(node.get(keyword), str):
                    anchors[node[keyword]] = where
            for keyword in ("$id", "id"):
                plain = node.get(keyword) if keyword in SUPPORTED_KEYWORDS[dialect] else None
                if isinstance(plain, str) and plain.startswith("#") and len(plain) > 1:
                    anchors[plain[1:]] = where  # a plain-name fragment: an anchor
    if not local_refs:
        return []  # only a same-document reference can close a loop (the rest is a tree)

    def edges(where: str) -> Iterator[tuple[str, str | None]]:
        """(target, ref pointer or None) for each in-place step from ``where``."""
        node = nodes[where]
        if not isinstance(node, dict):
            return
        for keyword in ("$ref", "$dynamicRef", "$recursiveRef"):
            ref = node.get(keyword)
            if isinstance(ref, str) and (
                keyword == "$ref" or keyword in SUPPORTED_KEYWORDS[dialect]
            ):
                target = _local_target(ref, anchors)
                if target is not None and target in nodes:
                    yield target, _pointer.join(where, keyword)
        if dialect in REF_SIBLINGS_IGNORED and "$ref" in node:
            return  # siblings of $ref do not apply
        for keyword, value in node.items():
            if keyword in _IN_PLACE_SINGLE | _IN_PLACE_ARRAY | _IN_PLACE_MAP:
                for child, _ in _children(keyword, value, dialect, where):
                    yield child, None

    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    for start in nodes:
        if start in state:
            continue
        # Iterative DFS: recursive schemas can be deep.
        stack: list[tuple[str, Iterator[tuple[str, str | None]]]] = [(start, edges(start))]
        state[start] = 1
        while stack:
            where, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[where] = 2
                stack.pop()
                continue
            target, ref_at = step
            if state.get(target) == 1:
                # A back edge closes a cycle; only $ref edges can (the rest is a tree).
                path = [w for w, _ in stack]
                loop = [*path[path.index(target) :], target]
                problems.append(
                    Problem(
                        code="schema-ref-cycle",
                        message="$ref cycle that consumes no input (validation would never "
                        "end): " + " -> ".join(repr(p or "#") for p in loop),
                        file=file,
                        pointer=pointer + (ref_at or where),
                    )
                )
            elif target not in state:
                state[target] = 1
                stack.append((target, edges(target)))
    return problems
