"""Which module registers each command, and its line in ``accord --help``.

``accord COMMAND ...`` imports and registers only the module of ``COMMAND``, and
``accord --help`` lists the commands from this table without importing any command
module. tests/cli/test_init_and_help.py keeps it equal to what the modules register;
a ``_cmd_*`` module missing here still works (it is imported to list its commands).
"""

from __future__ import annotations

__all__ = ["COMMANDS"]

# command -> (module, help): in the order the modules register them.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("_cmd_registry", "list contracts, their versions, owners and status"),
    "show": ("_cmd_registry", "print a contract version's schema"),
    "lint": ("_cmd_registry", "check the registry: layout, metadata, schemas, lock, examples"),
    "fmt": ("_cmd_registry", "rewrite unpublished schema files in the canonical layout"),
    "validate": ("_cmd_validate", "validate JSON payloads against a contract version"),
    "diff": ("_cmd_diff", "compare two schemas and report every change"),
    "rules": ("_cmd_rules", "list every rule: compatibility, lint and gate"),
    "explain": ("_cmd_rules", "explain one rule (any family), with an example"),
    "check": (
        "_cmd_check",
        "the schema-evolution gate: lock, immutability, modes and bumps",
    ),
    "changelog": ("_cmd_check", "release notes per contract from the diffs between versions"),
    "codegen": (
        "_cmd_codegen",
        "generate typed Pydantic v2 models for every published version",
    ),
    "pact": ("_cmd_consumers", "import Pact files as expectations, export Pact v4 (or v3)"),
    "verify": (
        "_cmd_consumers",
        (
            "verify consumer expectations (--static: from the schemas alone; --provider: "
            "against the running provider)"
        ),
    ),
    "consumers": ("_cmd_consumers", "who reads what of a contract"),
    "import-openapi": (
        "_cmd_openapi",
        "publish the component schemas of an OpenAPI 3.1 document (or FastAPI app)",
    ),
    "package": (
        "_cmd_package",
        "build a wheel and an sdist of the registry (installable registry package)",
    ),
    "expectations": ("_cmd_package", "move consumer expectations to a central registry"),
    "records": ("_cmd_package", "verification/deployment records on the registry's records branch"),
    "record-deployment": ("_cmd_provider", "record that SERVICE VERSION now runs in ENV"),
    "record-release": ("_cmd_provider", "record that SERVICE VERSION is released (live) in ENV"),
    "record-undeployment": (
        "_cmd_provider",
        "record that SERVICE (VERSION) no longer runs in ENV",
    ),
    "can-i-deploy": (
        "_cmd_provider",
        "is SERVICE VERSION verified against everything live in ENV?",
    ),
    "init": ("_cmd_publish", "start a registry: create the directory and its accord.toml"),
    "publish": (
        "_cmd_publish",
        "publish the next version of a contract (writes the file and accord.lock)",
    ),
    "new": ("_cmd_publish", "scaffold a contract directory with contract.toml"),
    "yank": ("_cmd_publish", "mark a published version bad (the file stays; ranges skip it)"),
    "retire": ("_cmd_publish", "end a contract: no new versions; files stay"),
    "site": (
        "_cmd_site",
        (
            "build a static website of the registry (contracts, diffs, consumers, network, "
            "deployments, rules)"
        ),
    ),
}
