"""Pact interop: import Pact v2/v3/v4 files as expectations, export them as Pact v4 or v3.

A Pact file names no contract, so the import binds each interaction to one with a
*map* (``GET /users/{id} 200=users.user@^1``; ``POST /users request=users.new-user@^1``
for a request body; ``message <description>=orders.order-placed@^1``), with the binding
accord's own export stores in the file's ``metadata.accord``, or, for a message, its
metadata key ``contract``. A body nothing binds is kept with ``"contract": null``:
provider verification checks it against the consumer's matchers alone, static
verification reports it undecided; ``require_contract=True`` makes it an error
(``pact-unmapped``). Nothing is ever dropped.

The export writes one Pact v4 file per consumer-provider pair (all interactions of the
pair, from every expectation file of it; a changed duplicate is an error) and stores
accord's binding in ``metadata.accord``: the consumer's version and branch, the reads,
and each interaction as accord wrote it with the digest of its Pact form, so accord ->
Pact v4 -> accord gives the same expectation back (an interaction edited since, e.g.
by Pact tooling, is read from its Pact form and keeps only its contract binding).

The export states accord's meaning in Pact terms the real verifier (pact-rust)
enforces: ``nullable`` as ``combine: OR`` with a ``null`` matcher, a union as ``OR`` of
its alternatives, a date/time without a format as the Pact formats of RFC 3339; an
optional key is left out of the body. What Pact cannot state is listed in
``metadata.accord.not_stated`` (the CLI prints it). ``spec="v3"`` writes Pact v3 for
tools that cannot read v4.

On import, Pact's meaning is kept exactly: a value without a matching rule becomes a
pinned ``equals`` field; a ``type`` rule cascades to the children of the value it
covers; ``min``/``max`` type rules on arrays describe every item from the first example
item; matcher combinations become ``all_of``/``one_of`` (``OR`` with ``null``:
``nullable``). Generators are kept verbatim so
provider verification can fill values (``ProviderState`` ``${id}``, random ones).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.consumers._matchers import SEMVER_REGEX, PathToken, format_path, json_kind, parse_path
from accord.consumers._model import (
    FORMAT_VERSION,
    interaction_key,
    iter_bodies,
    refuse_by_schema,
    validate,
)
from accord.core.text import plural
from accord.errors import DocumentError, UsageError

__all__ = ["MapEntry", "export_pact", "export_pacts", "import_pact", "parse_map"]


# -- the interaction -> contract map ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapEntry:
    """One ``--map`` entry: which interactions' bodies are instances of which contract.

    Attributes:
        method: HTTP method, or ``MESSAGE`` for a message description.
        target: Path template (``/users/{id}``) or message description.
        part: A status (``"200"``), ``"*"`` (any status), or ``"request"``.
        contract: The contract reference.
    """

    method: str
    target: str
    part: str
    contract: str

    def matches_http(self, method: str, path: str, part: str) -> bool:
        if self.method != method.upper() or (self.part not in ("*", part)):
            return False
        if self.part == "*" and part == "request":
            return False
        return _template_regex(self.target).fullmatch(path) is not None


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def parse_map(text: str) -> MapEntry:
    """Parse ``"GET /users/{id} 200=users.user@^1"`` (status optional, or ``request``).

    Raises:
        UsageError: code ``pact-bad-map`` with the expected shape.
    """
    from accord.errors import InvalidReference
    from accord.registry.names import ContractRef

    if not isinstance(text, str):
        raise UsageError(f"bad --map {text!r}: not a string", code="pact-bad-map")
    lhs, sep, ref = text.rpartition("=")
    shape = (
        "expected 'METHOD /path/{param} [STATUS|request]=ns.name@range' or "
        "'message DESCRIPTION=ns.name@range'"
    )
    if not sep or not lhs.strip():
        raise UsageError(f"bad --map {text!r}: {shape}", code="pact-bad-map")
    try:
        ContractRef.parse(ref.strip())
    except InvalidReference as exc:
        raise UsageError(f"bad --map {text!r}: {exc.message}", code="pact-bad-map") from None
    words = lhs.strip().split()
    if words[0].lower() == "message" and len(words) > 1:
        return MapEntry("MESSAGE", " ".join(words[1:]), "*", ref.strip())
    if len(words) not in (2, 3) or not words[1].startswith("/"):
        raise UsageError(f"bad --map {text!r}: {shape}", code="pact-bad-map")
    part = words[2] if len(words) == 3 else "*"
    if part != "request" and not (part.isdigit() and len(part) == 3):
        raise UsageError(f"bad --map {text!r}: {shape}", code="pact-bad-map")
    return MapEntry(words[0].upper(), words[1], part, ref.strip())


# -- rules ----------------------------------------------------------------------------


def _rule_tokens(path: str, file: str | None) -> tuple[PathToken, ...] | None:
    try:
        return parse_path(path, file=file)
    except DocumentError:
        return None


def _token_weight(rule: PathToken, here: PathToken) -> int:
    rk, rv = rule
    hk, hv = here
    if rk == hk and rv == hv:
        return 2
    if rk == "keys" and hk in ("key", "keys"):
        return 1
    if rk == "items" and hk in ("index", "items"):
        return 1
    if rk == "index" and rv == 0 and hk == "items":
        return 1  # a rule on the first item describes the item we walk
    return 0


class _Rules:
    """Body matching rules keyed by path, with Pact's most-specific-path choice."""

    def __init__(self, raw: Mapping[str, Any], file: str | None) -> None:
        self.file = file
        self.paths: list[str] = []  # as written, beside entries
        self.entries: list[tuple[tuple[PathToken, ...], dict[str, Any]]] = []
        for path, rule in raw.items():
            tokens = _rule_tokens(path, file)
            if tokens is None:
                raise DocumentError(
                    f"matching rule path {path!r} is not a JSON path accord reads",
                    code="pact-bad-rule",
                    file=file,
                )
            normal = _normal_rule(rule)
            if not normal["matchers"]:
                # No matcher is no rule: the Pact verifier then compares by equality (or
                # by the type rule cascading from above), never "anything goes".
                continue
            self.entries.append((tokens, normal))
            self.paths.append(path)

    def at(self, here: Sequence[PathToken]) -> dict[str, Any] | None:
        """The most specific rule at ``here``.

        Raises:
            DocumentError: ``pact-ambiguous-rule`` when two different rules are equally
                specific there (``$.id`` beside ``$['id']``, ``$.*.b`` beside ``$.a.*``):
                Pact's verifiers pick one of them in no stated order, and taking either
                could import the weaker one.
        """
        best: list[tuple[int, str, dict[str, Any]]] = []
        for (tokens, rule), path in zip(self.entries, self.paths, strict=True):
            if len(tokens) != len(here):
                continue
            weights = [_token_weight(r, h) for r, h in zip(tokens, here, strict=True)]
            if 0 in weights:
                continue
            score = sum(weights)
            if not best or score > best[0][0]:
                best = [(score, path, rule)]
            elif score == best[0][0]:
                best.append((score, path, rule))
        if not best:
            return None
        other = next((b for b in best[1:] if b[2] != best[0][2]), None)
        if other is not None:
            raise DocumentError(
                f"matching rules {best[0][1]!r} and {other[1]!r} apply equally to "
                f"{format_path(here)} and differ: Pact picks one in no stated order; keep one",
                code="pact-ambiguous-rule",
                file=self.file,
            )
        return best[0][2]

    def refuse_item_rules(self, array: Sequence[PathToken]) -> None:
        """Refuse a rule for one item past the first of ``array``, whose items are
        read as its first (``[*]``, with the rules for ``[*]`` and ``[0]``).

        Raises:
            DocumentError: ``pact-unsupported-rule``: the rule would never be read.
        """
        n = len(array)
        for (tokens, _rule), path in zip(self.entries, self.paths, strict=True):
            if len(tokens) <= n or tokens[n][0] != "index" or tokens[n][1] == 0:
                continue
            if all(_token_weight(r, h) for r, h in zip(tokens[:n], array, strict=True)):
                raise DocumentError(
                    f"matching rule {path!r} is for item {tokens[n][1]} of "
                    f"{format_path(array)} only; under a rule that reaches its items accord "
                    f"checks every item as the first ({format_path(array)}[*], with the "
                    "rules for [*] and [0]), so this rule would never be read: write it for "
                    "[*] or [0]",
                    code="pact-unsupported-rule",
                    file=self.file,
                )


def _normal_rule(rule: Any) -> dict[str, Any]:
    """v3/v4 ``{"matchers": [...], "combine": ...}``; v2 ``{"match": ...}`` is one matcher."""
    if isinstance(rule, dict) and "matchers" in rule:
        return {"combine": rule.get("combine", "AND"), "matchers": list(rule["matchers"])}
    return {"combine": "AND", "matchers": [rule]}


_CASCADING = {"type", "min", "max", "values", "notEmpty", "eachValue"}


