"""billing's client of users-service (the consumer side of the example)."""
