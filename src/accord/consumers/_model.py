"""The expectation format: reading, validating, writing and walking expectation files.

An expectation file (``<registry>/consumers/<consumer>/<name>.json``) is JSON valid
under ``expectation.schema.json`` (shipped beside this module, format_version 1)::

    {"format_version": 1,
     "consumer": {"name": "billing", "version": "1.4.0", "branch": "main"},
     "provider": "users-service",                # optional
     "names": {"Billing Service": "billing"},    # external name -> slug (Pact imports)
     "reads": [{"contract": "orders.order-placed@^1",
                "fields": [{"path": "$.total.amount", "match": "like", "example": 12.5}]}],
     "interactions": [
       {"type": "http", "description": "get user 123",
        "provider_states": [{"name": "user 123 exists", "params": {"id": 123}}],
        "request": {"method": "GET", "path": "/users/123"},
        "response": {"status": 200,
                     "body": {"contract": "users.user@^1", "example": {"name": "Ada"},
                              "fields": [{"path": "$.name", "match": "string"}]}}},
       {"type": "message", "description": "an order.placed event",
        "metadata": {"contract": "orders.order-placed@^1"},
        "body": {"contract": "orders.order-placed@^1", "fields": [...]}}]}

A *body* names the contract it is an instance of and lists *fields* (a matcher, its
JSON path, ``optional`` and ``nullable``). Bodies the consumer receives (``reads``,
HTTP responses, messages, sync-message responses) are *read*; request bodies (HTTP
requests, sync-message requests) are *written*.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from accord.core import pointer as _pointer
from accord.errors import DocumentError

__all__ = [
    "CONSUMERS_DIR",
    "FORMAT_VERSION",
    "Body",
    "ExpectationFile",
    "discover",
    "dump",
    "expectation_paths",
    "expectation_schema",
    "from_bytes",
    "interaction_key",
    "iter_bodies",
    "load",
    "locked_dir",
    "merge",
    "merge_interactions",
    "merge_into_file",
    "of_consumer",
    "refuse_by_schema",
    "validate",
]

FORMAT_VERSION = 1
CONSUMERS_DIR = "consumers"

Role = Literal["reads", "writes"]


@cache
def expectation_schema() -> dict[str, Any]:
    """The JSON Schema of the expectation format (``expectation.schema.json``)."""
    text = (Path(__file__).with_name("expectation.schema.json")).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def refuse_by_schema(schema: Any, doc: Any, *, what: str, code: str, file: str | None) -> None:
    """Refuse ``doc`` where ``schema`` rejects it: ``DocumentError(code)`` naming the
    deepest error and its JSON pointer (a oneOf/allOf wrapper above it says less; among
    equally deep ones, the first message in order, so the choice is stable)."""
    from accord.core.pointer import from_parts
    from accord.validation.reference import reference_validator

    errors = sorted(
        reference_validator(schema).iter_errors(doc),
        key=lambda e: (len(list(e.instance_path)), e.message),
    )
    if errors:
        best = max(errors, key=lambda e: len(list(e.instance_path)))
        pointer = from_parts(list(best.instance_path))
        raise DocumentError(
            f"not {what}: {best.message} (at {pointer or '/'})",
            code=code,
            file=file,
            pointer=pointer,
        )


def validate(doc: Any, *, file: str | None = None) -> None:
    """Check ``doc`` against the format's schema and the rules a schema cannot state.

    Raises:
        DocumentError: code ``expectation-invalid`` (schema), ``expectation-bad-path``,
            ``expectation-bad-regex`` or ``expectation-bad-reference``, with the file and
            the JSON pointer at fault.
    """
    refuse_by_schema(
        expectation_schema(), doc, what="a valid expectation", code="expectation-invalid", file=file
    )
    _check_keys(doc.get("interactions", []), file)
    for body in iter_bodies(doc):
        _check_body(body, file)
    for n, inter in enumerate(doc.get("interactions", [])):
        for side in ("request", "response"):
            part = inter.get(side)
            matchers = part.get("matchers", {}) if isinstance(part, dict) else {}
            base = f"/interactions/{n}/{side}/matchers"
            for m, matcher in enumerate(matchers.get("path", [])):
                _check_regexes(matcher, file, f"{base}/path/{m}")
            for category in ("query", "header"):
                for name, listed in matchers.get(category, {}).items():
                    where = _pointer.join(f"{base}/{category}", name)
                    for m, matcher in enumerate(listed):
                        _check_regexes(matcher, file, f"{where}/{m}")


def _check_keys(interactions: Sequence[Mapping[str, Any]], file: str | None) -> None:
    """Refuse a second interaction with the key of an earlier one (a pair keeps one per
    description and provider states; the second would contradict or repeat the first)."""
    first: dict[tuple[str, str], int] = {}
    for n, inter in enumerate(interactions):
        key = interaction_key(inter)
        if key in first:
            raise DocumentError(
                f"interaction {_shown_key(key)} is recorded twice (/interactions/"
                f"{first[key]} and /interactions/{n}); a consumer-provider pair keeps one "
                "interaction per description and provider states: rename one",
                code="expectation-conflict",
                file=file,
                pointer=f"/interactions/{n}",
            )
        first[key] = n


def _check_body(body: Body, file: str | None) -> None:
    from accord.consumers._matchers import parse_path
    from accord.errors import InvalidReference
    from accord.registry.names import ContractRef

    if body.contract is not None:
        try:
            ContractRef.parse(body.contract)
        except InvalidReference as exc:
            raise DocumentError(
                f"bad contract reference: {exc.message}",
                code="expectation-bad-reference",
                file=file,
                pointer=body.pointer + "/contract",
            ) from None
    for n, f in enumerate(body.fields):
        pointer = f"{body.pointer}/fields/{n}"
        parse_path(f["path"], file=file, pointer=pointer + "/path")
        _check_regexes(f, file, pointer)


def _check_regexes(matcher: Mapping[str, Any], file: str | None, pointer: str) -> None:
    """Refuse a regex of ``matcher`` (or of one it holds) that regress cannot compile:
    checked here, it would otherwise fail inside a verification or the stub."""
    from accord.consumers._matchers import regex_problem

    for regex in _regexes(matcher):
        why = regex_problem(regex)
        if why is not None:
            raise DocumentError(
                f"regex {regex!r} is not a valid ECMA-262 pattern: {why}",
                code="expectation-bad-regex",
                file=file,
                pointer=pointer,
            )


def _regexes(matcher: Mapping[str, Any]) -> Iterator[str]:
    if matcher.get("match") == "regex":
        yield str(matcher["regex"])
    for sub in matcher.get("matchers", []):
        yield from _regexes(sub)
    for variant in matcher.get("variants", []):
        for sub in variant.get("fields", []):
            yield from _regexes(sub)


@dataclass(frozen=True, slots=True)
class Body:
    """One body of an expectation: the contract, the fields, and whether it is read.

    Attributes:
        contract: The contract reference (``users.user@^1``), or ``None`` when unbound.
        role: ``reads`` (responses, messages, ``reads``) or ``writes`` (request bodies).
        fields: The fields (matchers with paths), as stored.
        example: The example payload, when one is stored.
        pointer: JSON pointer of the body in its file.
        label: ``reads``, or the interaction's description and part.
    """

    contract: str | None
    role: Role
    fields: tuple[dict[str, Any], ...]
    example: Any
    pointer: str
    label: str
    has_example: bool = False


def _body(raw: dict[str, Any], role: Role, pointer: str, label: str) -> Body:
    return Body(
        contract=raw.get("contract"),
        role=role,
        fields=tuple(raw.get("fields", [])),
        example=raw.get("example"),
        pointer=pointer,
        label=label,
        has_example="example" in raw,
    )


def iter_bodies(doc: dict[str, Any]) -> Iterator[Body]:
    """Every body of an expectation, in file order."""
    for n, raw in enumerate(doc.get("reads", [])):
        yield _body(raw, "reads", f"/reads/{n}", "reads")
    for n, inter in enumerate(doc.get("interactions", [])):
        base = f"/interactions/{n}"
        desc = inter.get("description", "")
        kind = inter.get("type")
        if kind == "http":
            request, response = inter.get("request", {}), inter.get("response", {})
            if "body" in request:
                yield _body(request["body"], "writes", f"{base}/request/body", f"{desc} (request)")
            if "body" in response:
                status = response.get("status")
                yield _body(
                    response["body"], "reads", f"{base}/response/body", f"{desc} ({status})"
                )
        elif kind == "message":
            yield _body(inter["body"], "reads", f"{base}/body", desc)
        elif kind == "sync-message":
            yield _body(
                inter["request"]["body"], "writes", f"{base}/request/body", f"{desc} (request)"
            )
            for m, resp in enumerate(inter.get("responses", [])):
                yield _body(
                    resp["body"], "reads", f"{base}/responses/{m}/body", f"{desc} (response {m})"
                )


@dataclass(frozen=True, slots=True)
class ExpectationFile:
    """An expectation file read from a registry.

    Attributes:
        consumer: The consumer's name.
        file: Path relative to the registry root (``consumers/billing/users.json``).
        path: Absolute path.
        digest: ``sha256:<hex>`` of the canonical form (what verification records cite).
        doc: The parsed, validated document.
        content_digest: ``sha256:<hex>`` of the expectation's content, without the
            consumer's version and branch and the ``source`` note
            (:func:`content_digest_of`): a verification result applies to every
            consumer version with the same content, as the Pact Broker's content-sha
            reuse does.
    """

    consumer: str
    file: str
    path: Path
    digest: str
    doc: dict[str, Any]
    content_digest: str = ""

    def bodies(self) -> Iterator[Body]:
        """Every body, in file order."""
        return iter_bodies(self.doc)


def dump(doc: dict[str, Any]) -> bytes:
    """The canonical bytes of an expectation: sorted keys, 2-space indent, newline."""
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def digest_of(doc: dict[str, Any]) -> str:
    """``sha256:<hex>`` of the canonical compact form (independent of formatting)."""
    import hashlib

    from accord.core.jsondoc import canonical_dumps

    return "sha256:" + hashlib.sha256(canonical_dumps(doc).encode()).hexdigest()


def content_digest_of(doc: dict[str, Any]) -> str:
    """:func:`digest_of` the content alone: interactions, reads and matchers, not the
    consumer's version or branch, nor where the expectation came from (``source``)."""
    consumer = {"name": doc.get("consumer", {}).get("name")}
    return digest_of({**{k: v for k, v in doc.items() if k != "source"}, "consumer": consumer})


