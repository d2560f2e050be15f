"""Which backend decides validity for a contract, and why.

Three backends can answer "is this payload valid?" (docs/design.md, *Validators*):

- ``rs``: jsonschema-rs, the semantic reference. Always eligible, the automatic choice,
  and the one engine that *explains* failures, whichever backend decides.
- ``python``: python-jsonschema with accord's format checkers and ECMA-262 ``pattern``
  hooks (:mod:`accord.validation.validator`), the pure-Python backend: it may *decide*
  for contracts whose formats and patterns a probe shows it reads as the reference does.
- ``fast``: fastjsonschema, a generated pure-Python function, offered only for contracts
  that a static analysis of the bundled schema proves it handles as the reference does.

Every refusal below was found by a differential test against the reference
(``tests/validation/test_backends.py``, ``tests/validation/test_differential.py``), never assumed:

- fastjsonschema silently ignores ``prefixItems``, ``dependentRequired``,
  ``dependentSchemas``, ``unevaluated*``, ``minContains``/``maxContains`` and
  ``$dynamicRef``, and ignores every keyword beside ``$ref``.
- ``multipleOf``: it divides floats approximately (``1e22`` is accepted as a multiple of
  3; the reference, exact, rejects it) and overflows on big integers with a fractional
  divisor (``10**400`` and ``0.5`` raise ``OverflowError``).
- ``pattern``: it searches with Python ``re``, where ``\\d``, ``\\w`` and ``\\s`` are
  Unicode classes and ``$`` also matches before a final newline. Patterns are rewritten
  into ASCII-explicit Python regexes (:func:`translate_pattern`) when the rewrite is
  exact, and refused otherwise (``\\b``, lookaround, back-references, ``\\p{..}``).
- ``format``: its own regexes differ from the reference (Unicode ``\\d``, loose
  ``uri``); accord's local checkers replace them. Formats whose verdict accord takes
  from jsonschema-rs (``email``, ``idn-*``, ``regex``, ``hostname``'s A-labels) cannot
  be reproduced in pure Python. Any other format is offered only where a probe of the
  installed reference agrees with accord's checker on a corpus of tricky values
  (jsonschema-rs before 0.61 accepted ``2020-01-0/`` as a date: such a format is refused).

Nothing here assumes one release of the reference: how it reads ``.``, and whether it
agrees with a translated pattern or a local format checker, is measured on the installed
jsonschema-rs (:mod:`accord.validation.probe`), and a disagreement refuses the backend.
- ``contentEncoding``/``contentMediaType`` are asserted by fastjsonschema but are
  annotations for the reference: they are removed before compiling (exact).
- ``default`` values are inserted into payloads unless ``use_default=False``: always off.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from accord.core import pointer as _pointer
from accord.core import vocabulary as _vocabulary
from accord.errors import UsageError

__all__ = [
    "BACKENDS",
    "BACKEND_LABELS",
    "BackendChoice",
    "Eligibility",
    "Refusal",
    "choose_backend",
    "compile_fast",
    "eligibility",
    "fast_refusals",
    "python_refusals",
    "translate_pattern",
]

BackendName = Literal["rs", "python", "fast"]
BACKENDS: tuple[BackendName, ...] = ("rs", "python", "fast")
BACKEND_LABELS: dict[str, str] = {
    "rs": "jsonschema-rs",
    "python": "python-jsonschema",
    "fast": "fastjsonschema",
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why one backend cannot decide for a schema: a keyword at a schema location."""

    keyword: str
    pointer: str
    reason: str
    probed: bool = False
    """True when a probe of the installed reference found it (it may differ by release)."""

    def __str__(self) -> str:
        return f"{self.keyword} at {self.pointer or '/'}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether ``backend`` may decide validity for a schema, with every refusal."""

    backend: str
    refusals: tuple[Refusal, ...]
    notes: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        """True when nothing was refused."""
        return not self.refusals

    @property
    def reasons(self) -> tuple[str, ...]:
        """Refusals (as text) when ineligible, else the notes."""
        return tuple(str(r) for r in self.refusals) if self.refusals else self.notes


