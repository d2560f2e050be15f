"""Facts about one interaction of an expectation file: its bodies and the provider it
is verified against. Shared by verification (``_verify``) and can-i-deploy
(``_deploy``), which therefore do not import each other both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from accord.consumers._model import ExpectationFile

if TYPE_CHECKING:
    from accord.registry.model import Registry

#: The interaction types verified against a running provider (or its producers).
VERIFIED_KINDS = ("http", "message", "sync-message")


def _bodies_of(interaction: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    kind = interaction.get("type")
    if kind == "http":
        return [
            b
            for b in (
                interaction.get("response", {}).get("body"),
                interaction.get("request", {}).get("body"),
            )
            if b
        ]
    if kind == "message":
        return [interaction["body"]]
    if kind == "sync-message":
        responses = [r["body"] for r in interaction.get("responses", []) if r.get("body")]
        request = interaction.get("request", {}).get("body")
        return [*responses, *([request] if request else [])]
    return []


def provider_of(
    registry: Registry, ef: ExpectationFile, interaction: Mapping[str, Any]
) -> str | None:
    """The provider an interaction is verified against: the expectation's ``provider``,
    else ``contract.toml`` ``provider`` of the first contract its bodies name."""
    from accord.errors import AccordError
    from accord.registry.names import ContractRef

    if ef.doc.get("provider"):
        return str(ef.doc["provider"])
    for body in _bodies_of(interaction):
        if not body.get("contract"):
            continue
        try:
            ref = ContractRef.parse(str(body["contract"]))
            return registry.contract(ref.id).meta.provider
        except AccordError:
            continue
    return None