def load(path: Path, *, root: Path | None = None) -> ExpectationFile:
    """Read and validate one expectation file.

    Raises:
        DocumentError: malformed JSON or an invalid expectation (file and pointer set).
    """
    from accord.core.jsondoc import load_path

    shown = path.relative_to(root).as_posix() if root is not None else path.as_posix()
    try:
        doc = load_path(path)
    except DocumentError as exc:
        exc.file = shown
        raise
    return _validated(doc, shown, path)


def from_bytes(raw: bytes, *, file: str, path: Path) -> ExpectationFile:
    """Read and validate an expectation file's bytes taken from elsewhere than its path
    on disk (the gate reads those of a base commit from git).

    Raises:
        DocumentError: malformed JSON or an invalid expectation (``file`` and pointer set).
    """
    from accord.core.jsondoc import loads

    return _validated(loads(raw, file=file), file, path)


def _validated(doc: Any, file: str, path: Path) -> ExpectationFile:
    validate(doc, file=file)
    return ExpectationFile(
        consumer=doc["consumer"]["name"],
        file=file,
        path=path,
        digest=digest_of(doc),
        doc=doc,
        content_digest=content_digest_of(doc),
    )


def discover(root: str | Path, *, consumer: str | None = None) -> list[ExpectationFile]:
    """Every expectation under ``<root>/consumers/`` (of ``consumer`` only), sorted by file.

    Raises:
        DocumentError: the first invalid file (bad input is never skipped silently).
        UsageError: ``consumer-unknown``: ``consumer`` has no expectation file.
    """
    root = Path(root)
    found = [load(p, root=root) for p in expectation_paths(root)]
    return of_consumer(found, consumer)


