"""How billing reads a user from users-service."""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    email: str


class UsersClient:
    """billing's client: it needs ``id``, ``name`` and ``email`` of a user."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def customer(self, user_id: int) -> Customer:
        response = self.http.get(f"/users/{user_id}")
        response.raise_for_status()
        data = response.json()
        return Customer(id=data["id"], name=data["name"], email=data["email"])
