"""Meta-tests keeping compatibility rule registration, docs and the case table in line.

Ids are unique kebab-case, every rule is documented with an example that produces
exactly that rule, every rule is exercised by the case table in ``test_rules.py``,
every case names only registered ids, every rule that can break a direction has a
mirror or a written waiver, every migration hint addresses the side the rule breaks,
and ``docs/rules.md`` is what ``render_rules_markdown()`` generates. The checks over
every family (lint and gate too) are in ``tests/core/test_rules_catalogue.py``.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from accord.compat import RULES, diff, render_rules_markdown
from accord.compat._rules import rule

ROOT = Path(__file__).resolve().parents[2]
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _case_table() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_accord_rule_cases", Path(__file__).with_name("test_rules.py")
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLE = _case_table()


@pytest.mark.parametrize("rule_id", list(RULES))
def test_id_is_kebab_case(rule_id: str) -> None:
    assert KEBAB.match(rule_id)
    assert RULES[rule_id].id == rule_id


def test_ids_are_never_registered_twice() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        rule("property-removed", breaks=(), example=(True, True))(lambda site: ())


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_is_documented(rule_id: str) -> None:
    found = RULES[rule_id]
    assert found.description
    assert found.description.endswith(".")
    assert "\n" not in found.description
    old, new = found.example
    assert isinstance(old, dict | bool)
    assert isinstance(new, dict | bool)
    assert old != new
    assert found.bump in ("patch", "minor")
    assert found.severity in ("error", "warning", "info")
    assert set(found.breaks) <= {"backward", "forward"}


# Rules that cannot occur alone: an overlap between oneOf branches only appears with the
# branch change that created it.
COMPANIONS = {"oneof-branch-overlap": {"oneof-branch-added"}}


@pytest.mark.parametrize("rule_id", list(RULES))
def test_example_produces_exactly_its_rule(rule_id: str) -> None:
    old, new = RULES[rule_id].example
    reported = {c.rule for c in diff(old, new, semantics="set").changes}
    assert reported == {rule_id} | COMPANIONS.get(rule_id, set())


def _addressees(hint: str) -> list[str]:
    """Who a hint asks to act, in order: ``writers`` and ``readers`` prefixes."""
    parts = [part.strip() for part in hint.split(";")]
    return [part.split(":", 1)[0] for part in parts if part.startswith(("writers:", "readers:"))]


@pytest.mark.parametrize("rule_id", [r.id for r in RULES.values() if r.hint])
def test_migration_hint_addresses_the_side_the_rule_breaks(rule_id: str) -> None:
    """Breaking backward (old payloads refused) asks writers to comply first; breaking
    forward (old readers refuse new payloads) asks readers to accept more first."""
    found = RULES[rule_id]
    assert found.hint is not None
    assert found.breaks, f"{rule_id} breaks nothing: it needs no migration hint"
    who = _addressees(found.hint)
    if found.breaks == ("backward",):
        assert who[:1] in ([], ["writers"]), (rule_id, found.hint)
    if found.breaks == ("forward",):
        assert who[:1] in ([], ["readers"]), (rule_id, found.hint)


def test_every_breaking_direction_has_hints_for_the_right_side() -> None:
    """The direction check above has teeth: both kinds of one-way hint exist."""
    firsts = {(r.breaks, tuple(_addressees(r.hint)[:1])) for r in RULES.values() if r.hint}
    assert (("backward",), ("writers",)) in firsts
    assert (("forward",), ("readers",)) in firsts


@pytest.mark.parametrize("rule_id", list(RULES))
def test_kind_is_a_json_type_or_none(rule_id: str) -> None:
    assert RULES[rule_id].kind in (None, "object", "array", "string", "number")


def test_fallback_rules_are_marked_on_their_records() -> None:
    assert {r.id for r in RULES.values() if r.fallback} == {
        "schema-narrowed",
        "schema-widened",
        "allof-conjunct-added",
        "allof-conjunct-removed",
    }


@pytest.mark.parametrize("rule_id", list(RULES))
def test_mirror_or_waiver(rule_id: str) -> None:
    found = RULES[rule_id]
    if found.mirror is not None:
        assert found.mirror in RULES, f"{rule_id}: mirror {found.mirror} is not registered"
        assert found.mirror != rule_id
    elif found.breaks:
        assert found.waiver, f"{rule_id} can break {found.breaks} but has no mirror or waiver"
    else:
        assert found.waiver or found.mirror


def test_every_rule_is_exercised_by_the_case_table() -> None:
    exercised = {rule_id for case in TABLE.CASES for rule_id in case.rules}
    assert set(RULES) - exercised == set()


def test_every_case_names_only_registered_rules() -> None:
    named = {rule_id for case in TABLE.CASES for rule_id in case.rules}
    assert named - set(RULES) == set()


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in TABLE.CASES]
    assert len(ids) == len(set(ids))


def test_docs_rules_md_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules_markdown(), (
        'docs/rules.md is stale; regenerate it with: python -c "from accord.compat import '
        "render_rules_markdown as r; print(r(), end='')\" > docs/rules.md"
    )


def test_rules_md_documents_every_rule() -> None:
    text = render_rules_markdown()
    for rule_id in RULES:
        assert f"\n### {rule_id}\n" in text


def test_conditional_reporting_is_marked_on_the_records() -> None:
    """The walker reports these only under the engine's verdict, as their records say."""
    assert {r.id: r.reported for r in RULES.values() if r.reported != "always"} == {
        "ref-refactored": "when-equivalent",
        "oneof-branch-overlap": "when-overlapping",
    }


def test_the_engine_reads_rule_facts_from_the_records_not_from_ids() -> None:
    # The facts _diff.py once keyed on rule ids live in the rule records.
    import inspect

    from accord.compat import _diff

    source = inspect.getsource(_diff)
    for rule_id in ("oneof-branch-overlap", "property-removed", "required-added"):
        assert f'hit.rule == "{rule_id}"' not in source
        assert f'"{rule_id}"' not in source.split("def _changes", 1)[-1].split("\ndef ", 1)[0]
    assert RULES["oneof-branch-overlap"].spec.reported == "when-overlapping"
    assert RULES["property-removed"].spec.policy == "removal"
    assert {r for r, rule in RULES.items() if rule.spec.declares_undeclared} == {
        "required-added",
        "required-removed",
    }