@dataclass(frozen=True, slots=True)
class BackendChoice:
    """The backend deciding validity, the one explaining failures, and why.

    Attributes:
        name: ``rs``, ``python`` or ``fast``: decides ``is_valid``.
        reasons: Why this backend was chosen.
        explainer: The backend producing errors with paths (always ``rs``, the reference).
        eligibility: Per-backend eligibility, in :data:`BACKENDS` order.
    """

    name: str
    reasons: tuple[str, ...]
    explainer: str = "rs"
    eligibility: tuple[Eligibility, ...] = ()

    @property
    def label(self) -> str:
        """The chosen backend's package name (``jsonschema-rs``, ...)."""
        return BACKEND_LABELS[self.name]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (``accord validate --explain-backend --format json``)."""
        return {
            "validates": self.name,
            "explains": self.explainer,
            "reasons": list(self.reasons),
            "backends": {
                e.backend: {
                    "package": BACKEND_LABELS[e.backend],
                    "eligible": e.eligible,
                    "reasons": list(e.reasons),
                }
                for e in self.eligibility
            },
        }


# --- static analysis -----------------------------------------------------------------

# Keywords whose value is one subschema, a list of them, or a name -> subschema map.
_SINGLE = _vocabulary.keywords(_vocabulary.SCHEMA, "2020-12")
_LIST = _vocabulary.keywords(_vocabulary.ARRAY, "2020-12")
_MAP = _vocabulary.keywords(_vocabulary.MAP, "2020-12")

# Keywords fastjsonschema implements exactly as the reference (checked by differential
# tests), once patterns are translated and formats replaced.
_FAST_ASSERTIONS = frozenset(
    {
        "type",
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
        "contains",
        "minProperties",
        "maxProperties",
        "required",
        "properties",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "$ref",
    }
)
# Annotations: no effect on validity for either side.
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$comment",
        "$defs",
        "title",
        "description",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "examples",
        "$vocabulary",
    }
)
# Asserted by fastjsonschema, annotations for the reference: removed before compiling.
_STRIPPED = frozenset({"contentEncoding", "contentMediaType", "contentSchema"})
# Annotations fastjsonschema would still read (it walks every object for ``$ref`` and
# expands them into its error messages, so a ``default`` naming a URL is fetched):
# removed before compiling, with every ``x-*`` extension. ``$defs`` stays (refs land
# there), and so do ``$schema`` and ``$vocabulary`` (they pick the dialect).
_DATA_ANNOTATIONS = _ANNOTATIONS - {"$schema", "$defs", "$vocabulary"}

_FAST_REFUSED: dict[str, str] = {
    "prefixItems": "fastjsonschema ignores prefixItems",
    "dependentRequired": "fastjsonschema ignores dependentRequired",
    "dependentSchemas": "fastjsonschema ignores dependentSchemas",
    "unevaluatedProperties": "fastjsonschema ignores unevaluatedProperties",
    "unevaluatedItems": "fastjsonschema ignores unevaluatedItems",
    "minContains": "fastjsonschema ignores minContains",
    "maxContains": "fastjsonschema ignores maxContains",
    "$dynamicRef": "fastjsonschema does not resolve $dynamicRef",
    "$dynamicAnchor": "fastjsonschema does not resolve $dynamicAnchor",
    "$anchor": "fastjsonschema does not resolve $anchor references",
    "multipleOf": "fastjsonschema divides floats approximately (1e22 passes multipleOf 3; "
    "the reference rejects it) and overflows on big integers with fractional divisors",
    "dependencies": "not a 2020-12 keyword, yet both engines enforce it, differently",
    "additionalItems": "not a 2020-12 keyword, yet fastjsonschema may enforce it",
    "$recursiveRef": "2019-09 keyword fastjsonschema does not resolve",
    "$recursiveAnchor": "2019-09 keyword fastjsonschema does not resolve",
}

# Formats checked in pure Python by accord's local checkers (see accord.validation.formats), which
# tests/validation/test_formats.py keeps in line with the reference.
_FAST_FORMATS = frozenset(
    {
        "date",
        "time",
        "date-time",
        "duration",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uuid",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
    }
)


def _walk(schema: Any, pointer: str = "") -> Any:
    """Every schema object in a document, pre-order, as ``(pointer, dict)``."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    escape = _pointer.escape  # pointers built only for subschemas, as join builds them
    for keyword, value in schema.items():
        if keyword in _SINGLE and isinstance(value, dict):
            yield from _walk(value, f"{pointer}/{escape(keyword)}")
        elif keyword in _LIST and isinstance(value, list):
            at = f"{pointer}/{escape(keyword)}/"
            for index, item in enumerate(value):
                yield from _walk(item, f"{at}{index}")
        elif keyword in _MAP and isinstance(value, dict):
            at = f"{pointer}/{escape(keyword)}/"
            for name, item in value.items():
                yield from _walk(item, at + escape(name))