def _convert(m: dict[str, Any], value: Any, file: str | None) -> dict[str, Any]:
    kind = m.get("match")  # set on every matcher by _explicit_matchers
    if kind in ("type", "min", "max"):
        if isinstance(value, list):
            out: dict[str, Any] = {"match": "array"}
            for bound in ("min", "max"):
                if bound in m:
                    out[bound] = int(m[bound])
            return out
        if isinstance(value, dict):
            return {"match": "object"}
        return {"match": "like", "example": value}
    simple = {
        "integer": "integer",
        "decimal": "decimal",
        "number": "number",
        "boolean": "boolean",
        "null": "null",
        "semver": "semver",
        "notEmpty": "not_empty",
    }
    if kind in simple:
        return {"match": simple[kind]}
    if kind == "regex":
        return {"match": "regex", "regex": str(m.get("regex", ""))}
    if kind == "equality":
        return {"match": "equals", "value": value}
    if kind == "include":
        return {"match": "include", "value": m.get("value", "")}
    if kind in ("date", "time", "timestamp", "datetime"):
        out = {"match": "datetime" if kind == "timestamp" else kind}
        fmt = m.get("format") or m.get(kind)
        if fmt:
            out["format"] = str(fmt)
        return out
    if kind == "contentType":
        return {"match": "content_type", "value": m.get("value", "")}
    if kind == "values":
        return {"match": "object"}
    if kind in ("eachKey", "eachValue"):
        sample: Any = None
        if isinstance(value, dict) and value:
            first_key = next(iter(value))
            sample = first_key if kind == "eachKey" else value[first_key]
        subs = [_convert(r, sample, file) for r in m.get("rules", [])]
        return {"match": "each_key" if kind == "eachKey" else "each_value", "matchers": subs}
    if kind == "arrayContains":
        variants = []
        for v in m.get("variants", []):
            index = int(v.get("index", 0))
            item = value[index] if isinstance(value, list) and index < len(value) else None
            rules = _Rules(v.get("rules", {}), file)
            variants.append({"index": index, "fields": _walk(item, (), rules, False, file)})
        return {"match": "array_contains", "variants": variants}
    raise DocumentError(
        f"matching rule {json.dumps(m, sort_keys=True)} is not one accord reads "
        "(supported: type, min/max, regex, integer, decimal, number, boolean, null, "
        "equality, include, date/time/timestamp, semver, notEmpty, contentType, values, "
        "eachKey, eachValue, arrayContains)",
        code="pact-unsupported-matcher",
        file=file,
    )


def _or_of(matchers: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    """The alternatives of an ``OR`` rule and whether it allows ``null`` beside them
    (accord's own export: ``nullable``, and a date/time as the formats of RFC 3339)."""
    rest = [m for m in matchers if m != {"match": "null"}]
    nullable = bool(rest) and len(rest) < len(matchers)
    for kind, formats in _DEFAULT_FORMATS.items():
        if rest == [{"match": kind, "format": fmt} for fmt in formats]:
            rest = [{"match": kind}]
    return rest or matchers, nullable


def _walk(
    value: Any,
    tokens: tuple[PathToken, ...],
    rules: _Rules,
    cascade: bool,
    file: str | None,
) -> list[dict[str, Any]]:
    path = format_path(tokens)
    rule = rules.at(tokens)
    fields: list[dict[str, Any]] = []
    child_cascade = cascade
    if rule is not None:
        matchers = [_convert(m, value, file) for m in rule["matchers"]]
        kinds = {m.get("match") for m in rule["matchers"]}
        child_cascade = (
            cascade
            or bool(kinds & _CASCADING)
            or any("min" in m or "max" in m for m in rule["matchers"])
        )
        nullable = False
        if str(rule["combine"]).upper() == "OR":
            matchers, nullable = _or_of(matchers)
        if len(matchers) == 1:
            head = {"path": path, **matchers[0]}
            if nullable:
                head["nullable"] = True
        elif nullable:
            head = {"path": path, "match": "one_of", "matchers": matchers, "nullable": True}
        else:
            combo = "one_of" if str(rule["combine"]).upper() == "OR" else "all_of"
            head = {"path": path, "match": combo, "matchers": matchers}
        fields.append(head)
        if kinds & {"values", "eachValue"} and isinstance(value, dict) and value:
            sample = next(iter(value.values()))
            fields.extend(_walk(sample, (*tokens, ("keys", None)), rules, True, file))
            return fields
        if kinds & {"arrayContains", "eachKey"}:
            return fields
        if isinstance(value, list) and child_cascade:
            # Pact compares every answered item, those past the example's length against
            # its first item: read by index, they would never be checked (notEmpty, or
            # bounds combined with AND/OR, as much as one type rule with min/max).
            if value:
                rules.refuse_item_rules(tokens)
                fields.extend(_walk(value[0], (*tokens, ("items", None)), rules, True, file))
            return fields
    elif cascade:
        if isinstance(value, list):
            fields.append({"path": path, "match": "array"})
            if value:
                rules.refuse_item_rules(tokens)
                fields.extend(_walk(value[0], (*tokens, ("items", None)), rules, True, file))
            return fields
        if isinstance(value, dict):
            if not value:
                fields.append({"path": path, "match": "object"})
        else:
            fields.append({"path": path, "match": "like", "example": value})
    elif isinstance(value, list):
        fields.append({"path": path, "match": "array", "min": len(value), "max": len(value)})
        for n, item in enumerate(value):
            fields.extend(_walk(item, (*tokens, ("index", n)), rules, False, file))
        return fields
    elif isinstance(value, dict):
        if not value:
            fields.append({"path": path, "match": "object"})
    else:
        fields.append({"path": path, "match": "equals", "value": value, "pinned": True})
    if isinstance(value, dict):
        for key, item in value.items():
            fields.extend(_walk(item, (*tokens, ("key", key)), rules, child_cascade, file))
    elif isinstance(value, list) and rule is not None:
        for n, item in enumerate(value):
            fields.extend(_walk(item, (*tokens, ("index", n)), rules, child_cascade, file))
    return fields


def _body_fields(
    content: Any, raw_rules: Mapping[str, Any], file: str | None
) -> list[dict[str, Any]]:
    return _walk(content, (), _Rules(raw_rules, file), False, file)


# -- reading a pact file ----------------------------------------------------------------


def _spec_version(doc: dict[str, Any]) -> int:
    meta = doc.get("metadata", {})
    raw = (
        (meta.get("pactSpecification") or {}).get("version")
        or (meta.get("pact-specification") or {}).get("version")
        or (meta.get("pactSpecificationVersion"))
        or "2.0.0"
    )
    try:
        return int(str(raw).split(".")[0])
    except ValueError:
        return 2


def _body_categories(rules: Any, spec: int) -> dict[str, Any]:
    """Matching rules by category; v2's flat ``$.body.x`` keys are split by prefix."""
    if not isinstance(rules, dict):
        return {}
    if spec >= 3 or any(k in rules for k in _RULE_CATEGORIES):
        out = dict(rules)
        if "headers" in out and "header" not in out:
            out["header"] = out.pop("headers")
        return out
    out = {"body": {}, "header": {}, "query": {}, "path": {}}
    for key, rule in rules.items():
        if key.startswith("$.body"):
            out["body"]["$" + key[len("$.body") :]] = rule
        elif key.startswith("$.headers."):
            out["header"][key[len("$.headers.") :]] = rule
        elif key.startswith("$.query."):
            out["query"][key[len("$.query.") :]] = rule
        elif key == "$.path":
            out["path"] = rule
    return out


def _part_matchers(categories: dict[str, Any], file: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cat in ("header", "query"):
        table = categories.get(cat) or {}
        converted = {
            name: [_convert(m, "", file) for m in _normal_rule(rule)["matchers"]]
            for name, rule in table.items()
        }
        if converted:
            out[cat] = converted
    path_rule = categories.get("path")
    if path_rule:
        out["path"] = [_convert(m, "", file) for m in _normal_rule(path_rule)["matchers"]]
    return out


def _content(raw: Any, file: str | None) -> tuple[bool, Any]:
    """(present, JSON value) of a v3 body or a v4 ``{content, contentType, encoded}``.

    A v4 body ``encoded: "JSON"`` is read as strictly as the file around it.
    """
    if raw is None:
        return False, None
    if isinstance(raw, dict) and "content" in raw and ("contentType" in raw or "encoded" in raw):
        content = raw.get("content")
        if raw.get("encoded") == "JSON" and isinstance(content, str):
            from accord.core.jsondoc import loads

            content = loads(content, file=file)
        return True, content
    return True, raw


def _headers(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {k: ", ".join(v) if isinstance(v, list) else str(v) for k, v in raw.items()}


def _query(raw: Any) -> dict[str, list[str]]:
    if isinstance(raw, str):
        from urllib.parse import parse_qs

        return {k: list(v) for k, v in parse_qs(raw, keep_blank_values=True).items()}
    if isinstance(raw, dict):
        return {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in raw.items()}
    return {}


def _states(inter: dict[str, Any]) -> list[dict[str, Any]]:
    if "providerStates" in inter:
        states = []
        for s in inter["providerStates"] or []:
            entry: dict[str, Any] = {"name": s.get("name", "")}
            if s.get("params"):
                entry["params"] = s["params"]
            states.append(entry)
        return states
    if inter.get("providerState"):
        return [{"name": inter["providerState"]}]
    return []


def _pact_body(
    present: bool, content: Any, rules: dict[str, Any], contract: str | None, file: str | None
) -> dict[str, Any] | None:
    if not present:
        return None
    return {
        "contract": contract,
        "example": content,
        "fields": _body_fields(content, rules.get("body") or {}, file),
    }


class _Binder:
    """Which contract a body is an instance of: a ``--map`` entry, else the binding
    accord's export stored for the interaction, else (messages) metadata ``contract``."""

    def __init__(
        self, maps: Sequence[MapEntry], stored: Mapping[tuple[str, str], dict[str, Any]]
    ) -> None:
        self.maps = list(maps)
        self.stored = stored
        self.unmapped: list[str] = []

    def _stored(self, key: tuple[str, str], part: str) -> str | None:
        ref = self.stored.get(key, {}).get(part)
        return ref if isinstance(ref, str) else None

    def http(
        self, method: str, path: str, part: str, label: str, key: tuple[str, str]
    ) -> str | None:
        for entry in self.maps:
            if entry.method != "MESSAGE" and entry.matches_http(method, path, part):
                return entry.contract
        side = "request" if part == "request" else "response"
        if (ref := self._stored(key, side)) is not None:
            return ref
        if part != "request":
            self.unmapped.append(f"{method} {path} {part} ({label!r})")
        return None

    def message(
        self, description: str, metadata: Mapping[str, Any], key: tuple[str, str]
    ) -> str | None:
        for entry in self.maps:
            if entry.method == "MESSAGE" and entry.target == description:
                return entry.contract
        if (ref := self._stored(key, "body")) is not None:
            return ref
        contract = metadata.get("contract")
        if isinstance(contract, str):
            return contract.removeprefix("accord://")
        self.unmapped.append(f"message {description!r}")
        return None


def _accord_metadata(doc: dict[str, Any], file: str | None) -> dict[str, Any]:
    """``metadata.accord`` of a Pact file accord exported (``{}`` for any other)."""
    meta = doc.get("metadata")
    block = meta.get("accord") if isinstance(meta, dict) else None
    if block is None:
        return {}
    if not isinstance(block, dict) or not isinstance(block.get("interactions", []), list):
        raise DocumentError(
            "metadata.accord is not accord's export block",
            code="pact-invalid",
            file=file,
            pointer="/metadata/accord",
        )
    return block


def _digest(value: Any) -> str:
    import hashlib

    from accord.core.jsondoc import canonical_dumps

    return "sha256:" + hashlib.sha256(canonical_dumps(value).encode()).hexdigest()


# The shape import_pact reads: every node it walks has the JSON type it walks it as.
# Anything else in a Pact file is kept or ignored as it is; this is not Pact's schema.
_OBJECT: dict[str, Any] = {"type": "object"}
_PACT_SHAPE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["consumer", "provider"],
    "properties": {
        "consumer": _OBJECT,
        "provider": _OBJECT,
        "metadata": {
            "type": "object",
            "properties": {"pactSpecification": _OBJECT, "pact-specification": _OBJECT},
        },
        "interactions": {"type": "array", "items": {"$ref": "#/$defs/interaction"}},
        "messages": {"type": "array", "items": {"$ref": "#/$defs/interaction"}},
    },
    "$defs": {
        "interaction": {
            "$ref": "#/$defs/part",
            "properties": {
                "type": {"type": "string"},
                "providerStates": {"type": "array", "items": _OBJECT},
                "request": {"$ref": "#/$defs/part"},
            },
            # A synchronous message has a list of responses; an HTTP interaction one.
            "if": {
                "required": ["type"],
                "properties": {"type": {"const": "Synchronous/Messages"}},
            },
            "then": {
                "properties": {"response": {"type": "array", "items": {"$ref": "#/$defs/part"}}}
            },
            "else": {"properties": {"response": {"$ref": "#/$defs/part"}}},
        },
        "part": {
            "type": "object",
            "properties": {
                "status": {"type": ["integer", "string"], "pattern": "^[0-9]{1,3}$"},
                "headers": {
                    "type": "object",
                    "additionalProperties": {"items": {"type": "string"}},
                },
                "metadata": _OBJECT,
                "metaData": _OBJECT,
                "matchingRules": {
                    "type": "object",
                    "properties": {
                        "body": {"$ref": "#/$defs/rules"},
                        "header": {"$ref": "#/$defs/rules"},
                        "headers": {"$ref": "#/$defs/rules"},
                        "query": {"$ref": "#/$defs/rules"},
                    },
                    "additionalProperties": {"$ref": "#/$defs/rule"},
                },
            },
        },
        "rules": {"type": "object", "additionalProperties": {"$ref": "#/$defs/rule"}},
        "rule": {
            "$ref": "#/$defs/matcher",
            "properties": {"matchers": {"type": "array", "items": {"$ref": "#/$defs/matcher"}}},
        },
        "matcher": {
            "type": "object",
            "properties": {
                "match": {"type": "string"},
                "regex": {"type": "string"},
                "min": {"type": "integer", "minimum": 0},
                "max": {"type": "integer", "minimum": 0},
                "rules": {"type": "array", "items": {"$ref": "#/$defs/matcher"}},
                "variants": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "index": {"type": "integer", "minimum": 0},
                            "rules": {"$ref": "#/$defs/rules"},
                        },
                    },
                },
            },
        },
    },
}


