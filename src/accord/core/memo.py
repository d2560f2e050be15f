"""Identity memoisation for JSON documents that do not change.

A value computed from a document can be kept under the document's identity, which costs
a dictionary lookup instead of serialising a 500-property schema to JSON again. That is
sound only while the document does not change, and that is a guarantee, not a
convention, for every document a registry hands out (versions as written, bundles):
they are frozen (:mod:`accord.core.frozen`), so an attempted edit raises ``TypeError``
instead of making a memoised value stale. Documents the engine builds for itself are
never edited once built (the engine builds new ones instead) and never leave it. The
cached entry holds the document itself, so an ``id()`` is never reused while its entry
lives.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from json.encoder import encode_basestring_ascii
from typing import Any, Generic, TypeVar

T = TypeVar("T")

__all__ = [
    "IdentityMemo",
    "Recorded",
    "canonical_text",
    "write_canonical",
    "write_json",
]


class IdentityMemo(Generic[T]):
    """``memo(obj, compute)``: ``compute(obj)`` once per live object identity (LRU-bounded)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._entries: OrderedDict[int, tuple[Any, T]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, obj: Any, compute: Callable[[Any], T]) -> T:
        # A tuple, not ``dict | list``: that union is built afresh at every call.
        if not isinstance(obj, (dict, list)):
            return compute(obj)  # scalars and booleans are cheap and may be interned
        key = id(obj)
        entries, lock = self._entries, self._lock
        # acquire/release rather than ``with``: the lock's ``__enter__``/``__exit__``
        # cost more than the lookup they guard (a diff asks the memo dozens of times).
        lock.acquire()
        try:
            hit = entries.get(key)
            if hit is not None and hit[0] is obj:
                entries.move_to_end(key)
                return hit[1]
        finally:
            lock.release()
        value = compute(obj)
        lock.acquire()
        try:
            entries[key] = (obj, value)
            entries.move_to_end(key)
            while len(entries) > self._size:
                entries.popitem(last=False)
        finally:
            lock.release()
        made = _recording.get()
        if made is not None:
            made.append(self, key, obj)
        return value

    def _discard(self, made: list[tuple[int, Any]]) -> None:
        """Drop the entries of the objects in ``made`` (each with its id, kept alive by
        the caller: the id is still that object's)."""
        entries = self._entries
        with self._lock:
            for key, obj in made:
                hit = entries.get(key)
                if hit is not None and hit[0] is obj:
                    del entries[key]


class Recorded:
    """Records the entries :class:`IdentityMemo` instances make inside its ``with``
    block (in this thread or task), to :meth:`forget` them after.

    For work on documents made for one call and dropped after it (``accord.diff`` of two
    schemas given as values reads fresh copies of them): an entry keeps its document
    alive until the memo evicts it, and a wide document is thousands of objects the
    cyclic collector walks again at every collection of the process, for an entry no
    later call can hit (no later call holds that document).
    """

    __slots__ = ("_made", "_token")

    def __init__(self) -> None:
        self._made: dict[IdentityMemo[Any], list[tuple[int, Any]]] = {}
        self._token: Any = None

    def __enter__(self) -> Recorded:
        self._token = _recording.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _recording.reset(self._token)

    def append(self, memo: IdentityMemo[Any], key: int, obj: Any) -> None:
        found = self._made.get(memo)
        if found is None:
            found = self._made[memo] = []
        found.append((key, obj))

    def forget(self) -> None:
        """Drop every recorded entry still in its memo.

        A memo only saves work: dropping an entry changes no value, only whether the next
        call for that object computes it again.
        """
        made, self._made = self._made, {}
        for memo, entries in made.items():
            memo._discard(entries)


# The recorder of the innermost ``Recorded`` block of this thread (or task), if any.
_recording: ContextVar[Recorded | None] = ContextVar("accord_memo_recording", default=None)