def _format_disagreement(name: str) -> str | None:
    """Why accord's local checker for ``name`` cannot stand in for the installed reference."""
    from accord.validation import probe as _probe

    value = _probe.format_disagreements().get(name)
    if value is None:
        return None
    return (
        f"format {name!r}: a probe of the installed jsonschema-rs {_probe.reference_version()} "
        f"reads {value!r} differently from accord's checker, so only the reference decides"
    )


def _format_refusal(name: str) -> str | None:
    from accord.validation.formats import FORMATS, FORMATS_ROUTED_TO_REFERENCE

    if name not in FORMATS:
        return None  # an annotation for every backend
    if name in FORMATS_ROUTED_TO_REFERENCE or name == "hostname":
        return (
            f"format {name!r}: accord takes this verdict from jsonschema-rs; no pure-Python "
            "checker reproduces it exactly"
        )
    if name not in _FAST_FORMATS:  # pragma: no cover - FORMATS and the lists above agree
        return f"format {name!r} is not checked by the fast backend"
    return None


def _declared_refusals(schema: Any) -> list[Refusal]:
    """A keyword the reference asserts in the schema's declared dialect but 2020-12 (what
    the python and fast backends read) makes an annotation: only the reference decides."""
    from accord.validation.dialect import declared_form, unnormalised_assertion

    found = declared_form(schema)
    if found is None:
        return []
    dialect, keyword, where = unnormalised_assertion(found.declared) or (found.dialect, "", "")
    return [
        Refusal(
            keyword,
            where,
            f"asserted by the reference in {dialect}, as declared, but an annotation in "
            "2020-12, which this backend reads",
        )
    ]


def fast_refusals(schema: Any) -> list[Refusal]:
    """Every reason fastjsonschema cannot decide exactly as the reference for ``schema``.

    ``schema`` is a bundled (self-contained) 2020-12 document. Empty means eligible.

    >>> fast_refusals({"type": "object", "prefixItems": [{}]})[0].keyword
    'prefixItems'
    """
    refusals = _declared_refusals(schema)
    positions: set[str] = set()
    local_refs: list[tuple[str, str]] = []
    for where, node in _walk(schema):
        positions.add(where)
        for keyword, value in node.items():
            if keyword not in _FAST_INSPECTED:
                continue  # no branch below reads it: its pointer is never built
            at = f"{where}/{_pointer.escape(keyword)}"  # join(where, keyword), one call
            if keyword in _FAST_REFUSED:
                refusals.append(Refusal(keyword, at, _FAST_REFUSED[keyword]))
            elif keyword == "$id" and where != "":
                refusals.append(
                    Refusal(keyword, at, "fastjsonschema resolves embedded $id resources apart")
                )
            elif keyword == "$ref":
                refusals.extend(_ref_refusals(node, value, at))
                if isinstance(value, str) and (value == "#" or value.startswith("#/")):
                    local_refs.append((value, at))
            elif keyword in ("const", "enum") and _holds_ref(value):
                refusals.append(
                    Refusal(keyword, at, "fastjsonschema reads a $ref inside data as a reference")
                )
            elif keyword == "items" and not isinstance(value, dict | bool):
                refusals.append(Refusal(keyword, at, "items must be one schema in 2020-12"))
            elif keyword == "format" and isinstance(value, str):
                reason = _format_refusal(value)
                if reason is not None:
                    refusals.append(Refusal(keyword, at, reason))
                elif (probed := _format_disagreement(value)) is not None:
                    refusals.append(Refusal(keyword, at, probed, probed=True))
            elif keyword == "pattern" and isinstance(value, str):
                refusals.extend(_pattern_refusal(value, keyword, at))
            elif keyword == "patternProperties" and isinstance(value, dict):
                for pattern in value:
                    refusals.extend(_pattern_refusal(pattern, keyword, _pointer.join(at, pattern)))
        refusals.extend(_unsatisfiable_required(node, where))
    refusals.extend(_refs_outside(positions, local_refs, "fastjsonschema"))
    return refusals