# v2 left "match" out where the other keys say it all (pact-jvm's MatchingRule.fromJson,
# pact-ruby's v2 rules): {"regex": R} is {"match": "regex", "regex": R}; {"min": N} and
# {"max": N} are {"match": "type", ...} with the same bounds. Any other rule without
# "match" (a regex beside a bound: regex or type?) is refused, never guessed.
_SHORTHANDS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"regex"}), "regex"),
    (frozenset({"min"}), "type"),
    (frozenset({"max"}), "type"),
    (frozenset({"min", "max"}), "type"),
)
_RULE_CATEGORIES = ("body", "header", "query", "path", "headers")  # as _body_categories
_RULE_TABLES = ("body", "header", "headers", "query")
_V2_READ = ("$.body", "$.headers.", "$.query.")


def _explicit_matchers(doc: dict[str, Any], spec: int, file: str | None) -> dict[str, Any]:
    """``doc`` (shape-checked) with ``"match"`` written into every v2 shorthand matcher,
    so a shorthand means exactly what the rule spelled out means; every matcher is
    checked here, where its JSON pointer is known (``pact-unsupported-matcher``)."""
    out = dict(doc)
    for list_key in ("interactions", "messages"):
        items = doc.get(list_key)
        if not isinstance(items, list):
            continue
        out[list_key] = [
            _explicit_parts(item, f"/{list_key}/{n}", spec, file)
            if isinstance(item, dict)
            else item
            for n, item in enumerate(items)
        ]
    return out


def _explicit_parts(
    inter: dict[str, Any], pointer: str, spec: int, file: str | None
) -> dict[str, Any]:
    """One interaction, its request and its response(s) (a message is its own part)."""
    out = _explicit_part(inter, pointer, spec, file)
    for part in ("request", "response"):
        value = inter.get(part)
        where = f"{pointer}/{part}"
        if isinstance(value, dict):
            out[part] = _explicit_part(value, where, spec, file)
        elif isinstance(value, list):
            out[part] = [
                _explicit_part(r, f"{where}/{n}", spec, file) if isinstance(r, dict) else r
                for n, r in enumerate(value)
            ]
    return out


def _explicit_part(
    part: dict[str, Any], pointer: str, spec: int, file: str | None
) -> dict[str, Any]:
    """A part's ``matchingRules``, every rule accord reads made explicit (the categories
    and v2 keys :func:`_body_categories` reads; others stay as they are, unread)."""
    from accord.core.pointer import join

    rules = part.get("matchingRules")
    if not isinstance(rules, dict):
        return dict(part)
    where = f"{pointer}/matchingRules"
    out = dict(rules)
    categorised = spec >= 3 or any(k in rules for k in _RULE_CATEGORIES)
    for key, value in rules.items():
        at = join(where, key)
        if not categorised:
            if key.startswith(_V2_READ) or key == "$.path":
                out[key] = _explicit_rule(value, at, file)
        elif key == "path":
            out[key] = _explicit_rule(value, at, file)
        elif key in _RULE_TABLES and isinstance(value, dict):
            out[key] = {
                name: _explicit_rule(rule, join(at, name), file) for name, rule in value.items()
            }
    return {**part, "matchingRules": out}


