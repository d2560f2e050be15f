"""The one rule catalogue: every rule accord reports, of every family, as one record.

A rule is a :class:`RuleSpec` with a stable kebab-case id (never reused, unique across
families) and everything the tools say about it: ``accord rules``, ``accord explain``,
``docs/rules.md``, SARIF rule metadata and the changelog's migration hints all read
these records, and nothing else keeps a list of rules. Three families:

- ``compat``: a schema change ``accord diff`` and ``accord check`` report. Their records
  are built by :func:`accord.compat._rules.rule`, which registers each detector against
  its record (the detector stays in the compatibility layer, the facts live here), so
  they appear in :data:`CATALOGUE` once :mod:`accord.compat` is imported.
- ``lint``: a registry problem the loader and ``accord lint`` report (defined below).
- ``gate``: a finding only ``accord check`` reports (defined below). ``accord check``
  also reports two lint rules as findings (``lock-digest-mismatch`` and
  ``lock-missing-file``): one record each, in the lint family.

This module sits in the kernel so that the loader (registry), the engine (compat) and
the gate all reach the same records without importing each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from accord.core.schema import Schema

Family = Literal["compat", "lint", "gate"]
Direction = Literal["backward", "forward"]
Severity = Literal["error", "warning", "info"]
Bump = Literal["none", "patch", "minor", "major"]
Kind = Literal["object", "array", "string", "number"]
Reported = Literal["always", "when-equivalent", "when-breaking", "when-overlapping"]

FAMILIES: tuple[Family, ...] = ("compat", "lint", "gate")

# What the family's rules are about, and which command reports them (docs and explain).
FAMILY_TITLES: Mapping[Family, str] = MappingProxyType(
    {
        "compat": "Compatibility rules",
        "lint": "Lint rules",
        "gate": "Gate rules",
    }
)
FAMILY_SOURCES: Mapping[Family, str] = MappingProxyType(
    {
        "compat": "a schema change, reported by `accord diff`, `accord check` and "
        "`accord changelog`",
        "lint": "a registry problem, reported by `accord lint` and when a registry is loaded",
        "gate": "a CI gate finding, reported by `accord check`",
    }
)


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule of any family.

    Attributes:
        family: ``compat``, ``lint`` or ``gate``.
        id: Stable kebab-case id; never reused, unique across families.
        summary: One sentence.
        details: More explanation (may be empty).
        severity: Default severity.
        overridable: Whether configuration may change the severity: ``[rules.<id>]`` in
            ``contract.toml`` for compat rules, ``[lint.rules.<id>]`` in ``accord.toml``
            for lint rules about style and hygiene (safety rules never).
        kind: Compat: the JSON type whose keywords the rule compares (``object``,
            ``array``, ``string``, ``number``), or ``None``. The rule is not run where
            either side rules that type out: the type change says it all there.
        breaks: Compat: the directions it can break in a monotone context (inside
            ``oneOf`` branches any direction can break).
        bump: Compat: the bump it requires when it breaks no direction the mode
            requires (a change breaking a required direction always requires ``major``).
        example: Compat: an ``(old, new)`` pair that produces exactly this rule.
        mirror: Compat: the rule for the reverse change, if any.
        waiver: Compat: why there is no mirror, when there is none.
        hint: Compat: what consumers or producers do when migrating across the change
            (``writers: ...`` when it breaks backward, ``readers: ...`` when it breaks
            forward), or ``None`` for the generic advice.
        declared: Compat: a change under this rule changes the declared keys or the
            signals readers act on (so it is never a patch).
        fallback: Compat: emitted by the change walker when no more specific rule
            explains what the engine found (its detector finds nothing alone).
        reported: Compat: when a detected change is reported: ``always``; only where
            the engine proves both sides equal (``when-equivalent``: a same-meaning
            refactor, claiming no direction); only when the engine finds it breaks a
            direction (``when-breaking``); only when it breaks a direction and the
            branches it names overlap (``when-overlapping``).
        policy: Compat: the named policy under which the engine itself reports this
            change where it applies (``removal``: a property the engine removed is
            reported from the engine's removals, not from this detector).
        declares_undeclared: Compat: the change alters the declared shape when the key
            it names is declared by no property of either side (``required`` naming an
            undeclared key).
    """

    family: Family
    id: str
    summary: str
    details: str = ""
    severity: Severity = "error"
    overridable: bool = False
    kind: Kind | None = None
    breaks: tuple[Direction, ...] = ()
    bump: Bump | None = None
    example: tuple[Schema, Schema] | None = None
    mirror: str | None = None
    waiver: str | None = None
    hint: str | None = None
    declared: bool = False
    fallback: bool = False
    reported: Reported = "always"
    policy: str | None = None
    declares_undeclared: bool = False

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``accord rules --format json``."""
        out: dict[str, Any] = {
            "family": self.family,
            "id": self.id,
            "description": self.summary,
            "details": self.details,
            "severity": self.severity,
            "overridable": self.overridable,
        }
        if self.family == "compat":
            out |= {
                "kind": self.kind,
                "breaks": list(self.breaks),
                "bump": self.bump,
                "mirror": self.mirror,
                "waiver": self.waiver,
                "hint": self.hint,
                "example": None
                if self.example is None
                else {"old": self.example[0], "new": self.example[1]},
            }
        return out


_catalogue: dict[str, RuleSpec] = {}

CATALOGUE: Mapping[str, RuleSpec] = MappingProxyType(_catalogue)
"""Every registered rule by id: lint and gate rules always, compat rules once
:mod:`accord.compat` is imported."""


def register(spec: RuleSpec) -> RuleSpec:
    """Add ``spec`` to the catalogue.

    Raises:
        ValueError: the id is already taken (in any family).
    """
    if spec.id in _catalogue:
        raise ValueError(f"rule id {spec.id!r} registered twice")
    _catalogue[spec.id] = spec
    return spec


def rules(family: Family | None = None) -> Iterator[RuleSpec]:
    """The rules of ``family`` (every family when ``None``), families in order."""
    for name in FAMILIES if family is None else (family,):
        yield from (r for r in _catalogue.values() if r.family == name)


def _lint(rule_id: str, summary: str, **kw: Any) -> RuleSpec:
    return register(RuleSpec(family="lint", id=rule_id, summary=summary, **kw))


def _gate(rule_id: str, summary: str, **kw: Any) -> RuleSpec:
    return register(RuleSpec(family="gate", id=rule_id, summary=summary, **kw))


# -- lint: registry problems (the loader and `accord lint`) ---------------------------

_lint("config-invalid-value", "A TOML key has a value of the wrong type or outside its choices.")
_lint(
    "config-missing-key", "A required TOML key is missing (contract.toml owner, kind; rule reason)."
)
_lint("config-unknown-key", "A TOML file has a key accord does not know.")
_lint("contract-toml-missing", "A contract directory has no contract.toml.")
_lint(
    "contract-rule-unknown",
    "A [rules.<id>] table in contract.toml names no compatibility rule.",
)
_lint(
    "example-invalid",
    "A payload under examples/<version>/valid/ fails its version.",
    overridable=True,
)
_lint(
    "example-unexpectedly-valid",
    "A payload under examples/<version>/invalid/ passes its version.",
    overridable=True,
)
_lint(
    "expectation-bad-path",
    "A consumer expectation's matcher path is not a path accord reads (`$.a.b[0]`).",
)
_lint(
    "expectation-bad-reference",
    "A consumer expectation names a contract reference that does not parse.",
)
_lint(
    "expectation-bad-regex",
    "A consumer expectation's regex matcher is not an ECMA-262 pattern.",
)
_lint(
    "expectation-conflict",
    "A consumer expectation file records one interaction twice.",
)
_lint(
    "expectation-invalid",
    "A file under consumers/ is not a valid expectation file.",
)
_lint("file-not-found", "A file disappeared while the registry was read.")
_lint(
    "file-unexpected",
    "A file or directory that has no place in the registry layout.",
    overridable=True,
)
_lint(
    "file-case-clash",
    "Two names in one directory differ only in case: one file on macOS or Windows.",
)
_lint(
    "file-name-not-utf8",
    "A file or directory name is not UTF-8: git checkouts and packages cannot carry it.",
)
_lint("file-unreadable", "A file or directory cannot be read.")
_lint(
    "format-unknown",
    "A schema uses a `format` JSON Schema 2020-12 does not define (an annotation only).",
    severity="warning",
    overridable=True,
)
_lint("json-bom", "A JSON file starts with a UTF-8 byte order mark.")
_lint("json-conflict-markers", "A JSON or TOML file contains git conflict markers.")
_lint("json-duplicate-key", "A JSON object repeats a key.")
_lint("json-empty", "A JSON file is empty.")
_lint("json-invalid-utf8", "A JSON or TOML file is not valid UTF-8.")
_lint("json-lone-surrogate", "A JSON string contains an unpaired UTF-16 surrogate escape.")
_lint("json-malformed", "A JSON file does not parse.")
_lint("json-nan", "A JSON file contains NaN or Infinity.")
_lint(
    "json-number-out-of-range",
    "A JSON number's exponent is past what a Decimal holds (more than 18 digits).",
)
_lint("json-too-deep", "A JSON document nests deeper than max-depth.")
_lint("json-too-large", "A file is larger than max-file-bytes.")
_lint(
    "lock-digest-mismatch",
    "A version file's bytes differ from the digest its accord.lock line records.",
)
_lint("lock-duplicate", "accord.lock has two lines for one version.")
_lint("lock-malformed", "An accord.lock line is not `<contract> <version> sha256:<hex>`.")
_lint("lock-missing-file", "accord.lock lists a version whose file is missing.")
_lint("lock-unsorted", "accord.lock lines are not sorted.", severity="warning", overridable=True)
_lint("name-collision", "Two names differ only in `-`/`_` or case.")
_lint("name-invalid", "A namespace or contract name breaks the name grammar.")
_lint("name-reserved", "A name is a Windows device name.")
_lint("namespace-reserved", "A namespace is one of the reserved directories.")
_lint("path-special-file", "A FIFO, socket or device file is inside the registry.")
_lint("path-symlink", "A symlink is inside the registry.")
_lint(
    "publish-leftover",
    "A temp file left by an interrupted `accord publish` (the next publish removes it).",
    severity="warning",
    overridable=True,
)
_lint("ref-escapes-root", "A relative `$ref` leaves the registry root.")
_lint("ref-range-not-allowed", "An accord:// `$ref` names a range instead of an exact version.")
_lint("ref-remote", "A `$ref` points outside the registry (http, file, ...).")
_lint("ref-unresolvable", "A `$ref` does not resolve inside the registry.")
_lint("registry-not-found", "The registry root does not exist or is not a directory.")
_lint("schema-defs-conflict", "A draft-07 schema defines one name in both definitions and $defs.")
_lint(
    "schema-dialect-unsupported",
    "A schema declares a `$schema` accord does not read (it reads 2020-12, 2019-09, "
    "draft-07, draft-06 and draft-04).",
)
_lint(
    "schema-dialect-upgrade",
    "A schema is written in draft-04, draft-06, draft-07 or 2019-09: accord reads it "
    "normalised to 2020-12; upgrade the file.",
    severity="warning",
    overridable=True,
    details=(
        "accord reads every older dialect by rewriting it into a 2020-12 document with the "
        "same meaning: `definitions` -> `$defs` (refs follow), array `items` + "
        "`additionalItems` -> `prefixItems` + `items`, `dependencies` -> "
        "`dependentRequired`/`dependentSchemas`, draft-04 `id` -> `$id` and boolean "
        "`exclusiveMinimum`/`exclusiveMaximum` -> the numeric bound, 2019-09 "
        "`$recursiveRef` -> `$ref`; keywords beside a draft-04/06/07 `$ref` are dropped "
        "(those drafts ignore them) and a `format` the dialect does not assert is kept as "
        "the annotation `x-format`. Diffs, validators and codegen all read that document. "
        "Write it yourself: set `$schema` to `https://json-schema.org/draft/2020-12/schema` "
        "and make the same rewrites, so the file says what accord checks. A published "
        "version cannot change: upgrade in the next version (the engine proves the rewrite "
        "changes nothing, a patch bump)."
    ),
)
_lint("schema-metaschema", "A schema is invalid under its metaschema.")
_lint("schema-ref-cycle", "A `$ref` cycle that consumes no input.")
_lint(
    "schema-ref-siblings-ignored",
    "Keywords beside a draft-04/06/07 `$ref`, which those drafts ignore.",
    severity="warning",
    overridable=True,
)
_lint(
    "schema-ref-target-ignored",
    "A `$ref` points into a keyword its dialect ignores (beside another draft-04/06/07 "
    "`$ref`, or one the dialect does not define).",
)
_lint("schema-regex-invalid", "A `pattern` is not a valid ECMA-262 regular expression.")
_lint(
    "schema-regex-nonportable",
    "A `pattern` uses regex syntax engines disagree on.",
    overridable=True,
)
_lint("schema-root-not-object", "A version file's root is not an object schema.")
_lint("schema-too-complex", "A schema is over its max-items or max-nodes budget.")
_lint(
    "schema-unknown-keyword",
    "A schema uses a keyword its dialect does not define.",
    overridable=True,
)
_lint("toml-malformed", "A TOML file does not parse.")
_lint("version-file-invalid", "A `*.schema.json` name is not a SemVer 2.0.0 version.")
_lint(
    "version-unpublished",
    "A version file has no accord.lock line: a draft no range or latest selects.",
    severity="warning",
    overridable=True,
)
_lint("yanked-version-missing", "contract.toml yanks a version that has no file.", overridable=True)

# -- gate: findings only `accord check` reports ----------------------------------------

_gate("bump-insufficient", "A version's number declares a smaller bump than its changes require.")
_gate(
    "contract-deleted",
    "A contract with published versions was deleted; retire it instead (files stay).",
)
_gate("contract-retired-published", "A retired contract gained a new version.")
_gate(
    "lock-missing-entry",
    "A version file has no accord.lock line (never published, or interrupted).",
)
_gate(
    "range-stranded",
    "A consumer's or a service's reference matches no usable version (yanked, retired).",
)
_gate(
    "removal-not-deprecated",
    "A property was removed without being marked deprecated in an earlier version.",
)
_gate(
    "transitive-incompatible",
    "A version breaks an earlier version of its major under a -transitive mode.",
)
_gate(
    "registry-base-unreadable",
    "The base commit holds the registry as a git submodule: nothing could be compared with it.",
)
_gate(
    "registry-in-submodule",
    "The registry is in a git submodule: --against was read from the submodule's own "
    "history, not the superproject's.",
)
_gate("version-deleted", "A version published on the base was deleted.")
_gate("version-modified", "A version published on the base was edited (any byte).")
_gate(
    "version-renumbered", "A version published on the base was renamed to another version number."
)
_gate(
    "version-reused",
    "A version number published on the base was published again with other content.",
)


# -- docs ------------------------------------------------------------------------------


def _code(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


_COMPAT_INTRO = (
    "Every change `accord diff` reports names one of these rules. *Breaks* lists the "
    "directions the rule can break in a monotone context (inside `oneOf` branches any "
    "direction can break); the engine decides, per change, what really breaks and "
    "attaches a witness. *Bump* is what the change requires when it breaks no direction "
    "the contract's mode requires; breaking a required direction always requires a "
    "major bump. Severity can be overridden per contract with `[rules.<id>]` in "
    "`contract.toml`."
)
_LINT_INTRO = (
    "Problems in the registry itself, reported by `accord lint` and, for what the loader "
    "refuses, by every command that loads the registry. Rules marked overridable are about "
    "style and hygiene: `[lint.rules.<id>]` in `accord.toml` may switch them off or down "
    "to a warning; the others keep accord from reading the registry unsafely."
)
_GATE_INTRO = (
    "Findings of the CI gate, `accord check`, beside the compatibility rules of each "
    "changed version. `accord check` also reports the lint rules `lock-digest-mismatch` "
    "and `lock-missing-file` as findings."
)


_REPORTED: Mapping[Reported, str] = MappingProxyType(
    {
        "always": "always",
        "when-equivalent": "where the engine proves both sides equal",
        "when-breaking": "when the engine finds it breaks a direction",
        "when-overlapping": "when the engine finds it breaks a direction and the branches overlap",
    }
)


def render_markdown() -> str:
    """The catalogue as Markdown (``docs/rules.md`` is this text, committed)."""
    lines = [
        "# Rules",
        "",
        (
            "<!-- generated by accord from accord.core.rules; DO NOT EDIT. "
            'Regenerate with: python -c "from accord.compat import render_rules_markdown as r; '
            "print(r(), end='')\" > docs/rules.md -->"
        ),
        "",
        "Every rule accord reports has one id, unique across three families: "
        + ", ".join(f"[{FAMILY_TITLES[f].lower()}](#{_anchor(FAMILY_TITLES[f])})" for f in FAMILIES)
        + ". `accord rules` lists them and `accord explain <id>` explains any of them.",
    ]
    compat = list(rules("compat"))
    lines += ["", f"## {FAMILY_TITLES['compat']}", "", _COMPAT_INTRO, ""]
    lines += ["| rule | breaks | bump | severity | mirror |", "|---|---|---|---|---|"]
    lines.extend(
        f"| [`{r.id}`](#{r.id}) | {', '.join(r.breaks) or '—'} | {r.bump} | "
        f"{r.severity} | {f'`{r.mirror}`' if r.mirror else '—'} |"
        for r in compat
    )
    for r in compat:
        lines += ["", f"### {r.id}", "", r.summary, ""]
        if r.details:
            lines += [r.details, ""]
        lines += [
            f"- breaks: {', '.join(r.breaks) or 'nothing'}",
            f"- bump when compatible under the mode: {r.bump}",
            f"- default severity: {r.severity}",
            f"- mirror: `{r.mirror}`" if r.mirror else f"- no mirror: {r.waiver}",
        ]
        if r.hint:
            lines.append(f"- migration: {r.hint}")
        if r.reported != "always":
            lines.append(f"- reported only {_REPORTED[r.reported]}")
        if r.example is not None:
            lines += [
                "",
                "Example:",
                "",
                "```json",
                f"old: {_code(r.example[0])}",
                f"new: {_code(r.example[1])}",
                "```",
            ]
    others: tuple[tuple[Family, str], ...] = (("lint", _LINT_INTRO), ("gate", _GATE_INTRO))
    for family, intro in others:
        members = list(rules(family))
        lines += ["", f"## {FAMILY_TITLES[family]}", "", intro, ""]
        lines += ["| rule | severity | overridable |", "|---|---|---|"]
        lines.extend(
            f"| [`{r.id}`](#{r.id}) | {r.severity} | {'yes' if r.overridable else 'no'} |"
            for r in members
        )
        for r in members:
            lines += ["", f"### {r.id}", "", r.summary]
            if r.details:
                lines += ["", r.details]
    return "\n".join(lines) + "\n"


def _anchor(title: str) -> str:
    return title.lower().replace(" ", "-")
