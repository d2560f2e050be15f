"""The matcher matrix: the same matchers built in accord and in the real pact-python (the
Rust-FFI line), judged on the same values; every verdict agrees except the differences
listed in ``KNOWN`` (each documented in docs/consumers.md, "Where accord and pact-rust
differ"), which must still differ, so the list stays true.

One pact-python consumer run writes a Pact file with one interaction per case (built
with ``pact.match``); accord's own export writes a second file for the matchers only
accord's export states (a format-less ``datetime()``/``time()``, ``nullable``,
``union``); a single run of pact-rust's verifier judges both against a provider on
127.0.0.1 that answers each case's path with ``{"v": value}``.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from _pact_rust import json_provider

from accord.consumers import Matcher, check_fields
from accord.consumers import _builder as ac
from accord.consumers._builder import expand

_TS = "yyyy-MM-dd'T'HH:mm:ssXXX"
_EXPORTED = None  # the Pact side is accord's own export of the accord matcher


def _cases() -> list[tuple[str, Matcher, Any, Any]]:
    """(id, accord matcher, pact-python matcher or _EXPORTED, value sent)."""
    from pact import match

    regex = (r"[A-Z]{2}-[0-9]+", "AB-12")
    rows: list[tuple[str, Matcher, Any, list[tuple[str, Any]]]] = [
        (
            "integer",
            ac.integer(1),
            match.int(1),
            [("int", 5), ("negative", -3), ("float-2.0", 2.0), ("fraction", 1.5), ("string", "1")],
        ),
        ("integer", ac.integer(1), match.int(1), [("null", None), ("bool", True)]),
        (
            "decimal",
            ac.decimal(1.5),
            match.decimal(1.5),
            [("fraction", 2.25), ("int", 42), ("float-2.0", 2.0), ("string", "1.5")],
        ),
        ("number", ac.number(1), match.number(1), [("int", 7), ("fraction", 2.5), ("string", "7")]),
        ("string", ac.string("s"), match.str("s"), [("empty", ""), ("int", 5), ("null", None)]),
        (
            "boolean",
            ac.boolean(True),
            match.bool(True),
            [("false", False), ("string-true", "true"), ("yes", "yes"), ("one", 1)],
        ),
        (
            "regex",
            ac.regex(regex[0], regex[1]),
            match.regex(regex[1], regex=regex[0]),
            [("match", "XY-9"), ("lowercase", "xy-9"), ("trailing", "XY-9z"), ("int", 5)],
        ),
        ("like-string", ac.like("s"), match.like("s"), [("other", "t"), ("int", 5)]),
        ("like-int", ac.like(1), match.like(1), [("fraction", 2.5), ("string", "1")]),
        (
            "like-object",
            ac.like({"a": 1}),
            match.like({"a": 1}),
            [("extra-key", {"a": 2, "b": 3}), ("missing-key", {}), ("array", [1])],
        ),
        (
            "each-like",
            ac.each_like("x"),
            match.each_like("x", min=1),
            [("two", ["a", "b"]), ("empty", []), ("wrong-item", [1]), ("not-array", "a")],
        ),
        # pact-python's each_like without min= writes no min (its docstring says 1)
        ("each-like-pact-python-default", ac.each_like("x"), match.each_like("x"), [("empty", [])]),
        (
            "each-like-min-2",
            ac.each_like("x", min=2),
            match.each_like("x", min=2),
            [("one", ["a"]), ("two", ["a", "b"])],
        ),
        ("null", ac.null(), match.null(), [("null", None), ("zero", 0)]),
        (
            "date",
            ac.date("2024-01-31", format="yyyy-MM-dd"),
            match.date("2024-01-31", "yyyy-MM-dd", disable_conversion=True),
            [("leap-day", "2024-02-29"), ("feb-30", "2024-02-30"), ("text", "soon")],
        ),
        (
            "datetime-format",
            ac.datetime("2024-01-31T12:00:00Z", format=_TS),
            match.datetime("2024-01-31T12:00:00Z", _TS, disable_conversion=True),
            [("offset", "2024-01-31T12:00:00+01:00"), ("no-zone", "2024-01-31T12:00:00")],
        ),
        (
            "include",
            ac.include("lo", "hello"),
            match.includes("lo"),
            [("contains", "below"), ("missing", "hey")],
        ),
        (
            "datetime",
            ac.datetime(),
            _EXPORTED,
            [
                ("zulu", "2024-01-31T12:00:00Z"),
                ("millis", "2024-01-31T12:00:00.123Z"),
                ("nanos", "2024-01-31T12:00:00.123456789Z"),
                ("offset", "2024-01-31T12:00:00+01:00"),
                ("feb-30", "2024-02-30T00:00:00Z"),
                ("no-zone", "2024-01-31T12:00:00"),
                ("lowercase-t-z", "2024-01-31t12:00:00z"),
                ("ten-fraction-digits", "2024-01-31T12:00:00.1234567891Z"),
                ("leap-second", "2016-12-31T23:59:60Z"),
            ],
        ),
        (
            "time",
            ac.time(),
            _EXPORTED,
            [("zulu", "12:00:00Z"), ("lowercase-z", "12:00:00.5z"), ("hour-25", "25:00:00Z")],
        ),
        (
            "nullable-string",
            ac.nullable(ac.string("a")),
            _EXPORTED,
            [("null", None), ("string", "b"), ("int", 5)],
        ),
        (
            "union-int-string",
            ac.union(ac.integer(7), ac.string("x")),
            _EXPORTED,
            [("int", 8), ("string", "y"), ("fraction", 1.5), ("bool", True)],
        ),
    ]
    return [
        (f"{name}/{label}", accord_m, pact_m, value)
        for name, accord_m, pact_m, values in rows
        for label, value in values
    ]


# case id -> (accord accepts, pact-rust accepts, why); each is in docs/consumers.md
KNOWN: dict[str, tuple[bool, bool, str]] = {
    "each-like-pact-python-default/empty": (
        False,
        True,
        "pact-python's each_like() without min= writes no min; pact-rust then accepts []",
    ),
    "datetime/ten-fraction-digits": (
        True,
        False,
        "RFC 3339 puts no bound on fraction digits; Pact's S pattern stops at nine",
    ),
}


def _accord_accepts(matcher: Matcher, value: Any) -> bool:
    return check_fields(expand({"v": matcher}), {"v": value}, role="reads") == []


@pytest.fixture(scope="module")
def pact_rust_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bool]:
    """Each case id -> whether pact-rust's verifier passed the provider sending its value."""
    import httpx
    from pact import Pact, Verifier

    from accord.consumers import Expectation
    from accord.consumers._pact import export_pact

    out = tmp_path_factory.mktemp("matrix")
    cases = _cases()
    sent = {f"/case/{n}": {"v": value} for n, (_id, _a, _p, value) in enumerate(cases)}
    pact = Pact("matrix-pact-python", "matrix").with_specification("V4")
    ours = Expectation("matrix-accord", provider="matrix")
    for n, (case_id, accord_m, pact_m, _value) in enumerate(cases):
        if pact_m is _EXPORTED:
            ours.upon_receiving(case_id).with_request("GET", f"/case/{n}").will_respond_with(
                200, body={"v": accord_m}
            )
            continue
        (
            pact.upon_receiving(case_id)
            .with_request("GET", f"/case/{n}")
            .will_respond_with(200)
            .with_body({"v": pact_m}, content_type="application/json")
        )
    with pact.serve() as srv:
        for n, (_id, _a, pact_m, _v) in enumerate(cases):
            if pact_m is not _EXPORTED:
                assert httpx.get(f"{srv.url}/case/{n}").status_code == 200
    pact.write_file(out, overwrite=True)
    exported = export_pact(ours.to_json())
    (out / "matrix-accord-matrix.json").write_text(json.dumps(exported))

    with json_provider(sent.__getitem__) as url:
        verifier = Verifier("matrix", host="127.0.0.1").add_transport(url=url)
        verifier.add_source(out / "matrix-pact-python-matrix.json")
        verifier.add_source(out / "matrix-accord-matrix.json")
        with contextlib.suppress(RuntimeError):  # some cases fail: read each result below
            verifier.verify()
        results = verifier.results["interactionResults"]
    verdicts = {r["description"]: r["result"] == "OK" for r in results}
    assert sorted(verdicts) == sorted(c[0] for c in cases)  # every case was judged
    return verdicts


def _ids() -> list[str]:
    return [c[0] for c in _cases()]


def test_the_matrix_has_at_least_45_cases() -> None:
    assert len(_cases()) >= 45


@pytest.mark.timeout(180)
@pytest.mark.parametrize("case_id", _ids())
def test_accord_and_pact_rust_agree(case_id: str, pact_rust_verdicts: dict[str, bool]) -> None:
    (_id, accord_m, _pact_m, value) = next(c for c in _cases() if c[0] == case_id)
    accord = _accord_accepts(accord_m, value)
    pact_rust = pact_rust_verdicts[case_id]
    if case_id in KNOWN:
        expected_accord, expected_pact, _why = KNOWN[case_id]
        assert (accord, pact_rust) == (expected_accord, expected_pact)
    else:
        assert accord is pact_rust, f"accord {accord}, pact-rust {pact_rust} on {value!r}"


def test_every_known_difference_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs/consumers.md").read_text()
    for case_id in KNOWN:
        assert f"`{case_id}`" in docs