def _explicit_rule(rule: Any, pointer: str, file: str | None) -> Any:
    if isinstance(rule, dict) and isinstance(rule.get("matchers"), list):
        return {
            **rule,
            "matchers": [
                _explicit_matcher(m, f"{pointer}/matchers/{n}", file)
                for n, m in enumerate(rule["matchers"])
            ],
        }
    return _explicit_matcher(rule, pointer, file)


def _explicit_matcher(raw: Any, pointer: str, file: str | None) -> dict[str, Any]:
    """One matcher with its ``"match"`` (a v2 shorthand spelled out), else refused."""
    if not isinstance(raw, dict):
        raise DocumentError(
            f"a matching rule is a JSON object, not {json_kind(raw)}",
            code="pact-invalid",
            file=file,
            pointer=pointer,
        )
    m: dict[str, Any] = raw
    kind = m.get("match")
    if kind is None:
        found = [k for keys, k in _SHORTHANDS if keys == m.keys() & {"regex", "min", "max"}]
        if not found or not (m.keys() <= {"regex", "min", "max"}):
            raise DocumentError(
                f'matching rule {json.dumps(m, sort_keys=True)} has no "match" and is not a '
                'Pact v2 shorthand accord reads: {"regex": R} (a regex match) or "min"/"max" '
                'alone (a type match with a length bound); write "match" to say which',
                code="pact-unsupported-matcher",
                file=file,
                pointer=pointer,
            )
        m = {"match": found[0], **m}
    elif kind == "regex" and "regex" not in m:
        raise DocumentError(
            'a "regex" matching rule without a "regex" to match',
            code="pact-unsupported-matcher",
            file=file,
            pointer=pointer,
        )
    if m["match"] in ("eachKey", "eachValue") and isinstance(m.get("rules"), list):
        m = {
            **m,
            "rules": [
                _explicit_matcher(r, f"{pointer}/rules/{n}", file) for n, r in enumerate(m["rules"])
            ],
        }
    if m["match"] == "arrayContains" and isinstance(m.get("variants"), list):
        m = {
            **m,
            "variants": [
                _explicit_variant(v, f"{pointer}/variants/{n}", file)
                for n, v in enumerate(m["variants"])
            ],
        }
    return m


def _explicit_variant(variant: Any, pointer: str, file: str | None) -> Any:
    from accord.core.pointer import join

    rules = variant.get("rules") if isinstance(variant, dict) else None
    if not isinstance(rules, dict):
        return variant
    at = f"{pointer}/rules"
    return {
        **variant,
        "rules": {path: _explicit_rule(rule, join(at, path), file) for path, rule in rules.items()},
    }


def _check_shape(doc: Any, file: str | None) -> None:
    """Refuse (``pact-invalid``, with the pointer) a node of the wrong JSON type."""
    refuse_by_schema(
        _PACT_SHAPE, doc, what="a Pact file accord reads", code="pact-invalid", file=file
    )


def _is_json_media(text: str) -> bool:
    """One JSON media type: a list or junk after the parameters is none
    (:func:`~accord.core.media.parse_media_type`)."""
    from accord.core.media import parse_media_type

    media = parse_media_type(text)
    return media is not None and media.is_json()


def _declared_type(part: Mapping[str, Any]) -> str | None:
    """The content type a part states: its ``Content-Type`` header, or a message's
    ``contentType`` metadata. Several (a list, or ``Content-Type`` beside
    ``content-type``) are joined as one header holding them would be, which is no one
    media type: readers differ on which one counts."""
    for key, names in (
        ("headers", ("content-type",)),
        ("metadata", ("contenttype", "content-type", "content_type")),
        ("metaData", ("contenttype", "content-type", "content_type")),
    ):
        table = part.get(key)
        if not isinstance(table, dict):
            continue
        stated = [
            str(item)
            for name, value in table.items()
            if name.lower() in names and value is not None
            for item in (value if isinstance(value, list) else [value])
        ]
        if stated:
            return ", ".join(stated)
    return None


def _check_bodies(doc: dict[str, Any], file: str | None) -> None:
    """Refuse (``pact-unsupported-body``) a body that is not JSON: XML, text, bytes.

    accord reads and verifies JSON only; read as a JSON string, such a body would be
    pinned by equality and its matching rules (XML paths) dropped without a word.
    """
    for list_key in ("interactions", "messages"):
        for n, item in enumerate(doc.get(list_key) or []):
            if not isinstance(item, dict):
                continue
            base = f"/{list_key}/{n}"
            parts: list[tuple[Any, str]] = [(item, base)]
            for side in ("request", "response"):
                value = item.get(side)
                if isinstance(value, dict):
                    parts.append((value, f"{base}/{side}"))
                elif isinstance(value, list):
                    parts.extend((r, f"{base}/{side}/{m}") for m, r in enumerate(value))
            for part, where in parts:
                if not isinstance(part, dict):
                    continue
                for key in ("body", "contents"):
                    if part.get(key) is not None:
                        _check_body_type(part[key], _declared_type(part), file, f"{where}/{key}")


def _check_body_type(raw: Any, declared: str | None, file: str | None, pointer: str) -> None:
    why = ""
    if isinstance(raw, dict) and "content" in raw and ("contentType" in raw or "encoded" in raw):
        # a v4 body, read as _content reads it
        encoded = raw.get("encoded", False)
        if encoded not in (False, None, "JSON"):
            why = f"its content is encoded ({json.dumps(encoded)})"
        declared = raw.get("contentType") or declared
    if not why and declared is not None and not _is_json_media(declared):
        why = f"its content type is {declared!r}"
    if why:
        raise DocumentError(
            f"a body that is not JSON: {why}. accord reads and verifies JSON bodies only "
            "(application/json, application/*+json); leave this interaction out of the "
            "Pact file you import",
            code="pact-unsupported-body",
            file=file,
            pointer=pointer,
        )


def _check_json(doc: dict[str, Any], file: str | None) -> None:
    """A Python caller's Pact holding what no Pact file can (a key that is not a string,
    bytes, a set, NaN) is ``pact-invalid`` at its pointer, before anything reads it."""
    from accord.core.jsondoc import not_json_at

    found = not_json_at(doc)
    if found is not None:
        pointer, what = found
        raise DocumentError(
            f"not a Pact file: it holds no JSON value at {pointer or 'its root'}: {what}",
            code="pact-invalid",
            file=file,
            pointer=pointer,
        )