def expectation_paths(root: Path) -> list[Path]:
    """The expectation files under ``<root>/consumers/``, sorted: regular ``*.json``
    files (symlinks and special files there are the registry walk's to report)."""
    base = root / CONSUMERS_DIR
    paths = sorted(base.rglob("*.json")) if base.is_dir() else []
    return [p for p in paths if p.is_file() and not p.is_symlink()]


def of_consumer(files: Sequence[ExpectationFile], consumer: str | None) -> list[ExpectationFile]:
    """The expectation files of ``consumer`` (all of them when None).

    A consumer filter that matches nothing is a typo, not "nothing to check": it would
    verify or export nothing and succeed. So is one whose files expect nothing (no
    interaction, no ``reads``).

    Raises:
        UsageError: ``consumer-unknown``, naming the closest consumer that has files.
    """
    if consumer is None:
        return list(files)
    mine = [ef for ef in files if ef.consumer == consumer]
    if not mine:
        from accord.core.text import did_you_mean
        from accord.errors import UsageError

        hint = did_you_mean(
            consumer, (ef.consumer for ef in files), none="no consumer has expectations"
        )
        raise UsageError(f"unknown consumer {consumer!r}{hint}", code="consumer-unknown")
    if not any(ef.doc.get("interactions") or ef.doc.get("reads") for ef in mine):
        # Files expecting nothing (written with nothing recorded) select nothing either.
        from accord.errors import UsageError

        raise UsageError(
            f"unknown consumer {consumer!r}: its expectation files "
            f"({', '.join(ef.file for ef in mine)}) hold no interaction and no reads",
            code="consumer-unknown",
        )
    return mine


# -- one consumer-provider pair is one file that accumulates interactions --------------


def interaction_key(inter: Mapping[str, Any]) -> tuple[str, str]:
    """Pact's identity of an interaction: its description and its provider states."""
    from accord.core.jsondoc import canonical_dumps

    return str(inter.get("description", "")), canonical_dumps(inter.get("provider_states") or [])


