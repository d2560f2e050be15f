"""The users service's FastAPI app: ``GET /users/{id}`` returns a ``users.user@1``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from users_provider import states as _states  # noqa: F401 - registers the provider states
from users_provider.store import USERS

app = FastAPI(title="users-service")


class User(BaseModel):
    """The body of ``GET /users/{id}`` (contract ``users.user@1``)."""

    id: int
    name: str
    email: str


@app.get("/users/{user_id}", response_model=User)
def get_user(user_id: int) -> dict[str, Any]:
    user = USERS.get(user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="no such user")
    return user