def import_pact(
    doc: dict[str, Any],
    *,
    maps: Sequence[MapEntry] = (),
    file: str | None = None,
    require_contract: bool = False,
) -> dict[str, Any]:
    """One Pact file (v2, v3 or v4) as an expectation document.

    A response or message body nothing binds to a contract is kept unbound
    (``"contract": null``); with ``require_contract`` it is an error. ``source`` names
    ``file``, except for accord's own export with every interaction unchanged: that is the
    exported expectation, its own ``source`` included (or none). A pact served by
    a Pact Broker (its HAL ``_links`` beside the Pact) keeps the consumer version the
    broker states (``pb:consumer-version``).

    Raises:
        DocumentError: ``pact-empty`` (no interaction, no message), ``pact-unmapped``
            (with ``require_contract``: every unbound body is listed),
            ``pact-unsupported-matcher``, ``pact-bad-rule``,
            ``pact-invalid``, ``pact-unsupported-body`` (a body that is not JSON).
    """
    from accord.registry.names import slugify

    if not isinstance(doc, dict) or "consumer" not in doc or "provider" not in doc:
        raise DocumentError(
            "not a Pact file (no consumer/provider)", code="pact-invalid", file=file
        )
    _check_json(doc, file)
    _check_shape(doc, file)
    _check_bodies(doc, file)
    spec = _spec_version(doc)
    doc = _explicit_matchers(doc, spec, file)
    consumer_ext = str(doc["consumer"].get("name", ""))
    provider_ext = str(doc["provider"].get("name", ""))
    consumer, provider = slugify(consumer_ext), slugify(provider_ext)
    accord = _accord_metadata(doc, file)
    recorded: dict[str, dict[str, Any]] = {}  # digest of the Pact form -> accord's interaction
    bindings: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in accord.get("interactions", []):
        if isinstance(entry, dict) and isinstance(entry.get("interaction"), dict):
            recorded[str(entry.get("digest"))] = entry["interaction"]
            bindings[interaction_key(entry["interaction"])] = _binding_of(entry["interaction"])
    binder = _Binder(maps, bindings)
    interactions: list[dict[str, Any]] = []
    verbatim = bool(accord)  # every interaction unchanged since accord exported it
    for inter in doc.get("interactions", []) or []:
        same = recorded.get(_digest(inter)) if isinstance(inter, dict) else None
        if same is not None and interaction_key(same) == _pact_key(inter):
            interactions.append(same)  # unchanged since accord exported it
            continue
        verbatim = False
        kind = inter.get("type", "Synchronous/HTTP")
        if kind == "Synchronous/HTTP" or (
            "request" in inter and "response" in inter and kind != "Synchronous/Messages"
        ):
            interactions.append(_http(inter, spec, binder, file))
        elif kind == "Asynchronous/Messages":
            interactions.append(_message(inter, spec, binder, file))
        elif kind == "Synchronous/Messages":
            interactions.append(_sync_message(inter, spec, binder, file))
        else:
            raise DocumentError(
                f"interaction type {kind!r} is not one accord reads", code="pact-invalid", file=file
            )
    for msg in doc.get("messages", []) or []:
        same = recorded.get(_digest(msg)) if isinstance(msg, dict) else None
        if same is not None and same["type"] == "message":
            interactions.append(same)  # unchanged since accord exported it
            continue
        verbatim = False
        interactions.append(_message(msg, spec, binder, file))
    if not interactions:
        # An expectation of nothing is verified by every provider: importing it would
        # report success on nothing (accord's own export never writes one).
        raise DocumentError(
            "the Pact file holds no interactions (and no messages): nothing to import",
            code="pact-empty",
            file=file,
        )
    if binder.unmapped and require_contract:
        listed = "; ".join(binder.unmapped)
        raise DocumentError(
            f"{plural(len(binder.unmapped), 'interaction')} bound to no contract: {listed}. "
            "Bind each with --map 'METHOD /path/{param} STATUS=ns.name@range' (or "
            "[tool.accord.pact] map), or, for a message, --map "
            "'message DESCRIPTION=ns.name@range' or the metadata key 'contract'",
            code="pact-unmapped",
            file=file,
        )
    # A repeated interaction is one interaction (validate refuses two with one key).
    from accord.core.jsondoc import canonical_dumps

    interactions = list({canonical_dumps(i): i for i in interactions}.values())
    names = {consumer_ext: consumer, provider_ext: provider}
    if accord:  # accord's own export: its names table, without identity entries
        stored = accord.get("names")
        names = {k: v for k, v in names.items() if k != v}
        names.update(stored if isinstance(stored, dict) else {})
    # `source` says where an expectation came from. accord's own export, every
    # interaction unchanged, gives the exported expectation back: its own source, or
    # none (export -> import -> export is stable). A Pact file accord did not write, or
    # one a Pact tool edited, is the source of what it holds: it is named.
    source = accord.get("source") if verbatim else None
    if not verbatim:
        source = {"pact_file": Path(file).name if file else None, "pact_specification": spec}
    out: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "consumer": {"name": consumer},
        "provider": provider,
        **({"source": source} if source is not None else {}),
        "interactions": interactions,
    }
    if names:
        out["names"] = names
    who = accord.get("consumer")
    for key in ("version", "branch"):
        if isinstance(who, dict) and who.get(key) is not None:
            out["consumer"][key] = who[key]
    broker_version = _broker_consumer_version(doc, file)
    if broker_version is not None and "version" not in out["consumer"]:
        out["consumer"]["version"] = broker_version
    if accord.get("reads"):
        out["reads"] = accord["reads"]
    validate(out, file=file)
    return out


def _broker_consumer_version(doc: dict[str, Any], file: str | None) -> str | None:
    """The consumer version a Pact Broker states in a pact it serves (HAL link
    ``pb:consumer-version``, whose ``name`` is the version), or ``None``."""
    links = doc.get("_links")
    if not isinstance(links, dict) or "pb:consumer-version" not in links:
        return None
    link = links["pb:consumer-version"]
    name = link.get("name") if isinstance(link, dict) else None
    if not isinstance(name, str) or not name:
        raise DocumentError(
            "_links.pb:consumer-version has no 'name' (the consumer version) string",
            code="pact-invalid",
            file=file,
            pointer="/_links/pb:consumer-version",
        )
    return name


def _pact_key(inter: dict[str, Any]) -> tuple[str, str]:
    return interaction_key(
        {"description": str(inter.get("description", "")), "provider_states": _states(inter)}
    )


def unbound_bodies(doc: dict[str, Any]) -> list[str]:
    """Labels of the bodies the consumer reads that no contract binds."""
    return [b.label for b in iter_bodies(doc) if b.role == "reads" and b.contract is None]


def _binding_of(inter: Mapping[str, Any]) -> dict[str, Any]:
    """The contract of each body of an accord interaction, by part."""
    if inter.get("type") == "http":
        return {
            side: inter[side]["body"].get("contract")
            for side in ("request", "response")
            if isinstance(inter.get(side), dict) and isinstance(inter[side].get("body"), dict)
        }
    if inter.get("type") == "message" and isinstance(inter.get("body"), dict):
        return {"body": inter["body"].get("contract")}
    request = inter.get("request")
    if isinstance(request, dict) and isinstance(request.get("body"), dict):
        return {"body": request["body"].get("contract")}
    return {}


def _http(inter: dict[str, Any], spec: int, binder: _Binder, file: str | None) -> dict[str, Any]:
    req, resp = inter.get("request", {}), inter.get("response", {})
    method = str(req.get("method", "GET")).upper()
    path = str(req.get("path", "/"))
    status = int(resp.get("status", 200))
    desc = str(inter.get("description", f"{method} {path}"))
    key = interaction_key({"description": desc, "provider_states": _states(inter)})
    request: dict[str, Any] = {"method": method, "path": path}
    if req.get("query"):
        request["query"] = _query(req["query"])
    if req.get("headers"):
        request["headers"] = _headers(req["headers"])
    req_rules = _body_categories(req.get("matchingRules"), spec)
    present, content = _content(req.get("body"), file)
    if present:
        contract = binder.http(method, path, "request", desc, key)
        request["body"] = _pact_body(present, content, req_rules, contract, file)
    if matchers := _part_matchers(req_rules, file):
        request["matchers"] = matchers
    if req.get("generators"):
        request["generators"] = req["generators"]
    response: dict[str, Any] = {"status": status}
    if resp.get("headers"):
        response["headers"] = _headers(resp["headers"])
    resp_rules = _body_categories(resp.get("matchingRules"), spec)
    present, content = _content(resp.get("body"), file)
    if present:
        contract = binder.http(method, path, str(status), desc, key)
        response["body"] = _pact_body(present, content, resp_rules, contract, file)
    if matchers := _part_matchers(resp_rules, file):
        response["matchers"] = matchers
    if resp.get("generators"):
        response["generators"] = resp["generators"]
    out: dict[str, Any] = {
        "type": "http",
        "description": desc,
        "request": request,
        "response": response,
    }
    if states := _states(inter):
        out["provider_states"] = states
    return out


def _message(msg: dict[str, Any], spec: int, binder: _Binder, file: str | None) -> dict[str, Any]:
    desc = str(msg.get("description", "message"))
    metadata = dict(msg.get("metadata") or msg.get("metaData") or {})
    key = interaction_key({"description": desc, "provider_states": _states(msg)})
    contract = binder.message(desc, metadata, key)
    present, content = _content(msg.get("contents"), file)
    rules = _body_categories(msg.get("matchingRules"), spec)
    body = _pact_body(True, content if present else None, rules, contract, file)
    out: dict[str, Any] = {
        "type": "message",
        "description": desc,
        "metadata": metadata,
        "body": body,
    }
    if msg.get("generators"):
        out["generators"] = msg["generators"]
    if states := _states(msg):
        out["provider_states"] = states
    return out


def _sync_message(
    inter: dict[str, Any], spec: int, binder: _Binder, file: str | None
) -> dict[str, Any]:
    desc = str(inter.get("description", "message"))

    def part(raw: dict[str, Any], contract: str | None) -> dict[str, Any]:
        present, content = _content(raw.get("contents"), file)
        rules = _body_categories(raw.get("matchingRules"), spec)
        out: dict[str, Any] = {
            "body": _pact_body(True, content if present else None, rules, contract, file)
        }
        if raw.get("metadata"):
            out["metadata"] = dict(raw["metadata"])
        if raw.get("generators"):
            out["generators"] = raw["generators"]
        return out

    request = inter.get("request", {})
    key = interaction_key({"description": desc, "provider_states": _states(inter)})
    contract = binder.message(desc, dict(request.get("metadata") or {}), key)
    out: dict[str, Any] = {
        "type": "sync-message",
        "description": desc,
        "request": part(request, contract),
        "responses": [part(r, contract) for r in inter.get("response", []) or []],
    }
    if states := _states(inter):
        out["provider_states"] = states
    return out


def load_pact(path: Path) -> dict[str, Any]:
    """Read a Pact file strictly (accord's JSON reader)."""
    from accord.core.jsondoc import load_path

    doc = load_path(path)
    if not isinstance(doc, dict):
        raise DocumentError(
            "not a Pact file (not a JSON object)", code="pact-invalid", file=str(path)
        )
    return doc


