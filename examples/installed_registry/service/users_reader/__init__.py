"""A consumer of users.user that runs against an installed registry package."""
