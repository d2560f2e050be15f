"""``loads_fast`` returns exactly what ``loads`` returns and refuses exactly what it refuses."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core import jsondoc
from accord.core.jsondoc import MISS, fast_or_miss, loads, loads_fast, loads_written
from accord.errors import DocumentError
from accord.validation.budget import _keys_sorted_walk


def _outcome(fn: Any, data: bytes | str, **kwargs: Any) -> tuple[str, Any]:
    try:
        value = fn(data, **kwargs)
    except DocumentError as exc:
        return ("refused", (exc.code, str(exc)))
    return ("ok", json.dumps(value, default=repr) + repr(_types(value)))


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _types(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


CORNERS = [
    b'{"a": 1, "a": 2}',
    b'{"a": 1, "\\u0061": 2}',
    b'{"a" : 1, "a": 2}',
    b'{"a"\n:1,"a"\t:2}',
    b'{"x": {"y": [{"k": 1, "k": 1}]}}',
    b'[{"a": 1}, {"b": {"c": {"d": 1, "d": 2}}}]',
    b'{"a": ":", "b": 1}',
    b'{"t": "a:b", "t": "c"}',
    b'{"t": "c", "t": "a:b"}',
    b'{"a": 1, "b": "::", "a": 2}',
    b'{"a":{"b:":1},"a":{"b:":1}}',
    b"[" + b"{}," * 70 + b"{}]",
    b"[" + b'{"a": [1]},' * 40 + b"{}]",
    b'{"a": "\\":", "b": 1}',
    b'{"a": 1, "a": "\\u003a"}',
    b'{"a" : 1, "a": "\\u003a", "b": "\\n"}',
    b'{"p": "^[0-9]+(\\\\.[0-9])?$", "p": "\\/"}',
    b'{"p": "^[0-9]+(\\\\.[0-9])?$", "q": "\\/\\":\\t"}',
    b'{"\\"": 1, "\\"": 2}',
    b'{"\\\\u0061": 1, "a": 2}',
    b'{"a": NaN}',
    b"[Infinity]",
    b"[-Infinity]",
    b"[1e400]",
    b"[-1e400]",
    b"[1.7976931348623159e308]",
    b"[" + b"1" * 400 + b".0]",
    b"[" + b"1" * 4300 + b"]",
    b"[" + b"1" * 4301 + b"]",
    b"[1e-400]",
    b'["\\ud800"]',
    b'["\\udc00"]',
    b'["\\uD83D\\uDE00"]',
    b'{"\\ud800": 1}',
    b'["\xed\xa0\x80"]',
    b'["\xff"]',
    b"\xef\xbb\xbf[1]",
    b"[" * 64 + b"]" * 64,
    b"[" * 65 + b"]" * 65,
    b'{"a":' * 64 + b"1" + b"}" * 64,
    b'{"a":' * 65 + b"1" + b"}" * 65,
    b"[" * 63 + b"{}" + b"]" * 63,
    b"[" * 64 + b"{}" + b"]" * 64,
    b'{\n<<<<<<< HEAD\n"a": 1\n=======\n"a": 2\n>>>>>>> b\n}',
    b'["<<<<<<< x"]',
    b"<<<<<<< x\n[1]",
    b"",
    b"  \n",
    b"01",
    b"[1,]",
    b"1 2",
    b'"\t"',
    b'"\\x"',
    b"[\x0c1]",
    b"\xc2\xa0[1]",
    b"-0",
    b"-0.0",
    b"1E2",
    b"18446744073709551617",
    b'{"b": 1, "a": 2}',
    b'{"": 1, "": 2}',
    b"{}",
    b"[]",
    b'"x"',
    b"null",
]


@pytest.mark.parametrize("data", CORNERS, ids=[repr(c)[:40] for c in CORNERS])
def test_fast_agrees_with_strict_on_corners(data: bytes) -> None:
    assert _outcome(loads_fast, data) == _outcome(loads, data)
    assert _outcome(loads_fast, data, max_depth=None) == _outcome(loads, data, max_depth=None)
    text = data.decode("utf-8", "surrogateescape")
    assert _outcome(loads_fast, text) == _outcome(loads, text)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b'{"a": 1, "a": 2}', "json-duplicate-key", id="duplicate"),
        pytest.param(b'{"a": 1, "\\u0061": 2}', "json-duplicate-key", id="duplicate-escaped"),
        pytest.param(b'{"a" :1, "a": 2}', "json-duplicate-key", id="duplicate-space-colon"),
        pytest.param(b'[[{"k": {"z": 1, "z": 2}}]]', "json-duplicate-key", id="duplicate-deep"),
        pytest.param(b'{"t": "a:b", "t": "c"}', "json-duplicate-key", id="duplicate-colon-value"),
        pytest.param(
            b'[{"k": 1, "k": 2}' + b', {"x": "y"}' * 70 + b"]",
            "json-duplicate-key",
            id="duplicate-wide",
        ),
        pytest.param(b"[NaN]", "json-nan", id="nan"),
        pytest.param(b'["\\ud800"]', "json-lone-surrogate", id="lone-surrogate"),
        pytest.param(b"[" * 65 + b"]" * 65, "json-too-deep", id="too-deep"),
        pytest.param(b'{\n<<<<<<< a\n"a": 1\n}', "json-conflict-markers", id="conflict"),
        pytest.param(b"\xef\xbb\xbf[1]", "json-bom", id="bom"),
        pytest.param(b'["\xff"]', "json-invalid-utf8", id="utf8"),
    ],
)
def test_fast_path_never_accepts_what_strict_refuses(data: bytes, code: str) -> None:
    assert fast_or_miss(data, None, 64) is MISS
    with pytest.raises(DocumentError) as info:
        loads_fast(data)
    assert info.value.code == code


@pytest.mark.parametrize(
    "data",
    [
        b'{"order": {"id": 1, "lines": [{"sku": "a", "q": 2}]}, "at": "09:41:00"}',
        b'{"a": [1, 2.5, true, null, "x"], "b": {}, "c": []}',
        b'{"\\u00e9": "caf\\u00e9", "n": 18446744073709551617}',
        '{"é": "ü", "s": "a\\"b"}'.encode(),
        b'{"at": "2024-05-17T09:41:00+02:00", "url": "https://x.test:8080/a", "n": 1e5}',
        b"[" + b'{"a": [1], "t": "1:2"},' * 70 + b"{}]",
        b'{"n": 123456789012345678901234567890, "m": -0, "f": 1.5e300}',
    ],
)
def test_fast_path_takes_ordinary_payloads(data: bytes) -> None:
    value = fast_or_miss(data, None, 64)
    assert value is not MISS
    assert value == loads(data)


def test_big_float_goes_to_the_strict_loader_and_stays_exact() -> None:
    assert fast_or_miss(b"[1e400]", None, 64) is MISS
    assert str(loads_fast(b"[1e400]")[0]) == "1E+400"


@pytest.mark.parametrize("limit", [640, 700, 999, 1000, 5000, 0])
def test_the_fast_path_follows_the_int_digit_limit_in_force(limit: int) -> None:
    # msgspec reads integers through Python's own conversion, which honours the limit
    # as it is at the call (no guard of accord's: pinned here, with msgspec itself).
    import msgspec

    texts = [b"[" + b"7" * n + b"]" for n in (639, 640, 700, 999, 1000, 1001, 4300, 5000)]
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        for data in texts:
            assert _outcome(loads_fast, data) == _outcome(loads, data)
            if _outcome(loads, data)[0] == "refused":
                assert fast_or_miss(data, None, 64) is MISS
                with pytest.raises((msgspec.DecodeError, ValueError)):
                    msgspec.json.Decoder().decode(data)
    finally:
        sys.set_int_max_str_digits(old)


_keys = st.sampled_from(["a", "b", "\\u0061", "k", "", "\\ud800", "\\ud83d\\ude00", '\\"', ":"])
_scalars = st.sampled_from(
    [
        "1",
        "-0",
        "1.5",
        "1e400",
        "-1e400",
        "1e308",
        "NaN",
        "Infinity",
        "18446744073709551617",
        "true",
        "null",
        '"x"',
        '"\\ud800"',
        '"\\udc00\\ud800"',
        '"\\ud83d\\ude00"',
        '":"',
        '"\\":"',
        '"[[[["',
        '"]]]]"',
        '"<<<<<<< x"',
        "01",
        "1.",
    ]
)
_ws = st.sampled_from(["", " ", "\n", "\t", "\r\n", "  "])


@st.composite
def _texts(draw: Any, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        if depth > 2 and draw(st.integers(0, 9)) == 0:
            n = draw(st.integers(60, 70))
            return "[" * n + draw(_scalars) + "]" * n
        return draw(_scalars)
    if draw(st.booleans()):
        items = draw(st.lists(_texts(depth + 1), max_size=4))
        return "[" + ",".join(items) + "]"
    pairs = draw(st.lists(st.tuples(_keys, _ws, _ws, _texts(depth + 1)), max_size=4))
    return "{" + ",".join(f'"{k}"{w1}:{w2}{v}' for k, w1, w2, v in pairs) + "}"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_texts(), _ws)
def test_fast_and_strict_agree_on_generated_texts(text: str, pad: str) -> None:
    data = (pad + text + pad).encode()
    assert _outcome(loads_fast, data) == _outcome(loads, data)
    assert _outcome(loads_fast, data, max_depth=3) == _outcome(loads, data, max_depth=3)
    value = fast_or_miss(data, None, 64)
    if value is not MISS:
        assert _outcome(loads, data)[0] == "ok"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(
            b'{"a": 1, "a": ' + b"[" * 70 + b"]" * 70 + b"}", "json-too-deep", id="deep-dup"
        ),
        pytest.param(b"[" * 70 + b"1,]" + b"]" * 69, "json-too-deep", id="deep-malformed"),
        pytest.param(b"[" * 5000 + b"]" * 5000, "json-too-deep", id="deeper-than-recursion"),
        pytest.param(
            b'["\\ud800", ' + b"[" * 70 + b"]" * 70 + b"]", "json-too-deep", id="deep-surrogate"
        ),
    ],
)
def test_too_deep_is_reported_before_other_refusals(data: bytes, code: str) -> None:
    with pytest.raises(DocumentError) as info:
        loads(data)
    assert info.value.code == code
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("data", "taken"),
    [
        (b'{"at": "2024-05-17T09:41:00+02:00", "n": [1, 2.5, true, null]}', True),
        (b"[" + b'{"a": [1], "t": "1:2"},' * 70 + b"{}]", True),
        (b'{"n": 123456789012345678901234567890}', True),
        (b'{"t": "a:b", "t": "c"}', False),
        (b'{"a" : 1, "a": 2}', False),
        (b"[" * 65 + b"]" * 65, False),
        (b"[1e400]", False),
        # compact texts, as most senders write them: the re-encoding is the text itself
        (b'{"a":1,"b":{"c":[1,2,{"d":"x:y"}]},"e":"2024-05-17T09:41:00+02:00"}', True),
        (b'{"a":1,"a":1}', False),
        (b'{"a":{"b":"c"},"a":{"b":"c"}}', False),
        (b'[{"k":[{"z":":","z":":"}]}]', False),
        (b'{"t":":","t":":"}', False),
        # compact but spelled otherwise than msgspec writes it: the colon counts decide
        (b'{"n":1E2,"m":1.50,"s":"a:b"}', True),
        (b'{"n":1E2,"n":1.50}', False),
        (b"[" * 64 + b"]" * 64, True),
        (b"[" * 32 + b"{}," * 40 + b"{}" + b"]" * 32, True),
    ],
)
def test_backslash_free_texts_skip_the_walk(
    data: bytes, taken: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a backslash, msgspec's value is proven by byte counts (the re-encoding
    # itself, or colons before and after it, brackets for depth), not by a walk.
    monkeypatch.setattr(jsondoc, "_keys_if_plain", _no_walk)
    value = fast_or_miss(data, None, 64)
    assert (value is not MISS) is taken
    if taken:
        assert value == loads(data)
    else:
        assert _outcome(loads_fast, data) == _outcome(loads, data)


@pytest.mark.parametrize(
    ("data", "taken"),
    [
        (b'{"pattern": "^-?[0-9]+(\\\\.[0-9]{1,4})?$", "type": "string"}', True),
        (b'{\n  "p": "a\\":b",\n  "q": "\\/\\n\\t:"\n}', True),
        (b'{"p": "\\n", "p": "\\n"}', False),
        (b'{"p" : "\\\\", "p": "\\\\"}', False),
        (b'{"\\"": 1, "\\"": 2}', False),
        (b'{"\\"" : 1, "\\"": 2}', False),
        (b'{"a":"\\":","a":"\\":"}', False),
    ],
)
def test_texts_without_a_unicode_escape_skip_the_walk(
    data: bytes, taken: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Escapes other than \\u never spell a colon, so the byte counts prove these too;
    # a \\u escape (which may spell one) goes to the walk.
    assert b"\\" in data
    with monkeypatch.context() as patched:
        patched.setattr(jsondoc, "_keys_if_plain", _no_walk)
        value = fast_or_miss(data, None, 64)
    assert (value is not MISS) is taken
    if taken:
        assert value == loads(data)
    assert _outcome(loads_fast, data) == _outcome(loads, data)


def _no_walk(value: Any, max_depth: int | None) -> int | None:
    raise AssertionError("the walk over the value ran")


# What the fast path leaves to msgspec (the notes above ``MISS`` in jsondoc): a msgspec
# release that reads or writes one of these otherwise fails here rather than opening a
# hole. ``make test-oldest`` runs these on the lower bound, ``make test-latest`` on the
# newest release.
@pytest.mark.parametrize(
    "data",
    [
        # would be re-encoded as null, and NaN compares unequal to itself
        b"[NaN]",
        b"[Infinity]",
        b"[-Infinity]",
        # beyond float range: loads keeps a Decimal
        b"[1e400]",
        b"[-1e400]",
        # lone surrogate escapes, alone or reversed
        b'["\\ud800"]',
        b'["\\udc00"]',
        b'["\\udc00\\ud800"]',
        b'{"\\ud800":1}',
        # not UTF-8: a bad byte, overlong, an encoded surrogate, past U+10FFFF, cut short
        b'["\xff"]',
        b'["\xc0\xaf"]',
        b'["\xe0\x80\xaf"]',
        b'["\xed\xa0\x80"]',
        b'["\xf4\x90\x80\x80"]',
        b'["\xe2\x82"]',
        b'{"\xff":1}',
        b"\xef\xbb\xbf[1]",
        # raw control characters in a string (re-encoded escaped, colons unchanged)
        b'["a\tb"]',
        b'["a\x00b"]',
        b'["a\x1fb"]',
        # past Python's integer digit limit (loads refuses)
        b"[" + b"9" * 4301 + b"]",
    ],
    ids=repr,
)
def test_msgspec_refuses_what_the_fast_path_leaves_to_it(data: bytes) -> None:
    import msgspec

    with pytest.raises((msgspec.DecodeError, ValueError)):
        msgspec.json.Decoder().decode(data)


def test_msgspec_writes_what_the_re_encoding_proof_assumes() -> None:
    import msgspec

    encode = msgspec.json.Encoder().encode
    # no surrogate is ever written, escaped or not
    for lone in ("\ud800", "a\udc00"):
        with pytest.raises((msgspec.EncodeError, ValueError)):
            encode([lone])
    # beyond ASCII as UTF-8 (so what it writes is UTF-8)
    assert encode(["é😀"]) == '["é😀"]'.encode()
    # each key once, in the dict's order, compact
    assert encode({"b": [1, {"a": None}], "a": True}) == b'{"b":[1,{"a":null}],"a":true}'
    # a float is written so that Python reads the same float back (loads' reading)
    for number in (0.1, 1e20, 1e-7, 5e-324, 1.7976931348623157e308, -0.0, 123456.789):
        written = encode(number)
        assert float(written) == number
        assert repr(float(written)) == repr(number)
    assert encode(10**30) == b"1" + b"0" * 30


def test_the_re_encoding_buffers_are_never_shared_and_stay_small() -> None:
    import threading

    from accord.core.jsondoc import _KEPT_BUFFER_BYTES, _msgspec

    spare = _msgspec()[2]
    # a payload past the kept size does not leave its buffer behind
    big = json.dumps(["x" * (2 * _KEPT_BUFFER_BYTES)]).encode()
    assert fast_or_miss(big, None, 64) == json.loads(big)
    assert all(len(buffer) <= _KEPT_BUFFER_BYTES for buffer in spare)
    # threads never share one: each reads its own texts right, concurrently (a switch
    # between the re-encoding and the comparison is forced often)
    texts = [
        json.dumps({"id": n, "items": [{"k": str(n) * n}] * n}, separators=(",", ":")).encode()
        for n in range(8)
    ]
    wrong: list[bytes] = []
    together = threading.Barrier(len(texts), timeout=30)
    before = len(spare)

    def check(text: bytes) -> None:
        expected = json.loads(text)
        together.wait()
        if any(fast_or_miss(text, None, 64) != expected for _ in range(300)):
            wrong.append(text)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=check, args=(text,)) for text in texts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sys.setswitchinterval(interval)
    assert not wrong
    # a buffer is made only when none is spare: no more than ever ran at once
    assert len(spare) <= max(before, len(texts))


def test_a_call_re_entering_meanwhile_does_not_write_into_the_buffer_in_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A signal handler or a finalizer may run this function again between the
    # re-encoding and the counts (here: from the depth walk, which more than 64
    # brackets start). Had both shared the buffer, the outer text's colons (2, one key
    # twice) would be compared with the inner text's re-encoding (2 keys) and pass.
    outer = b'[{"a":1,"a":1}' + b",{}" * 70 + b"]"
    inner = b'[{"a":1,"b":1}' + b",{}" * 70 + b"]"
    real = jsondoc._parsed_deeper_than
    entered: list[Any] = []

    def re_entering(value: Any, limit: int) -> bool:
        if not entered:
            entered.append(None)
            entered[0] = fast_or_miss(inner, None, 64)
        return real(value, limit)

    monkeypatch.setattr(jsondoc, "_parsed_deeper_than", re_entering)
    assert fast_or_miss(outer, None, 64) is MISS
    assert entered == [json.loads(inner)]
    with pytest.raises(DocumentError) as info:
        loads_fast(outer)
    assert info.value.code == "json-duplicate-key"


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([b"{", b"[", b"}", b"]", b'"', b"a", b":", b","]), max_size=80).map(
        b"".join
    ),
    st.integers(min_value=1, max_value=40),
)
def test_the_depth_bound_counts_every_opening_bracket(raw: bytes, limit: int) -> None:
    # capped deletions answer exactly what a full count of both brackets answers
    expected = raw.count(b"{") + raw.count(b"[") > limit
    assert jsondoc._more_openers_than(raw, limit) is expected


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_json_values, st.integers(min_value=1, max_value=8))
def test_the_parsed_value_walk_answers_as_the_careful_one(value: Any, limit: int) -> None:
    # fast_or_miss walks what msgspec parsed without deeper_than's type survey: on
    # such values (plain JSON types only) both answer alike, at every depth and limit
    import msgspec

    parsed = msgspec.json.decode(msgspec.json.encode(value))
    for wrapped in (parsed, [parsed], {"k": [[parsed]]}):
        assert jsondoc._parsed_deeper_than(wrapped, limit) is jsondoc.deeper_than(wrapped, limit)


@pytest.mark.parametrize(
    ("text", "deeper"),
    [
        (b"[" + b"[]," * 70 + b"[]]", False),  # 71 brackets, 2 deep
        (b"[" * 64 + b"]" * 64, False),
        (b'[{"a":' * 32 + b"{}" + b"}]" * 32, True),  # 65 deep
        (b"[" + b"[" * 64 + b"1" + b"]" * 64 + b"," + b"{}," * 70 + b"1]", True),
    ],
)
def test_a_text_with_more_brackets_than_the_cap_is_measured_exactly(
    text: bytes, deeper: bool
) -> None:
    assert jsondoc._parsed_deeper_than(json.loads(text), 64) is deeper
    if deeper:
        assert fast_or_miss(text, None, 64) is MISS
        with pytest.raises(DocumentError) as info:
            loads_fast(text)
        assert info.value.code == "json-too-deep"
    else:
        assert fast_or_miss(text, None, 64) == json.loads(text)


def test_the_depth_bound_searches_a_bracket_dense_text_a_bounded_number_of_times() -> None:
    # a text made of brackets (inside a string: msgspec reads it cheaply) is not
    # searched once per bracket: at most limit + 1 deletions of each
    calls: list[int] = []

    class Counting(bytes):
        def replace(self, old: Any, new: Any, count: Any = -1) -> bytes:  # type: ignore[override]
            calls.append(count)
            return super().replace(old, new, count)

    assert jsondoc._more_openers_than(Counting(b'"' + b"[" * 10_000 + b'"'), 64)
    assert calls == [65, 65]


_BUFFER_CASES = [
    (b'{"a": 1}', None),
    (b'{"a":1,"a":2}', "json-duplicate-key"),
    (b"\xef\xbb\xbf{}", "json-bom"),
    (b'{"a": "\xff"}', "json-invalid-utf8"),
    (b"[NaN]", "json-nan"),
    (b"  ", "json-empty"),
    (b"[" * 300 + b"]" * 300, "json-too-deep"),
]


@pytest.mark.parametrize("buffer", [bytearray, memoryview])
@pytest.mark.parametrize(("data", "code"), _BUFFER_CASES)
def test_a_bytes_like_buffer_reads_as_its_bytes(
    buffer: type[Any], data: bytes, code: str | None
) -> None:
    """A bytearray or memoryview (what a socket or framework may hand over) is read as
    the bytes it holds, by both loaders: the same value or the same refusal, never a
    TypeError from inside a check."""
    for read in (loads, loads_fast):
        if code is None:
            assert read(buffer(data), max_depth=256) == loads(data)
        else:
            with pytest.raises(DocumentError) as caught:
                read(buffer(data), max_depth=256)
            assert caught.value.code == code


@pytest.mark.parametrize("data", [5, None, 1.5, ["{}"], {"a": 1}])
def test_anything_but_text_or_bytes_is_a_usage_error(data: Any) -> None:
    from accord.errors import UsageError

    for read in (loads, loads_fast):
        with pytest.raises(UsageError, match="bytes or str"):
            read(data)


# --- loads_written: the registry loader's parse ------------------------------------------


def _written(data: bytes, **kwargs: Any) -> Any:
    return loads_written(data, **kwargs)[0]


def _sorted_indented(value: Any) -> bytes:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).encode()


@pytest.mark.parametrize("data", CORNERS, ids=[repr(c)[:40] for c in CORNERS])
def test_written_agrees_with_strict_on_corners(data: bytes) -> None:
    assert _outcome(_written, data) == _outcome(loads, data)
    assert _outcome(_written, data, max_depth=None) == _outcome(loads, data, max_depth=None)
    # and on each corner indented by 2 with sorted keys where it parses (a duplicate key,
    # a surrogate or an escape then shows in the text as the writer would not write it)
    for text in (data.replace(b", ", b",\n  "), data.replace(b": ", b":  ")):
        assert _outcome(_written, text) == _outcome(loads, text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_texts(), _ws)
def test_written_and_strict_agree_on_generated_texts(text: str, pad: str) -> None:
    data = (pad + text + pad).encode()
    assert _outcome(_written, data) == _outcome(loads, data)
    assert _outcome(_written, data, max_depth=3) == _outcome(loads, data, max_depth=3)
    if _outcome(loads, data)[0] == "ok":
        value = loads(data)
        try:
            indented = _sorted_indented(value)
        except (TypeError, ValueError):  # a Decimal, a lone surrogate: not written so
            return
        for form in (indented, indented + b"\n"):
            assert _outcome(_written, form) == _outcome(loads, form)
            assert _outcome(_written, form, max_depth=3) == _outcome(loads, form, max_depth=3)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b'{\n  "a": 1,\n  "a": 2\n}', "json-duplicate-key", id="duplicate"),
        pytest.param(b'{\n  "a": 1,\n  "a": 1\n}', "json-duplicate-key", id="duplicate-same"),
        pytest.param(b'{\n  "a": 1,\n  "b": 2,\n  "b": 2\n}', "json-duplicate-key", id="dup-last"),
        pytest.param(b'[\n  "\\ud800"\n]', "json-lone-surrogate", id="lone-surrogate"),
        pytest.param(b"[\n  NaN\n]", "json-nan", id="nan"),
        pytest.param(
            b"[\n" + b"[" * 64 + b"]" * 64 + b"\n]", "json-too-deep", id="too-deep-indented"
        ),
    ],
)
def test_written_never_accepts_what_strict_refuses(data: bytes, code: str) -> None:
    with pytest.raises(DocumentError) as info:
        loads_written(data)
    assert info.value.code == code


# The walk the canonical check falls back to, an oracle independent of the sorted
# re-writing it checks (two msgspec encodings, or loads_written's one).
_sorted_everywhere = _keys_sorted_walk


def test_written_says_so_only_of_a_sorted_text_indented_by_2() -> None:
    # On many spellings of many trees: True only for a text that is its value written
    # with sorted keys, indented by 2 (so its keys are sorted), always for that text.
    import random

    import msgspec

    rng = random.Random(17)
    keys = ["a", "b", "B", "$id", "\u00e9", "\U0001f600", "\uffff", "", "a/b"]

    def tree(depth: int) -> Any:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice([1, -0, "s", "x/y", "caf\u00e9", None, 2.5, 1e21, True, 10**30])
        if rng.random() < 0.4:
            return [tree(depth - 1) for _ in range(rng.randint(0, 3))]
        return {k: tree(depth - 1) for k in rng.sample(keys, rng.randint(0, 4))}

    seen = {True: 0, False: 0}
    for _ in range(400):
        value = tree(4)
        spellings = [
            msgspec.json.format(msgspec.json.encode(value, order="sorted"), indent=2),
            json.dumps(value, indent=2, ensure_ascii=False).encode(),
            json.dumps(value, indent=2, sort_keys=True).encode(),
            _sorted_indented(value),
            json.dumps(value, sort_keys=True).encode(),
        ]
        for data in (*spellings, *(s + b"\n" for s in spellings)):
            parsed, written = loads_written(data)
            assert _outcome(_written, data) == _outcome(loads, data)
            if written:
                assert _sorted_everywhere(parsed)
                text = msgspec.json.format(msgspec.json.encode(parsed), indent=2)
                assert data in (text, text + b"\n")
            seen[written] += 1
        if value not in ({}, []) and isinstance(value, dict | list):
            assert loads_written(spellings[0])[1]
            assert loads_written(spellings[0] + b"\n")[1]
    assert seen[True]
    assert seen[False]


def test_msgspec_formats_without_touching_a_token() -> None:
    # What loads_written's proof assumes of msgspec.json.format: only whitespace moves.
    import msgspec

    text = b'{"b":[1.50,1E5,-0,"x\\u00e9\\/",{}],"a":{"c":[]},"\\"":null}'
    formatted = msgspec.json.format(text, indent=2)
    assert formatted.translate(None, b" \n") == text
    assert (
        msgspec.json.format(b'{"a" : [ 1 ,2 ] }', indent=2) == b'{\n  "a": [\n    1,\n    2\n  ]\n}'
    )


# Validator.validate_json reads bytes and text through fast_or_miss, then the strict
# loader when it misses: it must read and refuse every text exactly as the strict loader
# does, with the fast path on and where the referents walk is not trusted (no fast path).


def _validate_json(validator: Any) -> Any:
    def read(data: bytes | str, **_: Any) -> Any:
        return validator.validate_json(data)

    return read


def _strict(max_depth: int) -> Any:
    def read(data: bytes | str, **_: Any) -> Any:
        return loads(data, max_bytes=None, max_depth=max_depth, exact_numbers=True)

    return read


@pytest.fixture(params=["fast-path", "without-fast-path"])
def open_validator(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    from accord.validation.validator import Validator

    if request.param == "without-fast-path":
        monkeypatch.setattr(jsondoc, "_referents_ok", False)
    return Validator({})


@pytest.mark.parametrize("data", CORNERS, ids=[repr(c)[:40] for c in CORNERS])
def test_validate_json_reads_as_the_strict_loader_on_corners(
    data: bytes, open_validator: Any
) -> None:
    assert _outcome(_validate_json(open_validator), data) == _outcome(_strict(64), data)
    text = data.decode("utf-8", "surrogateescape")
    assert _outcome(_validate_json(open_validator), text) == _outcome(_strict(64), text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_texts(), _ws)
def test_validate_json_reads_as_the_strict_loader_on_generated_texts(text: str, pad: str) -> None:
    from accord.validation.validator import Validator

    data = (pad + text + pad).encode()
    for depth in (64, 3):  # a low cap: the openers' count decides often
        validator = Validator({}, max_depth=depth)
        assert _outcome(_validate_json(validator), data) == _outcome(_strict(depth), data)