# -- export ---------------------------------------------------------------------------


def _rfc3339_formats(date_parts: tuple[str, ...]) -> tuple[str, ...]:
    """The Pact formats of RFC 3339 times after each of ``date_parts``: fractions of a
    second optional, and the offset ``Z`` also lowercase (RFC 3339 allows ``t`` and ``z``;
    Pact formats are case-sensitive, so each case is one more alternative)."""
    return tuple(
        f"{head}HH:mm:ss{fraction}{zone}"
        for head in date_parts
        for zone in ("XXX", "'z'")
        for fraction in ("", ".SSSSSSSSS")
    )


#: The Pact formats that state a date/time matcher without a format, accord's RFC 3339
#: (fractions of a second optional, ``t``/``z`` in either case): pact-rust's ``S`` reads
#: up to as many digits as the format has letters, so nine cover RFC 3339's practical
#: precision (ten or more is a documented difference).
_DEFAULT_FORMATS: dict[str, tuple[str, ...]] = {
    "date": ("yyyy-MM-dd",),
    "time": _rfc3339_formats(("",)),
    "datetime": _rfc3339_formats(("yyyy-MM-dd'T'", "yyyy-MM-dd't'")),
}


def _time_rule(kind: str, fmt: str) -> dict[str, Any]:
    return {"match": "timestamp" if kind == "datetime" else kind, "format": fmt}


def _pact_matchers(
    m: dict[str, Any], lost: list[str] | None = None, path: str = ""
) -> list[dict[str, Any]] | None:
    """The Pact matchers whose ``OR`` states ``m`` (``None``: no rule, the example is
    compared for equality, as for a Pact value without a matcher)."""
    kind = m["match"]
    if kind in _DEFAULT_FORMATS and not m.get("format"):
        return [_time_rule(kind, fmt) for fmt in _DEFAULT_FORMATS[kind]]
    single = _pact_matcher(m, lost, path)
    return None if single is None else [single]


def _stated(subs: Iterable[dict[str, Any]], lost: list[str] | None, path: str) -> list[Any]:
    """The Pact forms of the sub-matchers of ``each_key``/``each_value``/``all_of``;
    one Pact cannot state is left out and noted in ``lost`` (its rule checks less)."""
    out = []
    for sub in subs:
        rule = _pact_matcher(sub, lost, path)
        if rule is not None:
            out.append(rule)
        elif lost is not None:
            lost.append(f"{path}: sub-matcher {json.dumps(sub)} has no Pact matcher")
    return out


def _pact_matcher(
    m: dict[str, Any], lost: list[str] | None = None, path: str = ""
) -> dict[str, Any] | None:
    """``m`` as one Pact matcher (see :func:`_pact_matchers`); what its sub-matchers and
    variants cannot state is noted in ``lost``, when given."""
    kind = m["match"]
    direct = {
        "integer": "integer",
        "decimal": "decimal",
        "number": "number",
        "boolean": "boolean",
        "null": "null",
        "semver": "semver",
        "not_empty": "notEmpty",
    }
    if kind in direct:
        return {"match": direct[kind]}
    if kind in ("like", "string", "object", "any"):
        return {"match": "type"}
    if kind == "array":
        out: dict[str, Any] = {"match": "type"}
        for bound in ("min", "max"):
            if m.get(bound) is not None:
                out[bound] = m[bound]
        return out
    if kind == "equals":
        return None if m.get("pinned") else {"match": "equality"}
    if kind == "regex":
        return {"match": "regex", "regex": m["regex"]}
    if kind == "enum":
        values = m.get("values", [])
        if all(isinstance(v, str) for v in values):
            return {"match": "regex", "regex": "|".join(re.escape(v) for v in values)}
        return None
    if kind in _DEFAULT_FORMATS:
        return _time_rule(kind, m.get("format") or _DEFAULT_FORMATS[kind][0])
    if kind == "include":
        return {"match": "include", "value": m.get("value")}
    if kind == "content_type":
        return {"match": "contentType", "value": m.get("value")}
    if kind in ("each_key", "each_value"):
        rules = _stated(m.get("matchers", []), lost, path)
        return {"match": "eachKey" if kind == "each_key" else "eachValue", "rules": rules}
    if kind == "array_contains":
        variants = []
        for n, v in enumerate(m.get("variants", [])):
            notes: list[str] = []
            variant_rules, _patches = _rules_of(v.get("fields", []), notes)
            if lost is not None:
                lost.extend(f"{path}: variant {n}: {note}" for note in notes)
            variants.append({"index": v.get("index", 0), "rules": variant_rules})
        return {"match": "arrayContains", "variants": variants}
    return None


#: The JSON kind a type-like matcher states through Pact's ``type`` (which compares with
#: the one example at its path), and a value of that kind to serve.
_TYPE_LIKE = {"string": ("string", "string"), "object": ("object", {}), "array": ("array", [])}


def _type_kind(m: dict[str, Any]) -> tuple[str, Any] | None:
    if m["match"] == "like":
        return json_kind(m.get("example")), m.get("example")
    return _TYPE_LIKE.get(m["match"])


def _union(
    f: dict[str, Any], lost: list[str]
) -> tuple[list[dict[str, Any]], tuple[str, Any] | None]:
    """A ``one_of`` field as ``OR`` matchers, and the example to serve at its path when
    the one type-like alternative is not the example's kind (``union(integer, string)``
    serves a string: ``integer`` needs no example, ``type`` does)."""
    served = json_kind(f.get("example"))
    kinds: dict[str, Any] = {}
    matchers: list[dict[str, Any]] = []
    for sub in f.get("matchers", []):
        typed = _type_kind(sub)
        if typed is not None:
            kinds.setdefault(typed[0], typed[1])
        alternatives = _pact_matchers(sub, lost, f["path"])
        if alternatives is None:
            lost.append(f"{f['path']}: alternative {json.dumps(sub)} has no Pact matcher")
            continue
        matchers += [a for a in alternatives if a not in matchers]
    patch: tuple[str, Any] | None = None
    if len(kinds) == 1 and served not in kinds:
        patch = (f["path"], next(iter(kinds.values())))
    elif len(kinds) > 1:
        stated = served if served in kinds else next(iter(kinds))
        if served not in kinds:
            patch = (f["path"], kinds[stated])
        lost.append(
            f"{f['path']}: one of the types {', '.join(sorted(kinds))}: Pact's type matcher "
            f"compares with the one example, so only {stated} is stated"
        )
    return matchers, patch


def _collection(f: dict[str, Any]) -> bool:
    """Whether a field describes an object or an array (pact-rust matches those against
    every matcher of a rule, whatever its ``combine``: checked with its verifier)."""
    if f["match"] == "like":
        return isinstance(f.get("example"), (dict, list))
    return f["match"] in ("object", "array", "each_key", "each_value", "array_contains")


