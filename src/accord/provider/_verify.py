"""Provider verification: replay every consumer interaction against the real provider.

Each response (or produced message, or response of a synchronous message) is checked
twice:

- against the consumer's matchers (:func:`accord.consumers.check_fields`, Pact's
  semantics): what the consumer relies on;
- against the contract the body names (every non-yanked version the range selects;
  valid under one of them passes, the highest is reported otherwise).

The verdict of a failing interaction says who is at fault:

- ``contract-violation``: *the provider deviated from the contract*: its body is
  invalid under the contract (whatever the consumer's matchers say);
- ``not-promised``: *the consumer expected something the contract never promised*:
  the body is valid under the contract, yet the consumer's matchers reject it;
- ``mismatch``: status, headers or message metadata differ, or a body bound to no
  contract fails the matchers;
- ``error``: the interaction could not be run (state handler failed, generator value
  missing, timeout, response too large, unsafe generated path).

Bad input stops the run before any request: an unsafe interaction path or header, a
provider state without a handler, a message without a producer
(:class:`~accord.provider.ProviderError`, exit 2 on the CLI).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from accord.consumers._matchers import Mismatch, check_fields, check_matcher
from accord.consumers._model import ExpectationFile
from accord.core.jsondoc import FORMAT_VERSION
from accord.core.progress import Progress
from accord.core.progress import report as report_progress
from accord.core.text import escape_control, plural
from accord.provider._errors import ProviderError
from accord.provider._interactions import VERIFIED_KINDS, _bodies_of, provider_of
from accord.provider._messages import DEFAULT_PRODUCERS, MessageRegistry, produce, respond
from accord.provider._replay import (
    GeneratorError,
    ReplayError,
    Response,
    Target,
    check_generators,
    check_headers,
    check_path,
    fill_request,
    path_template,
)
from accord.provider._states import DEFAULT_STATES, StateFailed, StateRunner, run_states

if TYPE_CHECKING:
    from accord.registry.model import Registry
    from accord.registry.names import ContractRef

__all__ = [
    "Case",
    "InteractionResult",
    "ProviderReport",
    "select_cases",
    "verify_case",
    "verify_provider",
]

Verdict = Literal["passed", "contract-violation", "not-promised", "mismatch", "error"]

VERDICT_TEXT: dict[str, str] = {
    "passed": "verified",
    "contract-violation": "provider deviated from the contract",
    "not-promised": "consumer expected something the contract never promised",
    "mismatch": "provider did not answer as the consumer expects",
    "error": "could not verify",
}

SELECTORS = ("main-branch", "deployed", "released")


@dataclass(frozen=True)
class Case:
    """One interaction of one expectation file, to verify against one provider."""

    expectation: ExpectationFile
    index: int
    interaction: Mapping[str, Any]

    @property
    def consumer(self) -> str:
        return self.expectation.consumer

    @property
    def description(self) -> str:
        return str(self.interaction.get("description", ""))

    @property
    def kind(self) -> str:
        return str(self.interaction.get("type", "http"))

    @property
    def pointer(self) -> str:
        return f"/interactions/{self.index}"

    @property
    def id(self) -> str:
        """``consumer: description`` (pytest ids and report lines)."""
        return f"{self.consumer}: {self.description}"


@dataclass(frozen=True)
class InteractionResult:
    """The outcome of one interaction."""

    consumer: str
    expectation: str
    description: str
    kind: str
    verdict: Verdict
    contract: str | None = None
    contract_version: str | None = None
    mismatches: tuple[Mismatch, ...] = ()
    contract_errors: tuple[str, ...] = ()
    error: str = ""
    pending: bool = False
    elapsed: float = 0.0
    fields: tuple[Mapping[str, Any], ...] = field(default=(), repr=False)

    @property
    def success(self) -> bool:
        return self.verdict == "passed"

    def message(self) -> str:
        """A multi-line explanation naming the consumer, the fields and the contract."""
        head = f"{self.consumer}: {self.description}: {VERDICT_TEXT[self.verdict]}"
        if self.contract and self.verdict != "passed":
            head += f" {self.contract}"
        lines = [head]
        if self.error:
            lines.append(f"  {self.error}")
        by_path = {f.get("path"): f for f in self.fields}
        for m in self.mismatches:
            spec = by_path.get(m.field)
            reads = f" ({self.consumer} reads {m.field} as {_describe(spec)})" if spec else ""
            lines.append(f"  {m.path}: {m.message}{reads}")
        where = f"contract {self.contract_version or self.contract}"
        lines.extend(f"  {where}: {e}" for e in self.contract_errors)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "consumer": self.consumer,
            "expectation": self.expectation,
            "description": self.description,
            "type": self.kind,
            "success": self.success,
            "verdict": self.verdict,
            "verdict_text": VERDICT_TEXT[self.verdict],
            "contract": self.contract,
            "contract_version": self.contract_version,
            "mismatches": [m.to_json() for m in self.mismatches],
            "contract_errors": list(self.contract_errors),
            "error": self.error or None,
            "pending": self.pending,
        }


def _describe(spec: Mapping[str, Any]) -> str:
    kind = str(spec.get("match"))
    if kind == "regex":
        kind = f"regex /{spec.get('regex')}/"
    elif kind in ("enum", "equals"):
        kind = f"{kind} {json.dumps(spec.get('values', spec.get('value')))}"
    extras = [w for w in ("optional", "nullable") if spec.get(w)]
    return kind + (f", {', '.join(extras)}" if extras else ", required")


@dataclass(frozen=True)
class ProviderReport:
    """Every interaction result of one verification run."""

    provider: str
    target: str
    results: tuple[InteractionResult, ...]
    expectations: tuple[ExpectationFile, ...] = ()
    provider_version: str | None = None
    provider_branch: str | None = None
    enable_pending: bool = False
    skipped: tuple[str, ...] = ()
    unverifiable: tuple[str, ...] = ()
    no_expectations: bool = False  # nothing to verify (allowed: allow_no_expectations)

    @property
    def ok(self) -> bool:
        """No failure (a pending expectation's failure counts only without pending), and
        nothing selected that could not be verified ("0 verified" is not a pass)."""
        return not self.unverifiable and all(
            r.success or (self.enable_pending and r.pending) for r in self.results
        )

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(VERDICT_TEXT, 0)
        for r in self.results:
            out[r.verdict] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "provider": self.provider,
            "provider_version": self.provider_version,
            "target": self.target,
            "ok": self.ok,
            "counts": self.counts(),
            "results": [r.to_json() for r in self.results],
            "skipped": list(self.skipped),
            "unverifiable": list(self.unverifiable),
            "no_expectations": self.no_expectations,
        }

    def render_text(self) -> str:
        lines = [
            f"verifying {self.provider}"
            + (f" {self.provider_version}" if self.provider_version else "")
            + f" against {self.target}: {plural(len(self.results), 'interaction')}"
        ]
        for r in self.results:
            status = "PASS" if r.success else "FAIL"
            tag = " [pending]" if r.pending and not r.success else ""
            if r.success:
                where = f" ({r.contract_version})" if r.contract_version else ""
                lines.append(f"{status}  {r.consumer}: {r.description}{where}{tag}")
            else:
                first, *rest = r.message().splitlines()
                lines.append(f"{status}  {first}{tag}")
                lines.extend(f"      {line.strip()}" for line in rest)
        lines.extend(f"SKIP  {s}" for s in self.skipped)
        lines.extend(f"FAIL  {u}" for u in self.unverifiable)
        if self.no_expectations:
            lines.append(
                f"no consumer expects anything of {self.provider} yet: nothing verified "
                "(allowed by --allow-no-expectations)"
            )
        passed = sum(r.success for r in self.results)
        failed = len(self.results) - passed + len(self.unverifiable)
        pending = sum(1 for r in self.results if not r.success and r.pending)
        summary = f"{passed} passed, {failed} failed"
        if pending:
            summary += f" ({pending} pending" + (", not blocking)" if self.enable_pending else ")")
        lines.append(summary)
        # One line per entry: names from expectations cannot start lines of their own.
        return "\n".join(escape_control(line) for line in lines) + "\n"

    def to_record(self, verified_at: str) -> dict[str, Any]:
        """The verification record (``verifications/<provider>/<version>.json``)."""
        from accord.consumers._records import RECORD_FORMAT_VERSION

        if not self.provider_version:
            raise ProviderError(
                "recording a verification needs the provider's version (--provider-version)",
                code="usage",
            )
        results = []
        for ef in self.expectations:
            mine = [r for r in self.results if r.expectation == ef.file]
            if not mine:
                continue
            consumer = ef.doc.get("consumer", {})
            entry: dict[str, Any] = {
                "consumer": ef.consumer,
                "expectation": ef.file,
                "digest": ef.digest,
                "content_digest": ef.content_digest,
                "contracts": sorted({r.contract_version for r in mine if r.contract_version}),
                "success": all(r.success for r in mine),
                "verified_at": verified_at,
                "interactions": [
                    {
                        "description": r.description,
                        "success": r.success,
                        "verdict": r.verdict,
                        "mismatches": [m.message for m in r.mismatches]
                        + list(r.contract_errors)
                        + ([r.error] if r.error else []),
                    }
                    for r in mine
                ],
            }
            if consumer.get("version"):
                entry["consumer_version"] = consumer["version"]
            if consumer.get("branch"):
                entry["consumer_branch"] = consumer["branch"]
            results.append(entry)
        record: dict[str, Any] = {
            "format_version": RECORD_FORMAT_VERSION,
            "provider": self.provider,
            "provider_version": self.provider_version,
            "verified_at": verified_at,
            "results": results,
        }
        if self.provider_branch:
            record["provider_branch"] = self.provider_branch
        return record


# -- selecting what to verify ------------------------------------------------------------


def select_cases(
    registry: Registry,
    provider: str,
    *,
    consumer: str | None = None,
    selectors: Sequence[str] = (),
    main_branch: str = "main",
    expectations: Sequence[ExpectationFile] | None = None,
) -> tuple[list[Case], list[ExpectationFile], list[str]]:
    """The interactions to verify for ``provider``: ``(cases, files, skipped)``.

    ``selectors`` (union; none means every expectation): ``main-branch`` (the
    consumer's branch is ``main_branch``), ``deployed`` / ``deployed:ENV`` and
    ``released`` / ``released:ENV`` (a consumer version recorded so in an environment
    holds the expectation: the file names that version, names none (it stands for every
    version of its consumer), or a verification record shows that version held the
    same content).

    A name that matches nothing is bad input, never "0 verified": a ``provider`` no
    interaction is verified against, a ``consumer`` with no interaction of ``provider``,
    a selector's environment with no record file.

    Raises:
        ProviderError: ``usage`` for an unknown selector; ``provider-unknown``,
            ``consumer-unknown``, ``environment-unknown``, with the closest known name.
    """
    from accord.consumers._model import discover
    from accord.provider._deploy import check_known_environment
    from accord.registry.model import registry_argument

    registry = registry_argument(registry)

    files = list(expectations) if expectations is not None else discover(registry.root)
    files = _of_names(registry, files, provider, consumer)
    for selector in selectors:
        kind, _, env = selector.partition(":")
        if kind in ("deployed", "released") and env:
            check_known_environment(registry.root, env)
    if selectors:
        recorded = _recorded_contents(registry)
        files = [ef for ef in files if _selected(registry, ef, selectors, main_branch, recorded)]
    cases: list[Case] = []
    used: list[ExpectationFile] = []
    skipped: list[str] = []
    for ef in files:
        mine = []
        for n, inter in enumerate(ef.doc.get("interactions", [])):
            if provider_of(registry, ef, inter) != provider:
                continue
            if inter.get("type") not in VERIFIED_KINDS:
                skipped.append(
                    f"{ef.consumer}: {inter.get('description')} ({inter.get('type')} "
                    "interactions are verified statically only)"
                )
                continue
            mine.append(Case(ef, n, inter))
        if mine:
            cases.extend(mine)
            used.append(ef)
    return cases, used, skipped


def _of_names(
    registry: Registry,
    files: Sequence[ExpectationFile],
    provider: str,
    consumer: str | None,
) -> list[ExpectationFile]:
    """The files with an interaction of ``provider`` (of ``consumer`` only, when given).

    Raises:
        ProviderError: ``provider-unknown`` (no contract or expectation names it),
            ``provider-no-expectations`` (a ``contract.toml`` does, but no consumer
            expects anything of it yet), ``consumer-unknown``.
    """
    from accord.core.text import did_you_mean

    providers: dict[str, set[str]] = {}  # provider -> its consumers
    for ef in files:
        for inter in ef.doc.get("interactions", []):
            name = provider_of(registry, ef, inter)
            if name is not None:
                providers.setdefault(name, set()).add(ef.consumer)
    if provider not in providers:
        none = "no consumer expects anything yet"
        provides = sorted(
            cid for cid, c in registry.contracts.items() if c.meta.provider == provider
        )
        if provides:
            # a real provider nobody depends on yet: a close name would mislead
            hint = f"; expectations name: {', '.join(sorted(providers))}" if providers else ""
            raise ProviderError(
                f"no consumer expects anything of provider {provider!r} yet (it provides "
                f"{', '.join(provides)}){hint or '; ' + none}: nothing to verify; pass "
                "--allow-no-expectations (allow_no_expectations=True) to pass with nothing "
                "verified, as before a provider's first consumer exists",
                code="provider-no-expectations",
            )
        hint = did_you_mean(provider, providers, none=none)
        raise ProviderError(
            f"unknown provider {provider!r}: no consumer expects anything of it{hint}",
            code="provider-unknown",
        )
    if consumer is None:
        return list(files)
    if consumer not in providers[provider]:
        hint = did_you_mean(consumer, providers[provider])
        raise ProviderError(
            f"unknown consumer {consumer!r}: no consumer of that name expects anything of "
            f"{provider}{hint}",
            code="consumer-unknown",
        )
    return [ef for ef in files if ef.consumer == consumer]


def _recorded_contents(registry: Registry) -> dict[tuple[str, str], set[str]]:
    """``(consumer, consumer version)`` -> the digests and content digests verification
    records show that version held."""
    from accord.consumers._records import load_records

    out: dict[tuple[str, str], set[str]] = {}
    for rec in load_records(registry.root):
        for r in rec["results"]:
            if isinstance(r.get("consumer_version"), str):
                seen = out.setdefault((r["consumer"], r["consumer_version"]), set())
                seen.add(r["digest"])
                if isinstance(r.get("content_digest"), str):
                    seen.add(r["content_digest"])
    return out


def _holds(ef: ExpectationFile, version: str, recorded: Mapping[tuple[str, str], set[str]]) -> bool:
    """Whether consumer ``version`` holds ``ef`` (see :func:`select_cases`)."""
    mine = ef.doc.get("consumer", {}).get("version")
    if not mine or mine == version:
        return True
    seen = recorded.get((ef.consumer, version), set())
    return ef.digest in seen or ef.content_digest in seen


def _live(registry: Registry, consumer: str, selector: str) -> set[str] | None:
    """The versions of ``consumer`` a deployed/released selector names (None: another
    kind of selector)."""
    from accord.provider._deploy import live_versions

    kind, _, env = selector.partition(":")
    if kind not in ("deployed", "released"):
        return None
    return live_versions(
        registry.root,
        consumer,
        kind="deployed" if kind == "deployed" else "released",
        env=env or None,
    )


def _selected(
    registry: Registry,
    ef: ExpectationFile,
    selectors: Sequence[str],
    main_branch: str,
    recorded: Mapping[tuple[str, str], set[str]],
) -> bool:
    consumer = ef.doc.get("consumer", {})
    for selector in selectors:
        kind = selector.partition(":")[0]
        if kind == "main-branch":
            if consumer.get("branch") == main_branch:
                return True
        elif kind in ("deployed", "released"):
            if any(_holds(ef, v, recorded) for v in _live(registry, ef.consumer, selector) or ()):
                return True
        else:
            raise ProviderError(
                f"unknown consumer-version selector {selector!r}: use main-branch, "
                "deployed[:ENV] or released[:ENV]",
                code="usage",
            )
    return False


def unverifiable(
    registry: Registry,
    provider: str,
    *,
    selectors: Sequence[str],
    consumer: str | None = None,
    selected: int = 0,
    expectations: Sequence[ExpectationFile] | None = None,
) -> list[str]:
    """What the selectors name that cannot be verified: a consumer version live in an
    environment whose expectations of ``provider`` are in no file (neither by version
    nor by recorded content), or, when nothing at all is ``selected``, the expectations
    of ``provider`` the selectors passed over. "0 verified" is never a pass.
    """
    from accord.consumers._model import discover
    from accord.consumers._records import load_records

    if not selectors:
        return []
    files = list(expectations) if expectations is not None else discover(registry.root)
    toward = [
        ef
        for ef in files
        if (consumer is None or ef.consumer == consumer)
        and any(
            inter.get("type") in VERIFIED_KINDS and provider_of(registry, ef, inter) == provider
            for inter in ef.doc.get("interactions", [])
        )
    ]
    consumers = {ef.consumer for ef in toward}
    consumers.update(
        r["consumer"]
        for rec in load_records(registry.root, provider)
        for r in rec["results"]
        if consumer is None or r["consumer"] == consumer
    )
    recorded = _recorded_contents(registry)
    out = [
        f"{name} {version} ({selector}): which expectations it holds of {provider} is not "
        "known (no expectation file names that version or holds the content a verification "
        "record shows for it), so it cannot be verified"
        for name in sorted(consumers)
        for selector in selectors
        for version in sorted(_live(registry, name, selector) or ())
        if not any(_holds(ef, version, recorded) for ef in toward if ef.consumer == name)
    ]
    if not selected and toward and not out:
        out.append(
            f"the consumer-version selectors ({', '.join(selectors)}) select none of the "
            f"{plural(len(toward), 'expectation file')} of {provider}: nothing was verified"
        )
    return list(dict.fromkeys(out))


def preflight(
    cases: Sequence[Case],
    *,
    target: Target | None,
    states: StateRunner,
    producers: MessageRegistry,
) -> None:
    """Refuse the run before any request: unsafe paths or headers, missing handlers.

    Raises:
        ProviderError: the first problem, with the expectation file and pointer.
    """
    state_names: dict[str, Case] = {}
    for case in cases:
        for state in case.interaction.get("provider_states", []):
            state_names.setdefault(str(state["name"]), case)
        if case.kind == "http":
            request = case.interaction.get("request", {})
            where = case.pointer + "/request"
            check_path(request.get("path"), pointer=where + "/path", file=case.expectation.file)
            check_path(
                path_template(request),
                pointer=where + "/generators/path",
                file=case.expectation.file,
            )
            check_headers(
                request.get("headers") or {}, pointer=where + "/headers", file=case.expectation.file
            )
            check_generators(request, label=case.id, pointer=where, file=case.expectation.file)
            if target is None:
                raise ProviderError(
                    f"{case.id}: an HTTP interaction needs a provider (--app or --base-url)",
                    code="usage",
                )
        elif producers.missing([case.description]):
            producers.get(case.description)  # raises message-producer-missing
    missing = states.missing(sorted(state_names))
    if missing:
        case = state_names[missing[0]]
        others = f" (also missing: {', '.join(map(repr, missing[1:]))})" if missing[1:] else ""
        raise ProviderError(
            f"no handler for provider state {missing[0]!r}, needed by {case.id}: register "
            f'one with @accord.provider_state("{missing[0]}") in the module given to --app '
            f"or --states, or pass --state-change-url{others}",
            code="provider-state-missing",
            file=case.expectation.file,
            pointer=case.pointer + "/provider_states",
        )


# -- checking ---------------------------------------------------------------------------


def _contract_versions(registry: Registry, ref_text: str) -> list[Any]:
    from accord.registry.names import ContractRef

    ref = ContractRef.parse(ref_text.removeprefix("accord://"))
    contract = registry.contract(ref.id)
    if ref.range is None:
        latest = contract.latest()
        return [latest] if latest else []
    # the versions the range serves a consumer: never a yanked one or a draft
    return [
        v
        for v in contract.versions
        if v.yanked is None and not v.draft and ref.range.contains(v.version)
    ]


def check_contract(
    registry: Registry, ref_text: str, payload: Any, *, exact: str | None = None
) -> tuple[str | None, list[str]]:
    """``(version it is valid under, [])`` or ``(highest version, errors)``."""
    from accord.errors import AccordError
    from accord.registry.runtime import validator

    try:
        versions = (
            [registry.get(exact.removeprefix("accord://"))]
            if exact
            else _contract_versions(registry, ref_text)
        )
    except AccordError as exc:
        return None, [f"{ref_text}: {exc.message}"]
    if not versions:
        return None, [f"no version of {ref_text} in the registry"]
    for version in reversed(versions):
        if validator(version.ref, registry=registry).is_valid(payload):
            return version.ref, []
    top = versions[-1]
    issues = validator(top.ref, registry=registry).errors(payload)
    return top.ref, [f"{i.json_path}: {i.message}" for i in issues]


def _check_headers(
    expected: Mapping[str, str], matchers: Mapping[str, Any], actual: Mapping[str, str]
) -> list[Mismatch]:
    out = []
    for name, value in expected.items():
        got = actual.get(name.lower())
        where = f"header {name}"
        if got is None:
            out.append(Mismatch(where, where, "is missing"))
            continue
        rules = matchers.get(name) or matchers.get(name.lower())
        if rules:
            for rule in rules:
                why = check_matcher(rule, got)
                if why:
                    out.append(Mismatch(where, where, why))
            continue
        if name.lower() == "content-type":
            if not _media_type_meets(value, got):
                out.append(Mismatch(where, where, f"expected {value!r}, got {got!r}"))
        elif got.strip() != value.strip():
            out.append(Mismatch(where, where, f"expected {value!r}, got {got!r}"))
    return out


def _media_type_meets(want: str, got: str) -> bool:
    """Whether the answered Content-Type ``got`` is the stated ``want``: one media type
    (a list or junk after the parameters is none), the same type and subtype, and every
    stated parameter with the same value (any case: a charset's name ignores it), in
    any order and spelling (``charset="utf-8"``). A JSON type stated without a charset
    is not met by one naming another charset than UTF-8 (the consumer's client would
    decode the UTF-8 body as other text)."""
    from accord.core.media import parse_media_type

    wanted, answered = parse_media_type(want), parse_media_type(got)
    if answered is None:
        return False
    if wanted is None:  # the consumer's own odd spelling: only itself meets it
        return want.strip() == got.strip()
    charset = (answered.parameter("charset") or "utf-8").lower()
    if wanted.is_json() and wanted.parameter("charset") is None and charset != "utf-8":
        return False
    return wanted.essence == answered.essence and all(
        (answered.parameter(key) or "").lower() == value.lower() for key, value in wanted.parameters
    )


def _judge(  # noqa: PLR0917 - private, called from two places
    case: Case,
    registry: Registry,
    body: Mapping[str, Any] | None,
    payload: Any,
    has_payload: bool,
    extra: list[Mismatch],
    *,
    exact: str | None = None,
) -> InteractionResult:
    fields: tuple[Mapping[str, Any], ...] = tuple(body.get("fields", [])) if body else ()
    contract = str(body["contract"]) if body and body.get("contract") else None
    mismatches = list(extra)
    contract_version: str | None = None
    contract_errors: list[str] = []
    # A body that is missing or not JSON is reported by the caller, as what the
    # provider answered (``body`` in ``extra``): there is nothing for fields to read.
    if body is not None and has_payload:
        mismatches.extend(check_fields([dict(f) for f in fields], payload, role="reads"))
        if contract:
            contract_version, contract_errors = check_contract(
                registry, contract, payload, exact=exact
            )
    if contract_errors and has_payload:
        verdict: Verdict = "contract-violation"
    elif any(m.path.startswith(("header", "metadata")) or m.path in _ANSWER for m in mismatches):
        verdict = "mismatch"
    elif mismatches and contract and not contract_errors:
        verdict = "not-promised"
    elif mismatches:
        verdict = "mismatch"
    else:
        verdict = "passed"
    return InteractionResult(
        consumer=case.consumer,
        expectation=case.expectation.file,
        description=case.description,
        kind=case.kind,
        verdict=verdict,
        contract=contract,
        contract_version=contract_version,
        mismatches=tuple(mismatches),
        contract_errors=tuple(contract_errors),
        fields=fields,
    )


# Mismatches in what the provider answered rather than in a field a consumer reads:
# whatever the contract says, the provider did not answer as the consumer expects.
_ANSWER = ("status", "body")
_PREVIEW_BYTES = 64


def _answered(response: Response) -> str:
    """What the provider answered, for a person: status, content type, size and the
    first bytes (an HTML error page names its error early; the rest is cut)."""
    content_type = escape_control(response.headers.get("content-type") or "no content type")
    if not response.body:
        return f"{response.status} {content_type}, no body"
    head = response.body[:_PREVIEW_BYTES].decode("utf-8", errors="replace")
    cut = "..." if len(response.body) > _PREVIEW_BYTES else ""
    return f"{response.status} {content_type}, {len(response.body)} bytes: {head!r}{cut}"


def _parse(data: bytes) -> tuple[Any, bool]:
    from accord.core.jsondoc import loads
    from accord.errors import DocumentError

    if not data:
        return None, False
    try:
        # exact_numbers: a 1e-400 answered is judged as written, not as 0.0.
        return loads(data, max_bytes=None, exact_numbers=True), True
    except DocumentError:
        return None, False


def _check_json_media_type(got: str | None) -> list[Mismatch]:
    """A JSON body must come as JSON: the consumer's stub served it as
    ``application/json``, and clients that dispatch on the media type (aiohttp's
    ``json()``, generated SDKs) fail on another, as Pact's verifier does.

    It must be exactly one media type (:func:`~accord.core.media.parse_media_type`):
    a list (``application/json, text/html``, or two Content-Type headers, which come
    joined by a comma) is read as its last type by browsers and its first by most
    libraries. A charset other than UTF-8 is refused: JSON is UTF-8 (RFC 8259), and a
    client honouring the parameter decodes the bytes as other text."""
    from accord.core.media import parse_media_type

    media = parse_media_type(got) if got else None
    charset = media.parameter("charset") if media is not None else None
    if media is not None and media.is_json() and (charset or "utf-8").lower() == "utf-8":
        return []
    where = "header Content-Type"
    if media is not None and media.is_json():
        why = f"JSON is UTF-8, got {got!r} (a client honouring the charset reads other text)"
    elif got and media is None:
        why = (
            f"expected one JSON media type (application/json), got {got!r}, which is not "
            "one media type (a list, two Content-Type headers, or text after its parameters)"
        )
    else:
        shown = f"got {got!r}" if got else "the provider sent none"
        why = f"expected a JSON media type (application/json), {shown}"
    return [Mismatch(where, where, why)]


def _check_http(case: Case, registry: Registry, response: Response) -> InteractionResult:
    expected = case.interaction.get("response", {})
    extra: list[Mismatch] = []
    if response.status != expected.get("status"):
        extra.append(
            Mismatch(
                "status",
                "status",
                f"expected {expected.get('status')}, got {response.status} "
                f"(the provider answered {_answered(response)})",
            )
        )
    extra.extend(
        _check_headers(
            expected.get("headers") or {},
            (expected.get("matchers") or {}).get("header") or {},
            response.headers,
        )
    )
    body = expected.get("body")
    if extra and extra[0].path == "status":
        # Another status answers another question: its body is not the contract's.
        body = None
    stated = any(name.lower() == "content-type" for name in expected.get("headers") or {})
    if body is not None and not stated:
        extra.extend(_check_json_media_type(response.headers.get("content-type")))
    payload, has = _parse(response.body) if body is not None else (None, False)
    if body is not None and not has:
        # The provider's failure, whatever the consumer reads: name what it sent.
        why = f"expected a JSON body; the provider answered {_answered(response)}"
        extra.append(Mismatch("body", "body", why))
    return _judge(case, registry, body, payload, has, extra)


def _check_metadata(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Mismatch]:
    """Every expected metadata key must be produced with the same value (Pact's rule);
    ``contract`` is accord's binding, and a content type not produced is JSON's (a
    producer's message is JSON)."""
    out = []
    for key, want in expected.items():
        if key == "contract":
            continue
        where = f"metadata {key}"
        got = actual.get(key)
        if got is None and key.lower() in _CONTENT_TYPE_KEYS:
            # Pact reads a message's content type under any of these keys: one the
            # producer states under another spelling is compared, never taken for JSON.
            stated = [v for k, v in actual.items() if k.lower() in _CONTENT_TYPE_KEYS]
            got = next((v for v in stated if _metadata_text(v) != _metadata_text(want)), None)
            if got is None and stated:
                continue
            if got is None:
                got = "application/json"
                if str(want).partition(";")[0].strip().lower() == got:
                    continue
        if got is None:
            out.append(Mismatch(where, where, "is missing (the producer returned no such key)"))
        elif (text := _metadata_text(got)) is None or text != _metadata_text(want):
            out.append(Mismatch(where, where, f"expected {want!r}, got {got!r}"))
    return out


_CONTENT_TYPE_KEYS = ("contenttype", "content-type", "content_type")


def _metadata_text(value: Any) -> str | None:
    """A metadata value as JSON text, a string as itself: a header carries text, so a
    produced ``"2"`` is the expected ``2``, but a ``"True"`` (how Python prints true) is
    no JSON ``true``. Bytes (a Kafka header) are their UTF-8 text; a value JSON cannot
    write matches nothing (``None``)."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if isinstance(value, str):
        return value
    import json

    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None


def _check_message(
    case: Case,
    registry: Registry,
    payload: Any,
    metadata: Mapping[str, Any],
    part: Mapping[str, Any] | None = None,
) -> InteractionResult:
    """Check a produced message against ``part`` (the interaction itself for a message,
    one expected response of a sync-message)."""
    from accord.errors import InvalidReference
    from accord.registry.names import ContractRef

    expected = case.interaction if part is None else part
    extra = _check_metadata(expected.get("metadata") or {}, metadata)
    body = expected.get("body")
    exact = metadata.get("dataschema") if isinstance(metadata.get("dataschema"), str) else None
    try:
        # What a consumer's accord.lookup accepts: accord://ns.name@X.Y.Z, nothing else.
        # registry.get would take a bare id or a range and pick a version outside the
        # consumer's range, which the range check below cannot see.
        got = ContractRef.parse_uri(exact) if exact else None
    except InvalidReference as exc:
        result = _judge(case, registry, body, payload, True, extra)
        why = f"dataschema {exact} is not accord://<contract>@<version>: {exc.message}"
        return _with(
            result,
            verdict="contract-violation",
            contract_errors=(*result.contract_errors, why),
        )
    result = _judge(case, registry, body, payload, True, extra, exact=exact)
    if got is not None and body and body.get("contract"):
        wanted = ContractRef.parse(str(body["contract"]))
        unserved = _unserved(registry, got)
        if got.id != wanted.id or (
            wanted.range is not None
            and got.version is not None
            and (not wanted.range.contains(got.version) or unserved)
        ):
            return _with(
                result,
                verdict="contract-violation",
                contract_errors=(
                    *result.contract_errors,
                    (
                        f"dataschema {exact} is not in the range the consumer reads "
                        f"({body['contract']})" + (f": {unserved}" if unserved else "")
                    ),
                ),
            )
    return result


def _unserved(registry: Registry, ref: ContractRef) -> str:
    """Why no range serves the exact version ``ref`` names (yanked, or a draft: a
    consumer reading a range never validates against it), or ``""``."""
    from accord.errors import AccordError

    try:
        version = registry.get(ref)
    except AccordError:
        return ""  # not in the registry: check_contract has said so
    if version.yanked is not None:
        return "it is yanked"
    return "it is a draft (no accord.lock line)" if version.draft else ""


def _check_sync(
    case: Case, registry: Registry, producers: MessageRegistry, values: Mapping[str, Any]
) -> InteractionResult:
    """Call the producer with the request's example and check each response it returns
    against the expected response (metadata, matchers, contract)."""
    expected = list(case.interaction.get("responses", []))
    request = case.interaction.get("request", {}).get("body", {}).get("example")
    func = producers.get(case.description)
    try:
        produced = respond(func, values, request, len(expected))
    except Exception as exc:  # noqa: BLE001 - the producer is user code
        return _error(case, f"the producer raised {type(exc).__name__}: {exc}")
    results = [
        _check_message(case, registry, payload, metadata, part)
        for (payload, metadata), part in zip(produced, expected, strict=True)
    ]
    if not results:
        return _judge(case, registry, None, None, False, [])
    for n, result in enumerate(results):
        if not result.success:
            return _with(result, error=f"response {n}") if len(results) > 1 else result
    return results[0]


def _with(result: InteractionResult, **changes: Any) -> InteractionResult:
    from dataclasses import replace

    return replace(result, **changes)


def _error(case: Case, message: str, elapsed: float = 0.0) -> InteractionResult:
    contract = None
    for body in _bodies_of(case.interaction):
        if body.get("contract"):
            contract = str(body["contract"])
            break
    return InteractionResult(
        consumer=case.consumer,
        expectation=case.expectation.file,
        description=case.description,
        kind=case.kind,
        verdict="error",
        contract=contract,
        error=message,
        elapsed=elapsed,
    )


def verify_case(
    case: Case,
    registry: Registry,
    *,
    target: Target | None,
    states: StateRunner | None = None,
    producers: MessageRegistry | None = None,
) -> InteractionResult:
    """Verify one interaction: states, replay (or produce), check, tear down."""
    from accord.registry.model import registry_argument

    registry = registry_argument(registry)

    runner = states or DEFAULT_STATES
    producer_registry = producers or DEFAULT_PRODUCERS
    start = time.monotonic()
    problems: list[str] = []
    try:
        with run_states(runner, case.interaction.get("provider_states", []), problems) as values:
            if case.kind == "message":
                func = producer_registry.get(case.description)
                try:
                    payload, metadata = produce(func, values)
                except Exception as exc:  # noqa: BLE001 - the producer is user code
                    return _error(case, f"the producer raised {type(exc).__name__}: {exc}")
                result = _check_message(case, registry, payload, metadata)
            elif case.kind == "sync-message":
                result = _check_sync(case, registry, producer_registry, values)
            else:
                if target is None:
                    raise ProviderError(
                        "an HTTP interaction needs --app or --base-url", code="usage"
                    )
                request = fill_request(
                    case.interaction.get("request", {}),
                    values,
                    seed=case.id,
                    pointer=case.pointer + "/request",
                    file=case.expectation.file,
                )
                response = target.send(request)
                result = _check_http(case, registry, response)
    except (StateFailed, GeneratorError, ReplayError) as exc:
        result = _error(case, str(exc))
    except ProviderError as exc:
        if exc.code not in ("interaction-unsafe-path", "interaction-unsafe-header"):
            raise
        result = _error(case, f"{exc.message} (after provider-state values were applied)")
    if problems:
        result = _with(
            result,
            verdict="error" if result.success else result.verdict,
            error="; ".join(filter(None, [result.error, *problems])),
        )
    return _with(result, elapsed=time.monotonic() - start)


def verify_provider(
    registry: Registry,
    provider: str,
    *,
    target: Target | None = None,
    states: StateRunner | None = None,
    producers: MessageRegistry | None = None,
    consumer: str | None = None,
    selectors: Sequence[str] = (),
    main_branch: str = "main",
    provider_version: str | None = None,
    provider_branch: str | None = None,
    enable_pending: bool = False,
    expectations: Sequence[ExpectationFile] | None = None,
    allow_no_expectations: bool = False,
    progress: Progress | None = None,
) -> ProviderReport:
    """Replay every interaction consumers expect of ``provider`` and check the answers.

    Args:
        registry: The registry holding the contracts and ``consumers/``.
        provider: The provider's name (``contract.toml`` ``provider`` / the
            expectation's ``provider``).
        target: Where HTTP interactions go (:func:`~accord.provider.app_target`,
            :class:`~accord.provider.HttpTarget`); the caller closes it.
        states: Provider-state handlers (default: those registered with
            ``@accord.provider_state``), or a :class:`StateChangeUrl`.
        producers: Message producers (default: ``@accord.message_producer``'s).
        consumer: Only this consumer's expectations.
        selectors: Consumer-version selectors (see :func:`select_cases`).
        main_branch: The branch ``main-branch`` selects.
        provider_version: Recorded in the report (and needed for a record).
        provider_branch: Recorded in the record.
        enable_pending: Failures of pending expectations (never verified) do not
            make the report fail.
        expectations: Verify these instead of the registry's.
        allow_no_expectations: A provider a ``contract.toml`` names that no consumer
            expects anything of yet gives an empty, passing report (``no_expectations``)
            instead of ``provider-no-expectations``.
        progress: Called after each interaction (:mod:`accord.core.progress`).

    Raises:
        ProviderError: bad input found before any request (see the module docstring).
    """
    from accord.consumers._records import is_pending, load_records, verified_digests
    from accord.registry.model import registry_argument

    registry = registry_argument(registry)

    runner = states or DEFAULT_STATES
    producer_registry = producers or DEFAULT_PRODUCERS
    try:
        cases, used, skipped = select_cases(
            registry,
            provider,
            consumer=consumer,
            selectors=selectors,
            main_branch=main_branch,
            expectations=expectations,
        )
    except ProviderError as exc:
        if not (allow_no_expectations and exc.code == "provider-no-expectations"):
            raise
        return ProviderReport(
            provider=provider,
            target=target.description if target is not None else "message producers",
            results=(),
            provider_version=provider_version,
            provider_branch=provider_branch,
            no_expectations=True,
        )
    preflight(cases, target=target, states=runner, producers=producer_registry)
    unknown = unverifiable(
        registry,
        provider,
        selectors=selectors,
        consumer=consumer,
        selected=len(cases),
        expectations=expectations,
    )
    verified = verified_digests(load_records(registry.root, provider))
    results = []
    for done, case in enumerate(cases, 1):
        result = verify_case(
            case, registry, target=target, states=runner, producers=producer_registry
        )
        report_progress(progress, done, len(cases), f"{case.consumer}: {case.description}")
        pending = is_pending(
            case.consumer,
            case.expectation.digest,
            verified,
            content_digest=case.expectation.content_digest,
        )
        results.append(_with(result, pending=pending))
    return ProviderReport(
        provider=provider,
        target=target.description if target is not None else "message producers",
        results=tuple(results),
        expectations=tuple(used),
        provider_version=provider_version,
        provider_branch=provider_branch,
        enable_pending=enable_pending,
        skipped=tuple(skipped),
        unverifiable=tuple(unknown),
    )


def now_rfc3339() -> str:
    """The current UTC time, RFC 3339, seconds precision."""
    from datetime import UTC, datetime

    from accord.consumers._records import TIME_FORMAT  # the one form readers accept

    return datetime.now(UTC).strftime(TIME_FORMAT)
