"""The one rule catalogue (``accord.core.rules``): every family, one record per rule.

Ids are unique across the compat, lint and gate families; every rule is documented in
``docs/rules.md``, listed by ``accord rules`` and explained by ``accord explain``; every
lint and gate rule has a test that emits it (the compat examples are checked in
``tests/compat/test_rule_meta.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import accord.compat  # noqa: F401 - registers the compatibility rules
from accord.cli import main
from accord.compat import render_rules_markdown
from accord.core.rules import CATALOGUE, FAMILIES, RuleSpec, register, rules
from accord.gate.check import GATE_RULES
from accord.registry.problems import LINT_RULES, OVERRIDABLE

ROOT = Path(__file__).resolve().parents[2]
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ALL = list(CATALOGUE)


def test_every_family_is_in_the_one_catalogue() -> None:
    counts = {family: len(list(rules(family))) for family in FAMILIES}
    assert all(counts.values()), counts
    assert sum(counts.values()) == len(CATALOGUE)
    assert [r.id for r in rules()] == [r.id for f in FAMILIES for r in rules(f)]


@pytest.mark.parametrize("rule_id", ALL)
def test_record_is_well_formed(rule_id: str) -> None:
    spec = CATALOGUE[rule_id]
    assert spec.id == rule_id
    assert KEBAB.match(rule_id)
    assert spec.family in FAMILIES
    assert spec.summary.endswith(".")
    assert "\n" not in spec.summary
    assert spec.severity in ("error", "warning", "info")
    if spec.family == "compat":
        assert spec.example is not None
        assert spec.bump in ("patch", "minor")
    else:
        # Compatibility facts belong to compatibility rules only.
        assert (spec.breaks, spec.bump, spec.example, spec.kind, spec.hint) == (
            (),
            None,
            None,
            None,
            None,
        )


@pytest.mark.parametrize("family", FAMILIES)
def test_ids_are_unique_across_families(family: str) -> None:
    taken = next(r for r in rules() if r.family != family)
    with pytest.raises(ValueError, match="registered twice"):
        register(RuleSpec(family=family, id=taken.id, summary="Again."))  # type: ignore[arg-type]
    assert CATALOGUE[taken.id] is taken


def test_lock_rules_are_defined_once_with_one_text() -> None:
    """lock-digest-mismatch and lock-missing-file: lint reports them and the gate turns
    them into findings; both read the same record."""
    for rule_id in ("lock-digest-mismatch", "lock-missing-file"):
        assert CATALOGUE[rule_id].family == "lint"
        assert GATE_RULES[rule_id] == (CATALOGUE[rule_id].severity, LINT_RULES[rule_id])


def test_lint_and_gate_tables_are_views_of_the_catalogue() -> None:
    assert set(LINT_RULES) == {r.id for r in rules("lint")}
    assert {r.id for r in rules("lint") if r.overridable} == OVERRIDABLE
    gate = {r.id for r in rules("gate")}
    assert set(GATE_RULES) == gate | {"lock-digest-mismatch", "lock-missing-file"}
    for rule_id, (severity, summary) in GATE_RULES.items():
        assert (severity, summary) == (CATALOGUE[rule_id].severity, CATALOGUE[rule_id].summary)


# -- docs, rules, explain ----------------------------------------------------------------


def test_docs_rules_md_documents_every_family() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules_markdown()
    for family in ("Compatibility rules", "Lint rules", "Gate rules"):
        assert f"\n## {family}\n" in committed
    for rule_id in CATALOGUE:
        assert f"\n### {rule_id}\n" in committed, rule_id
        assert f"[`{rule_id}`](#{rule_id})" in committed, rule_id


@pytest.mark.parametrize("rule_id", ALL)
def test_explain_knows_every_rule(rule_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", rule_id]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{rule_id}: {CATALOGUE[rule_id].summary}\n")


def test_explain_a_lint_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """`accord lint` emits json-duplicate-key, so `accord explain` knows it."""
    assert main(["explain", "json-duplicate-key"]) == 0
    out = capsys.readouterr().out
    assert "family:   lint" in out
    assert "override: not allowed" in out


def test_explain_a_gate_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "version-modified"]) == 0
    assert "family:   gate" in capsys.readouterr().out


def test_rules_lists_every_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule_id in CATALOGUE:
        assert f"\n{rule_id} " in out


@pytest.mark.parametrize("family", FAMILIES)
def test_rules_family_filter(family: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--family", family, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["rules"]
    assert [r["id"] for r in listed] == [r.id for r in rules(family)]  # type: ignore[arg-type]
    assert {r["family"] for r in listed} == {family}


# -- every lint and gate rule is emitted by a test ------------------------------------------


def test_every_lint_rule_has_an_emitting_case() -> None:
    """tests/gate/test_lint.py's case table covers the lint family (see its own test)."""
    text = (ROOT / "tests" / "gate" / "test_lint.py").read_text(encoding="utf-8")
    missing = [r.id for r in rules("lint") if f'"{r.id}"' not in text]
    assert missing == []


def test_every_gate_rule_has_an_emitting_test() -> None:
    """Each gate rule id is asserted on by a test under tests/gate (not only a golden)."""
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "gate").glob("test_*.py"))
    )
    missing = [r.id for r in rules("gate") if f'"{r.id}"' not in sources]
    assert missing == []