# What ``json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)`` builds
# on every call; one instance writes the same text (each ``encode`` starts with fresh
# circular-reference markers) without building the encoder each time.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)
# ``json.dumps(value)``'s encoder (the defaults).
_PLAIN_ENCODER = json.JSONEncoder()


def _direct(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """``encoder.encode``, without its two Python frames and the closure ``iterencode``
    defines on every call (a diff writes dozens of small documents).

    For a value that is not a ``str``, ``encode`` builds the C encoder from the
    encoder's settings with fresh circular-reference markers and joins what it writes;
    this does the same with the same arguments, so the text and every error are the
    C encoder's, as before. Without the C encoder (or for an indenting encoder, which
    ``encode`` writes in Python), ``encode`` itself.
    """
    make = getattr(json.encoder, "c_make_encoder", None)  # None without the C accelerator
    if make is None or encoder.indent is not None or not encoder.check_circular:
        return encoder.encode
    settings = (
        encoder.default,
        encode_basestring_ascii if encoder.ensure_ascii else json.encoder.encode_basestring,
        encoder.indent,
        encoder.key_separator,
        encoder.item_separator,
        encoder.sort_keys,
        encoder.skipkeys,
        encoder.allow_nan,
    )
    encode = encoder.encode

    def write(value: Any) -> str:
        if isinstance(value, str):
            return encode(value)
        return "".join(make({}, *settings)(value, 0))

    return write


write_canonical = _direct(_ENCODER)
"""Canonical JSON text (sorted keys, no spacing), written afresh (not memoised)."""
write_json = _direct(_PLAIN_ENCODER)
"""``json.dumps(value)`` (default settings), written by the C encoder directly."""


_canonical_memo: IdentityMemo[str] = IdentityMemo(1024)

# A small object holding a large container (a document root, a writer closure around
# it): its text is joined from its values' texts, memoised, so asking for the large
# container's text later (or for another small object sharing it) writes nothing.
_JOINED_KEYS = 8
_LARGE = 8
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _joined(value: Any) -> bool:
    """Whether ``value`` is a plain object of at most :data:`_JOINED_KEYS` string keys
    with a plain object or array of more than :data:`_LARGE` entries among its values."""
    return (
        type(value) is dict
        and len(value) <= _JOINED_KEYS
        and not _SCALARS.issuperset(map(type, value.values()))  # most objects: one C pass
        and any((type(v) is dict or type(v) is list) and len(v) > _LARGE for v in value.values())
        and all(type(k) is str for k in value)
    )


def _write_memoised(value: Any) -> str:
    """:func:`write_canonical`; for a small object (:func:`_joined`) the same text, joined.

    ``json.dumps`` with ``sort_keys`` writes an object of string keys as ``{`` then, in
    key order, each key's JSON string, ``:`` and the value's own text, joined by ``,``,
    then ``}``: a value's text does not depend on where it is nested (a cycle through
    the object is still refused: writing the value meets the object again).
    """
    if not _joined(value):
        return write_canonical(value)
    parts = (
        f"{encode_basestring_ascii(key)}:{_canonical_memo(value[key], write_canonical)}"
        for key in sorted(value)
    )
    return "{" + ",".join(parts) + "}"


def canonical_text(value: Any) -> str:
    """Canonical JSON text (sorted keys, no spacing) used for structural equality.

    Memoised on the value's identity: documents are not mutated once built. One memo
    for every layer, so the text the diff writes of an input is the reference
    validator's cache key for that document too (written once, not once per use).
    A small object of plain scalars (a leaf schema) is written each time instead: that
    costs no more than the memo's lookup, and keeps the memo for documents.
    """
    if (
        type(value) is dict
        and len(value) <= _FLAT
        and _SCALARS.issuperset(map(type, value.values()))
    ):
        return write_canonical(value)
    return _canonical_memo(value, _write_memoised)


# The largest object of plain scalars :func:`canonical_text` writes without the memo.
_FLAT = 8
