"""Regex and format cases (``data/regular.json``, the shared case format) under both
semantics, decided on automata (:mod:`accord.validation.regular`).

Stricter than the shared spec's reading: a graded ``true`` must be proven; a graded
``false`` with listed witnesses must be refuted by a witness of the engine's own (per
direction), re-checked with the reference; an ungraded ``null`` (a construct the
automata do not read) must not be proven compatible. Every listed witness behaves as
stated under the reference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _cases import check_listed_witnesses
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.compat._engine import compare, writer_closure
from accord.validation.reference import is_valid

DATA = Path(__file__).parent / "data" / "regular.json"
CASES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
IDS = [c["id"] for c in CASES]


def test_case_ids_are_unique() -> None:
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_listed_witnesses_behave_as_stated(case: dict[str, Any]) -> None:
    check_listed_witnesses(case["old"], case["new"], case["witnesses"])


@pytest.mark.parametrize("semantics", ["set", "contract"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_verdicts(case: dict[str, Any], semantics: str) -> None:
    old, new = case["old"], case["new"]
    result = compare(old, new, semantics=semantics)  # type: ignore[arg-type]
    listed = {"backward": case["witnesses"]["old_only"], "forward": case["witnesses"]["new_only"]}
    for direction, writer, reader in (("backward", old, new), ("forward", new, old)):
        verdict = getattr(result, direction)
        want = case[semantics][direction]
        if want is True:
            assert verdict.holds is True, f"{direction}: not proven: {verdict.reason}"
        elif want is False:
            assert verdict.holds is False, f"{direction}: not refuted: {verdict.reason}"
            assert verdict.has_witness or not listed[direction]
        else:
            assert verdict.holds is not True, f"{direction}: proven, but ungraded"
        if verdict.has_witness:
            closed = writer_closure(writer) if semantics == "contract" else writer
            assert is_valid(closed, verdict.witness)
            assert not is_valid(reader, verdict.witness)


def test_widened_pattern_diff_breaks_forward_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI report: backward proven, forward broken with the automaton's witness."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"type": "string", "pattern": "^[a-z]+$"}), encoding="utf-8")
    new.write_text(json.dumps({"type": "string", "pattern": "^[a-z0-9]+$"}), encoding="utf-8")
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["backward"], report["forward"]) == (True, False)
    [change] = report["changes"]
    assert change["rule"] == "pattern-changed"
    assert change["breaks"] == ["forward"]
    assert change["witness"] == {"payload": "0", "accepted_by": "new", "rejected_by": "old"}
    assert main(["diff", str(old), str(new), "--mode", "backward", "--format", "json"]) == 0


# -- soundness on random pattern pairs --------------------------------------------------------

_PIECES = ["a", "b", "[ab]", "[a-c]", r"\d", ".", "[^a]", r"\s"]
_QUANT = ["", "", "*", "+", "?", "{1,2}"]


@st.composite
def _pattern(draw: st.DrawFn) -> str:
    body = "".join(
        draw(st.sampled_from(_PIECES)) + draw(st.sampled_from(_QUANT))
        for _ in range(draw(st.integers(1, 3)))
    )
    if draw(st.booleans()):
        body = f"{body}|{draw(st.sampled_from(_PIECES))}"
        body = f"(?:{body})"
    return draw(st.sampled_from(["", "^"])) + body + draw(st.sampled_from(["", "$"]))


@settings(max_examples=60, deadline=None)
@given(
    old=_pattern(),
    new=_pattern(),
    texts=st.lists(st.text(alphabet="abc0 \n\u00a0", max_size=4), max_size=8),
)
def test_no_pattern_verdict_is_unsound(old: str, new: str, texts: list[str]) -> None:
    """Proven: every string the old pattern accepts (drawn from its automaton at several
    lengths) the reference accepts under the new one; refuted: the witness separates."""
    from accord.validation.regular import compile_pattern, find

    writer, reader = {"type": "string", "pattern": old}, {"type": "string", "pattern": new}
    verdict = compare(writer, reader, semantics="set").backward
    if verdict.holds is True:
        language = compile_pattern(old)
        drawn = [find([language], min_len=k, max_len=k + 1) for k in range(5)]
        for member in [*drawn, *texts]:
            if member is not None and is_valid(writer, member):
                assert is_valid(reader, member), (old, new, member)
    elif verdict.has_witness:
        assert is_valid(writer, verdict.witness)
        assert not is_valid(reader, verdict.witness)
    else:
        raise AssertionError(f"regular patterns left undecided: {verdict.reason}")


_FORMATS = ["date", "time", "date-time", "uuid", "ipv4", "ipv6", "duration", "email"]
_SHAPES = ["^[a-z]+$", r"^\d{4}-\d{2}-\d{2}$", "T", "^.{3,}$", "^[0-9a-fA-F-]+$", "@", r"^\S+$"]


@st.composite
def _string_schema(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if draw(st.booleans()):
        schema["pattern"] = draw(st.sampled_from(_SHAPES))
    if draw(st.booleans()):
        schema["format"] = draw(st.sampled_from(_FORMATS))
    if draw(st.integers(0, 4)) == 0:
        schema["maxLength"] = draw(st.integers(3, 40))
    if draw(st.integers(0, 4)) == 0:
        schema["not"] = {"pattern": draw(st.sampled_from(_SHAPES))}
    return schema


@settings(max_examples=60, deadline=None)
@given(writer=_string_schema(), reader=_string_schema())
def test_no_format_or_pattern_verdict_is_unsound(
    writer: dict[str, Any], reader: dict[str, Any]
) -> None:
    """Proven: members of the writer's patterns and lower format languages, and the
    format corpus, valid under the writer are valid under the reader; refuted: the
    witness separates the two under the reference."""
    from accord.validation.probe import FORMAT_CORPUS
    from accord.validation.regular import compile_pattern, find, format_language

    verdict = compare(writer, reader, semantics="set").backward
    if verdict.has_witness:
        assert is_valid(writer, verdict.witness)
        assert not is_valid(reader, verdict.witness)
    if verdict.holds is not True:
        return
    languages = [compile_pattern(writer["pattern"])] if "pattern" in writer else []
    lower = format_language(writer.get("format", ""), upper=False)
    languages += [lower] if lower is not None else []
    drawn = [find(languages, min_len=k, max_len=writer.get("maxLength")) for k in (0, 4, 12)]
    corpus = [v for values in FORMAT_CORPUS.values() for v in values if isinstance(v, str)]
    for text in [*drawn, *corpus]:
        if text is not None and is_valid(writer, text):
            assert is_valid(reader, text), (writer, reader, text)
