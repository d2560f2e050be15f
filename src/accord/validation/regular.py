"""Regular languages over Unicode code points: decide regex inclusion and emptiness.

A JSON Schema ``pattern`` is an ECMA-262 regular expression searched anywhere in the
string (``"a"`` matches ``"bab"``; the unanchored sides are ``.*``). This module reads a
pattern the way the reference (jsonschema-rs) does, as measured on the installed release:

- the alphabet is every Unicode scalar value (code points without the surrogates, which
  no JSON string the reference reads can hold); one character is one code point;
- ``\\d`` is ``[0-9]``, ``\\w`` is ``[0-9A-Za-z_]`` (ASCII, not Unicode letters), ``\\s``
  is ECMA-262 white space and line terminators (``\\ufeff`` included); ``.`` is every
  code point except those :func:`accord.validation.probe.dot_excludes` measures
  (``\\n``, ``\\r``, ``\\u2028``, ``\\u2029`` on jsonschema-rs 0.61);
- ``^`` and ``$`` assert the start and end of the whole string (no multiline flag;
  ``$`` does not match before a final ``\\n``);
- classes, ranges, negated classes, ``*``, ``+``, ``?``, ``{n}``, ``{n,}``, ``{n,m}``
  (greedy or lazy: the language is the same), alternation, capturing, non-capturing and
  named groups, escapes ``\\t \\n \\v \\f \\r \\cX \\xHH \\uHHHH \\u{H...}`` and escaped
  syntax characters.

What is not regular, or not read the same way by every engine, raises
:class:`NotRegular` naming the construct: back-references (``\\1``, ``\\k<name>``),
lookaround (``(?=``, ``(?!``, ``(?<=``, ``(?<!``), word boundaries (``\\b``, ``\\B``:
the reference reads them Unicode-aware), Unicode property escapes (``\\p{..}``), inline
flags (``(?i)``, which the reference's Rust engine accepts and ECMA-262 does not), and
any syntax outside the list above. Callers turn that into ``unproven``.

Decisions run on the fly: a pattern compiles to a Thompson NFA whose edges carry
code-point ranges; :func:`find` explores the product of the subset automata of several
patterns breadth-first, splitting the alphabet at each product state into the ranges
on which every machine moves alike, so ``[^a]`` or ``\\S`` cost a handful of ranges,
not a million characters. The search returns the shortest string in the intersection
of the positive languages minus the negative ones (within length bounds), or ``None``
when there is none: inclusion ``A ⊆ B`` is ``find([A], [B]) is None``, and otherwise
the string found is the witness. Work is bounded by a count of product states
(:class:`Undecided` beyond it), never by time.

Formats are languages too (:data:`FORMAT_LANGUAGES`): each asserted format the
reference checks with a regular shape has an *upper* pattern (every value the
reference accepts matches it) and a *lower* one (every match is accepted). Calendar
validity is regular on four-digit years and stated exactly (the policy the reference
applies: the proleptic Gregorian calendar, 0000 a leap year, February 29 only in leap
years, each month its own last day), so ``date`` has one language. The gap left is
leap seconds: the reference accepts ``:60`` where the UTC time is 23:59; the lower
``time`` has it only with a zero offset, the upper one at any minute with another
offset. ``email``, ``ipv6`` and ``duration`` are approximated more coarsely (the
upper by their shape or alphabet, the lower by a plain subset). A writer's ``format``
is read as its upper language and a reader's as its lower one, so a proof never leans
on the gap. Nesting deeper than 100 groups and patterns unrolling into more than 20,000
NFA states raise :class:`NotRegular` (the reference refuses such nesting too).

Example::

    >>> find([compile_pattern("^[a-z0-9]+$")], [compile_pattern("^[a-z]+$")])
    '0'
    >>> find([compile_pattern("[a-z]*")], [compile_pattern("[A-Z]*")]) is None
    True
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "FORMAT_LANGUAGES",
    "NotRegular",
    "Regular",
    "Undecided",
    "compile_pattern",
    "find",
    "format_language",
    "search",
]

MAX_CODE_POINT = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)
# Product states one :func:`find` may visit before it gives up (``Undecided``).
DEFAULT_BUDGET = 5_000
# Bounded repeats are unrolled: a pattern whose unrolled NFA would exceed this many
# states is not decided (the reference refuses {1,1000000} anyway).
_MAX_NFA_STATES = 20_000

# Subset transitions one compiled pattern keeps (compiled patterns are cached).
_MAX_MOVES = 50_000

Ranges = tuple[tuple[int, int], ...]


class NotRegular(ValueError):
    """The pattern uses a construct this module does not read as a regular language."""


class Undecided(RuntimeError):
    """The search exceeded its budget of product states."""


# -- code-point sets ---------------------------------------------------------------------


def _norm(ranges: Sequence[tuple[int, int]]) -> Ranges:
    """Sorted, merged ranges with the surrogates removed."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        for a, b in _minus_surrogates(lo, hi):
            if out and a <= out[-1][1] + 1:
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
    return tuple(out)


