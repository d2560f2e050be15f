"""ECMA-262 patterns, drawn from: the one regex sampler of accord.

A small parser turns a pattern into a tree (classes, concatenation, alternation,
repetition, groups, back-references) and a seeded drawer walks it, so strings come out
the same in every process; every string is then checked with ``regress`` (the ECMA-262
engine), because the tree over-approximates lookarounds and back-references. The payload
generator draws pattern strings here, and :func:`accord.payloads.examples.pattern_examples`
gives the witness search its few candidates from the same drawer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regress

__all__ = [
    "MAX_WITNESS_SIZE",
    "RegexSyntaxError",
    "anchored",
    "compiled",
    "draw",
    "matching_strings",
    "parse",
    "search",
]

MAX_UNICODE = 0x10FFFF
# The most characters, items or properties a generated payload may need: a bound such
# as minLength 1000000000 is never materialised (no payload: the witness is unproven).
MAX_WITNESS_SIZE = 10_000
_UNBOUNDED_EXTRA = 3  # repetitions drawn above the minimum for `*`, `+`, `{m,}`
# Past this many characters a draw takes the fewest repetitions and the shortest option
# left: nested quantifiers multiply (`^(a*)*$` drawn for minLength 5000 made strings of
# millions of characters), a string is a candidate, and one this long fits any bound.
_DRAW_LIMIT = 2 * MAX_WITNESS_SIZE

_DIGIT = ((0x30, 0x39),)
_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE = ((0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x2028, 0x2029), (0xFEFF, 0xFEFF))
_LINE_TERMINATORS = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
_LETTER = ((0x41, 0x5A), (0x61, 0x7A), (0xE0, 0xF6))
# Friendly characters tried first when a class is negated or very wide.
_FRIENDLY = "aZ0_-x. é~!Q9"


class RegexSyntaxError(ValueError):
    """The pattern uses syntax this generator cannot parse."""


@dataclass(frozen=True, slots=True)
class _Class:
    ranges: tuple[tuple[int, int], ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Cat:
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Alt:
    options: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Rep:
    node: Any
    low: int
    high: int | None


@dataclass(frozen=True, slots=True)
class _Group:
    node: Any
    index: int | None  # capture number, None when not capturing
    name: str | None = None


@dataclass(frozen=True, slots=True)
class _Empty:
    kind: str  # "^", "$", "\\b", "\\B", "look"


@dataclass(frozen=True, slots=True)
class _Backref:
    ref: int | str


@dataclass
class _Parser:
    src: str
    pos: int = 0
    groups: int = 0
    names: dict[str, int] = field(default_factory=dict)

    def peek(self) -> str | None:
        return self.src[self.pos] if self.pos < len(self.src) else None

    def take(self) -> str:
        if self.pos >= len(self.src):
            raise RegexSyntaxError("unexpected end of pattern")
        ch = self.src[self.pos]
        self.pos += 1
        return ch

    def parse(self) -> Any:
        node = self.alternation()
        if self.pos != len(self.src):
            raise RegexSyntaxError(f"unexpected {self.src[self.pos]!r} at {self.pos}")
        return node

    def alternation(self) -> Any:
        options = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else _Alt(tuple(options))

    def sequence(self) -> Any:
        items: list[Any] = []
        while (ch := self.peek()) is not None and ch not in "|)":
            atom = self.atom()
            items.append(self.quantified(atom))
        return items[0] if len(items) == 1 else _Cat(tuple(items))

    def quantified(self, atom: Any) -> Any:
        ch = self.peek()
        low: int
        high: int | None
        if ch == "*":
            low, high = 0, None
        elif ch == "+":
            low, high = 1, None
        elif ch == "?":
            low, high = 0, 1
        elif ch == "{":
            bounds = self.braces()
            if bounds is None:
                return atom
            low, high = bounds
            self.pos -= 1  # `braces` consumed the closing brace; re-align with the others
        else:
            return atom
        self.pos += 1
        if self.peek() == "?":  # lazy: same language
            self.pos += 1
        if isinstance(atom, _Empty):
            return atom
        return _Rep(atom, low, high)

    def braces(self) -> tuple[int, int | None] | None:
        end = self.src.find("}", self.pos)
        if end < 0:
            return None
        body = self.src[self.pos + 1 : end]
        low_text, comma, high_text = body.partition(",")
        if not low_text.isdigit() or (high_text and not high_text.isdigit()):
            return None
        low = int(low_text)
        high = (int(high_text) if high_text else None) if comma else low
        self.pos = end + 1
        return low, high

    def atom(self) -> Any:
        ch = self.take()
        if ch == "(":
            return self.group()
        if ch == "[":
            return self.char_class()
        if ch == ".":
            return _Class(_LINE_TERMINATORS, negated=True)
        if ch == "^":
            return _Empty("^")
        if ch == "$":
            return _Empty("$")
        if ch == "\\":
            return self.escape(in_class=False)
        if ch in "*+?":
            raise RegexSyntaxError(f"nothing to repeat at {self.pos - 1}")
        return _Class(((ord(ch), ord(ch)),))

    def group(self) -> Any:
        index: int | None = None
        name: str | None = None
        look = False
        if self.src.startswith("?:", self.pos):
            self.pos += 2
        elif self.src.startswith(("?=", "?!"), self.pos):
            self.pos += 2
            look = True
        elif self.src.startswith(("?<=", "?<!"), self.pos):
            self.pos += 3
            look = True
        elif self.src.startswith("?<", self.pos):
            end = self.src.find(">", self.pos)
            if end < 0:
                raise RegexSyntaxError("unterminated group name")
            name = self.src[self.pos + 2 : end]
            self.pos = end + 1
            self.groups += 1
            index = self.groups
            self.names[name] = index
        else:
            self.groups += 1
            index = self.groups
        inner = self.alternation()
        if self.peek() != ")":
            raise RegexSyntaxError("unterminated group")
        self.pos += 1
        if look:
            return _Empty("look")
        return _Group(inner, index, name)

    def char_class(self) -> Any:
        negated = False
        if self.peek() == "^":
            negated = True
            self.pos += 1
        ranges: list[tuple[int, int]] = []
        while True:
            ch = self.peek()
            if ch is None:
                raise RegexSyntaxError("unterminated character class")
            if ch == "]":
                self.pos += 1
                break
            low = self.class_atom()
            if (
                self.peek() == "-"
                and self.pos + 1 < len(self.src)
                and self.src[self.pos + 1] != "]"
                and len(low) == 1
                and low[0][0] == low[0][1]
            ):
                self.pos += 1
                high = self.class_atom()
                if len(high) == 1 and high[0][0] == high[0][1]:
                    start, stop = low[0][0], high[0][0]
                    if start > stop:
                        raise RegexSyntaxError("range out of order in character class")
                    ranges.append((start, stop))
                    continue
                ranges.extend(low)
                ranges.append((0x2D, 0x2D))
                ranges.extend(high)
                continue
            ranges.extend(low)
        return _Class(tuple(ranges), negated)

    def class_atom(self) -> tuple[tuple[int, int], ...]:
        ch = self.take()
        if ch != "\\":
            return ((ord(ch), ord(ch)),)
        node = self.escape(in_class=True)
        if isinstance(node, _Class):
            if node.negated:
                return _complement(node.ranges)
            return node.ranges
        return ()

    def escape(self, *, in_class: bool) -> Any:
        ch = self.take()
        simple = {"n": 0x0A, "r": 0x0D, "t": 0x09, "f": 0x0C, "v": 0x0B, "0": 0x00}
        if ch in simple and not (ch == "0" and (self.peek() or "").isdigit()):
            code = simple[ch]
            return _Class(((code, code),))
        if ch in "dDwWsS":
            ranges = {"d": _DIGIT, "w": _WORD, "s": _SPACE}[ch.lower()]
            return _Class(ranges, negated=ch.isupper())
        if ch == "b":
            return _Class(((0x08, 0x08),)) if in_class else _Empty("\\b")
        if ch == "B":
            return _Empty("\\B")
        if ch == "x":
            return self.hex_escape(2)
        if ch == "u":
            if self.peek() == "{":
                end = self.src.find("}", self.pos)
                if end < 0:
                    raise RegexSyntaxError("unterminated \\u{")
                code = int(self.src[self.pos + 1 : end], 16)
                self.pos = end + 1
                return _Class(((code, code),))
            return self.hex_escape(4)
        if ch == "c":
            letter = self.take()
            code = ord(letter) % 32
            return _Class(((code, code),))
        if ch in "pP":
            if self.peek() == "{":
                end = self.src.find("}", self.pos)
                self.pos = end + 1 if end >= 0 else len(self.src)
            return _Class(_LETTER, negated=ch == "P")
        if ch.isdigit() and not in_class:
            digits = ch
            while (nxt := self.peek()) is not None and nxt.isdigit():
                digits += self.take()
            return _Backref(int(digits))
        if ch == "k" and self.peek() == "<" and not in_class:
            end = self.src.find(">", self.pos)
            if end < 0:
                raise RegexSyntaxError("unterminated \\k<")
            name = self.src[self.pos + 1 : end]
            self.pos = end + 1
            return _Backref(name)
        return _Class(((ord(ch), ord(ch)),))

    def hex_escape(self, width: int) -> _Class:
        text = self.src[self.pos : self.pos + width]
        if len(text) != width or any(c not in "0123456789abcdefABCDEF" for c in text):
            raise RegexSyntaxError("bad hex escape")
        self.pos += width
        code = int(text, 16)
        return _Class(((code, code),))


def _complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = 0
    for low, high in sorted(ranges):
        if low > start:
            out.append((start, low - 1))
        start = max(start, high + 1)
    if start <= MAX_UNICODE:
        out.append((start, MAX_UNICODE))
    return tuple(out)


def _contains(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


@lru_cache(maxsize=512)
def parse(pattern: str) -> Any:
    """The syntax tree of ``pattern`` (raises :class:`RegexSyntaxError`)."""
    return _Parser(pattern).parse()


@lru_cache(maxsize=2048)
def compiled(pattern: str) -> Any:
    """``regress.Regex(pattern)``, cached; ``None`` when regress refuses it."""
    # Unicode mode first: jsonschema-rs reads `\p{L}` as a property class, as `u` does;
    # patterns that are errors in unicode mode (`\-` outside a class) fall back to plain.
    for flags in (("u",), ()):
        try:
            return regress.Regex(pattern, *flags)
        except Exception:  # noqa: BLE001, S112 - a refusal means "cannot check here"
            continue
    return None


def search(pattern: str, text: str) -> bool | None:
    """ECMA-262 unanchored search; ``None`` when the pattern cannot be compiled.

    At bounded cost: a pattern that may backtrack catastrophically, or a long text, is
    matched by the reference's linear (or capped) engine, as the validators match it;
    regress took minutes on ``^(a*)*$`` against a drawn ``aaa...ab``.
    """
    from accord.validation.patterns import linear_search, needs_linear_engine

    regex = compiled(pattern)
    if regex is None:
        return None
    if needs_linear_engine(pattern, text):
        return linear_search(pattern, text)
    return regex.find(text) is not None


def _min_len(node: Any) -> int:
    if isinstance(node, _Class):
        return 1
    if isinstance(node, _Cat):
        return sum(_min_len(i) for i in node.items)
    if isinstance(node, _Alt):
        return min(_min_len(o) for o in node.options)
    if isinstance(node, _Rep):
        return node.low * _min_len(node.node)
    if isinstance(node, _Group):
        return _min_len(node.node)
    return 0


class _Drawer:
    def __init__(self, rng: random.Random, *, minimal: bool, extra: int) -> None:
        self.rng = rng
        self.minimal = minimal
        self.extra = extra
        self.captures: dict[int | str, str] = {}
        self.size = 0  # characters drawn so far

    def draw(self, node: Any) -> str:
        if isinstance(node, _Class):
            text = self.char(node)
            self.size += len(text)
            return text
        if isinstance(node, _Cat):
            return "".join(self.draw(i) for i in node.items)
        if isinstance(node, _Alt):
            if self.minimal or self.size > _DRAW_LIMIT:
                option = min(node.options, key=_min_len)
            else:
                option = node.options[self.rng.randrange(len(node.options))]
            return self.draw(option)
        if isinstance(node, _Rep):
            if self.minimal:
                count = node.low
            else:
                top = node.low + self.extra if node.high is None else node.high
                top = min(top, node.low + max(self.extra, _UNBOUNDED_EXTRA))
                count = self.rng.randint(node.low, max(node.low, top))
            parts: list[str] = []
            for index in range(count):
                if index >= node.low and self.size > _DRAW_LIMIT:
                    break
                parts.append(self.draw(node.node))
            return "".join(parts)
        if isinstance(node, _Group):
            text = self.draw(node.node)
            if node.index is not None:
                self.captures[node.index] = text
            if node.name is not None:
                self.captures[node.name] = text
            return text
        if isinstance(node, _Backref):
            if self.size > _DRAW_LIMIT:
                return ""  # a candidate only: `(a{5000})\1{1000}` is not copied on
            text = self.captures.get(node.ref, "")
            self.size += len(text)
            return text
        return ""

    def char(self, node: _Class) -> str:
        if not node.negated:
            if not node.ranges:
                return ""
            if self.minimal:
                low, high = node.ranges[0]
                return chr(low)
            low, high = node.ranges[self.rng.randrange(len(node.ranges))]
            if high - low > 94:  # a wide range: stay printable and friendly
                for ch in _FRIENDLY:
                    if low <= ord(ch) <= high and self.rng.random() < 0.5:
                        return ch
                high = low + 94
            return chr(self.rng.randint(low, high))
        friendly = [c for c in _FRIENDLY if not _contains(node.ranges, ord(c))]
        if friendly:
            return friendly[0] if self.minimal else friendly[self.rng.randrange(len(friendly))]
        for code in range(0x20, 0x3000):
            if not _contains(node.ranges, code):
                return chr(code)
        return ""


def anchored(pattern: str) -> tuple[bool, bool]:
    """Whether the pattern is anchored at its start and at its end (syntactically)."""
    start = pattern.startswith("^")
    end = pattern.endswith("$") and not pattern.endswith("\\$")
    return start, end


def draw(pattern: str, rng: random.Random, *, minimal: bool = False, extra: int = 0) -> str | None:
    """One string that the tree of ``pattern`` produces (not yet checked with regress)."""
    try:
        tree = parse(pattern)
    except (RegexSyntaxError, ValueError, RecursionError):
        return None
    if _min_len(tree) > MAX_WITNESS_SIZE:
        return None  # "a{1000000000}": never materialised
    return _Drawer(rng, minimal=minimal, extra=extra).draw(tree)


def matching_strings(
    pattern: str,
    rng: random.Random,
    *,
    minimal: bool,
    min_len: int = 0,
    max_len: int | None = None,
    tries: int = 12,
) -> list[str]:
    """Strings containing a match of ``pattern`` with a length in bounds, checked with regress.

    The first string is the shortest the tree gives when ``minimal``. Strings that are too
    short are padded on the unanchored side, or redrawn with longer repetitions.
    """
    out: list[str] = []
    start_anchor, end_anchor = anchored(pattern)
    extras = [0, 0, 1, 2, 3, 5, 8, 16, 32, 64]
    for attempt in range(tries):
        extra = extras[attempt % len(extras)]
        if min_len > 0 and attempt >= 2:
            extra = max(extra, min_len)
        text = draw(pattern, rng, minimal=minimal and attempt == 0, extra=extra)
        if text is None:
            break
        if not (minimal and attempt == 0) and rng.random() < 0.4:
            # The search is unanchored: text around the match is allowed, so show some.
            noise = "".join(rng.choice("xyz-_ 09Éü") for _ in range(rng.randint(1, 4)))
            if not end_anchor:
                text += noise
            elif not start_anchor:
                text = noise + text
        if len(text) < min_len:
            pad = "a" * (min_len - len(text))
            if not end_anchor:
                text += pad
            elif not start_anchor:
                text = pad + text
        if len(text) < min_len or (max_len is not None and len(text) > max_len):
            continue
        if search(pattern, text) is not False and text not in out:
            out.append(text)
            if len(out) >= 3:
                break
    return out
