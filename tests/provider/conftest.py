"""Fixtures of the provider tests (defined in ``_provider_support``)."""

from __future__ import annotations

from _provider_support import http_server, registry_root, wsgi_server

__all__ = ["http_server", "registry_root", "wsgi_server"]
