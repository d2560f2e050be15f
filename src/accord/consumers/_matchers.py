"""Matcher semantics: field paths, checking concrete values, translation to JSON Schema.

A *field* is a matcher bound to a JSON path (``$.items[*].sku``) plus two modifiers
Pact has no word for: ``optional`` (the key may be absent) and ``nullable`` (the value
may be ``null``; Pact can only combine a ``null`` matcher with ``OR``). A *matcher* is
``{"match": kind, ...parameters}`` (kinds in :data:`KINDS`).

Two meanings live here and must agree:

- :func:`check_fields` decides whether a concrete payload satisfies the fields, with
  Pact's semantics where they differ from JSON Schema: ``regex`` matches the whole
  string (and the JSON text of a number or boolean); ``integer`` rejects ``2.0``;
  ``decimal`` rejects ``42``; a literal without a matcher (``equals`` with
  ``pinned``) is exact; extra keys pass in what a consumer reads and fail in request
  bodies it writes.
- :func:`translate` turns fields into a JSON Schema for the compatibility engine, and
  says where the translation is not exact: ``over`` (the schema allows more than the
  matcher: a proof that the provider's payloads all satisfy it would be unsound) or
  ``under`` (it allows less: a proof that the consumer's payloads all satisfy the
  provider would be unsound). Static verification re-checks every witness with
  :func:`check_fields`, so an inexact translation can make a verdict undecided, never
  wrong. The translation reads numbers mathematically, as every accord verdict does
  (``2.0`` is the integer 2); the lexical distinction is kept for concrete payloads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from accord.core.text import plural
from accord.core.values import json_type
from accord.errors import DocumentError

__all__ = [
    "KINDS",
    "MAX_PATH_INDEX",
    "SEMVER_REGEX",
    "Mismatch",
    "PathToken",
    "Translation",
    "check_fields",
    "check_matcher",
    "format_path",
    "json_kind",
    "parse_path",
    "path_to_pointer",
    "pointer_overlaps",
    "regex_problem",
    "translate",
]

Role = Literal["reads", "writes"]

#: Every matcher kind of the expectation format and the parameters it takes.
KINDS: dict[str, tuple[str, ...]] = {
    "like": ("example",),
    "any": (),
    "string": (),
    "number": (),
    "integer": (),
    "decimal": (),
    "boolean": (),
    "null": (),
    "object": (),
    "array": ("min", "max"),
    "equals": ("value",),
    "regex": ("regex",),
    "enum": ("values",),
    "date": ("format",),
    "time": ("format",),
    "datetime": ("format",),
    "include": ("value",),
    "not_empty": (),
    "semver": (),
    "content_type": ("value",),
    "each_key": ("matchers",),
    "each_value": ("matchers",),
    "array_contains": ("variants",),
    "one_of": ("matchers",),
    "all_of": ("matchers",),
}

SEMVER_REGEX = (
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)

# -- paths ---------------------------------------------------------------------------

# A token: ("key", name), ("index", n), ("items", None) for [*], ("keys", None) for .*
PathToken = tuple[str, Any]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

#: The largest array index a field path may name. Readers build arrays that long (the
#: schema translation's ``prefixItems``, examples in Pact export and the stub); 10**9
#: exhausted memory. Witnesses stop at 10000 items too.
MAX_PATH_INDEX = 9_999


def parse_path(text: str, *, file: str | None = None, pointer: str = "") -> tuple[PathToken, ...]:
    """Parse ``$.a.b[*].c['odd key'][0].*`` into tokens.

    Raises:
        DocumentError: code ``expectation-bad-path``.
    """

    def bad(why: str) -> DocumentError:
        return DocumentError(
            f"bad field path {text!r}: {why}",
            code="expectation-bad-path",
            file=file,
            pointer=pointer,
        )

    if not text.startswith("$"):
        raise bad("a path starts with '$'")
    tokens: list[PathToken] = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == ".":
            if text.startswith(".*", i):
                tokens.append(("keys", None))
                i += 2
                continue
            m = _IDENT.match(text, i + 1)
            if not m:
                raise bad(f"expected a name after '.' at offset {i}")
            tokens.append(("key", m.group(0)))
            i = m.end()
        elif ch == "[":
            if text.startswith("[*]", i):
                tokens.append(("items", None))
                i += 3
            elif i + 1 < len(text) and text[i + 1] in "'\"":
                quote = text[i + 1]
                j = i + 2
                buf: list[str] = []
                while j < len(text) and text[j] != quote:
                    if text[j] == "\\" and j + 1 < len(text):
                        j += 1
                    buf.append(text[j])
                    j += 1
                if not text.startswith(quote + "]", j):
                    raise bad(f"unterminated quoted name at offset {i}")
                tokens.append(("key", "".join(buf)))
                i = j + 2
            else:
                end = text.find("]", i)
                inner = text[i + 1 : end] if end > 0 else ""
                if not (inner.isascii() and inner.isdigit()):
                    raise bad(f"expected [*], [n] or ['name'] at offset {i}")
                # compared by length first: int() refuses texts of over 4300 digits
                digits = inner.lstrip("0") or "0"
                if len(digits) > len(str(MAX_PATH_INDEX)) or int(digits) > MAX_PATH_INDEX:
                    raise bad(f"index {_cut(inner)} is over the cap of {MAX_PATH_INDEX}")
                tokens.append(("index", int(inner)))
                i = end + 1
        else:
            raise bad(f"unexpected {ch!r} at offset {i}")
    return tuple(tokens)


def _cut(text: str) -> str:
    return text if len(text) <= 20 else text[:17] + "..."


def format_path(tokens: Iterable[PathToken]) -> str:
    """The canonical text of a path (inverse of :func:`parse_path`)."""
    out = "$"
    for kind, value in tokens:
        if kind == "key":
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
                out += f".{value}"
            else:
                escaped = value.replace("\\", "\\\\").replace("'", "\\'")
                out += f"['{escaped}']"
        elif kind == "index":
            out += f"[{value}]"
        elif kind == "items":
            out += "[*]"
        else:
            out += ".*"
    return out


def path_to_pointer(tokens: Iterable[PathToken]) -> str:
    """A JSON pointer with ``*`` for wildcards (the form ``Change.instance_path`` uses)."""
    from accord.core.pointer import escape

    parts: list[str] = []
    for kind, value in tokens:
        parts.append(escape(value) if kind in ("key", "index") else "*")
    return "".join("/" + p for p in parts)


def pointer_overlaps(a: str, b: str) -> bool:
    """Whether one pointer is a prefix of the other, ``*`` matching any token."""
    ta = list(a.split("/")[1:]) if a else []
    tb = list(b.split("/")[1:]) if b else []
    return all(x in (y, "*") or y == "*" for x, y in zip(ta, tb, strict=False))


# -- checking concrete values ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A payload location that does not satisfy a field."""

    path: str  # concrete JSONPath of the location
    field: str  # the field's path as written
    message: str
    pinned: bool = False  # caused by a Pact literal without a matcher

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "field": self.field,
            "message": self.message,
            "pinned": self.pinned,
        }


