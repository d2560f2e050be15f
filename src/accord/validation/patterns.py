"""ECMA-262 patterns at bounded cost: how the explaining backend reads a pattern the
way the installed reference does, whether a pattern can backtrack
catastrophically, and matching with the reference's linear (or capped) engine.
Shared by the validator, the backend choice (``backends``) and consumer matchers;
``backends`` and ``validator`` therefore do not import each other both ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from accord.validation.offline import rs_declared_validator, rs_validator

# Backtracking cost is bounded by the pattern's shape (see _backtracks) and the text's
# length; longer texts are matched by the reference's linear-time engine.
_REGRESS_MAX_TEXT = 1000

# The reference's fancy-regex engine (only patterns with backreferences or lookaround
# use it) gives up after this many backtracking steps.
_BACKTRACK_LIMIT = 100_000


def _reference_validator(
    schema: Any, dialect: str | None = None, *, capped: bool = True, **options: Any
) -> Any:
    """jsonschema-rs for ``schema``, offline, with a backtracking cap where it has one:
    2020-12, or ``dialect`` when given (a document decided in its declared dialect).

    ``capped=False`` (the caller proved, with :func:`may_backtrack`, that fancy-regex
    runs none of the schema's patterns on its backtracking engine): the reference's
    default options, where the cap would never be read and patterns compile faster.
    """

    def build(**more: Any) -> Any:
        if dialect is None:
            return rs_validator(schema, **options, **more)
        return rs_declared_validator(schema, dialect, **options, **more)

    if not capped:
        return build()
    capped_options = _pattern_options()
    if capped_options:
        try:
            return build(**capped_options)
        except TypeError:  # a release without pattern_options: its defaults, then
            pass
    return build()


def _pattern_options() -> dict[str, Any]:
    """The reference's regex engine with a backtracking cap, where the release has one."""
    import jsonschema_rs

    options = getattr(jsonschema_rs, "FancyRegexOptions", None)
    if options is None:
        return {}
    try:
        return {"pattern_options": options(backtrack_limit=_BACKTRACK_LIMIT)}
    except TypeError:
        return {}


# What fancy-regex may run on its backtracking engine, as it appears in JSON text:
# lookaround, atomic groups, conditionals, flags and every other "(?" group but "(?:",
# and verbs "(*"; possessive quantifiers; an escape (its backslash written \\ in JSON
# text) of anything but a class shorthand, a control-character letter or punctuation
# (backreferences, word boundaries, \K, \G, \Z, \R, \p, ...); and a \u escape, which
# could spell any of them. Any other pattern fancy-regex hands whole to the linear regex
# crate, where no backtracking step is ever counted. One search each: a pattern that
# starts with a literal is searched for that byte first, an alternation is not.
# Compiled on first use (a start that reads the load snapshot has the answers).
@cache
def _backtracking_syntax() -> tuple[re.Pattern[bytes], ...]:
    return (
        re.compile(rb"\((?:\?(?!:)|\*)"),
        re.compile(rb"\+(?<=[+*?}]\+)"),
        re.compile(rb"\\\\(?![dDwWsSnrtfv.^$*+?()\[\]{}|/\"\\-])"),
        re.compile(rb"\\u"),
    )


def may_backtrack(text: bytes) -> bool:
    """Whether the JSON text of a schema may hold a pattern (a ``pattern`` value, a
    ``patternProperties`` key) the reference matches with its backtracking engine, the
    only one its backtracking cap applies to.

    Conservative: any string is read as a pattern (a description, a ``const``), an
    escaped backslash followed by a letter counts as an escape, and a ``\\u`` escape
    (which could spell anything) counts as backtracking syntax.
    """
    return any(syntax.search(text) is not None for syntax in _backtracking_syntax())


def _as_reference_reads(pattern: str) -> str:
    """``pattern`` rewritten where regress (ECMA-262) and the reference read it apart.

    The reference's ``.`` is measured on the installed jsonschema-rs
    (:func:`accord.validation.probe.dot_class`: before 0.61 it matched everything but ``\\n``;
    0.61 follows ECMA-262), and an unescaped ``.`` outside a class becomes that class.
    Its ``\\b``/``\\B`` are Unicode-aware (``é`` is a word character) and no rewrite
    reproduces them: there the explaining backend may find nothing wrong, and
    :meth:`Validator._explain` reports the reference's errors. Whether the rewrite
    really agrees is probed per pattern before this backend may *decide*
    (:func:`accord.validation.backends.python_refusals`).
    """
    from accord.validation.probe import dot_class

    dot = dot_class() or "."
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == ".":
            char = dot
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> Any:
    from accord.validation.dialect import compile_pattern

    return compile_pattern(_as_reference_reads(pattern))


def search(pattern: str, text: str) -> bool:
    """Whether ECMA-262 ``pattern`` matches somewhere in ``text``, at bounded cost.

    ``regress`` backtracks, so it runs only patterns that cannot backtrack
    catastrophically (:func:`backtracks`) on texts of at most ``_REGRESS_MAX_TEXT``
    characters; anything else is matched by the reference (jsonschema-rs: the linear
    ``regex`` crate, or fancy-regex with a backtracking cap), which decides validity
    anyway. A risky pattern the reference cannot compile matches nothing (fail closed).
    """
    if needs_linear_engine(pattern, text):
        return linear_search(pattern, text)
    return bool(_regex(pattern).find(text) is not None)


_search = search


# The letters ECMA-262 (without the ``u`` flag) gives an escape of its own meaning; an
# escape of any other ASCII letter is an identity escape there (``\\A`` is ``A``), which
# regress follows, while the reference's engine (and Java's, Ruby's, PCRE's) reads
# ``\\A``, ``\\z``, ``\\Z``, ``\\p{L}``, ``\\h``, ``\\Q`` as an anchor, a class or a quote.
_LETTER_ESCAPES = frozenset("bBdDwWsSfnrtv")
_HEX = frozenset("0123456789abcdefABCDEF")
_NAMED_GROUP = re.compile(r"\(\?<[A-Za-z_$]")


def undefined_letter_escape(pattern: str) -> str | None:
    """The first escape in ``pattern`` of an ASCII letter ECMA-262 does not define
    (``\\A``, ``\\z``, ``\\p``, or ``\\x`` not followed by two hex digits), or
    ``None``: regress reads it as the letter itself, the reference otherwise, so no one
    meaning can be given to such a pattern but the reference's."""
    named_groups = _NAMED_GROUP.search(pattern) is not None
    i = 0
    while i < len(pattern) - 1:
        if pattern[i] != "\\":
            i += 1
            continue
        c, rest = pattern[i + 1], pattern[i + 2 :]
        defined = (
            not c.isascii()
            or not c.isalpha()
            or c in _LETTER_ESCAPES
            or (c == "c" and rest[:1].isascii() and rest[:1].isalpha())
            or (c == "x" and len(rest) >= 2 and set(rest[:2]) <= _HEX)
            or (c == "u" and len(rest) >= 4 and set(rest[:4]) <= _HEX)
            or (c == "k" and rest.startswith("<") and named_groups)
        )
        if not defined:
            return f"\\{c}"
        i += 2
    return None


def needs_linear_engine(pattern: str, text: str) -> bool:
    """Whether matching ``pattern`` on ``text`` with a backtracking engine is unsafe."""
    return len(text) > _REGRESS_MAX_TEXT or backtracks(pattern)


def linear_search(pattern: str, text: str) -> bool:
    """``pattern`` searched in ``text`` by the reference's engine (linear or capped).

    ``False`` when the reference cannot compile the pattern (too big for its size
    limit, say): callers use it for payloads they refuse unless proven fine.
    """
    matcher = _reference_matcher(pattern)
    return matcher is not None and bool(matcher(text))


def reference_reads(pattern: str) -> bool:
    """Whether the reference's engine compiles ``pattern`` (it matches what
    :func:`needs_linear_engine` sends it; a pattern it cannot read matches nothing)."""
    return _reference_matcher(pattern) is not None


@lru_cache(maxsize=1024)
def _reference_matcher(pattern: str) -> Callable[[str], bool] | None:
    import jsonschema_rs

    try:
        compiled = _reference_validator({"pattern": pattern})
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError):
        return None
    check: Callable[[str], bool] = compiled.is_valid
    return check


