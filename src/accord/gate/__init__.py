"""What CI runs on a registry: ``accord lint`` (``lint``), publish/new/yank/retire
(``publish``), ``accord check`` (``check``), release notes (``changelog``), git
reads (``git``) and the check report's output formats (``render``).

May import: :mod:`accord.consumers`, :mod:`accord.compat`, :mod:`accord.registry`,
:mod:`accord.payloads` and below. Independent of :mod:`accord.provider`.
"""