def json_kind(value: Any) -> str:
    """``null``, ``boolean``, ``number``, ``string``, ``array`` or ``object``."""
    kind = json_type(value)
    return "number" if kind == "integer" else kind


def _json_text(value: Any) -> str | None:
    """The text Pact's regex sees: strings as is, numbers and booleans as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, Decimal):
        return str(value)  # a number no float holds, kept exact (1E-400)
    return None


def _full_match(pattern: str, text: str) -> bool:
    # Consumers write these patterns and providers send the text: a pattern that could
    # backtrack catastrophically, or a long text, goes to the reference's linear engine.
    from accord.validation.patterns import linear_search, needs_linear_engine

    whole = f"^(?:{pattern})$"
    if needs_linear_engine(whole, text):
        return linear_search(whole, text)
    import regress

    return regress.Regex(whole).find(text) is not None


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` has no one meaning for accord's matchers (regress cannot compile
    it, or one of the readings below), or ``None``.

    regress (ECMA-262 without the ``u`` flag) reads an escape of a letter it does not
    define as the letter itself (``\\z`` is ``z``); the reference's engine, which
    matches texts over 1000 characters and backtracking-prone patterns, and the Pact
    verifiers read ``\\z`` as the end of the text and ``\\p{L}`` as a class: the
    verdict would depend on the text's length and differ from Pact's.
    """
    import regress

    from accord.validation.patterns import reference_reads, undefined_letter_escape

    try:
        regress.Regex(pattern)
    except Exception as exc:  # noqa: BLE001 - regress raises its own error type
        return str(exc)
    escape = undefined_letter_escape(pattern)
    if escape is not None:
        return (
            f"{escape} is not an ECMA-262 escape: accord would read it as the letter "
            f"{escape[1]!r} in short texts, Pact's engines and accord's in long ones "
            "otherwise (an anchor, a class, a code point); a regex matcher matches the "
            "whole string without anchors, spell a class with [...]"
        )

    if not reference_reads(f"^(?:{pattern})$"):
        # Annex B's literals (an octal escape, a lone brace, a dash after a class
        # escape in a class): regress takes them, the reference cannot compile them
        return (
            "accord's engine for long texts (the reference's) cannot read it (an octal "
            "escape such as \\0 or \\1 with no group, a brace that is no quantifier, a "
            "'-' beside \\d or \\w in a class, [\\b]): escape the character meant"
        )
    return None


