"""The kernel: strict JSON reading and canonical writing (``jsondoc``), JSON pointers
(``pointer``), identity memoisation (``memo``), terminal-safe text (``text``) and
the ``Schema`` type (``schema``).

May import: nothing in accord but :mod:`accord.errors` and :mod:`accord.versions`
(which sit beside it at the bottom).
"""