def _refs_outside(
    positions: set[str], local_refs: list[tuple[str, str]], engine: str
) -> list[Refusal]:
    """A refusal for each local ``$ref`` whose target is not a subschema position.

    Every check of a backend's eligibility (and the pattern translation before
    compiling) reads the positions :func:`_walk` visits; the engines follow a ``$ref``
    anywhere, so a target elsewhere (inside a ``const``, an unknown keyword) would be
    read unchecked: ``"$ref": "#/properties/w/const"`` with a ``const`` holding
    ``{"pattern": "^\\d$"}`` matched Arabic-Indic digits with Python's ``\\d``.
    """
    if not local_refs:
        return []
    from urllib.parse import unquote

    return [
        Refusal(
            "$ref",
            at,
            f"{ref!r} points outside the schema's subschema positions (into data or an "
            f"unknown keyword), which {engine} would read without accord's checks",
        )
        for ref, at in local_refs
        if unquote(ref[1:]) not in positions  # a URI fragment: %-encoded JSON pointer
    ]


# Every keyword a branch of fast_refusals' loop tests for (each branch starts with its
# keyword): tests/validation checks this set against the branches.
_FAST_INSPECTED = frozenset(
    {*_FAST_REFUSED, "$id", "$ref", "const", "enum", "items", "format", "pattern",
     "patternProperties"}
)  # fmt: skip


def _holds_ref(value: Any) -> bool:
    """Whether a data value holds an object with a ``$ref`` key, at any depth."""
    if isinstance(value, list):
        return any(_holds_ref(item) for item in value)
    if isinstance(value, dict):
        return "$ref" in value or any(_holds_ref(item) for item in value.values())
    return False


def _ref_refusals(node: dict[str, Any], ref: Any, at: str) -> list[Refusal]:
    found: list[Refusal] = []
    if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
        found.append(
            Refusal("$ref", at, f"only local JSON-pointer references are compiled, not {ref!r}")
        )
    siblings = sorted(k for k in node if k != "$ref" and k in _FAST_ASSERTIONS | _STRIPPED)
    siblings += sorted(k for k in node if k in _FAST_REFUSED)
    if siblings:
        found.append(
            Refusal(
                "$ref",
                at,
                f"fastjsonschema ignores keywords beside $ref ({', '.join(siblings)})",
            )
        )
    return found


# Within memo_patterns(): pattern -> its refusal reasons, as (reason, probed).
_PATTERN_MEMO: contextvars.ContextVar[dict[str, tuple[tuple[str, bool], ...]] | None] = (
    contextvars.ContextVar("accord_pattern_memo", default=None)
)


@contextlib.contextmanager
def memo_patterns() -> Iterator[None]:
    """Within the block, each distinct ``pattern`` is translated and probed once for
    :func:`fast_refusals`: nothing its answer depends on (the pattern, the installed
    engines) changes during one run over a registry, which repeats a few patterns."""
    token = _PATTERN_MEMO.set(_PATTERN_MEMO.get() or {})
    try:
        yield
    finally:
        _PATTERN_MEMO.reset(token)


def _pattern_refusal(pattern: str, keyword: str, at: str) -> list[Refusal]:
    memo = _PATTERN_MEMO.get()
    reasons = memo.get(pattern) if memo is not None else None
    if reasons is None:
        reasons = _pattern_reasons(pattern)
        if memo is not None:
            memo[pattern] = reasons
    return [Refusal(keyword, at, reason, probed=probed) for reason, probed in reasons]


def _pattern_reasons(pattern: str) -> tuple[tuple[str, bool], ...]:
    try:
        translated = re.compile(translate_pattern(pattern))
    except ValueError as exc:
        return ((f"pattern {pattern!r}: {exc}", False),)
    found = _probe_refusal(pattern, "", "", lambda text: translated.search(text) is not None)
    return tuple((r.reason, r.probed) for r in found)


def _probe_refusal(
    pattern: str, keyword: str, at: str, reading: Callable[[str], bool]
) -> list[Refusal]:
    """A refusal when a probe finds a string the reference reads apart from ``reading``."""
    from accord.validation import probe as _probe

    text = _probe.pattern_disagreement(pattern, reading)
    if text is None:
        return []
    return [
        Refusal(
            keyword,
            at,
            f"pattern {pattern!r}: a probe of the installed jsonschema-rs "
            f"{_probe.reference_version()} reads {text!r} differently",
            probed=True,
        )
    ]


