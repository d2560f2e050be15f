"""JSON Schema dialects: detection, draft-07 normalisation and schema-level checks.

accord speaks JSON Schema 2020-12. Draft-07 documents are accepted and normalised into
2020-12 documents with the same meaning (:func:`normalize`); every other dialect is
refused. :func:`check_schema` finds every problem in one schema document, as data:
metaschema violations, unknown keywords (typos), regexes that do not compile or that
engines disagree on, remote references, and ``$ref`` cycles that consume no input.

Everything here walks *schema positions* only: the values under ``properties`` are
schemas but their names are not keywords, and ``enum``/``const``/``default``/
``examples`` values are data, never walked.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterator
from typing import Any, Literal
from urllib.parse import quote, unquote

from accord.core import pointer as _pointer
from accord.core import vocabulary as _vocabulary
from accord.errors import Problem, SchemaError

__all__ = [
    "DIALECT_2020_12",
    "DIALECT_DRAFT_07",
    "SUPPORTED_KEYWORDS",
    "VOCABULARIES_2020_12",
    "Dialect",
    "check_schema",
    "classify_ref",
    "compile_pattern",
    "detect_dialect",
    "fold_dependencies",
    "iter_subschemas",
    "nonportable_regex_features",
    "normalize",
    "normalize_with_map",
]

Dialect = Literal["2020-12", "draft-07"]
RefKind = Literal["local", "accord", "relative", "remote"]

DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
DIALECT_DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# The spec texts write 2020-12 with https and draft-07 with http and a trailing "#";
# both schemes, with or without the empty fragment, name the same dialect.
_DIALECT_PATHS: tuple[tuple[str, Dialect], ...] = (
    ("draft/2020-12/schema", "2020-12"),
    ("draft-07/schema", "draft-07"),
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

# Annotations from OpenAPI that Pydantic and FastAPI emit: accord keeps them as
# annotations (no validation meaning) rather than calling them typos.
KNOWN_ANNOTATIONS = frozenset({"discriminator"})

SUPPORTED_KEYWORDS: dict[Dialect, frozenset[str]] = {
    "2020-12": frozenset().union(*VOCABULARIES_2020_12.values()) | KNOWN_ANNOTATIONS,
    "draft-07": _DRAFT_07_KEYWORDS | KNOWN_ANNOTATIONS,
}
"""Every keyword accord knows per dialect; others are typos unless prefixed ``x-``."""

# Where subschemas live, in any dialect (core.vocabulary has each dialect's shapes).
_SINGLE = _vocabulary.keywords(_vocabulary.SCHEMA)
_MAP = _vocabulary.keywords(_vocabulary.MAP)
_ARRAY = _vocabulary.keywords(_vocabulary.ARRAY)

# Applicators that apply their subschemas to the *same* instance: recursion through
# only these never consumes input.
_IN_PLACE_SINGLE = frozenset({"not", "if", "then", "else"})
_IN_PLACE_ARRAY = frozenset({"allOf", "anyOf", "oneOf"})
_IN_PLACE_MAP = frozenset({"dependentSchemas", "dependencies"})

# Keywords kept beside a draft-07 "$ref" by normalisation: definitions stay reachable
# by pointer even though draft-07 ignores every sibling of "$ref" for validation.
_REF_KEPT_SIBLINGS = frozenset({"$ref", "definitions", "$defs"})


def detect_dialect(schema: Any, *, file: str | None = None) -> Dialect:
    """The dialect a schema document is written in.

    A missing ``$schema`` (or a boolean schema) means 2020-12.

    Raises:
        SchemaError: code ``schema-dialect-unsupported`` (pointer ``/$schema``) for any
            other dialect, draft-04 and 2019-09 included.

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
            f"({DIALECT_2020_12}) and draft-07 ({DIALECT_DRAFT_07}); "
            "convert the schema or change its $schema",
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
    data and are not visited.
    """
    yield pointer, schema
    if not isinstance(schema, dict):
        return
    for keyword, value in schema.items():
        for child_pointer, child in _children(keyword, value, dialect, pointer):
            yield from iter_subschemas(child, dialect, child_pointer)


def _children(keyword: str, value: Any, dialect: Dialect, pointer: str) -> list[tuple[str, Any]]:
    """The immediate subschemas under one keyword of a schema object."""
    return list(_vocabulary.children(keyword, value, dialect, pointer))


# --- draft-07 -> 2020-12 -------------------------------------------------------------


def normalize(schema: Any, *, file: str | None = None) -> Any:
    """A new 2020-12 document with the same meaning as ``schema`` (never mutated).

    Draft-07 documents are rewritten: ``definitions`` -> ``$defs`` (and local ``$ref``
    pointers follow), tuple ``items``/``additionalItems`` -> ``prefixItems``/``items``,
    ``dependencies`` -> ``dependentRequired``/``dependentSchemas``, ``$id: "#name"`` ->
    ``$anchor``, and the siblings of ``$ref`` (which draft-07 ignores) are dropped,
    except ``definitions``, which stay reachable by pointer. 2020-12 documents are
    returned as a deep copy.

    Raises:
        SchemaError: ``schema-dialect-unsupported`` for other dialects;
            ``schema-ref-target-ignored`` when a ``$ref`` points into a sibling of
            another ``$ref`` (draft-07 ignores it, 2020-12 would not).

    >>> normalize({"$schema": "http://json-schema.org/draft-07/schema#",
    ...            "items": [{"type": "string"}], "additionalItems": False})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'$schema': 'https://json-schema.org/draft/2020-12/schema',
     'prefixItems': [{'type': 'string'}], 'items': False}
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
    old_to_new: dict[str, str] = {}
    dropped: list[str] = []
    new = _normalize_07(schema, "", "", old_to_new, dropped)
    assert isinstance(new, dict)  # a draft-07 document is an object (it has $schema)
    new["$schema"] = DIALECT_2020_12
    _rewrite_refs(new, old_to_new, dropped, file)
    return new, {new_p: old_p for old_p, new_p in old_to_new.items()}