_DATE_TOKENS: list[tuple[str, str]] = [
    ("yyyy", r"\d{4}"),
    ("yy", r"\d{2}"),
    ("MM", r"(?:0[1-9]|1[0-2])"),
    ("dd", r"(?:0[1-9]|[12]\d|3[01])"),
    ("HH", r"(?:[01]\d|2[0-3])"),
    ("hh", r"(?:0[1-9]|1[0-2])"),
    ("mm", r"[0-5]\d"),
    ("ss", r"[0-5]\d"),
    ("SSSSSS", r"\d{6}"),
    ("SSS", r"\d{3}"),
    ("S", r"\d+"),
    ("XXX", r"(?:Z|[+-]\d{2}:\d{2})"),
    ("XX", r"(?:Z|[+-]\d{4})"),
    ("X", r"(?:Z|[+-]\d{2})"),
    ("Z", r"[+-]\d{4}"),
    ("a", r"(?:AM|PM)"),
]


def _date_pieces(fmt: str) -> list[tuple[str | None, str]]:
    """``(token, ECMA regex)`` pieces of a Pact date format (token ``None`` for literals)."""
    out: list[tuple[str | None, str]] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "'":
            end = fmt.find("'", i + 1)
            literal = fmt[i + 1 : end] if end > i else fmt[i + 1 :]
            out.append((None, _ecma_escape(literal) if literal else "'"))
            i = (end + 1) if end > i else len(fmt)
            continue
        for token, rx in _DATE_TOKENS:
            if fmt.startswith(token, i):
                out.append((token, rx))
                i += len(token)
                break
        else:
            out.append((None, r"[A-Za-z]+" if fmt[i].isalpha() else _ecma_escape(fmt[i])))
            i += 1
            while i < len(fmt) and fmt[i] == fmt[i - 1] and fmt[i].isalpha():
                i += 1
    return out


def date_format_regex(fmt: str) -> str:
    """An ECMA regex for a Pact (Java ``SimpleDateFormat``-style) date/time format.

    It checks the shape (digit counts, ranges of months, hours, minutes), not calendar
    validity (``2024-02-31`` passes): :func:`calendar_valid` adds that for concrete
    values, and the JSON Schema translation is marked ``over`` for it.
    """
    return "".join(rx for _token, rx in _date_pieces(fmt))