def _rules_of(
    fields: Iterable[dict[str, Any]], lost: list[str]
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Body matching rules, and the example values to serve at some paths (unions).

    What Pact cannot state is appended to ``lost``: an optional location that is not a
    key (Pact has no absent value), ``nullable`` beside an ``all_of``, non-string enums."""
    rules: dict[str, Any] = {}
    patches: list[tuple[str, Any]] = []
    for f in fields:
        if f.get("optional"):
            lost.append(f"{f['path']}: optional (Pact cannot say a value may be absent)")
        if f["match"] == "enum" and _pact_matcher(f) is None:
            lost.append(
                f"{f['path']}: one of {json.dumps(f.get('values'))} (served as the example)"
            )
        if f["match"] == "one_of":
            matchers, patch = _union(f, lost)
            if patch is not None:
                patches.append(patch)
        elif f["match"] == "all_of":
            subs = _stated(f.get("matchers", []), lost, f["path"])
            if f.get("nullable"):
                lost.append(f"{f['path']}: nullable (Pact cannot combine AND with OR)")
            if subs:
                rules[f["path"]] = {"combine": "AND", "matchers": subs}
            continue
        else:
            stated = _pact_matchers(f, lost, f["path"])
            if stated is None and f.get("nullable"):
                stated = [{"match": "equality"}]
            matchers = stated or []
        if f.get("nullable") and _collection(f):
            lost.append(
                f"{f['path']}: nullable: pact-rust does not apply an OR rule to an object or "
                "an array, so Pact requires a non-null value there"
            )
        elif f.get("nullable"):
            matchers = [*matchers, {"match": "null"}]
        if not matchers:
            continue
        held = rules.get(f["path"])
        if len(matchers) > 1:
            if held is not None:
                lost.append(f"{f['path']}: two fields at one path, one of them a union")
            rules[f["path"]] = {"combine": "OR", "matchers": matchers}
        elif held is not None and held["combine"] == "AND":
            held["matchers"].append(matchers[0])
        elif held is None:
            rules[f["path"]] = {"combine": "AND", "matchers": matchers}
    return rules, patches


def _example_of(body: dict[str, Any]) -> Any:
    if "example" in body:
        return body["example"]
    root: Any = None
    for f in body.get("fields", []):
        value = f.get("example", f.get("value", (f.get("values") or [None])[0]))
        root = _set(root, list(parse_path(f["path"])), value)
    return root


def _set(node: Any, tokens: list[PathToken], value: Any) -> Any:
    if not tokens:
        return node if node is not None else value
    kind, arg = tokens[0]
    if kind in ("key", "keys"):
        node = node if isinstance(node, dict) else {}
        key = arg if kind == "key" else "key"
        node[key] = _set(node.get(key), tokens[1:], value)
        return node
    node = node if isinstance(node, list) else []
    index = arg if kind == "index" else 0
    while len(node) <= index:
        node.append(None)
    node[index] = _set(node[index], tokens[1:], value)
    return node


def _put(node: Any, tokens: Sequence[PathToken], value: Any) -> Any:
    """``node`` with ``value`` at every location the path reaches (a copy)."""
    if not tokens:
        return value
    kind, arg = tokens[0]
    if isinstance(node, dict):
        keys = [arg] if kind == "key" and arg in node else list(node) if kind == "keys" else []
        return {k: (_put(v, tokens[1:], value) if k in keys else v) for k, v in node.items()}
    if isinstance(node, list):
        return [
            _put(v, tokens[1:], value) if kind == "items" or (kind, arg) == ("index", n) else v
            for n, v in enumerate(node)
        ]
    return node


def _body_content(body: dict[str, Any], patches: Sequence[tuple[str, Any]]) -> Any:
    content = _example_of(body)
    for path, value in patches:
        content = _put(content, parse_path(path), value)
    return content


def _v4_body(content: Any) -> dict[str, Any]:
    return {"content": content, "contentType": "application/json", "encoded": False}


def _without_optional_keys(
    fields: Sequence[dict[str, Any]], lost: list[str]
) -> tuple[list[dict[str, Any]], list[tuple[PathToken, ...]]]:
    """The fields Pact can check, and the optional keys to leave out of the body.

    Pact has no absent key: an optional key in the body would be required of every
    provider response. Left out, Pact does not require it (nor check it when present).
    """
    absent: list[tuple[PathToken, ...]] = []
    for f in fields:
        tokens = parse_path(f["path"])
        if f.get("optional") and tokens and tokens[-1][0] == "key":
            absent.append(tokens)
            lost.append(
                f"{f['path']}: optional: left out of the Pact body (Pact cannot say a key "
                "may be absent), so Pact does not check it when present"
            )
    kept = [f for f in fields if not any(parse_path(f["path"])[: len(a)] == a for a in absent)]
    return kept, absent


def _drop(node: Any, tokens: Sequence[PathToken]) -> Any:
    """``node`` without the key the path ends with, wherever the path reaches (a copy)."""
    if len(tokens) == 1 and isinstance(node, dict):
        return {k: v for k, v in node.items() if k != tokens[0][1]}
    if not tokens:
        return node
    kind, arg = tokens[0]
    if isinstance(node, dict):
        return {
            k: (_drop(v, tokens[1:]) if kind == "keys" or (kind, arg) == ("key", k) else v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [
            _drop(v, tokens[1:]) if kind == "items" or (kind, arg) == ("index", n) else v
            for n, v in enumerate(node)
        ]
    return node


def _part_rules(part: dict[str, Any], lost: list[str]) -> tuple[dict[str, Any], Any]:
    """A part's matching rules and its body content (``None`` without a body)."""
    rules: dict[str, Any] = {}
    content = None
    if "body" in part:
        fields, absent = _without_optional_keys(part["body"].get("fields", []), lost)
        body_rules, patches = _rules_of(fields, lost)
        if body_rules:
            rules["body"] = body_rules
        content = _body_content(part["body"], patches)
        for tokens in absent:
            content = _drop(content, tokens)
    matchers = part.get("matchers", {})
    for cat in ("header", "query"):
        table = {
            name: {"combine": "AND", "matchers": [r for r in map(_pact_matcher, ms) if r]}
            for name, ms in matchers.get(cat, {}).items()
        }
        if table:
            rules[cat] = table
    if matchers.get("path"):
        rules["path"] = {
            "combine": "AND",
            "matchers": [r for r in map(_pact_matcher, matchers["path"]) if r],
        }
    return rules, content


def export_pact(doc: dict[str, Any], *, spec: str = "v4") -> dict[str, Any]:
    """An expectation as a Pact v4 (or, ``spec="v3"``, v3) file.

    ``nullable`` is stated as ``combine: OR`` with a ``null`` matcher, a union as
    ``combine: OR`` of its alternatives, a date/time without a format as the ``OR`` of
    the Pact formats of RFC 3339. What Pact cannot state (an optional key, a union of
    two type-like alternatives, a non-string enum; in v3 also the v4-only matchers) is
    listed in ``metadata.accord.not_stated`` and the interaction's comments. The
    binding is kept in ``metadata.accord``: the consumer's version and branch, the
    reads, its ``source``, and each interaction as accord wrote it with the digest of its
    Pact form; :func:`import_pact` gives the same expectation back.

    Raises:
        DocumentError: ``doc`` is not a valid expectation (:func:`validate`).
        UsageError: ``pact-no-provider`` when the expectation names no provider;
            ``pact-v3-cannot-state`` for a synchronous message in a v3 export.
    """
    validate(doc)
    names = {slug: ext for ext, slug in doc.get("names", {}).items()}
    consumer = doc["consumer"]["name"]
    provider = doc.get("provider")
    if not provider:
        raise UsageError(
            f"the expectation of {consumer!r} names no provider: set its 'provider', or "
            "'provider' in the contract.toml of the contracts it reads",
            code="pact-no-provider",
        )
    interactions: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    recorded: list[dict[str, Any]] = []
    not_stated: list[dict[str, str]] = []
    for inter in doc.get("interactions", []):
        lost: list[str] = []
        out = _export_interaction(inter, lost)
        if spec == "v3":
            out = _to_v3(out, inter, lost)
        if lost:
            out["comments"] = {"text": [f"accord: {n}" for n in lost]}
            if spec == "v3":  # v3 has no comments
                out.pop("comments")
            not_stated += [{"interaction": inter["description"], "note": n} for n in lost]
        (messages if spec == "v3" and inter["type"] == "message" else interactions).append(out)
        recorded.append({"digest": _digest(out), "interaction": inter})
    accord: dict[str, Any] = {
        "expectation_format": FORMAT_VERSION,
        "consumer": doc["consumer"],
        "interactions": recorded,
    }
    for key in ("names", "reads", "source"):
        if doc.get(key):
            accord[key] = doc[key]
    if not_stated:
        accord["not_stated"] = not_stated
    pact: dict[str, Any] = {
        "consumer": {"name": names.get(consumer, consumer)},
        "provider": {"name": names.get(provider, provider)},
    }
    if interactions or not messages:
        pact["interactions"] = interactions
    if messages:
        pact["messages"] = messages
    version = "3.0.0" if spec == "v3" else "4.0"
    pact["metadata"] = {"pactSpecification": {"version": version}, "accord": accord}
    return pact


def _export_interaction(inter: dict[str, Any], lost: list[str]) -> dict[str, Any]:
    """One accord interaction in its Pact v4 form."""
    out: dict[str, Any] = {"description": inter["description"], "pending": False}
    if inter.get("provider_states"):
        out["providerStates"] = inter["provider_states"]
    if inter["type"] == "http":
        out["type"] = "Synchronous/HTTP"
        for side in ("request", "response"):
            part = inter[side]
            pact_part: dict[str, Any] = {}
            if side == "request":
                pact_part["method"] = part["method"]
                pact_part["path"] = part["path"]
                if part.get("query"):
                    pact_part["query"] = part["query"]
            else:
                pact_part["status"] = part["status"]
            headers = {k: [v] for k, v in part.get("headers", {}).items()}
            rules, content = _part_rules(part, lost)
            if "body" in part:
                headers.setdefault("Content-Type", ["application/json"])
                pact_part["body"] = _v4_body(content)
            if headers:
                pact_part["headers"] = headers
            if rules:
                pact_part["matchingRules"] = rules
            if part.get("generators"):
                pact_part["generators"] = part["generators"]
            out[side] = pact_part
    elif inter["type"] == "message":
        out["type"] = "Asynchronous/Messages"
        rules, content = _part_rules(inter, lost)
        out["contents"] = _v4_body(content)
        out["metadata"] = {"contentType": "application/json", **inter.get("metadata", {})}
        if rules:
            out["matchingRules"] = rules
        if inter.get("generators"):
            out["generators"] = inter["generators"]
    else:
        out["type"] = "Synchronous/Messages"

        def msg_part(p: dict[str, Any]) -> dict[str, Any]:
            rules, content = _part_rules(p, lost)
            res: dict[str, Any] = {"contents": _v4_body(content)}
            if p.get("metadata"):
                res["metadata"] = p["metadata"]
            if rules:
                res["matchingRules"] = rules
            return res

        out["request"] = msg_part(inter["request"])
        out["response"] = [msg_part(r) for r in inter.get("responses", [])]
    return out


#: v4-only matchers a v3 reader (the Ruby verifier) would ignore, and their v3 form.
_V3_REGEX = {"semver": SEMVER_REGEX}


def _to_v3(v4: dict[str, Any], inter: dict[str, Any], lost: list[str]) -> dict[str, Any]:
    """A v4 interaction in Pact v3's form: bodies as plain JSON, single-valued headers,
    ``timestamp``/``date``/``time`` keys for formats, messages as v3 messages; a
    v4-only matcher becomes its v3 equal (``semver`` a regex) or is listed in ``lost``."""
    if v4["type"] == "Synchronous/Messages":
        raise UsageError(
            f"interaction {inter['description']!r} is a synchronous message, which Pact v3 "
            "cannot state: export it as v4",
            code="pact-v3-cannot-state",
        )
    out: dict[str, Any] = {"description": v4["description"]}
    if v4.get("providerStates"):
        out["providerStates"] = v4["providerStates"]

    def part(p: dict[str, Any], body_key: str, out_key: str) -> dict[str, Any]:
        res: dict[str, Any] = {}
        for key, value in p.items():
            if key == body_key:
                res[out_key] = value["content"]
            elif key == "headers":
                res["headers"] = {k: ", ".join(v) for k, v in value.items()}
            elif key == "matchingRules":
                res["matchingRules"] = _v3_rules(value, lost)
            else:
                res[key] = value
        return res

    if v4["type"] == "Synchronous/HTTP":
        out["request"] = part(v4["request"], "body", "body")
        out["response"] = part(v4["response"], "body", "body")
    else:
        out.update(
            part(
                {
                    k: v4[k]
                    for k in v4
                    if k in ("contents", "metadata", "matchingRules", "generators")
                },
                "contents",
                "contents",
            )
        )
    return out


def _v3_rules(rules: dict[str, Any], lost: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cat, table in rules.items():
        if cat == "path":
            out[cat] = _v3_rule("path", table, lost)
        else:
            out[cat] = {path: _v3_rule(path, rule, lost) for path, rule in table.items()}
    return out


def _v3_rule(path: str, rule: dict[str, Any], lost: list[str]) -> dict[str, Any]:
    matchers = []
    for m in rule["matchers"]:
        kind = m["match"]
        if kind in ("timestamp", "date", "time"):
            matchers.append({"match": kind, kind: m["format"]})
        elif kind in _V3_REGEX:
            matchers.append({"match": "regex", "regex": _V3_REGEX[kind]})
        elif kind in ("notEmpty", "eachKey", "eachValue", "arrayContains"):
            # without a rule Pact would compare the example for equality: the type
            # match is the nearest v3 rule that accepts what the v4 one accepts
            matchers.append({"match": "type"})
            lost.append(f"{path}: the {kind} matcher is Pact v4 only; v3 states a type match")
        else:
            matchers.append(m)
    return {"combine": rule["combine"], "matchers": matchers}


def export_pacts(
    files: Sequence[tuple[str, dict[str, Any]]],
    provider_of: Callable[[dict[str, Any], dict[str, Any]], str | None],
    *,
    spec: str = "v4",
) -> dict[str, dict[str, Any]]:
    """One Pact file (v4, or ``spec="v3"``) per consumer-provider pair, by file name
    (``<consumer>-<provider>.json``, the slugs), from ``(file, expectation)`` pairs.

    Every interaction goes to the pair of its consumer and ``provider_of(doc,
    interaction)`` (the expectation's ``provider``, else ``contract.toml``'s; for an
    interaction without a body, the one provider of the file's other interactions): the
    interactions of one pair from several files are merged (Pact's identity:
    description + provider states; a changed duplicate is an error, never a last
    writer winning).

    Raises:
        UsageError: ``pact-no-provider`` for an interaction whose provider is unknown.
        DocumentError: ``expectation-conflict`` (a changed duplicate, or two versions or
            branches of one consumer), ``pact-name-collision`` (two pairs, one file name).
    """
    from accord.consumers._model import merge_interactions
    from accord.registry.names import is_valid_name, slugify

    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    stated: dict[tuple[str, str], dict[str, str]] = {}  # pair -> version/branch -> file
    folded: set[tuple[str, str, str]] = set()  # (pair, file) whose fields are in the pair
    sources: dict[tuple[str, str], list[Any]] = {}  # pair -> each file's `source`
    for file, doc in files:
        consumer = doc["consumer"]["name"]
        known = [provider_of(doc, inter) for inter in doc.get("interactions", [])]
        only = {p for p in known if p}
        for n, inter in enumerate(doc.get("interactions", [])):
            external = known[n] or (next(iter(only)) if len(only) == 1 else None)
            if not external:
                raise UsageError(
                    f"{file}: interaction {inter['description']!r} (/interactions/{n}) has no "
                    "provider: set the expectation's 'provider', or 'provider' in the "
                    "contract.toml of the contract it reads",
                    code="pact-no-provider",
                )
            # contract.toml's provider is free text: the pair (and the file name) use its
            # slug, the Pact file its own spelling
            provider = external if is_valid_name(external) else slugify(external)
            pair = pairs.setdefault(
                (consumer, provider),
                {
                    "format_version": FORMAT_VERSION,
                    "consumer": {"name": consumer},
                    "provider": provider,
                    "interactions": [],
                },
            )
            if (consumer, provider, file) not in folded:
                folded.add((consumer, provider, file))
                _fold_doc_fields(pair, doc, file, stated.setdefault((consumer, provider), {}))
                sources.setdefault((consumer, provider), []).append(doc.get("source"))
            if provider != external:
                pair["names"] = {**pair.get("names", {}), external: provider}
            pair["interactions"] = merge_interactions(pair["interactions"], [inter], file=file)
    out: dict[str, dict[str, Any]] = {}
    for (consumer, provider), doc in sorted(pairs.items()):
        # One source, where every file of the pair came from the same place (a round
        # trip gives it back); files from several places: none names them all.
        same = sources[consumer, provider]
        if same[0] and all(other == same[0] for other in same):
            doc["source"] = same[0]
        name = f"{consumer}-{provider}.json"
        if name in out:
            raise DocumentError(
                f"two consumer-provider pairs would both be written to {name}",
                code="pact-name-collision",
            )
        out[name] = export_pact(doc, spec=spec)
    return out


def _fold_doc_fields(
    pair: dict[str, Any], doc: dict[str, Any], file: str, seen: dict[str, str]
) -> None:
    """Add one file's consumer version/branch, names and reads to a pair's expectation."""
    from accord.core.jsondoc import canonical_dumps

    for key in ("version", "branch"):
        value = doc["consumer"].get(key)
        if value is None:
            continue
        held = pair["consumer"].get(key)
        if held is not None and held != value:
            raise DocumentError(
                f"{seen[key]} and {file} give consumer {pair['consumer']['name']!r} two "
                f"{key}s ({held!r}, {value!r}); one Pact file states one",
                code="expectation-conflict",
                file=file,
                pointer=f"/consumer/{key}",
            )
        pair["consumer"][key] = value
        seen[key] = file
    if doc.get("names"):
        pair["names"] = {**pair.get("names", {}), **doc["names"]}
    reads = pair.get("reads", [])
    held_reads = {canonical_dumps(r) for r in reads}
    reads += [r for r in doc.get("reads", []) if canonical_dumps(r) not in held_reads]
    if reads:
        pair["reads"] = reads


def maps_from_config(start: Path) -> list[MapEntry]:
    """``[tool.accord.pact] map = [...]`` of the nearest pyproject.toml that has it.

    Raises:
        ConfigError: the file is no regular UTF-8 TOML file within the size cap (read
            as accord.toml is), or the table is not a list of map strings.
    """
    from accord.registry.config import read_toml

    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            data = read_toml(candidate)
            tool = data.get("tool")
            accord = tool.get("accord") if isinstance(tool, dict) else None
            table = accord.get("pact") if isinstance(accord, dict) else None
            if table is None:
                continue
            entries = table.get("map", []) if isinstance(table, dict) else None
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                from accord.errors import ConfigError

                raise ConfigError(
                    "[tool.accord.pact] map must be a list of 'METHOD /path STATUS=ref' strings",
                    code="config-invalid-value",
                    file=str(candidate),
                    pointer="/tool/accord/pact/map",
                )
            return [parse_map(e) for e in entries]
    return []
