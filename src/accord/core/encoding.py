"""An HTTP body undone of its ``Content-Encoding`` within a byte cap.

Both places that read a body someone else compressed (provider verification reading a
provider's answer, ContractMiddleware reading a response compressed inside it) decode it
here: ``gzip`` and ``deflate`` (zlib-wrapped, or raw as some servers send it), each
inflated at most to the cap, so a small body that inflates without end (a compression
bomb) is refused like a large one and never held whole in memory.
"""

from __future__ import annotations

import zlib

__all__ = ["Undecodable", "undo_content_encoding"]

# zlib window bits per coding: a gzip member; HTTP's "deflate", the zlib wrapper first
# and a raw stream second (what some servers send under that name).
_WBITS = {
    "gzip": (16 + zlib.MAX_WBITS,),
    "x-gzip": (16 + zlib.MAX_WBITS,),
    "deflate": (zlib.MAX_WBITS, -zlib.MAX_WBITS),
}


class Undecodable(Exception):
    """Why a body cannot be read decoded: ``kind`` is ``unsupported`` (a coding other
    than gzip/deflate), ``invalid`` (bytes that do not decode; ``detail`` says why),
    ``too-large`` (more than the cap once decoded) or ``cut`` (the stream ends early or
    has trailing data); ``coding`` is the coding that failed."""

    def __init__(self, kind: str, coding: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {coding} {detail}".strip())
        self.kind = kind
        self.coding = coding
        self.detail = detail


def undo_content_encoding(raw: bytes, encoding: str, cap: int) -> bytes:
    """``raw`` undone of ``encoding`` (a ``Content-Encoding`` value: codings separated
    by commas, applied in order, so undone last first; ``identity`` and empty ones are
    none), at most ``cap`` bytes decoded.

    Raises:
        Undecodable: the coding it cannot undo, and why.
    """
    for coding in reversed([c.strip().lower() for c in encoding.split(",")]):
        if coding in ("", "identity"):
            continue
        choices = _WBITS.get(coding)
        if choices is None:
            raise Undecodable("unsupported", coding)
        for n, wbits in enumerate(choices):
            decoder = zlib.decompressobj(wbits)
            try:
                out = decoder.decompress(raw, cap + 1)
            except zlib.error as exc:
                if n + 1 < len(choices):
                    continue
                raise Undecodable("invalid", coding, str(exc)) from None
            if len(out) > cap or decoder.unconsumed_tail:
                raise Undecodable("too-large", coding)
            if not decoder.eof or decoder.unused_data:
                # A cut stream, or a second member after the first, would not be what
                # was checked.
                raise Undecodable("cut", coding)
            raw = out
            break
    return raw