def _unsatisfiable_required(node: dict[str, Any], where: str) -> list[Refusal]:
    # fastjsonschema refuses to compile a schema requiring a key that
    # additionalProperties: false forbids (the reference rejects every object there).
    required = node.get("required")
    if node.get("additionalProperties", True) is not False or not isinstance(required, list):
        return []
    props = node.get("properties", {})
    patterns = node.get("patternProperties", {})
    for name in required:
        if name in props:
            continue
        try:
            if any(re.search(translate_pattern(p), name) for p in patterns):
                continue
        except ValueError:
            continue  # refused as a pattern already
        return [
            Refusal(
                "required",
                _pointer.join(where, "required"),
                f"{name!r} is required but additionalProperties: false forbids it; "
                "fastjsonschema refuses such a schema",
            )
        ]
    return []


def python_refusals(schema: Any) -> list[Refusal]:
    """Why python-jsonschema (with accord's hooks) cannot *decide* for ``schema``.

    It decides only where a probe of the installed reference shows
    its verdicts are the reference's: every local format checker the schema uses, and
    every ``pattern``/``patternProperties`` regex as regress reads it after accord's
    rewrite (:mod:`accord.validation.probe`).
    """
    from accord.validation.patterns import pattern_search, undefined_letter_escape

    refusals = _declared_refusals(schema)
    positions: set[str] = set()
    local_refs: list[tuple[str, str]] = []
    for where, node in _walk(schema):
        positions.add(where)
        ref = node.get("$ref")
        if isinstance(ref, str) and (ref == "#" or ref.startswith("#/")):
            local_refs.append((ref, _pointer.join(where, "$ref")))
        value = node.get("format")
        if isinstance(value, str):
            reason = _format_disagreement(value)
            if reason is not None:
                refusals.append(
                    Refusal("format", _pointer.join(where, "format"), reason, probed=True)
                )
        patterns: list[tuple[str, str, str]] = []
        if isinstance(node.get("pattern"), str):
            patterns.append((node["pattern"], "pattern", _pointer.join(where, "pattern")))
        if isinstance(node.get("patternProperties"), dict):
            at = _pointer.join(where, "patternProperties")
            patterns.extend(
                (p, "patternProperties", _pointer.join(at, p)) for p in node["patternProperties"]
            )
        for pattern, keyword, at in patterns:
            if _word_boundary(pattern):
                refusals.append(Refusal(keyword, at, _WORD_BOUNDARY.format(pattern=pattern)))
                continue
            escape = undefined_letter_escape(pattern)
            if escape is not None:
                refusals.append(
                    Refusal(keyword, at, _LETTER_ESCAPE.format(pattern=pattern, escape=escape))
                )
                continue
            try:
                reading = pattern_search(pattern)
            except Exception:  # noqa: BLE001 - regress cannot read it: nothing to compare
                refusals.append(
                    Refusal(keyword, at, f"pattern {pattern!r}: regress cannot compile it")
                )
                continue
            refusals.extend(_probe_refusal(pattern, keyword, at, reading))
    refusals.extend(_refs_outside(positions, local_refs, "python-jsonschema"))
    return refusals


# The reference's \b and \B are Unicode-aware (é is a word character), regress's are
# ASCII, and no rewrite reproduces them (patterns._as_reference_reads). The probe reads
# strings of at most two characters (and literals), too short to show it for most
# patterns: "\bfoo" passed the probe and the python backend then accepted "éfoo",
# which the reference refuses.
_WORD_BOUNDARY = (
    "pattern {pattern!r}: \\b and \\B are Unicode-aware in the reference and ASCII in "
    "regress; only the reference decides"
)


# Probes meet the strings that show it only by chance: "^\\Aabc" passed them, and the
# python backend then called "Aabc" valid and "abc" invalid, the reference's opposite.
_LETTER_ESCAPE = (
    "pattern {pattern!r}: {escape} is not an ECMA-262 escape: regress reads it as the "
    "letter, the reference as an anchor, a class or a quote; only the reference decides"
)


