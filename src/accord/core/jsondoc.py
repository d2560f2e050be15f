"""Reading JSON documents strictly and safely.

The stdlib parser accepts things accord must refuse: duplicate keys (last one wins),
``NaN``/``Infinity``, lone surrogates, unbounded nesting. This module wraps it with
hooks so every refusal is a :class:`~accord.errors.DocumentError` with a stable code,
the file, and a line/column or JSON pointer. Integers stay Python ``int`` (exact at any
size); decimals stay ``float`` unless they cannot be represented, in which case they
are kept as :class:`decimal.Decimal` so no value is silently rounded away.
"""

from __future__ import annotations

import enum
import errno
import gc
import json
import math
import os
import re
import stat
import struct
import sys
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from accord.errors import AccordError, DocumentError, UsageError

DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_DEPTH = 64

FORMAT_VERSION = 1
"""``format_version`` of every JSON document accord prints (``--format json``) or
writes, unless the format has a version of its own (expectations, records)."""

_CONFLICT_MARKERS = ("<<<<<<< ", "=======\n", ">>>>>>> ")


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def _parse_float(text: str) -> float | Decimal:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        # 1e400 is valid JSON; keep it exact instead of turning it into infinity.
        return _decimal(text)
    return value


class _InexactNumberError(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _NumberOutOfRangeError(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _decimal(text: str) -> Decimal:
    """``Decimal(text)`` of a JSON number token; one whose exponent no ``Decimal`` holds
    (past ±999999999999999999: ``1e-4001234567890123456789``) is refused, never let
    out as ``decimal.InvalidOperation``."""
    try:
        return Decimal(text)
    except ArithmeticError:
        raise _NumberOutOfRangeError(text) from None


def _parse_float_or_refuse(text: str) -> float | Decimal:
    value = _parse_float_exact(text)
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise _InexactNumberError(text)
    return value


def _parse_float_exact(text: str) -> float | Decimal:
    # A short plain decimal always survives float -> repr; anything else is kept as a
    # Decimal unless the float's shortest text means the same number.
    if len(text) <= 15 and "e" not in text and "E" not in text:
        return float(text)
    value = float(text)
    exact = _decimal(text)
    if value in (float("inf"), float("-inf")) or Decimal(repr(value)) != exact:
        return exact
    return value


def _depth_of(text: str, limit: int) -> tuple[int, int] | None:
    """Return the offset and depth where nesting first exceeds ``limit``, if it does.

    Scans brackets outside strings, so a hostile document is refused before the
    recursive parser sees it (the stdlib parser would hit RecursionError).
    """
    depth = 0
    in_string = False
    escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return offset, depth
        elif char in "]}":
            depth -= 1
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _nesting(value: Any) -> int:
    """How deeply containers nest in a parsed value (``[[]]``: 2), level by level in C."""
    depth = 0
    level = [value]
    while level:
        types = {*map(type, level)}
        if dict not in types and list not in types:
            break
        depth += 1
        level = _referents(*level)
        if not level:
            break
    return depth


def deeper_than(value: Any, limit: int) -> bool:
    """Whether containers in a Python value nest more than ``limit`` deep (or cycle).

    Level by level, never recursing, so it is safe on any value (a list nested
    100,000 deep, a list holding itself) and stops as soon as the answer is known. On
    the hot path of ``Validator.is_valid``: a level of plain JSON values costs one type
    survey and one ``gc.get_referents`` call, both in C (scalars have no referents).
    """
    if not _referents_ok or type(value) not in _PLAIN_CONTAINERS:
        return _deeper_than_slowly(value, limit)
    level = _referents(value)
    for _ in range(limit - 1):
        if not level:
            return False
        if not {*map(type, level)} <= _PLAIN_TYPES:
            level = [x for x in level if isinstance(x, _CONTAINER_TYPES)]
        level = _referents(*level)
    return bool(_containers(level))


def _parsed_deeper_than(value: Any, limit: int) -> bool:
    """:func:`deeper_than` of a value msgspec parsed from JSON text, without its type
    survey (two thirds of its cost: 36,000 instructions against 103,000 on a 4.5 KB
    order of 86 objects and arrays).

    Sound because such a value holds only dicts with ``str`` keys, lists, ``str``,
    ``int``, ``float``, ``bool`` and ``None`` (msgspec's untyped decoding), where
    ``gc.get_referents`` hands out exactly a dict's values and a list's items and
    nothing for a scalar (``_referents_ok`` checks this at import; the caller falls back
    where it failed): each level is then exactly the values one container deeper, with
    nothing else to filter out. Any other value (a ``Validator`` payload may hold
    anything) needs :func:`deeper_than`.
    """
    level = _referents(value)
    for _ in range(limit - 1):
        if not level:
            return False
        level = _referents(*level)
    return bool(_containers(level))


def _deeper_than_slowly(value: Any, limit: int) -> bool:
    level = [value]
    for _ in range(limit):
        level = _children(_containers(level))
        if not level:
            return False
    return bool(_containers(level))


def more_nodes_than(value: Any, limit: int) -> bool:
    """Whether a Python value holds more than ``limit`` values, containers included.

    Level by level in C, as :func:`deeper_than`. A first count takes every object's
    ``gc.get_referents`` without looking at types (a type survey per level costs more
    than the referents themselves); it counts every value of the careful walk and
    perhaps more (the insides of objects that are no JSON container), never fewer, so
    "not more" is proven by it. "More" is confirmed by the careful walk, which follows
    only dicts, lists and tuples. Both stop as soon as the count passes ``limit`` (a
    payload parsed from JSON holds only plain values, where the two walks are one; an
    object that is no container costs the first count what it references within those
    steps).
    """
    if not _referents_ok:
        return _more_nodes_than_slowly(value, limit)
    count = 1
    level = [value]
    while count <= limit:
        level = _referents(*level)
        if not level:
            return False
        count += len(level)
    return _more_nodes_than_slowly(value, limit)


def _more_nodes_than_slowly(value: Any, limit: int) -> bool:
    count = 1
    level = [value]
    while count <= limit:
        level = _containers(level)
        if not level:
            return False
        level = _referents(*level) if _referents_ok else _children(level)
        count += len(level)
    return True


_CONTAINER_TYPES = (dict, list, tuple)
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None), Decimal})
_PLAIN_TYPES = _SCALAR_TYPES | set(_CONTAINER_TYPES)
_PLAIN_CONTAINERS = frozenset(_CONTAINER_TYPES)


def _containers(level: list[Any]) -> list[Any]:
    """The containers among ``level`` (the type survey runs in C, so a flat list is cheap)."""
    types = {*map(type, level)}
    if types <= _SCALAR_TYPES:
        return []
    if types <= _PLAIN_TYPES:
        if not types & _SCALAR_TYPES:
            return level
        return [x for x in level if type(x) in _PLAIN_CONTAINERS]  # exact types: cheaper
    return [x for x in level if isinstance(x, _CONTAINER_TYPES)]