def date_format_calendar_regex(fmt: str) -> str | None:
    """An ECMA regex matching exactly the values :func:`check_matcher` accepts for a Pact
    date format (shape and calendar validity), or ``None`` where it cannot say.

    Calendar validity is regular: the first ``MM`` and ``dd`` (the ones
    :func:`calendar_valid` reads) are paired by month length, and February 29 needs a
    leap year in the first year token (``yyyy``: proleptic Gregorian, 0000 a leap year;
    ``yy``: 20yy; no year: 2000, a leap year). A format with both ``yyyy`` and ``yy``
    gives ``None``.
    """
    from accord.validation.regular import LEAP_YEAR, MONTH_DAYS

    pieces = _date_pieces(fmt)
    tokens = [t for t, _ in pieces]
    if "MM" not in tokens or "dd" not in tokens:
        return date_format_regex(fmt)
    if "yyyy" in tokens and "yy" in tokens:
        return None
    leap = {"yyyy": LEAP_YEAR, "yy": r"(?:[02468][048]|[13579][26])"}

    def spelled(month: str, day: str, year: str | None) -> str:
        out: list[str] = []
        done: set[str] = set()
        for piece, rx in pieces:
            first = piece is not None and piece not in done
            if piece is not None:
                done.add(piece)
            if first and piece == "MM":
                out.append(month)
            elif first and piece == "dd":
                out.append(day)
            elif first and year is not None and piece in leap:
                out.append(year)
            else:
                out.append(rx)
        return "".join(out)

    alternatives = [spelled(m, d, None) for m, d in MONTH_DAYS]
    year_token = "yyyy" if "yyyy" in tokens else "yy" if "yy" in tokens else None
    alternatives.append(spelled("02", "29", leap[year_token] if year_token else None))
    return "|".join(f"(?:{a})" for a in alternatives)