def _normalize_07(
    node: Any, old: str, new: str, old_to_new: dict[str, str], dropped: list[str]
) -> Any:
    old_to_new[old] = new
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    keep = node
    if "$ref" in node:
        keep = {k: v for k, v in node.items() if k in _REF_KEPT_SIBLINGS}
        dropped.extend(_pointer.join(old, k) for k in node if k not in _REF_KEPT_SIBLINGS)
    out: dict[str, Any] = {}

    def sub(keyword: str, value: Any, new_keyword: str, *tokens: str | int) -> Any:
        return _normalize_07(
            value,
            _pointer.join(old, keyword, *tokens),
            _pointer.join(new, new_keyword, *tokens),
            old_to_new,
            dropped,
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
            if tuple_items:  # without tuple items, draft-07 ignores additionalItems
                out["items"] = sub("additionalItems", value, "items")
        elif keyword == "dependencies" and isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, list):
                    out.setdefault("dependentRequired", {})[name] = copy.deepcopy(item)
                else:
                    deps = out.setdefault("dependentSchemas", {})
                    deps[name] = sub("dependencies", item, "dependentSchemas", name)
        elif keyword == "$id" and isinstance(value, str) and value.startswith("#"):
            out["$anchor"] = value[1:]  # draft-07 plain-name fragments are 2020-12 anchors
        elif keyword in _SINGLE and keyword != "additionalItems" and isinstance(value, dict | bool):
            out[keyword] = sub(keyword, value, keyword)
        elif keyword in _ARRAY and isinstance(value, list):
            out[keyword] = [sub(keyword, item, keyword, i) for i, item in enumerate(value)]
        elif keyword in ("properties", "patternProperties") and isinstance(value, dict):
            out[keyword] = {name: sub(keyword, item, keyword, name) for name, item in value.items()}
        else:
            out[keyword] = copy.deepcopy(value)
    return out


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
                    f"$ref {ref!r} points into {gone!r}, a sibling of $ref that draft-07 "
                    "ignores; move the target under 'definitions'",
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

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


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
    scheme = _SCHEME.match(ref)
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
    import regress

    try:
        compile_pattern(pattern)
    except regress.RegressError as exc:
        return [
            Problem(
                code="schema-regex-invalid",
                message=f"{what} {pattern!r} is not a valid ECMA-262 regular expression: {exc}",
                file=file,
                pointer=where,
            )
        ]
    problems = [
        Problem(
            code="schema-regex-nonportable",
            message=f"{what} {pattern!r} uses a {feature}, which regex engines disagree "
            "on; rewrite it without",
            file=file,
            pointer=where,
        )
        for feature in nonportable_regex_features(pattern)
    ]
    if not problems and not _reference_compiles(pattern):
        problems.append(
            Problem(
                code="schema-regex-nonportable",
                message=f"{what} {pattern!r} is valid ECMA-262 but the reference validator "
                "(jsonschema-rs) cannot compile it; rewrite it",
                file=file,
                pointer=where,
            )
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
    warnings ``format-unknown`` and ``schema-ref-siblings-ignored`` (draft-07).

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

    for where, node in iter_subschemas(schema, dialect, pointer):
        if not isinstance(node, dict):
            continue
        for keyword, value in node.items():
            at = _pointer.join(where, keyword)
            if keyword not in known and not keyword.startswith("x-"):
                problems.append(_unknown_keyword(keyword, dialect, file, at))
            elif keyword == "pattern" and isinstance(value, str):
                problems += _regex_problems(value, at, file, "pattern")
            elif keyword == "patternProperties" and isinstance(value, dict):
                for key in value:
                    problems += _regex_problems(
                        key, _pointer.join(at, key), file, "patternProperties key"
                    )
            elif keyword in ("$ref", "$dynamicRef") and isinstance(value, str):
                if keyword == "$dynamicRef" and dialect == "draft-07":
                    continue
                if classify_ref(value) == "remote":
                    problems.append(
                        Problem(
                            code="ref-remote",
                            message=f"{keyword} {value!r} points outside the registry; accord "
                            "never fetches: copy the schema into the registry and use "
                            "accord://<contract>@<version> or a relative path",
                            file=file,
                            pointer=at,
                        )
                    )
            elif keyword == "format" and isinstance(value, str) and value not in FORMATS:
                problems.append(
                    Problem(
                        code="format-unknown",
                        message=f"format {value!r} is not a JSON Schema 2020-12 format; it is "
                        "an annotation and will not be checked",
                        file=file,
                        pointer=at,
                        severity="warning",
                    )
                )
        if dialect == "draft-07" and "$ref" in node:
            ignored = sorted(k for k in node if k not in _REF_KEPT_SIBLINGS)
            if ignored:
                problems.append(
                    Problem(
                        code="schema-ref-siblings-ignored",
                        message=f"draft-07 ignores keywords beside $ref ({', '.join(ignored)}); "
                        "wrap them in allOf with the $ref, or move to 2020-12",
                        file=file,
                        pointer=where,
                        severity="warning",
                    )
                )
    problems += _ref_cycles(schema, dialect, file, pointer)
    return problems


def _unknown_keyword(keyword: str, dialect: Dialect, file: str | None, at: str) -> Problem:
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


def _metaschema_problems(
    schema: dict[str, Any], dialect: Dialect, file: str | None, pointer: str
) -> list[Problem]:
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
    schema: dict[str, Any], dialect: Dialect, file: str | None, pointer: str
) -> list[Problem]:
    """``$ref`` cycles through in-place applicators only (they never consume input)."""
    nodes = dict(iter_subschemas(schema, dialect))
    anchors: dict[str, str] = {}
    for where, node in nodes.items():
        if isinstance(node, dict):
            for keyword in ("$anchor", "$dynamicAnchor"):
                if isinstance(node.get(keyword), str):
                    anchors[node[keyword]] = where
            draft07_id = node.get("$id") if dialect == "draft-07" else None
            if isinstance(draft07_id, str) and draft07_id.startswith("#"):
                anchors[draft07_id[1:]] = where

    def edges(where: str) -> Iterator[tuple[str, str | None]]:
        """(target, ref pointer or None) for each in-place step from ``where``."""
        node = nodes[where]
        if not isinstance(node, dict):
            return
        for keyword in ("$ref", "$dynamicRef"):
            ref = node.get(keyword)
            if isinstance(ref, str) and (keyword == "$ref" or dialect == "2020-12"):
                target = _local_target(ref, anchors)
                if target is not None and target in nodes:
                    yield target, _pointer.join(where, keyword)
        if dialect == "draft-07" and "$ref" in node:
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