def _children(level: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in level:
        out += item.values() if isinstance(item, dict) else item
    return out


def _refuse_if_too_deep(text: str, max_depth: int | None, file: str | None) -> None:
    if max_depth is None:
        return
    deep = _depth_of(text, max_depth)
    if deep is not None:
        line, col = _line_col(text, deep[0])
        raise DocumentError(
            f"nesting deeper than {max_depth} levels "
            "(raise max-depth in accord.toml if this is intended)",
            code="json-too-deep",
            file=file,
            line=line,
            column=col,
        )


def _refuse_parse_error(exc: BaseException, file: str | None) -> NoReturn:
    if isinstance(exc, _InexactNumberError):
        shown = exc.text if len(exc.text) <= 40 else exc.text[:37] + "..."
        raise DocumentError(
            f"the number {shown} has no exact float value and would be written back "
            "rounded: write it with at most 17 significant digits, within 1e-307..1e308",
            code="json-number-inexact",
            file=file,
        ) from None
    if isinstance(exc, _NumberOutOfRangeError):
        shown = exc.text if len(exc.text) <= 40 else exc.text[:37] + "..."
        raise DocumentError(
            f"the number {shown} has an exponent past what accord reads exactly "
            "(at most 18 digits)",
            code="json-number-out-of-range",
            file=file,
        ) from None
    if isinstance(exc, _DuplicateKeyError):
        raise DocumentError(
            f"duplicate key {exc.key!r}: JSON parsers disagree on which value wins",
            code="json-duplicate-key",
            file=file,
        ) from None
    if isinstance(exc, json.JSONDecodeError):
        code = "json-nan" if "non-standard JSON constant" in exc.msg else "json-malformed"
        raise DocumentError(
            f"malformed JSON: {exc.msg}", code=code, file=file, line=exc.lineno, column=exc.colno
        ) from None
    if isinstance(exc, RecursionError):
        raise DocumentError(
            "document nests too deeply to parse", code="json-too-deep", file=file
        ) from None
    if "non-standard JSON constant" in str(exc):
        raise DocumentError(
            f"{exc}: NaN and Infinity are not JSON", code="json-nan", file=file
        ) from None
    raise DocumentError(f"malformed JSON: {exc}", code="json-malformed", file=file) from None


def _text_or_bytes(data: Any) -> bytes | str:
    """``data`` itself when it is text or bytes, the bytes of a bytes-like buffer (a
    ``bytearray`` or ``memoryview``, what a socket or a framework may hand over).

    Raises:
        UsageError: anything else (a parsed value passed where its text belongs).
    """
    if isinstance(data, bytes | str):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise UsageError(
        f"a JSON document is read from bytes or str, not {type(data).__name__}"
        " (to validate a parsed value, use is_valid or validate)"
    )


def loads(
    data: bytes | str | bytearray | memoryview,
    *,
    file: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    exact_numbers: bool = False,
    refuse_inexact: bool = False,
) -> Any:
    """Parse one JSON document strictly.

    Args:
        data: The raw bytes (must be UTF-8; a ``bytearray`` or ``memoryview`` is read
            as its bytes) or text.
        file: Name used in error messages.
        max_bytes: Refuse larger documents (``None``: no cap).
        max_depth: Refuse deeper nesting (``None``: no cap beyond the parser's own).
        exact_numbers: Keep every decimal whose float would not write back as the same
            number (``1e-400``, ``0.10000000000000000000000001``) as a ``Decimal``, so
            :func:`canonical_dumps` writes the value read (``accord fmt``).
        refuse_inexact: Refuse such a decimal instead (``json-number-inexact``), for
            documents accord writes back that go on to the engine as floats (publish);
            integral ones beyond float range stay exact integers as always.

    Raises:
        DocumentError: with code ``json-invalid-utf8``, ``json-empty``, ``json-too-large``,
            ``json-too-deep``, ``json-conflict-markers``, ``json-malformed``,
            ``json-duplicate-key``, ``json-nan``, ``json-lone-surrogate`` or
            ``json-number-out-of-range`` (an exponent no ``Decimal`` holds).
        UsageError: ``data`` is neither text nor bytes (nor a bytes-like buffer).
    """
    data = _text_or_bytes(data)
    size = len(data)
    if max_bytes is not None and size > max_bytes:
        raise DocumentError(
            f"document is {size} bytes, over the cap of {max_bytes} bytes "
            "(raise max-file-bytes in accord.toml if this is intended)",
            code="json-too-large",
            file=file,
        )
    if isinstance(data, bytes):
        if data.startswith(b"\xef\xbb\xbf"):
            raise DocumentError(
                "document starts with a UTF-8 byte order mark; save it without one",
                code="json-bom",
                file=file,
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, col = _line_col(data[: exc.start].decode("utf-8", "replace"), exc.start)
            raise DocumentError(
                f"invalid UTF-8 at byte {exc.start}: JSON documents must be UTF-8",
                code="json-invalid-utf8",
                file=file,
                line=line,
                column=col,
            ) from None
    else:
        text = data
    if not text.strip():
        raise DocumentError("document is empty", code="json-empty", file=file)
    for marker in _CONFLICT_MARKERS:
        at = text.find(marker)
        if at != -1 and (at == 0 or text[at - 1] == "\n"):
            line, col = _line_col(text, at)
            raise DocumentError(
                "git conflict marker found: resolve the merge conflict first",
                code="json-conflict-markers",
                file=file,
                line=line,
                column=col,
            )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs_hook,
            parse_constant=_reject_constant,
            parse_float=(
                _parse_float_or_refuse
                if refuse_inexact
                else _parse_float_exact
                if exact_numbers
                else _parse_float
            ),
        )
    except (_DuplicateKeyError, ValueError, RecursionError) as exc:
        # Too deep is reported before any other parse error, as a pre-scan would.
        _refuse_if_too_deep(text, max_depth, file)
        _refuse_parse_error(exc, file)
    if max_depth is not None and (not _referents_ok or _nesting(value) > max_depth):
        _refuse_if_too_deep(text, max_depth, file)
    # A lone surrogate can only come from a \uD... escape: strict UTF-8 decoding refuses
    # raw ones, and a str argument holding one is not ASCII.
    if ("\\ud" in text or "\\uD" in text or not text.isascii()) and _has_lone_surrogate(value):
        raise DocumentError(
            "document contains an unpaired UTF-16 surrogate escape",
            code="json-lone-surrogate",
            file=file,
        )
    return value


# --- the fast path ---------------------------------------------------------------------
#
# ``loads_fast`` parses with msgspec (a C parser, about twice as fast as the stdlib's;
# it keeps integers exact at any size) and accepts the result only when cheap checks
# prove the strict loader would return the same value; on any doubt it runs the strict
# loader, so refusals keep their codes and messages. msgspec already refuses what
# ``loads`` refuses as malformed, NaN/Infinity, numbers beyond float range, integers
# longer than Python's digit limit (``sys.set_int_max_str_digits``, read as it is at
# the call), invalid UTF-8 (overlong forms and encoded surrogates included), byte order
# marks and lone surrogate escapes (tests/core/test_jsondoc_fast.py pins each of these
# on the installed msgspec); conflict markers and empty documents are malformed JSON.
# What it accepts and ``loads`` refuses is proven here (:func:`fast_or_miss`,
# :func:`_counted_or_miss`):
#
# - duplicate keys (msgspec keeps the last): a text that is its value's re-encoding
#   names no key twice; otherwise byte counts of colons (or of key tokens) before and
#   after re-encoding show that no key token was dropped.
# - depth: the count of opening brackets bounds it; past the cap, the parsed value is
#   measured one level at a time.
#
# The walks over the parsed value use ``gc.get_referents``, which hands out a list's
# items and a str-keyed dict's values in C; ``_referents_ok`` checks that at import.

MISS: Any = object()
_INF = float("inf")
_NEG_INF = -_INF
_referents = gc.get_referents


def _referents_behave() -> bool:
    probe_list: list[Any] = [1]
    probe = {"a": 1, "b": probe_list, "c": "x"}
    found = _referents(probe)
    scalars = ("x", 1, 2**70, 1.5, True, None, Decimal(1))  # one of each _SCALAR_TYPES
    return len(found) == 3 and any(x is probe_list for x in found) and _referents(*scalars) == []


_referents_ok = _referents_behave()
_KEPT_BUFFER_BYTES = 64 * 1024


_Codec = tuple[Callable[[bytes], Any], Callable[[Any, bytearray], None], deque[bytearray]]
_codec: _Codec | None = None
# The spare buffers (see _msgspec), also the codec's third item.
_spare: deque[bytearray] = deque()
# What a refused text (or a value msgspec cannot write back) raises: msgspec's
# DecodeError is a ValueError only since 0.20 or so (0.19, the lower bound, derives it
# from Exception), its EncodeError never is: name them, not their bases.
_CODEC_ERRORS: tuple[type[BaseException], ...] = (ValueError, RecursionError)


def _msgspec() -> _Codec:
    """msgspec's decoder, its encoder into a buffer, and the spare buffers.

    The re-encoding is only compared and counted, then left for the next call: a
    buffer kept saves allocating an object of the payload's size on every call. A call
    pops a spare one (or makes one) and appends it back when done; a deque's ``pop``
    and ``append`` are atomic (documented thread-safe; under the GIL, or the deque's own
    lock without one), so no two calls ever hold one buffer at once, whether two threads
    or a call re-entering another from a signal handler or a finalizer, and the deque
    holds at most as many as ever ran at once. (A ``threading.local`` buffer, taken and
    put back, costs several times the two calls; a list reallocates its item array
    whenever a pop leaves it under half full, as taking the only spare buffer does, ~400
    instructions a call.) msgspec never shrinks a buffer, so one grown past
    ``_KEPT_BUFFER_BYTES`` is dropped after use.
    """
    global _codec, _CODEC_ERRORS  # noqa: PLW0603 - imported once, on first use
    if _codec is None:
        import msgspec

        _CODEC_ERRORS = (
            ValueError,
            RecursionError,
            TypeError,
            OverflowError,
            msgspec.DecodeError,
            msgspec.EncodeError,
        )

        encoder = msgspec.json.Encoder()
        _codec = (msgspec.json.Decoder().decode, encoder.encode_into, _spare)
        try:  # a Decimal written as the float it rounds to (a NaN or infinity stays one)
            packer = msgspec.msgpack.Encoder(decimal_format="number")
        except TypeError:  # a release without the option proves nothing for Decimals
            pass
        else:
            _probe_packer(packer.encode_into)
    return _codec


def prepare_fast_path() -> None:
    """Import the fast path's parser now, so the first :func:`loads_fast` after boot
    does not pay for it (``Validator`` calls this)."""
    _msgspec()


def unreadable_number(value: Any) -> tuple[str, str] | None:
    """A number in ``value`` that jsonschema-rs would not read as itself, as the code and
    reason to refuse the payload with, or ``None`` when there is none:

    - ``payload-not-json``: a float or ``Decimal`` that is NaN or infinite. JSON has no
      such value and jsonschema-rs reads it as no number, so ``float("inf")`` and
      ``Decimal("NaN")`` passed ``{"maximum": 10}`` (Python's ``json.loads`` makes
      floats from ``NaN`` and ``Infinity`` by default);
    - ``payload-number-too-long``: an integer longer than Python's digit limit as it is
      now (``sys.get_int_max_str_digits()``, 4,300 by default). jsonschema-rs reads an
      integer beyond 64 bits through its decimal text, and one whose text cannot be made
      as 0 (``10**5000`` passed ``{"maximum": 10}``).

    And, though no number, ``payload-not-json`` for a string (a value or a key) holding
    an unpaired surrogate: jsonschema-rs cannot read it, but raises only where a keyword
    reads the string, so ``{"name": "a\\ud800"}`` passed ``{"properties": {"name":
    {"type": "string"}}}`` (Python's ``json.loads`` makes one from ``"\\ud800"``).

    Text parsed by :func:`loads` or :func:`loads_fast` holds none of these (both refuse
    them).

    The proof is one pass in C, msgspec writing the payload as MessagePack
    (:func:`_probe_packer` pins, on the installed msgspec, everything this relies on):
    it visits every value jsonschema-rs reads (dict values, list and tuple items, enums
    by value) and writes each float, and each ``Decimal`` as the float it rounds to
    (NaN and the infinities stay themselves; a signalling NaN is refused), as the byte
    ``0xcb`` then its IEEE double bits, big-endian. A NaN or an infinity has every
    exponent bit set, so its ``0xcb`` is followed by ``0x7f`` or ``0xff`` and a byte of
    ``0xf0`` or more: a text without that pattern (or without any ``0xcb``, one
    ``memchr``) holds neither, whatever the bytes around it mean (other matches, inside
    a string or another number, only cost the walk). And it refuses every integer
    beyond 64 bits, 20 digits at most: under any digit limit Python allows (none, or at
    least ``sys.int_info.str_digits_check_threshold``, 640) each integer it writes is
    short enough; it refuses a lone surrogate (probed too). A payload it refuses (such an
    integer or string, a type it cannot write, a cycle, a nesting past its recursion
    limit) or holding the pattern is decided by an iterative walk that visits each
    container once. Where the probe fails, msgspec's JSON encoder proves it
    (:func:`_unreadable_by_json`).
    """
    # _packer is set when msgspec is first imported and found to prove it; until then
    # the JSON proof imports it.
    pack = _packer
    if pack is None:
        return _unreadable_by_json(value)
    try:
        buffer = _spare.pop()
    except IndexError:
        buffer = bytearray()
    try:
        pack(value, buffer)
        # The byte as an int: ``in`` is then one memchr, no method call nor argument
        # parsing (about 300 instructions against 1,300 for ``find(b"\xcb")``). A bytes
        # needle would be tried as an int first, raising and clearing a TypeError.
        if _FLOAT64 not in buffer or not _non_finite_float().search(buffer):
            return None
    except _CODEC_ERRORS:
        pass
    finally:
        if len(buffer) <= _KEPT_BUFFER_BYTES:
            _spare.append(buffer)
    return _unreadable_number_slowly(value, sys.get_int_max_str_digits())


# MessagePack's float64 marker, as an int (msgspec writes every float so: _probe_packer).
_FLOAT64 = 0xCB


# A float64's MessagePack marker followed by the first two bytes of a NaN or an infinity:
# the sign and the exponent's top 7 bits, then its low 4 bits (all set) and 4 of the
# fraction's. Compiled on first use: a float64 marker is rare in what is checked.
@cache
def _non_finite_float() -> re.Pattern[bytes]:
    return re.compile(rb"\xcb[\x7f\xff][\xf0-\xff]")


# msgspec's MessagePack encode_into where _probe_packer found it proves unreadable_number.
_packer: Callable[[Any, bytearray], None] | None = None


class _Probe(enum.Enum):
    INFINITY = math.inf


def _probe_packer(pack_into: Callable[[Any, bytearray], None]) -> None:
    """Use ``pack_into`` (msgspec's MessagePack encoder) in :func:`unreadable_number`
    when it writes NaN and the infinities, in dicts, tuples and enums alike, as float64
    with their IEEE bits, writes the 64-bit integers and refuses any beyond them; and
    when Python allows no digit limit under 20 digits. A release doing otherwise proves
    nothing: the JSON encoder's proof is kept."""
    global _packer  # noqa: PLW0603 - probed once, when msgspec is imported
    buffer = bytearray()
    floats = (math.nan, -math.nan, math.inf, -math.inf)
    try:
        pack_into([*floats, {"k": (math.inf,)}, _Probe.INFINITY, 2**64 - 1, -(2**63)], buffer)
    except _CODEC_ERRORS:
        return
    double = b"\xcb%s" % struct.pack(">d", math.inf)
    written = b"\x98" + b"".join(b"\xcb" + struct.pack(">d", x) for x in floats)
    written += b"\x81\xa1k\x91" + double + double + b"\xcf" + b"\xff" * 8 + b"\xd3\x80" + bytes(7)
    if buffer != written or sys.int_info.str_digits_check_threshold <= 20:
        return
    # Decimals as floats: a NaN or infinity is written as one, a signalling NaN refused.
    try:
        pack_into([Decimal("NaN"), Decimal("-Infinity")], buffer)
    except _CODEC_ERRORS:
        return
    if buffer != b"\x92\xcb%s\xcb%s" % (struct.pack(">d", math.nan), struct.pack(">d", -math.inf)):
        return
    try:
        pack_into([Decimal("sNaN")], buffer)
    except _CODEC_ERRORS:
        pass
    else:
        if not _non_finite_float().search(buffer):
            return
    # Refused, not written: a lone surrogate (a value or a key) is then found by the walk.
    for refused in ([2**64], [-(2**63) - 1], {"k": (2**64,)}, ["\ud800"], {"\udc00": 1}):
        try:
            pack_into(refused, buffer)
        except _CODEC_ERRORS:
            continue
        return
    _packer = pack_into


def _unreadable_by_json(value: Any) -> tuple[str, str] | None:
    """:func:`unreadable_number`, proven with msgspec's JSON encoder where its
    MessagePack one does not prove it.

    The JSON encoder writes every integer through the same limited conversion, a
    non-finite float as ``null`` and a ``Decimal`` as its text in a string (a NaN or an
    infinity ending ``NaN"`` or ``Infinity"``), and visits what the MessagePack one
    does, all probed per limit (:func:`_encoder_proves`); an encoding without ``null``
    and those endings holds neither. Any other payload, or one the encoder refuses, is
    walked.
    """
    limit = sys.get_int_max_str_digits()
    proven = _ENCODER_PROVEN.get(limit)
    if proven is None:
        proven = _ENCODER_PROVEN[limit] = _encoder_proves(limit)
    if proven:
        _, encode_into, spare = _codec or _msgspec()
        try:
            buffer = spare.pop()
        except IndexError:
            buffer = bytearray()
        try:
            encode_into(value, buffer)
            # find, not in: a bytes needle in ``in`` is tried as an int first, and
            # the TypeError raised and cleared costs more than the search.
            if (
                buffer.find(b"null") < 0
                and buffer.find(b'NaN"') < 0
                and buffer.find(b'Infinity"') < 0
            ):
                return None
        except _CODEC_ERRORS:
            pass
        finally:
            if len(buffer) <= _KEPT_BUFFER_BYTES:
                spare.append(buffer)
    return _unreadable_number_slowly(value, limit)


@lru_cache(maxsize=4)
def _digit_bound(limit: int) -> int:
    """The smallest integer with more than ``limit`` digits."""
    bound: int = 10**limit
    return bound


# Per digit limit (a service may change it), whether msgspec's encoder proves it.
_ENCODER_PROVEN: dict[int, bool] = {}


def _encoder_proves(limit: int) -> bool:
    """Whether msgspec writes NaN and the infinities as ``null`` (or refuses them) and,
    under a ``limit``, refuses an integer of ``limit + 1`` digits but writes one of
    ``limit``: a release that wrote either itself would prove nothing."""
    _, encode_into, _ = _codec or _msgspec()
    buffer = bytearray()
    try:
        encode_into([math.nan, math.inf, -math.inf], buffer)
    except _CODEC_ERRORS:
        pass
    else:
        if buffer != b"[null,null,null]":
            return False
    # A Decimal is written as its text, in a string: a NaN or an infinity ends so.
    try:
        encode_into([Decimal("-NaN"), Decimal("sNaN"), Decimal("-Infinity")], buffer)
    except _CODEC_ERRORS:
        return False
    if buffer != b'["-NaN","sNaN","-Infinity"]':
        return False
    for lone in (["\ud800"], {"\udc00": 1}):  # refused, so the walk finds it
        try:
            encode_into(lone, buffer)
        except _CODEC_ERRORS:
            continue
        return False
    if not limit:
        return True
    bound = _digit_bound(limit)
    try:
        encode_into([-(bound - 1)], buffer)
    except _CODEC_ERRORS:
        return False
    try:
        encode_into({"k": [bound]}, buffer)
    except ValueError:
        return True
    except _CODEC_ERRORS:
        return False
    return False


def _unreadable_number_slowly(value: Any, limit: int) -> tuple[str, str] | None:
    bound = _digit_bound(limit) if limit else None
    seen: set[int] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, float | Decimal):
            if not node.is_finite() if isinstance(node, Decimal) else not math.isfinite(node):
                return "payload-not-json", f"{node!r} (JSON has no NaN or Infinity)"
        elif isinstance(node, int):  # bool too, harmlessly
            if bound is not None and not -bound < node < bound:
                return "payload-number-too-long", (
                    f"an integer of more than {limit:,} digits (Python's limit, "
                    "sys.set_int_max_str_digits), which the reference validator cannot read"
                )
        elif isinstance(node, str):  # a str enum member too: its value is itself
            if not node.isascii() and _surrogate().search(node):
                return "payload-not-json", (
                    f"a string holding an unpaired surrogate ({_shown(node)}): no JSON text "
                    "read strictly holds one, and it cannot be written as UTF-8"
                )
        elif isinstance(node, enum.Enum):
            stack.append(node.value)
        elif isinstance(node, dict | list | tuple) and id(node) not in seen:
            seen.add(id(node))
            if isinstance(node, dict):
                stack.extend(node)  # keys: a lone surrogate there is no JSON either
                stack.extend(node.values())
            else:
                stack.extend(node)
    return None


