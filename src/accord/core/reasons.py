"""Whether an approval's reason says why.

Every place a person switches a check off writes a reason: an ignore entry of the gate,
a rule override (``[rules.<id>]`` in ``contract.toml``, ``[lint.rules.<id>]`` in
``accord.toml``), a yank (``[yanked]``, ``accord yank --reason``). A placeholder there
approves nothing that review could read, so each of them refuses the same placeholders.
"""

from __future__ import annotations

__all__ = ["PLACEHOLDER_PREFIX", "is_placeholder_reason"]

PLACEHOLDER_PREFIX = "TODO"
_PLACEHOLDER_STARTS = ("todo", "fixme", "tbd", "xxx", "placeholder", "<")
_PLACEHOLDER_WORDS = frozenset(
    {"ignore", "ignored", "n/a", "na", "no", "none", "null", "ok", "okay", "reason", "why", "yes"}
)


def is_placeholder_reason(reason: str) -> bool:
    """Whether an approval reason is empty or a placeholder (``TODO: ...``, ``n/a``,
    ``-``): an approval must say why, so these are refused."""
    text = reason.strip().casefold()
    if sum(c.isalnum() for c in text) < 3:
        return True
    return text.startswith(_PLACEHOLDER_STARTS) or text.rstrip(".!") in _PLACEHOLDER_WORDS
