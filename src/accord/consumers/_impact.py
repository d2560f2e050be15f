"""Impact analysis: which consumers and fields a change breaks; the field-usage index.

For each change of a compatibility report that breaks a direction, every registered
consumer of the contract that would be served the new schema is classified: those
whose range contains the new version when it is known (a consumer on ``^1`` is never
served ``2.0.0``, so a major bump does not break it), else those whose range contains
the old version:

- ``breaks``: it relies on a field at or under the change's location and, when the new
  schema is given, its fields there are no longer satisfied (static verification of
  just those fields against the new schema); without the new schema, any non-optional
  field there counts;
- ``reads``: it reads the location but still holds (an optional field, say);
- ``does-not-read``: none of its fields touch the location;
- ``outside-range``: a consumer whose range does *not* contain the version it would be
  served reads the location (``billing`` reads ``$.name`` on ``^1``, and the new version
  is ``2.0.0``): it never breaks, and it is listed so that nobody reads "no consumer
  reads $.name" when one does, on another major.

A pending expectation (never verified, see :mod:`accord.consumers._records`) is listed
with ``pending: true`` and does not block under ``--consumers-only``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.compat import Change, Report
from accord.consumers._matchers import parse_path, path_to_pointer, pointer_overlaps
from accord.consumers._model import ExpectationFile, discover

__all__ = [
    "ConsumerImpact",
    "FieldUse",
    "annotate",
    "consumers_only_blocking",
    "describe",
    "field_usage",
    "impact",
]


@dataclass(frozen=True, slots=True)
class FieldUse:
    """One field a consumer relies on (a row of the field-usage index)."""

    consumer: str
    contract: str  # the reference as written (with its range)
    path: str
    pointer: str
    reads_as: str
    role: str
    label: str
    file: str
    optional: bool
    nullable: bool
    pending: bool

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class ConsumerImpact:
    """How one change affects one consumer (what ``Change.consumers`` holds)."""

    consumer: str
    status: str  # "breaks", "reads", "does-not-read"
    fields: tuple[str, ...] = ()
    reads_as: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    pending: bool = False
    # The commit whose expectation this is, when it is not the work tree's: a base whose
    # expectation the change under review deletes or edits (see ``annotate``).
    as_on: str | None = None
    # ``outside-range`` only: the consumer's ranges (``^1``) and the version it would be
    # served, which they do not contain.
    ranges: tuple[str, ...] = ()
    version: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "consumer": self.consumer,
            "status": self.status,
            "fields": list(self.fields),
            "reads_as": list(self.reads_as),
            "files": list(self.files),
            "pending": self.pending,
        }
        if self.as_on is not None:  # only then: the usual shape is unchanged
            out["as_on"] = self.as_on
        if self.status == "outside-range":
            out["ranges"] = list(self.ranges)
            out["version"] = self.version
        return out


_WORDS = {
    "like": "{t}",
    "string": "string",
    "number": "number",
    "integer": "integer",
    "decimal": "decimal",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
    "equals": "exactly {v}",
    "regex": "string matching /{r}/",
    "enum": "one of {vs}",
    "date": "date",
    "time": "time",
    "datetime": "date-time",
}


def reads_as(f: dict[str, Any]) -> str:
    """``non-null string``, ``optional integer``, ``nullable one of ["a", "b"]``, ..."""
    import json

    kind = f.get("match", "any")
    template = _WORDS.get(kind, kind.replace("_", " "))
    example = f.get("example")
    t = {
        type(None): "null",
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }.get(type(example), "value")
    text: str = str(template).format(
        t=t, v=json.dumps(f.get("value")), r=f.get("regex", ""), vs=json.dumps(f.get("values"))
    )
    prefix = [
        "optional" if f.get("optional") else "",
        "nullable" if f.get("nullable") else "non-null",
    ]
    return " ".join(p for p in prefix if p) + " " + text


def _in_range(ref_text: str, version: str | None) -> bool:
    if version is None:
        return True
    from accord.registry.names import ContractRef
    from accord.versions import Version

    ref = ContractRef.parse(ref_text.removeprefix("accord://"))
    return ref.range is None or ref.range.contains(Version.parse(version))


def field_usage(
    registry_root: Path,
    contract_id: str,
    *,
    old_version: str | None = None,
    new_version: str | None = None,
    expectations: Sequence[ExpectationFile] | None = None,
    also_verified: Collection[tuple[str, str]] = (),
) -> list[FieldUse]:
    """Every field of every registered consumer of ``contract_id`` (the usage index):
    of the consumers whose range contains ``new_version`` when given, else
    ``old_version`` when given, else of all of them.

    ``also_verified``: ``(consumer, digest)`` pairs verified besides the registry's own
    records (the gate: those of records the change under review deletes or edits)."""
    files = list(expectations) if expectations is not None else discover(registry_root)
    inside, _ = _usage(registry_root, contract_id, new_version or old_version, files, also_verified)
    return inside


def _usage(
    registry_root: Path,
    contract_id: str,
    version: str | None,
    files: Sequence[ExpectationFile],
    also_verified: Collection[tuple[str, str]],
) -> tuple[list[FieldUse], list[FieldUse]]:
    """:func:`field_usage` of the consumers whose range contains ``version``, and of
    those whose range does not (one pass over the files and the records)."""
    from accord.consumers._records import is_pending, load_records, verified_digests

    verified = verified_digests(load_records(registry_root)) | set(also_verified)
    inside: list[FieldUse] = []
    outside: list[FieldUse] = []
    for ef in files:
        pending = is_pending(ef.consumer, ef.digest, verified, content_digest=ef.content_digest)
        for body in ef.bodies():
            if body.contract is None or body.contract.split("@")[0] != contract_id:
                continue
            rows = inside if _in_range(body.contract, version) else outside
            for f in body.fields:
                rows.append(
                    FieldUse(
                        consumer=ef.consumer,
                        contract=body.contract,
                        path=f["path"],
                        pointer=path_to_pointer(parse_path(f["path"])),
                        reads_as=reads_as(f),
                        role=body.role,
                        label=body.label,
                        file=ef.file,
                        optional=bool(f.get("optional")),
                        nullable=bool(f.get("nullable")),
                        pending=pending,
                    )
                )

    def order(r: FieldUse) -> tuple[str, str, str]:
        return (r.path, r.consumer, r.label)

    return sorted(inside, key=order), sorted(outside, key=order)


def _still_holds(new: Any, fields: list[dict[str, Any]], role: str) -> bool:
    from accord.consumers._static import verify_body

    return verify_body(new, fields, role).verdict == "proven"


def _breaking(report: Report) -> list[Change]:
    return [c for c in report.changes if c.breaks]


def impact(
    registry_root: Path,
    contract_id: str,
    report: Report,
    *,
    old_version: str | None = None,
    new_version: str | None = None,
    new_schema: Any = None,
    expectations: Sequence[ExpectationFile] | None = None,
    also_verified: Collection[tuple[str, str]] = (),
) -> list[tuple[Change, tuple[ConsumerImpact, ...]]]:
    """For every change that breaks a direction, how each registered consumer fares
    (the consumers :func:`field_usage` selects with the two versions)."""
    files = list(expectations) if expectations is not None else discover(registry_root)
    usage, elsewhere = _usage(
        registry_root, contract_id, new_version or old_version, files, also_verified
    )
    consumers = sorted({u.consumer for u in usage})
    # Consumers on ranges without the new version (when it is known), none of whose
    # expectations is on a range with it (such a consumer is judged with those above).
    outside = (
        [u for u in elsewhere if u.consumer not in consumers] if new_version is not None else []
    )
    by_file = {ef.file: ef for ef in files}
    out: list[tuple[Change, tuple[ConsumerImpact, ...]]] = []
    for change in _breaking(report):
        impacts: list[ConsumerImpact] = []
        for consumer in consumers:
            mine = [u for u in usage if u.consumer == consumer]
            touched = [u for u in mine if _touches(u, change, new_schema)]
            written = _written_elsewhere(mine, touched, by_file, new_schema, change)
            pending = all(u.pending for u in mine)
            if not touched and not written:
                impacts.append(ConsumerImpact(consumer, "does-not-read", pending=pending))
                continue
            broken = _broken(touched, by_file, new_schema) + written
            touched += written
            status = "breaks" if broken else "reads"
            shown = broken or touched
            impacts.append(
                ConsumerImpact(
                    consumer,
                    status,
                    fields=tuple(dict.fromkeys(u.path for u in shown)),
                    reads_as=tuple(dict.fromkeys(u.reads_as for u in shown)),
                    files=tuple(sorted({u.file for u in shown})),
                    pending=all(u.pending for u in shown),
                )
            )
        impacts += _outside(outside, change, new_schema, new_version)
        out.append((change, tuple(impacts)))
    return out


def _outside(
    usage: list[FieldUse], change: Change, new_schema: Any, version: str | None
) -> list[ConsumerImpact]:
    """An ``outside-range`` impact for each consumer in ``usage`` (none of whose ranges
    contains ``version``) that reads ``change``'s location."""
    out: list[ConsumerImpact] = []
    for consumer in sorted({u.consumer for u in usage}):
        touched = [u for u in usage if u.consumer == consumer and _touches(u, change, new_schema)]
        if not touched:
            continue
        out.append(
            ConsumerImpact(
                consumer,
                "outside-range",
                fields=tuple(dict.fromkeys(u.path for u in touched)),
                reads_as=tuple(dict.fromkeys(u.reads_as for u in touched)),
                files=tuple(sorted({u.file for u in touched})),
                pending=all(u.pending for u in touched),
                ranges=tuple(dict.fromkeys(_range_of(u.contract) for u in touched)),
                version=version,
            )
        )
    return out


