"""``accord verify --static`` decides Pact regex (``Term``) and date-time matchers.

Regex inclusion and formats are regular languages (``accord.validation.regular``): a
Pact email ``Term`` is proven against a schema whose pattern is narrower, a
``timestamp`` matcher against ``format: date-time`` with a shape ``pattern``; against
schemas that do not imply them the verdict is refuted with a witness the reference
accepts under the provider's schema and the matcher rejects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.validation.reference import is_valid

EMAIL_TERM = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
STAMP = "yyyy-MM-dd'T'HH:mm:ss'Z'"
# The shape the provider promises: whole seconds in UTC, no leap second.
SHAPE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5]\dZ$"

IMPLIES = {
    "email": {"type": "string", "pattern": r"^[a-z0-9.]+@[a-z0-9]+\.(?:com|org|net)$"},
    "created_at": {"type": "string", "format": "date-time", "pattern": SHAPE},
}
DOES_NOT = {
    "email": {"type": "string", "pattern": r"^[a-z]+@[a-z]+$"},  # no dot, no TLD
    "created_at": {"type": "string", "format": "date-time"},  # offsets, fractions
}


def _registry(root: Path, props: dict[str, Any]) -> Path:
    contract = root / "contracts" / "people" / "profile"
    contract.mkdir(parents=True)
    (contract / "contract.toml").write_text(
        'owner = "people-team"\nprovider = "people-service"\nkind = "response"\n',
        encoding="utf-8",
    )
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": props,
        "required": sorted(props),
    }
    (contract / "1.0.0.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    return root / "contracts"


def _pact(path: Path, field: str, rule: dict[str, Any], example: str) -> Path:
    path.write_text(
        json.dumps(
            {
                "consumer": {"name": "Web"},
                "provider": {"name": "people-service"},
                "interactions": [
                    {
                        "description": f"get a profile ({field})",
                        "request": {"method": "GET", "path": "/profiles/1"},
                        "response": {
                            "status": 200,
                            "headers": {"Content-Type": "application/json"},
                            "body": {field: example},
                            "matchingRules": {
                                "body": {f"$.{field}": {"matchers": [rule]}},
                            },
                        },
                    }
                ],
                "metadata": {"pactSpecification": {"version": "3.0.0"}},
            }
        ),
        encoding="utf-8",
    )
    return path


CASES = [
    ("email", {"match": "regex", "regex": EMAIL_TERM}, "ada@example.com"),
    ("created_at", {"match": "timestamp", "timestamp": STAMP}, "2024-01-31T12:00:00Z"),
]


@pytest.mark.parametrize(("field", "rule", "example"), CASES, ids=["email-term", "datetime"])
@pytest.mark.parametrize("implied", [True, False], ids=["implied", "not-implied"])
def test_verify_static_decides_regex_and_datetime_matchers(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: str,
    rule: dict[str, Any],
    example: str,
    implied: bool,
) -> None:
    props = IMPLIES if implied else DOES_NOT
    registry = _registry(tmp_path, {field: props[field]})
    pact = _pact(tmp_path / "pact.json", field, rule, example)
    mapping = "GET /profiles/{id} 200=people.profile@^1"
    assert main(["pact", "import", str(pact), "--registry", str(registry), "--map", mapping]) == 0
    capsys.readouterr()
    code = main(["verify", "--static", "--registry", str(registry), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    [result] = report["results"]
    if implied:
        assert result["verdict"] == "proven", result
        assert code == 0
        return
    assert result["verdict"] == "refuted", result
    assert code == 1
    witness = result["witness"]["payload"]
    # The witness is a payload the provider may send (reference) that the matcher rejects.
    schema = json.loads((registry / "people/profile/1.0.0.schema.json").read_text())
    assert is_valid(schema, witness)
    from accord.consumers._matchers import check_matcher

    imported = {"match": "datetime", "format": STAMP} if field == "created_at" else rule
    assert check_matcher(imported, witness[field]) is not None


@pytest.mark.parametrize(
    ("schema", "matcher", "verdict"),
    [
        # a Pact time format has no calendar: its translation is exact
        ({"pattern": r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$"}, {"format": "HH:mm:ss"}, "proven"),
        ({"pattern": r"^\d{2}:\d{2}:\d{2}$"}, {"format": "HH:mm:ss"}, "refuted"),
        # a format-less date matcher is format: date, compared with a shape pattern
        ({"pattern": r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])$"}, {}, "proven"),
        ({"pattern": r"^\d{4}-\d{2}-\d{2}$"}, {}, "refuted"),
        ({"format": "date"}, {"format": "dd/MM/yyyy"}, "refuted"),
    ],
    ids=["time-exact", "time-shape-too-wide", "date-days-1-28", "date-shape", "date-order"],
)
def test_date_and_time_matchers_against_patterns(
    schema: dict[str, Any], matcher: dict[str, Any], verdict: str
) -> None:
    from accord.consumers._static import verify_body

    kind = "time" if matcher.get("format", "").startswith("HH") else "date"
    provider = {
        "type": "object",
        "properties": {"at": {"type": "string", **schema}},
        "required": ["at"],
    }
    outcome = verify_body(provider, [{"path": "$.at", "match": kind, **matcher}], "reads")
    assert outcome.verdict == verdict, outcome.reason
    if verdict == "refuted":
        assert is_valid(provider, outcome.witness)
