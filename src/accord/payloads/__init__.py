"""The one deterministic payload generator (valid payloads, and payloads that break
exactly one constraint: ``generate``), the one ECMA-262 regex sampler (``regex``) and
the example values: format samples and strings for a pattern (``examples``).

May import: :mod:`accord.validation`, :mod:`accord.core`, :mod:`accord.errors`.
Independent of :mod:`accord.registry`.
"""