@cache
def _surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def _shown(text: str) -> str:
    """``text`` as an escaped literal, cut to a few dozen characters."""
    shown = ascii(text)
    return shown if len(shown) <= 40 else f"{shown[:36]}...{shown[-1]}"


# A number token may mean another number than its float only when it has an exponent,
# or a fraction and 16 or more digit and dot bytes. Any other has at most 15
# significant digits and no exponent, so its magnitude is within 1e-14..1e15 and the
# float nearest it reads back as the same decimal (DBL_DIG is 15): loads with
# exact_numbers makes it that float, as msgspec does. Every such token holds a digit
# followed by an exponent or by 15 more digit and dot bytes: this finds each candidate
# (in strings too), whose surroundings then tell whether it is a number token. Compiled
# on first use: only a document msgspec does not write back byte for byte gets here.
@cache
def _number_candidate() -> re.Pattern[bytes]:
    return re.compile(rb"[0-9](?:[eE]|[0-9.]{15})")


_JSON_SPACE = b" \t\n\r"
_NUMBER_BYTES = b"0123456789.eE+-"
_BACKSLASH = 0x5C


def _may_hold_inexact_number(raw: bytes, encoded: bytes | bytearray) -> bool:
    """Whether a number token of ``raw`` (valid JSON, msgspec's reading written back as
    ``encoded``) may mean another number than its float; ``False`` is proven.

    Whitespace never falls inside a token and two tokens are never separated by
    whitespace alone, so when ``raw`` and ``encoded`` hold the same bytes but for
    whitespace, every number is spelt as msgspec writes its float: the shortest text
    that reads back as that float, which means exactly its value.
    """
    if raw.translate(None, _JSON_SPACE) == encoded.translate(None, _JSON_SPACE):
        return False
    for found in _number_candidate().finditer(raw):
        start = end = found.start()
        while start and raw[start - 1] in _NUMBER_BYTES:
            start -= 1
        while end < len(raw) and raw[end] in _NUMBER_BYTES:
            end += 1
        before = start
        while before and raw[before - 1] in _JSON_SPACE:
            before -= 1
        if before and raw[before - 1] not in b":,[":
            continue  # inside a string: a number token follows ':', ',' or '[' or starts
        token = raw[start:end].lstrip(b"-")
        if b"e" in token or b"E" in token or (b"." in token and len(token) >= 16):
            return True
    return False


