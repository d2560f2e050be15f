"""Provider verification, message producers, verification records and can-i-deploy.

- :func:`provider_state` / :class:`StateRegistry`: provider-state handlers;
- :func:`message_producer` / :class:`MessageRegistry` / :class:`Produced`;
- :func:`verify_provider` (and :func:`select_cases`, :func:`verify_case`) with the
  targets :func:`app_target` (ASGI/WSGI in process), :class:`HttpTarget` (a base URL,
  :func:`parse_base_url`) and :class:`StateChangeUrl`;
- :func:`record_verification`, :func:`write_record`, :func:`update_record`;
- :func:`record_deployment`, :func:`record_undeployment`, :func:`record_release`,
  :func:`can_i_deploy`.

Layer: may import :mod:`accord.consumers`, :mod:`accord.registry` and below;
independent of :mod:`accord.gate`.
"""

from __future__ import annotations

from accord.provider._deploy import (
    DeployDecision,
    Environment,
    MatrixRow,
    can_i_deploy,
    live_versions,
    load_environment,
    record_deployment,
    record_release,
    record_undeployment,
)
from accord.provider._errors import ProviderError
from accord.provider._messages import (
    DEFAULT_PRODUCERS,
    MessageRegistry,
    Produced,
    message_producer,
)
from accord.provider._records import record_verification, update_record, write_record
from accord.provider._replay import (
    HttpTarget,
    Limits,
    StateChangeUrl,
    app_target,
    parse_base_url,
)
from accord.provider._states import DEFAULT_STATES, StateRegistry, provider_state
from accord.provider._verify import (
    Case,
    InteractionResult,
    ProviderReport,
    select_cases,
    verify_case,
    verify_provider,
)

__all__ = [
    "DEFAULT_PRODUCERS",
    "DEFAULT_STATES",
    "Case",
    "DeployDecision",
    "Environment",
    "HttpTarget",
    "InteractionResult",
    "Limits",
    "MatrixRow",
    "MessageRegistry",
    "Produced",
    "ProviderError",
    "ProviderReport",
    "StateChangeUrl",
    "StateRegistry",
    "app_target",
    "can_i_deploy",
    "live_versions",
    "load_environment",
    "message_producer",
    "parse_base_url",
    "provider_state",
    "record_deployment",
    "record_release",
    "record_undeployment",
    "record_verification",
    "select_cases",
    "update_record",
    "verify_case",
    "verify_provider",
    "write_record",
]