def _shown_key(key: tuple[str, str]) -> str:
    states = json.loads(key[1])
    given = ", ".join(str(s.get("name")) for s in states) if states else "no provider state"
    return f"{key[0]!r} ({given})"


def merge_interactions(
    stored: Sequence[Mapping[str, Any]],
    incoming: Sequence[Mapping[str, Any]],
    *,
    file: str | None = None,
    replace: bool | Callable[[tuple[str, str]], bool] = False,
) -> list[dict[str, Any]]:
    """``stored`` plus every interaction of ``incoming`` not already there, in order.

    An interaction with the key (description + provider states) of a stored one and the
    same content is the same interaction; with different content it is a conflict
    (as Pact's merge), unless ``replace`` allows the key (the user asked to replace).

    Raises:
        DocumentError: code ``expectation-conflict``, naming the interaction and the file.
    """
    from accord.core.jsondoc import canonical_dumps

    out = [dict(i) for i in stored]
    index = {interaction_key(i): n for n, i in enumerate(out)}
    for inter in incoming:
        key = interaction_key(inter)
        n = index.get(key)
        if n is None:
            index[key] = len(out)
            out.append(dict(inter))
        elif canonical_dumps(out[n]) != canonical_dumps(inter):
            allowed = replace(key) if callable(replace) else replace
            if not allowed:
                raise DocumentError(
                    f"interaction {_shown_key(key)} is already recorded with different "
                    "content; a consumer-provider pair keeps one interaction per "
                    "description and provider states: rename one, or replace the "
                    "recorded one explicitly (`pytest --accord-replace-expectations`, "
                    "`accord pact import --replace`, or `write(..., replace=True)`)",
                    code="expectation-conflict",
                    file=file,
                    pointer=f"/interactions/{n}",
                )
            out[n] = dict(inter)
    return out


def merge(
    stored: Mapping[str, Any],
    incoming: Mapping[str, Any],
    *,
    file: str | None = None,
    replace: bool | Callable[[tuple[str, str]], bool] = False,
) -> dict[str, Any]:
    """One expectation holding both documents' reads and interactions (nothing dropped).

    The consumer's version and branch, and the source, are the incoming document's
    where it states them (the newest write names the consumer version).

    Raises:
        DocumentError: ``expectation-conflict`` for another consumer or provider, or an
            interaction recorded with different content (see :func:`merge_interactions`).
    """
    from accord.core.jsondoc import canonical_dumps

    for what in ("consumer", "provider"):
        a = stored.get(what)
        b = incoming.get(what)
        a = a.get("name") if isinstance(a, dict) else a
        b = b.get("name") if isinstance(b, dict) else b
        if a and b and a != b:
            raise DocumentError(
                f"cannot merge the expectation of {what} {b!r} into the one of {a!r}",
                code="expectation-conflict",
                file=file,
                pointer=f"/{what}",
            )
    out: dict[str, Any] = {**stored, "consumer": {**stored["consumer"], **incoming["consumer"]}}
    if incoming.get("provider"):
        out["provider"] = incoming["provider"]
    if names := {**stored.get("names", {}), **incoming.get("names", {})}:
        out["names"] = names
    if incoming.get("source"):
        out["source"] = incoming["source"]
    reads = list(stored.get("reads", []))
    seen = {canonical_dumps(r) for r in reads}
    reads += [r for r in incoming.get("reads", []) if canonical_dumps(r) not in seen]
    if reads:
        out["reads"] = reads
    interactions = merge_interactions(
        stored.get("interactions", []),
        incoming.get("interactions", []),
        file=file,
        replace=replace,
    )
    if interactions:
        out["interactions"] = interactions
    validate(out, file=file)
    return out


@contextmanager
def locked_dir(directory: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``directory`` (a read-merge-write of a file in
    it by parallel writers, e.g. xdist workers, cannot lose an update). No lock file is
    left behind; where ``fcntl`` is missing the block runs unlocked."""
    import os

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def merge_into_file(
    path: Path,
    doc: Mapping[str, Any],
    *,
    shown: str | None = None,
    replace: bool | Callable[[tuple[str, str]], bool] = False,
) -> tuple[dict[str, Any], bytes | None]:
    """``doc`` merged with the expectation already at ``path`` (if any): the merged
    document and the bytes to write (``None`` when the file already holds them).

    Raises:
        DocumentError: the stored file is invalid, or a conflict (nothing is written).
    """
    merged = dict(doc)
    current: bytes | None = None
    if path.exists() or path.is_symlink():
        stored = load(path)
        current = path.read_bytes()
        merged = merge(stored.doc, doc, file=shown or path.as_posix(), replace=replace)
    data = dump(merged)
    return merged, (None if data == current else data)
