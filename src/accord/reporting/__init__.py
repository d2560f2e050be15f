"""Output formats for ``accord check``, all rendered from one :class:`GateReport`.

``text`` (default; colour on a terminal), ``json`` (documented, ``format_version``
1), ``markdown`` (a pull-request comment), ``github`` (workflow-command annotations),
``junit``, ``sarif`` (2.1.0, for code-scanning upload) and ``ignore-toml`` (ready-to-
paste ignore entries for the active findings). Every renderer is a pure function of
the report: byte-identical output for the same input, no timestamps.
"""

from __future__ import annotations

from accord.reporting._gate import FORMATS, render

__all__ = ["FORMATS", "render"]