def _touches(u: FieldUse, change: Change, new_schema: Any) -> bool:
    """Whether the field reads ``change``'s location: at or under its instance path, or
    through a ``$ref`` to the definition it changes (:func:`_through`)."""
    where = "" if change.instance_path in ("", "/") else change.instance_path
    return pointer_overlaps(u.pointer, where) or _through(u, change, new_schema)


def _range_of(ref_text: str) -> str:
    """``^1`` of ``users.user@^1`` (what the consumer wrote after the ``@``)."""
    return ref_text.removeprefix("accord://").partition("@")[2] or "*"


def _in_definition(schema_path: str) -> bool:
    """Whether a change lies in a definition (``/$defs/Address/...``), which every
    ``$ref`` to it reaches while the change names one of those instance paths; a path
    that is not a local pointer (another document) counts too."""
    parts = schema_path.split("/")
    return not schema_path.startswith("/") or (
        len(parts) >= 3 and parts[1] in ("$defs", "definitions")
    )


def _through(u: FieldUse, change: Change, schema: Any) -> bool:
    """Whether the field reads the location of ``change`` (in a definition) through the
    ``$ref``s of ``schema``: the change lies under the schema node the field's path ends
    at, or is on a node the path passes (its own keywords, not another child's). True
    wherever the walk cannot tell, since a touched field is then judged exactly
    (:func:`_broken`)."""
    at = change.schema_path
    if not _in_definition(at):
        return False
    if not at.startswith("/") or not isinstance(schema, dict):
        return True
    visited = _walk(schema, parse_path(u.path))
    if visited is None:
        return True
    *passed, last = visited
    if at == last or at.startswith(last + "/"):
        return True
    return any(
        at.startswith(node + "/") and at[len(node) + 1 :].split("/")[0] not in _CHILDREN
        for node in passed
    )


