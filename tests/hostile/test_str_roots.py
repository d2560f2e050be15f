"""The public readers of a registry's consumers and environments take a ``str`` root.

``load_expectations("contracts")``, ``live_versions``, ``load_environment`` and
``environment_names`` joined the root with ``/`` and raised TypeError for a ``str``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

from accord.consumers import load_expectations
from accord.provider import live_versions, load_environment, record_deployment
from accord.provider._deploy import environment_names

__all__ = ["registry_root"]


def test_a_str_root_reads_what_a_path_root_reads(registry_root: Path) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    text = str(registry_root)
    assert [f.path for f in load_expectations(text)] == [
        f.path for f in load_expectations(registry_root)
    ]
    assert environment_names(text) == ["production"]
    assert load_environment(text, "production") == load_environment(registry_root, "production")
    assert live_versions(text, "billing") == {"1.4.0"}
