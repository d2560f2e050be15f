"""The registry as a static website: ``accord site --out site/`` (and ``--serve``).

Owns the catalogue site: an index of every contract with a client-side filter, a page
per contract (versions, each schema as a readable tree, the diff between consecutive
versions with rule, severity, required bump and witness, who reads which field), a
changelog page per contract, the network diagram of providers and consumers (an SVG
drawn at build time), the can-i-deploy matrix per environment from the records, and a
page per rule of the one rule catalogue. Everything the site shows is computed by the
layers below (the compatibility report, ``accord consumers``, can-i-deploy,
``accord changelog``, :mod:`accord.core.rules`); this layer only lays it out.

The output is self-contained (every asset inside the output directory, no network,
works from ``file://``), deterministic (a rebuild is byte-identical) and written
atomically (a temporary directory beside ``--out``, then swapped in). Everything read
from the registry is escaped (Jinja2 autoescaping; the SVG through
:func:`html.escape`).

Jinja2 is imported only here (the ``site`` extra): services never import this layer.

Layer: above ``testing``, ``service`` and ``distribution``, below ``cli``; may import
every layer below it.
"""

from __future__ import annotations

from accord.site._build import MARKER, SiteResult, build_site, render_site, with_records_branch
from accord.site._serve import serve

__all__ = ["MARKER", "SiteResult", "build_site", "render_site", "serve", "with_records_branch"]