def fast_or_miss(
    data: bytes | str | bytearray | memoryview,
    max_bytes: int | None,
    max_depth: int | None,
    *,
    exact_numbers: bool = False,
) -> Any:
    """What :func:`loads` returns for ``data``, or :data:`MISS` when that is not proven.

    The hot-path core of :func:`loads_fast` (positional, no fallback): ``MISS`` means
    "ask :func:`loads`", never "invalid". msgspec parses; its value is accepted when:

    - every level of nesting opens with a ``{`` or ``[``, so their count bounds the
      depth; only past ``max_depth`` of them is the value walked
      (:func:`_parsed_deeper_than`);
    - re-encoding the value gives ``raw`` itself (a compact text, what most senders
      write): an encoder writes each key of an object once, and msgspec writes UTF-8
      and refuses to write a lone surrogate, so the text names no key twice and is
      valid UTF-8 without one; each number in it is msgspec's shortest spelling of
      its value, which Python reads back as the same value (all pinned in
      tests/core/test_jsondoc_fast.py);
    - otherwise the byte counts of :func:`_counted_or_miss` prove it, and, with
      ``exact_numbers`` (what :func:`loads` keeps as a ``Decimal``), no number token
      may mean another number than its float (:func:`_may_hold_inexact_number`).
    """
    if type(data) is bytes:
        raw = data
    elif isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError:
            return MISS
    else:  # a buffer or a wrong type goes to loads, which reads the one, refuses the other
        return MISS
    if not _referents_ok or (max_bytes is not None and len(data) > max_bytes):
        return MISS
    decode, encode_into, spare = _codec or _msgspec()
    # A spare buffer, ours alone until appended back (see _msgspec).
    try:
        encoded = spare.pop()
    except IndexError:
        encoded = bytearray()
    try:
        try:
            value = decode(raw)
            encode_into(value, encoded)
        except _CODEC_ERRORS:
            return MISS
        # _more_openers_than, written out: this is validate_json's hot path, where a
        # call costs as much as one of the two searches.
        if max_depth is not None:
            most = max_depth + 1
            openers = len(raw) - len(raw.replace(b"{", b"", most).replace(b"[", b"", most))
            if openers > max_depth and _parsed_deeper_than(value, max_depth):
                return MISS
        if encoded == raw:
            return value
        value = _counted_or_miss(raw, value, encoded, max_depth)
        if value is not MISS and exact_numbers and _may_hold_inexact_number(raw, encoded):
            return MISS
        return value
    finally:
        if len(encoded) <= _KEPT_BUFFER_BYTES:
            spare.append(encoded)


