"""accord.testing's example helpers refuse counts and seeds they cannot use.

Before: ``examples(ref, n="3")`` raised ``TypeError: can only concatenate str``,
``n=-1`` returned ``[]`` (a parametrised test then ran nothing and passed), ``n=True``
one payload, and ``seed=None`` was taken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.errors import UsageError
from accord.registry.runtime import clear_caches
from accord.testing import examples, mutations


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    schema = {"$schema": DRAFT_2020_12, "type": "object", "properties": {"n": {"maximum": 3}}}
    publish(root, "shop.thing", {"1.0.0": schema})
    clear_caches()
    return root


@pytest.mark.parametrize("helper", [examples, mutations])
@pytest.mark.parametrize(
    ("n", "seed"), [("3", 0), (-1, 0), (True, 0), (2.0, 0), (3, None), (3, "1")]
)
def test_bad_counts_and_seeds_are_usage_errors(
    registry: Path, helper: Any, n: Any, seed: Any
) -> None:
    with pytest.raises(UsageError) as caught:
        helper("shop.thing@1.0.0", n, seed=seed, registry=registry)
    assert caught.value.code == "usage"


def test_good_arguments_still_work(registry: Path) -> None:
    assert len(examples("shop.thing@1.0.0", 3, seed=1, registry=registry)) == 3
    assert examples("shop.thing@1.0.0", 0, registry=registry) == []


@pytest.fixture
def hollow(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "shop.never", {"1.0.0": {"$schema": DRAFT_2020_12, "not": {}}})
    publish(root, "shop.anything", {"1.0.0": {"$schema": DRAFT_2020_12}})
    clear_caches()
    return root


@pytest.mark.parametrize(
    ("ref", "invalid"), [("shop.never@1.0.0", False), ("shop.anything@1.0.0", True)]
)
def test_no_payload_at_all_is_an_error_not_an_empty_loop(
    hollow: Path, ref: str, invalid: bool
) -> None:
    """``examples(ref, 5)`` for a contract accepting nothing returned ``[]`` (and
    ``invalid=True`` for one accepting everything): ``for event in accord_examples``
    then ran nothing and the test passed without checking anything."""
    from accord.errors import SchemaError

    with pytest.raises(SchemaError) as caught:
        examples(ref, 5, invalid=invalid, registry=hollow)
    assert caught.value.code == "examples-none"
    assert ref in str(caught.value)
    helper = mutations if invalid else None
    if helper is not None:
        with pytest.raises(SchemaError):
            helper(ref, 5, registry=hollow)
    assert examples(ref, 0, invalid=invalid, registry=hollow) == []  # none asked, none given


@pytest.mark.parametrize(
    ("ref", "why"),
    [("shop.never@1.0.0", "accepts no value"), ("shop.anything@1.0.0", "accepts every value")],
)
def test_no_mutation_says_why(hollow: Path, ref: str, why: str) -> None:
    """No mutation exists for a contract accepting everything, nor for one accepting
    nothing (a mutation breaks one constraint of a valid payload): the error said
    "accepts every value" of both."""
    from accord.errors import SchemaError

    with pytest.raises(SchemaError) as caught:
        mutations(ref, 5, registry=hollow)
    assert caught.value.code == "examples-none"
    assert why in str(caught.value)


@pytest.mark.parametrize("invalid", ["no", 0, 1, None])
def test_invalid_must_be_a_bool(registry: Path, invalid: Any) -> None:
    """``examples(ref, invalid="no")`` was truthy: it returned mutations where valid
    payloads were asked for (and ``invalid=0`` valid ones), so a test's meaning hung on
    what the string said. ``strategy`` reads the same flag."""
    from accord.testing import strategy

    with pytest.raises(UsageError) as caught:
        examples("shop.thing@1.0.0", 3, invalid=invalid, registry=registry)
    assert caught.value.code == "usage"
    assert "invalid" in caught.value.message
    with pytest.raises(UsageError):
        strategy("shop.thing@1.0.0", invalid=invalid, registry=registry)


@pytest.mark.parametrize("helper", [examples, mutations])
def test_a_count_past_the_bound_is_a_usage_error_naming_it(registry: Path, helper: Any) -> None:
    """``examples(ref, n=10**9)`` drew payloads for hours: a count past
    ``MAX_EXAMPLES`` is refused at once, the message naming the bound."""
    import time

    from accord.testing import MAX_EXAMPLES

    assert MAX_EXAMPLES == 10_000
    started = time.monotonic()
    with pytest.raises(UsageError) as caught:
        helper("shop.thing@1.0.0", 10**9, registry=registry)
    assert time.monotonic() - started < 5
    assert caught.value.code == "usage"
    assert "10000" in str(caught.value).replace(",", "")
    with pytest.raises(UsageError):
        helper("shop.thing@1.0.0", MAX_EXAMPLES + 1, registry=registry)
    assert helper("shop.thing@1.0.0", 3, registry=registry)
