"""The public path of :mod:`accord.service.fastapi` (``accord.fastapi``): a re-export."""

from accord.service.fastapi import (
    ContractMiddleware,
    RouteContract,
    body,
    violation_detail,
)

__all__ = ["ContractMiddleware", "RouteContract", "body", "violation_detail"]
