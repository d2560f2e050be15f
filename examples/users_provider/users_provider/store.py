"""The users service's storage (an in-memory table keeps the example self-contained)."""

from __future__ import annotations

from typing import Any

#: user id -> {"id", "name", "email"}
USERS: dict[int, dict[str, Any]] = {}
