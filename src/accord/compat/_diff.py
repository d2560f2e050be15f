"""Change detection, witnesses, modes and bumps: :func:`diff` and :func:`check_version`.

How a report is built:

1. The engine compares the two root documents (``compare``): that is the truth for
   ``backward`` and ``forward``. Under contract semantics its removals (keys named in
   OLD that NEW's writers can no longer emit) break both directions by policy. Between
   two plain objects that differ only in their keys' schemas, a direction that holds
   is proven key by key (``_Engine._holds_by_keys``); any other answer is the engine's
   on the whole documents.
2. The walker visits OLD and NEW in parallel by instance location (properties, items,
   tuple positions, map values, matched ``anyOf``/``oneOf`` branches; through ``$ref``
   with a memo on pointer pairs so recursion ends) and runs every rule's detector.
3. Each hit is judged alone where it can be: the rule's patch applies only that
   change to OLD, and the engine compares OLD with the patched OLD at that location
   (an optional property OLD's writers never send is judged on that key alone:
   ``_Judge._key_never_written``).
   A change claims a direction only if that local comparison does not hold *and* the
   root comparison does not hold: a local narrowing can be harmless at the root.
4. Every claimed set-inclusion break carries a root-level witness checked with the
   reference validator: the local witness is lifted into a valid root payload of the
   accepting side, else the engine's root witness is used.
5. A direction broken at the root that no change explains gets a generic
   ``schema-narrowed``/``schema-widened`` change carrying the root witness.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import itertools
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from accord.compat._nodes import _has_ref as _walk_has_ref
from accord.compat._nodes import has_ref as _has_ref
from accord.compat._nodes import may_contain
from accord.compat._report import (
    MODES,
    BumpKind,
    Change,
    DirectionResult,
    Report,
    Severity,
    required_directions,
)
from accord.compat._rules import (
    BOTH,
    DELETE,
    RULES,
    Hit,
    PatchOp,
    Site,
    View,
    canonical_text,
    combinator_groups,
    match_branches,
)
from accord.compat._site import same_text
from accord.compat._types import (
    DEFAULT_MAX_STEPS,
    Comparison,
    Direction,
    Removal,
    Semantics,
    Side,
    Status,
    Verdict,
    Witness,
)
from accord.core import memo as _memo
from accord.core import pointer as _pointer
from accord.core.frozen import thaw
from accord.core.memo import write_json
from accord.core.schema import Schema
from accord.errors import Problem, SchemaError, UsageError

if TYPE_CHECKING:
    from accord.compat._register import Rule
    from accord.registry.config import RuleOverride
    from accord.registry.model import ContractVersion, Registry
    from accord.validation.budget import SchemaLimits

__all__ = ["check_version", "classify", "diff"]

_EMBED = "__accord_root"


# ----------------------------------------------------------------------------- inputs


_Kind = Literal["schema", "path", "ref"]


def classify(value: Any) -> _Kind:
    """How a bare ``OLD``/``NEW`` argument is read: a dict or bool is a schema, a
    ``Path`` a file; a str is an existing file, else a registry reference when it looks
    like one (``ns.name@...``), else a file (so a missing file is reported as such).
    The command line uses this; Python callers say which with ``*_path=``/``*_ref=``."""
    if isinstance(value, bool | dict):
        return "schema"
    if isinstance(value, str) and not _exists(value) and _looks_like_ref(value):
        return "ref"
    return "path"


def _exists(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # a name too long to stat, or with a NUL: no file
        return False


def _side(which: str, positional: Any, schema: Any, path: Any, ref: Any) -> tuple[_Kind, Any]:
    candidates: tuple[tuple[_Kind, Any], ...] = (("schema", schema), ("path", path), ("ref", ref))
    given = [(kind, value) for kind, value in candidates if value is not None]
    if positional is not None:
        if isinstance(positional, str):
            kind = classify(positional)
            warnings.warn(
                f"accord.diff() with a str as {which} guesses whether it is a file or a "
                f"reference; pass {which}_path= or {which}_ref= instead",
                DeprecationWarning,
                stacklevel=3,
            )
            given.append((kind, positional))
        elif isinstance(positional, os.PathLike):
            given.append(("path", positional))
        else:
            given.append(("schema", positional))
    if len(given) != 1:
        raise UsageError(
            f"diff() needs exactly one {which} side: a schema ({which} or {which}_schema=), "
            f"a file ({which}_path=) or a registry reference ({which}_ref=); got {len(given)}"
        )
    return given[0]


@dataclass(frozen=True, slots=True)
class _Input:
    schema: Schema  # normalised, self-contained
    raw: Any  # as given / as written (for "identical")
    label: str
    version: ContractVersion | None = None


def _looks_like_ref(text: str) -> bool:
    head = text.removeprefix("accord://").split("@", 1)[0]
    return "." in head and "/" not in head and not head.endswith(".json")


def _discover(text: str) -> Registry:
    """The registry :meth:`Registry.discover` finds (as ``accord.validator`` and
    ``assert_compatible`` do), to resolve the reference ``text``."""
    from accord.errors import RegistryError
    from accord.registry.model import Registry

    try:
        return Registry.discover()
    except RegistryError as exc:
        if any(p.code == "registry-not-found" for p in exc.problems):
            raise UsageError(
                f"{text!r} is not a file, and no registry was found to resolve it as a "
                "reference: pass registry= (accord diff --registry DIR), or set "
                "ACCORD_REGISTRY or [tool.accord] registry",
                code="usage",
            ) from None
        raise


def _load(
    kind: _Kind,
    value: Any,
    registry: Registry | None,
    default_label: str,
    limits: SchemaLimits | None = None,
) -> _Input:
    from accord.core import jsondoc as _jsondoc
    from accord.validation.budget import thaw_within_limits

    if limits is None and registry is not None:
        limits = registry.settings.limits
    if kind == "schema":
        if not isinstance(value, bool | dict):
            raise UsageError(
                f"a schema must be a dict or a bool, not {type(value).__name__}: pass a "
                "file as *_path= and a registry reference as *_ref="
            )
        # Limits first (they bound the cost of the checks), with the copy the diff reads
        # made on the same walk.
        copied = thaw_within_limits(value, limits, file=default_label)
        plain = _refuse_uncompilable(value, default_label, copied)
        return _Input(_normalized(value, plain=plain), value, default_label)
    if kind == "ref":
        if not isinstance(value, str):
            raise UsageError(f"a reference must be a str, not {type(value).__name__}")
        if registry is None:
            registry = _discover(value)
        version = registry.get(value)
        return _Input(registry.bundle(version), version.document, version.ref, version)
    if isinstance(value, os.PathLike | str):
        text = os.fspath(value)
        path = Path(text)
        document = _jsondoc.load_path(path, display=text)
        if not isinstance(document, bool | dict):
            raise SchemaError(
                f"a schema must be a JSON object or boolean, not {type(document).__name__}",
                code="schema-not-object",
                file=text,
            )
        # Limits first: they bound the cost of the schema checks.
        copied = thaw_within_limits(document, limits, file=text)
        _refuse_invalid_file(document, text)
        plain = _refuse_uncompilable(document, text, copied)
        if "accord://" in canonical_text(document):
            if registry is not None:
                found = registry.version_at(_relative(registry, path))
                if found is not None:
                    return _Input(registry.bundle(found), document, text, found)
            raise SchemaError(
                "the schema refers to other contracts (accord://...): compare registry "
                "references instead (ns.name@X.Y.Z) so the registry can bundle it",
                code="ref-needs-registry",
                file=text,
            )
        return _Input(_normalized(document, file=text, plain=plain), document, text)
    raise UsageError(f"a schema file path must be a str or a path, not {type(value).__name__}")


def _refuse_invalid_file(document: Any, file: str) -> None:
    """Check a schema file exactly as the registry loader checks a version.

    Metaschema, keywords, regexes, remote refs and cycles (``_dialect.check_schema``);
    a relative file ``$ref`` cannot be resolved without a registry, so it is refused
    too. Warnings pass.

    Raises:
        SchemaError: with the first problem's code and pointer, every problem listed.
    """
    from accord.validation import dialect as _dialect

    problems = [
        p
        for p in _dialect.check_schema(document, file=file, require_object_root=False)
        if p.severity == "error"
    ]
    if not problems:
        dialect = _dialect.detect_dialect(document, file=file)
        for where, node in _dialect.iter_subschemas(document, dialect):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if isinstance(ref, str) and _dialect.classify_ref(ref) == "relative":
                problems.append(
                    Problem(
                        code="ref-needs-registry",
                        message=f"$ref {ref!r} names another file: compare registry "
                        "references instead (ns.name@X.Y.Z) so the registry can resolve it",
                        file=file,
                        pointer=_pointer.join(where, "$ref"),
                    )
                )
    if problems:
        first, *rest = problems
        listed = "".join(f"\n  {p.location()}: [{p.code}] {p.message}" for p in rest)
        raise SchemaError(
            first.message + (f"\nand {len(rest)} more:{listed}" if rest else ""),
            code=first.code,
            file=file,
            pointer=first.pointer,
        )


def _refuse_uncompilable(document: Any, file: str, plain: Any = None) -> Any:
    """Refuse what the reference validator refuses to compile under the document's
    declared (or default, 2020-12) dialect: its metaschema as jsonschema-rs applies it
    (a boolean ``exclusiveMinimum``, an array ``items`` in 2020-12, ...).

    ``plain``: ``thaw(document)`` already made (``thaw_within_limits``), else None.

    Returns:
        The plain copy of ``document`` jsonschema-rs read (``thaw``'s: fresh, the
        caller's own).

    Raises:
        SchemaError: ``schema-dialect-unsupported``, or ``schema-invalid`` with the
            reference's message and the pointer of the offending value.
    """
    from accord.validation import dialect as _dialect
    from accord.validation.offline import rs_metaschema_error

    _dialect.detect_dialect(document, file=file)  # before jsonschema-rs reads $schema
    if plain is None:
        plain = thaw(document)
    try:
        found = rs_metaschema_error(plain, plain=True)
    except (ValueError, TypeError, OverflowError) as exc:  # "Unsupported type: 'bytes'"
        from accord.validation.offline import not_json_schema_error

        raise not_json_schema_error(document, exc, file=file) from None
    if found is not None:
        message, path = found
        raise SchemaError(
            f"the reference validator (jsonschema-rs) refuses to compile the schema: {message}",
            code="schema-invalid",
            file=file,
            pointer=_pointer.from_parts(path),
        )
    return plain


def _draft_07_assertions(given: _Input) -> str | None:
    """Why no inclusion can be claimed for a draft-06/07 input using a content keyword,
    or None: jsonschema-rs asserts them in the dialect the document declares, and the
    normalised form cannot (``_dialect.unnormalised_assertion``)."""
    from accord.validation import dialect as _dialect

    found = _dialect.unnormalised_assertion(given.raw)
    if found is None:
        return None
    dialect, keyword, where = found
    return (
        f"{given.label} declares {dialect}, where the reference validator "
        f"(jsonschema-rs) asserts {keyword!r} (at {where or '/'}), which "
        "the engine does not model"
    )


def _normalized(document: Any, *, file: str | None = None, plain: Any = None) -> Any:
    """``_dialect.normalize(document)``: a fresh 2020-12 copy the caller cannot mutate.

    A 2020-12 document is only copied (what ``normalize`` does with it, minus the pointer
    map it builds and the diff never reads), its ``dependencies`` folded
    (``_dialect.fold_dependencies``); draft-07 goes through ``normalize``. ``plain``: a
    fresh ``thaw(document)`` already made (by ``_refuse_uncompilable``), used as the copy.
    """
    from accord.validation import dialect as _dialect

    if _dialect.detect_dialect(document, file=file) == "2020-12":
        # The reference asserts draft-07 ``dependencies`` in 2020-12 too: the engine
        # models it as the 2020-12 keywords it means.
        copied = thaw(document) if plain is None else plain
        # The copy's canonical text is the diff's own (memoised: the first thing
        # ``_compare_unguarded`` compares), so the filter costs no serialisation of its own.
        try:
            absent = '"dependencies"' not in canonical_text(copied)
        except (TypeError, ValueError, RecursionError):
            absent = not may_contain(copied, ("dependencies",))
        if absent:
            return copied  # what fold_dependencies returns, without its walk
        return _dialect.fold_dependencies(copied)
    return _dialect.normalize(document, file=file)


def _may_be_same(a: Any, b: Any) -> bool:
    """False only when ``canonical_dumps(a) != canonical_dumps(b)`` (so ``sorted_dumps``
    too) for certain (cheap)."""
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, dict):
        if not isinstance(b, dict):
            return False
        if a.keys() != b.keys():
            # Only string keys are certain to dump differently when the key sets differ.
            # Read in one C pass a side (a wide ``properties`` has thousands of keys);
            # a key of a str subclass answers "maybe": the dumps decide it.
            return not (_STR.issuperset(map(type, a)) and _STR.issuperset(map(type, b)))
        return all(_may_be_same(v, b[k]) for k, v in a.items())
    if isinstance(b, dict):
        return False
    if isinstance(a, list | tuple):
        if not isinstance(b, list | tuple):
            return False
        return len(a) == len(b) and all(_may_be_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(b, list | tuple):
        return False
    kinds = (type(a), type(b))
    if kinds[0] in _EXACT_SCALARS and kinds[1] in _EXACT_SCALARS:
        # Each is written as its own token (``null``, ``true``, ``false``, the int's
        # digits, the float's repr), one that no other value of these types shares. An
        # int is compared, not written: one past the digit limit raises when written,
        # which is left to the dump (as before), not met here.
        if kinds[0] is not kinds[1]:
            return False
        return bool(a == b) if kinds[0] is int else a is b or repr(a) == repr(b)
    return True


# The value types ``_may_be_same`` tells apart by their token (not their subclasses, nor
# Decimal, which ``canonical_dumps`` may write as an int's digits).
_EXACT_SCALARS = frozenset({int, float, bool, type(None)})


def _relative(registry: Registry, path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(registry.root).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ----------------------------------------------------------------------------- engine glue


def _embedded(
    root: Schema,
    memo: dict[int, tuple[Any, Any]] | None = None,
    *,
    text: bool = True,
    ref_free: bool = False,
) -> Schema:
    """``root`` rewritten to live at ``#/$defs/__accord_root`` of a wrapper document.

    Subtrees without a local ``$ref`` are shared with ``root``, not copied (schemas are
    never mutated once built). ``memo`` (identity -> rewritten) lets several roots
    that share subschemas (OLD and OLD with one change applied) share the rewriting.
    ``text``: first look for ``"$ref"`` in the root's canonical text (cheap when it is
    already memoised, as for the diff's own roots); ``ref_free``: the caller knows
    there is no ``"$ref"`` key.
    """
    if isinstance(root, dict) and (ref_free or (text and "$ref" not in canonical_text(root))):
        # No "$ref" key anywhere (the text is memoised for the diff's roots): nothing
        # to rewrite, so skip the walk.
        return {k: v for k, v in root.items() if k not in ("$schema", "$id")}
    seen: dict[int, tuple[Any, Any]] = {} if memo is None else memo

    def rewrite(node: Any) -> Any:
        if not isinstance(node, dict | list):
            return node
        hit = seen.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        out: Any
        if isinstance(node, dict):
            changed = False
            items: dict[str, Any] = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str) and value.startswith("#"):
                    new = f"#/$defs/{_EMBED}" + value[1:] if value != "#" else f"#/$defs/{_EMBED}"
                else:
                    new = rewrite(value)
                changed = changed or new is not value
                items[key] = new
            out = items if changed else node
        else:
            values = [rewrite(v) for v in node]
            out = values if any(a is not b for a, b in zip(values, node, strict=True)) else node
        seen[id(node)] = (node, out)  # the entry keeps ``node`` alive: its id stays unique
        return out

    out = rewrite(root)
    if isinstance(out, dict):
        out = {k: v for k, v in out.items() if k not in ("$schema", "$id")}
    return out  # type: ignore[no-any-return]


def _node(document: Schema, pointer: str) -> Schema:
    return _pointer.resolve(document, pointer)  # type: ignore[no-any-return]


def _local(embedded: Schema, pointers: Sequence[str], *, ref_free: bool = False) -> Schema:
    """A self-contained schema for the conjuncts at ``pointers`` of an embedded root.

    The conjuncts are inlined (their ``$ref`` already point into the embedded root), so
    no pointer to an arbitrary key (``patternProperties`` names, say) is ever written.
    ``ref_free``: the caller knows the root has no ``$ref``/``$dynamicRef`` key (a
    patched copy of a wide document is not walked again to find none).
    """
    if not pointers:
        return True
    conjuncts = [_node(embedded, p) for p in pointers]
    if ref_free or not any(_has_ref(c) for c in conjuncts):
        # Nothing refers into the root: leave it out, so the engine and the reference
        # validator never compile a wide document for a leaf question.
        return {"allOf": conjuncts}
    return {"$defs": {_EMBED: embedded}, "allOf": conjuncts}


def _apply(root: Schema, ops: Sequence[PatchOp]) -> Schema:
    """``root`` with ``ops`` applied, copying only the containers on the edited paths.

    Everything else (and every inserted value) is shared: schemas are never mutated.
    """
    if not isinstance(root, dict):
        return root
    out: dict[str, Any] = dict(root)
    fresh: set[int] = {id(out)}  # containers of ``out`` already copied (alive in ``out``)
    for pointer, keyword, value in ops:
        node: Any = out
        for token in _pointer.split(pointer):
            key: Any = int(token) if isinstance(node, list) else token
            try:
                child = node[key]
            except (KeyError, IndexError, TypeError):
                # An earlier op removed this place (the root's ``contains`` deleted
                # while its subschema, the root again through ``$ref``, is edited):
                # the change has no OLD-with-this-change-alone to judge.
                raise _pointer.Unresolvable(pointer) from None
            if isinstance(child, (dict, list)) and id(child) not in fresh:
                child = dict(child) if isinstance(child, dict) else list(child)
                node[key] = child
                fresh.add(id(child))
            node = child
        if not isinstance(node, dict):
            continue
        if value is DELETE:
            node.pop(keyword, None)
        else:
            node[keyword] = value
    return out


def _verdict(comparison: Comparison, direction: Direction) -> Verdict:
    return comparison.backward if direction == "backward" else comparison.forward


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})
_STR = frozenset({str})


def _tree_text(schema: Schema, limit: int = 16) -> str | None:
    """The JSON text of a small schema that is a tree (no container twice, string keys
    only, plain JSON types), else None.

    Two such schemas with the same text are the same document to the engine: the same
    values in the same order, nothing shared (the engine interns nodes by identity, so
    sharing could change what it counts), and its answer is a function of the document.
    Small: the local questions asked again are about one property's schema; a root
    document is asked once and not worth its text.
    """
    if limit >= 3 and _one_flat_conjunct(schema):
        # The local questions' shape, ``{"allOf": [leaf]}``: what the walk below finds
        # for it (three containers, a tree), without the walk.
        return _written(schema)
    seen: set[int] = set()
    stack: list[Any] = [schema]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            if id(value) in seen or len(seen) >= limit:
                return None
            seen.add(id(value))
            if not _STR.issuperset(map(type, value)):
                return None
            if not _JSON_SCALARS.issuperset(map(type, value.values())):  # else nothing to walk
                if len(value) > _WIDE and _over(value.values(), limit - len(seen)):
                    return None
                stack.extend(value.values())
        elif kind is list:
            if id(value) in seen or len(seen) >= limit:
                return None
            seen.add(id(value))
            if not _JSON_SCALARS.issuperset(map(type, value)):
                if len(value) > _WIDE and _over(value, limit - len(seen)):
                    return None
                stack.extend(value)
        elif kind not in _JSON_SCALARS:
            return None
    return _written(schema)


def _written(schema: Schema) -> str | None:
    try:
        return write_json(schema)  # json.dumps(schema)
    except ValueError:  # a float json.dumps refuses
        return None


def _one_flat_conjunct(schema: Schema) -> bool:
    """Whether ``schema`` is ``{"allOf": [leaf]}`` with ``leaf`` an object of string keys
    and plain JSON scalars (not ``schema`` itself)."""
    if type(schema) is not dict or len(schema) != 1:
        return False
    members = schema.get("allOf")
    if type(members) is not list or len(members) != 1:
        return False
    leaf = members[0]
    return (
        type(leaf) is dict
        and leaf is not schema
        and _STR.issuperset(map(type, leaf))
        and _JSON_SCALARS.issuperset(map(type, leaf.values()))
    )


_WIDE = 4


def _over(values: Any, room: int) -> bool:
    """Whether more than ``room`` of ``values`` are objects or arrays.

    ``_tree_text`` pops every container it pushes unless it gives up first, and gives
    up at a container met twice or once ``seen`` holds ``limit``: with more containers
    pushed than the room left in ``seen``, its answer is None whatever they hold. A wide
    root (a 50-property object) is let go after this one count, not after 16 pops.
    """
    kinds = list(map(type, values))  # counted in C: a wide root has thousands
    return kinds.count(dict) + kinds.count(list) > room


# (text of old, text of new, semantics, direction, step budget, unmodelled) of a small
# question about two tree documents (``_tree_text``).
_TextKey = tuple[str, str, str, str, int, "str | None"]


class _VerdictMemo:
    """The engine's verdicts on small tree documents, by their texts, for the process.

    The same local question recurs: at several locations of one diff (the same
    ``maxLength`` change on several properties), and across diffs (each version pair of
    a contract, each contract of a registry, every run of a service's boot checks). A
    verdict is a function of the key alone: ``_tree_text`` gives the same text only to
    the same tree document (same values, same order, nothing shared), and the rest of
    what :meth:`_Engine.verdict` reads is in the key (semantics, direction, the step
    budget, the keyword left unmodelled). Verdicts are frozen and their witnesses are
    never mutated (a report hands out ``thaw`` copies), so one may be shared. Bounded
    (least recently used out first) and locked, as :class:`~accord.core.memo.IdentityMemo`.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[_TextKey, Verdict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _TextKey) -> Verdict | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: _TextKey, verdict: Verdict) -> None:
        with self._lock:
            self._entries[key] = verdict
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every verdict (tests that count the engine's questions start cold)."""
        with self._lock:
            self._entries.clear()


_local_verdicts = _VerdictMemo(4096)
_ENGINE_FAILED = "the engine could not decide: "


class _Engine:
    """The semantic engine with a memo (the same location pair is asked once)."""

    def __init__(self, semantics: Semantics, max_steps: int, unmodelled: str | None = None) -> None:
        from accord.compat import _engine

        self._engine = _engine
        self.semantics = semantics
        self.max_steps = max_steps
        # A keyword the inputs' own dialect asserts and the engine does not model: no
        # inclusion is claimed while it is in play.
        self.unmodelled = unmodelled
        # (id(old), id(new), semantics, direction) -> (old, new, verdict): the entry keeps
        # both documents alive, so the ids stay theirs. Documents are never mutated.
        self._memo: dict[tuple[int, int, str, str], tuple[Schema, Schema, Verdict]] = {}
        self._closure: dict[str, Schema] = {}
        self._plain_sizes: dict[int, tuple[Schema, int | None]] = {}
        self._differs: dict[
            tuple[int, int], tuple[dict[str, Any], dict[str, Any], frozenset[str]]
        ] = {}
        # (id(old), id(new)) -> same_text of two properties ``differing`` compared; the
        # ``properties`` objects its entries hold keep both alive.
        self._same_pairs: dict[tuple[int, int], bool] = {}

    def verdict(
        self, old: Schema, new: Schema, direction: Direction, semantics: Semantics | None = None
    ) -> Verdict:
        """One direction by inclusion alone (writer closure under contract semantics).

        The removal policy is left out on purpose: removals are reported once, from the
        root, as their own changes; every other change is judged on what payloads do.
        """
        sem = semantics or self.semantics
        key = (id(old), id(new), sem, direction)
        found = self._memo.get(key)
        if found is not None and found[0] is old and found[1] is new:
            return found[2]
        old_text = _tree_text(old)
        new_text = _tree_text(new) if old_text is not None else None
        by_text: _TextKey | None = None
        if old_text is not None and new_text is not None:
            by_text = (old_text, new_text, sem, direction, self.max_steps, self.unmodelled)
        result = _local_verdicts.get(by_text) if by_text is not None else None
        if result is None:
            if sem == "contract" and self._holds_by_keys(old, new, direction):
                result = _HOLDS
            else:
                sub, sup = (old, new) if direction == "backward" else (new, old)
                result = self.includes(sub, sup, sem)
            if by_text is not None and not (result.reason or "").startswith(_ENGINE_FAILED):
                # A failure (a RecursionError deep in a caller's stack, say) is not a
                # function of the documents: asked again next time.
                _local_verdicts.put(by_text, result)
        self._memo[key] = (old, new, result)
        return result

    def _holds_by_keys(self, old: Schema, new: Schema, direction: Direction) -> bool:
        """Whether the contract-semantics question holds key by key: True only with that
        proof, else the whole question goes to the engine (for its witness or reason).

        For two plain objects (:func:`_plain_size`, small for the step budget) whose
        keywords other than ``properties``, ``required`` and annotations are the same,
        the writer side SUB declaring some key and no ``additionalProperties`` but
        ``false``, every key SUP requires required by SUB: SUB's writers send only
        SUB's declared keys, each within SUB's schema for it, and everything else SUP
        asks of the object SUB asks too. So the question holds when, for each key SUB
        declares, SUB's schema is within SUP's for that key (SUP's ``properties`` entry,
        else its ``additionalProperties``): the same text, ``true``, or the engine's
        answer on that key alone, asked as the local question of that property is (one
        answer for both). The engine proves the same on the whole objects within its
        budget (the same bound as ``_Judge._key_never_written``).
        """
        sub, sup = (old, new) if direction == "backward" else (new, old)
        if self.unmodelled is not None or not isinstance(sub, dict) or not isinstance(sup, dict):
            return False
        sub_props, sup_props = sub.get("properties", {}), sup.get("properties", {})
        sub_required, sup_required = sub.get("required", []), sup.get("required", [])
        if (
            not isinstance(sub_props, dict)
            or not isinstance(sup_props, dict)
            or not isinstance(sub_required, list)
            or not isinstance(sup_required, list)
            or not (sub_props or sub_required)
            or sub.get("additionalProperties", False) is not False
            or not set(sup_required) <= set(sub_required) <= sub_props.keys()
            or not set(sup_required) <= sup_props.keys()
        ):
            return False
        for keyword in (sub.keys() | sup.keys()) - _KEY_BY_KEY:
            if (
                keyword not in sub
                or keyword not in sup
                or not same_text(sub[keyword], sup[keyword])
            ):
                return False
        sizes = (self.plain_size(sub), self.plain_size(sup))
        if sizes[0] is None or sizes[1] is None:
            return False
        if _STEPS_PER_NODE * (sizes[0] + sizes[1]) + _STEPS_BASE > self.max_steps:
            return False
        rest = sup.get("additionalProperties", True)
        differing = (
            self.differing(sub_props, sup_props)
            if direction == "backward"
            else self.differing(sup_props, sub_props)
        )
        # ``differing`` names keys both declare; a key SUP does not declare meets ``rest``.
        # The keys are told apart in C, then read in SUB's order: most are in both.
        only_sub = sub_props.keys() - sup_props.keys() if rest is not True else ()
        asked = (
            differing.union(k for k in only_sub if not same_text(sub_props[k], rest))
            if only_sub
            else differing
        )
        pending = [
            (mine, sup_props.get(key, rest)) for key, mine in sub_props.items() if key in asked
        ]
        for mine, theirs in pending:
            # Phrased as the property's local question (``_local``): one answer for both.
            old_key, new_key = (mine, theirs) if direction == "backward" else (theirs, mine)
            local = self.verdict({"allOf": [old_key]}, {"allOf": [new_key]}, direction, "contract")
            if local.holds is not True:
                return False
        return True

    def differing(self, old_props: dict[str, Any], new_props: dict[str, Any]) -> frozenset[str]:
        """The keys both ``properties`` name with schemas of different text, found once
        per pair (both directions ask)."""
        key = (id(old_props), id(new_props))
        found = self._differs.get(key)
        if found is None or found[0] is not old_props or found[1] is not new_props:
            differing: set[str] = set()
            for k, v in old_props.items():
                if k in new_props:
                    other = new_props[k]
                    # The entry below keeps both objects alive: their ids stay theirs.
                    same = self._same_pairs[id(v), id(other)] = same_text(v, other)
                    if not same:
                        differing.add(k)
            found = self._differs[key] = (old_props, new_props, frozenset(differing))
        return found[2]

    def same_text(self, old: Schema, new: Schema) -> bool:
        """:func:`same_text`, answered from :meth:`differing` for two properties it
        compared (the walker asks again of the same root properties)."""
        found = self._same_pairs.get((id(old), id(new)))
        return same_text(old, new) if found is None else found

    def plain_size(self, schema: Schema) -> int | None:
        """:func:`_plain_size` of ``schema``, walked once per diff (the roots are asked
        for each direction and each added property)."""
        found = self._plain_sizes.get(id(schema))
        if found is None or found[0] is not schema:
            found = self._plain_sizes[id(schema)] = (schema, _plain_size(schema))
        return found[1]

    def compare(self, old: Schema, new: Schema, semantics: Semantics | None = None) -> Comparison:
        """Both directions (see :meth:`verdict`)."""
        return Comparison(
            backward=self.verdict(old, new, "backward", semantics),
            forward=self.verdict(old, new, "forward", semantics),
        )

    def pair(self, old: Schema, new: Schema) -> _Pair:
        """Both directions, each asked of the engine only when it is read."""
        return _Pair(self, old, new)

    def includes(self, sub: Schema, sup: Schema, semantics: Semantics = "set") -> Verdict:
        try:
            result: Verdict = self._engine.includes(
                sub, sup, semantics=semantics, max_steps=self.max_steps
            )
        except Exception as exc:  # noqa: BLE001 - one local question must not sink the report
            return Verdict(
                holds=None,
                reason=f"{_ENGINE_FAILED}{str(exc) or type(exc).__name__}",
            )
        if result.holds is True and self.unmodelled is not None:
            return Verdict(holds=None, reason=self.unmodelled)
        return result

    def removals(self, old: Schema, new: Schema) -> tuple[Removal, ...]:
        """Keys named in OLD that NEW's writers can no longer emit (contract semantics)."""
        if self.semantics == "set":
            return ()
        return tuple(self._engine.removals(old, new))

    def writer(self, schema: Schema) -> Schema:
        """What a writer may emit: the writer closure under contract semantics."""
        if self.semantics == "set":
            return schema
        key = canonical_text(schema)
        found = self._closure.get(key)
        if found is None:
            found = self._engine.writer_closure(schema)
            self._closure[key] = found
        return found


class _Pair:
    """OLD and NEW of one local question; a direction is decided on first read.

    ``new`` may be a function building it (OLD with a patch applied), called on the first
    read of a direction that is not already ``known``.
    """

    __slots__ = ("_engine", "_known", "_make_new", "_new", "old")

    def __init__(
        self,
        engine: _Engine,
        old: Schema,
        new: Schema | Callable[[], Schema],
        known: Mapping[Direction, Verdict] | None = None,
    ) -> None:
        self._engine = engine
        self.old = old
        self._make_new: Callable[[], Schema] | None = new if callable(new) else None
        self._new: Schema = True if callable(new) else new
        self._known = known or {}

    def verdict(self, direction: Direction) -> Verdict:
        found = self._known.get(direction)
        if found is not None:
            return found
        if self._make_new is not None:
            self._new, self._make_new = self._make_new(), None
        return self._engine.verdict(self.old, self._new, direction)


# ----------------------------------------------------------------------------- witnesses


def _put(base: Any, tokens: Sequence[str], value: Any) -> Any:
    """``base`` with ``value`` at ``tokens`` (``*``: first item / an undeclared key)."""
    if not tokens:
        return copy.deepcopy(value)
    head, rest = tokens[0], tokens[1:]
    if head == "*":
        if isinstance(base, list):
            items = list(base) or [None]
            return [_put(items[0], rest, value), *items[1:]]
        if isinstance(base, dict):
            out = dict(base)
            out["x-accord"] = _put(None, rest, value)
            return out
        return [_put(None, rest, value)]
    if isinstance(base, list) and (index := _pointer.index(head)) is not None:
        items = list(base)
        while len(items) <= index:
            items.append(copy.deepcopy(value))
        items[index] = _put(items[index], rest, value)
        return items
    out = dict(base) if isinstance(base, dict) else {}
    out[head] = _put(out.get(head), rest, value)
    return out


def _keeps(
    here: Any, smaller: Any, path: tuple[str | int, ...], protected: tuple[str, ...]
) -> bool:
    """Whether shrinking ``here`` to ``smaller`` keeps the next step towards ``protected``."""
    step = protected[len(path)]
    if isinstance(here, dict):
        return step == "*" or step not in here or step in smaller
    if isinstance(here, list):
        if step == "*":
            return isinstance(smaller, list) and len(smaller) > 0
        if (index := _pointer.index(step)) is not None:
            return isinstance(smaller, list) and len(smaller) > index
    return True


def _get_at(value: Any, path: Sequence[str | int]) -> Any:
    for token in path:
        value = value[token]
    return value


def _steps(value: Any, tokens: Sequence[str]) -> list[str | int]:
    """The tokens of a JSON pointer that exists in ``value`` as steps into it: an array
    index as an ``int`` (``_get_at``/``_set_at`` index lists with it)."""
    steps: list[str | int] = []
    for token in tokens:
        step: str | int = int(token) if isinstance(value, list) else token
        value = value[step]
        steps.append(step)
    return steps


def _set_at(value: Any, path: Sequence[str | int], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        assert isinstance(head, int)
        return [*value[:head], _set_at(value[head], rest, new), *value[head + 1 :]]
    return {**value, head: _set_at(value[head], rest, new)}


_MISSING: Any = object()


def _part(payload: Any, base: str, deeper: str) -> Any:
    """The value of ``payload`` (located at ``base``) at instance path ``deeper``."""
    steps, prefix = _pointer.split(deeper), _pointer.split(base)
    if steps[: len(prefix)] != prefix or len(steps) == len(prefix):
        return _MISSING
    value = payload
    for step in steps[len(prefix) :]:
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif (
            isinstance(value, list) and value and (step == "*" or _pointer.index(step) is not None)
        ):
            index = 0 if step == "*" else int(step)
            if index >= len(value):
                return _MISSING
            value = value[index]
        else:
            return _MISSING
    return value


class _Witnesses:
    """Lifts local witnesses to root payloads and checks them with the reference validator."""

    def __init__(self, engine: _Engine, old: Schema, new: Schema, root: Comparison) -> None:
        self.engine = engine
        self.roots: dict[Side, Schema] = {"old": old, "new": new}
        self.root = root
        self._bases: dict[Side, list[Any]] = {}
        self._memo: dict[tuple[str, str, str], Witness | None] = {}
        self._validators: dict[tuple[Side, bool], Any] = {}
        self._root_required: dict[Side, frozenset[str]] = {}

    def _validator(self, side: Side, *, writer: bool) -> Any:
        """The reference validator of ``side`` (of its writer closure when ``writer``),
        looked up once per diff: shrinking a witness checks dozens of payloads."""
        found = self._validators.get((side, writer))
        if found is None:
            from accord.validation.reference import reference_validator

            schema = self.engine.writer(self.roots[side]) if writer else self.roots[side]
            found = self._validators[side, writer] = reference_validator(schema)
        return found

    def _required(self, side: Side) -> frozenset[str]:
        """The keys the root of ``side`` requires of an object payload (its own
        ``required``, not any under a combinator)."""
        found = self._root_required.get(side)
        if found is None:
            root = self.roots[side]
            names = root.get("required") if isinstance(root, dict) else None
            found = (
                frozenset(k for k in names if isinstance(k, str))
                if isinstance(names, list)
                else frozenset()
            )
            self._root_required[side] = found
        return found

    def check(self, payload: Any, accepted_by: Side) -> Witness | None:
        rejected_by: Side = "new" if accepted_by == "old" else "old"
        if type(payload) is dict and not payload.keys() >= self._required(accepted_by):
            # The accepting root rejects an object without a key it requires (and so does
            # its writer closure, which only narrows it): what the validator would say
            # for most of a shrink's attempts (a required key dropped), without it.
            return None
        try:
            ok = bool(self._validator(accepted_by, writer=True).is_valid(payload)) and not bool(
                self._validator(rejected_by, writer=False).is_valid(payload)
            )
        except Exception:  # noqa: BLE001 - a payload or schema that cannot be checked is no witness
            return None
        # The payload may share values (an enum member, a const) with a registry's frozen
        # bundle: the report hands out a plain copy of its own.
        return Witness(thaw(payload), accepted_by, rejected_by) if ok else None

    def shrink(self, witness: Witness, keep: str = "") -> Witness:
        """A smaller payload that still separates the sides (greedy, bounded).

        The value at instance path ``keep`` (the change itself) and the keys leading to
        it are left alone, so the witness still shows the change it is attached to.
        """
        budget = [60]
        protected = tuple(_pointer.split(keep))

        def still(payload: Any) -> bool:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            return self.check(payload, witness.accepted_by) is not None

        def candidates(value: Any) -> Iterator[Any]:
            if isinstance(value, dict):
                for key in value:
                    smaller = dict(value)  # a C copy, then the one key out: same order
                    del smaller[key]
                    yield smaller
            elif isinstance(value, list):
                for i in range(len(value)):
                    yield value[:i] + value[i + 1 :]
            elif isinstance(value, bool):
                return
            elif isinstance(value, int):
                yield from (v for v in (0, 1, -1) if v != value)
            elif isinstance(value, str):
                yield from (v for v in ("", "x") if v != value and len(v) < len(value))

        def on_path(path: tuple[str | int, ...]) -> bool:
            return len(path) <= len(protected) and all(
                p == "*" or str(a) == p for a, p in zip(path, protected, strict=False)
            )

        def walk(payload: Any, path: tuple[str | int, ...]) -> Any:
            if protected and len(path) == len(protected) and on_path(path):
                return payload  # the change itself
            here = _get_at(payload, path)
            kind = type(here)
            if here is None or kind is bool or kind is float or (kind is str and not here):
                return payload  # no candidate: what the loop below would find
            guarded = bool(protected) and on_path(path)  # the path stays: asked once
            changed = True
            while changed and budget[0] > 0:
                changed = False
                for smaller in candidates(here):
                    if budget[0] <= 0:
                        break  # no attempt can succeed any more (quadratic on wide objects)
                    if guarded and not _keeps(here, smaller, path, protected):
                        continue
                    attempt = _set_at(payload, path, smaller)
                    if still(attempt):
                        payload, here, changed = attempt, smaller, True
                        break
            if isinstance(here, dict):
                for key in list(here):
                    payload = walk(payload, (*path, key))
            elif isinstance(here, list):
                for i in range(len(here)):
                    payload = walk(payload, (*path, i))
            return payload

        try:
            smaller = walk(witness.payload, ())
        finally:
            # ``walk`` calls itself: it holds the cell that holds it, a reference cycle
            # through ``self`` (the engine and every document it memoised) that only the
            # cyclic collector would free. Emptying the cell frees them now.
            walk = None  # type: ignore[assignment]
        return Witness(smaller, witness.accepted_by, witness.rejected_by)

    def root_witness(self, direction: Direction) -> Witness | None:
        verdict = _verdict(self.root, direction)
        if verdict.holds is False and verdict.has_witness:
            return self.check(verdict.witness, "old" if direction == "backward" else "new")
        return None

    def _base_payloads(self, side: Side) -> Iterator[Any]:
        """Valid payloads of ``side`` to place a local witness into, cheapest first.

        The engine's root witness comes first; the generator (costly on a wide schema)
        runs only when a lift needs more, and at most once per side.
        """
        direction: Direction = "backward" if side == "old" else "forward"
        verdict = _verdict(self.root, direction)
        if verdict.holds is False and verdict.has_witness:
            yield verdict.witness
        found = self._bases.get(side)
        if found is None:
            from accord.payloads import generate as _generate

            found = []
            # A generator failure only costs a better witness.
            with contextlib.suppress(Exception):
                writer = self.engine.writer(self.roots[side])
                found.extend(_generate.valid_payloads(writer, n=4, seed=0))
            self._bases[side] = found
        yield from found

    def lift(self, direction: Direction, instance_path: str, local: Any) -> Witness | None:
        accepted_by: Side = "old" if direction == "backward" else "new"
        key = (direction, instance_path, canonical_text(local))
        if key in self._memo:
            return self._memo[key]
        tokens = _pointer.split(instance_path)
        found: Witness | None = None
        if not tokens:
            found = self.check(local, accepted_by)
        else:
            for base in itertools.chain(self._base_payloads(accepted_by), [None]):
                found = self.check(_put(base, tokens, local), accepted_by)
                if found is not None:
                    break
        self._memo[key] = found
        return found


# ----------------------------------------------------------------------------- walking


def _excluded_kinds(site: Site) -> set[str]:
    """JSON types one side rules out: their keywords are not compared at this site."""
    out: set[str] = set()
    for view in (site.old, site.new):
        types = view.types()
        if types is None:
            continue
        out |= {kind for kind in ("object", "array", "string") if kind not in types}
        if not types & {"number", "integer"}:
            out.add("number")
    return out


def _keywords(site: Site) -> frozenset[str]:
    """Every keyword of every conjunct of either side (``View.parts``)."""
    return frozenset(k for view in (site.old, site.new) for _, part in view.parts for k in part)


# Rules that read nothing but these keywords of a site's conjuncts (``View.parts``): where
# none of them is in any conjunct of either side, both sides read alike and the rule
# finds nothing, so it is not run (most rules at a wide object's property).
# tests/compat/test_fast_paths.py holds each entry to that.
_READS: dict[str, frozenset[str]] = {
    **{
        f"{stem}-{word}": frozenset({keyword})
        for stem, keyword in (
            ("max-length", "maxLength"),
            ("min-length", "minLength"),
            ("max-items", "maxItems"),
            ("min-items", "minItems"),
            ("max-properties", "maxProperties"),
            ("min-properties", "minProperties"),
        )
        for word in ("increased", "decreased")
    },
    **dict.fromkeys(
        ("pattern-changed", "pattern-added", "pattern-removed"), frozenset({"pattern"})
    ),
    **dict.fromkeys(("format-added", "format-removed", "format-changed"), frozenset({"format"})),
    **dict.fromkeys(
        ("minimum-increased", "minimum-decreased"), frozenset({"minimum", "exclusiveMinimum"})
    ),
    **dict.fromkeys(
        ("maximum-increased", "maximum-decreased"), frozenset({"maximum", "exclusiveMaximum"})
    ),
    "multiple-of-changed": frozenset({"multipleOf"}),
    **dict.fromkeys(
        ("object-closed", "object-opened"),
        frozenset({"additionalProperties", "unevaluatedProperties"}),
    ),
    **dict.fromkeys(
        ("additional-properties-narrowed", "additional-properties-widened"),
        frozenset({"additionalProperties"}),
    ),
    "pattern-properties-changed": frozenset({"patternProperties"}),
    "property-names-changed": frozenset({"propertyNames"}),
    **dict.fromkeys(
        ("dependent-required-added", "dependent-required-removed"),
        frozenset({"dependentRequired"}),
    ),
    **dict.fromkeys(
        ("enum-added", "enum-removed", "enum-value-added", "enum-value-removed", "const-changed"),
        frozenset({"enum", "const"}),
    ),
    "description-changed": frozenset({"title", "description", "$comment"}),
    "examples-changed": frozenset({"examples"}),
    "access-mode-changed": frozenset({"readOnly", "writeOnly"}),
    "default-changed": frozenset({"default"}),
    "deprecated-changed": frozenset({"deprecated"}),
    **dict.fromkeys(
        (
            "oneof-branch-added",
            "oneof-branch-removed",
            "oneof-branch-overlap",
            "anyof-branch-added",
            "anyof-branch-removed",
            "combinator-changed",
        ),
        frozenset({"anyOf", "oneOf"}),
    ),
    **dict.fromkeys(("allof-conjunct-added", "allof-conjunct-removed"), frozenset({"allOf"})),
    "not-changed": frozenset({"not"}),
    "conditional-changed": frozenset({"if", "then", "else", "dependentSchemas"}),
    "ref-refactored": frozenset({"$ref", "allOf"}),
}

# Each rule with its kind and its keywords (``_READS``), in the catalogue's order: what
# the walker filters at every site, read once (``Rule.kind`` and ``Rule.id`` are looked
# up through the rule's record).
_DISPATCH = tuple((rule, rule.kind, _READS.get(rule.id)) for rule in RULES.values())


@functools.lru_cache(maxsize=1024)
def _rules_for(excluded: frozenset[str], present: frozenset[str]) -> tuple[Rule, ...]:
    """The rules the walker runs at a site whose sides rule out the JSON types
    ``excluded`` and write the keywords ``present``, in the catalogue's order: a function
    of the two sets alone (:data:`_DISPATCH` does not change), so sites alike (every
    changed string property of an object) filter the catalogue once."""
    return tuple(
        r
        for r, kind, reads in _DISPATCH
        if kind not in excluded and (reads is None or not reads.isdisjoint(present))
    )


class _Walker:
    def __init__(
        self,
        old: Schema,
        new: Schema,
        same: Callable[[Any, Any], bool] = same_text,
        differing: Callable[[dict[str, Any], dict[str, Any]], frozenset[str]] | None = None,
    ) -> None:
        self.old = old
        self.new = new
        self._same = same  # same_text, or the engine's (answers it already has)
        # The keys two ``properties`` objects both name with texts that differ (the
        # engine's ``differing``, found once per pair), or None.
        self._differing = differing
        self.found: list[tuple[Site, Hit]] = []
        self.sites: list[Site] = []
        self._memo: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        defs_old = (
            {k: old.get(k) for k in ("$defs", "definitions")} if isinstance(old, dict) else {}
        )
        defs_new = (
            {k: new.get(k) for k in ("$defs", "definitions")} if isinstance(new, dict) else {}
        )
        self._same_defs = canonical_text(defs_old) == canonical_text(defs_new)

    def _unchanged(
        self, old: Sequence[tuple[str, Schema]], new: Sequence[tuple[str, Schema]]
    ) -> bool:
        # Equal exactly when the line-joined canonical texts of the two lists are; the
        # text is only built to look for "$ref" when the definitions differ.
        if len(old) != len(new):
            return False
        if len(old) == 1:  # the common case: one subschema a side
            if not self._same(old[0][1], new[0][1]):
                return False
        elif not all(self._same(a, b) for (_, a), (_, b) in zip(old, new, strict=True)):
            return False
        return self._same_defs or "$ref" not in "\n".join(canonical_text(s) for _, s in old)

    def walk(
        self,
        old: Sequence[tuple[str, Schema]],
        new: Sequence[tuple[str, Schema]],
        instance_path: str,
        *,
        monotone: bool = True,
        anchor: Site | None = None,
    ) -> None:
        if self._unchanged(old, new):
            return
        key = (tuple(p for p, _ in old), tuple(p for p, _ in new))
        if key in self._memo:
            return
        self._memo.add(key)
        site = Site(View(self.old, old), View(self.new, new), instance_path, monotone, anchor)
        self.sites.append(site)
        if site.old.is_false or site.new.is_false:
            # Facets of the other side say nothing once one side rejects everything.
            for rule in (RULES["schema-narrowed"], RULES["schema-widened"]):
                for hit in rule.detect(site):
                    self.found.append((site, hit))
            return
        present = _keywords(site)
        for rule in _rules_for(frozenset(_excluded_kinds(site)), present):
            for hit in rule.detect(site):
                self.found.append((site, hit))
        if not _CHILD_KEYWORDS.isdisjoint(present):
            # Else no conjunct of either side holds a subschema ``_children`` enters (a
            # leaf: most changed properties), and it would find nothing to walk.
            self._children(site)

    def _changed_keys(self, old: View, new: View) -> frozenset[str] | None:
        """The keys to walk into where each side has one ``properties`` object (so one
        declaration a key, as ``_children``'s common case asks): those both name with
        subschemas of different text, from the engine's comparison of the two objects
        (the roots' are made for its key-by-key question). Else None."""
        ours, theirs = old.values("properties"), new.values("properties")
        if self._differing is None or len(ours) != 1 or len(theirs) != 1:
            return None
        a, b = ours[0][1], theirs[0][1]
        if not isinstance(a, dict) or not isinstance(b, dict):
            return None
        return self._differing(a, b)

    def _children(self, site: Site) -> None:
        old, new, here = site.old, site.new, site.instance_path
        monotone = site.monotone
        old_props, new_props = old.properties(), new.properties()
        same, plain = self._same, self._same_defs
        changed = self._changed_keys(old, new) if plain else None
        for name, entries in old_props.items():
            if changed is not None and name not in changed:
                continue  # not in NEW, or the same text: what the checks below find
            theirs = new_props.get(name)
            if theirs is None:
                continue
            if plain and len(entries) == 1 and len(theirs) == 1:
                # ``_unchanged``'s common case (one declaration a side, the same
                # definitions), asked without its call: a wide object's keys.
                if same(entries[0][1], theirs[0][1]):
                    continue
            elif self._unchanged(entries, theirs):
                continue
            self.walk(entries, theirs, _pointer.join(here, name), monotone=monotone)
        for keyword in ("additionalProperties", "items", "unevaluatedProperties"):
            a, b = old.values(keyword), new.values(keyword)
            if a and b and all(isinstance(v, dict) for _, v in (*a, *b)):
                self.walk(
                    [(_pointer.join(p, keyword), v) for p, v in a],
                    [(_pointer.join(p, keyword), v) for p, v in b],
                    _pointer.join(here, "*"),
                    monotone=monotone,
                )
        old_pat, new_pat = old.pattern_properties(), new.pattern_properties()
        for pattern in old_pat:
            if pattern in new_pat:
                self.walk(
                    old_pat[pattern], new_pat[pattern], _pointer.join(here, "*"), monotone=monotone
                )
        a_prefix, b_prefix = old.first("prefixItems"), new.first("prefixItems")
        if (
            a_prefix
            and b_prefix
            and isinstance(a_prefix[1], list)
            and isinstance(b_prefix[1], list)
        ):
            for i in range(min(len(a_prefix[1]), len(b_prefix[1]))):
                self.walk(
                    [(_pointer.join(a_prefix[0], "prefixItems", i), a_prefix[1][i])],
                    [(_pointer.join(b_prefix[0], "prefixItems", i), b_prefix[1][i])],
                    _pointer.join(here, str(i)),
                    monotone=monotone,
                )
        for keyword in _IN_PLACE_WALKED:
            in_old, in_new = old.first(keyword), new.first(keyword)
            if in_old and in_new and isinstance(in_old[1], dict) and isinstance(in_new[1], dict):
                # The subschema applies at this location (propertyNames: to its key
                # names; contains: to some item), so the location is what the engine
                # compares (the anchor).
                self.walk(
                    [(_pointer.join(in_old[0], keyword), in_old[1])],
                    [(_pointer.join(in_new[0], keyword), in_new[1])],
                    _pointer.join(here, "*") if keyword == "contains" else here,
                    monotone=monotone,
                    anchor=site.location,
                )
        for old_group, new_group in combinator_groups(site):
            if old_group is None or new_group is None:
                continue
            pairs, _, _ = match_branches(old_group[2], new_group[2])
            for i, j in pairs:
                self.walk(
                    [(_pointer.join(old_group[1], old_group[0], i), old_group[2][i])],
                    [(_pointer.join(new_group[1], new_group[0], j), new_group[2][j])],
                    here,
                    monotone=site.monotone and old_group[0] == new_group[0] == "anyOf",
                    anchor=site.location,
                )


# Subschemas the walker enters beside properties, items and branches: a rule inside
# names the change (``maxLength`` under ``contains``) instead of the coarse rule that
# only says the keyword changed (:data:`_COARSE`). Not ``not`` and ``if``: a rule's name
# there says the opposite of what the change does (``nullable-added`` under ``not``
# rejects null), so ``not-changed``/``conditional-changed`` stay the whole report.
_IN_PLACE_WALKED = ("then", "else", "contains", "propertyNames")
_COARSE = frozenset({"conditional-changed", "contains-changed", "property-names-changed"})
# Every keyword ``_Walker._children`` reads a subschema to walk from (``View.properties``,
# ``values``, ``pattern_properties``, ``first``, ``combinators``).
_CHILD_KEYWORDS = frozenset(
    {
        "properties",
        "additionalProperties",
        "items",
        "unevaluatedProperties",
        "patternProperties",
        "prefixItems",
        *_IN_PLACE_WALKED,
        "anyOf",
        "oneOf",
    }
)


def _drop_explained_coarse(changes: list[Change]) -> list[Change]:
    """Without the coarse changes (``not-changed``, ...) that finer changes under the
    same keyword explain: every direction the coarse one breaks is broken by one of them."""
    out: list[Change] = []
    for change in changes:
        if change.rule in _COARSE and change.schema_path:
            finer = [
                c
                for c in changes
                if c is not change and c.schema_path.startswith(change.schema_path + "/")
            ]
            explained = {d for c in finer for d in c.breaks}
            if finer and set(change.breaks) <= explained:
                continue
        out.append(change)
    return out


# ----------------------------------------------------------------------------- judging


class _Judge:
    """Decides what each hit breaks and builds the changes."""

    def __init__(
        self,
        engine: _Engine,
        old: Schema,
        new: Schema,
        root: Comparison,
        mode: str,
    ) -> None:
        self.engine = engine
        self.old = old
        self.new = new
        self.root = root
        self.required = required_directions(mode)
        self._rewritten: dict[int, tuple[Any, Any]] = {}
        self._locations: dict[int, tuple[Site, tuple[Schema, Schema]]] = {}
        self._old_ref_free = isinstance(old, dict) and "$ref" not in canonical_text(old)
        # Neither "$ref" nor "$dynamicRef" anywhere in OLD / NEW (what ``_has_ref`` looks
        # for; the texts are the diff's own, memoised).
        self._old_no_refs = self._old_ref_free and "$dynamicRef" not in canonical_text(old)
        self._new_no_refs = isinstance(new, dict) and not any(
            key in canonical_text(new) for key in ('"$ref"', '"$dynamicRef"')
        )
        self.old_embedded = _embedded(old, self._rewritten)
        self.new_embedded = _embedded(new, self._rewritten)
        self.witnesses = _Witnesses(engine, old, new, root)
        self.set_ok: dict[Direction, bool] = {
            "backward": root.backward.holds is True,
            "forward": root.forward.holds is True,
        }

    def location(self, site: Site) -> tuple[Schema, Schema]:
        """The local schemas of a site's whole location (the same objects every time)."""
        loc = site.location
        found = self._locations.get(id(loc))
        if found is None or found[0] is not loc:
            pair = (
                _local(
                    self.old_embedded, [p for p, _ in loc.old.entries], ref_free=self._old_no_refs
                ),
                _local(
                    self.new_embedded, [p for p, _ in loc.new.entries], ref_free=self._new_no_refs
                ),
            )
            found = (loc, pair)
            self._locations[id(loc)] = found
        return found[1]

    def isolated(self, site: Site, hit: Hit) -> _Pair:
        old_local, new_local = self.location(site)
        if hit.patch is not None:
            known: dict[Direction, Verdict] = {}
            if self._key_never_written(site, hit):
                known["backward"] = _HOLDS
            patch = hit.patch
            return _Pair(self.engine, old_local, lambda: self._patched_local(site, patch), known)
        return self.engine.pair(old_local, new_local)

    def _key_never_written(self, site: Site, hit: Hit) -> bool:
        """Whether OLD's writers can never emit the key an optional property adds, so the
        isolated backward question (OLD's writer closure within OLD with the property
        declared) holds without asking it of the whole location: a question on that key
        alone, which OLD's writers never send.

        The argument, under contract semantics: the site is one object schema of OLD
        (no ``$ref`` anywhere in OLD, no anchor, so nothing else applies where it does)
        that declares some key, does not name the added one and has no
        ``additionalProperties`` but ``false``: its writer closure admits only the
        declared keys. Declaring one more changes what OLD accepts only for objects
        carrying it, so every payload of OLD's writer is still accepted. The engine
        proves the same, and would answer so: the location and the added schema are
        plain (:func:`_plain_size`: nothing it fails to read or leaves unmodelled) and
        small for its step budget (:data:`_STEPS_PER_NODE`).
        """
        if (
            hit.rule != "property-added-optional"
            or self.engine.semantics != "contract"
            or self.engine.unmodelled is not None
            or not self._old_no_refs
            or site.anchor is not None
            or hit.patch is None
            or len(hit.patch) != 1
            or len(site.old.entries) != 1
        ):
            return False
        where, holder = site.old.entries[0]
        target, keyword, props = hit.patch[0]
        if not isinstance(holder, dict) or (target, keyword) != (where, "properties"):
            return False
        declared = holder.get("properties", {})
        required = holder.get("required", [])
        return (
            holder.get("additionalProperties", False) is False
            and isinstance(declared, dict)
            and isinstance(required, list)
            and bool(declared or required)
            and hit.key not in declared
            and hit.key not in required
            and isinstance(props, dict)
            and props.keys() == {*declared, hit.key}
            and self._within_budget(holder, props[hit.key])
        )

    def _within_budget(self, holder: Schema, added: Schema) -> bool:
        """Whether ``holder`` and ``added`` are plain (:func:`_plain_size`) and small
        enough for the engine's step budget to prove the question about them."""
        size, extra = self.engine.plain_size(holder), _plain_size(added)
        if size is None or extra is None:
            return False
        return _STEPS_PER_NODE * (size + extra) + _STEPS_BASE <= self.engine.max_steps

    def _patched_local(self, site: Site, patch: Sequence[PatchOp]) -> Schema:
        """The local schema of ``site``'s location in OLD with ``patch`` applied."""
        try:
            patched_root = _apply(self.old, patch)
        except _pointer.Unresolvable:
            # One op removes the node another edits: no OLD with this change alone;
            # the location's NEW schema answers, as below.
            return self.location(site)[1]
        no_refs = False
        if self._old_no_refs and self._adds_no_ref(patch):
            # What the branch below does (OLD and the patch are without "$ref"), and
            # without "$dynamicRef" too.
            patched = _embedded(patched_root, text=False, ref_free=True)
            no_refs = True
        elif self._old_ref_free and not any(
            _has_ref(value) for _, _, value in patch if value is not DELETE
        ):
            # OLD has no "$ref" and the patch adds none: nothing to rewrite.
            patched = _embedded(patched_root, text=False, ref_free=True)
            no_refs = self._old_no_refs
        else:
            patched = _embedded(patched_root, self._rewritten, text=False)
        try:
            return _local(patched, [p for p, _ in site.location.old.entries], ref_free=no_refs)
        except _pointer.Unresolvable:
            # The patch removed the place the location sits at: a change inside a
            # recursive definition, met again through its own "$ref" (the location is
            # /$defs/r/properties/next, the patch drops "next" from r). OLD with this
            # change alone has no such place; the location's NEW schema answers, as it
            # does for a change without a patch.
            return self.location(site)[1]

    def _adds_no_ref(self, patch: Sequence[PatchOp]) -> bool:
        """Whether no value ``patch`` writes into OLD (which has none) holds a ``$ref`` or
        ``$dynamicRef`` key. Of an object replacing one of OLD's (``properties`` with one
        more property), only the entries that are not OLD's own are looked into."""
        for pointer, keyword, value in patch:
            if value is DELETE:
                continue
            fresh: list[Any] = [value]
            if isinstance(value, dict):
                try:
                    found, holder = _pointer.lookup(self.old, pointer)
                except ValueError:
                    found, holder = False, None
                original = holder.get(keyword) if found and isinstance(holder, dict) else None
                if isinstance(original, dict):
                    fresh = [v for k, v in value.items() if original.get(k, _MISSING) is not v]
            if any(_walk_has_ref(v) for v in fresh):
                return False
        return True

    def equivalent(self, site: Site) -> bool:
        old_local, new_local = self.location(site)
        # Forward is asked only when backward holds.
        return all(self.engine.verdict(old_local, new_local, d, "set").holds is True for d in BOTH)

    def disjoint(self, site: Site, hit: Hit) -> bool:
        """Whether the two ``oneOf`` branches an overlap hit names can never both match."""
        assert hit.key is not None
        a, b = (int(x) for x in hit.key.split(","))
        base = hit.schema_path.rsplit("/", 1)[0]
        one = _local(self.new_embedded, [f"{base}/{a}"])
        two = _local(self.new_embedded, [f"{base}/{b}"])
        if not isinstance(two, dict):
            return False
        negated = {
            "$defs": two.get("$defs", {}),
            "not": {k: v for k, v in two.items() if k != "$defs"},
        }
        return self.engine.includes(one, negated).holds is True

    def change(
        self,
        site: Site,
        hit: Hit,
        *,
        policy: bool = False,
        claims: Sequence[Direction] | None = None,
    ) -> Change:
        rule = RULES[hit.rule]
        allowed = rule.breaks if site.monotone else BOTH
        # The isolated comparison is asked only when a direction is open to claim: most
        # hits (annotations, directions that hold at the root) never need the engine.
        comparison: _Pair | None = None
        if claims is None:
            candidates = [d for d in allowed if not self.set_ok[d]]
            if candidates:
                comparison = self.isolated(site, hit)
            claims = [
                d
                for d in candidates
                if comparison is not None and comparison.verdict(d).holds is not True
            ]
        if claims and comparison is None:
            comparison = self.isolated(site, hit)
        own: dict[Direction, Witness | None] = {}
        legacy: Witness | None = None  # the change's one witness: a local one first
        for d in claims:
            assert comparison is not None
            local = self._local_witness(site, hit, comparison.verdict(d), d)
            found = local or self.witnesses.root_witness(d)
            if policy and found is not None and not self._about_key(found, hit.instance_path):
                # A removal shows only a witness that carries the removed key: the
                # location's witness may be about another key entirely.
                found = local = self._key_witness(d, hit.instance_path)
            if local is not None and legacy is None:
                legacy = local
            own[d] = found
        if legacy is None:
            legacy = next((w for w in own.values() if w is not None), None)
        shrunk: dict[int, Witness] = {}
        for d, found in own.items():
            if found is not None:
                if id(found) not in shrunk:
                    shrunk[id(found)] = self.witnesses.shrink(found, hit.instance_path)
                own[d] = shrunk[id(found)]
        witness = shrunk[id(legacy)] if legacy is not None else None
        results: list[DirectionResult] = []
        for d in BOTH:
            if d not in claims:
                results.append(DirectionResult(d, "proven"))
            elif policy:
                results.append(
                    DirectionResult(d, "policy", own[d], policy="removal", reason=hit.message)
                )
            elif own[d] is not None:
                results.append(DirectionResult(d, "refuted", own[d]))
            else:
                assert comparison is not None
                reason = (
                    comparison.verdict(d).reason
                    or _verdict(self.root, d).reason
                    or "inclusion could not be proven"
                )
                results.append(DirectionResult(d, "unproven", reason=reason))
        unproven = [r for r in results if r.status == "unproven"]
        status: Status = "proven"
        message = hit.message
        if policy:
            status = "policy"
        elif unproven:
            status = "unproven"
            first = unproven[0]
            label = "unproven" if len(unproven) == len(claims) else f"{first.direction} unproven"
            message += f" ({label}: {first.reason})"
        return Change(
            rule=hit.rule,
            severity=self.severity(rule.severity, claims),
            status=status,
            schema_path=hit.schema_path,
            instance_path=hit.instance_path,
            breaks=tuple(d for d in ("backward", "forward") if d in claims),
            message=message,
            witness=witness,
            directions=tuple(results),
        )

    def _key_witness(self, d: Direction, instance_path: str) -> Witness | None:
        """A root payload with a plain value at ``instance_path`` that separates the
        sides in direction ``d`` (a removed key the reader now forbids), or None."""
        values: tuple[Any, ...] = ("", 0, None, False, [], {})
        accepted: Side = "old" if d == "backward" else "new"
        tokens = _pointer.split(instance_path)
        for value in values:
            # Alone first (nothing else in the payload to separate the sides), then
            # placed into a valid payload of the accepting side.
            for found in (
                self.witnesses.check(_put(None, tokens, value), accepted),
                self.witnesses.lift(d, instance_path, value),
            ):
                if found is not None and self._about_key(found, instance_path):
                    return found
        return None

    def _about_key(self, witness: Witness, instance_path: str) -> bool:
        """Whether ``witness`` separates the sides because of the key at
        ``instance_path``: it carries the key, and without it it would not separate."""
        if _part(witness.payload, "", instance_path) is _MISSING:
            return False
        *parents, key = _pointer.split(instance_path)
        if "*" in parents:
            return True  # a key inside array items: carrying it is all that is asked
        steps = _steps(witness.payload, parents)
        holder = _get_at(witness.payload, steps)
        if not isinstance(holder, dict):
            return True
        without = _set_at(witness.payload, steps, {k: v for k, v in holder.items() if k != key})
        return self.witnesses.check(without, witness.accepted_by) is None

    def _local_witness(self, site: Site, hit: Hit, local: Verdict, d: Direction) -> Witness | None:
        """The isolated comparison's witness for ``d``, lifted into a root payload."""
        if local.holds is not False or not local.has_witness:
            return None
        found = self.witnesses.lift(d, site.location.instance_path, local.witness)
        if found is None:
            # Try just the part of the local witness at the change itself, placed into a
            # valid payload of the accepting side.
            part = _part(local.witness, site.location.instance_path, hit.instance_path)
            if part is not _MISSING:
                found = self.witnesses.lift(d, hit.instance_path, part)
        return found

    def root_directions(self, changes: Sequence[Change]) -> tuple[DirectionResult, ...]:
        """Each direction's standing at the root: the engine's verdict, its witness (or a
        change's own witness for that direction), else the removal policy, else unproven."""
        out: list[DirectionResult] = []
        removal = self.root.removals[0] if self.root.removals else None
        policy = "removal" if removal is not None else None
        policy_reason = (
            f"property {removal.key!r} removed at {removal.instance_path or '/'} ({removal.reason})"
            if removal is not None
            else ""
        )
        for d in BOTH:
            verdict = _verdict(self.root, d)
            if verdict.holds is True and removal is None:
                out.append(DirectionResult(d, "proven"))
                continue
            witness = self.witnesses.root_witness(d)
            if witness is not None:
                witness = self.witnesses.shrink(witness)
            else:
                witness = next(
                    (
                        c.direction(d).witness
                        for c in changes
                        if c.direction(d).status == "refuted" and c.direction(d).witness
                    ),
                    None,
                )
            if witness is not None:
                out.append(DirectionResult(d, "refuted", witness, policy, policy_reason))
            elif removal is not None:
                out.append(DirectionResult(d, "policy", policy=policy, reason=policy_reason))
            else:
                reason = verdict.reason or "inclusion could not be proven"
                out.append(DirectionResult(d, "unproven", reason=reason))
        return tuple(out)

    def severity(self, default: Severity, claims: Sequence[Direction]) -> Severity:
        if set(claims) & set(self.required):
            return default
        return "warning" if claims else "info"


_HOLDS = Verdict(holds=True)

# The keywords of an object two plain objects may differ in and still be compared key by
# key (``_Engine._holds_by_keys``): the keys and annotations.
_KEY_BY_KEY = frozenset(
    {
        "$comment",
        "$id",
        "$schema",
        "default",
        "deprecated",
        "description",
        "examples",
        "properties",
        "readOnly",
        "required",
        "title",
        "writeOnly",
    }
)

# The keywords of a plain schema (``_plain_size``): object, array and scalar assertions
# the engine reads directly, annotations, ``properties`` and ``items``. No combinator,
# no reference, no regular expression, nothing that looks at other keys
# (``_Judge._key_never_written``).
_PLAIN_KEYWORDS = frozenset(
    {
        "$comment",
        "$id",
        "$schema",
        "additionalProperties",
        "const",
        "default",
        "deprecated",
        "description",
        "enum",
        "examples",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "properties",
        "readOnly",
        "required",
        "title",
        "type",
        "uniqueItems",
        "writeOnly",
    }
)


def _plain_size(schema: Schema) -> int | None:
    """The number of subschemas in ``schema`` (itself included) when each is a boolean or
    an object of :data:`_PLAIN_KEYWORDS` only, with a boolean ``additionalProperties``;
    else None."""
    count = 0
    stack = [schema]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, bool):
            continue
        if not isinstance(node, dict) or not node.keys() <= _PLAIN_KEYWORDS:
            return None
        if not isinstance(node.get("additionalProperties", False), bool):
            return None
        props = node.get("properties", {})
        if not isinstance(props, dict):
            return None
        values = props.values()
        if _DICT.issuperset(map(type, values)) and all(map(_LEAF_KEYWORDS.issuperset, values)):
            # Every property a plain leaf (a wide flat object), told in C: what the loop
            # below counts, one for each (``issuperset`` of an object reads its keys).
            count += len(values)
        else:
            for value in values:
                if type(value) is dict and value.keys() <= _LEAF_KEYWORDS:
                    count += 1  # a plain leaf: what the loop counts for it, without the loop
                else:
                    stack.append(value)
        if "items" in node:
            stack.append(node["items"])
    return count


# A plain schema with no subschema: nothing in it can make ``_plain_size`` say None.
_LEAF_KEYWORDS = _PLAIN_KEYWORDS - {"additionalProperties", "items", "properties"}
_DICT = frozenset({dict})


# The step budget ``_Judge._key_never_written`` asks for, per subschema of a plain
# location, before answering for the engine: the engine's proof for these shapes takes
# about 2 steps per subschema on a wide object and at most 8 on the smallest (measured
# on generated plain schemas), so the budget the engine would have is never the reason
# it could not answer.
_STEPS_PER_NODE = 16
_STEPS_BASE = 256


def _removal_hits(comparison: Comparison) -> Iterator[Hit]:
    for removal in comparison.removals:
        yield Hit(
            rule="property-removed",
            message=f"property {removal.key!r} removed ({removal.reason})",
            schema_path=removal.schema_path,
            instance_path=_pointer.join(removal.instance_path, removal.key),
            in_old=True,
            key=removal.key,
        )


def _changes(
    engine: _Engine,
    old: Schema,
    new: Schema,
    root: Comparison,
    mode: str,
) -> tuple[list[Change], bool, tuple[DirectionResult, ...]]:
    """Every change, whether the declared keys (or a default/deprecated flag) changed, and
    each direction's standing at the root."""
    walker = _Walker(old, new, engine.same_text, engine.differing)
    walker.walk([("", old)], [("", new)], "")
    judge = _Judge(engine, old, new, root, mode)
    changes: list[Change] = []
    declared_changed = bool(root.removals)
    hits_by_site: dict[int, list[Hit]] = {}
    for site, hit in walker.found:
        hits_by_site.setdefault(id(site), []).append(hit)

    removal_paths = {_pointer.join(r.instance_path, r.key) for r in root.removals}
    for site, hit in walker.found:
        spec = RULES[hit.rule]
        if spec.reported == "when-equivalent":
            if judge.equivalent(site.location):
                changes.append(judge.change(site, hit, claims=()))
            continue
        if spec.reported == "when-overlapping" and judge.disjoint(site, hit):
            continue
        if spec.spec.policy == "removal" and hit.instance_path in removal_paths:
            continue  # reported from the engine's removals, as policy
        change = judge.change(site, hit)
        if spec.reported in ("when-breaking", "when-overlapping") and not change.breaks:
            continue
        if spec.declared and not _still_declared(site, hit):
            declared_changed = True
        if spec.spec.declares_undeclared and hit.key not in (
            site.old.properties().keys() | site.new.properties().keys()
        ):
            declared_changed = True
        changes.append(change)

    # Removals: breaking both ways by policy (contract semantics).
    root_site = Site(View(old, [("", old)]), View(new, [("", new)]), "")
    for hit in _removal_hits(root):
        site = next(
            (s for s in walker.sites if s.instance_path == hit.instance_path.rsplit("/", 1)[0]),
            root_site,
        )
        changes.append(judge.change(site, hit, policy=True, claims=BOTH))

    # allOf members added or removed that no facet rule explains.
    for site in walker.sites:
        old_n, new_n = sum(site.old.allof_sizes), sum(site.new.allof_sizes)
        own = [
            h for h in hits_by_site.get(id(site), []) if RULES[h.rule].reported != "when-equivalent"
        ]
        if old_n == new_n or own:
            continue
        rule_id = "allof-conjunct-added" if new_n > old_n else "allof-conjunct-removed"
        view = site.new if new_n > old_n else site.old
        hit = Hit(
            rule_id,
            f"allOf {old_n} -> {new_n} members",
            view.where("allOf"),
            site.instance_path,
            in_old=new_n < old_n,
        )
        change = judge.change(site, hit)
        if change.breaks:
            changes.append(change)

    # Directions broken at the root that no change explains.
    for direction, rule_id in (("backward", "schema-narrowed"), ("forward", "schema-widened")):
        d: Direction = "backward" if direction == "backward" else "forward"
        if judge.set_ok[d] or any(d in c.breaks for c in changes):
            continue
        verb = "accepts fewer" if d == "backward" else "accepts more"
        hit = Hit(rule_id, f"schema {verb} payloads", "", "")
        changes.append(judge.change(root_site, hit, claims=(d,)))

    changes = _drop_explained_coarse(_dedupe(changes))
    return changes, declared_changed, judge.root_directions(changes)


def _still_declared(site: Site, hit: Hit) -> bool:
    """A removed property whose key a ``patternProperties`` of NEW still declares."""
    if hit.rule != "property-removed" or hit.key is None:
        return False
    import regress

    for pattern in site.new.pattern_properties():
        try:
            if regress.Regex(pattern).find(hit.key) is not None:
                return True
        except Exception:  # noqa: BLE001, S112 - an invalid pattern declares nothing
            continue
    return False


def _dedupe(changes: list[Change]) -> list[Change]:
    seen: set[tuple[str, str, str, str]] = set()
    out: list[Change] = []
    for change in changes:
        key = (change.rule, change.schema_path, change.instance_path, change.message)
        if key not in seen:
            seen.add(key)
            out.append(change)
    return sorted(out, key=lambda c: (c.instance_path, c.rule, c.schema_path, c.message))


# ----------------------------------------------------------------------------- public API


def _apply_overrides(changes: Sequence[Change], overrides: Mapping[str, Any]) -> list[Change]:
    out: list[Change] = []
    for change in changes:
        override = overrides.get(change.rule)
        severity = getattr(override, "severity", None)
        if severity == "off":
            continue
        if severity == "warning" and change.severity == "error":
            out.append(replace(change, severity="warning"))
        elif severity == "error" and change.breaks:
            out.append(replace(change, severity="error"))
        else:
            out.append(change)
    return out


def _compatible(changes: Sequence[Change], mode: str, truth: Mapping[Direction, bool]) -> bool:
    for d in required_directions(mode):
        if truth[d]:
            continue
        if any(c.severity == "error" and d in c.breaks for c in changes):
            return False
    return True


def _compare_inputs(old: _Input, new: _Input, **options: Any) -> Report:
    """:func:`_compare_unguarded` (same keyword options), with deep inputs as bad input."""
    try:
        return _compare_unguarded(old, new, **options)
    except RecursionError:
        # Each document is within max-depth, but $refs between contracts chain them
        # into one deeper schema: bad input, not an internal error.
        raise SchemaError(
            f"{old.label} and {new.label} nest too deeply to compare with every $ref "
            "followed (chains of contracts referencing each other add up their depths)",
            code="schema-too-complex",
            file=new.version.file if new.version is not None else new.label,
        ) from None


def _compare_unguarded(
    old: _Input,
    new: _Input,
    *,
    mode: str,
    semantics: Semantics,
    max_steps: int,
    overrides: Mapping[str, Any],
) -> Report:
    from accord.core import jsondoc as _jsondoc

    if semantics not in ("contract", "set"):
        raise UsageError(f"unknown semantics {semantics!r} (expected contract or set)")
    required_directions(mode)  # validates the mode
    # "Identical content" is ``canonical_dumps`` equality; the compact ``sorted_dumps``
    # (the C encoder, not the indenting Python one) gives the same answer: both write the
    # same tokens (sorted keys, exact numbers, the same ``default``), one with layout
    # whitespace between them, so each text is equal exactly when the tokens are.
    identical = _may_be_same(old.raw, new.raw) and _jsondoc.sorted_dumps(
        old.raw
    ) == _jsondoc.sorted_dumps(new.raw)
    if identical or canonical_text(old.schema) == canonical_text(new.schema):
        return Report(
            mode=mode,
            semantics=semantics,
            compatible=True,
            backward=True,
            forward=True,
            required_bump="none" if identical else "patch",
            changes=(),
            old=old.label,
            new=new.label,
        )
    engine = _Engine(
        semantics, max_steps, unmodelled=_draft_07_assertions(old) or _draft_07_assertions(new)
    )
    directions = engine.compare(old.schema, new.schema)
    root = replace(directions, removals=engine.removals(old.schema, new.schema))
    changes, declared_changed, standing = _changes(engine, old.schema, new.schema, root, mode)
    truth: dict[Direction, bool] = {
        "backward": root.backward.holds is True and not root.removals,
        "forward": root.forward.holds is True and not root.removals,
    }
    changes = _apply_overrides(changes, overrides)
    compatible = _compatible(changes, mode, truth)
    bump: BumpKind
    if not compatible:
        bump = "major"
    elif declared_changed:
        bump = "minor"  # whatever the valid sets do: no need to compare them
    else:
        bump = "patch" if _same_sets(engine, old.schema, new.schema, root, semantics) else "minor"
    return Report(
        mode=mode,
        semantics=semantics,
        compatible=compatible,
        backward=truth["backward"],
        forward=truth["forward"],
        required_bump=bump,
        changes=tuple(changes),
        old=old.label,
        new=new.label,
        directions=standing,
    )


def _same_sets(
    engine: _Engine, old: Schema, new: Schema, root: Comparison, semantics: Semantics
) -> bool:
    """Whether OLD and NEW accept the same payloads under plain validation (a direction
    is asked only while the other holds)."""
    if semantics == "set":
        return root.backward.holds is True and root.forward.holds is True
    return all(engine.verdict(old, new, d, "set").holds is True for d in BOTH)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during one comparison (state restored after).

    A comparison allocates tens of thousands of short-lived, acyclic objects (engine
    nodes, key tuples); each collection they trigger walks every tracked object of the
    process, so on a wide schema the collector cost 10-25% of a diff and grew faster than
    the schema. Whatever a comparison leaves is collected by the next collection after
    it. A process (or a caller) that turned the collector off keeps it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_collector_paused()
def diff(
    old: Schema | os.PathLike[str] | None = None,
    new: Schema | os.PathLike[str] | None = None,
    *,
    old_schema: Schema | None = None,
    new_schema: Schema | None = None,
    old_path: str | os.PathLike[str] | None = None,
    new_path: str | os.PathLike[str] | None = None,
    old_ref: str | None = None,
    new_ref: str | None = None,
    mode: str | None = None,
    semantics: Semantics = "contract",
    max_steps: int = DEFAULT_MAX_STEPS,
    registry: Registry | None = None,
    limits: SchemaLimits | None = None,
    overrides: Mapping[str, RuleOverride] | None = None,
) -> Report:
    """Compare two schemas and report every change, both directions and the bump.

    Each side is given exactly one way: a schema (a dict or bool, positionally or as
    ``old_schema=``), a file (a :class:`~pathlib.Path` positionally, or ``old_path=``)
    or a registry reference (``old_ref="orders.order-placed@1.0.0"``). A positional
    ``str`` is still accepted and guessed (an existing file, else a reference) with a
    :class:`DeprecationWarning`.

    Args:
        old: The earlier schema (dict or bool) or a schema file (``Path``).
        new: The later schema, same forms.
        old_schema: The earlier schema as a dict or bool.
        new_schema: The later schema as a dict or bool.
        old_path: The earlier schema's file.
        new_path: The later schema's file.
        old_ref: The earlier schema as a registry reference (``ns.name@1.0.0``, ``@^1``).
        new_ref: The later schema as a registry reference.
        mode: ``backward``, ``forward``, ``full``, ``none`` or a ``*-transitive`` mode.
            Default: the contract's mode when comparing registry references, else
            ``full``. Between two schemas a transitive mode means its base mode.
        semantics: ``contract`` (writers emit only declared keys; removals break both
            ways) or ``set`` (plain set inclusion).
        max_steps: The engine's step budget; over budget a direction is ``unproven``.
        registry: Resolves references and bundles ``accord://`` refs; its contract's
            ``[rules.<id>]`` overrides apply when NEW (or OLD) is a registry version.
            Default, when a side is a reference: discovery (``Registry.discover``:
            ``ACCORD_REGISTRY``, ``[tool.accord] registry``, an installed registry
            package, ``./contracts``).
        limits: The schema budgets (``max-items``, ``max-nodes``) the inputs must stay
            within; default: the registry's ``accord.toml`` limits, else the defaults.
        overrides: The ``[rules.<id>]`` overrides to apply (rule id to
            :class:`~accord.registry.config.RuleOverride`), in place of the contract's
            own; ``{}`` applies none. Default: the contract's when a side is a registry
            version, else none.

    Returns:
        A :class:`~accord.compat.Report`.

    Raises:
        AccordError: unreadable input, an invalid schema, an unknown reference or mode.

    Example:
        >>> report = diff({"type": "integer"}, {"type": "number"})  # doctest: +SKIP
        >>> (report.backward, report.forward, report.required_bump)  # doctest: +SKIP
        (True, False, 'major')
        >>> diff(old_ref="orders.order-placed@1.2.0", new_path="new.json")  # doctest: +SKIP
    """
    from accord.registry.model import optional_registry_argument

    registry = optional_registry_argument(registry)

    old_side = _side("old", old, old_schema, old_path, old_ref)
    new_side = _side("new", new, new_schema, new_path, new_ref)
    refs = [value for kind, value in (old_side, new_side) if kind == "ref"]
    if registry is None and refs:
        # A reference without a registry: discover it once for both sides, the way
        # accord.validator and assert_compatible do.
        registry = _discover(refs[0])
    with _memo.Recorded() as made:
        report, fresh = _diff_loaded(
            old_side, new_side, registry, limits, mode, semantics, max_steps, overrides
        )
    if fresh:
        # Both documents are this call's own copies (a schema given as a value or read
        # from a file): no later call can hold them, so their memo entries (and the
        # documents they keep alive) go now, not when the memos evict them.
        made.forget()
    return report


def _diff_loaded(  # noqa: PLR0917 - the body of ``diff``, its arguments resolved
    old_side: tuple[_Kind, Any],
    new_side: tuple[_Kind, Any],
    registry: Registry | None,
    limits: SchemaLimits | None,
    mode: str | None,
    semantics: Semantics,
    max_steps: int,
    overrides: Mapping[str, RuleOverride] | None = None,
) -> tuple[Report, bool]:
    """:func:`diff` from the resolved sides on: the report, and whether both documents
    are the call's own (neither is a registry version)."""
    left = _load(*old_side, registry, "<old>", limits)
    right = _load(*new_side, registry, "<new>", limits)
    contract = None
    source = right.version or left.version
    if registry is not None and source is not None:
        contract = registry.contract(source.contract_id)
    if mode is None:
        mode = str(contract.meta.mode) if contract is not None else "full"
    if mode not in MODES:
        raise UsageError(
            f"unknown compatibility mode {mode!r} (expected one of {', '.join(MODES)})"
        )
    if overrides is None:
        overrides = contract.meta.rules if contract is not None else {}
    report = _compare_inputs(
        left, right, mode=mode, semantics=semantics, max_steps=max_steps, overrides=overrides
    )
    return report, left.version is None and right.version is None


@_collector_paused()
def check_version(
    registry: Registry,
    contract_id: str,
    version: Any,
    *,
    semantics: Semantics = "contract",
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Report:
    """Check one registry version against what came before, under its contract's mode.

    The baseline is the previous version (docs/design.md): the highest published, non-yanked
    release below it (pre-releases are checked against the previous release). In a
    ``*-transitive`` mode, every earlier non-yanked release of the same major is
    checked too; incompatibilities with those are added to the report (their messages
    name the version). ``required_bump`` is mapped for ``0.y.z``/``0.0.z``.

    Raises:
        ContractNotFound, VersionNotFound: unknown contract or version.
    """
    from accord import versions as _versions
    from accord.registry.model import registry_argument

    registry = registry_argument(registry)

    contract = registry.contract(contract_id)
    current = contract.version(version)
    mode = str(contract.meta.mode)
    others = [v.version for v in contract.versions if v.version != current.version]
    previous = _versions.previous_release(others, current.version, yanked=contract.yanked)
    if previous is None:
        return Report(
            mode=mode,
            semantics=semantics,
            compatible=True,
            backward=True,
            forward=True,
            required_bump="none",
            changes=(),
            old="(none)",
            new=current.ref,
        )
    report = diff(
        old_ref=f"{contract_id}@{previous}",
        new_ref=current.ref,
        mode=mode,
        semantics=semantics,
        max_steps=max_steps,
        registry=registry,
    )
    bump: BumpKind = _versions.required_bump(report.required_bump, previous)
    report = replace(report, required_bump=bump)
    if not mode.endswith("-transitive"):
        return report
    changes = list(report.changes)
    compatible, backward, forward = report.compatible, report.backward, report.forward
    directions = {d: report.direction(d) for d in BOTH}
    for earlier in others:
        if (
            earlier >= previous
            or earlier.major != current.version.major
            or earlier.prerelease
            or earlier in contract.yanked
        ):
            continue
        older = diff(
            old_ref=f"{contract_id}@{earlier}",
            new_ref=current.ref,
            mode=mode,
            semantics=semantics,
            max_steps=max_steps,
            registry=registry,
        )
        backward, forward = backward and older.backward, forward and older.forward
        for d in BOTH:
            earlier_result = older.direction(d)
            if directions[d].status == "proven" and earlier_result.status != "proven":
                reason = f"against {earlier}: {earlier_result.reason}".rstrip(": ")
                directions[d] = replace(earlier_result, reason=reason)
        if not older.compatible:
            compatible = False
            changes.extend(
                replace(c, message=f"against {earlier}: {c.message}")
                for c in older.changes
                if c.severity == "error"
            )
    return replace(
        report,
        compatible=compatible,
        backward=backward,
        forward=forward,
        changes=tuple(changes),
        directions=tuple(directions.values()),
        required_bump=report.required_bump
        if compatible
        else _versions.required_bump("major", previous),
    )