def _more_openers_than(raw: bytes, limit: int) -> bool:
    """Whether ``raw`` holds more than ``limit`` ``{`` and ``[`` bytes (a bound on its
    depth).

    Each bracket is deleted ``limit + 1`` times at most: past that many the answer is
    yes, below it the two counts are exact. A deletion finds its byte with a C search
    and the rest is copied whole, so this costs a copy of ``raw`` and at most
    ``2 * (limit + 1)`` searches, well under one table pass over every byte (what a
    ``translate`` does), however dense in brackets the text is.
    """
    size, most = len(raw), limit + 1
    braces = size - len(raw.replace(b"{", b"", most))
    return braces + size - len(raw.replace(b"[", b"", most)) > limit


def _counted_or_miss(
    raw: bytes, value: Any, encoded: bytes | bytearray, max_depth: int | None
) -> Any:
    """``value`` (msgspec's reading of ``raw``, depth already bounded) when byte counts
    prove :func:`loads` reads the same, else :data:`MISS`.

    For a text that is not msgspec's own writing of its value (spaces, other number
    spellings, escapes; invalid UTF-8 and byte order marks msgspec refused already):

    - without a ``\\u`` escape every colon of a string is written as ``:`` (the other
      escapes stand for ``"``, ``\\``, ``/`` and control characters), so every ``:`` of
      the text is a key's own (exactly one per key token) or a string's; re-encoding
      keeps every surviving string's colons and one per surviving key, and drops a
      duplicate with all of its colons. Equal counts therefore mean no duplicate.
    - with one, a ``\\uD...`` escape (perhaps a lone surrogate) goes to :func:`loads`;
      otherwise the keys of the value, summed over every object, are compared with the
      number of ``"`` immediately followed (whitespace aside) by ``:``. Every key token
      ends that way, so the count is at least the number of key tokens; a string such
      as ``":x"`` only inflates it. Equal counts therefore mean every key token
      survived, whatever escapes spell the keys.
    """
    # A one-byte search is a memchr (an int needle: see unreadable_number); the
    # two-byte one scans far slower.
    if _BACKSLASH not in raw or raw.find(b"\\u") < 0:
        return value if raw.count(b":") == encoded.count(b":") else MISS
    if raw.find(b"\\ud") >= 0 or raw.find(b"\\uD") >= 0:
        return MISS
    keys = _keys_if_plain(value, max_depth)
    if keys is None or keys != raw.translate(None, b" \t\n\r").count(b'":'):
        return MISS
    return value