def calendar_valid(fmt: str, value: str) -> bool:
    """Whether the day ``value`` names in ``fmt`` exists (``2024-02-30`` does not), as
    pact-rust decides; a format without a month and a day names none."""
    import calendar

    seen: list[str] = []
    parts: list[str] = []
    for token, rx in _date_pieces(fmt):
        if token in ("yyyy", "yy", "MM", "dd") and token not in seen:
            seen.append(token)
            parts.append(f"({rx})")
        else:
            parts.append(f"(?:{rx})")
    # the pieces are digit runs, ASCII classes and escaped literals, which Python's re
    # reads as ECMA-262 does
    m = re.fullmatch("".join(parts), value, flags=re.ASCII)
    if m is None or "MM" not in seen or "dd" not in seen:
        return True
    found = dict(zip(seen, m.groups(), strict=True))
    year = int(found["yyyy"]) if "yyyy" in found else 2000 + int(found.get("yy", "0"))
    # the proleptic Gregorian calendar, year 0000 included (a leap year), as chrono
    month, day = int(found["MM"]), int(found["dd"])
    if not 1 <= month <= 12:
        return False
    days = (31, 29 if calendar.isleap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return 1 <= day <= days[month - 1]


def _ecma_escape(text: str) -> str:
    return "".join("\\" + c if c in r"\^$.|?*+()[]{}/-" else c for c in text)


_STD_FORMAT = {"date": "date", "time": "time", "datetime": "date-time"}
_ISO_EQUIVALENT = {("date", "yyyy-MM-dd")}


def check_matcher(matcher: dict[str, Any], value: Any) -> str | None:
    """Why ``value`` does not satisfy ``matcher`` under Pact's semantics, or ``None``."""
    kind = matcher["match"]
    got = json_kind(value)
    if kind == "any":
        return None
    if kind == "like":
        want = json_kind(matcher.get("example"))
        return None if got == want else f"expected a {want} (like), got {got}"
    if kind == "boolean" and value in ("true", "false"):
        return None  # pact-rust's boolean matcher accepts the two strings too
    if kind in ("string", "boolean", "null", "object", "number"):
        return None if got == kind else f"expected {kind}, got {got}"
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"expected an integer, got {_show(value)}"
    if kind == "decimal":
        # A Decimal is a number written with a fraction or an exponent no float holds.
        ok = isinstance(value, float | Decimal)
        return None if ok else f"expected a decimal, got {_show(value)}"
    if kind == "array":
        if got != "array":
            return f"expected an array, got {got}"
        lo, hi = matcher.get("min"), matcher.get("max")
        if lo is not None and len(value) < lo:
            return f"expected at least {plural(lo, 'item')}, got {len(value)}"
        if hi is not None and len(value) > hi:
            return f"expected at most {plural(hi, 'item')}, got {len(value)}"
        return None
    if kind == "equals":
        ok = _strict_equal(value, matcher.get("value"))
        return None if ok else f"expected exactly {_show(matcher.get('value'))}, got {_show(value)}"
    if kind in ("regex", "semver"):
        pattern = matcher["regex"] if kind == "regex" else SEMVER_REGEX
        text = _json_text(value)
        if text is None or not _full_match(pattern, text):
            return f"{_show(value)} does not match /{pattern}/ (whole string)"
        return None
    if kind == "enum":
        values = matcher.get("values", [])
        ok = any(_strict_equal(value, v) for v in values)
        return None if ok else f"{_show(value)} is not one of {_show(values)}"
    if kind in _STD_FORMAT:
        if not isinstance(value, str):
            return f"expected a {kind} string, got {got}"
        fmt = matcher.get("format")
        if fmt:
            if not _full_match(date_format_regex(fmt), value):
                return f"{_show(value)} is not a {kind} in format {fmt!r}"
            if not calendar_valid(fmt, value):
                return f"{_show(value)} is not a real {kind} (no such day)"
            return None
        from accord.validation.reference import is_valid

        if not is_valid({"format": _STD_FORMAT[kind]}, value):
            return f"{_show(value)} is not an RFC 3339 {kind}"
        return None
    if kind == "include":
        text = _json_text(value)
        needle = str(matcher.get("value", ""))
        return None if text is not None and needle in text else f"{_show(value)} lacks {needle!r}"
    if kind == "not_empty":
        empty = value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)
        return f"expected a non-empty value, got {_show(value)}" if empty else None
    if kind == "content_type":
        # Pact decides this rule by sniffing a MIME type from the value's bytes; accord
        # reads JSON values and has no sniffer. A rule it cannot check never passes.
        return (
            f"a contentType rule ({str(matcher.get('value', ''))!r}) is not checked on JSON "
            "values: Pact sniffs a MIME type from bytes, which accord does not; use a type, "
            "regex or format matcher"
        )
    if kind in ("each_key", "each_value"):
        if not isinstance(value, dict):
            return f"expected an object, got {got}"
        for key, item in value.items():
            target = key if kind == "each_key" else item
            for sub in matcher.get("matchers", []):
                why = check_matcher(sub, target)
                if why:
                    return f"{'key' if kind == 'each_key' else 'value of'} {key!r}: {why}"
        return None
    if kind == "array_contains":
        if not isinstance(value, list):
            return f"expected an array, got {got}"
        for n, variant in enumerate(matcher.get("variants", [])):
            fields = variant.get("fields", [])
            if not any(not check_fields(fields, item, role="reads") for item in value):
                return f"no item matches variant {n}"
        return None
    if kind == "one_of":
        whys = [check_matcher(sub, value) for sub in matcher.get("matchers", [])]
        return None if any(w is None for w in whys) else " and ".join(w or "" for w in whys)
    if kind == "all_of":
        for sub in matcher.get("matchers", []):
            why = check_matcher(sub, value)
            if why:
                return why
        return None
    return f"unknown matcher {kind!r}"


