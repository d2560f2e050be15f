"""The kernel: strict JSON reading and canonical writing (``jsondoc``), JSON pointers and
the one resolve walk (``pointer``), the type, number and equality of JSON values
(``values``), the keyword vocabulary per dialect and subschema applicability
(``vocabulary``), identity memoisation (``memo``), terminal-safe text (``text``), the
``Schema`` type (``schema``) and the one rule catalogue of every family (``rules``).

May import: nothing in accord but :mod:`accord.errors` and :mod:`accord.versions`
(which sit beside it at the bottom).
"""