# Keywords holding the schemas of children: a change under one of them at a node the
# field only passes concerns another child (the field's own step is walked on).
_CHILDREN = frozenset(
    (
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
        "items",
        "prefixItems",
        "contains",
        "unevaluatedItems",
        "$defs",
        "definitions",
    )
)

# Keywords under which a field's schema is not one path away (the walk cannot tell).
_BRANCHING = frozenset(
    ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "$dynamicRef")
)


def _walk(schema: dict[str, Any], tokens: Sequence[Any]) -> list[str] | None:
    """The schema nodes (pointers) a field path goes through, local ``$ref``s followed
    (the node holding a ``$ref`` and its target both), ending at the field's own node;
    ``None`` where that is not one path (a combinator, a map, a ``$ref`` elsewhere)."""
    from accord.core.pointer import escape, fragment, lookup

    node: Any = schema
    where = ""
    visited: list[str] = []
    for i in range(len(tokens) + 1):
        for _ in range(64):  # a chain of $refs (a cycle ends here: cannot tell)
            visited.append(where)
            ref = node.get("$ref") if isinstance(node, dict) else None
            if ref is None:
                break
            target = fragment(ref) if isinstance(ref, str) else None
            found, node = lookup(schema, target) if target is not None else (False, None)
            if not found:
                return None
            where = target or ""
        else:
            return None
        if i == len(tokens):
            return visited
        if not isinstance(node, dict) or any(k in node for k in _BRANCHING):
            return None
        kind, arg = tokens[i]
        props, prefix = node.get("properties"), node.get("prefixItems")
        if kind == "key" and isinstance(props, dict) and arg in props:
            where, node = f"{where}/properties/{escape(arg)}", props[arg]
        elif kind == "index" and isinstance(prefix, list) and arg < len(prefix):
            where, node = f"{where}/prefixItems/{arg}", prefix[arg]
        elif kind in ("index", "items") and "items" in node:
            where, node = f"{where}/items", node["items"]
        else:
            return None
    return visited