def _word_boundary(pattern: str) -> bool:
    """Whether ``pattern`` holds ``\\b`` or ``\\B`` outside a class (``[\\b]`` is a
    backspace)."""
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            if not in_class and pattern[i + 1] in "bB":
                return True
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        i += 1
    return False


_PYTHON_NOTE = (
    "a probe of the installed reference shows accord's format checkers and ECMA-262 "
    "pattern hooks reach its verdicts for this schema"
)
_FAST_NOTE = (
    "every keyword, pattern and format is one fastjsonschema handles exactly as the "
    "reference (patterns rewritten to ASCII-explicit Python regexes; patterns and formats "
    "probed against the installed jsonschema-rs)"
)


def eligibility(schema: Any) -> tuple[Eligibility, ...]:
    """Eligibility of every backend for ``schema``, in :data:`BACKENDS` order."""
    from accord.validation.dialect import declared_form

    fast_notes: tuple[str, ...] = ()
    fast = fast_refusals(schema)
    python = python_refusals(schema)
    reference = "the semantic reference: Draft 2020-12, formats asserted, offline"
    found = declared_form(schema)
    if found is not None:
        reference = (
            f"the semantic reference: {found.dialect} as declared, formats asserted, offline"
        )
    if not fast:
        fast_notes = (_FAST_NOTE,)
    try:
        import fastjsonschema  # noqa: F401
    except ImportError:
        fast = [Refusal("", "", "fastjsonschema is not installed (pip install 'accord[fast]')")]
    return (
        Eligibility("rs", (), (reference,)),
        Eligibility(
            "python",
            tuple(python),
            (_PYTHON_NOTE,),
        ),
        Eligibility("fast", tuple(fast), fast_notes),
    )


def choose_backend(
    schema: Any, requested: str = "auto", *, ref: str | None = None
) -> BackendChoice:
    """The backend that decides validity for ``schema`` (a bundled 2020-12 document).

    ``auto`` chooses ``rs``: the reference is also the fastest backend. Asking for
    another backend succeeds only when that backend is eligible.

    Raises:
        UsageError: ``backend-unknown`` for a name outside ``auto|rs|python|fast``;
            ``backend-ineligible`` (pointer at the first refused keyword) when the
            requested backend cannot decide exactly as the reference for this schema.

    >>> choose_backend({"type": "string"}).name
    'rs'
    """
    if requested not in ("auto", *BACKENDS):
        raise UsageError(
            f"unknown backend {requested!r}: choose auto, rs, python or fast",
            code="backend-unknown",
            ref=ref,
        )
    table = eligibility(schema)
    if requested == "auto":
        return BackendChoice(
            "rs",
            ("automatic: jsonschema-rs is the semantic reference and the fastest backend",),
            eligibility=table,
        )
    chosen = next(e for e in table if e.backend == requested)
    if not chosen.eligible:
        first = chosen.refusals[0]
        more = len(chosen.refusals) - 1
        tail = f" (and {more} more: accord validate --explain-backend)" if more else ""
        raise UsageError(
            f"{ref or 'this contract'} cannot be validated by {BACKEND_LABELS[requested]}: "
            f"{first}{tail}; use backend='rs'",
            code="backend-ineligible",
            pointer=first.pointer,
            ref=ref,
        )
    return BackendChoice(requested, ("requested", *chosen.notes), eligibility=table)


# --- patterns: ECMA-262 (as the reference reads it) -> Python re ----------------------

# What the reference's \s matches (measured over every code point): ECMA-262's
# WhiteSpace and LineTerminator. Python's \s differs (\x1c-\x1f and \x85 in, \ufeff out).
_ECMA_SPACE = (
    "\\t\\n\\x0b\\x0c\\r\\x20\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": _ECMA_SPACE}
_CONTROL_ESCAPES = {"t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c", "r": "\r"}
_SYNTAX = set("^$\\.*+?()[]{}|/-")
_HEX = re.compile(r"[0-9A-Fa-f]+")
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")