def _strict_equal(a: Any, b: Any) -> bool:
    """JSON equality keeping Pact's lexical number types (``1 != 1.0``, ``True != 1``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _resolve(
    payload: Any, tokens: Sequence[PathToken]
) -> Iterable[tuple[tuple[PathToken, ...], str, Any]]:
    """Yield (concrete tokens, state, value): state ``ok``, ``missing``, ``null``,
    ``object`` or ``array``.

    ``missing``/``null`` carry the concrete prefix where the walk stopped; ``object``
    and ``array`` the container a token needs and the value found there instead (a
    value of another kind is not an absent key: ``optional`` does not excuse it).
    """
    stack: list[tuple[tuple[PathToken, ...], Any, int]] = [((), payload, 0)]
    while stack:
        here, value, i = stack.pop(0)
        if i == len(tokens):
            yield here, "ok", value
            continue
        if value is None and i > 0:
            yield here, "null", None
            continue
        kind, arg = tokens[i]
        in_array = kind in ("index", "items")
        fits = isinstance(value, list) if in_array else isinstance(value, dict)
        if not fits:
            yield here, "array" if in_array else "object", value
        elif kind == "key":
            if arg in value:
                stack.append(((*here, ("key", arg)), value[arg], i + 1))
            else:
                yield (*here, ("key", arg)), "missing", None
        elif kind == "index":
            if arg < len(value):
                stack.append(((*here, ("index", arg)), value[arg], i + 1))
            else:
                yield (*here, ("index", arg)), "missing", None
        elif kind == "items":
            stack.extend(((*here, ("index", n)), v, i + 1) for n, v in enumerate(value))
        else:
            stack.extend(((*here, ("key", k)), v, i + 1) for k, v in value.items())


def _generalise(concrete: Sequence[PathToken], pattern: Sequence[PathToken]) -> bool:
    """Whether the concrete prefix ``concrete`` is matched by the field path ``pattern``."""
    if len(concrete) != len(pattern):
        return False
    for (ck, cv), (pk, pv) in zip(concrete, pattern, strict=True):
        if pk == "items" and ck == "index":
            continue
        if pk == "keys" and ck == "key":
            continue
        if (ck, cv) != (pk, pv):
            return False
    return True


def check_fields(fields: Sequence[dict[str, Any]], payload: Any, *, role: Role) -> list[Mismatch]:
    """Every way ``payload`` fails ``fields`` (empty: it satisfies them).

    ``role="writes"`` (a request body the consumer sends) also rejects keys no field
    names under an object a field describes, as Pact does for request bodies.
    """
    parsed = [(f, parse_path(f["path"])) for f in fields]
    problems: list[Mismatch] = []
    for f, tokens in parsed:
        for here, state, value in _resolve(payload, tokens):
            where = format_path(here)
            if state in ("object", "array"):
                message = f"expected an {state} (for {f['path']}), got {json_kind(value)}"
                problems.append(Mismatch(where, f["path"], message))
                continue
            if state != "ok" or (value is None and f.get("nullable")):
                if state == "ok" or _excused(parsed, here, state, f):
                    continue
                problems.append(
                    Mismatch(where, f["path"], "is missing" if state == "missing" else "is null")
                )
                continue
            why = check_matcher(f, value)
            if why:
                pinned = f.get("match") == "equals" and bool(f.get("pinned"))
                problems.append(Mismatch(where, f["path"], why, pinned=pinned))
    if role == "writes":
        problems.extend(_extra_keys(parsed, payload))
    return problems


def _excused(
    parsed: Sequence[tuple[dict[str, Any], tuple[PathToken, ...]]],
    here: tuple[PathToken, ...],
    state: str,
    own: dict[str, Any],
) -> bool:
    """A missing/null location is fine when the field (or the field there) allows it."""
    for f, tokens in parsed:
        if not _generalise(here, tokens):
            continue
        if state == "missing" and f.get("optional"):
            return True
        if state == "null" and f.get("nullable"):
            return True
    return bool(
        state == "missing" and own.get("optional") and len(here) == len(parse_path(own["path"]))
    )


def _extra_keys(
    parsed: Sequence[tuple[dict[str, Any], tuple[PathToken, ...]]], payload: Any
) -> list[Mismatch]:
    """Keys of described objects that no field names (request bodies are closed)."""
    children: dict[tuple[PathToken, ...], set[str] | None] = {}
    for _f, tokens in parsed:
        for n in range(len(tokens)):
            parent, (kind, arg) = tokens[:n], tokens[n]
            if kind == "key":
                names = children.setdefault(parent, set())
                if names is not None:
                    names.add(arg)
            elif kind == "keys":
                children[parent] = None  # any key
    out: list[Mismatch] = []
    for parent, names in sorted(children.items(), key=lambda kv: format_path(kv[0])):
        if names is None:
            continue
        for here, state, value in _resolve(payload, parent):
            if state == "ok" and isinstance(value, dict):
                for key in sorted(set(value) - names):
                    out.append(  # noqa: PERF401 - clearer as a loop
                        Mismatch(
                            format_path((*here, ("key", key))),
                            format_path(parent),
                            f"unexpected key {key!r} in a request body",
                        )
                    )
    return out


# -- translation to JSON Schema --------------------------------------------------------


@dataclass
class Translation:
    """A JSON Schema for a set of fields, and where it is not exact.

    Attributes:
        schema: A self-contained 2020-12 schema.
        over: Field paths where the schema allows more than the matcher.
        under: Field paths where the schema allows less than the matcher.
    """

    schema: dict[str, Any]
    over: list[str] = field(default_factory=list)
    under: list[str] = field(default_factory=list)


@dataclass
class _Node:
    schemas: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[str, _Node] = field(default_factory=dict)
    indexes: dict[int, _Node] = field(default_factory=dict)
    items: _Node | None = None
    any_key: _Node | None = None
    optional: bool = False
    nullable: bool = False
    described: bool = False


def _matcher_schema(m: dict[str, Any], path: str, out: Translation) -> dict[str, Any]:
    kind = m["match"]
    if kind == "any":
        return {}
    if kind == "like":
        return {"type": json_kind(m.get("example"))}
    if kind == "boolean":
        return {"anyOf": [{"type": "boolean"}, {"enum": ["true", "false"]}]}
    if kind in ("string", "null", "object", "number", "integer"):
        return {"type": kind}
    if kind == "decimal":
        out.under.append(path)  # Pact accepts 42.0; read mathematically it is an integer
        return {"type": "number", "not": {"type": "integer"}}
    if kind == "array":
        s: dict[str, Any] = {"type": "array"}
        if m.get("min") is not None:
            s["minItems"] = m["min"]
        if m.get("max") is not None:
            s["maxItems"] = m["max"]
        return s
    if kind == "equals":
        return {"const": m.get("value")}
    if kind in ("regex", "semver"):
        out.under.append(path)  # numbers and booleans are matched on their JSON text
        return {
            "type": "string",
            "pattern": _anchored(m["regex"] if kind == "regex" else SEMVER_REGEX),
        }
    if kind == "enum":
        return {"enum": list(m.get("values", []))}
    if kind in _STD_FORMAT:
        fmt = m.get("format")
        if not fmt or (kind, fmt) in _ISO_EQUIVALENT:
            return {"type": "string", "format": _STD_FORMAT[kind]}
        exact = date_format_calendar_regex(fmt)
        if exact is not None:
            return {"type": "string", "pattern": f"^(?:{exact})$"}
        out.over.append(path)  # the pattern checks the shape, not calendar validity
        return {"type": "string", "pattern": f"^(?:{date_format_regex(fmt)})$"}
    if kind == "include":
        out.under.append(path)
        return {"type": "string", "pattern": _ecma_escape(str(m.get("value", "")))}
    if kind == "not_empty":
        return {
            "not": {
                "anyOf": [
                    {"type": "null"},
                    {"type": "string", "maxLength": 0},
                    {"type": "array", "maxItems": 0},
                    {"type": "object", "maxProperties": 0},
                ]
            }
        }
    if kind == "content_type":
        out.over.append(path)
        return {}
    subs = [_matcher_schema(sub, path, out) for sub in m.get("matchers", [])]
    if kind == "each_key":
        return {"type": "object", "propertyNames": {"allOf": subs}}
    if kind == "each_value":
        return {"type": "object", "additionalProperties": {"allOf": subs}}
    if kind == "one_of":
        return {"anyOf": subs} if subs else {}
    if kind == "all_of":
        return {"allOf": subs}
    if kind == "array_contains":
        contains = []
        for variant in m.get("variants", []):
            sub = translate(variant.get("fields", []), role="reads")
            out.over.extend(sub.over)
            out.under.extend(sub.under)
            contains.append({"contains": sub.schema})
        return {"type": "array", "allOf": contains}
    out.over.append(path)
    return {}


def _anchored(pattern: str) -> str:
    """The whole-string form of ``pattern``, textually close to how schemas anchor it
    (``^P$`` when P has no alternation), so equal patterns stay recognisably equal."""
    if "|" in pattern:
        return f"^(?:{pattern})$"
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern
    return f"^{pattern.removeprefix('^')}" + (
        "" if pattern.endswith("$") and not pattern.endswith("\\$") else "$"
    )


def translate(
    fields: Sequence[dict[str, Any]], *, role: Role, literals_as_examples: bool = False
) -> Translation:
    """A JSON Schema whose valid payloads are those satisfying ``fields``.

    ``role="writes"`` closes every object a field describes (``additionalProperties:
    false``), as Pact closes request bodies. ``literals_as_examples`` reads a pinned
    literal (a Pact value without a matcher) as a type match.
    """
    out = Translation(schema={})
    root = _Node()
    for f in fields:
        node = root
        for kind, arg in parse_path(f["path"]):
            if kind == "key":
                node = node.keys.setdefault(arg, _Node())
            elif kind == "index":
                node = node.indexes.setdefault(arg, _Node())
            elif kind == "items":
                node.items = node.items or _Node()
                node = node.items
            else:
                node.any_key = node.any_key or _Node()
                node = node.any_key
        matcher = f
        if literals_as_examples and f.get("match") == "equals" and f.get("pinned"):
            matcher = {"match": "like", "example": f.get("value")}
        node.schemas.append(_matcher_schema(matcher, f["path"], out))
        node.optional = node.optional or bool(f.get("optional"))
        # null passes check_fields only where every field at the location allows it
        # (an absent key, where any does: _excused), so nullable is an AND here
        nullable = bool(f.get("nullable"))
        node.nullable = nullable if not node.described else node.nullable and nullable
        node.described = True
    out.schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **_emit(root, role)}
    return out


def _emit(node: _Node, role: Role) -> dict[str, Any]:
    parts: list[dict[str, Any]] = list(node.schemas)
    if node.keys or node.any_key is not None:
        obj: dict[str, Any] = {"type": "object"}
        if node.keys:
            obj["properties"] = {k: _wrap(child, role) for k, child in node.keys.items()}
            required = [k for k, child in node.keys.items() if not child.optional]
            if required:
                obj["required"] = required
        if node.any_key is not None:
            obj["additionalProperties"] = _wrap(node.any_key, role)
            if node.keys:
                # ``.*`` covers the named keys too
                for k in node.keys:
                    obj["properties"][k] = {
                        "allOf": [obj["properties"][k], _wrap(node.any_key, role)]
                    }
        elif role == "writes":
            obj["additionalProperties"] = False
        parts.append(obj)
    if node.items is not None or node.indexes:
        arr: dict[str, Any] = {"type": "array"}
        if node.indexes:
            top = max(node.indexes) + 1
            arr["prefixItems"] = [
                _wrap(node.indexes[i], role) if i in node.indexes else {} for i in range(top)
            ]
            arr["minItems"] = max(
                (i + 1 for i, child in node.indexes.items() if not child.optional), default=0
            )
        if node.items is not None:
            arr["items"] = _wrap(node.items, role)
            if node.indexes:
                # ``[*]`` covers the indexed items too (``items`` starts past the prefix)
                arr["prefixItems"] = [{"allOf": [p, arr["items"]]} for p in arr["prefixItems"]]
        parts.append(arr)
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    return {"allOf": parts}


def _wrap(node: _Node, role: Role) -> dict[str, Any]:
    schema = _emit(node, role)
    if node.nullable:
        return {"anyOf": [{"type": "null"}, schema]}
    return schema
