"""users-service as a careless change would ship it: ``name`` renamed ``username``.

``accord verify --provider users-service --app users_provider.app_renamed:app`` fails,
naming the field and the consumer, and ``accord can-i-deploy`` says no.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from users_provider import states as _states  # noqa: F401 - registers the provider states
from users_provider.store import USERS

app = FastAPI(title="users-service")


class User(BaseModel):
    id: int
    username: str  # was: name
    email: str


@app.get("/users/{user_id}", response_model=User)
def get_user(user_id: int) -> dict[str, Any]:
    user = USERS.get(user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="no such user")
    return {"id": user["id"], "username": user["name"], "email": user["email"]}
