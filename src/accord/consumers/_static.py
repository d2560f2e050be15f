"""Static verification: prove, from the schemas alone, that providers honour expectations.

For a body the consumer *reads* (responses, messages), every payload a writer on the
provider's contract version may emit must satisfy the consumer's fields:
``includes(provider, fields, semantics="contract")``. For a body it *writes* (request
bodies), every payload the consumer may send must be valid under the contract:
``includes(fields, provider, semantics="contract")``. Each expectation body is checked
against every non-yanked version its range selects.

Verdicts: ``proven``; ``refuted`` with a witness payload (checked by the reference
validator on the schema side and by the matcher semantics on the consumer side);
``undecided`` with the reason (an inclusion the engine cannot decide, a matcher the
translation cannot state exactly); ``unbound`` for a body bound to no contract (a Pact
import no ``--map`` bound): there is no schema to prove anything from, so it is
verified dynamically only (``accord verify --provider`` checks its matchers against
the running provider). ``unbound`` does not fail the report unless
``require_contract``. A refutation caused only by Pact literals without a matcher is of
class ``pinned-literal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from accord.consumers._matchers import Mismatch, check_fields, translate
from accord.consumers._model import Body, ExpectationFile
from accord.core.jsondoc import FORMAT_VERSION
from accord.core.text import escape_control

if TYPE_CHECKING:
    from accord.registry.model import ContractVersion, Registry

__all__ = ["BodyVerdict", "StaticReport", "verify_body", "verify_static"]

VerdictKind = Literal["proven", "refuted", "undecided", "unbound"]
_KINDS: tuple[VerdictKind, ...] = ("proven", "refuted", "undecided", "unbound")
UNBOUND_REASON = (
    "not bound to a contract: verified dynamically only (accord verify --provider checks "
    "its matchers); bind it (pact import --map) to verify it statically"
)


@dataclass(frozen=True, slots=True)
class BodyVerdict:
    """The verdict for one expectation body against one contract version."""

    consumer: str
    file: str
    label: str
    pointer: str
    role: str
    contract: str | None
    version: str | None
    verdict: VerdictKind
    reason: str = ""
    witness: Any = None
    has_witness: bool = False
    klass: str | None = None  # "pinned-literal" for refutations by pinned literals only
    mismatches: tuple[Mismatch, ...] = ()
    pending: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "consumer": self.consumer,
            "file": self.file,
            "label": self.label,
            "pointer": self.pointer,
            "role": self.role,
            "contract": self.contract,
            "version": self.version,
            "verdict": self.verdict,
            "class": self.klass,
            "reason": self.reason,
            "witness": {"payload": self.witness} if self.has_witness else None,
            "mismatches": [m.to_json() for m in self.mismatches],
            "pending": self.pending,
        }


@dataclass(frozen=True, slots=True)
class StaticReport:
    """Every body verdict; ``ok`` when all are proven (or ``unbound``, unless
    ``require_contract``)."""

    results: tuple[BodyVerdict, ...] = field(default_factory=tuple)
    require_contract: bool = False

    @property
    def ok(self) -> bool:
        allowed = ("proven",) if self.require_contract else ("proven", "unbound")
        return all(r.verdict in allowed for r in self.results)

    def to_json(self) -> dict[str, Any]:
        counts = {k: sum(r.verdict == k for r in self.results) for k in _KINDS}
        return {
            "format_version": FORMAT_VERSION,
            "ok": self.ok,
            "require_contract": self.require_contract,
            "counts": counts,
            "results": [r.to_json() for r in self.results],
        }

    def render_text(self) -> str:
        import json

        lines = []
        for r in self.results:
            where = f"{r.contract or 'no contract'}" + (f" ({r.version})" if r.version else "")
            # The file too: two expectation files can hold the same interaction.
            head = f"{r.verdict.upper():<9} {r.consumer}: {r.label} -> {where}, from {r.file}"
            if r.klass:
                head += f" [{r.klass}]"
            if r.pending:
                head += " [pending]"
            lines.append(head)
            if r.reason:
                lines.append(f"    {r.reason}")
            if r.has_witness:
                text = json.dumps(r.witness, sort_keys=True, ensure_ascii=False)
                lines.append(f"    witness: {text[:200]}")
            lines.extend(f"    {m.path}: {m.message}" for m in r.mismatches[:5])
        counts = self.to_json()["counts"]
        summary = (
            f"{counts['proven']} proven, {counts['refuted']} refuted, "
            f"{counts['undecided']} undecided"
        )
        if counts["unbound"]:
            verdict = "failing: --require-contract" if self.require_contract else "not failing"
            summary += f", {counts['unbound']} unbound (verified dynamically only; {verdict})"
        lines.append(summary)
        # One line per entry: names from expectations and schemas cannot start their own.
        return "\n".join(escape_control(line) for line in lines) + "\n"


@dataclass(frozen=True, slots=True)
class _Outcome:
    verdict: VerdictKind
    reason: str = ""
    witness: Any = None
    has_witness: bool = False
    klass: str | None = None
    mismatches: tuple[Mismatch, ...] = ()


def _relaxed(fields: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for f in fields:
        if f.get("match") == "equals" and f.get("pinned"):
            out.append(
                {k: v for k, v in f.items() if k not in ("value", "pinned", "match")}
                | {"match": "like", "example": f.get("value")}
            )
        else:
            out.append(f)
    return out


def verify_body(
    provider: dict[str, Any],
    fields: Sequence[dict[str, Any]],
    role: str,
    *,
    literals_as_examples: bool = False,
    _classify: bool = True,
) -> _Outcome:
    """The verdict for ``fields`` against one bundled provider schema."""
    from accord.compat._engine import includes

    if literals_as_examples:
        fields = _relaxed(fields)
    reads = role == "reads"
    t = translate(fields, role="reads" if reads else "writes")
    inexact = t.over if reads else t.under
    verdict = (
        includes(provider, t.schema, semantics="contract")
        if reads
        else includes(t.schema, provider, semantics="contract")
    )
    if verdict.holds is True:
        if inexact:
            return _Outcome(
                "undecided",
                "the schema allows it, but the matchers at "
                f"{', '.join(sorted(set(inexact)))} cannot be stated exactly in JSON Schema",
            )
        return _Outcome("proven")
    if verdict.holds is False and verdict.has_witness:
        w = verdict.witness
        mismatches = check_fields(fields, w, role="reads" if reads else "writes")
        if reads and mismatches:
            klass = None
            if _classify and all(m.pinned for m in mismatches):
                again = verify_body(provider, _relaxed(fields), role, _classify=False)
                if again.verdict == "proven":
                    klass = "pinned-literal"
                elif again.verdict == "refuted":
                    return again
            return _Outcome(
                "refuted",
                "the provider may send a payload the consumer's matchers reject"
                + (" (only because of values pinned without a matcher)" if klass else ""),
                w,
                True,
                klass,
                tuple(mismatches),
            )
        if not reads and not mismatches:
            return _Outcome(
                "refuted",
                "the consumer may send a payload the provider's contract rejects",
                w,
                True,
            )
        return _Outcome(
            "undecided",
            "the engine's counterexample satisfies the matchers exactly read; "
            f"translation inexact at {', '.join(sorted(set(t.over + t.under))) or 'the root'}",
        )
    return _Outcome("undecided", verdict.reason or "inclusion could not be decided")


def _versions(registry: Registry, ref_text: str) -> list[ContractVersion]:
    from accord.registry.names import ContractRef

    ref = ContractRef.parse(ref_text.removeprefix("accord://"))
    contract = registry.contract(ref.id)
    if ref.range is None:
        latest = contract.latest()
        return [latest] if latest else []
    if ref.range.is_exact:
        return [registry.get(ref)]
    return [v for v in contract.versions if v.yanked is None and ref.range.contains(v.version)]


def verify_static(
    registry: Registry,
    *,
    consumer: str | None = None,
    contract: str | None = None,
    literals_as_examples: bool = False,
    expectations: Sequence[ExpectationFile] | None = None,
    require_contract: bool = False,
) -> StaticReport:
    """Check every expectation (of ``consumer``, on ``contract``) against its contract versions.

    A body bound to no contract is ``unbound``: it does not fail the report (dynamic
    verification is its check) unless ``require_contract``.

    A filter that matches nothing is bad input, never "0 proven": a ``consumer`` with
    no expectation file, a ``contract`` the registry lacks, or one no selected
    expectation reads.

    Raises:
        DocumentError: an expectation file is invalid.
        UsageError: ``consumer-unknown``, ``contract-unknown`` (the contract exists but
            no expectation (of ``consumer``) reads it).
        ContractNotFound: ``contract`` is not in the registry.
    """
    from accord.consumers._model import discover, of_consumer
    from accord.consumers._records import is_pending, load_records, verified_digests
    from accord.errors import ContractNotFound, VersionNotFound

    files = of_consumer(
        list(expectations) if expectations is not None else discover(registry.root), consumer
    )
    if contract is not None:
        _check_read(registry, files, contract, consumer)
    verified = verified_digests(load_records(registry.root))
    results: list[BodyVerdict] = []
    for ef in files:
        pending = is_pending(ef.consumer, ef.digest, verified, content_digest=ef.content_digest)
        for body in ef.bodies():
            if contract is not None and (body.contract or "").split("@")[0] != contract:
                continue
            results.extend(
                _verify_one(
                    registry,
                    ef,
                    body,
                    literals_as_examples,
                    pending,
                    (ContractNotFound, VersionNotFound),
                )
            )
    return StaticReport(tuple(results), require_contract=require_contract)


def _check_read(
    registry: Registry, files: Sequence[ExpectationFile], contract: str, consumer: str | None
) -> None:
    """Refuse a ``--contract`` filter that selects no body of ``files``."""
    from accord.core.text import did_you_mean
    from accord.errors import UsageError

    registry.contract(contract)  # ContractNotFound, with close matches, for a typo
    read = {(b.contract or "").split("@")[0] for ef in files for b in ef.bodies()} - {""}
    if contract not in read:
        who = f" of {consumer}" if consumer is not None else ""
        hint = did_you_mean(contract, read, none="no expectation is bound to a contract")
        raise UsageError(
            f"no expectation{who} reads contract {contract!r}{hint}", code="contract-unknown"
        )


def _verify_one(  # noqa: PLR0917 - private helper called from one place
    registry: Registry,
    ef: ExpectationFile,
    body: Body,
    literals_as_examples: bool,
    pending: bool,
    missing: tuple[type[Exception], ...],
) -> list[BodyVerdict]:
    def make(**kw: Any) -> BodyVerdict:
        return BodyVerdict(
            consumer=ef.consumer,
            file=ef.file,
            label=body.label,
            pointer=body.pointer,
            role=body.role,
            contract=body.contract,
            pending=pending,
            **kw,
        )

    if body.contract is None:
        return [make(version=None, verdict="unbound", reason=UNBOUND_REASON)]
    try:
        versions = _versions(registry, body.contract)
    except missing as exc:
        return [make(version=None, verdict="refuted", reason=str(exc))]
    if not versions:
        return [
            make(
                version=None,
                verdict="refuted",
                reason=f"no version of {body.contract} in the registry",
            )
        ]
    out = []
    for version in versions:
        outcome = verify_body(
            registry.bundle(version),
            body.fields,
            body.role,
            literals_as_examples=literals_as_examples,
        )
        out.append(
            make(
                version=str(version.version),
                verdict=outcome.verdict,
                reason=outcome.reason,
                witness=outcome.witness,
                has_witness=outcome.has_witness,
                klass=outcome.klass,
                mismatches=outcome.mismatches,
            )
        )
    return out