def _body_of(u: FieldUse, by_file: dict[str, ExpectationFile]) -> Any:
    ef = by_file[u.file]
    return next(b for b in ef.bodies() if b.label == u.label and b.contract == u.contract)


def _written_elsewhere(
    mine: list[FieldUse],
    touched: list[FieldUse],
    by_file: dict[str, ExpectationFile],
    new_schema: Any,
    change: Change,
) -> list[FieldUse]:
    """One row per request body the consumer writes that ``change`` breaks although none
    of its fields is at the change's location: a key newly required, say, which the
    consumer never sends. Only a change breaking backward (old writers, new readers)
    can; such a body is then judged whole against the new schema (without it, broken).
    """
    if "backward" not in change.breaks:
        return []
    seen = {(u.file, u.label, u.contract) for u in touched if u.role == "writes"}
    out: list[FieldUse] = []
    for u in mine:
        key = (u.file, u.label, u.contract)
        if u.role != "writes" or key in seen:
            continue
        seen.add(key)
        body = _body_of(u, by_file)
        if new_schema is None or not _still_holds(new_schema, list(body.fields), "writes"):
            paths = ", ".join(f["path"] for f in body.fields)
            shown = f"a request body it writes with only {paths}"
            out.append(dataclasses.replace(u, path="$", pointer="", reads_as=shown))
    return out


def _broken(
    touched: list[FieldUse], by_file: dict[str, ExpectationFile], new_schema: Any
) -> list[FieldUse]:
    if new_schema is None:
        return [u for u in touched if not u.optional]
    broken: list[FieldUse] = []
    for u in touched:
        body = _body_of(u, by_file)
        fields = [f for f in body.fields if f["path"] == u.path]
        # keep the field's ancestors so optional parents excuse it as they do in the body
        prefix_fields = [
            f
            for f in body.fields
            if u.pointer.startswith(path_to_pointer(parse_path(f["path"])) + "/")
        ]
        if not _still_holds(new_schema, prefix_fields + fields, u.role):
            broken.append(u)
    return broken