def _minus_surrogates(lo: int, hi: int) -> list[tuple[int, int]]:
    s, e = _SURROGATES
    if hi < s or lo > e:
        return [(lo, hi)] if lo <= hi else []
    parts = []
    if lo < s:
        parts.append((lo, s - 1))
    if hi > e:
        parts.append((e + 1, hi))
    return parts


UNIVERSE: Ranges = _norm([(0, MAX_CODE_POINT)])


def _negate(ranges: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    nxt = 0
    for lo, hi in ranges:
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_CODE_POINT:
        out.append((nxt, MAX_CODE_POINT))
    return _norm(out)


def _chars(text: str) -> Ranges:
    return _norm([(ord(c), ord(c)) for c in text])


_DIGIT: Ranges = ((0x30, 0x39),)
_WORD: Ranges = _norm([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
# ECMA-262 WhiteSpace and LineTerminator (what \s means; the reference agrees).
_SPACE: Ranges = _norm(
    [
        (0x09, 0x0D),
        (0x20, 0x20),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
        (0xFEFF, 0xFEFF),
    ]
)
_CLASS_ESCAPES: dict[str, Ranges] = {
    "d": _DIGIT,
    "D": _negate(_DIGIT),
    "w": _WORD,
    "W": _negate(_WORD),
    "s": _SPACE,
    "S": _negate(_SPACE),
}
_CONTROL_ESCAPES = {"t": 0x09, "n": 0x0A, "v": 0x0B, "f": 0x0C, "r": 0x0D}
_SYNTAX = frozenset("^$\\.*+?()[]{}|/")


@lru_cache(maxsize=1)
def _dot() -> Ranges:
    from accord.validation.probe import dot_excludes

    return _negate(_chars("".join(dot_excludes())))


# -- parsing -----------------------------------------------------------------------------

# AST: ("set", Ranges) | ("cat", [nodes]) | ("alt", [nodes]) | ("rep", node, lo, hi|None)
#      | ("bol",) | ("eol",)
Ast = tuple[object, ...]


# Group nesting the recursive parser (and NFA builder) follows; deeper is refused.
_MAX_NESTING = 100


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.depth = 0

    def fail(self, what: str) -> NotRegular:
        return NotRegular(f"{what} at offset {self.i} of {self.p!r}")

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.p[j] if j < len(self.p) else ""

    def parse(self) -> Ast:
        node = self.alternation()
        if self.i != len(self.p):
            raise self.fail("unbalanced ')'")
        return node

    def alternation(self) -> Ast:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self) -> Ast:
        items: list[Ast] = []
        while self.i < len(self.p) and self.peek() not in "|)":
            atom = self.atom()
            items.append(self.quantified(atom))
        return ("cat", items)

    def quantified(self, atom: Ast) -> Ast:
        c = self.peek()
        lo: int
        hi: int | None
        if c == "*":
            lo, hi = 0, None
            self.i += 1
        elif c == "+":
            lo, hi = 1, None
            self.i += 1
        elif c == "?":
            lo, hi = 0, 1
            self.i += 1
        elif c == "{":
            got = self.braces()
            if got is None:
                raise self.fail("a '{' that is not a quantifier")
            lo, hi = got
        else:
            return atom
        if atom[0] in ("bol", "eol"):
            raise self.fail("a quantified assertion")
        if self.peek() == "?":
            self.i += 1  # lazy: the same language
        if self.peek() in ("*", "+", "?", "{"):
            raise self.fail("a quantifier after a quantifier")
        return ("rep", atom, lo, hi)

    def braces(self) -> tuple[int, int | None] | None:
        j = self.p.find("}", self.i)
        if j < 0:
            return None
        body = self.p[self.i + 1 : j]
        lo_s, comma, hi_s = body.partition(",")
        if not lo_s.isascii() or not lo_s.isdigit():
            return None
        if hi_s and (not hi_s.isascii() or not hi_s.isdigit()):
            return None
        lo = int(lo_s)
        hi = int(hi_s) if hi_s else (None if comma else lo)
        if hi is not None and hi < lo:
            raise self.fail("a quantifier {n,m} with m < n")
        self.i = j + 1
        return lo, hi

    def atom(self) -> Ast:
        c = self.peek()
        if c == "^":
            self.i += 1
            return ("bol",)
        if c == "$":
            self.i += 1
            return ("eol",)
        if c == ".":
            self.i += 1
            return ("set", _dot())
        if c == "(":
            return self.group()
        if c == "[":
            return ("set", self.char_class())
        if c == "\\":
            return ("set", self.escape(in_class=False))
        if c in "*+?{":
            raise self.fail(f"nothing to repeat before {c!r}")
        self.i += 1
        return ("set", _chars(c))

    def group(self) -> Ast:
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise self.fail(f"groups nested more than {_MAX_NESTING} deep")
        self.i += 1
        if self.peek() == "?":
            nxt = self.peek(1)
            if nxt == ":":
                self.i += 2
            elif nxt == "<" and self.peek(2) not in ("=", "!"):
                j = self.p.find(">", self.i)
                name = self.p[self.i + 2 : j] if j > 0 else ""
                if not name or not (name.replace("_", "a").replace("$", "a").isalnum()):
                    raise self.fail("a group name this reader does not take")
                self.i = j + 1
            elif nxt in ("=", "!") or (nxt == "<" and self.peek(2) in ("=", "!")):
                raise self.fail("lookaround")
            else:
                raise self.fail("an inline flag or group modifier")
        inner = self.alternation()
        if self.peek() != ")":
            raise self.fail("an unclosed group")
        self.i += 1
        self.depth -= 1
        return inner

    def char_class(self) -> Ranges:
        self.i += 1
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        parts: list[tuple[int, int]] = []
        first = True
        while True:
            c = self.peek()
            if not c:
                raise self.fail("an unclosed class")
            if c == "]":
                if first:
                    raise self.fail("an empty class")
                self.i += 1
                break
            first = False
            lo_set = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                hi_set = self.class_atom()
                if len(lo_set) != 1 or len(hi_set) != 1:
                    raise self.fail("a range bounded by a class escape")
                a, b = lo_set[0][0], hi_set[0][0]
                if lo_set[0][0] != lo_set[0][1] or hi_set[0][0] != hi_set[0][1] or b < a:
                    raise self.fail("a range out of order")
                parts.append((a, b))
            else:
                parts.extend(lo_set)
        ranges = _norm(parts)
        return _negate(ranges) if negated else ranges

    def class_atom(self) -> Ranges:
        c = self.peek()
        if c == "\\":
            return self.escape(in_class=True)
        if c == "[":
            raise self.fail("a '[' inside a class (set notation differs between engines)")
        self.i += 1
        return _chars(c)

    def escape(self, *, in_class: bool) -> Ranges:
        self.i += 1
        c = self.peek()
        if not c:
            raise self.fail("a trailing backslash")
        self.i += 1
        if c in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[c]
        if c in _CONTROL_ESCAPES:
            return ((_CONTROL_ESCAPES[c], _CONTROL_ESCAPES[c]),)
        if c in _SYNTAX or c == "-":
            return _chars(c)
        if c == "c":
            x = self.peek()
            if x.isascii() and x.isalpha():
                self.i += 1
                return ((ord(x) % 32, ord(x) % 32),)
            raise self.fail("a '\\c' without a control letter")
        if c == "x":
            return self.hex_digits(2)
        if c == "u":
            if self.peek() == "{":
                j = self.p.find("}", self.i)
                digits = self.p[self.i + 1 : j] if j > 0 else ""
                if not digits or any(d not in "0123456789abcdefABCDEF" for d in digits):
                    raise self.fail("a bad \\u{...} escape")
                cp = int(digits, 16)
                self.i = j + 1
                return self.code_point(cp)
            return self.hex_digits(4)
        if c.isdigit():
            raise self.fail("a back-reference or octal escape")
        if c == "k":
            raise self.fail("a named back-reference")
        if c in "bB":
            raise self.fail("a word boundary")
        if c in "pP":
            raise self.fail("a Unicode property escape")
        raise self.fail(f"the escape '\\{c}'")

    def hex_digits(self, n: int) -> Ranges:
        digits = self.p[self.i : self.i + n]
        if len(digits) != n or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise self.fail("a bad hexadecimal escape")
        self.i += n
        return self.code_point(int(digits, 16))

    def code_point(self, cp: int) -> Ranges:
        if cp > MAX_CODE_POINT or _SURROGATES[0] <= cp <= _SURROGATES[1]:
            raise self.fail("a surrogate or out-of-range code point")
        return ((cp, cp),)


# -- Thompson NFA ------------------------------------------------------------------------

_EPS, _BOL, _EOL = 0, 1, 2


class _Nfa:
    def __init__(self) -> None:
        self.edges: list[list[tuple[Ranges, int]]] = []
        self.eps: list[list[tuple[int, int]]] = []

    def state(self) -> int:
        if len(self.edges) >= _MAX_NFA_STATES:
            raise NotRegular("the pattern unrolls into too many states")
        self.edges.append([])
        self.eps.append([])
        return len(self.edges) - 1

    def build(self, node: Ast, start: int) -> int:
        """Add ``node`` from ``start``; return its end state."""
        kind = node[0]
        if kind == "set":
            end = self.state()
            self.edges[start].append((node[1], end))  # type: ignore[arg-type]
            return end
        if kind in ("bol", "eol"):
            end = self.state()
            self.eps[start].append((_BOL if kind == "bol" else _EOL, end))
            return end
        if kind == "cat":
            cur = start
            for item in node[1]:  # type: ignore[attr-defined]
                cur = self.build(item, cur)
            return cur
        if kind == "alt":
            end = self.state()
            for branch in node[1]:  # type: ignore[attr-defined]
                s = self.state()
                self.eps[start].append((_EPS, s))
                self.eps[self.build(branch, s)].append((_EPS, end))
            return end
        _, inner, lo, hi = node
        assert isinstance(lo, int)
        cur = start
        for _ in range(lo):
            cur = self.build(inner, cur)  # type: ignore[arg-type]
        if hi is None:
            loop = self.state()
            self.eps[cur].append((_EPS, loop))
            self.eps[self.build(inner, loop)].append((_EPS, loop))  # type: ignore[arg-type]
            return loop
        assert isinstance(hi, int)
        end = self.state()
        self.eps[cur].append((_EPS, end))
        for _ in range(hi - lo):
            cur = self.build(inner, cur)  # type: ignore[arg-type]
            self.eps[cur].append((_EPS, end))
        return end


_ALL = frozenset({-1})  # the search has matched: every continuation is accepted


@dataclass(frozen=True, eq=False)
class Regular:
    """One pattern as a search automaton (unanchored on both sides unless ``^``/``$``)."""

    pattern: str
    nfa: _Nfa
    start: int
    final: int
    # Subset-automaton transitions already computed: (state, code point) -> state.
    _moves: dict[tuple[frozenset[int], int], frozenset[int]] = field(
        default_factory=dict, repr=False
    )

    def _closure(self, states: set[int], *, at_start: bool, at_end: bool) -> frozenset[int]:
        stack = list(states)
        seen = set(states)
        eps = self.nfa.eps
        while stack:
            s = stack.pop()
            for kind, t in eps[s]:
                if kind == _BOL and not at_start:
                    continue
                if kind == _EOL and not at_end:
                    continue
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return frozenset(seen)

    def initial(self) -> frozenset[int]:
        got = self._closure({self.start}, at_start=True, at_end=False)
        return _ALL if self.final in got else got

    def step(self, state: frozenset[int], cp: int) -> frozenset[int]:
        if state is _ALL:
            return _ALL
        key = (state, cp)
        hit = self._moves.get(key)
        if hit is None:
            if len(self._moves) >= _MAX_MOVES:  # a cache, not a leak: start again
                self._moves.clear()
            hit = self._moves[key] = self._step(state, cp)
        return hit

    def _step(self, state: frozenset[int], cp: int) -> frozenset[int]:
        moved = {self.start}  # a search may begin at any position
        edges = self.nfa.edges
        for s in state:
            for ranges, t in edges[s]:
                if _contains(ranges, cp):
                    moved.add(t)
        got = self._closure(moved, at_start=False, at_end=False)
        return _ALL if self.final in got else got

    def accepts_at_end(self, state: frozenset[int], *, at_start: bool) -> bool:
        if state is _ALL:
            return True
        return self.final in self._closure(set(state), at_start=at_start, at_end=True)

    def bounds(self, state: frozenset[int], out: set[int]) -> None:
        """Add the range boundaries of ``state``'s edges (lo and hi+1) to ``out``."""
        if state is _ALL:
            return
        edges = self.nfa.edges
        for s in state:
            for ranges, _t in edges[s]:
                for lo, hi in ranges:
                    out.add(lo)
                    out.add(hi + 1)

    def matches(self, text: str) -> bool:
        """Whether the search finds the pattern in ``text`` (for tests and witnesses)."""
        state = self.initial()
        for ch in text:
            state = self.step(state, ord(ch))
        return self.accepts_at_end(state, at_start=not text)


def _contains(ranges: Ranges, cp: int) -> bool:
    i = bisect.bisect_right(ranges, (cp, MAX_CODE_POINT + 1)) - 1
    return i >= 0 and ranges[i][0] <= cp <= ranges[i][1]


@lru_cache(maxsize=2048)
def compile_pattern(pattern: str) -> Regular:
    """``pattern`` (ECMA-262, as the reference reads it) as a search automaton.

    Raises:
        NotRegular: for back-references, lookaround, word boundaries, property escapes,
            inline flags and any syntax outside the documented subset.
    """
    ast = _Parser(pattern).parse()
    nfa = _Nfa()
    start = nfa.state()
    final = nfa.build(ast, start)
    return Regular(pattern, nfa, start, final)


# -- the product search ------------------------------------------------------------------

# Characters a witness prefers, so examples read well ("a", "0" before "\x00").
_PREFERRED = tuple(ord(c) for c in "a0A_-. zZ9b1")


def _pick(lo: int, hi: int) -> int:
    for cp in _PREFERRED:
        if lo <= cp <= hi:
            return cp
    if lo < 0x21 <= hi:
        return 0x21
    return lo


def _rank(cp: int) -> tuple[int, int]:
    """Readable characters first, so the shortest witness found also reads well."""
    if cp in _PREFERRED:
        return (0, _PREFERRED.index(cp))
    if 0x21 <= cp < 0x7F:
        return (1, cp)
    if cp >= 0xA1:
        return (2, cp)
    return (3, cp)


def find(
    positive: Sequence[Regular],
    negative: Sequence[Regular] = (),
    *,
    min_len: int = 0,
    max_len: int | None = None,
    budget: int = DEFAULT_BUDGET,
) -> str | None:
    """The shortest string every ``positive`` search accepts and no ``negative`` one
    does, with ``min_len <= len <= max_len`` code points; ``None`` if there is none.

    Example: ``find([compile_pattern("^[a-z0-9]+$")], [compile_pattern("^[a-z]+$")])``
    is ``"0"``; swapped, ``None`` (inclusion holds).

    Raises:
        Undecided: when more than ``budget`` product states would be explored.
    """
    return search(positive, negative, min_len=min_len, max_len=max_len, budget=budget)[0]


def search(
    positive: Sequence[Regular],
    negative: Sequence[Regular] = (),
    *,
    min_len: int = 0,
    max_len: int | None = None,
    budget: int = DEFAULT_BUDGET,
) -> tuple[str | None, int]:
    """:func:`find`, and how many product states it explored (its cost, which callers
    with a step budget of their own charge)."""
    machines = [*positive, *negative]
    npos = len(positive)
    # Length 0 only at the start (whose closure follows ``^``), hence at least 1.
    cap = max(min_len, (max_len + 1) if max_len is not None else 0, 1)
    init = tuple(m.initial() for m in machines)
    start = (init, 0)
    parent: dict[tuple[tuple[frozenset[int], ...], int], tuple[object, int] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        states, length = node
        if _dead(states, npos):
            continue
        first = length == 0
        if (
            length >= min_len
            and all(
                m.accepts_at_end(s, at_start=first)
                for m, s in zip(machines[:npos], states[:npos], strict=True)
            )
            and not any(
                m.accepts_at_end(s, at_start=first)
                for m, s in zip(machines[npos:], states[npos:], strict=True)
            )
        ):
            return _spell(parent, node), len(parent)
        if max_len is not None and length >= max_len:
            continue
        points: set[int] = {0}
        for m, s in zip(machines, states, strict=True):
            m.bounds(s, points)
        cuts = sorted(p for p in points if p <= MAX_CODE_POINT)
        cuts.append(MAX_CODE_POINT + 1)
        nlen = min(length + 1, cap)
        picks = sorted(
            (
                _pick(lo, hi)
                for a, b in itertools.pairwise(cuts)
                for lo, hi in _minus_surrogates(a, b - 1)
            ),
            key=_rank,
        )
        for cp in picks:
            nxt = (tuple(m.step(s, cp) for m, s in zip(machines, states, strict=True)), nlen)
            if nxt not in parent:
                if len(parent) >= budget:
                    raise Undecided(f"more than {budget} automaton states")
                parent[nxt] = (node, cp)
                queue.append(nxt)
    return None, len(parent)


def _dead(states: tuple[frozenset[int], ...], npos: int) -> bool:
    # A positive search that has lost every thread cannot recover (its start state is
    # re-added at each step, so only an anchored pattern dies), and a negative search
    # that has matched accepts every continuation.
    for i, s in enumerate(states):
        if i < npos and not s:
            return True
        if i >= npos and s is _ALL:
            return True
    return False


def _spell(
    parent: dict[tuple[tuple[frozenset[int], ...], int], tuple[object, int] | None], node: object
) -> str:
    out: list[str] = []
    cur = parent[node]  # type: ignore[index]
    while cur is not None:
        prev, cp = cur
        out.append(chr(cp))
        cur = parent[prev]  # type: ignore[index]
    return "".join(reversed(out))


# -- formats as languages ----------------------------------------------------------------

# A four-digit leap year of the proleptic Gregorian calendar (0000 included), as the
# reference reads years: divisible by 4, and by 400 when it ends a century.
LEAP_YEAR = r"(?:\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
# Month and day pairs every year has, by month length.
MONTH_DAYS = (
    (r"(?:0[13578]|1[02])", r"(?:0[1-9]|[12]\d|3[01])"),
    (r"(?:0[469]|11)", r"(?:0[1-9]|[12]\d|30)"),
    ("02", r"(?:0[1-9]|1\d|2[0-8])"),
)
_DATE = r"(?:\d{4}-(?:" + "|".join(f"{m}-{d}" for m, d in MONTH_DAYS) + rf")|{LEAP_YEAR}-02-29)"
_HOUR = r"(?:[01]\d|2[0-3])"
_FRAC = r"(?:\.\d+)?"
_OFFSET = rf"(?:[Zz]|[+-]{_HOUR}:[0-5]\d)"
_NONZERO_OFFSET = r"[+-](?:(?:0[1-9]|1\d|2[0-3]):[0-5]\d|00:(?:0[1-9]|[1-5]\d))"
# A leap second is valid where its UTC time is 23:59: exactly that with a zero offset;
# with another offset the local minute follows from it (the upper language takes any).
_TIME_PLAIN = rf"{_HOUR}:[0-5]\d:[0-5]\d{_FRAC}{_OFFSET}"
_LEAP_UTC = rf"23:59:60{_FRAC}(?:[Zz]|[+-]00:00)"
_TIME_LOWER = rf"(?:{_TIME_PLAIN}|{_LEAP_UTC})"
_TIME_UPPER = rf"(?:{_TIME_PLAIN}|{_LEAP_UTC}|{_HOUR}:[0-5]\d:60{_FRAC}{_NONZERO_OFFSET})"
_HEX = "[0-9a-fA-F]"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"

# name -> (upper, lower): full-match ECMA-262 bodies (anchored below).
FORMAT_LANGUAGES: dict[str, tuple[str, str]] = {
    "date": (_DATE, _DATE),
    "time": (_TIME_UPPER, _TIME_LOWER),
    "date-time": (rf"{_DATE}[Tt]{_TIME_UPPER}", rf"{_DATE}[Tt]{_TIME_LOWER}"),
    "uuid": (
        rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}",
        rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}",
    ),
    "ipv4": (_IPV4, _IPV4),
    # Upper: the characters an IPv6 address may hold; lower: the full eight groups,
    # "::" and IPv4-mapped addresses.
    "ipv6": (
        r"[0-9a-fA-F:.]{2,45}",
        rf"(?:{_HEX}{{1,4}}:){{7}}{_HEX}{{1,4}}|::(?:ffff:{_IPV4})?",
    ),
    # Upper: an "@" between two non-empty parts (display forms such as "A <a@x.com>"
    # included); lower: plain ASCII local parts at a plain domain.
    "email": (r"[\s\S]+@[\s\S]+", r"[a-z0-9]{1,20}@[a-z]{1,20}(?:\.[a-z]{2,10})?"),
    # Upper: "P" then the designators' alphabet; lower: days, or whole weeks.
    "duration": (r"P[0-9YMWDTHS.,]+", r"P\d{1,9}(?:D|W)"),
}


@lru_cache(maxsize=64)
def format_language(name: str, *, upper: bool) -> Regular | None:
    """The regular upper (``upper=True``) or lower approximation of ``format``, if any."""
    pair = FORMAT_LANGUAGES.get(name)
    if pair is None:
        return None
    return compile_pattern(f"^(?:{pair[0] if upper else pair[1]})$")