def _char(ch: str) -> str:
    """One literal character as an unambiguous Python regex atom (no ``$``, no sets)."""
    if (ch.isascii() and ch.isalnum()) or ch == "_":
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def translate_pattern(pattern: str) -> str:
    """An exactly equivalent Python ``re`` pattern for an ECMA-262 ``pattern``.

    Equivalent to the reference's reading (measured): ``\\d``, ``\\w`` are ASCII, ``\\s``
    is ECMA-262 white space, ``.`` is what a probe of the installed reference shows
    (:func:`accord.validation.probe.dot_class`), ``$`` is the very end.
    Only a safe subset is translated: literals, ``.``, ``^``, ``$``, classes of
    literals and ranges, ``\\d\\w\\s`` (and negations outside classes), groups
    ``(...)``/``(?:...)``, alternation and greedy or lazy quantifiers.

    Raises:
        ValueError: the pattern uses anything outside the subset (``\\b``, lookaround,
            back-references, named groups, ``\\p{..}``, ``\\u{..}``, empty classes, a
            ``{`` that is not a quantifier, ...), with the construct named.

    >>> translate_pattern(r"^\\d+$")
    '^[0-9]+\\\\Z'
    """
    out: list[str] = []
    i = 0
    n = len(pattern)
    quantifiable = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            atom, i = _escape(pattern, i, in_class=False)
            out.append(atom)
            quantifiable = True
            continue
        if ch == "[":
            atom, i = _class(pattern, i)
            out.append(atom)
            quantifiable = True
            continue
        if ch == "(":
            if pattern.startswith("(?:", i):
                out.append("(?:")
                i += 3
            elif pattern.startswith("(?", i):
                raise ValueError(f"group syntax {pattern[i : i + 3]!r} is not translated")
            else:
                out.append("(")
                i += 1
            quantifiable = False
            continue
        if ch in "*+?{":
            if not quantifiable:
                raise ValueError(f"quantifier {ch!r} without an atom")
            if ch == "{":
                match = _QUANTIFIER.match(pattern, i)
                if match is None:
                    raise ValueError("a '{' that is not a quantifier")
                low, high = match.group(1), match.group(3)
                if high and int(high) < int(low):
                    raise ValueError("quantifier range out of order")
                out.append(match.group(0))
                i = match.end()
            else:
                out.append(ch)
                i += 1
            if i < n and pattern[i] == "?":
                out.append("?")
                i += 1
            if i < n and pattern[i] in "*+?{":
                raise ValueError("a quantifier after a quantifier")
            quantifiable = False
            continue
        if ch == "$":
            out.append("\\Z")
            quantifiable = False
        elif ch == "^":
            out.append("^")
            quantifiable = False
        elif ch in ")|":
            out.append(ch)
            quantifiable = ch == ")"
        elif ch == ".":
            out.append(_dot())
            quantifiable = True
        elif ch in "]}":
            raise ValueError(f"an unmatched {ch!r}")
        else:
            out.append(_char(ch))
            quantifiable = True
        i += 1
    translated = "".join(out)
    try:
        re.compile(translated)
    except re.error as exc:
        raise ValueError(f"not translatable ({exc})") from None
    return translated


def _dot() -> str:
    from accord.validation import probe as _probe

    dot = _probe.dot_class()
    if dot is None:
        raise ValueError(
            f"the installed jsonschema-rs {_probe.reference_version()} reads '.' in a way no "
            "Python class states"
        )
    return dot


def _escape(pattern: str, i: int, *, in_class: bool) -> tuple[str, int]:
    """Translate the escape at ``pattern[i]`` (a backslash); return (atom, next index)."""
    if i + 1 >= len(pattern):
        raise ValueError("a trailing backslash")
    nxt = pattern[i + 1]
    if nxt in _CLASS_ESCAPES:
        body = _CLASS_ESCAPES[nxt]
        return (body if in_class else f"[{body}]"), i + 2
    if nxt.lower() in _CLASS_ESCAPES:
        if in_class:
            raise ValueError(f"\\{nxt} inside a class is not translated")
        return f"[^{_CLASS_ESCAPES[nxt.lower()]}]", i + 2
    if nxt in _CONTROL_ESCAPES:
        return _char(_CONTROL_ESCAPES[nxt]), i + 2
    if nxt == "x":
        digits = pattern[i + 2 : i + 4]
        if len(digits) == 2 and _HEX.fullmatch(digits):
            return _char(chr(int(digits, 16))), i + 4
        raise ValueError("a malformed \\x escape")
    if nxt == "u":
        digits = pattern[i + 2 : i + 6]
        if len(digits) == 4 and _HEX.fullmatch(digits):
            code = int(digits, 16)
            if 0xD800 <= code <= 0xDFFF:
                raise ValueError("a surrogate \\u escape")
            return _char(chr(code)), i + 6
        raise ValueError("a \\u escape other than \\uXXXX")
    if nxt == "0" and not (i + 2 < len(pattern) and pattern[i + 2].isdigit()):
        return _char("\0"), i + 2
    if nxt in _SYNTAX:
        return _char(nxt), i + 2
    raise ValueError(f"the escape \\{nxt} is not translated")


