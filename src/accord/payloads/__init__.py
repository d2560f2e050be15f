"""The one deterministic payload generator (valid payloads, and payloads that break
exactly one constraint: ``generate``) and the regex sampler and example values
(``examples``).

May import: :mod:`accord.validation`, :mod:`accord.core`, :mod:`accord.errors`.
Independent of :mod:`accord.registry`.
"""
