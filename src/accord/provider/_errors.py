"""The error provider verification and deployment records raise on bad input."""

from __future__ import annotations

from accord.errors import AccordError

__all__ = ["ProviderError"]


class ProviderError(AccordError, ValueError):
    """Provider verification or a deployment record cannot proceed on this input.

    Codes: ``provider-state-missing``, ``provider-state-duplicate``,
    ``provider-state-params``, ``provider-state-failed``, ``message-producer-missing``,
    ``message-producer-duplicate``, ``interaction-unsafe-path``,
    ``interaction-unsafe-header``, ``provider-remote-refused``, ``provider-url-invalid``,
    ``provider-app-invalid``, ``record-lock-timeout``, ``environment-invalid``,
    ``record-bad-name``.
    """

    default_code = "provider-error"
