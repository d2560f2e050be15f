"""One regex sampler and one table of format samples for the generator and the engine."""

from __future__ import annotations

import pytest

from accord.payloads import examples, generate
from accord.payloads.regex import search
from accord.validation.reference import is_valid


def test_one_format_table() -> None:
    assert generate.FORMAT_SAMPLES is examples.FORMAT_SAMPLES


@pytest.mark.parametrize("fmt", sorted(examples.FORMAT_SAMPLES))
def test_every_format_sample_is_valid(fmt: str) -> None:
    for sample in examples.FORMAT_SAMPLES[fmt]:
        assert is_valid({"type": "string", "format": fmt}, sample), (fmt, sample)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # The witness search's own parser knew none of these ECMA-262 forms: it gave no
        # string that matches, so no witness could be built from the pattern.
        (r"^\p{Lu}$", "A"),
        (r"^\u00e9$", "é"),
        (r"^(a)\1$", "aa"),
        (r"^\x41$", "A"),
        (r"^\cJ$", "\n"),
    ],
)
def test_pattern_examples_read_ecma_262(pattern: str, expected: str) -> None:
    found = [s for s in examples.pattern_examples(pattern) if search(pattern, s)]
    assert found
    assert found[0] == expected


def test_pattern_examples_are_deterministic_and_shortest_first() -> None:
    first = examples.pattern_examples("^a{2,4}$")
    assert first == examples.pattern_examples("^a{2,4}$")
    assert first[0] == "aa"


def test_unanchored_patterns_get_text_around_the_match() -> None:
    assert examples.pattern_examples("x_")[:3] == ["x_", "bx_", "x_b"]
    assert examples.pattern_examples("[") == []  # not a pattern: nothing to draw