def annotate(
    report: Report,
    registry_root: Path,
    contract_id: str,
    *,
    old_version: str | None = None,
    new_version: str | None = None,
    new_schema: Any = None,
    expectations: Sequence[ExpectationFile] | None = None,
    as_on: str | None = None,
    also_verified: Collection[tuple[str, str]] = (),
) -> Report:
    """A copy of ``report`` whose breaking changes carry their :class:`ConsumerImpact` list.

    ``as_on``: ``expectations`` are those a base commit (this ref) held and the change
    under review deletes or edits; the consumers they show broken are added to the
    impacts already listed (marked ``as_on``), in place of a non-breaking impact of the
    same consumer, so the expectation still protects its consumer in that change.
    ``also_verified``: as :func:`field_usage` takes it.
    """
    found: dict[int, tuple[ConsumerImpact, ...]] = {}
    for change, impacts in impact(
        registry_root,
        contract_id,
        report,
        old_version=old_version,
        new_version=new_version,
        new_schema=new_schema,
        expectations=expectations,
        also_verified=also_verified,
    ):
        found[id(change)] = impacts if as_on is None else _as_on(change, impacts, as_on)
    changes = tuple(
        dataclasses.replace(c, consumers=found[id(c)]) if id(c) in found else c
        for c in report.changes
    )
    return dataclasses.replace(report, changes=changes)


def _as_on(
    change: Change, impacts: Sequence[ConsumerImpact], ref: str
) -> tuple[ConsumerImpact, ...]:
    """``change``'s impacts with those of another commit's expectations that break."""
    hurt = [dataclasses.replace(i, as_on=ref) for i in impacts if i.status == "breaks"]
    names = {i.consumer for i in hurt}
    kept = [i for i in change.consumers if i.status == "breaks" or i.consumer not in names]
    return (*kept, *hurt)


def consumers_only_blocking(report: Report) -> tuple[Change, ...]:
    """Changes that break a registered, non-pending consumer (``--consumers-only``)."""
    return tuple(
        c
        for c in report.changes
        if any(
            isinstance(i, ConsumerImpact) and i.status == "breaks" and not i.pending
            for i in c.consumers
        )
    )


def describe(change: Change, impacts: Sequence[ConsumerImpact] | None = None) -> str:
    """``removing $.email breaks billing (reads it as non-null string) and crm; search
    does not read it`` — or ``no registered consumer reads $.email``."""
    from accord.core.pointer import pointer_to_json_path

    items = list(impacts if impacts is not None else change.consumers)
    where = (
        pointer_to_json_path(change.instance_path.replace("*", "0"))
        if change.instance_path not in ("", "/")
        else "$"
    )
    where = where.replace("[0]", "[*]")
    verb = "removing" if change.rule.endswith("removed") else f"{change.rule} at"
    breaks = [i for i in items if i.status == "breaks"]
    reads = [i for i in items if i.status == "reads"]
    others = [i for i in items if i.status == "does-not-read"]
    outside = [i for i in items if i.status == "outside-range"]
    if not breaks and not reads and not outside:
        return f"no registered consumer reads {where}" + (
            f" ({', '.join(i.consumer for i in others)} read other fields)" if others else ""
        )
    parts = []
    if breaks:
        named = [
            f"{i.consumer} ({_whose(i)}reads {', '.join(i.fields)} as {', '.join(i.reads_as)})"
            + (" [pending]" if i.pending else "")
            for i in breaks
        ]
        parts.append(f"{verb} {where} breaks " + _and(named))
    else:
        parts.append(f"{verb} {where} breaks no registered consumer")
    if reads:
        parts.append(_and([i.consumer for i in reads]) + " read it and still hold")
    if others:
        parts.append(
            _and([i.consumer for i in others])
            + (" does" if len(others) == 1 else " do")
            + " not read it"
        )
    if outside:
        # "billing reads $.name on ^1, which 2.0.0 is not in": it reads the field, on a
        # major the new version is not served to.
        named = [
            f"{i.consumer} reads {', '.join(i.fields)} on {', '.join(i.ranges)}" for i in outside
        ]
        parts.append(_and(named) + f", which {outside[0].version} is not in")
    return "; ".join(parts)


def _whose(i: ConsumerImpact) -> str:
    """``expectation as on main: consumers/billing/users.json; `` for an expectation of
    a base commit that the change deletes or edits, else nothing."""
    if i.as_on is None:
        return ""
    return f"expectation as on {i.as_on}: {', '.join(i.files)}; "


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
