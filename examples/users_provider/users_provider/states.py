"""The provider states billing's expectations need.

Imported by the app module, so ``accord verify --app users_provider.app:app`` finds the
handlers; they are looked up by the state's name, never evaluated from contract text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import accord
from users_provider.store import USERS


@accord.provider_state("user 123 exists")
def user_exists(id: int) -> Iterator[dict[str, Any]]:
    """Create the user the interaction asks for; remove it after the interaction."""
    USERS[id] = {"id": id, "name": "Ada Lovelace", "email": "ada@example.com"}
    yield {"id": id}  # values for ProviderState generators (``${id}``)
    USERS.pop(id, None)