def _keys_if_plain(value: Any, max_depth: int | None) -> int | None:
    """Total object keys in ``value``, or ``None`` when it nests too deep or holds inf."""
    kind = type(value)
    if kind is dict:
        keys = len(value)
        level = list(value.values())
    elif kind is list:
        keys = 0
        level = value
    else:
        return None if value in (_INF, _NEG_INF) else 0
    depth = 1
    while True:
        types = {*map(type, level)}
        if float in types and (_INF in level or _NEG_INF in level):
            return None
        has_list = list in types
        if has_list:
            keys += sum([len(x) for x in level if type(x) is dict])
        elif dict not in types:
            return keys
        depth += 1
        if max_depth is not None and depth > max_depth:
            return None
        level = _referents(*level)
        if not has_list:
            # Only dicts hold children at the level above: their values are this level.
            keys += len(level)


def loads_fast(
    data: bytes | str | bytearray | memoryview,
    *,
    file: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    exact_numbers: bool = False,
) -> Any:
    """:func:`loads`, faster on documents it accepts: same values, same refusals.

    Parses with msgspec (imported on first use) and falls back to
    :func:`loads` whenever the result might differ from what :func:`loads` returns or
    refuses (see the notes above). For payloads on a hot path (``validate_json``).
    """
    value = fast_or_miss(data, max_bytes, max_depth, exact_numbers=exact_numbers)
    if value is MISS:
        return loads(
            data, file=file, max_bytes=max_bytes, max_depth=max_depth, exact_numbers=exact_numbers
        )
    return value


_writers: tuple[Callable[[Any], bytes], Callable[[Any], bytes], Callable[..., bytes]] | None = None


def _msgspec_writers() -> tuple[
    Callable[[Any], bytes], Callable[[Any], bytes], Callable[..., bytes]
]:
    """msgspec's JSON encoder, its sorted-keys encoder and its formatter."""
    global _writers  # noqa: PLW0603 - msgspec imported on first use
    if _writers is None:
        import msgspec

        sort = msgspec.json.Encoder(order="sorted").encode
        _writers = (msgspec.json.Encoder().encode, sort, msgspec.json.format)
    return _writers


def _sorted_writing(data: bytes, written: bytes) -> bool:
    """Whether ``data`` is ``written``, with or without one final newline."""
    return data == written or (data[:-1] == written and data[-1:] == b"\n")


def loads_written(
    data: bytes,
    *,
    file: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
) -> tuple[Any, bool]:
    """:func:`loads_fast` of a registry file, and whether ``data`` is its value written
    with every object's keys sorted, indented by 2, with or without one final newline
    (what ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`` writes
    too).

    Such a text proves itself as a byte-identical re-encoding does (:func:`fast_or_miss`):
    ``msgspec.json.format`` changes only the whitespace between tokens, so every token
    of ``data`` is the encoder's (each key once, UTF-8 without a lone surrogate, numbers
    Python reads back as the same values) and :func:`loads` reads the whitespace as
    nothing; each object's keys are then sorted, in ``data``'s order. Any other text is
    proven as :func:`fast_or_miss` proves it, from the same parse, else read by
    :func:`loads`.
    """
    if _referents_ok and (max_bytes is None or len(data) <= max_bytes):
        encode, encode_sorted, format_text = _writers or _msgspec_writers()
        try:
            value = (_codec or _msgspec())[0](data)
            # Only a text laid out as an indented writing is worth writing to compare.
            sorted_text = (
                data[1:4] == b"\n  "
                and data[:1] in b"{["
                and _sorted_writing(data, format_text(encode_sorted(value), indent=2))
            )
            encoded = b"" if sorted_text else encode(value)
        except _CODEC_ERRORS:  # msgspec refused it, or cannot write it: loads decides
            value = MISS
        if value is not MISS and not (
            max_depth is not None
            and _more_openers_than(data, max_depth)
            and _parsed_deeper_than(value, max_depth)
        ):
            if sorted_text:
                return value, True
            # Otherwise fast_or_miss's proof, on this parse.
            found = value if encoded == data else _counted_or_miss(data, value, encoded, max_depth)
            if found is not MISS:
                return found, False
    return loads(data, file=file, max_bytes=max_bytes, max_depth=max_depth), False


def read_regular(
    path: str | os.PathLike[str],
    *,
    display: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    error: type[AccordError] = DocumentError,
    cap_hint: str = " (raise max-file-bytes in accord.toml if this is intended)",
    listed: bool = False,
) -> bytes:
    """The bytes of a regular file, never through a symlink.

    The one safe read of registry files (JSON, TOML, the lock): symlinks, special files
    (FIFOs, devices) and files over ``max_bytes`` are refused before anything is read,
    and the file is opened with ``O_NOFOLLOW`` and ``O_NONBLOCK`` so a symlink swapped in
    meanwhile is refused too, and a special file swapped in is refused (``fstat`` of the
    open file) without blocking; a file grown meanwhile is read no further than
    ``max_bytes + 1`` bytes. Failures raise ``error`` (the caller's AccordError subclass) with the
    codes ``file-not-found``, ``file-unreadable``, ``path-symlink``,
    ``path-special-file`` or ``json-too-large``.

    ``listed``: the caller's directory listing, taken in this run, showed a regular file
    at ``path`` (``DirEntry.is_file(follow_symlinks=False)``: the directory's own entry
    type, what the ``lstat`` would show). The file is then opened at once, one system
    call less a file (20,000 files in a registry of 5,000 contracts). Whatever took its
    place since the listing is refused by the open and ``fstat`` checks, as it is when
    it takes its place after the ``lstat``; when the open fails, the ``lstat`` runs and
    names the failure exactly as without ``listed``.
    """
    name = display or str(path)
    fd = _open_listed(path) if listed else None
    if fd is None:
        fd = _checked_open(path, name, max_bytes, error, cap_hint)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise error("not a regular file", code="path-special-file", file=name)
        _refuse_over_cap(opened.st_size, max_bytes, error, name, cap_hint)
        # One read of size + 1 bytes takes the whole file: getting exactly the size
        # fstat gave is the file as it was then. Otherwise (it grew or shrank since, or
        # a short read) read on to the end, never past the cap.
        chunk = os.read(fd, opened.st_size + 1)
        if len(chunk) == opened.st_size:
            return chunk
        chunks = [chunk]
        total = len(chunk)
        _refuse_over_cap(total, max_bytes, error, name, cap_hint)
        while chunk:
            room = _READ_CHUNK if max_bytes is None else max_bytes + 1 - total
            chunk = os.read(fd, min(room, _READ_CHUNK))
            chunks.append(chunk)
            total += len(chunk)
            _refuse_over_cap(total, max_bytes, error, name, cap_hint)
        return b"".join(chunks)
    except OSError as exc:
        raise error(
            f"cannot read file: {exc.strerror}", code="file-unreadable", file=name
        ) from None
    finally:
        os.close(fd)


def _open_listed(path: str | os.PathLike[str]) -> int | None:
    """``path`` opened for :func:`read_regular` without the ``lstat`` (``listed``), or
    ``None`` when the open fails (then the checked open says why)."""
    try:
        return os.open(path, _READ_FLAGS)
    except (OSError, ValueError):
        return None


