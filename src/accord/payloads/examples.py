"""Small value factories for the refuter: strings for a regex, samples for a format."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["FORMAT_SAMPLES", "pattern_examples"]

FORMAT_SAMPLES: dict[str, list[str]] = {
    "date-time": ["2024-01-01T00:00:00Z"],
    "date": ["2024-01-01"],
    "time": ["00:00:00Z"],
    "duration": ["P1D"],
    "email": ["x@y.z"],
    "idn-email": ["x@y.z"],
    "hostname": ["example.com"],
    "idn-hostname": ["example.com"],
    "ipv4": ["192.168.0.1"],
    "ipv6": ["::1"],
    "uri": ["https://example.com/x"],
    "uri-reference": ["/x"],
    "iri": ["https://example.com/x"],
    "iri-reference": ["/x"],
    "uuid": ["123e4567-e89b-12d3-a456-426614174000"],
    "uri-template": ["/x/{id}"],
    "json-pointer": ["/a"],
    "relative-json-pointer": ["0/a"],
    "regex": ["^a$"],
}

_CLASS_ESCAPES = {
    "d": ["0", "1"],
    "D": ["a", "-"],
    "w": ["a", "Z"],
    "W": ["-", " "],
    "s": [" ", "\t"],
    "S": ["a", "1"],
}


@dataclass
class _Node:
    kind: str  # "lit", "alt", "seq", "rep"
    options: list[str] = field(default_factory=list)  # for "lit": candidate characters
    children: list[_Node] = field(default_factory=list)
    lo: int = 1
    hi: int | None = 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.t = text
        self.i = 0

    def peek(self) -> str | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def alt(self) -> _Node:
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return branches[0] if len(branches) == 1 else _Node("alt", children=branches)

    def seq(self) -> _Node:
        items: list[_Node] = []
        while self.peek() not in (None, "|", ")"):
            atom = self.atom()
            if atom is None:
                continue
            items.append(self.quant(atom))
        return _Node("seq", children=items)

    def quant(self, atom: _Node) -> _Node:
        c = self.peek()
        lo: int
        hi: int | None
        if c == "*":
            lo, hi = 0, None
        elif c == "+":
            lo, hi = 1, None
        elif c == "?":
            lo, hi = 0, 1
        elif c == "{":
            end = self.t.find("}", self.i)
            body = self.t[self.i + 1 : end] if end > 0 else ""
            parts = body.split(",")
            if end < 0 or not parts[0].isdigit():
                return atom
            lo = int(parts[0])
            hi = lo if len(parts) == 1 else (int(parts[1]) if parts[1].isdigit() else None)
            self.i = end
        else:
            return atom
        self.i += 1
        if self.peek() == "?":
            self.i += 1
        return _Node("rep", children=[atom], lo=lo, hi=hi)

    def atom(self) -> _Node | None:
        c = self.t[self.i]
        self.i += 1
        if c in "^$":
            return None
        if c == "(":
            if self.t.startswith("?:", self.i):
                self.i += 2
            elif self.t.startswith("?<", self.i) and self.t[self.i + 2 : self.i + 3] not in "=!":
                self.i = self.t.index(">", self.i) + 1
            elif self.peek() == "?":
                raise ValueError("lookaround")
            inner = self.alt()
            if self.peek() != ")":
                raise ValueError("unbalanced")
            self.i += 1
            return inner
        if c == "[":
            return _Node("lit", options=self.char_class())
        if c == ".":
            return _Node("lit", options=["a", "b"])
        if c == "\\":
            e = self.t[self.i]
            self.i += 1
            if e in _CLASS_ESCAPES:
                return _Node("lit", options=_CLASS_ESCAPES[e])
            if e in "bB":
                return None
            return _Node("lit", options=[{"n": "\n", "t": "\t", "r": "\r"}.get(e, e)])
        return _Node("lit", options=[c])

    def char_class(self) -> list[str]:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        chars: list[str] = []
        first = True
        while self.peek() is not None and (self.peek() != "]" or first):
            first = False
            c = self.t[self.i]
            self.i += 1
            if c == "\\":
                e = self.t[self.i]
                self.i += 1
                chars.extend(_CLASS_ESCAPES.get(e, [e]))
                continue
            if self.peek() == "-" and self.i + 1 < len(self.t) and self.t[self.i + 1] != "]":
                end = self.t[self.i + 1]
                self.i += 2
                chars.extend([c, chr(ord(c) + 1)] if ord(end) > ord(c) else [c])
                chars.append(end)
                continue
            chars.append(c)
        self.i += 1  # the closing bracket
        if negated:
            pool = [x for x in "aZ0_-. " if x not in chars]
            return pool[:2] or ["\u00e9"]
        seen: dict[str, None] = dict.fromkeys(chars)
        return list(seen)


def _gen(node: _Node, reps: str, pick: int) -> str:
    if node.kind == "lit":
        return node.options[min(pick, len(node.options) - 1)]
    if node.kind == "seq":
        return "".join(_gen(c, reps, pick) for c in node.children)
    if node.kind == "alt":
        return _gen(node.children[min(pick, len(node.children) - 1)], reps, pick)
    lo, hi = node.lo, node.hi
    if reps == "min":
        n = lo
    elif reps == "more":
        n = lo + 1 if hi is None or lo + 1 <= hi else lo
    else:
        n = hi if hi is not None else lo + 3
    return "".join(_gen(node.children[0], reps, pick) for _ in range(min(n, 64)))


def pattern_examples(pattern: str) -> list[str]:
    """A few strings built from a regex (not all need to match; callers check)."""
    try:
        tree = _Parser(pattern).alt()
    except (ValueError, IndexError):
        return []
    out: dict[str, None] = {}
    for reps in ("min", "more", "max"):
        for pick in (0, 1):
            s = _gen(tree, reps, pick)
            out[s] = None
            if not pattern.startswith("^"):
                out["b" + s] = None
            if not pattern.endswith("$"):
                out[s + "b"] = None
    out.update(dict.fromkeys(_automaton_examples(pattern)))
    return list(out)


# Product states each automaton example may cost: examples are candidates, not proofs.
_EXAMPLE_BUDGET = 200


@lru_cache(maxsize=1024)
def _automaton_examples(pattern: str) -> tuple[str, ...]:
    """Members of ``pattern``'s language at a few lengths and its shortest non-member,
    from the automata (:mod:`accord.validation.regular`); none where they cannot tell."""
    from accord.validation.regular import NotRegular, Undecided, compile_pattern, find

    try:
        rx = compile_pattern(pattern)
        found = [find([rx], min_len=k, budget=_EXAMPLE_BUDGET) for k in (0, 3, 8)]
        found.append(find([], [rx], budget=_EXAMPLE_BUDGET))
    except (NotRegular, Undecided):
        return ()
    return tuple(s for s in found if s is not None)
