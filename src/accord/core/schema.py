"""The type of a JSON Schema document (an object or a boolean), shared by the
payload generator and the compatibility engine.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any] | bool
