"""The kernel: strict JSON reading and canonical writing (``jsondoc``), JSON pointers
(``pointer``), identity memoisation (``memo``), terminal-safe text (``text``), the
``Schema`` type (``schema``) and the one rule catalogue of every family (``rules``).

May import: nothing in accord but :mod:`accord.errors` and :mod:`accord.versions`
(which sit beside it at the bottom).
"""
