"""config's plain-TOML reader (the contract.toml and accord.toml most registries hold,
read without importing tomllib) gives exactly tomllib's table, and leaves every other
text to tomllib."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ConfigError
from accord.registry.config import _plain_toml, loads_toml


def _typed(value: Any) -> Any:
    """``value`` with the type of every part spelled out: ``1 == True`` and a tuple is
    not a list, so equal tables of different types compare unequal here."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _tomllib(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "error"


_PLAIN = [
    ("", {}),
    ("\n\n", {}),
    ('owner = "bench"\nkind = "event"\n', {"owner": "bench", "kind": "event"}),
    ('owner="a"', {"owner": "a"}),
    ('# settings\nmode = "full"  # default\n', {"mode": "full"}),
    ('tags = ["shared", "http", "errors"]\n', {"tags": ["shared", "http", "errors"]}),
    ("tags = []", {"tags": []}),
    ('tags = [ "a" , "b" , ]', {"tags": ["a", "b"]}),
    ('tags = ["a",]', {"tags": ["a"]}),
    ("max-depth = 64\nmax-items = 0", {"max-depth": 64, "max-items": 0}),
    ('d = "caf\u00e9 \t # not a comment"', {"d": "caf\u00e9 \t # not a comment"}),
    ('s = "\u0085"# c1 control, allowed', {"s": "\u0085"}),
    ('1 = "one"\n_-x = "y"', {"1": "one", "_-x": "y"}),
    ("\t# only a comment \u00e9", {}),
]


@pytest.mark.parametrize(("text", "table"), _PLAIN)
def test_plain_texts_read_as_tomllib_reads_them(text: str, table: dict[str, Any]) -> None:
    assert _typed(_plain_toml(text)) == _typed(table) == _typed(tomllib.loads(text))


# Each is TOML (or not) that the plain reader must leave to tomllib.
_NOT_PLAIN = [
    'a = "x"\r\nb = "y"\r\n',  # CRLF
    'a = "x"\ra = "y"',
    'a = "x\\ty"',  # an escape
    "a = 'literal'",
    'a = """multi"""',
    'a = "x"\na = "y"',  # a duplicate key
    '"quoted" = "x"',
    'a.b = "x"',
    '[table]\na = "x"',
    'a = ["x",\n "y"]',
    "a = [,]",
    'a = ["x" "y"]',
    'a = ["x", 1]',
    "a = [[]]",
    "a = 01",
    "a = -1",
    "a = +1",
    "a = 1_000",
    "a = 1.5",
    "a = 1e5",
    "a = 0x1f",
    "a = true",
    "a = 1979-05-27",
    'a = "x\x00"',
    'a = "x\x7f"',
    'a = "x\x1b"',
    'a = "x" # \x7f',
    'a = "x" b = "y"',
    "a =",
    '= "x"',
    'é = "x"',
    '\ufeffa = "x"',
    'a = "x"\u00a0',
]


@pytest.mark.parametrize("text", _NOT_PLAIN)
def test_other_texts_are_left_to_tomllib(text: str) -> None:
    assert _plain_toml(text) is None


def test_a_duplicate_key_is_still_tomllibs_error() -> None:
    with pytest.raises(ConfigError) as caught:
        loads_toml('owner = "a"\nowner = "b"\n', file="contract.toml")
    assert caught.value.code == "toml-malformed"
    assert (caught.value.line, caught.value.column) == (2, 12)


# Lines drawn near the plain grammar: its pieces, and the characters that end it.
_PLAIN_KEY = st.text(alphabet="abAZ09_-", min_size=1, max_size=5)
_KEY = _PLAIN_KEY | _PLAIN_KEY | st.text(alphabet="a1_-.\"' é", max_size=3)
_ASIDE = st.text(alphabet="ab #,[]=\t\x85é", max_size=3)
# At most one character that ends the plain grammar, amid ones that do not.
_CHARS = st.builds(
    lambda before, odd, after: before + odd + after,
    _ASIDE,
    st.sampled_from(["", "", "", '"', "\\", "\x00", "\x08", "\x1f", "\x7f", "\r", "\n"]),
    _ASIDE,
)
_STRING = st.builds(lambda s: f'"{s}"', _CHARS)
_ARRAY = st.builds(
    lambda items, trailing: "[" + ", ".join(items) + trailing + "]",
    st.lists(_STRING | st.sampled_from(["1", "", " ", ","]), max_size=4),
    st.sampled_from(["", ",", " , "]),
)
_INT = st.sampled_from(["0", "7", "64", "01", "-1", "1_0", "1.0", "10"])
_VALUE = _STRING | _ARRAY | _INT | _CHARS
_WS = st.sampled_from(["", " ", "\t", "  "])
_COMMENT = st.sampled_from(["", "#", "# c", "#\x7f", "#\t\u00e9", "#\r"])
_LINE = (
    st.builds(
        lambda pad, key, eq, value, tail, comment: f"{pad}{key}{eq}{value}{tail}{comment}",
        _WS,
        _KEY,
        st.sampled_from([" = ", "=", " =", "", "  =\t"]),
        _VALUE,
        _WS,
        _COMMENT,
    )
    | _COMMENT
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LINE, max_size=5), st.sampled_from(["\n", "\r\n"]))
def test_whatever_the_plain_reader_reads_tomllib_reads_the_same(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines)
    plain = _plain_toml(text)
    if plain is not None:
        assert _typed(plain) == _typed(_tomllib(text))


_PLAIN_CHARS = st.text(
    st.characters(blacklist_characters='"\\', blacklist_categories=["Cs"]).filter(
        lambda c: c == "\t" or not (c < " " or c == "\x7f")
    ),
    max_size=8,
)
_PLAIN_VALUE = (
    _PLAIN_CHARS.map(lambda s: f'"{s}"')
    | st.lists(_PLAIN_CHARS, max_size=3).map(lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]")
    | st.integers(min_value=0, max_value=10**30).map(str)
)


@settings(max_examples=1000, deadline=None)
@given(st.dictionaries(_PLAIN_KEY, _PLAIN_VALUE, max_size=5), _WS, _COMMENT)
def test_plain_texts_never_reach_tomllib(table: dict[str, str], pad: str, comment: str) -> None:
    # The reader is taken for every text in its grammar (so the test above is not
    # vacuous), and reads it as tomllib does.
    comment = comment.replace("\x7f", "").replace("\r", "")
    text = "\n".join(f"{pad}{key}{pad}={pad}{value}{pad}{comment}" for key, value in table.items())
    plain = _plain_toml(text)
    assert plain is not None
    assert _typed(plain) == _typed(tomllib.loads(text))
