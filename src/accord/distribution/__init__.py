"""Registries leaving the repository: the registry wheel/sdist (``wheel``),
verification and deployment records on a git branch (``records``) and CloudEvents
envelopes with upcasters (``envelope``).

May import: :mod:`accord.codegen`, :mod:`accord.consumers`, :mod:`accord.registry`
and below.
"""