def _checked_open(
    path: str | os.PathLike[str],
    name: str,
    max_bytes: int | None,
    error: type[AccordError],
    cap_hint: str,
) -> int:
    """``path`` opened for :func:`read_regular` once its ``lstat`` shows a regular file
    within the cap; refused otherwise."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise error("file not found", code="file-not-found", file=name) from None
    except ValueError:  # "embedded null byte": a Python caller's name no file can have
        raise error(
            "file not found (the name holds a NUL character)", code="file-not-found", file=name
        ) from None
    except OSError as exc:
        raise error(
            f"cannot read file: {exc.strerror}", code="file-unreadable", file=name
        ) from None
    if stat.S_ISLNK(st.st_mode):
        raise error(
            "symlinks are not followed: replace it with a regular file",
            code="path-symlink",
            file=name,
        )
    if not stat.S_ISREG(st.st_mode):
        raise error("not a regular file", code="path-special-file", file=name)
    _refuse_over_cap(st.st_size, max_bytes, error, name, cap_hint)
    try:
        # O_NONBLOCK: a FIFO swapped in after the lstat cannot block the open (fstat
        # below refuses it); it changes nothing for a regular file.
        return os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise error(
            f"cannot read file: {exc.strerror}", code="file-unreadable", file=name
        ) from None


_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    # A terminal swapped in after the check never becomes the controlling one.
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_READ_CHUNK = 1 << 16


def refuse_links_below(root: Path, relative: str, *, action: str = "write") -> None:
    """Refuse a symlink at any name of ``relative`` (``/``-separated) below ``root``:
    a directory on the way or the file itself. A writer that creates missing
    directories and replaces files would otherwise write wherever a link in the
    registry points (the loader refuses such links, but only when it next reads); a
    reader of records (``action="read"``) would believe files from outside the registry
    (opening a file refuses a link at its last name only).

    Raises:
        DocumentError: ``path-symlink``, naming the link (relative to ``root``).
    """
    parts = [part for part in relative.split("/") if part]
    current = root
    for depth, part in enumerate(parts, start=1):
        current = current / part
        try:
            linked = stat.S_ISLNK(os.lstat(current).st_mode)
        except FileNotFoundError:
            return  # nothing exists below a missing name
        if linked:
            where = "/".join(parts[:depth])
            raise DocumentError(
                f"symlinks are not allowed in a registry (they can point outside it): "
                f"refusing to {action} {'/'.join(parts)} through it",
                code="path-symlink",
                file=where,
            )


def read_stream(
    stream: BinaryIO, *, display: str, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> bytes:
    """The bytes of ``stream`` (stdin, a pipe) to its end, reading at most
    ``max_bytes + 1`` of them: a stream has no size to check first, and one that never
    ends (``yes |``, ``< /dev/zero``) was read into memory without bound.

    Raises:
        DocumentError: ``json-too-large`` once the stream holds more than ``max_bytes``.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        room = _READ_CHUNK if max_bytes is None else min(_READ_CHUNK, max_bytes + 1 - total)
        chunk = stream.read(room)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if max_bytes is not None and total > max_bytes:
            raise DocumentError(
                f"more than {max_bytes} bytes, over the cap of {max_bytes} bytes",
                code="json-too-large",
                file=display,
            )


def _refuse_over_cap(
    size: int, max_bytes: int | None, error: type[AccordError], name: str, cap_hint: str
) -> None:
    if max_bytes is not None and size > max_bytes:
        raise error(
            f"file is {size} bytes, over the cap of {max_bytes} bytes{cap_hint}",
            code="json-too-large",
            file=name,
        )


def load_path(
    path: Path,
    *,
    display: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    exact_numbers: bool = False,
    refuse_inexact: bool = False,
) -> Any:
    """Read and parse a JSON file, refusing symlinks and special files."""
    name = display or str(path)
    data = read_regular(path, display=name, max_bytes=max_bytes)
    return loads(
        data,
        file=name,
        max_bytes=max_bytes,
        max_depth=max_depth,
        exact_numbers=exact_numbers,
        refuse_inexact=refuse_inexact,
    )


def canonical_dumps(value: Any) -> str:
    """Canonical JSON text: sorted keys, 2-space indent, exact numbers, trailing newline.

    Used by ``accord fmt`` and for "identical content" decisions. ``1`` and ``1.0`` stay
    distinct in text (they are different bytes) but compare equal under the engine.
    A ``Decimal`` (a literal no float holds) is written as its exact number text.
    """
    return _dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def sorted_dumps(value: Any) -> str:
    """Compact JSON with sorted keys and exact numbers (C encoder): what
    :func:`canonical_dumps` writes, minus the layout, for deterministic in-memory copies."""
    return _dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# Integral Decimals below this many digits are written as plain integers; longer ones
# keep their exponent form (Python refuses to print ints over 4300 digits by default).
_INT_DIGITS = 4000


def _dumps(value: Any, **options: Any) -> str:
    # The json encoder cannot emit a raw number token for a Decimal, and a float would
    # round (to Infinity or 0.0): each Decimal goes out as a unique placeholder string
    # that is then replaced by the number's exact text.
    numbers: list[str] = []
    # os.urandom is what secrets.token_hex reads; importing secrets would map OpenSSL
    # (through hmac) into every process that parses a document.
    token = f"accord-number-{os.urandom(12).hex()}"

    def default(item: Any) -> Any:
        if isinstance(item, Decimal) and item.is_finite():
            if item == item.to_integral_value() and item.adjusted() < _INT_DIGITS:
                return int(item)
            numbers.append(str(item))
            return f"{token}-{len(numbers) - 1}"
        raise TypeError(f"not JSON serialisable: {type(item).__name__}")

    text = json.dumps(value, default=default, **options)
    if numbers:
        text = re.sub(f'"{token}-([0-9]+)"', lambda m: numbers[int(m[1])], text)
    return text


def temp_target(name: str) -> str | None:
    """The file a temp-file name from :func:`atomic_write` was for (``.<target>.<8
    random>.tmp``), or ``None`` when ``name`` is not one. A temp file still on disk was
    left by a process killed mid-write."""
    if not (name.startswith(".") and name.endswith(".tmp")):
        return None
    target, dot, random_part = name[1:-4].rpartition(".")
    if not (dot and target and len(random_part) == 8):
        return None
    return target


