"""Data shared by the compatibility engine, the rule layer and the payload generator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from accord.core import rules as _rules

Semantics = Literal["contract", "set"]
Direction: TypeAlias = _rules.Direction

Side = Literal["old", "new"]
Status = Literal["proven", "unproven", "policy"]

DEFAULT_MAX_STEPS = 200_000


@dataclass(frozen=True, slots=True)
class Witness:
    """A concrete payload accepted by one side and rejected by the other.

    Always checked with the reference validator (jsonschema-rs, formats on) before it
    is reported.
    """

    payload: Any
    accepted_by: Side
    rejected_by: Side

    def to_json(self) -> dict[str, Any]:
        return {
            "payload": self.payload,
            "accepted_by": self.accepted_by,
            "rejected_by": self.rejected_by,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer to "is every payload of SUB valid under SUP?".

    ``holds`` is ``True`` when inclusion is proven, ``False`` when refuted (then
    ``witness`` is a payload of SUB rejected by SUP, sides named from the caller's
    point of view), and ``None`` when neither could be shown (``reason`` says why; the
    direction is then reported not compatible, status ``unproven``).
    """

    holds: bool | None
    witness: Any = None
    has_witness: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Removal:
    """A key named in OLD that a writer on NEW can no longer emit (the removal policy)."""

    instance_path: str  # JSON pointer of the object location; "*" for array items
    key: str
    schema_path: str  # pointer into OLD where the key is named
    reason: str  # "gone from struct", "forbidden by false", ...


@dataclass(frozen=True, slots=True)
class Comparison:
    """Both directions between OLD and NEW under one semantics."""

    backward: Verdict  # L(old) ⊆ L(new) (contract: writer-closed old)
    forward: Verdict  # L(new) ⊆ L(old) (contract: writer-closed new)
    removals: tuple[Removal, ...] = ()  # contract semantics only; empty under "set"
    steps: int = 0
