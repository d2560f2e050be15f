"""A running service's side: startup contract checks (``startup``), the FastAPI/ASGI
middleware and body dependency (``fastapi``, public as :mod:`accord.fastapi`) and
OpenAPI 3.1 component import (``openapi``).

May import: :mod:`accord.gate` (publish), :mod:`accord.compat`,
:mod:`accord.registry`, :mod:`accord.payloads` and below.
"""