def _class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the character class starting at ``pattern[i]`` (``[``)."""
    n = len(pattern)
    j = i + 1
    negated = j < n and pattern[j] == "^"
    if negated:
        j += 1
    items: list[str] = []
    while True:
        if j >= n:
            raise ValueError("an unterminated character class")
        ch = pattern[j]
        if ch == "]":
            break
        if ch == "[":
            raise ValueError("a '[' inside a class")
        # A class escape (\d, \w, \s) stands for several characters: never a range end.
        start_single = not (ch == "\\" and pattern[j + 1 : j + 2] in ("d", "w", "s"))
        if ch == "\\":
            atom, j = _escape(pattern, j, in_class=True)
        else:
            atom = _char(ch)
            j += 1
        if j + 1 < n and pattern[j] == "-" and pattern[j + 1] != "]":
            if not start_single:
                raise ValueError("a range next to a class escape")
            if pattern[j + 1] == "\\":
                if pattern[j + 2 : j + 3] in ("d", "w", "s"):
                    raise ValueError("a range next to a class escape")
                end, k = _escape(pattern, j + 1, in_class=True)
            else:
                end, k = _char(pattern[j + 1]), j + 2
            low, high = _literal_of(atom), _literal_of(end)
            if low > high:
                raise ValueError("a class range out of order")
            items.append(f"{atom}-{end}")
            j = k
            continue
        items.append(atom)
    if not items:
        raise ValueError("an empty class")
    return ("[^" if negated else "[") + "".join(items) + "]", j + 1


def _literal_of(atom: str) -> int:
    """The code point a single translated literal stands for."""
    if atom.startswith("\\"):
        return int(atom[2:], 16)
    return ord(atom)


# --- compiling the fast backend ------------------------------------------------------


def _prepare_for_fast(schema: Any) -> Any:
    """A copy of ``schema`` fastjsonschema reads as the reference reads the original."""
    if isinstance(schema, list):
        return [_prepare_for_fast(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in _STRIPPED or keyword in _DATA_ANNOTATIONS or keyword.startswith("x-"):
            continue
        if keyword == "pattern" and isinstance(value, str):
            out[keyword] = translate_pattern(value)
        elif keyword == "patternProperties" and isinstance(value, dict):
            out[keyword] = {translate_pattern(k): _prepare_for_fast(v) for k, v in value.items()}
        elif keyword in ("properties", "$defs") and isinstance(value, dict):
            out[keyword] = {k: _prepare_for_fast(v) for k, v in value.items()}
        elif keyword in _SINGLE or keyword in _LIST:
            out[keyword] = _prepare_for_fast(value)
        else:
            out[keyword] = value  # data (enum, const, default, ...) stays as it is
    return out


def compile_fast(schema: Any, *, ref: str | None = None) -> Callable[[Any], bool]:
    """A fastjsonschema ``is_valid`` for an eligible bundled 2020-12 ``schema``.

    Raises:
        UsageError: ``backend-ineligible`` when :func:`fast_refusals` finds anything,
            or fastjsonschema is not installed.
    """
    choose_backend(schema, "fast", ref=ref)
    import fastjsonschema

    from accord.validation.formats import CHECKERS
    from accord.validation.offline import fast_compile

    formats = {name: CHECKERS[name] for name in _FAST_FORMATS}
    try:
        validate = fast_compile(_prepare_for_fast(schema), formats=formats, use_default=False)
    except fastjsonschema.JsonSchemaDefinitionException as exc:
        raise UsageError(
            f"{ref or 'this contract'} cannot be compiled by fastjsonschema: {exc}",
            code="backend-ineligible",
            ref=ref,
        ) from None
    invalid = fastjsonschema.JsonSchemaValueException

    def is_valid(payload: Any) -> bool:
        try:
            validate(payload)
        except invalid:
            return False
        return True

    return is_valid
