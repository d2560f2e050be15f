"""The error provider verification and deployment records raise (defined in
:mod:`accord.errors`, the one hierarchy; re-exported here for the provider package)."""

from __future__ import annotations

from accord.errors import ProviderError

__all__ = ["ProviderError"]