def _umask() -> int:
    """The process umask, read without changing it where Linux tells it (``os.umask``
    can only be read by setting it, which would race other threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def new_file_mode() -> int:
    """The mode a file created now gets (``0o666`` less the process umask): what
    :func:`atomic_write` gives a new file, read once by a caller writing many."""
    return 0o666 & ~_umask()


# mkstemp's flags: the temp name is fresh (O_EXCL), never a symlink's target, and not
# inherited by child processes.
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL
for _flag in ("O_NOFOLLOW", "O_CLOEXEC", "O_NOINHERIT", "O_BINARY"):
    _TEMP_FLAGS |= getattr(os, _flag, 0)
del _flag


# A file name holds at most 255 bytes on the common file systems (ext4, XFS, APFS, NTFS).
NAME_MAX = 255


def temp_name_fits(name: str) -> bool:
    """Whether the temp file :func:`atomic_write` writes beside a file called ``name``
    (``.<name>.<8 hex>.tmp``) has a name the file system holds."""
    return len(f".{name}.00000000.tmp".encode("utf-8", "surrogateescape")) <= NAME_MAX


def _temp_file(path: Path) -> tuple[int, str]:
    """A new file ``.<name>.<8 hex>.tmp`` beside ``path``, mode 0600, opened for writing:
    what ``tempfile.mkstemp`` makes (the name :func:`temp_target` reads back), without
    its per-call name generator and path normalisation."""
    for _ in range(100):  # mkstemp's number of tries
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def atomic_write(
    path: Path,
    data: bytes,
    *,
    exclusive: bool = False,
    new_mode: int | None = None,
    durable: bool = True,
) -> None:
    """Write ``data`` to ``path`` through a temp file in the same directory.

    The temp file is fsynced before it takes ``path``'s name, so after a crash ``path``
    holds its old bytes or all the new ones. With ``exclusive=True`` an existing
    ``path`` is never replaced: the temp file is hard-linked into place (atomic, fails
    if the name exists) and :class:`FileExistsError` propagates. ``new_mode``: the mode
    of a new file when the caller read :func:`new_file_mode` once for a batch of writes
    (default: read now). ``durable=False`` skips the fsync, for derived files whose
    every reader checks their digest: the rename still makes a reader see the old file
    or the whole new one, but after a power cut the new name may hold a torn or empty
    file, which that check must catch.
    """
    fd, tmp = _temp_file(path)
    try:
        try:
            # The temp file is 0600; the result must read like any file the user
            # writes (a replaced file keeps its mode, a new one follows the umask), or
            # wheels in dist/ and files in the registry end up unreadable to the team.
            try:
                mode = os.stat(path).st_mode & 0o7777
            except OSError:
                mode = new_file_mode() if new_mode is None else new_mode
            os.fchmod(fd, mode)
            _write_all(fd, data, durable=durable)
        finally:
            os.close(fd)
        if exclusive:
            place_exclusive(tmp, path, durable=durable)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# What os.link raises on a file system that has no hard links (FAT, exFAT, some network
# and FUSE file systems): EPERM on Linux's vfat, EOPNOTSUPP/ENOTSUP or ENOSYS elsewhere.
_NO_HARD_LINKS = frozenset(
    code
    for code in (
        getattr(errno, name, None) for name in ("EPERM", "EOPNOTSUPP", "ENOTSUP", "ENOSYS")
    )
    if code is not None
)


def place_exclusive(
    tmp: str | os.PathLike[str], path: str | os.PathLike[str], *, durable: bool = True
) -> None:
    """Give the finished file ``tmp`` the name ``path`` as well, never replacing an
    existing ``path`` (:class:`FileExistsError`); the caller removes ``tmp``.

    A hard link does it atomically: ``path`` appears whole or not at all. On a file
    system without hard links the bytes are copied into ``path`` created with
    ``O_EXCL`` (still never replacing anything; a reader may meet the file while it is
    written, which the digest every reader of a published file checks catches), and a
    copy that fails removes what it created.
    """
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    with open(tmp, "rb") as source:
        data = source.read()
        mode = os.fstat(source.fileno()).st_mode & 0o7777
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, mode)
    try:
        try:
            _write_all(fd, data, durable=durable)
        finally:
            os.close(fd)
    except BaseException:
        os.unlink(path)
        raise


def _write_all(fd: int, data: bytes, *, durable: bool) -> None:
    """Write every byte of ``data`` to ``fd`` (plain writes: no buffered file object for
    one write), then flush it to the disk where ``durable``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    if durable:
        os.fsync(fd)


# Pseudo filesystems: nothing accord writes belongs there, and creating a directory in
# them fails with errors that do not say why.
_SPECIAL_ROOTS = ("/proc", "/sys", "/dev")


def path_argument(value: object, argument: str) -> Path:
    """``value`` as a :class:`~pathlib.Path`: a public function's directory argument
    (``str`` or ``os.PathLike``).

    Raises:
        UsageError: ``path-argument`` for anything else (``None``, bytes, a number, ...),
            naming the argument and the type it got.
    """
    from accord.errors import UsageError

    if isinstance(value, str | os.PathLike):
        try:
            return Path(value)  # TypeError: a PathLike whose path is bytes
        except TypeError:
            pass
    raise UsageError(
        f"{argument}= takes a directory path (str or os.PathLike), not {type(value).__name__}",
        code="path-argument",
    )


def check_out_dir(path: Path, *, option: str = "--out", writing: bool = True) -> None:
    """Refuse an output directory that is a file, special, or not writable (writes nothing).

    ``path`` may not exist yet: its nearest existing ancestor must then be a writable
    directory. With ``writing=False`` (a ``--check`` run) only the kind is checked.

    Raises:
        UsageError: ``out-not-directory``, ``out-special`` or ``out-not-writable``.
    """
    from accord.errors import UsageError

    resolved = Path(os.path.abspath(path))
    real = Path(os.path.realpath(resolved))
    for root in _SPECIAL_ROOTS:
        if real == Path(root) or real.is_relative_to(root):
            raise UsageError(
                f"{option} {path}: {root} is a special filesystem; choose a directory on disk",
                code="out-special",
            )
    existing = resolved
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "is not a directory" if existing == resolved else f"is inside {existing}, a file"
        raise UsageError(f"{option} {path} {what}", code="out-not-directory")
    if writing and not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {path}: {existing} is not writable", code="out-not-writable")


def make_out_dir(path: Path, *, option: str = "--out") -> None:
    """:func:`check_out_dir`, then create ``path`` (and parents), refusing as a UsageError."""
    from accord.errors import UsageError

    check_out_dir(path, option=option)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"{option} {path}: cannot create it ({exc.strerror or exc})", code="out-not-writable"
        ) from None


def not_json_at(document: Any) -> tuple[str, str] | None:
    """The JSON pointer of the first place in a Python ``document`` that holds no JSON
    value, and what is there, or ``None``: a key that is not exactly ``str``, a value
    that is neither a ``dict`` nor a ``list`` (accord's frozen ones included) nor
    exactly ``str``, ``int``, ``bool``, ``None`` or a finite ``float`` (bytes, a set, a
    tuple, a ``str`` subclass, ``NaN``).

    An error path's walk: call it once jsonschema-rs has refused to read a document
    ("Unsupported type"), to say where.
    """
    from accord.core.pointer import from_parts
    from accord.core.text import short_repr

    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                continue  # shared, or holding itself: its contents are looked at once
            seen.add(id(node))
            for key in node:
                if type(key) is not str:
                    return from_parts(path), f"a key that is not a string ({key!r})"
            stack.extend((v, (*path, k)) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend((v, (*path, i)) for i, v in reversed(list(enumerate(node))))
        elif type(node) is float:
            if not math.isfinite(node):
                return from_parts(path), f"{node!r} (JSON has no NaN or Infinity)"
        elif type(node) not in (str, int, bool, type(None)):
            return from_parts(path), f"a {type(node).__name__} ({short_repr(node)})"
    return None
