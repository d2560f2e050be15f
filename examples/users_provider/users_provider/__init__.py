"""The users service: ``GET /users/{id}`` (contract ``users.user``)."""