_QUANTIFIERS = frozenset("*+{")


@lru_cache(maxsize=4096)
def backtracks(pattern: str) -> bool:
    """Whether a backtracking engine could take more than linear time on ``pattern``.

    Conservative, on the pattern's shape: a backreference; a group repeated by ``*``,
    ``+`` or ``{..}`` that holds a quantifier or an alternation (``(a+)+``,
    ``(a|aa)*``); or two unbounded quantifiers (``a*a*b``, polynomial on a miss).
    """
    unbounded = 0
    groups: list[bool] = []  # per open group: does it hold a quantifier or "|"?
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
        if char == "\\":
            if (nxt.isdigit() and nxt != "0") or nxt == "k":
                return True
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            groups.append(False)
            if nxt == "?":  # (?: (?= (?! (?<= (?<name>: not a quantifier
                i += 1
        elif char == ")":
            inner = groups.pop() if groups else False
            if nxt in _QUANTIFIERS and inner:
                return True
            if groups:
                groups[-1] = groups[-1] or inner
        elif char == "|" and groups:
            groups[-1] = True
        elif char in "*+?" or (char == "{" and nxt.isdigit()):
            if char in "*+" or (char == "{" and pattern.find("}", i) > pattern.find(",", i) > i):
                unbounded += 1
                if unbounded > 1:
                    return True
            if groups:
                groups[-1] = True
        i += 1
    return False


def pattern_search(pattern: str) -> Callable[[str], bool]:
    """How the explaining backend answers "does ``pattern`` match in ``text``?".

    Raises whatever regress raises for a pattern it cannot compile.
    """
    _regex(pattern)
    return lambda text: _search(pattern, text)
